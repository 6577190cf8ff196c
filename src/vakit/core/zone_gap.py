"""The gap between two zones' clocks, and the weeks when it is not the usual one.

Two zones that both keep daylight-saving time change their clocks on different dates (the US in the second
week of March and the first of November, Europe on the last Sundays of March and October), so for a few weeks
a year the difference between their clocks is an hour off what both sides are used to. A call booked then at
"the usual time" is an hour early or late for one of them. :func:`unusual_gap` finds those weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from vakit.core.clock import UTC, zone

#: a difference that holds for fewer days than this around an instant is a passing one, not the usual
PASSING_DAYS = 60
_DAY = 86400


def _gap(t: int, a: str, b: str) -> int:
    """Seconds that zone ``b``'s clock is ahead of zone ``a``'s at instant ``t`` (epoch seconds UTC)."""
    when = datetime.fromtimestamp(t, UTC)
    return int(when.astimezone(zone(b)).utcoffset().total_seconds()
               - when.astimezone(zone(a)).utcoffset().total_seconds())


@dataclass(frozen=True)
class UnusualGap:
    """At the instant asked about, ``b`` is ``gap`` seconds ahead of ``a`` (negative: behind), while for most of
    the year it is ``usual``; the passing gap holds on the UTC dates ``first`` … ``last``."""

    gap: int
    usual: int
    first: date
    last: date


def unusual_gap(t: int, a: str, b: str) -> UnusualGap | None:
    """Whether the clocks of zones ``a`` and ``b`` (IANA names) differ at instant ``t`` by other than their usual
    amount: the difference at ``t`` holds for fewer than :data:`PASSING_DAYS` days in a row, sampled at noon UTC
    each day within half a year of ``t``. Returns the passing and the usual difference with the dates the
    passing one holds, or None (including zones that always differ by the same amount, and zones whose
    difference changes twice a year for months each, such as Manila and New York)."""
    here = _gap(t, a, b)
    noon = t - t % _DAY + _DAY // 2
    before = after = 0
    while before < 183 and _gap(noon - (before + 1) * _DAY, a, b) == here:
        before += 1
    while after < 183 and _gap(noon + (after + 1) * _DAY, a, b) == here:
        after += 1
    if before + after + 1 >= PASSING_DAYS:
        return None
    counts: dict[int, int] = {}
    for k in range(-183, 184, 3):
        g = _gap(noon + k * _DAY, a, b)
        counts[g] = counts.get(g, 0) + 1
    usual = max((g for g in counts if g != here), key=lambda g: counts[g], default=here)
    start = datetime.fromtimestamp(noon, UTC).date()
    return UnusualGap(here, usual, start - timedelta(days=before), start + timedelta(days=after))


def fmt_gap(seconds: int) -> str:
    """``3:00 ahead of`` / ``5:30 behind`` / ``the same as``, for a clock difference in seconds."""
    if seconds == 0:
        return "the same as"
    s = abs(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d} {'ahead of' if seconds > 0 else 'behind'}"


def wall_shifts(starts: list[int], tz: str) -> list[tuple[int, int]]:
    """Where a series of instants (epoch seconds UTC, ascending) changes its time of day on the wall clock of
    ``tz``: (the first start at the new time, the start before it), one pair per change. A weekly call kept at
    09:30 Berlin time moves an hour for someone in Manila when Berlin changes its clocks."""
    z = zone(tz)
    out: list[tuple[int, int]] = []
    before = None
    for t in starts:
        clock = datetime.fromtimestamp(t, z).time()
        if before is not None and clock != before[1]:
            out.append((t, before[0]))
        before = (t, clock)
    return out
