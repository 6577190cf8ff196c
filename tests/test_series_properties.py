"""Property: any appointments, single and recurring (with occurrences moved or cancelled on their own), in any
zone and on any date in 2020–2035, export to an .ics that three readers read back to the stored UTC instants,
statuses and UIDs: icalendar + recurring-ical-events (zones by name), and dateutil's ``tzical`` reading the
VTIMEZONEs vakit wrote, with dateutil's rrule expanding the RRULE on that zone's wall clock."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import icalendar
import recurring_ical_events
from dateutil.rrule import rrulestr
from dateutil.tz import tzical
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vakit.core.appointments import Appointment, Series
from vakit.core.recurrence import Rule, occurrences
from vakit.exporters.ics import export_calendar

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Asia/Jerusalem",
         "America/Santiago", "Australia/Lord_Howe", "Europe/London", "Pacific/Apia", "UTC"]
T0 = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp())
T1 = int(datetime(2035, 6, 1, tzinfo=UTC).timestamp())
DTSTAMP = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
Stored = tuple[str, int, int, str]


def _appt(i: int, uid: str, start: int, end: int, tz: str, status: str = "CONFIRMED", sequence: int = 0,
          title: str = "Call", **kw) -> Appointment:
    return Appointment(id=i, uid=uid, client_id=1, client_name="C", title=title, location="", start_utc=start,
                       end_utc=end, tz=tz, status=status, sequence=sequence, created_utc=DTSTAMP,
                       modified_utc=DTSTAMP, **kw)


@st.composite
def calendars(draw) -> tuple[list[Appointment], dict[int, Series], list[Stored]]:
    """Appointments (single ones and series' occurrences), the series, and what a reader must get back."""
    appts: list[Appointment] = []
    series: dict[int, Series] = {}
    expected: list[Stored] = []
    for k in range(draw(st.integers(0, 3))):
        tz = draw(st.sampled_from(ZONES))
        start = draw(st.integers(T0, T1)) // 60 * 60
        length = draw(st.integers(1, 8 * 60)) * 60
        status = draw(st.sampled_from(["CONFIRMED", "CANCELLED"]))
        appts.append(_appt(len(appts) + 1, f"single{k}@vakit", start, start + length, tz, status))
        expected.append((f"single{k}@vakit", start, start + length, status))
    for k in range(draw(st.integers(1, 2))):
        tz = draw(st.sampled_from(ZONES))
        day = datetime(2020, 1, 1) + timedelta(days=draw(st.integers(0, 15 * 365)))  # noqa: DTZ001 - a wall date
        wall = day.replace(hour=draw(st.integers(0, 23)), minute=draw(st.sampled_from([0, 15, 30, 45])))
        freq, interval = draw(st.sampled_from([("WEEKLY", 1), ("WEEKLY", 2), ("MONTHLY", 1)]))
        rule = Rule(freq, interval, count=draw(st.integers(1, 30)))
        duration = draw(st.integers(1, 10 * 60)) * 60
        uid = f"series{k}@vakit"
        s = Series(id=k + 1, uid=uid, client_id=1, client_name="C", title="Weekly", location="", description="",
                   freq=freq, interval=interval, count=rule.count, until_utc=None,
                   dtstart_local=wall.strftime("%Y-%m-%dT%H:%M:%S"), tz=tz, duration=duration,
                   status="CONFIRMED", sequence=0, created_utc=DTSTAMP, modified_utc=DTSTAMP)
        series[s.id] = s
        starts = occurrences(rule, s.dtstart_local, tz)
        for n, t in enumerate(starts):
            a = _appt(len(appts) + 1, f"{uid}#{n}", t, t + duration, tz, title="Weekly", series_id=s.id,
                      recurrence_utc=t)
            change = draw(st.sampled_from(["none", "none", "cancel", "move"]))
            if change == "cancel":
                a = replace(a, status="CANCELLED", sequence=1)
            elif change == "move":
                shift = draw(st.integers(-3 * 24 * 60, 3 * 24 * 60)) * 60
                a = replace(a, start_utc=t + shift, end_utc=t + shift + duration, sequence=1)
            appts.append(a)
            expected.append((uid, a.start_utc, a.end_utc, a.status))
    return appts, series, sorted(expected)


def by_name(data: bytes) -> list[Stored]:
    """icalendar + recurring-ical-events, zones looked up by name."""
    cal = icalendar.Calendar.from_ical(data)
    events = recurring_ical_events.of(cal).between(datetime(2019, 1, 1, tzinfo=UTC), datetime(2041, 1, 1, tzinfo=UTC))
    return sorted((str(e["UID"]), int(e["DTSTART"].dt.timestamp()), int(e["DTEND"].dt.timestamp()),
                   str(e["STATUS"])) for e in events)


def _unfold(data: bytes) -> list[str]:
    return re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8").split("\r\n")[:-1]


def _blocks(lines: list[str], name: str) -> list[list[str]]:
    out, cur = [], None
    for line in lines:
        if line == f"BEGIN:{name}":
            cur = []
        elif line == f"END:{name}":
            out.append(cur)
            cur = None
        elif cur is not None:
            cur.append(line)
    return out


def by_tzical(data: bytes) -> list[Stored]:
    """dateutil's tzical reads the VTIMEZONEs; DTSTART/DTEND/RECURRENCE-ID are placed in them; the RRULE is
    expanded by dateutil's rrule on the wall clock; an override replaces the occurrence its RECURRENCE-ID names."""
    lines = _unfold(data)
    text = "\r\n".join(["BEGIN:VCALENDAR", *[x for b in _blocks(lines, "VTIMEZONE") for x in
                                             ["BEGIN:VTIMEZONE", *b, "END:VTIMEZONE"]], "END:VCALENDAR"])
    zones = tzical(io.StringIO(text)) if "BEGIN:VTIMEZONE" in text else None

    def when(line: str) -> datetime:
        head, value = line.split(":", 1)
        if value.endswith("Z"):
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        tzid = head.split("TZID=", 1)[1]
        return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zones.get(tzid))  # noqa: DTZ007

    events = []
    for b in _blocks(lines, "VEVENT"):
        props = {x.split(":", 1)[0].split(";", 1)[0]: x for x in b}
        events.append(props)
    overrides = {(e["UID"], when(e["RECURRENCE-ID"]).replace(tzinfo=None)) for e in events if "RECURRENCE-ID" in e}
    out = []
    for e in events:
        uid, status = e["UID"].split(":", 1)[1], e["STATUS"].split(":", 1)[1]
        start, end = when(e["DTSTART"]), when(e["DTEND"])
        if "RRULE" in e:
            rule = rrulestr(e["RRULE"].split(":", 1)[1], dtstart=start)
            for occ in rule:
                if (e["UID"], occ.replace(tzinfo=None)) in overrides:
                    continue
                out.append((uid, int(occ.timestamp()), int((occ + (end - start)).timestamp()), status))
        else:
            out.append((uid, int(start.timestamp()), int(end.timestamp()), status))
    return sorted(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(calendars())
def test_property_series_and_singles_read_back_the_same_in_three_readers(case) -> None:
    appts, series, expected = case
    data = export_calendar(appts, dtstamp_utc=DTSTAMP, calendar_name="prop", series=series)
    assert by_name(data) == expected
    assert by_tzical(data) == expected
