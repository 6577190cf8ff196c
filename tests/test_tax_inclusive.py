"""Tax-inclusive prices (issue 9): a contract whose prices include its taxes; each tax is the part of the price it
makes up (rate / (100 + the rates)), half-up once; the total is the subtotal less any discount; credit notes by
amount, lines and the rest reverse it exactly; the same figures in JSON, the ledger, the PDF and the CSV."""

from __future__ import annotations

import json
import sqlite3

import pytest
from tests.test_late_time import pdf_text

NOW = "2026-12-01T09:00:00+01:00"


def _row(sql: str):
    from vakit.cli.common import ledger_path

    return sqlite3.connect(ledger_path()).execute(sql).fetchall()


@pytest.fixture
def inclusive(cli):
    """59.50 EUR/h including VAT 19 %, 4 h in November 2026."""
    cli.now = NOW
    cli("init", "--name", "Ana VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_IE",
        "--number-pattern", "INV-{year}-{seq:04}")
    cli("client", "add", "Kiwi", "--currency", "EUR", "--locale", "en_IE")
    res = cli("contract", "add", "--client", "Kiwi", "--rate", "59.50", "--tax", "VAT 19%", "--tax-inclusive",
              "--from", "2026-11-01")
    assert "taxes VAT 19%, included in the prices" in res.stdout
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-03", "--from", "09:00", "--to", "13:00", "Inbox")
    return cli


def test_prices_that_include_vat_show_the_vat_they_contain(inclusive, cli, tmp_path):
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11", "--discount", "10%")
    inv = json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]
    # 4 h × 59.50 = 238.00; 10 % = 23.80; 214.20 includes VAT 214.20 × 19/119 = 34.20; net 180.00
    assert (inv["tax_inclusive"], inv["subtotal"]["amount"], inv["discount"]["amount"]["amount"],
            inv["net"]["amount"], inv["total"]["amount"]) == (True, "238.00", "23.80", "180.00", "214.20")
    assert [(t["base"]["amount"], t["amount"]["amount"]) for t in inv["taxes"]] == [("180.00", "34.20")]
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    assert _row("SELECT subtotal_minor, tax_minor, total_minor FROM invoices") == [(23800, 3420, 21420)]
    cli("invoice", "pdf", "INV-2026-0001", "-o", str(tmp_path / "i.pdf"))
    text = " ".join(pdf_text(tmp_path / "i.pdf").split())
    assert "Subtotal €238.00 Discount 10% -€23.80 incl. VAT 19% on €180.00 €34.20 Total (EUR) €214.20" in text
    csv = cli("invoice", "export", "INV-2026-0001").stdout
    # the rows the PDF prints: no net amount between the discount and the tax the prices include
    assert ("discount,Discount 10%,,,,-23.80,EUR\ntax,incl. VAT 19% on 180.00,,,19,34.20,EUR\ntotal,Total,,,,214.20,"
            "EUR") in csv
    # credit 100.00: VAT 100 × 19/119 = 15.966 → 15.97; the rest, 114.20, holds the VAT left: 34.20 − 15.97
    note = json.loads(cli("invoice", "credit", "INV-2026-0001", "--amount", "100", "--reason", "x",
                          "--json").stdout)["data"]
    assert ([(t["base"]["amount"], t["amount"]["amount"]) for t in note["taxes"]], note["total"]["amount"]) == (
        [("84.03", "15.97")], "100.00")
    rest = json.loads(cli("invoice", "credit", "INV-2026-0001", "--reason", "rest", "--json").stdout)["data"]
    assert ([(t["base"]["amount"], t["amount"]["amount"]) for t in rest["taxes"]], rest["total"]["amount"]) == (
        [("95.97", "18.23")], "114.20")
    st = json.loads(cli("invoice", "show", "INV-2026-0001", "--json").stdout)["data"]["standing"]
    assert (st["credited"]["amount"], st["balance"]["amount"]) == ("214.20", "0.00")


def test_two_taxes_included_in_a_price_each_take_their_part(cli):
    cli.now = NOW
    cli("init", "--name", "Asha VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN")
    cli("client", "add", "Ganesh", "--currency", "INR", "--locale", "en_IN")
    cli("contract", "add", "--client", "Ganesh", "--rate", "1180", "--tax", "CGST 9%", "--tax", "SGST 9%",
        "--tax-inclusive", "--from", "2026-11-01")
    cli("log", "add", "--client", "Ganesh", "--date", "2026-11-03", "--from", "09:00", "--to", "10:00")
    inv = json.loads(cli("invoice", "create", "--client", "Ganesh", "--month", "2026-11", "--json").stdout)["data"][0]
    # 1,180.00 including 18 %: each tax 1,180 × 9/118 = 90.00, on 1,000.00
    assert [(t["name"], t["base"]["amount"], t["amount"]["amount"]) for t in inv["taxes"]] == [
        ("CGST", "1000.00", "90.00"), ("SGST", "1000.00", "90.00")]
    assert inv["total"]["amount"] == "1180.00"


def test_tax_inclusive_needs_a_tax_and_cannot_be_an_e_invoice(cli):
    pytest.importorskip("facturx", reason="the factur-x library (vakit[einvoice]) is not installed")
    cli.now = NOW
    cli("init", "--name", "Ana VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--tax-id", "VAT=DE136695976")
    cli("client", "add", "Kiwi", "--country", "DE", "--einvoice")
    res = cli("contract", "add", "--client", "Kiwi", "--rate", "50", "--tax-inclusive", "--from", "2026-11-01",
              ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: --tax-inclusive says the prices include the taxes, and the "
                                              "contract has none (give the tax too, e.g. --tax \"VAT 19%\")\n")
    cli("contract", "add", "--client", "Kiwi", "--rate", "50", "--tax", "VAT 19%", "--tax-inclusive", "--from",
        "2026-11-01")
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-03", "--from", "09:00", "--to", "10:00")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    res = cli("invoice", "issue", "#1", "--date", "2026-12-01", ok=False)
    assert (res.exit_code, res.stderr.splitlines()[0]) == (
        1, "vakit: a Factur-X e-invoice states net prices, and this document's prices include the tax (bill the "
           "client with taxes on top (a contract without --tax-inclusive), or stop e-invoices: vakit client edit NAME "
           "--no-einvoice)")
