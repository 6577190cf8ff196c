"""VTIMEZONE components in yearly-RRULE form, derived from ``zoneinfo``.

icalendar's generated VTIMEZONE lists every transition as RDATEs, which some
consumers misread (and its DST onset comes out an hour late). Here the UTC-offset
transitions of the zone are found by scanning ``zoneinfo`` over the years the
events span (plus one year either side), then consecutive yearly transitions that
share month, weekday, ordinal, wall time and offsets are expressed as one
observance with ``RRULE:FREQ=YEARLY;BYMONTH=m;BYDAY=nWD`` (RFC 5545 §3.6.5,
§3.3.10). A rule period that ends inside the scanned span gets ``UNTIL`` in UTC
at exactly its last transition, and repeats that transition as an ``RDATE``;
a rule still running at the end of the span has no ``UNTIL``; a transition
that fits no yearly rule becomes an observance with its own DTSTART only.
Correctness comes before compactness.

Why the ``RDATE``: RFC 5545 §3.8.5.3 requires a VTIMEZONE rule's UNTIL in UTC,
but dateutil's ``tzical`` (used by icalendar, recurring-ical-events and vobject)
parses it with ``ignoretz`` and compares it with the observance's *local*
onsets. East of UTC the UTC instant is earlier on the clock than the local
onset, so such readers drop a rule's last transition (Asia/Jerusalem's
2027-03-26 onset, Asia/Gaza's 2026-10-24 change) and keep the old offset
until the next observance. The ``RDATE`` is the same instant, which RFC readers
count once (§3.8.5.3: duplicate instances are ignored) and ``tzical`` keeps.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = ["Transition", "transitions", "vtimezone_lines"]

_STEP = 3 * 3600  # scan step in seconds; no modern zone changes offset twice in 3 h
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    """A change of UTC offset at ``utc`` (epoch seconds); offsets in seconds east of UTC."""

    utc: int
    offset_from: int
    offset_to: int
    tzname: str
    daylight: bool

    @property
    def local_before(self) -> datetime:
        """Wall time of the change in the old offset (the DTSTART form, RFC 5545 §3.6.5)."""
        return datetime.fromtimestamp(self.utc + self.offset_from, UTC).replace(tzinfo=None)

    def ordinals(self) -> set[int]:
        """BYDAY ordinals this date satisfies in its month: 1..4 and/or -1 (the last)."""
        d = self.local_before
        out = set()
        if (d.day - 1) // 7 + 1 <= 4:
            out.add((d.day - 1) // 7 + 1)
        if d.day + 7 > calendar.monthrange(d.year, d.month)[1]:
            out.add(-1)
        return out

    def rule_key(self) -> tuple[int, int, int, int, int, str, bool]:
        """Everything but the year and the ordinal that a yearly rule must share."""
        d = self.local_before
        secs = d.hour * 3600 + d.minute * 60 + d.second
        return (d.month, d.weekday(), secs, self.offset_from, self.offset_to, self.tzname, self.daylight)


def _offset(zone: ZoneInfo, utc: int) -> int:
    off = datetime.fromtimestamp(utc, zone).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def _state(zone: ZoneInfo, utc: int) -> tuple[int, int, str]:
    """(utcoffset s, dst s, tzname) in force at epoch second ``utc``."""
    local = datetime.fromtimestamp(utc, zone)
    off, dst = local.utcoffset(), local.dst()
    return (
        int(off.total_seconds()) if off is not None else 0,
        int(dst.total_seconds()) if dst is not None else 0,
        local.tzname() or "",
    )


def _is_daylight(zone: ZoneInfo, utc: int, offset_from: int, offset_to: int) -> bool:
    """DAYLIGHT for a forward change into or out of a DST regime; STANDARD otherwise.

    Handles negative DST (Europe/Dublin's winter GMT is flagged DST in tzdata) by
    naming the higher offset of a DST pair DAYLIGHT, as consumers expect.
    """
    if offset_to <= offset_from:
        return False
    return _state(zone, utc)[1] != 0 or _state(zone, utc - 1)[1] != 0


@lru_cache(maxsize=4096)
def _year_transitions(tz_name: str, year: int) -> tuple[Transition, ...]:
    zone = ZoneInfo(tz_name)
    start = calendar.timegm((year, 1, 1, 0, 0, 0))
    end = calendar.timegm((year + 1, 1, 1, 0, 0, 0))
    found: list[Transition] = []
    t, off = start, _offset(zone, start)
    while t < end:
        nxt = min(t + _STEP, end)
        off_n = _offset(zone, nxt)
        if off_n != off:
            lo, hi = t, nxt  # offset(lo) == off, offset(hi) != off
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset(zone, mid) == off:
                    lo = mid
                else:
                    hi = mid
            new = _offset(zone, hi)
            if hi < end:  # a change exactly at `end` belongs to the next year
                found.append(Transition(hi, off, new, _state(zone, hi)[2], _is_daylight(zone, hi, off, new)))
            t, off = hi, new
            continue
        t = nxt
    return tuple(found)


def transitions(tz_name: str, first_year: int, last_year: int) -> list[Transition]:
    """All UTC-offset changes of ``tz_name`` from 1 Jan ``first_year`` to 31 Dec ``last_year`` (UTC)."""
    out: list[Transition] = []
    for year in range(first_year, last_year + 1):
        out.extend(_year_transitions(tz_name, year))
    return out


@dataclass
class _Run:
    members: list[Transition]
    ordinals: set[int] = field(default_factory=set)

    @property
    def year(self) -> int:
        return self.members[-1].local_before.year


def _group(trans: list[Transition]) -> list[_Run]:
    """Greedily chain transitions of consecutive years that one yearly RRULE describes."""
    runs: list[_Run] = []
    open_runs: dict[tuple, _Run] = {}
    for tr in trans:
        key, ords = tr.rule_key(), tr.ordinals()
        run = open_runs.get(key)
        if run is not None and run.year == tr.local_before.year - 1 and run.ordinals & ords:
            run.members.append(tr)
            run.ordinals &= ords
        else:
            run = _Run([tr], ords)
            runs.append(run)
            open_runs[key] = run
    return runs


def _fmt_offset(seconds: int) -> str:
    """RFC 5545 §3.3.14 UTC-OFFSET: ``+HHMM`` or ``+HHMMSS``."""
    sign = "-" if seconds < 0 else "+"
    h, rem = divmod(abs(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{sign}{h:02d}{m:02d}" + (f"{s:02d}" if s else "")


def _fmt_local(d: datetime) -> str:
    return d.strftime("%Y%m%dT%H%M%S")


def _fmt_utc(utc: int) -> str:
    return datetime.fromtimestamp(utc, UTC).strftime("%Y%m%dT%H%M%SZ")


def _observance(
    kind: str, dtstart: str, off_from: int, off_to: int, name: str, rrule: str | None, rdate: str | None = None
) -> list[str]:
    lines = [
        f"BEGIN:{kind}",
        f"DTSTART:{dtstart}",
        f"TZOFFSETFROM:{_fmt_offset(off_from)}",
        f"TZOFFSETTO:{_fmt_offset(off_to)}",
    ]
    if name:
        lines.append(f"TZNAME:{name}")
    if rrule:
        lines.append(f"RRULE:{rrule}")
    if rdate:
        lines.append(f"RDATE:{rdate}")
    lines.append(f"END:{kind}")
    return lines


def vtimezone_lines(tz_name: str, first_utc: int, last_utc: int) -> list[str]:
    """Unfolded content lines ``BEGIN:VTIMEZONE`` … ``END:VTIMEZONE`` for IANA zone ``tz_name``.

    ``first_utc`` / ``last_utc`` are epoch seconds (UTC) bounding the events that
    use the zone; the component is exact from the zone's first offset change in
    ``year(first_utc) - 1`` to the end of ``year(last_utc) + 1`` (and from 1970
    when no change precedes ``first_utc``). Observances follow RFC 5545
    §3.6.5: DTSTART is local time in the TZOFFSETFROM offset; recurring changes
    are ``RRULE:FREQ=YEARLY;BYMONTH=m;BYDAY=nWD`` (``-1`` = last in the month),
    with ``UNTIL`` in UTC at the rule's last transition when the rule ends inside
    the span, plus that transition as an ``RDATE`` (in TZOFFSETFROM local time,
    like DTSTART) for readers that take UNTIL as local time. A zone with no
    change in the span gets one STANDARD observance from ``19700101T000000``.
    Raises :class:`zoneinfo.ZoneInfoNotFoundError` for an unknown zone.
    """
    zone = ZoneInfo(tz_name)
    y0 = datetime.fromtimestamp(min(first_utc, last_utc), UTC).year - 1
    y1 = datetime.fromtimestamp(max(first_utc, last_utc), UTC).year + 1
    trans = transitions(tz_name, y0, y1)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tz_name}"]
    if not trans or trans[0].utc > min(first_utc, last_utc):
        # Describe the offset in force before the first change in the span.
        off, dst, name = _state(zone, calendar.timegm((y0, 1, 1, 0, 0, 0)))
        kind = "DAYLIGHT" if dst > 0 else "STANDARD"
        lines += _observance(kind, "19700101T000000", off, off, name, None)
    for run in _group(trans):
        first = run.members[0]
        kind = "DAYLIGHT" if first.daylight else "STANDARD"
        dtstart = _fmt_local(first.local_before)
        rrule = rdate = None
        if len(run.members) > 1:
            d = first.local_before
            ordinal = -1 if -1 in run.ordinals else min(run.ordinals)
            rrule = f"FREQ=YEARLY;BYMONTH={d.month};BYDAY={ordinal}{_WEEKDAYS[d.weekday()]}"
            if run.year < y1:  # the rule stops inside the span: UNTIL is its last transition, in UTC
                last = run.members[-1]
                rrule += f";UNTIL={_fmt_utc(last.utc)}"
                rdate = _fmt_local(last.local_before)  # the same onset, for readers that take UNTIL as local
        lines += _observance(kind, dtstart, first.offset_from, first.offset_to, first.tzname, rrule, rdate)
    lines.append("END:VTIMEZONE")
    return lines
