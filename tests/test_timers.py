"""Timers (start, stop, switch, resume, cancel, status), own time, tags, ids, sources, and how typed times are
echoed and read relative to the entry (issue 7)."""

from __future__ import annotations

import json
import sqlite3

from conftest import entries
from vakit.cli.common import ledger_path


def _db(cli) -> sqlite3.Connection:
    return sqlite3.connect(ledger_path())


def test_start_without_a_client_is_own_non_billable_time_from_the_timer(london):
    cli = london
    cli.now = "2025-05-06T09:00:00+01:00"
    out = cli("log", "start", "Bookkeeping", "+admin", "--tag", "Finance")
    assert out.stdout == "Started #1 (own time)  Tue 06 May 2025 09:00 BST (UTC+01:00) – running Bookkeeping " \
                         "[Finance, admin]\n"
    cli.now = "2025-05-06T09:45:30+01:00"
    out = cli("log", "stop")
    assert out.stdout == "Stopped #1 (own time)  Tue 06 May 2025 09:00 – 09:45:30 BST (UTC+01:00) (0:45:30) " \
                         "Bookkeeping [Finance, admin]\n"
    [e] = entries(cli)
    assert (e["client"], e["billable"], e["source"], e["tags"], e["seconds"]) == \
        (None, False, "timer", ["Finance", "admin"], 2730)
    out = cli("log", "add", "Reading", "--from", "08:00", "--to", "08:30", "--non-billable")
    assert "#2 (own time)" in out.stdout
    assert [x["source"] for x in entries(cli)] == ["manual", "timer"]  # by start


def test_switch_stops_and_starts_at_the_same_instant(london):
    cli = london
    cli.now = "2025-04-02T10:00:00+01:00"
    cli("log", "start", "--client", "Acme", "Inbox")
    cli.now = "2025-04-02T12:32:17+01:00"
    out = cli("log", "switch", "--client", "Birch", "Calls", "+phone")
    assert out.stdout == (
        "Stopped #1 Acme  Wed 02 Apr 2025 10:00 – 12:32:17 BST (UTC+01:00) (2:32:17) Inbox\n"
        "Started #2 Birch  Wed 02 Apr 2025 12:32:17 BST (UTC+01:00) – running Calls [phone]\n")
    a, b = (_db(cli).execute("SELECT start_utc, end_utc FROM time_entries WHERE id = ?", (i,)).fetchone()
            for i in (1, 2))
    assert a[1] == b[0] and b[1] is None  # no gap, no overlap
    # --at reads a bare time relative to the running entry
    cli.now = "2025-04-02T15:00:00+01:00"
    out = cli("log", "switch", "--client", "Acme", "--at", "14:15")
    assert "Stopped #2 Birch  Wed 02 Apr 2025 12:32:17 – 14:15 BST (UTC+01:00) (1:42:43)" in out.stdout
    assert "Started #3 Acme  Wed 02 Apr 2025 14:15 BST (UTC+01:00) – running" in out.stdout


def test_switch_resume_cancel_without_a_timer_are_refused_in_one_line(london):
    cli = london
    cli.now = "2025-04-02T10:00:00+01:00"
    before = list(_db(cli).iterdump())
    for args in (("switch", "--client", "Acme"), ("cancel",), ("stop",), ("resume",)):
        res = cli("log", *args, ok=False)
        assert res.exit_code == 1 and res.stdout == "" and res.stderr.count("\n") == 1, args
        assert res.stderr.startswith("vakit: no ")
    assert list(_db(cli).iterdump()) == before


