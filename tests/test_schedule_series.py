"""Recurring calls: ``schedule book --repeat``, one occurrence or the following ones cancelled or moved, and the
series in the .ics as a master with RRULE plus RECURRENCE-ID overrides, read back by recurring-ical-events."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime

import icalendar
import pytest
import recurring_ical_events


def utc(*fields: int) -> str:
    return datetime(*fields, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def lumen(cli):
    """Ana works from Manila (no DST) for Lumen in Berlin; the clock is 1 Oct 2025."""
    cli.now = "2025-10-01T09:00:00+08:00"
    cli("init", "--name", "Ana VA", "--tz", "Asia/Manila", "--currency", "PHP", "--email", "ana@example.com")
    cli("client", "add", "Lumen", "--tz", "Europe/Berlin", "--currency", "EUR", "--email", "ops@lumen.example")
    return cli


def weekly(cli, *extra: str):
    return cli("schedule", "book", "Weekly check-in", "--client", "Lumen", "--tz", "Europe/Berlin", "--date",
               "2025-10-13", "--at", "09:30", "--duration", "30m", "--repeat", "weekly", *extra)


def listed(cli) -> list[dict]:
    return json.loads(cli("schedule", "list", "--all", "--json").stdout)["data"]


def read_back(ics: str) -> list[tuple[str, str, str, str]]:
    """(UID, start, end, STATUS) of every occurrence, as recurring-ical-events expands the calendar."""
    cal = icalendar.Calendar.from_ical(ics)
    events = recurring_ical_events.of(cal).between(datetime(2020, 1, 1, tzinfo=UTC), datetime(2036, 1, 1, tzinfo=UTC))
    out = [(str(e["UID"]), e["DTSTART"].dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            e["DTEND"].dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), str(e.get("STATUS"))) for e in events]
    return sorted(out, key=lambda r: r[1])


def export(cli) -> str:
    return cli("schedule", "export", "--client", "Lumen", "-o", "-").stdout


def test_c10_weekly_call_keeps_0930_berlin_time_across_the_october_change(lumen):
    res = weekly(lumen, "--count", "4")
    assert res.stdout.splitlines()[:4] == [
        "Booked 'Weekly check-in' with Lumen — weekly, 4 occurrences (#1–#4)",
        "  their time: Mon 13 Oct 2025 09:30 – 10:00 CEST (UTC+02:00) (Europe/Berlin)",
        "  your time:  Mon 13 Oct 2025 15:30 – 16:00 PST (UTC+08:00) (Asia/Manila)",
        "  repeats:    weekly at 09:30 Europe/Berlin time: Mon 13 Oct, Mon 20 Oct, Mon 27 Oct, Mon 03 Nov 2025",
    ]
    # DST moves it on the VA's clock, and vakit says when
    assert res.stderr == (
        "vakit: note: the series keeps its time in Europe/Berlin, so in your time (Asia/Manila) it moves: "
        "15:30 PST (UTC+08:00) until Mon 20 Oct 2025, then 16:30 PST (UTC+08:00) from Mon 27 Oct 2025 "
        "(Europe/Berlin and Asia/Manila do not change their clocks together)\n")
    starts = [a["start"] for a in listed(lumen)]
    assert starts == ["2025-10-13T07:30:00Z", "2025-10-20T07:30:00Z", "2025-10-27T08:30:00Z", "2025-11-03T08:30:00Z"]
    table = lumen("schedule", "list", "--from", "2025-10-13", "--to", "2025-11-03").stdout
    assert len(re.findall(r"09:30 – 10:00 CES?T", table)) == 4
    ics = export(lumen)
    lines = ics.splitlines()
    assert "DTSTART;TZID=Europe/Berlin:20251013T093000" in lines and "RRULE:FREQ=WEEKLY;COUNT=4" in lines
    assert not [x for x in lines if re.fullmatch(r"DTSTART:\d{8}T\d{6}Z", x)]  # never a UTC DTSTART
    assert lines.count("BEGIN:VEVENT") == 1
    uid = listed(lumen)[0]["uid"].split("#")[0]
    assert read_back(ics) == [(uid, s, s.replace(":30:", ":59:").replace("T07:59", "T08:00").replace(
        "T08:59", "T09:00"), "CONFIRMED") for s in starts]


def test_one_occurrence_cancelled_and_another_moved_become_overrides(lumen):
    weekly(lumen, "--count", "4")
    out = lumen("schedule", "cancel", "2").stdout
    assert out == ("Cancelled #2 'Weekly check-in' with Lumen (Mon 20 Oct 2025 09:30 CEST (UTC+02:00)), SEQUENCE 1 "
                   "(one occurrence of a recurring call; the others stay: --following or --series for more)\n")
    lumen("schedule", "move", "3", "--at", "2025-10-28 11:00")
    ics = export(lumen)
    lines = ics.splitlines()
    assert lines.count("BEGIN:VEVENT") == 3  # the master and two overrides
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20251020T093000" in lines
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20251027T093000" in lines
    assert "DTSTART;TZID=Europe/Berlin:20251028T110000" in lines
    uid = listed(lumen)[0]["uid"].split("#")[0]
    assert read_back(ics) == [
        (uid, "2025-10-13T07:30:00Z", "2025-10-13T08:00:00Z", "CONFIRMED"),
        (uid, "2025-10-20T07:30:00Z", "2025-10-20T08:00:00Z", "CANCELLED"),
        (uid, "2025-10-28T10:00:00Z", "2025-10-28T10:30:00Z", "CONFIRMED"),
        (uid, "2025-11-03T08:30:00Z", "2025-11-03T09:00:00Z", "CONFIRMED"),
    ]
    rows = {a["id"]: (a["status"], a["sequence"]) for a in listed(lumen)}
    assert rows == {1: ("CONFIRMED", 0), 2: ("CANCELLED", 1), 3: ("CONFIRMED", 1), 4: ("CONFIRMED", 0)}


def test_cancel_the_following_ends_the_series_and_cancel_series_cancels_it(lumen):
    weekly(lumen, "--count", "4")
    out = lumen("schedule", "cancel", "3", "--following").stdout
    assert out == ("Cancelled 2 occurrences of 'Weekly check-in' with Lumen (#3–#4): the series now ends on "
                   "Mon 20 Oct 2025 09:30 CEST (UTC+02:00); series SEQUENCE 1\n")
    lines = export(lumen).splitlines()
    assert "RRULE:FREQ=WEEKLY;UNTIL=20251020T073000Z" in lines and "SEQUENCE:1" in lines
    assert [r[1] for r in read_back(export(lumen))] == ["2025-10-13T07:30:00Z", "2025-10-20T07:30:00Z"]
    out = lumen("schedule", "cancel", "1", "--series").stdout
    assert "Cancelled 2 occurrences" in out and "the whole series; series SEQUENCE 2" in out
    assert {r[3] for r in read_back(export(lumen))} == {"CANCELLED"}
    res = lumen("schedule", "cancel", "1", "--series", ok=False)
    assert res.exit_code == 1 and res.stderr == (
        "vakit: no confirmed occurrence of the series of #1 is left to cancel\n")


def test_move_the_following_splits_the_series_and_from_the_first_keeps_the_uid(lumen):
    weekly(lumen, "--count", "4")
    uid = listed(lumen)[0]["uid"].split("#")[0]
    out = lumen("schedule", "move", "3", "--following", "--at", "2025-10-28 10:00").stdout
    assert out.splitlines()[0] == ("Moved the rest into a new series: 'Weekly check-in' with Lumen — weekly, "
                                   "2 occurrences (#3–#4)")
    after = listed(lumen)
    assert [(a["start"], a["uid"].split("#")[0] == uid) for a in after] == [
        ("2025-10-13T07:30:00Z", True), ("2025-10-20T07:30:00Z", True),
        ("2025-10-28T09:00:00Z", False), ("2025-11-04T09:00:00Z", False)]
    lines = export(lumen).splitlines()
    assert "RRULE:FREQ=WEEKLY;UNTIL=20251020T073000Z" in lines and "RRULE:FREQ=WEEKLY;COUNT=2" in lines
    # from the first occurrence: the same series (UID) rewritten, SEQUENCE raised
    lumen("schedule", "move", "1", "--following", "--at", "2025-10-14 09:00")
    moved = [a for a in listed(lumen) if a["uid"].startswith(uid)]
    assert [a["start"] for a in moved] == ["2025-10-14T07:00:00Z", "2025-10-21T07:00:00Z"]
    lines = export(lumen).splitlines()
    master = lines[lines.index(f"UID:{uid}"):]
    assert "DTSTART;TZID=Europe/Berlin:20251014T090000" in master and "RRULE:FREQ=WEEKLY;COUNT=2" in master
    assert master[master.index("SUMMARY:Weekly check-in") + 1] == "SEQUENCE:2"  # 1 when it was split, 2 now


def test_every_occurrence_in_a_year_is_checked_and_a_refusal_books_nothing(lumen):
    lumen("schedule", "book", "Board", "--client", "Lumen", "--at", "2025-10-27 09:45", "--duration", "1h")
    res = lumen(
        "schedule", "book", "Weekly check-in", "--client", "Lumen", "--date", "2025-10-13", "--at", "09:30",
        "--repeat", "weekly", "--count", "4", ok=False)
    assert res.exit_code == 1 and res.stderr == (
        "vakit: 1 of the 4 occurrences checked cannot be booked: Mon 27 Oct 2025 09:30 – 10:00 CET (UTC+01:00) "
        "clashes with 'Board' for Lumen (15 min overlap) (move the series, or pass --allow-conflict)\n")
    assert len(listed(lumen)) == 1
    # clashes are checked for every occurrence, a year ahead and beyond
    lumen("schedule", "book", "Far", "--client", "Lumen", "--at", "2026-11-02 11:00")
    res = lumen("schedule", "book", "Weekly", "--client", "Lumen", "--at", "2025-10-06 11:00", "--repeat",
                "weekly", "--count", "60", ok=False)
    assert res.stderr == ("vakit: 1 of the 60 occurrences checked cannot be booked: Mon 02 Nov 2026 11:00 – 11:30 CET "
                          "(UTC+01:00) clashes with 'Far' for Lumen (30 min overlap) (move the series, or pass "
                          "--allow-conflict)\n")
    # the rules (working hours may change) only within a year
    lumen("schedule", "cancel", "2")
    res = lumen("schedule", "book", "Weekly", "--client", "Lumen", "--at", "2025-10-06 11:00", "--repeat",
                "weekly", "--count", "60")
    assert "checked for your rules up to Thu 01 Oct 2026 09:00 PST (UTC+08:00) (clashes: all); the 8 later " \
        "occurrences will be checked against the rules when moved" in res.stdout
    assert len(listed(lumen)) == 62


@pytest.mark.parametrize(("args", "message"), [
    (("--repeat", "weekly"), "vakit: a repeating appointment needs an end (an RRULE without UNTIL or COUNT) (add "
                             "--count N or --until DATE; a year of weekly calls is --count 52)\n"),
    (("--repeat", "weekly", "--count", "3", "--until", "2025-12-01"), "vakit: give --count or --until, not both\n"),
    (("--repeat", "yearly", "--count", "3"), "vakit: --repeat 'yearly' is not weekly, biweekly or monthly\n"),
    (("--repeat", "weekly", "--count", "521"), "vakit: --count 521 is outside 1–520\n"),
    (("--repeat", "weekly", "--until", "2025-10-12"),
     "vakit: --until 2025-10-12 is before the first occurrence, Mon 13 Oct 2025 09:30 CEST (UTC+02:00)\n"),
    (("--count", "3"), "vakit: --count and --until go with --repeat weekly|biweekly|monthly\n"),
])
def test_a_series_without_a_proper_end_is_refused_and_changes_nothing(lumen, args, message):
    res = lumen("schedule", "book", "Call", "--client", "Lumen", "--at", "2025-10-13 09:30", *args, ok=False)
    assert (res.exit_code, res.stderr, res.stdout) == (1, message, "")
    assert listed(lumen) == []


def test_until_is_inclusive_in_the_booking_zone_and_monthly_skips_short_months(lumen):
    lumen("schedule", "book", "Biweekly", "--client", "Lumen", "--at", "2025-10-14 09:30", "--repeat", "biweekly",
          "--until", "2025-11-25")
    assert [a["start"] for a in listed(lumen)] == [
        "2025-10-14T07:30:00Z", "2025-10-28T08:30:00Z", "2025-11-11T08:30:00Z", "2025-11-25T08:30:00Z"]
    lumen("schedule", "book", "Month end", "--client", "Lumen", "--at", "2025-10-31 16:00", "--repeat", "monthly",
          "--count", "3")
    month_end = [a["start"] for a in listed(lumen) if a["title"] == "Month end"]
    assert month_end == ["2025-10-31T15:00:00Z", "2025-12-31T15:00:00Z", "2026-01-31T15:00:00Z"]  # RFC 5545: no 31 Nov


def test_an_occurrence_in_a_spring_forward_gap_is_written_with_explicit_times(cli):
    cli.now = "2026-02-01T09:00:00-05:00"
    cli("init", "--name", "VA", "--tz", "America/New_York", "--currency", "USD")
    cli("client", "add", "Night", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "book", "Late", "--client", "Night", "--at", "2026-03-01 02:30", "--duration", "1h", "--repeat",
        "weekly", "--count", "3")
    # 8 Mar 2026 02:30 does not exist in New York: read with the offset before the gap (RFC 5545 §3.3.5)
    starts = [a["start"] for a in listed(cli)]
    assert starts == ["2026-03-01T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-15T06:30:00Z"]
    ics = cli("schedule", "export", "-o", "-").stdout
    lines = ics.splitlines()
    assert "RECURRENCE-ID;TZID=America/New_York:20260308T023000" in lines
    assert "DTSTART;TZID=America/New_York:20260308T033000" in lines
    assert [(r[1], r[2]) for r in read_back(ics)] == [
        ("2026-03-01T07:30:00Z", "2026-03-01T08:30:00Z"), ("2026-03-08T07:30:00Z", "2026-03-08T08:30:00Z"),
        ("2026-03-15T06:30:00Z", "2026-03-15T07:30:00Z")]


def test_invitations_for_a_series_carry_its_overrides(lumen, tmp_path):
    weekly(lumen, "--count", "3")
    lumen("schedule", "cancel", "2")
    request = lumen("schedule", "export", "--id", "1", "--method", "request", "-o", "-").stdout.splitlines()
    assert request.count("BEGIN:VEVENT") == 2 and "RRULE:FREQ=WEEKLY;COUNT=3" in request
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20251020T093000" in request and "STATUS:CANCELLED" in request
    cancel = lumen("schedule", "export", "--id", "2", "--method", "cancel", "-o", "-").stdout.splitlines()
    assert cancel.count("BEGIN:VEVENT") == 1 and "METHOD:CANCEL" in cancel
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20251020T093000" in cancel and "RRULE:FREQ=WEEKLY;COUNT=3" not in cancel


def test_a_series_uid_is_not_an_appointment(lumen, tmp_path):
    weekly(lumen, "--count", "2")
    uid = listed(lumen)[0]["uid"].split("#")[0]
    res = lumen("schedule", "show", uid, ok=False)
    assert res.stderr == (f"vakit: '{uid}' is a recurring series, not one appointment (give an occurrence's id "
                          "from 'vakit schedule list')\n")


def test_the_series_is_stored_as_its_rule_and_one_row_per_occurrence(lumen, tmp_path):
    weekly(lumen, "--count", "2")
    db = next((tmp_path / "home").rglob("*.sqlite3"))
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT freq, interval, count, until_utc, dtstart_local, tz, duration, sequence FROM"
                        " appointment_series").fetchall() == [("WEEKLY", 1, 2, None, "2025-10-13T09:30:00",
                                                               "Europe/Berlin", 1800, 0)]
    assert conn.execute("SELECT recurrence_utc, start_utc FROM appointments ORDER BY id").fetchall() == [
        (1760340600, 1760340600), (1760945400, 1760945400)]


def test_list_marks_occurrences_and_json_names_the_series(lumen):
    weekly(lumen, "--count", "2")
    lumen("schedule", "book", "One-off", "--client", "Lumen", "--at", "2025-10-14 09:30")
    table = lumen("schedule", "list", "--all").stdout
    assert table.count("Weekly check-in ↻") == 2 and "One-off ↻" not in table
    assert "↻ one occurrence of a recurring call (vakit schedule show ID)" in table
    rows = listed(lumen)
    assert [(a["series_id"], a["recurrence_id"]) for a in rows] == [
        (1, "2025-10-13T07:30:00Z"), (None, None), (1, "2025-10-20T07:30:00Z")]


def test_moving_the_following_keeps_their_ids_and_cancellations(lumen):
    weekly(lumen, "--count", "4")
    lumen("schedule", "cancel", "3")
    lumen("schedule", "move", "4", "--at", "2025-11-04 12:00")
    out = lumen("schedule", "move", "1", "--following", "--at", "2025-10-14 10:00").stdout
    assert "  1 occurrence cancelled on their own stay cancelled\n" in out
    assert "  1 occurrence moved on their own now follow the series again\n" in out
    assert [(a["id"], a["start"], a["status"]) for a in listed(lumen)] == [
        (1, "2025-10-14T08:00:00Z", "CONFIRMED"), (2, "2025-10-21T08:00:00Z", "CONFIRMED"),
        (3, "2025-10-28T09:00:00Z", "CANCELLED"), (4, "2025-11-04T09:00:00Z", "CONFIRMED")]
    assert read_back(export(lumen))[2][3] == "CANCELLED"


def test_a_series_cannot_end_before_an_occurrence_that_happened_nor_start_on_a_repeated_hour(cli):
    cli.now = "2026-12-01T09:00:00-05:00"
    cli("init", "--name", "VA", "--tz", "America/New_York", "--currency", "USD")
    cli("client", "add", "NY", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "book", "S", "--client", "NY", "--at", "2026-12-02 10:00", "--repeat", "weekly", "--count", "5")
    cli("schedule", "done", "3", now="2026-12-25T09:00:00-05:00")
    res = cli("schedule", "cancel", "2", "--following", ok=False, now="2026-12-25T09:00:00-05:00")
    assert res.stderr == ("vakit: occurrence #3 (Wed 16 Dec 2026 10:00 EST (UTC-05:00)) is recorded as done, so the "
                          "series cannot end before it (cancel the occurrences after it instead)\n")
    out = cli("schedule", "cancel", "1", "--series", now="2026-12-25T09:00:00-05:00").stdout
    assert "the whole series (1 recorded as done or no-show stay)" in out
    ics = cli("schedule", "export", "-o", "-").stdout.splitlines()
    assert "RECURRENCE-ID;TZID=America/New_York:20261216T100000" in ics  # the call that happened stays
    assert [r[3] for r in read_back("\r\n".join(ics))].count("CONFIRMED") == 1
    # 01:30-05:00 on 7 Nov 2027 is the second 01:30 (EST); the wall-clock rule would name the first (EDT)
    res = cli("schedule", "book", "R", "--client", "NY", "--at", "2027-11-07 01:30-05:00", "--repeat", "weekly",
              "--count", "2", ok=False)
    assert res.stderr == ("vakit: Sun 07 Nov 2027 01:30 EST (UTC-05:00) is the second of two 01:30s in "
                          "America/New_York that night; a series keeps its wall time, which names the first (start "
                          "the series at another time, or book this one on its own)\n")
    res = cli("schedule", "book", "Z", "--client", "NY", "--at", "2199-12-20 10:00", "--repeat", "weekly",
              "--count", "3", ok=False)
    assert res.stderr == "vakit: the series runs past 2199, the last year vakit keeps (end it earlier)\n"


def test_show_gives_the_recurrence_id_the_rule_names_in_a_gap(cli):
    cli.now = "2027-03-01T09:00:00-05:00"
    cli("init", "--name", "VA", "--tz", "America/New_York", "--currency", "USD")
    cli("client", "add", "NY", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "book", "Late", "--client", "NY", "--at", "2027-03-07 02:30", "--repeat", "weekly", "--count", "2")
    assert "RECURRENCE-ID 20270314T023000 America/New_York" in cli("schedule", "show", "2").stdout


def test_exporting_an_occurrence_names_the_file_after_it_and_counts_events(lumen, tmp_path):
    weekly(lumen, "--count", "3")
    out = lumen("schedule", "export", "--id", "2", "-o", f"{tmp_path}/").stdout
    assert out == f"Wrote 1 event (3 occurrences of recurring calls) to {tmp_path}/lumen-2.ics\n"
    out = lumen("schedule", "export", "--id", "3", "-o", f"{tmp_path}/").stdout
    assert out.endswith("lumen-3.ics\n")
