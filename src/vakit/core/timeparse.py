"""Reading typed dates and times: ``yesterday 14:00``, ``monday 9am``, ``2026-10-05 14:00``,
``15 minutes ago``, ``12:00 noon``, ``01:30+01:00``.

Rules (design.md §5 "Time"; field cases C-01, C-02, C-03, C-05, C-08):
- every token must be understood, or :class:`InvalidValue` is raised and nothing happens;
- ``log`` looks back (``direction="past"``: "monday" is the last Monday, today included),
  ``schedule`` looks forward (``"future"``: "friday" is the coming Friday, today included;
  "next friday" is the Friday after that);
- 12-hour times need an hour 1–12 (``0:30pm`` is refused); 12am is 00:00, 12pm is 12:00;
- a wall time inside a DST gap is refused naming the gap; a wall time that happens twice is
  refused unless an offset is given (``01:30+01:00``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from vakit.core.clock import UTC, zone
from vakit.core.durations import parse_duration
from vakit.core.errors import InvalidValue

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WD = {name: i for i, name in enumerate(WEEKDAYS)} | {name[:3]: i for i, name in enumerate(WEEKDAYS)}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTHS = {m: i + 1 for i, m in enumerate(MONTHS)} | {
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
    "august": 8, "september": 9, "sept": 9, "october": 10, "november": 11, "december": 12,
}
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_ISO_DT = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})t(.+)$")
_TIME = re.compile(r"^([0-9]{1,2})(?::([0-9]{2}))?(?::([0-9]{2}))?(am|pm|a\.m\.|p\.m\.)?(z|[+-][0-9]{2}:?[0-9]{2})?$")
_OFFSET = re.compile(r"^(z|[+-][0-9]{2}:?[0-9]{2})$")


@dataclass(frozen=True)
class WallTime:
    """A time of day as typed: ``hour``/``minute``/``second`` and an optional fixed UTC offset."""

    hour: int
    minute: int
    second: int = 0
    offset: timezone | None = None


def parse_date(text: str, *, today: date, direction: str = "past") -> date:
    """Read a date alone: ISO ``2026-10-05``, ``today``, ``yesterday``, ``tomorrow``, a weekday,
    ``next friday``, ``last monday``, ``5 Oct 2026``, ``Oct 5``.

    ``today`` is the local date the words are relative to. Raises InvalidValue.
    """
    tokens = _tokens(text)
    d, rest = _take_date(tokens, today, direction)
    if d is None or rest:
        raise InvalidValue(f"could not parse date {text!r}", "use YYYY-MM-DD, today, yesterday or a weekday")
    return check_year(d)


def parse_when(text: str, *, tz: str, now: datetime, direction: str = "past",
               default_date: date | None = None) -> datetime:
    """Read a date and time typed in zone ``tz`` and return an aware UTC datetime.

    ``now`` is the current instant (aware). ``default_date`` (local) is used when only a
    time is given; otherwise today in ``tz``. Dates such as ``tomorrow`` and weekdays are days of ``tz``;
    looking forward, a bare weekday that is today but whose time has passed is next week's. ``now``,
    ``<duration> ago`` and ``in <duration>`` are relative to ``now``. Raises InvalidValue for anything not
    understood, a wall time in a DST gap, or an ambiguous wall time without an offset.
    """
    raw = text
    s = (text or "").strip()
    if not s:
        raise InvalidValue("empty date/time")
    low = s.lower()
    if low == "now":
        return now.astimezone(UTC)
    rel = re.match(r"^(.+?)\s+ago$", low)
    if rel:
        return _relative(now, -_rel_duration(rel.group(1), raw))
    rel = re.match(r"^in\s+(.+)$", low)
    if rel:
        return _relative(now, _rel_duration(rel.group(1), raw))
    iso = _ISO_DT.match(low)
    if iso:
        low = f"{iso.group(1)} {iso.group(2)}"
    tokens = _tokens(low)
    today = now.astimezone(zone(tz)).date()
    d, rest = _take_date(tokens, today, direction)
    wall = _take_time(rest, raw)
    if wall is None:
        if d is None:
            raise InvalidValue(f"could not parse {raw!r}", "e.g. '2026-10-05 14:00', 'yesterday 9am', '15m ago'")
        wall = WallTime(0, 0)
    if d is None and default_date is None and direction == "future":
        # looking forward, a bare time that has passed today means tomorrow
        t = resolve_wall(today, wall, tz)
        return t if t >= now else resolve_wall(today + timedelta(days=1), wall, tz)
    if d is None:
        d = default_date or today
    t = resolve_wall(d, wall, tz)
    if direction == "future" and d == today and tokens and tokens[0] in _WD and t < now:
        # looking forward, a bare weekday that is today but whose time has passed means the next one (the
        # weekday is read in ``tz``: on a Tuesday morning in Manila, "monday 08:30" for Chicago is next week's)
        t = resolve_wall(d + timedelta(days=7), wall, tz)
    return t


def parse_time_of_day(text: str) -> WallTime:
    """Read a time of day alone (``14:00``, ``9am``, ``12:00 noon``, ``01:30+01:00``). Raises InvalidValue."""
    wall = _take_time(_tokens(text.lower()), text)
    if wall is None:
        raise InvalidValue(f"could not parse time {text!r}")
    return wall


MIN_YEAR, MAX_YEAR = 1970, 2199


def check_year(d: date) -> date:
    """``d`` if its year is within 1970–2199 (the range vakit keeps); raises InvalidValue otherwise."""
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise InvalidValue(f"{d} is outside the years vakit keeps ({MIN_YEAR}–{MAX_YEAR})")
    return d


def resolve_wall(d: date, wall: WallTime, tz: str) -> datetime:
    """Turn a local date + wall time in ``tz`` into an aware UTC datetime.

    Raises InvalidValue when the wall time does not exist (DST gap) or happens twice
    (DST fall-back) and no offset was given; an explicit offset must be one the zone
    really uses at that wall time.
    """
    zi = zone(tz)
    check_year(d)
    naive = datetime.combine(d, time(wall.hour, wall.minute, wall.second))
    label = f"{wall.hour:02d}:{wall.minute:02d}"
    if wall.offset is not None:
        fixed = naive.replace(tzinfo=wall.offset)
        if fixed.astimezone(zi).replace(tzinfo=None) != naive:
            raise InvalidValue(f"{label}{_fmt_offset(wall.offset)} is not a wall time on {d} in {tz}")
        return fixed.astimezone(UTC)
    first = naive.replace(tzinfo=zi, fold=0)
    second = naive.replace(tzinfo=zi, fold=1)
    if first.astimezone(UTC).astimezone(zi).replace(tzinfo=None) != naive:
        jump_from, jump_to = _gap_bounds(first)
        raise InvalidValue(f"{label} does not exist on {d} in {tz} (clocks jump {jump_from}→{jump_to})")
    if first.utcoffset() != second.utcoffset():
        a, b = _fmt_offset(first.utcoffset()), _fmt_offset(second.utcoffset())
        raise InvalidValue(
            f"{label} happens twice on {d} in {tz} (clocks go back)",
            f"add the offset: '{label}{a}' for the first, '{label}{b}' for the second",
        )
    return first.astimezone(UTC)


def _gap_bounds(inside: datetime) -> tuple[str, str]:
    """Wall clock readings just before and just after the DST gap that ``inside`` (fold=0) falls in."""
    zi = inside.tzinfo
    before = inside.utcoffset()
    lo = int(inside.astimezone(UTC).timestamp()) - 6 * 3600
    hi = lo + 12 * 3600
    # binary search the first instant whose offset differs from the offset before the gap
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zi).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    after = datetime.fromtimestamp(hi, zi)
    return f"{datetime.fromtimestamp(hi, timezone(before)):%H:%M}", f"{after:%H:%M}"


def _fmt_offset(off: timedelta | timezone | None) -> str:
    if isinstance(off, timezone):
        off = off.utcoffset(None)
    total = int(off.total_seconds()) if off is not None else 0
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return f"{sign}{total // 3600:02d}:{total % 3600 // 60:02d}"


def _relative(now: datetime, seconds: int) -> datetime:
    try:
        t = (now + timedelta(seconds=seconds)).astimezone(UTC)
    except OverflowError as exc:
        raise InvalidValue("that is outside the years vakit keeps") from exc
    check_year(t.date())
    return t


def _rel_duration(text: str, raw: str) -> int:
    words = {"minutes": "m", "minute": "m", "mins": "m", "min": "m", "hours": "h", "hour": "h", "hrs": "h", "hr": "h"}
    parts = text.split()
    if len(parts) == 2 and parts[0].isascii() and parts[0].isdigit() and parts[1] in words:
        return int(parts[0]) * (60 if words[parts[1]] == "m" else 3600)
    try:
        return parse_duration(text.replace(" ", ""))
    except InvalidValue as exc:
        raise InvalidValue(f"could not parse {raw!r}", "e.g. '15 minutes ago', '2h ago'") from exc


def _tokens(text: str) -> list[str]:
    s = text.strip().lower().replace(",", " ")
    s = re.sub(r"\s+(am|pm|a\.m\.|p\.m\.)\b", r"\1", s)
    return [t for t in s.split() if t]


def _take_date(tokens: list[str], today: date, direction: str) -> tuple[date | None, list[str]]:
    if not tokens:
        return None, tokens
    t0 = tokens[0]
    if t0 == "today":
        return today, tokens[1:]
    if t0 == "yesterday":
        return today - timedelta(days=1), tokens[1:]
    if t0 == "tomorrow":
        return today + timedelta(days=1), tokens[1:]
    m = _ISO_DATE.match(t0)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), tokens[1:]
        except ValueError as exc:
            raise InvalidValue(f"{t0!r} is not a calendar date") from exc
    if t0 in ("next", "last", "this") and len(tokens) > 1 and tokens[1] in _WD:
        return _weekday(_WD[tokens[1]], today, t0, direction), tokens[2:]
    if t0 in _WD:
        return _weekday(_WD[t0], today, "", direction), tokens[1:]
    # "5 oct [2026]" or "oct 5 [2026]"
    if len(tokens) >= 2:
        day_s, mon_s = (t0, tokens[1]) if t0.isascii() and t0.isdigit() else (tokens[1], t0)
        if day_s.isascii() and day_s.isdigit() and mon_s in _MONTHS:
            rest = tokens[2:]
            year = None
            if rest and re.fullmatch(r"[0-9]{4}", rest[0]):
                year, rest = int(rest[0]), rest[1:]
            try:
                d = date(year or today.year, _MONTHS[mon_s], int(day_s))
                if year is None:
                    d = _nearest_year(d, today, direction)
            except ValueError as exc:
                raise InvalidValue(f"{' '.join(tokens[:2])!r} is not a calendar date") from exc
            return d, rest
    if re.fullmatch(r"[0-9]{1,2}/[0-9]{1,2}(/[0-9]{2,4})?", t0):
        raise InvalidValue(f"{t0!r} is ambiguous (day/month or month/day?)", "use YYYY-MM-DD")
    return None, tokens


def _nearest_year(d: date, today: date, direction: str) -> date:
    if direction == "past" and d > today:
        return d.replace(year=d.year - 1)
    if direction == "future" and d < today:
        return d.replace(year=d.year + 1)
    return d


def _weekday(wd: int, today: date, qualifier: str, direction: str) -> date:
    """Resolve a weekday name. past: the most recent (today included); future: the coming one
    (today included); 'next' = one week after the coming one; 'last' = the most recent before today."""
    if qualifier == "last":
        back = (today.weekday() - wd) % 7 or 7
        return today - timedelta(days=back)
    if qualifier == "next":
        ahead = (wd - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead + 7 if ahead < 7 else ahead)
    if direction == "future" or qualifier == "this":
        return today + timedelta(days=(wd - today.weekday()) % 7)
    return today - timedelta(days=(today.weekday() - wd) % 7)


def _take_time(tokens: list[str], raw: str) -> WallTime | None:
    if not tokens:
        return None
    toks = list(tokens)
    offset = None
    if len(toks) >= 2 and _OFFSET.match(toks[-1]):
        offset = _parse_offset(toks.pop())
    if toks == ["noon"] or toks[-1:] == ["noon"] and len(toks) == 2:
        if len(toks) == 2 and not re.fullmatch(r"12(:00)?", toks[0]):
            raise InvalidValue(f"could not parse {raw!r}: only 12:00 is noon")
        return WallTime(12, 0, 0, offset)
    if toks == ["midnight"]:
        return WallTime(0, 0, 0, offset)
    if len(toks) != 1:
        raise InvalidValue(f"could not parse {raw!r}", "e.g. '2026-10-05 14:00', 'yesterday 9am', '15m ago'")
    m = _TIME.match(toks[0])
    if not m or (m.group(2) is None and m.group(4) is None):
        raise InvalidValue(f"could not parse {raw!r}", "e.g. '2026-10-05 14:00', 'yesterday 9am', '15m ago'")
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    ampm = (m.group(4) or "").replace(".", "")
    if m.group(5):
        if offset is not None:
            raise InvalidValue(f"could not parse {raw!r}: two offsets")
        offset = _parse_offset(m.group(5))
    if ampm:
        if not 1 <= hour <= 12:
            raise InvalidValue(f"could not parse {raw!r}: with am/pm the hour must be 1-12")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidValue(f"could not parse {raw!r}: {toks[0]} is not a time of day")
    return WallTime(hour, minute, second, offset)


def _parse_offset(text: str) -> timezone:
    if text == "z":
        return UTC
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        raise InvalidValue(f"offset {text!r} is out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def has_date(text: str, today: date) -> bool:
    """Whether ``text`` names a date or an instant of its own (not just a time of day)."""
    low = (text or "").strip().lower()
    return bool(_ISO_DT.match(low)) or low == "now" or low.endswith(" ago") or low.startswith("in ") \
        or _take_date(_tokens(low), today, "past")[0] is not None


def parse_end(text: str, *, start: datetime, tz: str, now: datetime) -> datetime:
    """Read an end time typed after ``start`` (aware): with a date it is taken as written; a time alone is
    the first such wall time *after* the start (``23:00`` → ``01:00`` spans midnight; field case C-05).

    Returns an aware UTC datetime. Raises InvalidValue.
    """
    if has_date(text, now.astimezone(zone(tz)).date()):
        return parse_when(text, tz=tz, now=now, direction="past")
    wall = parse_time_of_day(text)
    day = start.astimezone(zone(tz)).date()
    if wall.offset is None:
        # on a fall-back night the start settles which of the two readings is meant: the first after it
        same_day = wall_readings(day, wall, tz)
        if same_day:  # (none: a DST gap, refused by resolve_wall below)
            later = [t for t in same_day if t > start] or wall_readings(day + timedelta(days=1), wall, tz)
            if later:
                return min(later)
    end = resolve_wall(day, wall, tz)
    if end <= start:
        end = resolve_wall(day + timedelta(days=1), wall, tz)
    return end


def wall_readings(d: date, wall: WallTime, tz: str) -> list[datetime]:
    """Every UTC instant at which zone ``tz`` shows ``wall`` on local date ``d``: none in a DST gap,
    two on a fall-back night, else one."""
    zi = zone(tz)
    naive = datetime.combine(d, time(wall.hour, wall.minute, wall.second))
    out = []
    for fold in (0, 1):
        t = naive.replace(tzinfo=zi, fold=fold).astimezone(UTC)
        if t.astimezone(zi).replace(tzinfo=None) == naive and t not in out:
            out.append(t)
    return sorted(out)