def test_resume_takes_client_description_and_tags_of_the_last_or_given_entry(london):
    cli = london
    cli.now = "2025-04-02T12:00:00+01:00"
    cli("log", "add", "--client", "Birch", "Filing", "+admin", "--from", "08:00", "--to", "09:00")
    cli("log", "add", "--client", "Acme", "Inbox", "+email", "--from", "09:00", "--to", "10:00", "--non-billable")
    out = cli("log", "resume")
    assert out.stdout == "Resumed #3 Acme  Wed 02 Apr 2025 12:00 BST (UTC+01:00) – running Inbox [email]\n"
    cli.now = "2025-04-02T12:30:00+01:00"
    refused = cli("log", "resume", "1", ok=False)
    assert refused.exit_code == 1 and "a timer is already running for Acme" in refused.stderr
    cli("log", "stop")
    out = cli("log", "resume", "1")
    assert out.stdout == "Resumed #4 Birch  Wed 02 Apr 2025 12:30 BST (UTC+01:00) – running Filing [admin]\n"
    e = {x["id"]: x for x in entries(cli)}
    assert e[3]["billable"] is False and e[3]["source"] == "timer"


def test_cancel_discards_the_timer_and_ids_are_never_reused(london):
    cli = london
    cli.now = "2025-04-02T10:00:00+01:00"
    cli("log", "start", "--client", "Acme")
    cli.now = "2025-04-02T10:20:00+01:00"
    assert cli("log", "cancel").stdout.startswith("Cancelled #1 Acme  Wed 02 Apr 2025 10:00 BST (UTC+01:00)")
    assert entries(cli) == []
    out = cli("log", "add", "--client", "Acme", "--from", "08:00", "--to", "09:00")
    assert out.stdout.startswith("Added #2 ")
    cli("log", "rm", "2")
    assert cli("log", "add", "--client", "Acme", "--from", "08:00", "--to", "09:00").stdout.startswith("Added #3 ")


def test_a_timer_past_the_maximum_is_named_by_status_and_the_next_command(london):
    cli = london
    cli.now = "2025-04-02T08:00:00+01:00"
    cli("log", "start", "--client", "Acme")
    cli.now = "2025-04-02T19:59:00+01:00"
    assert "Warning" not in cli("log", "status").stdout
    cli.now = "2025-04-02T20:30:00+01:00"
    out = cli("log", "status")
    assert ("Warning: the timer #1 (Acme) has run 12:30 since Wed 02 Apr 2025 08:00 BST (UTC+01:00), more than "
            "the 12:00 maximum; if it was forgotten: 'vakit log stop --at TIME' (or 'vakit log cancel')") in out.stdout
    res = cli("log", "add", "--client", "Birch", "--date", "2025-04-01", "--from", "09:00", "--to", "10:00")
    assert "vakit: note: the timer #1 (Acme) has run 12:30" in res.stderr
    assert "vakit: note: the timer #1 (Acme) has run 12:30" in cli("log", "report").stderr
    assert cli("client", "list").stderr == ""
    assert json.loads(cli("log", "status", "--json").stdout)["data"]["warning"].startswith("the timer #1")
    assert cli("log", "settings", "--timer-max", "14h").stdout.startswith("timer maximum: 14:00")
    assert "Warning" not in cli("log", "status").stdout
    bad = cli("log", "settings", "--timer-max", "20h", ok=False)
    assert bad.exit_code == 1 and "outside 0:01–16:00" in bad.stderr


def test_manila_is_never_just_pst_and_typed_seconds_are_echoed(cli):
    cli.now = "2026-11-10T23:30:00+08:00"
    cli("init", "--name", "VA", "--tz", "Asia/Manila", "--currency", "PHP", "--locale", "en_PH")
    cli("client", "add", "Northwind", "--tz", "America/Los_Angeles", "--currency", "USD")
    out = cli("log", "add", "--client", "Northwind", "--from", "21:00:00", "--to", "21:22:30", "Inbox")
    assert out.stdout == "Added #1 Northwind  Tue 10 Nov 2026 21:00 – 21:22:30 PST (UTC+08:00) (0:22:30) Inbox\n"
    out = cli("log", "add", "--client", "Northwind", "--tz", "America/Los_Angeles", "--from", "05:30",
              "--to", "06:00", "Call")
    assert out.stdout == "Added #2 Northwind  Tue 10 Nov 2026 05:30 – 06:00 PST (UTC-08:00) (0:30) Call\n"


