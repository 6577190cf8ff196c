"""Credit notes and draft lines at their edges (issue 9, found by a breaking helper): a line is credited once, a
line discount only with its line, no credit takes more tax than is left, only-untaxed remainders credit by amount;
receipts never overwrite the invoice's PDF or a receipt; units print as typed."""

from __future__ import annotations

import json
import sqlite3

import pytest

NOW = "2026-12-01T09:00:00+01:00"


def _dump() -> list[str]:
    from vakit.cli.common import ledger_path

    return list(sqlite3.connect(ledger_path()).iterdump())


def _data(res) -> dict:
    return json.loads(res.stdout)["data"]


@pytest.fixture
def base(cli):
    cli.now = NOW
    cli("init", "--name", "Ana VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_IE",
        "--number-pattern", "INV-{year}-{seq:04}")
    cli("client", "add", "Kiwi", "--country", "DE", "--locale", "en_IE")
    return cli


def test_a_line_is_credited_once_and_a_line_discount_only_with_its_line(base, cli):
    cli("contract", "add", "--client", "Kiwi", "--rate", "50", "--tax", "VAT 19%", "--from", "2026-11-01")
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-03", "--from", "09:00", "--to", "13:00", "Inbox")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "line", "add", "#1", "Posts", "--qty", "1", "--price", "100")
    cli("invoice", "line", "discount", "#1", "2", "50%")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    for lines, message in (("3", "line 2 of invoice INV-2026-0001 has a discount (line 3), so they are credited "
                                 "together (--lines 2,3)"),
                           ("1,3", "line 2 of invoice INV-2026-0001 has a discount (line 3), so they are credited "
                                   "together (--lines 2,3)")):
        res = cli("invoice", "credit", "INV-2026-0001", "--lines", lines, ok=False)
        assert (res.exit_code, res.stderr) == (1, f"vakit: {message}\n"), lines
    note = _data(cli("invoice", "credit", "INV-2026-0001", "--lines", "2,3", "--json"))
    assert (note["lines"][0]["amount"]["amount"], note["lines"][1]["amount"]["amount"], note["total"]["amount"]) == (
        "100.00", "-50.00", "59.50")
    before = _dump()
    res = cli("invoice", "credit", "INV-2026-0001", "--lines", "2,3", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: line 2 of invoice INV-2026-0001 is credited already\n")
    res = cli("invoice", "credit", "INV-2026-0001", "--lines", "٣", ok=False)  # an Arabic-Indic three
    assert (res.exit_code, res.stderr) == (1, "vakit: --lines '٣': give line numbers such as 1,3\n")
    assert _dump() == before
    rest = _data(cli("invoice", "credit", "INV-2026-0001", "--json"))
    assert (rest["taxes"][0]["amount"]["amount"], rest["total"]["amount"]) == ("38.00", "238.00")


def test_no_credit_takes_more_tax_than_is_left(base, cli):
    cli("contract", "add", "--client", "Kiwi", "--rate", "100.04", "--tax", "VAT 19%", "--tax-inclusive", "--from",
        "2026-11-01")
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-03", "--from", "09:00", "--to", "10:00")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")  # 100.04 including VAT 15.97
    first = _data(cli("invoice", "credit", "INV-2026-0001", "--amount", "12.00", "--reason", "a", "--json"))
    assert first["taxes"][0]["amount"]["amount"] == "1.92"  # 12 × 19/119 = 1.916
    before = _dump()
    # 88.03 × 19/119 = 14.055 → 14.06, a cent more than the 14.05 left
    res = cli("invoice", "credit", "INV-2026-0001", "--amount", "88.03", "--reason", "b", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: a credit of €88.03 would take more of invoice INV-2026-0001's "
                                              "amount or tax than earlier credit notes left of it (credit all that "
                                              "remains (no --amount, no --lines), or less)\n")
    assert _dump() == before
    rest = _data(cli("invoice", "credit", "INV-2026-0001", "--reason", "rest", "--json"))
    assert ([(t["base"]["amount"], t["amount"]["amount"]) for t in rest["taxes"]], rest["total"]["amount"]) == (
        [("73.99", "14.05")], "88.04")


def test_an_invoice_with_only_untaxed_lines_left_is_credited_by_amount(base, cli):
    cli("contract", "add", "--client", "Kiwi", "--rate", "50", "--tax", "VAT 19%", "--from", "2026-11-01")
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-03", "--from", "09:00", "--to", "13:00", "Inbox")
    cli("expense", "add", "Court fee", "-c", "Kiwi", "-a", "80.00", "-d", "2026-11-05", "--untaxed", "disbursement")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    cli("invoice", "credit", "INV-2026-0001", "--lines", "1")
    note = _data(cli("invoice", "credit", "INV-2026-0001", "--amount", "30", "--reason", "fee reduced", "--json"))
    assert ([(li["amount"]["amount"], li["untaxed"]) for li in note["lines"]],
            [t["amount"]["amount"] for t in note["taxes"]], note["total"]["amount"]) == (
        [("30.00", "disbursement")], ["0.00"], "30.00")


def test_receipts_never_overwrite_the_invoice_pdf_or_a_receipt(base, cli, tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.chdir(tmp_path)
    cli("contract", "add", "--client", "Kiwi", "--rate", "50", "--from", "2026-11-01")
    Image.new("RGB", (40, 40), "white").save(tmp_path / "r.png")
    cli("expense", "add", "Taxi", "-c", "Kiwi", "-a", "12.00", "-d", "2026-11-06", "--receipt", "r.png")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    cli("invoice", "pdf", "INV-2026-0001")
    own = (tmp_path / "INV-2026-0001.pdf").read_bytes()
    receipt = (tmp_path / "r.png").read_bytes()
    res = cli("invoice", "pdf", "INV-2026-0001", "--attach-receipts", "-o", "INV-2026-0001.pdf", "--force", ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: {tmp_path}/INV-2026-0001.pdf is the name of invoice "
                                              "INV-2026-0001's own PDF; the invoice with its receipts is another file "
                                              "(leave -o out, or name another file (default "
                                              "INV-2026-0001+receipts.pdf))\n")
    res = cli("invoice", "pdf", "INV-2026-0001", "--attach-receipts", "-o", "r.png", "--force", ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: {tmp_path}/r.png is the receipt of expense 1; it is never "
                                              "written over (name another file with -o)\n")
    assert (tmp_path / "INV-2026-0001.pdf").read_bytes() == own and (tmp_path / "r.png").read_bytes() == receipt


def test_draft_lines_bill_something_print_units_as_typed_and_take_expenses_of_their_period(base, cli):
    cli("contract", "add", "--client", "Kiwi", "--rate", "50", "--from", "2026-11-01")
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-03", "--from", "09:00", "--to", "10:00")
    cli("expense", "add", "December taxi", "-c", "Kiwi", "-a", "9.00", "-d", "2026-12-01")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    out = cli("invoice", "line", "add", "#1", "Boxes packed", "--qty", "2", "--unit", "box", "--price", "3").stdout
    assert "2 box " in out and "boxs" not in out  # the unit as typed, no "s" made up
    before = _dump()
    res = cli("invoice", "line", "add", "#1", "x", "--qty", "0.0001", "--price", "0.01", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: 0.0001 × 0.01 EUR bills nothing (a line bills at least one "
                                              "minor unit)\n")
    res = cli("invoice", "line", "expense", "#1", "1", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: expense 1 is dated 2026-12-01, after draft #1's period (to "
                                              "2026-11-30) (it goes on the invoice of the month it was spent in)\n")
    assert _dump() == before
