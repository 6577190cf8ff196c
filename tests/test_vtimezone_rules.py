"""Issue 8 ("Calendars out"): the exported VTIMEZONE, read on its own, gives zoneinfo's offsets.

dateutil's ``tzical`` is the reader: icalendar, recurring-ical-events and vobject
build a zone from a VTIMEZONE with it when they do not look the TZID up by name.
It reads a rule's ``UNTIL`` as local wall time, not UTC, so east of UTC it used
to drop a rule's last transition: Asia/Jerusalem read 10:00 on 10 May 2027 as
UTC+2 (an hour late) and Asia/Gaza / Asia/Hebron stayed on UTC+3 after the
change of 24 October 2026. Each check turns a UTC instant into zoneinfo's local
wall time (with its fold) and asks the tzical zone for that wall time's offset,
which is how a reader resolves ``DTSTART;TZID=…``. The hand-checked tests take
their offsets from the published rules, not from the code.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from dateutil.tz import tzical
from hypothesis import given, settings
from hypothesis import strategies as st

from vakit.core.appointments import Appointment
from vakit.exporters.ics import export_calendar
from vakit.exporters.vtimezone import vtimezone_lines


def utc(*fields: int) -> int:
    """Epoch seconds of a UTC wall time (year, month, day, hour, minute)."""
    return calendar.timegm((*fields, *(0,) * (6 - len(fields))))


#: Events from 2 Jan 2020 to 20 Dec 2035: what ``_timezones`` passes for such a calendar.
SPAN = (utc(2020, 1, 2, 9), utc(2035, 12, 20, 17))
LO, HI = utc(2020, 1, 1), utc(2036, 1, 1)

ZONES = [
    "Asia/Jerusalem",
    "Asia/Gaza",
    "Asia/Hebron",
    "Africa/Casablanca",
    "America/Sao_Paulo",
    "Europe/Moscow",
    "Pacific/Apia",
    "Australia/Lord_Howe",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
]

#: Zones for the property: rule changes, odd weekdays and wall times, negative or 30-minute DST, 45-minute offsets.
INTERESTING = [
    *ZONES,
    "Africa/Cairo",
    "Asia/Amman",
    "Asia/Damascus",
    "Asia/Tehran",
    "Pacific/Fiji",
    "Antarctica/Casey",
    "Antarctica/Troll",
    "America/Santiago",
    "America/Asuncion",
    "America/Mexico_City",
    "America/Nuuk",
    "America/Havana",
    "America/St_Johns",
    "Europe/Dublin",
    "Pacific/Chatham",
    "Pacific/Norfolk",
]


def read_vtimezone(lines: list[str]):
    """The tzinfo dateutil's tzical builds from one VTIMEZONE (unfolded content lines)."""
    return tzical(io.StringIO("\r\n".join(lines) + "\r\n")).get()


def offset_s(t: int, zone) -> int:
    return int(datetime.fromtimestamp(t, zone).utcoffset().total_seconds())


@lru_cache(maxsize=64)
def zone_changes(tz: str, lo: int, hi: int) -> tuple[int, ...]:
    """Reference: first seconds in [lo, hi) at which zoneinfo's offset differs from the second before."""
    zone, out, t = ZoneInfo(tz), [], lo
    step = 6 * 3600
    while t < hi:
        if offset_s(t, zone) != offset_s(t + step, zone):
            a, b = t, t + step
            while b - a > 1:
                mid = (a + b) // 2
                a, b = (mid, b) if offset_s(mid, zone) == offset_s(a, zone) else (a, mid)
            out.append(b)
            t = b
            continue
        t += step
    return tuple(c for c in out if lo <= c < hi)


def sample_instants(tz: str, lo: int, hi: int) -> list[int]:
    """Noon UTC on the 1st and 15th of every month, and every change -1 h, -1 s, at it and +1 h."""
    y0, y1 = datetime.fromtimestamp(lo, UTC).year, datetime.fromtimestamp(hi - 1, UTC).year
    noons = [utc(y, m, d, 12) for y in range(y0, y1 + 1) for m in range(1, 13) for d in (1, 15)]
    near = [c + d for c in zone_changes(tz, lo, hi) for d in (-3600, -1, 0, 3600)]
    return sorted(t for t in {*noons, *near} if lo <= t < hi)