def test_bare_times_in_edit_and_stop_are_read_relative_to_the_entry(london):
    cli = london
    cli.now = "2025-11-12T12:00:00+00:00"  # Wednesday
    cli("log", "add", "--client", "Acme", "--date", "2025-11-10", "--from", "21:00", "--to", "23:00")
    out = cli("log", "edit", "1", "--from", "22:15")  # on the entry's own date, not today
    assert out.stdout == "Updated #1 Acme  Mon 10 Nov 2025 22:15 – 23:00 GMT (UTC+00:00) (0:45)\n"
    out = cli("log", "edit", "1", "--to", "00:30")  # the first 00:30 after the start
    assert "Mon 10 Nov 2025 22:15 GMT (UTC+00:00) – Tue 11 Nov 2025 00:30 GMT (UTC+00:00) (2:15)" in out.stdout
    bad = cli("log", "edit", "1", "--from", "2025-11-11 01:00", ok=False)
    assert bad.stderr == ("vakit: the end Tue 11 Nov 2025 00:30 GMT (UTC+00:00) is before the start Tue 11 Nov 2025 "
                          "01:00 GMT (UTC+00:00)\n")
    cli.now = "2025-11-12T09:10:00+00:00"
    cli("log", "start", "--client", "Birch", "--at", "09:00")
    bad = cli("log", "stop", "--at", "08:30", ok=False)
    assert bad.stderr == ("vakit: the end Wed 12 Nov 2025 08:30 GMT (UTC+00:00) is before the start Wed 12 Nov 2025 "
                          "09:00 GMT (UTC+00:00), and Thu 13 Nov 2025 08:30 GMT (UTC+00:00) is in the future\n")
    out = cli("log", "stop", "--at", "09:05:30")
    assert out.stdout == "Stopped #2 Birch  Wed 12 Nov 2025 09:00 – 09:05:30 GMT (UTC+00:00) (0:05:30)\n"


def test_edit_tags_own_time_and_back(london):
    cli = london
    cli.now = "2025-11-12T12:00:00+00:00"
    cli("log", "add", "--client", "Acme", "--from", "09:00", "--to", "10:00", "x", "+calls", "+email")
    assert cli("log", "edit", "1", "--untag", "CALLS", "--tag", "admin").stdout.endswith("x [email, admin]\n")
    out = cli("log", "edit", "1", "--own")
    assert "#1 (own time)" in out.stdout
    [e] = entries(cli)
    assert (e["client"], e["billable"]) == (None, False)
    cli("log", "edit", "1", "--client", "Birch", "--billable")
    [e] = entries(cli)
    assert (e["client"], e["billable"]) == ("Birch", True)
    bad = cli("log", "add", "--client", "Acme", "--from", "11:00", "--to", "11:30", "--tag", "a,b", ok=False)
    assert bad.exit_code == 1 and "tag 'a,b' contains a comma" in bad.stderr


def test_an_old_ledger_keeps_its_ids_and_never_reuses_the_highest(tmp_path):
    from test_ledger_file import run, v1_ledger

    db = v1_ledger(tmp_path / "v1.sqlite3")
    conn = sqlite3.connect(db)
    top, running_id = conn.execute("SELECT max(id), (SELECT id FROM time_entries WHERE end_utc IS NULL)"
                                   " FROM time_entries").fetchone()
    conn.close()
    assert top == running_id == 129
    res = run("log", "cancel", db=db)  # the migration runs first, then the highest id is deleted
    assert res.returncode == 0 and res.stdout.startswith("Cancelled #129 "), res.stderr
    res = run("log", "add", "--client", "Harbour", "--from", "2026-11-02 09:00", "--to", "2026-11-02 09:30", db=db)
    assert res.returncode == 0 and res.stdout.startswith("Added #130 "), res.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM time_entries WHERE source = 'import:toggl'").fetchone()[0] > 100
    assert conn.execute("SELECT count(*) FROM time_entries WHERE source = 'toggl'").fetchone()[0] == 0


