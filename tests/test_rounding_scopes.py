"""Rounding per entry, per day and per invoice line, and invoice line detail (issue 9; field cases C-16, C-19):
the report, the draft, its JSON, the PDF and the CSV export show the same hours and amounts."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_late_time import pdf_text

from vakit.core.models import Rounding
from vakit.core.rounding import parse_rounding, round_seconds

NOW = "2025-06-02T09:00:00+01:00"


@pytest.fixture
def acme(cli):
    cli.now = NOW
    cli("init", "--name", "Test VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB")
    cli("client", "add", "Acme", "--tz", "Europe/London")
    return cli


def _c16_entries(cli) -> None:
    for a, b, tag in (("09:00", "09:07", "+calls"), ("11:20", "11:27", "+inbox"), ("16:05", "16:12", "+calls")):
        cli("log", "add", "--client", "Acme", "--date", "2025-04-02", "--from", a, "--to", b, f"work {a}", tag)


def _report(cli, by: str) -> dict:
    data = json.loads(cli("log", "report", "--date", "2025-04-02", "--by", by, "--json").stdout)["data"]
    return {r["key"]: r["billed_seconds"] for r in data["rows"]}


def _draft(cli, *extra) -> dict:
    return json.loads(cli("invoice", "create", "--client", "Acme", "--month", "2025-04", "--dry-run", "--json",
                          *extra).stdout)["data"][0]


@pytest.mark.parametrize(("scope", "billed", "amount", "by_tag"), [
    ("per-entry", 45 * 60, "30.00", {"calls": 30 * 60, "inbox": 15 * 60}),
    ("per-day", 30 * 60, "20.00", {"calls": 30 * 60, "inbox": 0}),
])
def test_c16_the_report_and_the_invoice_round_alike_per_entry_and_per_day(acme, cli, scope, billed, amount, by_tag):
    """Three 7-minute entries up to 15 minutes: per entry 3 × 0:15 = 0:45 → 30.00; per day 0:21 → 0:30 →
    20.00. The day's share goes to its entries in order (0:15, 0:00, 0:15), so tags add up to the day."""
    cli("contract", "add", "--client", "Acme", "--rate", "40.00", "--rounding", f"up:15m:{scope}", "--from",
        "2025-04-01")
    _c16_entries(cli)
    assert _report(cli, "client") == {"Acme": billed}
    assert list(_report(cli, "day").values()) == [billed]
    tags = _report(cli, "tag")
    assert tags == by_tag and sum(tags.values()) == billed
    inv = _draft(cli)
    assert inv["billed_seconds"] == billed
    assert [(li["quantity"], li["amount"]["amount"]) for li in inv["lines"]] == [
        (f"{billed / 3600:.2f}", amount)]
    assert inv["total"]["amount"] == amount
    lines = _draft(cli, "--detail", "per-day")["lines"]
    assert [(li["description"], li["quantity"]) for li in lines] == [("Wed 02 Apr 2025", f"{billed / 3600:.2f}")]


def test_rounding_per_invoice_line_rounds_each_lines_time_once(acme, cli):
    cli("contract", "add", "--client", "Acme", "--rate", "40.00", "--rounding", "up:15m:per-line", "--detail",
        "per-task", "--from", "2025-04-01")
    for a, b, what in (("09:00", "09:07", "Inbox"), ("11:20", "11:27", "inbox "), ("16:05", "16:12", "Calls")):
        cli("log", "add", "--client", "Acme", "--date", "2025-04-02", "--from", a, "--to", b, what)
    cli("log", "add", "--client", "Acme", "--date", "2025-04-03", "--from", "10:00", "--to", "10:20", "Inbox")
    inv = _draft(cli)
    # Inbox: 7 + 7 + 20 = 34 min → 0:45 → 0.75 h = 30.00; Calls: 7 min → 0:15 → 10.00
    assert [(li["description"], li["quantity"], li["amount"]["amount"]) for li in inv["lines"]] == [
        ("Inbox", "0.75", "30.00"), ("Calls", "0.25", "10.00")]
    month = json.loads(cli("log", "report", "--month", "2025-04", "--json").stdout)["data"]["rows"]
    assert [r["billed_seconds"] for r in month] == [60 * 60]


def test_c19_tax_on_the_subtotal_of_per_entry_lines_in_show_pdf_and_csv(acme, cli, tmp_path):
    cli("client", "add", "Acme EU", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE")
    cli("contract", "add", "--client", "Acme EU", "--rate", "35.00", "--tax", "VAT 19%", "--detail", "per-entry",
        "--from", "2025-05-01")
    for a, b in (("09:00", "09:21"), ("10:00", "10:21"), ("11:00", "11:21")):
        cli("log", "add", "--client", "Acme EU", "--date", "2025-05-05", "--from", a, "--to", b, "Research")
    cli("invoice", "create", "--client", "Acme EU", "--month", "2025-05")
    inv = json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]
    assert [(li["quantity"], li["unit_price"], li["amount"]["amount"]) for li in inv["lines"]] == [
        ("0.35", "35.00", "12.25")] * 3
    # VAT on the subtotal: 36.75 × 0.19 = 6.9825 → 6.98 (per line it would be 3 × 2.33 = 6.99)
    assert (inv["subtotal"]["amount"], inv["taxes"][0]["amount"]["amount"], inv["total"]["amount"]) == (
        "36.75", "6.98", "43.73")
    shown = " ".join(cli("invoice", "show", "#1").stdout.split())
    assert "Subtotal │ │ │ 36,75 €" in shown and "VAT 19% on 36,75 € │ │ │ 6,98 €" in shown
    assert "Total │ │ │ 43,73 €" in shown
    cli("invoice", "pdf", "#1", "-o", str(tmp_path / "c19.pdf"))
    text = " ".join(pdf_text(tmp_path / "c19.pdf").split())
    assert text.count("0,35 h 35,00 € 12,25 €") == 3
    assert "Subtotal 36,75 € VAT 19% on 36,75 € 6,98 € Total (EUR) 43,73 €" in text
    csv_text = cli("invoice", "export", "#1").stdout
    assert csv_text.splitlines()[-3:] == ["subtotal,Subtotal,,,,36.75,EUR", "tax,VAT 19% on 36.75,,,19,6.98,EUR",
                                          "total,Total,,,,43.73,EUR"]


def test_rounding_scopes_are_read_as_typed():
    assert parse_rounding("up:15m:per-day") == Rounding(900, "up", "day")
    assert parse_rounding("nearest:6m:per-line") == Rounding(360, "nearest", "line")
    assert parse_rounding("down:1m") == Rounding(60, "down", "entry")
    assert Rounding(900, "up", "line").describe() == "up to 15 min per invoice line"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=1, max_value=4 * 3600), min_size=1, max_size=12),
       st.sampled_from(["up", "nearest", "down"]), st.sampled_from([60, 360, 900, 1800]))
def test_shares_of_a_unit_add_up_to_its_rounded_time(secs, direction, inc):
    """round(before + s) − round(before) over a unit's entries in order sums to round(total), whatever the
    entries: the rule behind every scope (rounding_units)."""
    r = Rounding(inc, direction, "day")
    before, shares = 0, []
    for s in secs:
        shares.append(round_seconds(before + s, r) - round_seconds(before, r))
        before += s
    assert sum(shares) == round_seconds(sum(secs), r)
    assert all(x % inc == 0 and x >= 0 for x in shares)
