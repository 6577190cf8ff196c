"""The shapes :mod:`vakit.services.calendar_events` reads a calendar file into: occurrences, how each zone was
read, the whole reading, the window; and the helpers every part of the reading shares."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone, tzinfo

from vakit.core.periods import local_midnight_utc

UTC = timezone.utc


@dataclass
class Occurrence:
    """One busy interval read from the file: ``[start_utc, end_utc)``, shown in ``tz``; ``occurrence`` is its
    RECURRENCE-ID (empty for an event that does not repeat)."""

    uid: str
    occurrence: str
    start_utc: int
    end_utc: int
    tz: str
    all_day: bool
    summary: str
    location: str
    description: str
    status: str
    sequence: int
    transparent: bool
    line: int


@dataclass
class ZoneUse:
    """How one TZID of the file was read, for the report."""

    tzid: str
    how: str
    tz: tzinfo
    label: str | None  # the IANA zone shown for it (None: the VA's home zone)
    from_file: bool  # the VTIMEZONE's rules give the instants
    line: int | None = None
    events: int = 0
    disagreement: str | None = None


@dataclass
class Reading:
    """What was read: occurrences in the window, counts, zones, warnings (``where: reason``) and notes."""

    occurrences: list[Occurrence] = field(default_factory=list)
    events: int = 0
    series: int = 0
    skipped: int = 0
    outside: int = 0
    zones: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    others: Counter = field(default_factory=Counter)
    endless: list[tuple[int, str, int]] = field(default_factory=list)  # (line, UID, occurrences kept)


@dataclass(frozen=True)
class Window:
    """The expansion window ``[start_utc, end_utc)`` (local dates ``first``–``last`` in the home zone)."""

    first: date
    last: date
    home_tz: str

    @property
    def start_utc(self) -> int:
        return local_midnight_utc(self.first, self.home_tz)

    @property
    def end_utc(self) -> int:
        return local_midnight_utc(self.last + timedelta(days=1), self.home_tz)


class Skip(Exception):
    """An event that cannot be used, with the reason."""



def where(name: str, line: int | None, uid: str | None) -> str:
    at = f" line {line}" if line else ""
    return f"{name}{at}" + (f" (UID {uid})" if uid else "") + ": "



def short(exc: object) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"
