"""Expenses (issue 9): billed on the client's next invoice in their currency, at cost, converted at a typed rate
or with a markup, untaxed disbursements outside the taxes and the discount; the figures alike in the CLI's JSON,
the ledger and the PDF; receipts appended to the PDF; bad expenses refused with nothing changed."""

from __future__ import annotations

import json
import sqlite3

import pytest
from tests.test_late_time import pdf_text

NOW = "2026-12-01T09:00:00+01:00"


def _dump() -> list[str]:
    from vakit.cli.common import ledger_path

    return list(sqlite3.connect(ledger_path()).iterdump())


def _ledger():
    from vakit.cli.common import ledger_path

    return sqlite3.connect(ledger_path())


@pytest.fixture
def kiwi(cli):
    """A German VA billing Kiwi Co 50.00 EUR/h with VAT 19 %, 4 h logged on 3 November 2026."""
    cli.now = NOW
    cli("init", "--name", "Ana VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_IE",
        "--number-pattern", "INV-{year}-{seq:04}")
    cli("client", "add", "Kiwi Co", "--currency", "EUR", "--locale", "en_IE", "--country", "DE")
    cli("contract", "add", "--client", "Kiwi", "--rate", "50.00", "--tax", "VAT 19%", "--from", "2026-11-01")
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-03", "--from", "09:00", "--to", "13:00", "Inbox")
    return cli


def _receipts(tmp_path):
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    png = tmp_path / "train.png"
    im = Image.new("RGB", (400, 600), "white")
    ImageDraw.Draw(im).rectangle((20, 20, 380, 580), outline="black")
    im.save(png)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(0, 10, "Courier receipt no. 4471")
    pdf.output(str(tmp_path / "courier.pdf"))
    return png, tmp_path / "courier.pdf"


def test_an_invoice_with_expenses_and_a_discount_reads_alike_in_json_ledger_and_pdf(kiwi, cli, tmp_path):
    png, courier = _receipts(tmp_path)
    res = cli("expense", "add", "Train ticket", "-c", "Kiwi", "-a", "120.00", "--currency", "USD", "-d",
              "2026-11-04", "--rate", "0.9213", "--markup", "10%", "--receipt", str(png))
    # 120.00 × 0.9213 × 1.10 = 121.6116 → 121.61 (rounded once, half-up)
    assert res.stdout.strip() == "Added expense 1: Kiwi Co, 2026-11-04, Train ticket: $120.00 (bills €121.61)"
    cli("expense", "add", "Courier paid for the client", "-c", "Kiwi", "-a", "35.00", "-d", "2026-11-05",
        "--untaxed", "disbursement", "--receipt", str(courier))
    cli("expense", "add", "Parking", "-c", "Kiwi", "-a", "4.50", "-d", "2026-12-01")  # after November: waits
    cli("expense", "add", "Own laptop stand", "-c", "Kiwi", "-a", "30.00", "-d", "2026-11-06", "--not-billable")
    res = cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11", "--discount", "10%")
    assert "1 entry, 4:00 h billed, 2 expenses" in res.stdout
    inv = json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]
    assert [(li["description"], li["quantity"], li["unit_price"], li["amount"]["amount"], li["expense"],
             li["untaxed"]) for li in inv["lines"]] == [
        ("Virtual assistance, November 2026", "4.00", "50.00", "200.00", None, None),
        ("Train ticket (expense 2026-11-04; US$120.00 at 0.9213; +10% markup)", "1", "121.61", "121.61", 1, None),
        ("Courier paid for the client (expense 2026-11-05; no tax: disbursement)", "1", "35.00", "35.00", 2,
         "disbursement")]
    # the discount and the VAT apply to the taxed lines, 200.00 + 121.61 = 321.61: 10 % = 32.161 → 32.16;
    # VAT 19 % of 289.45 = 54.9955 → 55.00; total 356.61 − 32.16 + 55.00 = 379.45
    assert (inv["subtotal"]["amount"], inv["discount"]["amount"]["amount"], inv["net"]["amount"]) == (
        "356.61", "32.16", "324.45")
    assert [(t["base"]["amount"], t["amount"]["amount"]) for t in inv["taxes"]] == [("289.45", "55.00")]
    assert inv["total"]["amount"] == "379.45"
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    assert _ledger().execute("SELECT subtotal_minor, tax_minor, total_minor FROM invoices WHERE id = 1"
                             ).fetchone() == (35661, 5500, 37945)
    assert _ledger().execute("SELECT id, invoice_id FROM expenses ORDER BY id").fetchall() == [
        (1, 1), (2, 1), (3, None), (4, None)]
    cli("invoice", "pdf", "INV-2026-0001", "-o", str(tmp_path / "kiwi.pdf"))
    text = " ".join(pdf_text(tmp_path / "kiwi.pdf").split())
    assert ("Subtotal €356.61 Discount 10% of €321.61 -€32.16 Net amount €324.45 VAT 19% on "
            "€289.45 €55.00 Total (EUR) €379.45") in text
    # the receipts follow the invoice's page: the image under its line's heading, the PDF as it is
    cli("invoice", "pdf", "INV-2026-0001", "-o", str(tmp_path / "with.pdf"), "--attach-receipts")
    from pypdf import PdfReader

    pages = PdfReader(tmp_path / "with.pdf").pages
    assert len(pages) == 3
    assert "Receipt for line 2: Train ticket (2026-11-04)" in pages[1].extract_text()
    assert "Courier receipt no. 4471" in pages[2].extract_text()
    listed = json.loads(cli("expense", "list", "--json").stdout)["data"]
    assert [(e["id"], e["billed"], e["invoice"]) for e in listed] == [
        (1, "121.61", "INV-2026-0001"), (2, "35.00", "INV-2026-0001"), (4, "30.00", None), (3, "4.50", None)]