def mismatches(tz: str, reader, instants: list[int]) -> list[tuple[str, str, int, int]]:
    """(UTC, local wall time, zoneinfo offset, tzical offset) where the two disagree."""
    zone, out = ZoneInfo(tz), []
    for t in instants:
        local = datetime.fromtimestamp(t, zone)  # fold=1 in a repeated hour's second pass
        want = int(local.utcoffset().total_seconds())
        got = int(local.replace(tzinfo=reader).utcoffset().total_seconds())
        if got != want:
            at = f"{datetime.fromtimestamp(t, UTC):%Y-%m-%d %H:%M:%S}Z"
            out.append((at, f"{local:%Y-%m-%d %H:%M:%S}", want, got))
    return out


def tzical_offset_h(tz: str, span: tuple[int, int], *wall: int) -> float:
    """Hours east of UTC that tzical gives a (non-repeated) local wall time, from the VTIMEZONE alone."""
    reader = read_vtimezone(vtimezone_lines(tz, *span))
    return datetime(*wall, tzinfo=reader).utcoffset() / timedelta(hours=1)


# --- every zone, 2020-2035 ---------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
def test_tzical_reads_vtimezone_like_zoneinfo_2020_to_2035(tz: str) -> None:
    reader = read_vtimezone(vtimezone_lines(tz, *SPAN))
    instants = sample_instants(tz, LO, HI)
    assert len(instants) >= 16 * 24
    assert mismatches(tz, reader, instants) == []


@pytest.mark.parametrize(
    ("tz", "first", "last"),
    [
        # narrow spans that made a rule end just inside the scanned years (how the issue was met)
        ("Asia/Jerusalem", utc(2025, 6, 1), utc(2027, 6, 1)),
        ("Asia/Gaza", utc(2026, 1, 1), utc(2027, 12, 1)),
        ("Asia/Hebron", utc(2026, 1, 1), utc(2027, 12, 1)),
        ("Pacific/Apia", utc(2020, 6, 1), utc(2022, 6, 1)),
        # rule changes of the zones' past: Israel 2013, Russia 2011/2014, Brazil 2019, Morocco 2018,
        # Samoa's 2011 date-line jump, US 2007, Gaza's Ramadan-dependent years
        ("Asia/Jerusalem", utc(2011, 1, 1), utc(2014, 12, 1)),
        ("Europe/Moscow", utc(2010, 1, 1), utc(2015, 12, 1)),
        ("America/Sao_Paulo", utc(2017, 1, 1), utc(2020, 12, 1)),
        ("Africa/Casablanca", utc(2017, 1, 1), utc(2021, 12, 1)),
        ("Pacific/Apia", utc(2010, 1, 1), utc(2013, 12, 1)),
        ("America/New_York", utc(2006, 1, 1), utc(2008, 12, 1)),
        ("Asia/Gaza", utc(2021, 1, 1), utc(2025, 12, 1)),
        ("Australia/Lord_Howe", utc(2024, 1, 1), utc(2026, 12, 1)),
    ],
    ids=lambda v: v if isinstance(v, str) else f"{datetime.fromtimestamp(v, UTC):%Y-%m}",
)
def test_tzical_reads_rule_changes_like_zoneinfo(tz: str, first: int, last: int) -> None:
    reader = read_vtimezone(vtimezone_lines(tz, first, last))
    lo = utc(datetime.fromtimestamp(first, UTC).year, 1, 1)
    hi = utc(datetime.fromtimestamp(last, UTC).year + 1, 1, 1)
    assert mismatches(tz, reader, sample_instants(tz, lo, hi)) == []


# --- hand-checked instants -----------------------------------------------------

NARROW_ISRAEL = (utc(2025, 6, 1), utc(2027, 6, 1))
NARROW_PALESTINE = (utc(2026, 1, 1), utc(2027, 12, 1))


@pytest.mark.parametrize("span", [SPAN, NARROW_ISRAEL], ids=["2020-2035", "2025-2027"])
def test_israel_may_2027_is_utc_plus_3(span: tuple[int, int]) -> None:
    # Israel: DST from 02:00 on the Friday before the last Sunday of March (26 Mar 2027)
    # to 02:00 on the last Sunday of October (31 Oct 2027).
    assert tzical_offset_h("Asia/Jerusalem", span, 2027, 5, 10, 10) == 3  # before the fix: 2
    assert tzical_offset_h("Asia/Jerusalem", span, 2027, 3, 25, 12) == 2
    assert tzical_offset_h("Asia/Jerusalem", span, 2027, 3, 26, 3, 0) == 3
    assert tzical_offset_h("Asia/Jerusalem", span, 2027, 10, 30, 12) == 3
    assert tzical_offset_h("Asia/Jerusalem", span, 2027, 11, 1, 12) == 2


