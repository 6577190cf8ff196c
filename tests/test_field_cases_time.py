"""More field cases on reading and bucketing time (C-02, C-03, C-07, C-08, C-12, C-14)."""

from __future__ import annotations

import json

import pytest

from conftest import entries


@pytest.fixture
def berlin(cli):
    cli("init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", now="2025-01-01T09:00:00+00:00")
    cli("client", "add", "Acme", "--tz", "Europe/Berlin", now="2025-01-01T09:00:00+00:00")
    cli("client", "add", "Birch", "--tz", "Europe/Berlin", now="2025-01-01T09:00:00+00:00")
    return cli


def test_c02_log_looks_back_schedule_looks_forward(london):
    cli = london
    cli.now = "2025-03-12T11:00:00+00:00"  # Wednesday
    out = cli("log", "add", "--client", "Acme", "--date", "monday", "--from", "09:00", "--duration", "1h").stdout
    assert "Mon 10 Mar 2025 09:00 – 10:00 GMT (UTC+00:00)" in out
    out = cli("schedule", "add", "Call", "--client", "Acme", "--date", "friday", "--at", "10:00",
              "--duration", "30m").stdout
    assert "Fri 14 Mar 2025 10:00 – 10:30 GMT (UTC+00:00)" in out
    out = cli("schedule", "add", "Call", "--client", "Acme", "--date", "next friday", "--at", "10:00",
              "--duration", "30m").stdout
    assert "Fri 21 Mar 2025 10:00 – 10:30 GMT (UTC+00:00)" in out


def test_c03_twelve_hour_clock(london):
    cli = london
    cli.now = "2025-05-05T12:00:00+01:00"
    out = cli("log", "add", "--client", "Acme", "--date", "2025-05-02", "--from", "12am", "--to", "12:45am").stdout
    assert "Fri 02 May 2025 00:00 – 00:45 BST (UTC+01:00) (0:45)" in out
    out = cli("log", "add", "--client", "Acme", "--date", "2025-05-02", "--from", "12pm", "--to", "1:15pm").stdout
    assert "12:00 – 13:15 BST (UTC+01:00) (1:15)" in out
    out = cli("schedule", "add", "Lunch", "--client", "Acme", "--date", "2025-05-06", "--at", "12:00 noon",
              "--duration", "30m").stdout
    assert "Tue 06 May 2025 12:00 – 12:30 BST (UTC+01:00)" in out
    bad = cli("log", "add", "--client", "Acme", "--date", "2025-05-02", "--from", "0:30pm", "--to", "1pm", ok=False)
    assert bad.exit_code == 1 and "hour must be 1-12" in bad.stderr
    assert len(entries(cli)) == 2


def test_c07_seven_days_across_spring_forward(berlin):
    cli = berlin
    cli("log", "add", "--client", "Acme", "--date", "2025-03-31", "--from", "16:16", "--to", "16:46",
        now="2025-03-31T16:50:00+02:00")
    rep = json.loads(cli("log", "report", "--last", "7d", "--by-day", "--json", now="2025-03-31T16:50:00+02:00").stdout)
    rows = rep["data"]["rows"]
    assert [r["key"] for r in rows] == [f"2025-03-{d}" for d in range(25, 32)]
    assert [r["seconds"] for r in rows] == [0] * 6 + [1800]
    assert rep["data"]["total_seconds"] == 1800


def test_c08_dst_gap_refused_and_duration_between_instants(berlin):
    cli = berlin
    cli.now = "2025-04-01T09:00:00+02:00"
    bad = cli("log", "add", "--client", "Acme", "--tz", "Europe/Berlin", "--date", "2025-03-30", "--from", "01:30",
              "--to", "02:30", ok=False)
    assert "02:30 does not exist on 2025-03-30 in Europe/Berlin (clocks jump 02:00→03:00)" in bad.stderr
    assert entries(cli) == []
    out = cli("log", "add", "--client", "Acme", "--tz", "Europe/Berlin", "--date", "2025-03-30", "--from", "01:30",
              "--to", "03:30").stdout
    assert "01:30 CET (UTC+01:00) – 03:30 CEST (UTC+02:00) (1:00)" in out
    [e] = entries(cli)
    assert (e["start"], e["end"], e["seconds"]) == ("2025-03-30T00:30:00Z", "2025-03-30T01:30:00Z", 3600)


