"""Recurrence rules of appointment series, expanded on the wall clock of the zone they were booked in.

A weekly call at 09:30 Berlin time stays at 09:30 Berlin time when Berlin changes its clocks: the rule is
applied to the local date and time, and each occurrence is then placed on the UTC time line (RFC 5545
§3.3.10 with DTSTART in TZID form, §3.3.5 form #3; field case C-10). A wall time that does not exist on an
occurrence's date (inside a spring-forward gap) is read with the offset before the gap, and one that happens
twice with its first reading (RFC 5545 §3.3.5), which is what Python's ``fold=0`` does.

Monthly series follow RFC 5545 too: a series started on the 31st skips months without a 31st (§3.3.10,
"invalid dates … are ignored"), and COUNT counts the occurrences that exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule

from vakit.core.clock import UTC, zone
from vakit.core.errors import InvalidValue
from vakit.core.timeparse import MAX_YEAR

#: ``--repeat`` words → (FREQ, INTERVAL)
REPEATS = {"weekly": ("WEEKLY", 1), "biweekly": ("WEEKLY", 2), "monthly": ("MONTHLY", 1)}
#: at most this many occurrences in one series (ten years of weekly calls)
MAX_OCCURRENCES = 520
_FREQ = {"WEEKLY": WEEKLY, "MONTHLY": MONTHLY}
WALL_FORMAT = "%Y-%m-%dT%H:%M:%S"



@dataclass(frozen=True)
class Rule:
    """A series' RRULE: ``freq`` WEEKLY or MONTHLY, ``interval`` ≥ 1, and exactly one end: ``count``
    occurrences, or ``until_utc`` (epoch seconds UTC; occurrences starting after it are not in the series)."""

    freq: str
    interval: int = 1
    count: int | None = None
    until_utc: int | None = None

    def text(self) -> str:
        """The RRULE value (RFC 5545 §3.3.10): ``FREQ=WEEKLY;COUNT=4``, ``FREQ=WEEKLY;INTERVAL=2;UNTIL=…Z``.
        UNTIL is in UTC, as §3.3.10 requires when DTSTART has a TZID."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until_utc is not None:
            parts.append("UNTIL=" + datetime.fromtimestamp(self.until_utc, UTC).strftime("%Y%m%dT%H%M%SZ"))
        return ";".join(parts)

    def describe(self) -> str:
        """``weekly``, ``every 2 weeks``, ``monthly`` — how a person says it."""
        unit = "week" if self.freq == "WEEKLY" else "month"
        return f"{unit}ly" if self.interval == 1 else f"every {self.interval} {unit}s"


def rule_for(repeat: str, *, count: int | None = None, until_utc: int | None = None) -> Rule:
    """The rule of ``--repeat weekly|biweekly|monthly`` with ``count`` or ``until_utc`` (exactly one).
    Raises InvalidValue for another word, no end, both ends, or a count outside 1..MAX_OCCURRENCES."""
    key = (repeat or "").strip().lower()
    if key not in REPEATS:
        raise InvalidValue(f"--repeat {repeat!r} is not weekly, biweekly or monthly")
    if count is None and until_utc is None:
        raise InvalidValue("a repeating appointment needs an end (an RRULE without UNTIL or COUNT)",
                           "add --count N or --until DATE; a year of weekly calls is --count 52")
    if count is not None and until_utc is not None:
        raise InvalidValue("give --count or --until, not both")
    if count is not None and not 1 <= count <= MAX_OCCURRENCES:
        raise InvalidValue(f"--count {count} is outside 1–{MAX_OCCURRENCES}")
    freq, interval = REPEATS[key]
    return Rule(freq, interval, count, until_utc)


def local_start(t: int, tz: str) -> str:
    """The wall time (``YYYY-MM-DDTHH:MM:SS``) of epoch second ``t`` in ``tz``: a series' stored DTSTART."""
    return datetime.fromtimestamp(t, zone(tz)).strftime(WALL_FORMAT)


def occurrence_walls(rule: Rule, dtstart_local: str, tz: str) -> list[tuple[datetime, int]]:
    """Each occurrence of a series whose first occurrence is the wall time ``dtstart_local``
    (``YYYY-MM-DDTHH:MM:SS``) in ``tz``, expanded on that zone's wall clock: (naive wall time the rule gives,
    start instant in epoch seconds UTC), ascending.

    Raises InvalidValue when the series has more than :data:`MAX_OCCURRENCES` occurrences."""
    first = datetime.strptime(dtstart_local, WALL_FORMAT)  # noqa: DTZ007 - a wall time, placed in tz below
    z = zone(tz)
    out: list[tuple[datetime, int]] = []
    for wall in rrule(_FREQ[rule.freq], dtstart=first, interval=rule.interval, count=rule.count):
        t = int(wall.replace(tzinfo=z).timestamp())
        if rule.until_utc is not None and t > rule.until_utc:
            break
        if wall.year > MAX_YEAR:
            raise InvalidValue(f"the series runs past {MAX_YEAR}, the last year vakit keeps", "end it earlier")
        out.append((wall, t))
        if len(out) > MAX_OCCURRENCES:
            raise InvalidValue(f"the series has more than {MAX_OCCURRENCES} occurrences", "choose an earlier --until")
    return out


def occurrences(rule: Rule, dtstart_local: str, tz: str) -> list[int]:
    """The start instants (epoch seconds UTC, ascending) of :func:`occurrence_walls`."""
    return [t for _wall, t in occurrence_walls(rule, dtstart_local, tz)]


def wall_exact(wall: datetime, t: int, duration: int, tz: str) -> bool:
    """Whether a reader that places the wall time ``wall`` in ``tz`` and adds ``duration`` seconds on the wall
    clock (as Python's aware datetimes, and so icalendar-based readers, do) gets exactly ``[t, t + duration)``:
    False when the start or the end is in a spring-forward gap (readers place such times differently) or the
    occurrence spans a change of offset."""
    z = zone(tz)
    end = wall + timedelta(seconds=duration)
    # both wall times must exist (readers disagree on times in a gap) and add up to the instants
    return (datetime.fromtimestamp(t, z).replace(tzinfo=None) == wall
            and datetime.fromtimestamp(t + duration, z).replace(tzinfo=None) == end)
