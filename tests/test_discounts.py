"""Invoice discounts, taken from the subtotal before tax (issue 9, field case C-18): the same figures in the CLI's
table, its JSON, the ledger, the PDF and the CSV export; a credit note of a discounted invoice; bad discounts."""

from __future__ import annotations

import json
import sqlite3

import pytest
from tests.test_late_time import pdf_text

NOW = "2025-06-02T09:00:00+02:00"


def _dump() -> list[str]:
    from vakit.cli.common import ledger_path

    return list(sqlite3.connect(ledger_path()).iterdump())


@pytest.fixture
def vega(cli):
    """C-18's setup: 250.00 EUR/h with VAT 19 %, 34 h logged in May 2025."""
    cli.now = NOW
    cli("init", "--name", "Eva VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE",
        "--number-pattern", "INV-{year}-{seq:04}")
    cli("client", "add", "Vega", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_IE")
    cli("contract", "add", "--client", "Vega", "--rate", "250.00", "--tax", "VAT 19%", "--from", "2025-05-01")
    for day in ("05", "06", "07"):
        cli("log", "add", "--client", "Vega", "--date", f"2025-05-{day}", "--from", "08:00", "--to", "18:00")
    cli("log", "add", "--client", "Vega", "--date", "2025-05-08", "--from", "08:00", "--to", "12:00")
    return cli


def test_c18_a_discount_and_tax_total_exactly_1190(vega, cli, tmp_path):
    res = cli("invoice", "create", "--client", "Vega", "--month", "2025-05", "--discount", "7500.00")
    table = " ".join(res.stdout.split())
    for row in ("Subtotal │ │ │ €8,500.00", "Discount │ │ │ -€7,500.00", "Net amount │ │ │ €1,000.00",
                "VAT 19% on €1,000.00 │ │ │ €190.00", "Total │ │ │ €1,190.00"):
        assert row in table, row
    inv = json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]
    assert (inv["subtotal"]["amount"], inv["discount"]["amount"]["amount"], inv["net"]["amount"]) == (
        "8500.00", "7500.00", "1000.00")
    assert [(t["base"]["amount"], t["amount"]["amount"]) for t in inv["taxes"]] == [("1000.00", "190.00")]
    assert inv["total"]["amount"] == "1190.00"
    cli("invoice", "issue", "#1", "--date", "2025-06-02")
    from vakit.cli.common import ledger_path

    row = sqlite3.connect(ledger_path()).execute("SELECT subtotal_minor, tax_minor, total_minor FROM invoices"
                                                 " WHERE id = 1").fetchone()
    assert row == (850000, 19000, 119000)
    cli("invoice", "pdf", "INV-2025-0001", "-o", str(tmp_path / "vega.pdf"))
    text = " ".join(pdf_text(tmp_path / "vega.pdf").split())
    assert ("Subtotal €8,500.00 Discount -€7,500.00 Net amount €1,000.00 VAT 19% on €1,000.00 €190.00 Total (EUR) "
            "€1,190.00") in text
    # paying the total leaves nothing owed: not a cent either way
    cli("invoice", "pay", "INV-2025-0001", "--amount", "1190.00", "--date", "2025-06-02")
    st = json.loads(cli("invoice", "show", "INV-2025-0001", "--json").stdout)["data"]["standing"]
    assert (st["status"], st["balance"]["amount"]) == ("paid", "0.00")


def test_a_percentage_discount_is_rounded_half_up_and_can_change_on_the_draft(vega, cli):
    cli("invoice", "create", "--client", "Vega", "--month", "2025-05", "--discount", "2.5%", "--discount-reason",
        "early payment")
    inv = json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]
    # 8,500.00 × 2.5 % = 212.50; net 8,287.50; VAT 19 % = 1,574.625 → 1,574.63 (half-up); total 9,862.13
    assert (inv["discount"]["label"], inv["discount"]["amount"]["amount"], inv["net"]["amount"],
            inv["taxes"][0]["amount"]["amount"], inv["total"]["amount"]) == (
        "Discount 2.5%: early payment", "212.50", "8287.50", "1574.63", "9862.13")
    cli("invoice", "edit", "#1", "--discount", "none")
    inv = json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]
    assert (inv["discount"], inv["taxes"][0]["amount"]["amount"], inv["total"]["amount"]) == (
        None, "1615.00", "10115.00")


def test_a_whole_credit_note_of_a_discounted_invoice_reverses_its_total(vega, cli):
    cli("invoice", "create", "--client", "Vega", "--month", "2025-05", "--discount", "7500.00")
    cli("invoice", "issue", "#1", "--date", "2025-06-02")
    note = json.loads(cli("invoice", "credit", "INV-2025-0001", "--reason", "cancelled", "--json").stdout)["data"]
    assert (note["subtotal"]["amount"], note["discount"]["amount"]["amount"], note["taxes"][0]["amount"]["amount"],
            note["total"]["amount"]) == ("8500.00", "7500.00", "190.00", "1190.00")
    st = json.loads(cli("invoice", "show", "INV-2025-0001", "--json").stdout)["data"]["standing"]
    assert (st["credited"]["amount"], st["balance"]["amount"]) == ("1190.00", "0.00")


@pytest.mark.parametrize(("args", "message"), [
    (("create", "--client", "Vega", "--month", "2025-05", "--discount", "9000.00"),
     "vakit: a discount of €9,000.00 is more than the subtotal of €8,500.00\n"),
    (("create", "--client", "Vega", "--month", "2025-05", "--discount", "120%"),
     "vakit: a discount of 120% is out of range (give a percentage above 0 and at most 100)\n"),
    (("create", "--client", "Vega", "--month", "2025-05", "--discount", "100.00 USD"),
     "vakit: the invoice is in EUR; a discount in USD cannot be applied to it (give the amount in EUR)\n"),
    (("create", "--client", "Vega", "--month", "2025-05", "--discount", "10.005"),
     "vakit: amount 10.005 has more decimals than EUR allows (2)\n"),
])
def test_a_bad_discount_changes_nothing(vega, cli, args, message):
    before = _dump()
    res = cli("invoice", *args, ok=False)
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", message)
    assert _dump() == before


def test_a_discount_above_the_subtotal_on_a_draft_changes_nothing(vega, cli):
    cli("invoice", "create", "--client", "Vega", "--month", "2025-05")
    before = _dump()
    res = cli("invoice", "edit", "#1", "--discount", "8500.01", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: a discount of €8,500.01 is more than the subtotal of "
                                              "€8,500.00\n")
    assert _dump() == before


def test_discount_options_that_would_be_dropped_are_refused(vega, cli):
    cli("invoice", "create", "--client", "Vega", "--month", "2025-05")
    before = _dump()
    for args, message in (
        (("--discount-reason", "loyalty"), "vakit: --discount-reason goes with --discount (give the discount again "
                                           "with its reason)\n"),
        (("--discount", "none", "--discount-reason", "x"), "vakit: --discount-reason goes with a discount, not with "
                                                           "--discount none\n"),
        (("--discount", "0%"), "vakit: a discount of 0% is out of range (give a percentage above 0 and at most "
                               "100)\n"),
        (("--discount", "0"), "vakit: a discount must be more than zero\n"),
    ):
        res = cli("invoice", "edit", "#1", *args, ok=False)
        assert (res.exit_code, res.stderr) == (1, message), args
        assert _dump() == before