def test_an_expense_in_a_currency_with_no_rate_is_refused_and_nothing_changes(kiwi, cli):
    before = _dump()
    res = cli("expense", "add", "Hotel", "-c", "Kiwi", "-a", "180.00", "--currency", "USD", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: an expense in USD billed in EUR needs the exchange rate (add "
                                              "--rate R: EUR per 1 USD on the day you paid; vakit looks no rates "
                                              "up)\n")
    res = cli("expense", "add", "Hotel", "-c", "Kiwi", "-a", "180.00", "--rate", "1.1", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("vakit: --rate converts an expense into another currency")
    res = cli("expense", "add", "Hotel", "-c", "Kiwi", "-a", "180.005", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: amount 180.005 has more decimals than EUR allows (2)\n")
    res = cli("expense", "add", "Hotel", "-c", "Kiwi", "-a", "0", ok=False)
    assert res.exit_code == 1 and len(res.stderr.splitlines()) == 1
    assert _dump() == before


def test_a_billed_expense_cannot_change_and_comes_back_when_its_draft_goes(kiwi, cli):
    cli("expense", "add", "Courier", "-c", "Kiwi", "-a", "35.00", "-d", "2026-11-05")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    before = _dump()
    res = cli("expense", "edit", "1", "--amount", "36.00", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: expense 1 is billed on draft #1 and cannot be changed (remove "
                                              "its line with vakit invoice line rm '#1' N, or delete the draft)\n")
    assert cli("expense", "rm", "1", ok=False).exit_code == 1
    assert _dump() == before
    cli("invoice", "line", "rm", "#1", "2")  # the expense's line: it waits again
    assert json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]["total"]["amount"] == "238.00"
    assert _ledger().execute("SELECT invoice_id FROM expenses").fetchall() == [(None,)]
    cli("invoice", "delete", "#1")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    # 200.00 + 35.00 = 235.00; VAT 44.65; total 279.65
    assert json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]["total"]["amount"] == "279.65"
    cli("invoice", "delete", "#1")
    assert _ledger().execute("SELECT invoice_id FROM expenses").fetchall() == [(None,)]
    cli("expense", "edit", "1", "--amount", "36.00")
    cli("expense", "rm", "1")
    assert _ledger().execute("SELECT count(*) FROM expenses").fetchone() == (0,)


def test_voiding_an_invoice_lets_its_expenses_wait_again(kiwi, cli):
    cli("expense", "add", "Courier", "-c", "Kiwi", "-a", "35.00", "-d", "2026-11-05")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    cli("invoice", "void", "INV-2026-0001", "--reason", "wrong month")
    assert _ledger().execute("SELECT invoice_id FROM expenses").fetchall() == [(None,)]
    assert "1 billable expense waits" in cli("invoice", "unbilled").stdout


def test_an_expense_alone_makes_an_invoice_and_goes_on_one_draft_of_two(kiwi, cli):
    cli("contract", "add", "--client", "Kiwi", "--rate", "60.00", "--from", "2026-11-01",
        "--description", "Bookkeeping")
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-04", "--from", "09:00", "--to", "10:00")
    cli("expense", "add", "Courier", "-c", "Kiwi", "-a", "35.00", "-d", "2026-11-05")
    made = json.loads(cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11", "--json").stdout)["data"]
    assert sum(1 for inv in made for li in inv["lines"] if li["description"].startswith("Courier")) == 1
    for inv in made:
        cli("invoice", "delete", f"#{inv['id']}")
    cli("log", "rm", "1")
    cli("log", "rm", "2")
    # nothing but the expense to bill: the first contract's draft bills it alone
    made = json.loads(cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11", "--json").stdout)["data"]
    assert [[li["amount"]["amount"] for li in inv["lines"]] for inv in made] == [["35.00"]]


def test_attaching_receipts_needs_a_receipt_that_is_still_there(kiwi, cli, tmp_path):
    png, _ = _receipts(tmp_path)
    cli("expense", "add", "Courier", "-c", "Kiwi", "-a", "35.00", "-d", "2026-11-05")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    res = cli("invoice", "pdf", "#1", "-o", str(tmp_path / "a.pdf"), "--attach-receipts", ok=False)
    assert (res.exit_code, res.stderr.splitlines()[0]) == (1, "vakit: draft #1 bills no expense with a receipt "
                                                              "(give the expense a receipt before the draft is "
                                                              "made: vakit expense edit N --receipt FILE)")
    cli("invoice", "delete", "#1")
    cli("expense", "edit", "1", "--receipt", str(png))
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    png.unlink()
    res = cli("invoice", "pdf", "#1", "-o", str(tmp_path / "b.pdf"), "--attach-receipts", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith(f"vakit: cannot read the receipt '{png}'")
    assert not (tmp_path / "b.pdf").exists()
    bad = tmp_path / "notes.txt"
    bad.write_text("not a receipt")
    res = cli("expense", "add", "X", "-c", "Kiwi", "-a", "1.00", "--receipt", str(bad), ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: the receipt '{bad}' is not a PDF, PNG or JPEG file (scan or "
                                              "save it as one of those; vakit appends them to the invoice PDF)\n")


def test_credit_notes_keep_untaxed_lines_out_of_the_tax(kiwi, cli):
    cli("expense", "add", "Court fee", "-c", "Kiwi", "-a", "1000.00", "-d", "2026-11-10", "--untaxed", "disbursement")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")  # 200.00 + VAT 38.00 + 1,000.00 untaxed = 1,238.00
    before = _dump()
    res = cli("invoice", "credit", "INV-2026-0001", "--amount", "500", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: invoice INV-2026-0001 bills untaxed lines beside taxed ones, "
                                              "so an amount cannot be split between them (credit its lines (--lines "
                                              "N) or all that remains (no --amount))\n")
    assert _dump() == before
    cli("invoice", "credit", "INV-2026-0001", "--lines", "1", "--reason", "hours disputed")
    rest = json.loads(cli("invoice", "credit", "INV-2026-0001", "--reason", "fee refunded", "--json").stdout)["data"]
    assert [(li["description"], li["amount"]["amount"], li["untaxed"]) for li in rest["lines"]] == [
        ("Credit of the rest of INV-2026-0001: fee refunded (untaxed lines)", "1000.00", "disbursement")]
    assert ([(t["base"]["amount"], t["amount"]["amount"]) for t in rest["taxes"]], rest["total"]["amount"]) == (
        [("0.00", "0.00")], "1000.00")
    st = json.loads(cli("invoice", "show", "INV-2026-0001", "--json").stdout)["data"]["standing"]
    assert (st["credited"]["amount"], st["balance"]["amount"]) == ("1238.00", "0.00")


def test_receipt_pages_name_the_file_not_its_folder_and_refuse_what_they_cannot_place(kiwi, cli, tmp_path):
    from PIL import Image

    folder = tmp_path / "private folder"
    folder.mkdir()
    small, huge, junk = folder / "taxi.png", folder / "huge.png", folder / "junk.jpg"
    Image.new("RGB", (60, 80), "white").save(small)
    Image.new("1", (7000, 6000)).save(huge)  # 42 million pixels
    junk.write_bytes(b"\xff\xd8\xff" + b"not a jpeg" * 10)
    for n, path in enumerate((small, huge, junk), 1):
        cli("expense", "add", f"Receipt {n}", "-c", "Kiwi", "-a", "1.00", "-d", "2026-11-06", "--receipt", str(path))
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    res = cli("invoice", "pdf", "#1", "-o", str(tmp_path), "--attach-receipts", ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: the receipt '{huge}' is too large an image to place (7000 × "
                                              "6000 pixels) (save it smaller (a 300 dpi scan of a page is about "
                                              "2500 × 3500 pixels))\n")
    cli("invoice", "line", "rm", "#1", "3")
    res = cli("invoice", "pdf", "#1", "-o", str(tmp_path), "--attach-receipts", ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: cannot read the receipt '{junk}': the image is damaged or of a "
                                              "kind vakit does not read (save it again as PNG or JPEG)\n")
    cli("invoice", "line", "rm", "#1", "3")
    cli("invoice", "pdf", "#1", "-o", str(tmp_path), "--attach-receipts")
    from pypdf import PdfReader

    assert [p.name for p in tmp_path.glob("*.pdf")] == ["draft#1+receipts.pdf"]
    page = PdfReader(tmp_path / "draft#1+receipts.pdf").pages[1].extract_text()
    assert "Receipt for line 2: Receipt 1 (2026-11-06)\ntaxi.png" in page and "private" not in page
    # the expenses taken off wait again, and go back on the draft with line expense
    cli("invoice", "line", "expense", "#1", "2")
    lines = json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]["lines"]
    assert [li["expense"] for li in lines] == [None, 1, 2]
    res = cli("invoice", "line", "expense", "#1", "2", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: expense 2 is billed on draft #1 already\n")


def test_an_expense_bills_in_the_currency_of_the_clients_contract_and_says_when_none_bills_it(kiwi, cli):
    cli("client", "add", "Hudson LLC", "--currency", "EUR", "--country", "US")
    cli("contract", "add", "--client", "Hudson", "--rate", "40.00", "--currency", "USD", "--from", "2026-11-01")
    res = cli("expense", "add", "Courier", "-c", "Hudson", "-a", "12.00", "-d", "2026-11-05")
    assert (res.stdout, res.stderr) == (
        "Added expense 1: Hudson LLC, 2026-11-05, Courier: $12.00 (billed at cost)\n", "")
    res = cli("expense", "add", "Stamps", "-c", "Hudson", "-a", "3.00", "--bill-in", "EUR", "-d", "2026-11-05")
    assert res.stderr == ("vakit: warning: no contract of Hudson LLC bills in EUR, so this expense waits until one "
                          "does (or give --bill-in and --rate)\n")
    res = cli("expense", "add", "Stamps", "-c", "Hudson", "-a", "3.00", "--untaxed", "  ", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: a line without tax says why (e.g. --untaxed 'disbursement' or "
                                              "--untaxed 'exempt: Art. 132 VAT Directive')\n")


def test_a_negative_line_below_the_taxed_lines_is_refused_in_words_that_fit(kiwi, cli):
    cli("expense", "add", "Court fee", "-c", "Kiwi", "-a", "500.00", "-d", "2026-11-10", "--untaxed", "disbursement")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    res = cli("invoice", "line", "add", "#1", "Goodwill credit", "--qty", "1", "--price", "-250", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: the taxed lines would add up to -€50.00, less than nothing (a "
                                              "credit to the client is a credit note: vakit invoice credit)\n")


def test_a_line_of_a_discounted_invoice_with_untaxed_lines_is_credited_with_its_share_of_the_discount(kiwi, cli):
    cli("expense", "add", "Train ticket", "-c", "Kiwi", "-a", "89.90", "-d", "2026-11-04")
    cli("expense", "add", "Court fee", "-c", "Kiwi", "-a", "35.00", "-d", "2026-11-05", "--untaxed", "disbursement")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11", "--discount", "5%")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    # taxed 200.00 + 89.90 = 289.90; 5 % = 14.495 → 14.50; VAT 19 % of 275.40 = 52.326 → 52.33; total 362.73
    assert json.loads(cli("invoice", "show", "INV-2026-0001", "--json").stdout)["data"]["total"]["amount"] == "362.73"
    note = json.loads(cli("invoice", "credit", "INV-2026-0001", "--lines", "2", "--reason", "ticket returned",
                          "--json").stdout)["data"]
    # the ticket and its share of the discount: 89.90 × 5 % = 4.495 → 4.50; VAT of 85.40 = 16.226 → 16.23
    assert (note["subtotal"]["amount"], note["discount"]["amount"]["amount"], note["taxes"][0]["base"]["amount"],
            note["taxes"][0]["amount"]["amount"], note["total"]["amount"]) == (
        "89.90", "4.50", "85.40", "16.23", "101.63")
    rest = json.loads(cli("invoice", "credit", "INV-2026-0001", "--reason", "rest", "--json").stdout)["data"]
    # 190.00 taxed + VAT 36.10 (52.33 − 16.23) + 35.00 untaxed = 261.10; 101.63 + 261.10 = 362.73
    assert ([li["amount"]["amount"] for li in rest["lines"]], rest["taxes"][0]["amount"]["amount"],
            rest["total"]["amount"]) == (["190.00", "35.00"], "36.10", "261.10")
    st = json.loads(cli("invoice", "show", "INV-2026-0001", "--json").stdout)["data"]["standing"]
    assert (st["credited"]["amount"], st["balance"]["amount"]) == ("362.73", "0.00")
