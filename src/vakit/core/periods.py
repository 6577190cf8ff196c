"""Calendar periods in a zone, as UTC intervals.

Day, week and month buckets are local dates in the relevant zone turned into
half-open UTC intervals ``[start, end)`` of epoch seconds — never built by adding
24 h to an instant (design.md §5 "Time"; field case C-07).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from vakit.core.clock import UTC, zone
from vakit.core.errors import InvalidValue


def local_midnight_utc(d: date, tz: str) -> int:
    """Epoch seconds of the first instant of local date ``d`` in ``tz``.

    Where midnight falls in a DST gap, zoneinfo's fold=0 reading gives the end of the gap,
    which is the first instant of that day.
    """
    return int(datetime.combine(d, time(0), tzinfo=zone(tz)).astimezone(UTC).timestamp())


@dataclass(frozen=True)
class Period:
    """Local dates ``first`` … ``last`` (inclusive) in zone ``tz``; ``start_utc``/``end_utc`` give the
    half-open UTC interval."""

    first: date
    last: date
    tz: str

    @property
    def start_utc(self) -> int:
        """Epoch seconds of local midnight starting ``first``."""
        return local_midnight_utc(self.first, self.tz)

    @property
    def end_utc(self) -> int:
        """Epoch seconds of local midnight after ``last`` (exclusive)."""
        return local_midnight_utc(self.last + timedelta(days=1), self.tz)

    def days(self) -> list[date]:
        """Every local date of the period, in order."""
        n = (self.last - self.first).days + 1
        return [self.first + timedelta(days=i) for i in range(n)]

    def label(self) -> str:
        """``"2026-10"`` for a whole month, else ``"2026-10-01 – 2026-10-15"``."""
        if self.first.day == 1 and self.last == month_end(self.first):
            return f"{self.first:%Y-%m}"
        return f"{self.first} – {self.last}"


def month_end(d: date) -> date:
    """Last day of ``d``'s month."""
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def parse_month(text: str) -> tuple[int, int]:
    """``"2026-10"`` → ``(2026, 10)``. Raises InvalidValue."""
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})", (text or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InvalidValue(f"could not parse month {text!r}", "use YYYY-MM, e.g. 2026-10")
    if not 1970 <= int(m.group(1)) <= 2199:
        raise InvalidValue(f"month {text} is outside the years vakit keeps (1970–2199)")
    return int(m.group(1)), int(m.group(2))


def month_period(text: str, tz: str) -> Period:
    """The calendar month ``YYYY-MM`` in ``tz``."""
    y, m = parse_month(text)
    first = date(y, m, 1)
    return Period(first, month_end(first), tz)


def day_slices(start_utc: int, end_utc: int, tz: str) -> list[tuple[date, int]]:
    """Split ``[start_utc, end_utc)`` at local midnights in ``tz``: ``[(local date, seconds), …]``.

    The seconds add up to ``end_utc - start_utc`` exactly, also across DST changes.
    """
    out: list[tuple[date, int]] = []
    if end_utc <= start_utc:
        return out
    d = datetime.fromtimestamp(start_utc, zone(tz)).date()
    cur = start_utc
    while cur < end_utc:
        nxt = local_midnight_utc(d + timedelta(days=1), tz)
        stop = min(nxt, end_utc)
        out.append((d, stop - cur))
        cur = stop
        d = d + timedelta(days=1)
    return out


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Seconds shared by half-open intervals ``[a_start, a_end)`` and ``[b_start, b_end)`` (0 if none)."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def union_seconds(intervals: list[tuple[int, int]]) -> int:
    """Seconds covered by the union of half-open intervals (parallel work counted once)."""
    total = 0
    cur_s = cur_e = None
    for s, e in sorted(intervals):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total
