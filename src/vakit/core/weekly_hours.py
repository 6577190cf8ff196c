"""Weekly working hours as typed (``Mon-Fri 09:00-12:00,13:00-17:00``) and as UTC intervals.

A week is ``{weekday: [(start_minute, end_minute), …]}`` (Monday 0) of wall times in one IANA zone; ``24:00``
ends a day. A range never crosses midnight (write ``Mon 22:00-24:00`` and ``Tue 00:00-02:00``); ranges of one
day may touch but not overlap. Each local date is turned into instants on its own, so a week typed in summer
still means 09:00 local after the clocks change (field case C-09): a wall time that happens twice is its first
reading, one that does not exist (a DST gap) is the instant the clocks jump.

Intervals are half-open ``[start, end)`` epoch seconds, sorted and merged.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from vakit.core.clock import UTC, zone
from vakit.core.errors import InvalidValue

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAYS = {n.lower(): i for i, n in enumerate(DAY_NAMES)} | {
    n: i for i, n in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_CLOCK = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_HELP = "write e.g. \"Mon-Fri 09:00-17:00\" or \"Mon,Wed 09:00-12:00,13:00-17:00\""

Week = dict[int, list[tuple[int, int]]]
Interval = tuple[int, int]


def _day(name: str, spec: str) -> int:
    if name.lower() not in _DAYS:
        raise InvalidValue(f"unknown weekday {name!r} in working hours {spec!r}",
                           "use Mon, Tue, Wed, Thu, Fri, Sat, Sun")
    return _DAYS[name.lower()]


def _minute(text: str, spec: str) -> int:
    m = _CLOCK.match(text)
    if not m or int(m.group(2)) > 59 or int(m.group(1)) > 24 or (int(m.group(1)) == 24 and m.group(2) != "00"):
        raise InvalidValue(f"could not read time {text!r} in working hours {spec!r}", _HELP)
    return int(m.group(1)) * 60 + int(m.group(2))


def fmt_minute(m: int) -> str:
    """Minutes after midnight → ``"09:00"`` (1440 → ``"24:00"``)."""
    return f"{m // 60:02d}:{m % 60:02d}"


def parse_week(specs: list[str]) -> Week:
    """Read ``--set`` texts (``"Mon-Fri 09:00-17:00"``, ``"Sat 10:00-12:00"``, ``"Mon,Wed 09:00-12:00,13:00-17:00"``)
    into one week. Raises InvalidValue naming the problem: an unknown weekday, a day range that runs backwards,
    an unreadable time, a range that ends before it starts (or crosses midnight), ranges of a day that overlap."""
    week: Week = {}
    for spec in specs:
        parts = (spec or "").replace("–", "-").split(None, 1)
        if len(parts) != 2:
            raise InvalidValue(f"could not read working hours {spec!r}", _HELP)
        days: list[int] = []
        for item in parts[0].split(","):
            first, sep, last = item.partition("-")
            a = _day(first.strip(), spec)
            b = _day(last.strip(), spec) if sep else a
            if b < a:
                rest = f"Mon-{DAY_NAMES[b]}" if b else "Mon"
                raise InvalidValue(f"{item} runs backwards in working hours {spec!r}",
                                   f"write {DAY_NAMES[a]}-Sun,{rest}")
            days += range(a, b + 1)
        for item in parts[1].replace(" ", "").split(","):
            start_s, sep, end_s = item.partition("-")
            if not sep:
                raise InvalidValue(f"could not read {item!r} in working hours {spec!r}", _HELP)
            start, end = _minute(start_s, spec), _minute(end_s, spec)
            if end <= start:
                raise InvalidValue(f"working hours {item} end before they start ({spec!r})",
                                   "a range cannot cross midnight: write Mon 22:00-24:00 and Tue 00:00-02:00")
            for d in days:
                week.setdefault(d, []).append((start, end))
    for d, ranges in week.items():
        ranges.sort()
        if len(set(ranges)) != len(ranges):
            raise InvalidValue(f"{DAY_NAMES[d]} {fmt_minute(ranges[0][0])}-{fmt_minute(ranges[0][1])} is given twice"
                               " in the working hours")
        for (s1, e1), (s2, e2) in zip(ranges, ranges[1:]):
            if s2 < e1:
                raise InvalidValue(f"working hours {fmt_minute(s1)}-{fmt_minute(e1)} and {fmt_minute(s2)}-"
                                   f"{fmt_minute(e2)} overlap on {DAY_NAMES[d]}", "give each time of a day once")
    return week


def fmt_week(week: Week) -> list[str]:
    """A week as lines, days with the same ranges grouped: ``["Mon-Fri 09:00-17:00", "Sat 10:00-12:00"]``."""
    lines: list[str] = []
    d = 0
    while d < 7:
        ranges = week.get(d)
        if not ranges:
            d += 1
            continue
        last = d
        while last + 1 < 7 and week.get(last + 1) == ranges:
            last += 1
        days = DAY_NAMES[d] if last == d else f"{DAY_NAMES[d]}{'-' if last > d + 1 else ','}{DAY_NAMES[last]}"
        lines.append(f"{days} {','.join(f'{fmt_minute(s)}-{fmt_minute(e)}' for s, e in ranges)}")
        d = last + 1
    return lines


def wall_instant(d: date, minute: int, tz: str) -> int:
    """Epoch seconds at which zone ``tz`` first shows ``minute`` (after midnight; 1440 = the next midnight) on local
    date ``d``, or, for a wall time the clocks skip, the instant they jump."""
    if minute >= 1440:
        d, minute = d + timedelta(days=minute // 1440), minute % 1440
    zi = zone(tz)
    naive = datetime.combine(d, time(minute // 60, minute % 60))
    after = naive.replace(tzinfo=zi, fold=0).astimezone(UTC)
    if after.astimezone(zi).replace(tzinfo=None) == naive:
        return int(after.timestamp())
    lo, hi = int(naive.replace(tzinfo=zi, fold=1).timestamp()), int(after.timestamp())
    if lo > hi:
        lo, hi = hi, lo
    while hi - lo > 1:  # the first instant whose wall reading is at or past ``naive``
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zi).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return hi


def merge(intervals: list[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined; empty ones dropped."""
    out: list[Interval] = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """Where both merged interval lists cover."""
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: list[Interval], holes: list[Interval]) -> list[Interval]:
    """``a`` (merged) without ``holes``."""
    out = []
    holes = merge(holes)
    for s, e in a:
        cur = s
        for hs, he in holes:
            if he <= cur or hs >= e:
                continue
            if hs > cur:
                out.append((cur, hs))
            cur = max(cur, he)
        if cur < e:
            out.append((cur, e))
    return out


def working_intervals(week: Week, tz: str, lo: int, hi: int) -> list[Interval]:
    """The week's working time in ``tz`` as merged UTC intervals, for every local date touching ``[lo, hi)``."""
    zi = zone(tz)
    first = datetime.fromtimestamp(lo, zi).date() - timedelta(days=1)
    last = datetime.fromtimestamp(hi, zi).date() + timedelta(days=1)
    out = []
    d = first
    while d <= last:
        for s, e in week.get(d.weekday(), []):
            out.append((wall_instant(d, s, tz), wall_instant(d, e, tz)))
        d += timedelta(days=1)
    return merge(out)


def within(intervals: list[Interval], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of the merged ``intervals``."""
    return any(s <= start and end <= e for s, e in intervals)
