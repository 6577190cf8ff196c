"""Booking, clashes, cancellation and the exported calendar (acceptance 5)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

import icalendar
import recurring_ical_events


def test_demo_calendar_expands_to_the_stored_instants(month):
    db, out_dir, _ = month
    raw = (out_dir / "appointments.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert raw.count(b"\r\n") == raw.count(b"\n")
    cal = icalendar.Calendar.from_ical(raw)
    stored = {uid: (s, e, status, seq) for uid, s, e, status, seq in sqlite3.connect(db).execute(
        "SELECT uid, start_utc, end_utc, status, sequence FROM appointments")}
    found = {}
    for ev in recurring_ical_events.of(cal).between(datetime(2026, 1, 1, tzinfo=timezone.utc),
                                                       datetime(2027, 12, 31, tzinfo=timezone.utc)):
        found[str(ev["UID"])] = (int(ev.start.astimezone(timezone.utc).timestamp()),
                                 int(ev.end.astimezone(timezone.utc).timestamp()), str(ev["STATUS"]),
                                 int(ev["SEQUENCE"]))
    assert found == stored and len(found) == 4
    cancelled = [v for v in found.values() if v[2] == "CANCELLED"]
    assert cancelled and cancelled[0][3] == 1  # booked with SEQUENCE 0, cancelled → 1


def test_book_shows_both_clocks_and_refuses_a_clash(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-02T09:00:00+05:30"  # Monday
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN")
    cli("--db", db, "client", "add", "Northwind", "--tz", "America/New_York", "--currency", "USD")
    cli("--db", db, "client", "add", "Harbour", "--tz", "Europe/London", "--currency", "GBP")
    out = cli("--db", db, "schedule", "book", "Weekly sync", "--client", "Northwind", "--at", "friday 10:00",
              "--duration", "30m").stdout
    assert "their time: Fri 06 Nov 2026 10:00 – 10:30 EST (UTC-05:00) (America/New_York)" in out
    assert "your time:  Fri 06 Nov 2026 20:30 – 21:00 IST (UTC+05:30) (Asia/Kolkata)" in out
    # 15:15 London = 15:15Z = 10:15 EST: clashes for 15 minutes
    res = cli("--db", db, "schedule", "book", "Review", "--client", "Harbour", "--date", "2026-11-06", "--at", "15:15",
              "--duration", "1h", ok=False)
    assert res.exit_code == 1 and "clashes with 'Weekly sync' for Northwind" in res.stderr
    assert "(15 min overlap)" in res.stderr
    cli("--db", db, "schedule", "book", "Review", "--client", "Harbour", "--date", "2026-11-06", "--at", "15:30",
        "--duration", "1h")  # back to back: half-open intervals
    listed = json.loads(cli("--db", db, "schedule", "list", "--all", "--json").stdout)["data"]
    assert [(a["title"], a["start"]) for a in listed] == [("Weekly sync", "2026-11-06T15:00:00Z"),
                                                          ("Review", "2026-11-06T15:30:00Z")]
    cancel = cli("--db", db, "schedule", "cancel", str(listed[0]["id"])).stdout
    assert "SEQUENCE 1" in cancel
    again = cli("--db", db, "schedule", "cancel", str(listed[0]["id"]), ok=False)
    assert again.exit_code == 1 and "already cancelled" in again.stderr
    ics = cli("--db", db, "schedule", "export", "--client", "Northwind").stdout
    assert "STATUS:CANCELLED" in ics and "SEQUENCE:1" in ics and "DTSTART;TZID=America/New_York:20261106T100000" in ics


def test_their_time_is_in_the_clients_zone_when_booked_in_another(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-02T09:00:00+05:30"
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR")
    cli("--db", db, "client", "add", "Harbour", "--tz", "Europe/London", "--currency", "GBP")
    out = cli("--db", db, "schedule", "book", "Review", "--client", "Harbour", "--at", "friday 18:10",
              "--tz", "Asia/Kolkata").stdout
    assert "their time: Fri 06 Nov 2026 12:40 – 13:10 GMT (UTC+00:00) (Europe/London)" in out
    assert "your time:  Fri 06 Nov 2026 18:10 – 18:40 IST (UTC+05:30) (Asia/Kolkata)" in out


def test_an_in_person_meeting_booked_in_paris_shows_paris_london_and_athens(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-02T09:00:00+02:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "Europe/Athens", "--currency", "EUR")
    cli("--db", db, "client", "add", "Harbour", "--tz", "Europe/London", "--currency", "GBP")
    out = cli("--db", db, "schedule", "book", "Dinner", "--client", "Harbour", "--at", "2026-11-06 19:00",
              "--tz", "Europe/Paris", "--duration", "2h").stdout
    assert out == ("Booked #1 'Dinner' with Harbour\n"
                   "  their time: Fri 06 Nov 2026 18:00 – 20:00 GMT (UTC+00:00) (Europe/London)\n"
                   "  booked in:  Fri 06 Nov 2026 19:00 – 21:00 CET (UTC+01:00) (Europe/Paris)\n"
                   "  your time:  Fri 06 Nov 2026 20:00 – 22:00 EET (UTC+02:00) (Europe/Athens)\n")
    listed = cli("--db", db, "schedule", "list", "--date", "2026-11-06").stdout
    assert "Fri 06 Nov 2026 18:00 – 20:00 GMT (UTC+00:00) Europe/London" in listed  # their time: the client's
    assert "booked in Europe/Paris: Fri 06 Nov 2026 19:00 – 21:00 CET (UTC+01:00)" in listed
    remind = cli("--db", db, "schedule", "remind", "--within", "5d").stdout
    assert "In Europe/Paris, where it was booked, that is Fri 06 Nov 2026 19:00 – 21:00 CET (UTC+01:00)." in remind
