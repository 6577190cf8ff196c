"""Field cases C-11 and C-24 (../shared/cases/field-cases.md) through vakit's log and invoice commands."""

from __future__ import annotations

import json

from conftest import entries


def test_c11_times_keep_their_zone_and_day_after_a_flight(cli):
    cli.now = "2025-06-03T12:00:00+02:00"
    cli("init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE")
    cli("client", "add", "Acme", "--tz", "Europe/Berlin")
    out = cli("log", "add", "--client", "Acme", "--date", "2025-06-03", "--from", "09:00", "--to", "10:30")
    assert out.stdout == "Added #1 Acme  Tue 03 Jun 2025 09:00 – 10:30 CEST (UTC+02:00) (1:30)\n"
    [e] = entries(cli)
    assert (e["start"], e["end"]) == ("2025-06-03T07:00:00Z", "2025-06-03T08:30:00Z")
    listed = cli("log", "list", "--date", "2025-06-03").stdout
    assert "(Europe/Berlin; CEST = UTC+02:00)" in listed and "09:00 – 10:30 CEST" in listed and "07:00" not in listed
    # after the flight: the VA's home zone is New York
    cli.now = "2025-06-05T12:00:00-04:00"
    cli("init", "--name", "VA", "--tz", "America/New_York", "--currency", "EUR", "--locale", "de_DE")
    listed = cli("log", "list", "--date", "2025-06-03").stdout
    assert "(America/New_York; EDT = UTC-04:00)" in listed and "03:00 – 04:30 EDT" in listed and "1:30" in listed
    report = json.loads(cli("log", "report", "--from", "2025-06-03", "--to", "2025-06-03", "--json").stdout)["data"]
    assert (report["tz"], report["total_seconds"]) == ("America/New_York", 5400)


def _hours(cli, month: str) -> str:
    data = json.loads(cli("invoice", "create", "--client", "Acme", "--month", month, "--dry-run", "--json").stdout)
    [inv] = data["data"]
    [line] = inv["lines"]
    return line["quantity"]


def test_c24_an_entry_across_month_end_is_billed_once_split_at_the_boundary(cli):
    cli.now = "2025-01-01T09:00:00+01:00"
    cli("init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE")
    cli("client", "add", "Acme", "--tz", "Europe/Berlin")
    cli("contract", "add", "--client", "Acme", "--rate", "40.00")
    cli.now = "2025-04-02T09:00:00+02:00"
    out = cli("log", "add", "--client", "Acme", "--from", "2025-02-28 22:00", "--to", "2025-03-01 02:00")
    assert "(4:00)" in out.stdout
    assert (_hours(cli, "2025-02"), _hours(cli, "2025-03")) == ("2.00", "2.00")
    cli("invoice", "create", "--client", "Acme", "--month", "2025-02")
    cli("invoice", "issue", "#1")
    assert _hours(cli, "2025-03") == "2.00"
    cli("invoice", "create", "--client", "Acme", "--month", "2025-03")
    billed = json.loads(cli("log", "report", "--from", "2025-02-01", "--to", "2025-03-31", "--json").stdout)
    assert billed["data"]["total_seconds"] == 4 * 3600  # 4.00 h billed exactly once overall
