"""``vakit schedule export``: one file per client, the versioned PRODID and invitations to mail (RFC 5546).

The expected lines are written out by hand; icalendar and recurring-ical-events read every file back.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from vakit import __version__
from vakit.core.appointments import Appointment
from vakit.exporters.ics import Party, export_calendar, mailto

NOW = "2025-03-03T09:00:00+00:00"  # a Monday; Europe/London is on GMT until 30 March
SYNC_START = int(datetime(2025, 3, 7, 10, 0, tzinfo=UTC).timestamp())  # Friday 10:00 GMT


def unfold(data: bytes) -> list[str]:
    """Logical content lines (RFC 5545 §3.1 unfolding)."""
    return re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8").split("\r\n")[:-1]


def parse(data: bytes) -> icalendar.Calendar:
    """The calendar as icalendar reads it, after checking recurring-ical-events can expand it."""
    cal = icalendar.Calendar.from_ical(data)
    recurring_ical_events.of(cal).between(datetime(2024, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    return cal


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def one_line_refusal(res) -> str:
    assert res.exit_code == 1, res.output
    assert res.stdout == ""
    assert res.stderr.startswith("vakit: ") and res.stderr.count("\n") == 1, res.stderr
    return res.stderr


@pytest.fixture
def va(london, tmp_path):
    """The London ledger with e-mail addresses, a Friday sync with Acme and a Thursday call with Birch."""
    london.now = NOW
    london("init", "--email", "va@test.example")
    london("client", "edit", "Acme", "--email", "ops@acme.example")
    london("schedule", "book", "Weekly sync", "--client", "Acme", "--at", "friday 10:00")
    london("schedule", "book", "Call", "--client", "Birch", "--at", "thursday 15:00")
    (tmp_path / "out").mkdir()
    return london


# --- one file per client ----------------------------------------------------------


def test_two_clients_exported_to_one_folder_give_two_files_and_neither_is_replaced(va, tmp_path):
    out = tmp_path / "out"
    assert "Wrote 1 event to" in va("schedule", "export", "--client", "Acme", "-o", f"{out}/").stdout
    acme = (out / "acme.ics").read_bytes()
    va("schedule", "export", "--client", "Birch", "-o", f"{out}/")
    va("schedule", "export", "-o", f"{out}/")
    assert set(files(out)) == {"acme.ics", "birch.ics", "appointments.ics"}
    assert (out / "acme.ics").read_bytes() == acme
    summaries = {name: [str(e["SUMMARY"]) for e in parse(data).events] for name, data in files(out).items()}
    assert summaries == {"acme.ics": ["Weekly sync"], "birch.ics": ["Call"],
                         "appointments.ics": ["Call", "Weekly sync"]}
    assert "X-WR-CALNAME:Test VA — Acme" in unfold(acme)


def test_a_second_export_refuses_without_force_and_replaces_with_it(va, tmp_path):
    out = tmp_path / "out"
    va("schedule", "export", "--client", "Acme", "-o", f"{out}/")
    before = (out / "acme.ics").read_bytes()
    va("schedule", "book", "Review", "--client", "Acme", "--at", "friday 14:00")
    res = va("schedule", "export", "--client", "Acme", "-o", f"{out}/", ok=False)
    assert "acme.ics exists already" in one_line_refusal(res)
    assert (out / "acme.ics").read_bytes() == before
    assert set(files(out)) == {"acme.ics"}
    va("schedule", "export", "--client", "Acme", "-o", f"{out}/", "--force")
    assert [str(e["SUMMARY"]) for e in parse((out / "acme.ics").read_bytes()).events] == ["Weekly sync", "Review"]


def test_the_file_name_is_ascii_and_falls_back_to_the_client_id(va, tmp_path):
    out = tmp_path / "out"
    va("client", "add", "श्री गणेश ट्रेडर्स", "--tz", "Asia/Kolkata")
    va("client", "add", "Zoë & Søn, Ltd.", "--tz", "Europe/Copenhagen")
    va("schedule", "export", "--client", "श्री गणेश ट्रेडर्स", "-o", f"{out}/")
    va("schedule", "export", "--client", "Zoë", "-o", f"{out}/")
    va("schedule", "export", "--id", "1", "-o", f"{out}/")
    assert set(files(out)) == {"client-3.ics", "zoe-sn-ltd.ics", "acme-1.ics"}


def test_dash_writes_to_standard_output(va, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path / "out")
    res = va("schedule", "export", "--client", "Acme", "-o", "-")
    assert res.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n") and res.stdout_bytes.endswith(b"END:VCALENDAR\r\n")
    assert list((tmp_path / "out").iterdir()) == []


def test_prodid_carries_the_version(va):
    lines = unfold(va("schedule", "export").stdout_bytes)
    assert lines[:5] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//vakit//vakit {__version__}//EN",
                         "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    assert __version__ == "0.1.0" and "PRODID:-//vakit//vakit 0.1.0//EN" in lines


# --- invitations ------------------------------------------------------------------


def _event(lines: list[str]) -> list[str]:
    return lines[lines.index("BEGIN:VEVENT"): lines.index("END:VEVENT") + 1]


def test_request_has_the_itip_lines(va, tmp_path):
    out = tmp_path / "out"
    res = va("schedule", "export", "--id", "1", "--method", "request", "-o", f"{out}/")
    assert "(an invitation to mail to ops@acme.example)" in res.stdout
    data = (out / "acme-1-request.ics").read_bytes()
    lines = unfold(data)
    assert lines[:5] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//vakit//vakit {__version__}//EN",
                         "CALSCALE:GREGORIAN", "METHOD:REQUEST"]
    assert not any(line.startswith("X-WR-CALNAME") for line in lines)
    uid = str(parse(data).events[0]["UID"])
    assert _event(lines) == [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20250303T090000Z",
        "CREATED:20250303T090000Z",
        "LAST-MODIFIED:20250303T090000Z",
        "DTSTART;TZID=Europe/London:20250307T100000",
        "DTEND;TZID=Europe/London:20250307T103000",
        "SUMMARY:Weekly sync",
        "ORGANIZER;CN=Test VA:mailto:va@test.example",
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Acme:mailto:ops@acme.example",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    cal = parse(data)
    assert str(cal["METHOD"]) == "REQUEST"
    (ev,) = cal.events
    assert str(ev["ORGANIZER"]) == "mailto:va@test.example" and ev["ORGANIZER"].params["CN"] == "Test VA"
    attendee = ev["ATTENDEE"]
    assert str(attendee) == "mailto:ops@acme.example"
    assert dict(attendee.params) == {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE",
                                     "CN": "Acme"}
    assert int(ev.start.timestamp()) == SYNC_START


def test_cancel_has_status_cancelled_and_the_stored_sequence(va, tmp_path):
    out = tmp_path / "out"
    va("schedule", "cancel", "1")
    va("schedule", "export", "--client", "Acme", "--method", "cancel", "-o", f"{out}/")
    data = (out / "acme-cancel.ics").read_bytes()
    lines = unfold(data)
    assert lines[4] == "METHOD:CANCEL"
    assert _event(lines)[5:] == [
        "DTSTART;TZID=Europe/London:20250307T100000",
        "DTEND;TZID=Europe/London:20250307T103000",
        "SUMMARY:Weekly sync",
        "ORGANIZER;CN=Test VA:mailto:va@test.example",
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Acme:mailto:ops@acme.example",
        "SEQUENCE:1",
        "STATUS:CANCELLED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    cal = parse(data)
    assert str(cal["METHOD"]) == "CANCEL"
    (ev,) = cal.events
    assert (str(ev["STATUS"]), int(ev["SEQUENCE"])) == ("CANCELLED", 1)
    # the same UID as the invitation it cancels
    uid = str(parse(va("schedule", "export", "--client", "Acme").stdout_bytes).events[0]["UID"])
    assert str(ev["UID"]) == uid


def test_a_client_request_holds_its_upcoming_confirmed_appointments_only(va):
    va("schedule", "book", "Old call", "--client", "Acme", "--date", "2025-03-01", "--at", "10:00", "--allow-past")
    va("schedule", "book", "Dropped", "--client", "Acme", "--at", "wednesday 10:00")
    va("schedule", "cancel", "4")
    va("schedule", "book", "Review", "--client", "Acme", "--at", "tuesday 10:00")
    cal = parse(va("schedule", "export", "--client", "Acme", "--method", "request").stdout_bytes)
    assert [str(e["SUMMARY"]) for e in cal.events] == ["Review", "Weekly sync"]
    cal = parse(va("schedule", "export", "--client", "Acme", "--method", "cancel").stdout_bytes)
    assert [str(e["SUMMARY"]) for e in cal.events] == ["Dropped"]


HOSTILE = [
    ('Acme "Best", Ltd: Zoë', 'CN="Acme ^\'Best^\', Ltd: Zoë"'),
    ("श्री गणेश ट्रेडर्स", "CN=श्री गणेश ट्रेडर्स"),
    ("O'Brien; Sons", "CN=\"O'Brien; Sons\""),
    ("Caret ^ and ^' back\\slash", "CN=Caret ^^ and ^^' back\\slash"),
    ("😀 " * 30 + "end", "CN=" + "😀 " * 30 + "end"),
]


@pytest.mark.parametrize(("name", "cn"), HOSTILE)
def test_hostile_names_stay_valid_in_cn(va, name, cn):
    va("init", "--name", name)  # the organizer
    va("client", "edit", "Acme", "--name", name)  # the attendee
    data = va("schedule", "export", "--id", "1", "--method", "request").stdout_bytes
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    lines = unfold(data)
    organizer = next(line for line in lines if line.startswith("ORGANIZER"))
    attendee = next(line for line in lines if line.startswith("ATTENDEE"))
    assert organizer == f"ORGANIZER;{cn}:mailto:va@test.example"
    assert attendee == f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;{cn}:mailto:ops@acme.example"
    value = cn[len("CN="):]
    inner = value[1:-1] if value.startswith('"') else value
    assert '"' not in inner
    (ev,) = parse(data).events
    assert ev["ORGANIZER"].params["CN"] == name and ev["ATTENDEE"].params["CN"] == name
    assert str(ev["ATTENDEE"]) == "mailto:ops@acme.example"


def test_names_with_line_breaks_are_refused_and_the_exporter_encodes_them_anyway(va):
    res = va("client", "edit", "Acme", "--name", "Line\nbreak", ok=False)
    assert res.exit_code == 1 and "control character" in res.stderr
    a = Appointment(id=1, uid="u1@vakit", client_id=1, client_name="x", title="t", location="",
                    start_utc=SYNC_START, end_utc=SYNC_START + 1800, tz="UTC", status="CONFIRMED", sequence=0,
                    created_utc=SYNC_START, modified_utc=SYNC_START)
    data = export_calendar([a], dtstamp_utc=SYNC_START, calendar_name="x", method="REQUEST",
                           organizer=Party("Two\r\nlines\x07", "va@x.example"), attendee=Party('A "b"', "c@d.example"))
    lines = unfold(data)
    assert "ORGANIZER;CN=Two^nlines:mailto:va@x.example" in lines
    assert "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=A ^'b^':mailto:c@d.example" in lines
    (ev,) = parse(data).events
    assert ev["ATTENDEE"].params["CN"] == 'A "b"'


def test_mailto_percent_encodes_what_a_uri_may_not_hold():
    assert mailto("ops@acme.example") == "mailto:ops@acme.example"
    assert mailto("a b,c;d@x.example") == "mailto:a%20b%2Cc%3Bd@x.example"
    assert mailto("zoë@例え.jp") == "mailto:zo%C3%AB@%E4%BE%8B%E3%81%88.jp"
    assert mailto("100%&x=y@x.example") == "mailto:100%25%26x%3Dy@x.example"


# --- refusals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ([("init", "--email", "")], ("--id", "1", "--method", "request"), "your profile has no e-mail address"),
        ([], ("--id", "2", "--method", "request"), "client Birch has no e-mail address"),
        ([("client", "edit", "Acme", "--email", "ops at acme")], ("--client", "Acme", "--method", "request"),
         "client Acme has e-mail 'ops at acme', which is not an address"),
        ([], ("--method", "request"), "--method request writes an invitation to one client, not to all"),
        ([], ("--method", "cancel"), "--method cancel writes an invitation to one client, not to all"),
        ([], ("--method", "invite", "--client", "Acme"), "unknown --method 'invite'"),
        ([], ("--id", "1", "--method", "cancel"), "appointment #1 is not cancelled"),
        ([("schedule", "cancel", "1")], ("--id", "1", "--method", "request"), "appointment #1 is cancelled"),
        ([], ("--client", "Acme", "--method", "cancel"), "Acme has no upcoming cancelled appointments"),
        ([], ("--client", "Birch", "--id", "1"), "appointment #1 is with Acme, not Birch"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(va, tmp_path, setup, args, message):
    out = tmp_path / "out"
    for step in setup:
        va(*step)
    for where in (f"{out}/", str(out / "x.ics"), "-"):
        res = va("schedule", "export", *args, "-o", where, ok=False)
        assert message in one_line_refusal(res)
    assert list(out.iterdir()) == []