def test_a_listing_across_a_clock_change_says_what_each_abbreviation_means(london):
    cli = london
    cli.now = "2025-04-02T10:00:00+01:00"
    cli("log", "add", "--client", "Acme", "--from", "2025-03-29 09:00", "--to", "2025-03-29 10:00")
    cli("log", "add", "--client", "Acme", "--from", "2025-03-30 00:30", "--to", "2025-03-30 03:00")
    out = cli("log", "list", "--from", "2025-03-29", "--to", "2025-03-30").stdout
    assert "Time entries (Europe/London; BST = UTC+01:00; GMT = UTC+00:00)" in out
    assert "09:00 – 10:00 GMT" in out and "00:30 GMT – 03:00 BST" in out and "1:30" in out


def test_status_today_is_the_report_figure_and_names_worked_time_when_they_differ(london):
    cli = london
    cli.now = "2025-04-03T17:00:00+01:00"
    cli("log", "add", "--client", "Acme", "--from", "08:00", "--to", "12:00")
    cli("log", "add", "--client", "Birch", "--from", "11:00", "--to", "16:00:30", "--allow-overlap")
    out = cli("log", "status").stdout
    assert out == ("No timer is running.\n"
                   "Today (Europe/London): 9:00:30 (8:00:30 worked: parallel work counted once)\n")
    data = json.loads(cli("log", "report", "--date", "today", "--json").stdout)["data"]
    assert (data["total_seconds"], data["worked_seconds"]) == (32430, 28830)


def test_bad_input_to_the_new_options_is_one_line_and_changes_nothing(london):
    cli = london
    cli.now = "2025-04-02T10:00:00+01:00"
    cli("log", "add", "--client", "Acme", "--from", "08:00", "--to", "09:00", "x")
    cli("log", "start", "--client", "Birch")
    cli.now = "2025-04-02T10:40:00+01:00"
    before = list(_db(cli).iterdump())
    cases = {
        ("log", "resume", "99"): "no time entry #99",
        ("log", "switch", "--client", "Nobody"): "no client",
        ("log", "switch", "--client", "Acme", "--at", "9 o'clock"): "could not parse",
        ("log", "switch", "--client", "Acme", "--at", "09:30"): "the end Wed 02 Apr 2025 09:30 BST (UTC+01:00) is "
                                                                "before the start",
        ("log", "stop", "--at", "soonish"): "could not parse",
        ("log", "edit", "1", "--own", "--client", "Birch"): "give --client or --own, not both",
        ("log", "edit", "1", "--tag", ""): "a tag must not be empty",
        ("log", "edit", "1", "--tag", "a\x1bb"): "control character",
        ("log", "settings", "--timer-max", "ten hours"): "",
        ("log", "start", "--client", "Acme", "+x,y"): "tag 'x,y' contains a comma",
    }
    for args, says in cases.items():
        res = cli(*args, ok=False)
        assert res.exit_code == 1 and res.stdout == "" and res.stderr.count("\n") == 1, (args, res.stderr)
        assert res.stderr.startswith("vakit: ") and says in res.stderr, (args, res.stderr)
    assert list(_db(cli).iterdump()) == before


def test_a_timer_stopped_the_second_it_started_is_refused_with_the_way_out(cli):
    cli.now = "2026-11-10T10:00:00+00:00"
    cli("init", "--name", "VA", "--tz", "UTC", "--currency", "EUR")
    cli("log", "start", "Inbox")
    res = cli("log", "stop", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: the timer #1 started at Tue 10 Nov 2026 10:00 UTC and has not "
                                              "run a second yet (stop it later, or drop it: vakit log cancel)\n")
    assert cli("log", "stop", now="2026-11-10T10:25:00+00:00").stdout == (
        "Stopped #1 (own time)  Tue 10 Nov 2026 10:00 – 10:25 UTC (0:25) Inbox\n")