def test_c12_appointments_sorted_and_checked_by_instant(cli):
    cli.now = "2025-01-10T09:00:00+00:00"
    cli("init", "--name", "VA", "--tz", "Europe/Lisbon", "--currency", "EUR")
    cli("client", "add", "Harbor & Co", "--tz", "America/New_York", "--currency", "USD")
    cli("client", "add", "Kestrel Ltd", "--tz", "Europe/London", "--currency", "GBP")
    cli("schedule", "add", "A", "--client", "Harbor & Co", "--tz", "America/New_York", "--date", "2025-01-15",
        "--at", "15:00", "--duration", "60m")
    cli("schedule", "add", "B", "--client", "Kestrel Ltd", "--tz", "Europe/London", "--date", "2025-01-15",
        "--at", "18:00", "--duration", "60m")
    listed = cli("schedule", "list", "--date", "2025-01-15", "--tz", "Europe/Lisbon").stdout
    b_at = listed.index("Wed 15 Jan 2025 18:00 – 19:00 WET (UTC+00:00)")  # B, your time
    a_at = listed.index("Wed 15 Jan 2025 20:00 – 21:00 WET (UTC+00:00)")  # A, your time
    assert b_at < a_at and "Wed 15 Jan 2025 15:00 – 16:00 EST (UTC-05:00)" in listed  # A, their time
    bad = cli("schedule", "add", "C", "--client", "Kestrel Ltd", "--tz", "Europe/London", "--date", "2025-01-15",
              "--at", "19:30", "--duration", "60m", ok=False)
    assert bad.exit_code == 1 and "clashes with 'A' for Harbor & Co" in bad.stderr and "30 min overlap" in bad.stderr
    cli("schedule", "add", "C", "--client", "Kestrel Ltd", "--tz", "Europe/London", "--date", "2025-01-15",
        "--at", "19:30", "--duration", "60m", "--allow-conflict")


def test_c14_parallel_work_billed_per_client_worked_once(london):
    cli = london
    cli.now = "2025-04-05T09:00:00+01:00"
    cli("log", "add", "--client", "Acme", "--date", "2025-04-03", "--from", "08:00", "--to", "12:00")
    bad = cli("log", "add", "--client", "Birch", "--date", "2025-04-03", "--from", "11:00", "--to", "16:00", ok=False)
    assert bad.exit_code == 1 and "overlaps entry #1 (Acme" in bad.stderr
    cli("log", "add", "--client", "Birch", "--date", "2025-04-03", "--from", "11:00", "--to", "16:00",
        "--allow-overlap")
    rep = json.loads(cli("log", "report", "--date", "2025-04-03", "--json").stdout)["data"]
    assert {r["key"]: r["billable_seconds"] for r in rep["rows"]} == {"Acme": 4 * 3600, "Birch": 5 * 3600}
    assert rep["worked_seconds"] == 8 * 3600


def test_end_on_a_fall_back_night_is_the_first_reading_after_the_start(cli):
    cli.now = "2026-11-02T09:00:00-08:00"
    cli("init", "--name", "VA", "--tz", "America/Los_Angeles", "--currency", "USD")
    cli("client", "add", "Acme")
    out = cli("log", "add", "--client", "Acme", "--from", "2026-11-01 01:30-07:00", "--to", "01:50").stdout
    assert "Sun 01 Nov 2026 01:30 – 01:50 PDT (UTC-07:00) (0:20)" in out
    out = cli("log", "add", "--client", "Acme", "--from", "2026-11-01 01:55-07:00", "--to", "01:10").stdout
    assert "01:55 PDT (UTC-07:00) – 01:10 PST (UTC-08:00) (0:15)" in out


def test_entries_ending_in_the_future_and_backdated_timer_overlap(london):
    cli = london
    cli.now = "2025-05-06T15:00:00+01:00"
    bad = cli("log", "add", "--client", "Acme", "--from", "tomorrow 9am", "--duration", "1h", ok=False)
    assert bad.exit_code == 1 and "the end Wed 07 May 2025 10:00 BST (UTC+01:00) is in the future" in bad.stderr
    cli("log", "add", "--client", "Acme", "--from", "13:00", "--to", "14:00")
    bad = cli("log", "start", "--client", "Birch", "--at", "13:45", ok=False)
    assert "15 min overlap" in bad.stderr