@pytest.mark.parametrize("tz", ["Asia/Gaza", "Asia/Hebron"])
@pytest.mark.parametrize("span", [SPAN, NARROW_PALESTINE], ids=["2020-2035", "2026-2027"])
def test_gaza_and_hebron_after_24_oct_2026_are_utc_plus_2(tz: str, span: tuple[int, int]) -> None:
    # Palestine (tzdata rules P): DST ends 02:00 on the Saturday on or before 30 October
    # (24 Oct 2026, as 31 Oct is a Saturday) and starts 02:00 on the Saturday on or
    # before 30 March (27 Mar 2027).
    assert tzical_offset_h(tz, span, 2026, 10, 23, 12) == 3
    assert tzical_offset_h(tz, span, 2026, 10, 24, 12) == 2
    assert tzical_offset_h(tz, span, 2026, 11, 15, 10) == 2  # before the fix: 3
    assert tzical_offset_h(tz, span, 2027, 1, 15, 12) == 2
    assert tzical_offset_h(tz, span, 2027, 3, 26, 12) == 2
    assert tzical_offset_h(tz, span, 2027, 3, 27, 12) == 3


def test_apia_after_its_last_dst_in_april_2021_is_utc_plus_13() -> None:
    # Samoa's DST ended 04:00 on 4 Apr 2021 and was not resumed that September.
    for span in (SPAN, (utc(2020, 6, 1), utc(2022, 6, 1))):
        assert tzical_offset_h("Pacific/Apia", span, 2021, 4, 3, 12) == 14
        assert tzical_offset_h("Pacific/Apia", span, 2021, 6, 1, 12) == 13
        assert tzical_offset_h("Pacific/Apia", span, 2021, 12, 1, 12) == 13  # before the fix: 14
        assert tzical_offset_h("Pacific/Apia", span, 2025, 1, 15, 12) == 13


# --- through the exporter, icalendar and recurring-ical-events --------------------


def appointment(uid: str, start: int, tz: str) -> Appointment:
    return Appointment(
        id=1,
        uid=uid,
        client_id=1,
        client_name="Tulip BV",
        title="Call",
        location="",
        start_utc=start,
        end_utc=start + 1800,
        tz=tz,
        status="CONFIRMED",
        sequence=0,
        created_utc=utc(2025, 1, 2, 3, 4),
        modified_utc=utc(2025, 1, 5, 6, 7),
    )


def unfold(data: bytes) -> list[str]:
    return re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8").split("\r\n")[:-1]


def instants_from_vtimezone(data: bytes, tz: str) -> dict[str, tuple[int, int]]:
    """UID -> (start, end) as recurring-ical-events reads them once the TZID names no known zone."""
    custom = f"Vakit Test {tz.replace('/', ' ')}"
    data = data.replace(f"TZID:{tz}\r\n".encode(), f"TZID:{custom}\r\n".encode())
    data = data.replace(f"TZID={tz}:".encode(), f"TZID={custom}:".encode())
    cal = icalendar.Calendar.from_ical(data)
    events = recurring_ical_events.of(cal).between(datetime(2019, 1, 1, tzinfo=UTC), datetime(2037, 1, 1, tzinfo=UTC))
    return {str(e["UID"]): (int(e["DTSTART"].dt.timestamp()), int(e["DTEND"].dt.timestamp())) for e in events}


@pytest.mark.parametrize("tz", ["Asia/Jerusalem", "Asia/Gaza", "Asia/Hebron"])
def test_exported_calendar_keeps_israel_may_2027_and_palestine_winter_2026(tz: str) -> None:
    # 10:00 local on the 10th of every other month 2025-2028, plus the two instants of the issue
    zone = ZoneInfo(tz)
    walls = [(y, m, 10, 10) for y in range(2025, 2029) for m in range(1, 13, 2)]
    walls += [(2027, 5, 10, 10), (2026, 11, 15, 10)]
    starts = sorted({int(datetime(*w, tzinfo=zone).timestamp()) for w in walls})
    appts = [appointment(f"a{i}", s, tz) for i, s in enumerate(starts)]
    data = export_calendar(appts, dtstamp_utc=utc(2025, 6, 1, 12), calendar_name="x")
    lines = unfold(data)
    begin, end = lines.index("BEGIN:VTIMEZONE"), lines.index("END:VTIMEZONE")
    assert lines[begin : end + 1] == vtimezone_lines(tz, starts[0], starts[-1] + 1800)  # as _timezones calls it
    assert instants_from_vtimezone(data, tz) == {a.uid: (a.start_utc, a.end_utc) for a in appts}
    if tz == "Asia/Jerusalem":
        assert utc(2027, 5, 10, 7) in starts  # 10:00 IDT
    else:
        assert utc(2026, 11, 15, 8) in starts  # 10:00 EET


