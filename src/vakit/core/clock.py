"""The injected clock and time-zone lookup.

Production code asks a :class:`Clock` for the current instant; tests pass a
:class:`FixedClock`. ``VAKIT_NOW`` (an ISO-8601 instant with offset, e.g.
``2025-05-14T09:00:00+01:00``) fixes the clock of a whole process, so that
end-to-end tests and demos of the installed command are reproducible.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vakit.core.errors import InvalidValue

UTC = timezone.utc


class Clock:
    """The real clock. ``now()`` returns an aware UTC datetime, ``now_utc()`` epoch seconds."""

    def now(self) -> datetime:
        """Current instant, aware, in UTC, whole seconds."""
        return datetime.now(UTC).replace(microsecond=0)

    def now_utc(self) -> int:
        """Current instant as integer epoch seconds (UTC)."""
        return int(self.now().timestamp())


@dataclass
class FixedClock(Clock):
    """A clock stopped at ``at`` (aware datetime); ``set`` moves it."""

    at: datetime

    def now(self) -> datetime:
        """The fixed instant, in UTC."""
        return self.at.astimezone(UTC).replace(microsecond=0)

    def set(self, at: datetime) -> None:
        """Move the clock to ``at`` (aware)."""
        self.at = at


def clock_from_env() -> Clock:
    """A FixedClock if ``VAKIT_NOW`` is set (ISO-8601 with offset), else the system clock.

    Raises InvalidValue if ``VAKIT_NOW`` is not an aware ISO-8601 instant.
    """
    raw = os.environ.get("VAKIT_NOW")
    if not raw:
        return Clock()
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidValue(f"VAKIT_NOW={raw!r} is not an ISO-8601 instant") from exc
    if at.tzinfo is None:
        raise InvalidValue(f"VAKIT_NOW={raw!r} needs an offset, e.g. 2025-05-14T09:00:00+01:00")
    if not 1971 <= at.year <= 2199:
        raise InvalidValue(f"VAKIT_NOW={raw!r} is outside the years vakit keeps (1971-2199)")
    return FixedClock(at)


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (e.g. ``"Asia/Kolkata"``). Raises InvalidValue for an unknown name."""
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        raise InvalidValue(f"unknown time zone {name!r}", "use an IANA name such as Europe/London")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError) as exc:
        raise InvalidValue(f"unknown time zone {name!r}", "use an IANA name such as Europe/London") from exc


def check_zone(name: str) -> str:
    """Return ``name`` if it is a known IANA zone; raises InvalidValue otherwise."""
    zone(name)
    return name


def to_local(utc_seconds: int, tz: str) -> datetime:
    """Epoch seconds → aware datetime in zone ``tz``."""
    return datetime.fromtimestamp(utc_seconds, zone(tz))


def fmt_local(utc_seconds: int, tz: str, *, date: bool = True) -> str:
    """Human text for an instant in a zone: ``"Wed 14 May 2025 01:00 BST"`` (or just ``"01:00 BST"``)."""
    dt = to_local(utc_seconds, tz)
    clock = f"{dt:%H:%M} {dt.tzname()}"
    return f"{dt:%a %d %b %Y} {clock}" if date else clock


def fmt_hms(seconds: int) -> str:
    """Seconds → ``"h:mm:ss"``, exact: 1258 → ``"0:20:58"``."""
    sign = "-" if seconds < 0 else ""
    s = abs(int(seconds))
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def fmt_hm(seconds: int) -> str:
    """Seconds → ``"h:mm"`` (negative allowed), rounding down to whole minutes: 5400 → ``"1:30"``."""
    sign = "-" if seconds < 0 else ""
    minutes = abs(int(seconds)) // 60
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"
