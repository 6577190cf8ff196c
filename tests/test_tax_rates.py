"""Taxes as dated data, EU reverse charge, UK VAT in sterling and the amount in words (issue 9): each figure
read from the JSON, the ledger and the PDF text alike; bad input refused in one line, changing nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest
from tests.test_late_time import pdf_text

from vakit.core.words import amount_in_words

REVERSE = "Reverse charge: VAT to be accounted for by the customer (Council Directive 2006/112/EC, Art. 196)"


def _db():
    from vakit.cli.common import ledger_path

    return sqlite3.connect(ledger_path())


def _dump() -> list[str]:
    return list(_db().iterdump())


def _draft(cli, client: str, month: str, *extra) -> dict:
    return json.loads(cli("invoice", "create", "--client", client, "--month", month, "--json", *extra).stdout
                      )["data"][0]


def _doc(invoice_id: int) -> tuple[dict, tuple]:
    row = _db().execute("SELECT document, subtotal_minor, tax_minor, total_minor FROM invoices WHERE id = ?",
                        (invoice_id,)).fetchone()
    return json.loads(row[0]), tuple(row[1:])


@pytest.fixture
def eu(cli):
    """A VA in Berlin, VAT-registered in Germany, with a client in Berlin and one VAT-registered in Paris."""
    cli.now = "2021-02-02T09:00:00+01:00"
    cli("init", "--name", "Eva VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE",
        "--tax-id", "USt-IdNr.=DE136695976")
    cli("client", "add", "Berlin GmbH", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE",
        "--country", "DE", "--tax-id", "DE 298 475 114")
    cli("client", "add", "Paris SARL", "--tz", "Europe/Paris", "--currency", "EUR", "--locale", "de_DE",
        "--country", "FR", "--tax-id", "FR 61 954 506 077")
    return cli


def test_a_rate_change_is_a_new_row_and_each_invoice_takes_the_rate_of_its_month(eu, cli):
    cli("tax", "add", "VAT 19%", "--from", "2007-01-01")
    out = cli("tax", "add", "VAT 16%", "--from", "2020-07-01", "--to", "2020-12-31").stdout
    assert out == "VAT 19% now ends 2020-06-30\nAdded VAT 16% in force 2020-07-01 – 2020-12-31\n"
    cli("tax", "add", "VAT 19%", "--from", "2021-01-01")
    rates = json.loads(cli("tax", "list", "--json").stdout)["data"]
    assert [(r["name"], r["percent"], r["from"], r["to"]) for r in rates] == [
        ("VAT", "19", "2007-01-01", "2020-06-30"), ("VAT", "16", "2020-07-01", "2020-12-31"),
        ("VAT", "19", "2021-01-01", None)]
    cli("contract", "add", "--client", "Berlin", "--rate", "50", "--tax", "VAT", "--from", "2020-06-01")
    for day in ("2020-06-10", "2020-07-10", "2021-01-11"):
        cli("log", "add", "--client", "Berlin", "--date", day, "--from", "09:00", "--to", "11:00", "Work")
    got = []
    for month in ("2020-06", "2020-07", "2021-01"):
        inv = _draft(cli, "Berlin", month)
        doc, sums = _doc(inv["id"])
        got.append((inv["taxes"][0]["percent"], inv["taxes"][0]["amount"]["amount"], inv["total"]["amount"],
                    doc["taxes"][0]["percent"], sums))
    # 2 h × 50.00 = 100.00; VAT 19 % / 16 % (July to December 2020) / 19 %; each invoice keeps the rate it used
    assert got == [("19", "19.00", "119.00", "19", (10000, 1900, 11900)),
                   ("16", "16.00", "116.00", "16", (10000, 1600, 11600)),
                   ("19", "19.00", "119.00", "19", (10000, 1900, 11900))]


@pytest.mark.parametrize(("args", "message"), [
    (("tax", "add", "VAT 120%", "--from", "2022-01-01"), "vakit: tax rate 120% is above 100%\n"),
    (("tax", "add", "VAT 15%", "--from", "2020-10-01", "--to", "2020-11-30"),
     "vakit: VAT 15% from 2020-10-01 would share dates with VAT 16% in force 2020-07-01 – 2020-12-31; a tax has "
     "one rate on any date (give dates that follow each other)\n"),
    (("tax", "add", "VAT 15%", "--from", "2020-10-01", "--to", "2020-09-30"),
     "vakit: the rate would end on 2020-09-30, before it starts (2020-10-01)\n"),
    (("tax", "add", "VAT 5%", "--from", "2020-01-01", "--zero-rated", "Export"),
     "vakit: a zero-rated tax is 0% with its reason, e.g. \"VAT 0%\" --zero-rated \"Export of services\"\n"),
    (("contract", "add", "--client", "Berlin", "--rate", "50", "--tax", "GST", "--from", "2020-06-01"),
     "vakit: no tax rate named 'GST' (add it first: vakit tax add \"GST RATE%\" --from DATE; or give the rate: "
     "--tax \"GST RATE%\")\n"),
])
def test_bad_tax_rates_change_nothing(eu, cli, args, message):
    cli("tax", "add", "VAT 16%", "--from", "2020-07-01", "--to", "2020-12-31")
    before = _dump()
    res = cli(*args, ok=False)
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", message)
    assert _dump() == before


def test_a_month_without_a_rate_in_force_is_not_billed(eu, cli):
    cli("tax", "add", "VAT 16%", "--from", "2020-07-01", "--to", "2020-12-31")
    cli("contract", "add", "--client", "Berlin", "--rate", "50", "--tax", "VAT", "--from", "2020-06-01")
    cli("log", "add", "--client", "Berlin", "--date", "2021-01-11", "--from", "09:00", "--to", "11:00", "Work")
    before = _dump()
    res = cli("invoice", "create", "--client", "Berlin", "--month", "2021-01", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: no VAT rate is in force on 2021-01-31 (add one: vakit tax add "
                                              "\"VAT RATE%\" --from DATE)\n")
    assert _dump() == before


def test_a_zero_rated_tax_prints_its_reason(eu, cli):
    cli("tax", "add", "VAT export 0%", "--from", "2020-01-01", "--zero-rated", "Export of services")
    cli("contract", "add", "--client", "Berlin", "--rate", "50", "--tax", "VAT export", "--from", "2020-06-01")
    cli("log", "add", "--client", "Berlin", "--date", "2020-06-10", "--from", "09:00", "--to", "11:00", "Work")
    inv = _draft(cli, "Berlin", "2020-06")
    assert [(t["name"], t["percent"], t["amount"]["amount"]) for t in inv["taxes"]] == [("VAT export", "0", "0.00")]
    assert inv["legends"] == ["VAT export 0%: zero-rated, Export of services"]


def test_eu_reverse_charge_b2b_and_domestic_vat(eu, cli, tmp_path):
    cli("tax", "add", "VAT 19%", "--from", "2007-01-01")
    before = _dump()
    res = cli("contract", "add", "--client", "Paris", "--rate", "50", "--tax", "VAT", "--from", "2020-06-01",
              ok=False)
    assert res.stderr == ("vakit: VAT (dated rate) on services from DE to a business VAT-registered in FR: the "
                          "customer accounts for the VAT (reverse charge, Council Directive 2006/112/EC, Art. 44 "
                          "and 196), so the invoice carries none (give the taxes the rule asks for, or pass --force "
                          "to keep these)\n")
    assert _dump() == before
    cli("contract", "add", "--client", "Paris", "--rate", "50", "--from", "2020-06-01")
    cli("contract", "add", "--client", "Berlin", "--rate", "50", "--tax", "VAT", "--from", "2020-06-01")
    for who in ("Paris", "Berlin"):
        cli("log", "add", "--client", who, "--date", "2020-06-10", "--from", "09:00" if who == "Paris" else "12:00",
            "--duration", "2h", "Work")
    paris, berlin = _draft(cli, "Paris", "2020-06"), _draft(cli, "Berlin", "2020-06")
    assert (paris["taxes"], paris["total"]["amount"], paris["legends"]) == ([], "100.00", [REVERSE])
    assert _doc(paris["id"])[1] == (10000, 0, 10000) and _doc(paris["id"])[0]["legends"] == [REVERSE]
    assert (berlin["taxes"][0]["amount"]["amount"], berlin["total"]["amount"], berlin["legends"]) == (
        "19.00", "119.00", [])
    cli("invoice", "pdf", str(paris["id"]), "-o", str(tmp_path / "paris.pdf"))
    text = pdf_text(tmp_path / "paris.pdf")
    # both VAT numbers (Art. 226(3)-(4)) and the words "Reverse charge" (Art. 226(11a))
    assert "USt-IdNr.: DE136695976" in text and "VAT ID: FR61954506077" in text
    assert " ".join(REVERSE.split()) in " ".join(text.split())
    assert "100,00 €" in text and "VAT 19%" not in text


def test_uk_vat_in_sterling_on_an_invoice_in_dollars(cli, tmp_path):
    cli.now = "2025-06-02T09:00:00+01:00"
    cli("init", "--name", "Lucy VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB", "--tax-id",
        "VAT=GB 980 7806 84")
    cli("client", "add", "Hudson", "--currency", "USD", "--locale", "en_US", "--country", "GB")
    cli("contract", "add", "--client", "Hudson", "--rate", "40", "--tax", "VAT 20%", "--from", "2025-05-01")
    cli("log", "add", "--client", "Hudson", "--date", "2025-05-05", "--from", "09:00", "--to", "12:30", "Work")
    before = _dump()
    res = cli("invoice", "create", "--client", "Hudson", "--month", "2025-05", ok=False)
    assert res.stderr == ("vakit: an invoice in USD from a UK VAT-registered business shows its VAT in sterling too "
                          "(HMRC VAT Notice 700, 16.3) (give the rate: --fx-rate GBP_PER_USD [--fx-date "
                          "YYYY-MM-DD])\n")
    assert _dump() == before
    inv = _draft(cli, "Hudson", "2025-05", "--fx-rate", "0.7912", "--fx-date", "2025-05-30")
    # 3.5 h × 40.00 = 140.00; VAT 20 % = 28.00; in sterling 28.00 × 0.7912 = 22.1536 → £22.15
    assert inv["vat_in_gbp"] == {"amount": {"amount": "22.15", "currency": "GBP", "minor": 2215}, "rate": "0.7912",
                                 "date": "2025-05-30"}
    assert _doc(inv["id"])[0]["fx"] == {"rate": "0.7912", "date": "2025-05-30"}
    cli("invoice", "issue", str(inv["id"]), "--date", "2025-06-02")
    number = json.loads(cli("invoice", "list", "--json").stdout)["data"][0]["number"]
    cli("invoice", "pdf", number, "-o", str(tmp_path / "h.pdf"))
    assert "VAT in GBP at 1 USD = 0.7912 GBP (2025-05-30): £22.15" in pdf_text(tmp_path / "h.pdf")
    rows = cli("invoice", "export", number).stdout.splitlines()
    assert rows[-1] == "vat_gbp,VAT in GBP at 1 USD = 0.7912 GBP (2025-05-30),,,0.7912,22.15,GBP"


def test_amount_in_words_in_lakh_and_crore():
    assert amount_in_words(1416050, "INR") == "Fourteen Thousand, One Hundred And Sixty Rupees, Fifty Paise Only"
    assert amount_in_words(1234567800, "INR") == ("One Crore, Twenty-Three Lakh, Forty-Five Thousand, Six Hundred "
                                                  "And Seventy-Eight Rupees Only")
    assert amount_in_words(100, "EUR") is None


def test_a_gst_invoice_with_a_devanagari_client_prints_the_total_in_words(cli, tmp_path):
    cli.now = "2026-11-10T09:00:00+05:30"
    cli("init", "--name", "Asha VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN",
        "--tax-id", "GSTIN=27AAKPD4821M1ZK")
    cli("client", "add", "श्री गणेश ट्रेडर्स", "--country", "IN", "--tax-id", "27AAHFG7412K1Z8")
    cli("contract", "add", "--client", "श्री", "--rate", "600", "--tax", "CGST 9%", "--tax", "SGST 9%", "--sac",
        "998599", "--from", "2026-10-01")
    cli("log", "add", "--client", "श्री", "--date", "2026-10-05", "--from", "10:00", "--to", "13:15", "लेखा")
    inv = _draft(cli, "श्री", "2026-10")
    # 3.25 h × 600 = 1,950.00; CGST 9 % = 175.50, SGST 9 % = 175.50; total 2,301.00
    assert inv["total"]["amount"] == "2301.00"
    assert inv["amount_in_words"] == "Two Thousand, Three Hundred And One Rupees Only"
    cli("invoice", "pdf", str(inv["id"]), "-o", str(tmp_path / "gst.pdf"))
    text = pdf_text(tmp_path / "gst.pdf")
    assert "श्री गणेश ट्रेडर्स" in text
    assert "Amount in words: Two Thousand, Three Hundred And One Rupees Only" in text


def test_a_new_rate_never_changes_a_month_already_invoiced(eu, cli):
    cli("tax", "add", "VAT 19%", "--from", "2007-01-01")
    cli("contract", "add", "--client", "Berlin", "--rate", "50", "--tax", "VAT", "--from", "2020-04-01")
    cli("log", "add", "--client", "Berlin", "--date", "2020-04-07", "--from", "09:00", "--to", "11:00", "w")
    inv = _draft(cli, "Berlin", "2020-04")
    before = _dump()
    res = cli("tax", "add", "VAT 20%", "--from", "2020-01-01", ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: VAT 20% from 2020-01-01 would change the VAT rate of draft "
                                              f"#{inv['id']} (2020-04-01 – 2020-04-30), made with the rate then in "
                                              "the ledger (start the new rate after 2020-04-30, or delete the draft "
                                              "first)\n")
    assert _dump() == before
    cli("tax", "add", "VAT 20%", "--from", "2020-05-01")


def test_vat_kept_with_force_on_a_reverse_charged_client_carries_no_reverse_charge_legend(eu, cli):
    cli("contract", "add", "--client", "Paris", "--rate", "50", "--tax", "VAT 20%", "--from", "2020-06-01",
        "--force")
    cli("log", "add", "--client", "Paris", "--date", "2020-06-10", "--from", "09:00", "--to", "11:00", "Work")
    inv = _draft(cli, "Paris", "2020-06")
    assert (inv["taxes"][0]["amount"]["amount"], inv["legends"]) == ("20.00", [])