# --- UNTIL: exactly the last transition, absent while a rule still runs -----------


def observances(lines: list[str]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for line in lines:
        if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            out.append({})
        elif out and ":" in line and not line.startswith(("END:", "BEGIN:")):
            key, value = line.split(":", 1)
            out[-1][key] = value
    return out


def _utc_offset(text: str) -> int:
    sign = -1 if text[0] == "-" else 1
    return sign * (int(text[1:3]) * 3600 + int(text[3:5]) * 60 + int(text[5:7] or 0))


def is_change(zone: ZoneInfo, t: int, off_from: int, off_to: int) -> bool:
    return offset_s(t - 1, zone) == off_from and offset_s(t, zone) == off_to


@pytest.mark.parametrize("tz", ZONES)
def test_until_is_exactly_the_last_transition_and_a_running_rule_has_none(tz: str) -> None:
    zone = ZoneInfo(tz)
    for obs in observances(vtimezone_lines(tz, *SPAN)):
        if "RRULE" not in obs:
            continue
        off_from, off_to = _utc_offset(obs["TZOFFSETFROM"]), _utc_offset(obs["TZOFFSETTO"])
        parts = dict(p.split("=") for p in obs["RRULE"].split(";"))
        until = parts.pop("UNTIL", None)
        start = datetime.strptime(obs["DTSTART"], "%Y%m%dT%H%M%S")  # noqa: DTZ007 - floating local time
        rule = rrulestr("RRULE:" + ";".join(f"{k}={v}" for k, v in parts.items()), dtstart=start)
        horizon = datetime(2037, 1, 1)  # noqa: DTZ001 - compared with floating local times
        onsets = [calendar.timegm(lt.timetuple()) - off_from for lt in rule.between(start, horizon)]
        if until is not None:
            last = calendar.timegm(time.strptime(until, "%Y%m%dT%H%M%SZ"))
            assert last in onsets and is_change(zone, last, off_from, off_to), (tz, obs)
            assert all(is_change(zone, t, off_from, off_to) for t in onsets if t <= last), (tz, obs)
            assert not is_change(zone, min(t for t in onsets if t > last), off_from, off_to), (tz, obs)
            # the last onset again, as local time: what readers that take UNTIL as local time need
            assert obs["RDATE"] == f"{datetime.fromtimestamp(last + off_from, UTC):%Y%m%dT%H%M%S}", (tz, obs)
        else:
            assert "RDATE" not in obs
            # still running at the end of the scanned years (2019-2036)
            assert all(is_change(zone, t, off_from, off_to) for t in onsets if t < utc(2037, 1, 1)), (tz, obs)


def test_jerusalem_2027_rule_ends_with_utc_until_and_rdate() -> None:
    # Friday before the last Sunday of March is the last Friday in 2024-2027 but the 4th in 2028:
    # the -1FR rule ends at 26 Mar 2027 02:00 IST = 00:00Z.
    lines = vtimezone_lines("Asia/Jerusalem", *NARROW_ISRAEL)
    i = lines.index("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1FR;UNTIL=20270326T000000Z")
    assert lines[i + 1] == "RDATE:20270326T020000"


# --- property ----------------------------------------------------------------------


@st.composite
def zone_span_instant(draw: st.DrawFn) -> tuple[str, int, int, int]:
    tz = draw(st.sampled_from(INTERESTING))
    a, b = draw(st.integers(LO, HI - 1)), draw(st.integers(LO, HI - 1))
    first, last = min(a, b), max(a, b)
    changes = [c for c in zone_changes(tz, LO, HI) if first <= c <= last]
    if changes and draw(st.booleans()):
        t = draw(st.sampled_from(changes)) + draw(st.integers(-7200, 7200))
    else:
        t = draw(st.integers(first, last))
    return tz, first, last, min(max(t, first), last)


@settings(max_examples=40, deadline=None)
@given(zone_span_instant())
def test_property_tzical_agrees_with_zoneinfo_for_random_zones_spans_and_instants(case) -> None:
    tz, first, last, t = case
    reader = read_vtimezone(vtimezone_lines(tz, first, last))
    assert mismatches(tz, reader, [t]) == []
