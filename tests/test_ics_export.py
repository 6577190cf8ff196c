"""Tests for the .ics exporter and its yearly-RRULE VTIMEZONE (RFC 5545).

Expected UTC instants are written by hand from the zones' published rules
(e.g. Amsterdam is UTC+2 in summer, New York UTC-4), not computed by the code
under test. Independent readers check the output: icalendar, recurring-ical-events,
dateutil's rrule and dateutil's tzical.
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vakit.core.appointments import Appointment
from vakit.core.errors import InvalidValue
from vakit.exporters.ics import escape_text, export_calendar, fold_line
from vakit.exporters.vtimezone import vtimezone_lines

DTSTAMP = calendar.timegm((2025, 6, 1, 12, 0, 0))


def utc(*fields: int) -> int:
    """Epoch seconds of a UTC wall time (year, month, day, hour, minute)."""
    return calendar.timegm((*fields, *(0,) * (6 - len(fields))))


def appt(uid: str, start: int, minutes: int, tz: str, **kw) -> Appointment:
    base = dict(
        id=1,
        uid=uid,
        client_id=1,
        client_name="Tulip BV",
        title="Call",
        location="",
        start_utc=start,
        end_utc=start + minutes * 60,
        tz=tz,
        status="CONFIRMED",
        sequence=0,
        created_utc=utc(2025, 1, 2, 3, 4),
        modified_utc=utc(2025, 1, 5, 6, 7),
    )
    base.update(kw)
    return Appointment(**base)


def unfold(data: bytes) -> list[str]:
    """Logical content lines (RFC 5545 §3.1 unfolding)."""
    return re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8").split("\r\n")[:-1]


def instants(data: bytes) -> dict[str, tuple[int, int]]:
    """UID -> (start, end) epoch seconds, as recurring-ical-events reads the calendar."""
    cal = icalendar.Calendar.from_ical(data)
    events = recurring_ical_events.of(cal).between(datetime(1990, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC))
    return {str(e["UID"]): (int(e["DTSTART"].dt.timestamp()), int(e["DTEND"].dt.timestamp())) for e in events}


# --- C-27 -------------------------------------------------------------------


def test_c27_vtimezone_before_events_with_both_observances() -> None:
    data = export_calendar(
        [
            appt("b@vakit", utc(2025, 11, 3, 9, 0), 45, "Europe/Amsterdam"),  # 10:00 CET
            appt("a@vakit", utc(2025, 3, 31, 8, 0), 45, "Europe/Amsterdam"),  # 10:00 CEST
        ],
        dtstamp_utc=DTSTAMP,
        calendar_name="Tulip",
    )
    lines = unfold(data)
    assert lines.count("BEGIN:VTIMEZONE") == 1
    assert lines.count("TZID:Europe/Amsterdam") == 1
    tz_at, first_event = lines.index("BEGIN:VTIMEZONE"), lines.index("BEGIN:VEVENT")
    tz_end = lines.index("END:VTIMEZONE")
    assert tz_at < tz_end < first_event
    block = lines[tz_at:tz_end]
    daylight = block[block.index("BEGIN:DAYLIGHT") : block.index("END:DAYLIGHT")]
    standard = block[block.index("BEGIN:STANDARD") : block.index("END:STANDARD")]
    assert {"TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"} <= set(
        daylight
    )
    assert {"TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"} <= set(
        standard
    )
    starts = [line for line in lines if line.startswith("DTSTART;")]
    assert starts == ["DTSTART;TZID=Europe/Amsterdam:20250331T100000", "DTSTART;TZID=Europe/Amsterdam:20251103T100000"]
    assert "DTEND;TZID=Europe/Amsterdam:20250331T104500" in lines
    assert instants(data) == {
        "a@vakit": (utc(2025, 3, 31, 8, 0), utc(2025, 3, 31, 8, 45)),
        "b@vakit": (utc(2025, 11, 3, 9, 0), utc(2025, 11, 3, 9, 45)),
    }


def test_calendar_header_and_event_properties() -> None:
    a = appt(
        "x1@vakit",
        utc(2025, 7, 8, 12, 0),
        60,
        "Europe/Berlin",
        title="Weekly sync",
        location="https://meet.example.com/abc",
        description="Agenda",
    )
    lines = unfold(export_calendar([a], dtstamp_utc=DTSTAMP, calendar_name="Acme, Inc."))
    assert lines[:6] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//vakit//vakit//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Acme\\, Inc.",
    ]
    event = lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT") + 1]
    assert event == [
        "BEGIN:VEVENT",
        "UID:x1@vakit",
        "DTSTAMP:20250601T120000Z",
        "CREATED:20250102T030400Z",
        "LAST-MODIFIED:20250105T060700Z",
        "DTSTART;TZID=Europe/Berlin:20250708T140000",
        "DTEND;TZID=Europe/Berlin:20250708T150000",
        "SUMMARY:Weekly sync",
        "LOCATION:https://meet.example.com/abc",
        "URL:https://meet.example.com/abc",
        "DESCRIPTION:Agenda",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    assert lines[-1] == "END:VCALENDAR"


def test_events_sorted_by_start_then_uid_and_utc_zone_has_no_vtimezone() -> None:
    t = utc(2025, 5, 5, 9, 0)
    data = export_calendar(
        [appt("c", t + 60, 30, "UTC"), appt("b", t, 30, "Etc/UTC"), appt("a", t, 30, "UTC")],
        dtstamp_utc=DTSTAMP,
        calendar_name="x",
    )
    lines = unfold(data)
    assert [line for line in lines if line.startswith("UID:")] == ["UID:a", "UID:b", "UID:c"]
    assert "BEGIN:VTIMEZONE" not in lines
    assert lines.count("DTSTART:20250505T090000Z") == 2
    assert "DTEND:20250505T093100Z" in lines


def test_cancelled_keeps_status_and_sequence() -> None:
    a = appt("gone@vakit", utc(2025, 4, 1, 9, 0), 30, "Asia/Kolkata", status="CANCELLED", sequence=3)
    lines = unfold(export_calendar([a], dtstamp_utc=DTSTAMP, calendar_name="x"))
    assert "STATUS:CANCELLED" in lines and "SEQUENCE:3" in lines
    ev = icalendar.Calendar.from_ical(export_calendar([a], dtstamp_utc=DTSTAMP, calendar_name="x")).events[0]
    assert str(ev["STATUS"]) == "CANCELLED" and int(ev["SEQUENCE"]) == 3
    assert "DTSTART;TZID=Asia/Kolkata:20250401T143000" in lines


def test_unknown_zone_and_status_are_refused() -> None:
    with pytest.raises(InvalidValue, match="Mars/Olympus"):
        export_calendar([appt("u", DTSTAMP, 30, "Mars/Olympus")], dtstamp_utc=DTSTAMP, calendar_name="x")
    with pytest.raises(InvalidValue, match="MAYBE"):
        export_calendar([appt("u", DTSTAMP, 30, "UTC", status="MAYBE")], dtstamp_utc=DTSTAMP, calendar_name="x")


# --- parse-back through independent readers ---------------------------------

PARSE_BACK = [
    # zone, UTC start written by hand, local wall time it must show
    ("Europe/Berlin", utc(2026, 3, 29, 1, 30), "20260329T033000"),  # just after spring-forward
    ("Europe/Berlin", utc(2026, 10, 25, 2, 30), "20261025T033000"),  # just after fall-back
    ("Europe/Berlin", utc(2026, 1, 15, 8, 0), "20260115T090000"),
    ("America/New_York", utc(2026, 3, 8, 7, 30), "20260308T033000"),  # 03:30 EDT
    ("America/New_York", utc(2026, 11, 1, 7, 30), "20261101T023000"),  # 02:30 EST
    ("America/New_York", utc(2026, 11, 1, 5, 30), "20261101T013000"),  # 01:30 EDT, first 01:30
    ("Asia/Kolkata", utc(2026, 1, 15, 3, 30), "20260115T090000"),
    ("Asia/Kolkata", utc(2026, 7, 1, 12, 0), "20260701T173000"),
    ("Australia/Sydney", utc(2026, 10, 3, 16, 30), "20261004T033000"),  # 03:30 AEDT
    ("Australia/Sydney", utc(2026, 4, 4, 15, 30), "20260405T023000"),  # 02:30 AEDT, first 02:30
    ("Australia/Sydney", utc(2026, 4, 4, 17, 30), "20260405T033000"),  # 03:30 AEST
    ("Australia/Sydney", utc(2026, 12, 31, 13, 0), "20270101T000000"),  # across the year change
]


def test_parse_back_gives_stored_instants_across_dst() -> None:
    appts = [appt(f"p{i}", start, 45, tz) for i, (tz, start, _) in enumerate(PARSE_BACK)]
    data = export_calendar(appts, dtstamp_utc=DTSTAMP, calendar_name="x")
    lines = unfold(data)
    for i, (tz, _, wall) in enumerate(PARSE_BACK):
        if i in (5, 9):  # these 45 min end in the repeated hour: written in UTC instead
            assert f"DTSTART:{datetime.fromtimestamp(appts[i].start_utc, UTC):%Y%m%dT%H%M%SZ}" in lines
            continue
        assert f"DTSTART;TZID={tz}:{wall}" in lines, (i, tz, wall)
    assert lines.count("BEGIN:VTIMEZONE") == 4
    assert instants(data) == {a.uid: (a.start_utc, a.end_utc) for a in appts}


def test_second_occurrence_of_repeated_wall_time_is_written_in_utc() -> None:
    # 01:30 EST on 2026-11-01 (06:30Z) repeats 01:30 EDT; a TZID form would mean 05:30Z.
    a = appt("fold", utc(2026, 11, 1, 6, 30), 30, "America/New_York")
    data = export_calendar([a], dtstamp_utc=DTSTAMP, calendar_name="x")
    assert "DTSTART:20261101T063000Z" in unfold(data)
    assert "DTEND:20261101T070000Z" in unfold(data)  # the whole event in UTC
    assert instants(data) == {"fold": (a.start_utc, a.end_utc)}
    # an event ending in the repeated hour (01:30 EDT to 01:15 EST) is written in UTC too
    b = appt("end-fold", utc(2026, 11, 1, 5, 30), 45, "America/New_York")
    lines = unfold(export_calendar([b], dtstamp_utc=DTSTAMP, calendar_name="x"))
    assert "DTSTART:20261101T053000Z" in lines and "DTEND:20261101T061500Z" in lines


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Europe/London"])
def test_vtimezone_itself_read_by_dateutil_tzical(tz: str) -> None:
    """Rename the TZID so icalendar must build the zone from our VTIMEZONE, not zoneinfo."""
    appts = [
        appt(f"q{i}", start, 30, tz)
        for i, start in enumerate(
            [
                utc(2026, m, d, h, 30)
                for m, d, h in [
                    (1, 10, 9),
                    (3, 8, 7),
                    (3, 29, 1),
                    (4, 5, 17),
                    (7, 1, 12),
                    (10, 4, 16),
                    (10, 25, 2),
                    (11, 1, 7),
                ]
            ]
        )
    ]
    data = export_calendar(appts, dtstamp_utc=DTSTAMP, calendar_name="x")
    custom = f"Vakit Test {tz.replace('/', ' ')}"
    data = data.replace(f"TZID:{tz}".encode(), f"TZID:{custom}".encode())
    data = data.replace(f"TZID={tz}:".encode(), f"TZID={custom}:".encode())
    assert instants(data) == {a.uid: (a.start_utc, a.end_utc) for a in appts}


# --- VTIMEZONE checked against zoneinfo with dateutil.rrule -----------------


def _offset(text: str) -> int:
    sign = -1 if text[0] == "-" else 1
    h, m, s = int(text[1:3]), int(text[3:5]), int(text[5:7] or 0)
    return sign * (h * 3600 + m * 60 + s)


def implied_onsets(lines: list[str], horizon: int) -> list[tuple[int, int, int]]:
    """(utc, offset_from, offset_to) of every onset the observances imply up to ``horizon``."""
    onsets = []
    for i, line in enumerate(lines):
        if line not in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            continue
        props = dict(p.split(":", 1) for p in lines[i + 1 : lines.index(line.replace("BEGIN", "END"), i)])
        off_from, off_to = _offset(props["TZOFFSETFROM"]), _offset(props["TZOFFSETTO"])
        # observance times are floating local times in TZOFFSETFROM (RFC 5545 §3.6.5)
        start = datetime.strptime(props["DTSTART"], "%Y%m%dT%H%M%S")  # noqa: DTZ007
        limit = datetime.fromtimestamp(horizon + off_from, UTC).replace(tzinfo=None)
        local_times = [start]
        if "RRULE" in props:
            parts = dict(p.split("=") for p in props["RRULE"].split(";"))
            until = parts.pop("UNTIL", None)
            if until:  # UTC per RFC 5545 §3.3.10; compare in the observance's local time
                until_local = calendar.timegm(time.strptime(until, "%Y%m%dT%H%M%SZ")) + off_from
                limit = min(limit, datetime.fromtimestamp(until_local, UTC).replace(tzinfo=None))
            rule = rrulestr("RRULE:" + ";".join(f"{k}={v}" for k, v in parts.items()), dtstart=start)
            local_times = rule.between(start, limit, inc=True)
        for lt in local_times:
            onsets.append((calendar.timegm(lt.timetuple()) - off_from, off_from, off_to))
    return sorted(onsets)


def zoneinfo_changes(tz: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """Reference: instants in [lo, hi) where zoneinfo's utcoffset changes (hourly scan + bisection)."""
    zone = ZoneInfo(tz)

    def off(t: int) -> int:
        return int(datetime.fromtimestamp(t, zone).utcoffset().total_seconds())

    out, t = [], lo
    while t < hi:
        if off(t) != off(t + 3600):
            a, b = t, t + 3600
            while b - a > 1:
                a, b = (a, (a + b) // 2) if off((a + b) // 2) != off(a) else ((a + b) // 2, b)
            out.append((b, off(a), off(b)))
        t += 3600
    return [c for c in out if lo <= c[0] < hi]


ZONE_SPANS = [
    ("Europe/Berlin", 2024, 2027),
    ("Europe/London", 2024, 2027),
    ("America/New_York", 2024, 2027),
    ("Asia/Kolkata", 2024, 2027),
    ("Australia/Sydney", 2024, 2027),
    ("Europe/Amsterdam", 2024, 2027),
    # rule changes inside the span: US 2007, Russia 2011/2014, Iran 2022, Turkey 2016, Chile, Morocco
    ("America/New_York", 2005, 2009),
    ("Europe/Moscow", 2009, 2015),
    ("Asia/Tehran", 2020, 2024),
    ("Europe/Istanbul", 2014, 2018),
    ("America/Santiago", 2020, 2026),
    ("Africa/Casablanca", 2018, 2021),
    ("Africa/Cairo", 2022, 2026),
    ("Asia/Jerusalem", 2010, 2014),
    ("Australia/Lord_Howe", 2024, 2026),
]


@pytest.mark.parametrize(("tz", "y0", "y1"), ZONE_SPANS)
def test_vtimezone_rules_match_zoneinfo(tz: str, y0: int, y1: int) -> None:
    lines = vtimezone_lines(tz, utc(y0, 6, 1), utc(y1, 6, 1))
    lo, hi = utc(y0 - 1, 1, 1), utc(y1 + 2, 1, 1)  # the years the component covers
    onsets = implied_onsets(lines, hi)
    changes = [o for o in onsets if o[1] != o[2] and lo <= o[0] < hi]
    assert changes == zoneinfo_changes(tz, lo, hi)
    # and the offset in force at sample instants (latest onset wins) equals zoneinfo's
    zone = ZoneInfo(tz)
    samples = list(range(lo, hi, 5 * 3600 + 17)) + [c[0] + d for c in changes for d in (-1, 0, 1)]
    for t in samples:
        current = [o for o in onsets if o[0] <= t]
        if not current:  # before the zone's first change in year y0 - 1: outside the promise
            assert t < utc(y0, 1, 1), t
            continue
        assert current[-1][2] == datetime.fromtimestamp(t, zone).utcoffset().total_seconds(), t


def test_vtimezone_exact_text_for_new_york_and_kolkata() -> None:
    assert vtimezone_lines("America/New_York", utc(2025, 6, 1), utc(2025, 6, 2)) == [
        "BEGIN:VTIMEZONE",
        "TZID:America/New_York",
        "BEGIN:DAYLIGHT",
        "DTSTART:20240310T020000",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0400",
        "TZNAME:EDT",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:20241103T020000",
        "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500",
        "TZNAME:EST",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    assert vtimezone_lines("Asia/Kolkata", utc(2025, 6, 1), utc(2025, 6, 2)) == [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Kolkata",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0530",
        "TZOFFSETTO:+0530",
        "TZNAME:IST",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def test_vtimezone_sydney_and_cairo_rules() -> None:
    sydney = vtimezone_lines("Australia/Sydney", utc(2025, 6, 1), utc(2025, 6, 2))
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU" in sydney  # DAYLIGHT, 02:00 AEST -> 03:00 AEDT
    assert "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU" in sydney  # STANDARD, 03:00 AEDT -> 02:00 AEST
    assert "DTSTART:20241006T020000" in sydney and "DTSTART:20240407T030000" in sydney
    cairo = vtimezone_lines("Africa/Cairo", utc(2025, 6, 1), utc(2026, 6, 1))
    assert "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=-1FR" in cairo  # a weekday other than Sunday


# --- folding and escaping ---------------------------------------------------

LONG_TITLE = ("श्री गणेश ट्रेडर्स — वार्षिक समीक्षा बैठक, GST; नोट्स\nदूसरी पंक्ति 🙏🏽👩‍💻 " * 6).strip()


def check_physical_lines(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    physical = data.split(b"\r\n")[:-1]
    for i, raw in enumerate(physical):
        assert len(raw) <= 75, raw
        raw.decode("utf-8")  # raises if a multi-octet sequence was cut
        if i + 1 < len(physical) and physical[i + 1].startswith(b" "):
            trailing = len(raw) - len(raw.rstrip(b"\\"))
            assert trailing % 2 == 0, raw  # an escape was split across the fold


def test_folding_long_devanagari_and_emoji_title_round_trips() -> None:
    a = appt(
        "deva@vakit",
        utc(2025, 8, 1, 4, 30),
        60,
        "Asia/Kolkata",
        title=LONG_TITLE,
        location="मुंबई, महाराष्ट्र; ऑफिस\\2",
        description=LONG_TITLE + "\r\nअंत",
    )
    data = export_calendar([a], dtstamp_utc=DTSTAMP, calendar_name="श्री गणेश ट्रेडर्स " * 5)
    check_physical_lines(data)
    assert len(data.split(b"\r\n")) > 40  # it really was folded
    lines = unfold(data)
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert summary == "SUMMARY:" + LONG_TITLE.replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")
    ev = icalendar.Calendar.from_ical(data).events[0]
    assert str(ev["SUMMARY"]) == LONG_TITLE
    assert str(ev["LOCATION"]) == "मुंबई, महाराष्ट्र; ऑफिस\\2"
    assert str(ev["DESCRIPTION"]) == LONG_TITLE + "\nअंत"
    assert "URL" not in ev


def test_fold_line_octet_limits() -> None:
    parts = fold_line("SUMMARY:" + "x" * 200)
    assert [len(p.encode()) for p in parts] == [75, 75, 60]  # 208 = 75 + 74 + 59
    assert all(p.startswith(" ") for p in parts[1:])
    emoji = fold_line("SUMMARY:" + "😀" * 40)  # 4 octets each: 8 + 16*4 = 72, then ' ' + 18*4 = 73
    assert [len(p.encode()) for p in emoji] == [72, 73, 1 + 6 * 4]  # 40 = 16 + 18 + 6
    # an escape at the boundary moves to the next line whole: 74 octets + "\," would be 76
    esc = fold_line("X:" + "a" * 72 + "\\,b")
    assert esc == ["X:" + "a" * 72, " \\,b"]
    assert fold_line("SHORT:ok") == ["SHORT:ok"]


def test_escape_text() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert escape_text("tab\tok\x00\x07gone") == "tab\tokgone"


# --- property test ----------------------------------------------------------

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Europe/London", "UTC"]
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n") | st.sampled_from(",;\\"), max_size=120)
appointments = st.lists(
    st.builds(
        lambda i, start, minutes, tz, title, status, seq: appt(
            f"h{i}@vakit", start, minutes, tz, title=title, status=status, sequence=seq
        ),
        st.integers(0, 10**6),
        st.one_of(
            st.integers(utc(2000, 1, 1), utc(2035, 12, 31)),
            # around known changes: NY fall-back, Sydney fall-back, Berlin spring-forward, London fall-back
            st.integers(utc(2026, 11, 1, 4), utc(2026, 11, 1, 8)),
            st.integers(utc(2026, 4, 4, 14), utc(2026, 4, 4, 18)),
            st.integers(utc(2026, 3, 29, 0), utc(2026, 3, 29, 3)),
            st.integers(utc(2025, 10, 26, 0), utc(2025, 10, 26, 3)),
        ),
        st.integers(1, 12 * 60),
        st.sampled_from(ZONES),
        text,
        st.sampled_from(["CONFIRMED", "CANCELLED"]),
        st.integers(0, 50),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda a: a.uid,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(appointments)
def test_property_any_appointments_parse_back_to_stored_instants(appts: list[Appointment]) -> None:
    data = export_calendar(appts, dtstamp_utc=DTSTAMP, calendar_name="prop")
    check_physical_lines(data)
    assert instants(data) == {a.uid: (a.start_utc, a.end_utc) for a in appts}
    cal = icalendar.Calendar.from_ical(data)
    by_uid = {str(e["UID"]): e for e in cal.events}
    for a in appts:
        e = by_uid[a.uid]
        assert str(e["SUMMARY"]) == a.title
        assert str(e["STATUS"]) == a.status and int(e["SEQUENCE"]) == a.sequence
    lines = unfold(data)
    zones = {a.tz for a in appts} - {"UTC"}
    assert lines.count("BEGIN:VTIMEZONE") == len(zones)
    if zones:
        assert max(i for i, x in enumerate(lines) if x == "END:VTIMEZONE") < lines.index("BEGIN:VEVENT")


def test_export_is_deterministic() -> None:
    a = [appt("d1", utc(2025, 3, 31, 8), 30, "Europe/London"), appt("d2", utc(2025, 3, 30, 8), 30, "UTC")]
    assert export_calendar(a, dtstamp_utc=DTSTAMP, calendar_name="x") == export_calendar(
        list(reversed(a)), dtstamp_utc=DTSTAMP, calendar_name="x"
    )
    b = [replace(a[0], sequence=1)]
    assert b"SEQUENCE:1\r\n" in export_calendar(b, dtstamp_utc=DTSTAMP, calendar_name="x")
