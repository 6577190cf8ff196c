"""Lines typed onto a draft by hand (issue 9: per-item lines, one-off charges, a credit on one line): quantity ×
unit price on every line, the discount, taxes and total computed again, refusals changing nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest


def _dump() -> list[str]:
    from vakit.cli.common import ledger_path

    return list(sqlite3.connect(ledger_path()).iterdump())


def _show(cli) -> dict:
    return json.loads(cli("invoice", "show", "#1", "--json").stdout)["data"]


@pytest.fixture
def draft(cli):
    cli.now = "2025-06-02T09:00:00+02:00"
    cli("init", "--name", "Eva VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_IE")
    cli("client", "add", "Vega")
    cli("contract", "add", "--client", "Vega", "--rate", "250.00", "--tax", "VAT 19%", "--from", "2025-05-01")
    cli("log", "add", "--client", "Vega", "--date", "2025-05-05", "--from", "08:00", "--to", "12:00", "Board pack")
    cli("invoice", "create", "--client", "Vega", "--month", "2025-05")
    return cli


def test_items_by_the_piece_and_a_credit_line_with_a_percentage_discount(draft, cli):
    out = cli("invoice", "line", "add", "#1", "Posts scheduled", "--qty", "12", "--price", "8.00", "--unit",
              "posts").stdout
    assert "│ Posts scheduled              │ 12 posts │      €8.00 │    €96.00 │" in out
    cli("invoice", "edit", "#1", "--discount", "10%")
    cli("invoice", "line", "add", "#1", "Goodwill credit", "--qty", "1", "--price", "-50")
    inv = _show(cli)
    # 1,000.00 + 96.00 − 50.00 = 1,046.00; 10 % = 104.60; net 941.40; VAT 19 % = 178.866 → 178.87; total 1,120.27
    assert [(li["quantity"], li["unit"], li["unit_price"], li["amount"]["amount"]) for li in inv["lines"]] == [
        ("4.00", "h", "250.00", "1000.00"), ("12", "posts", "8.00", "96.00"), ("1", "item", "-50", "-50.00")]
    assert (inv["subtotal"]["amount"], inv["discount"]["amount"]["amount"], inv["net"]["amount"],
            inv["taxes"][0]["amount"]["amount"], inv["total"]["amount"]) == (
        "1046.00", "104.60", "941.40", "178.87", "1120.27")
    cli("invoice", "line", "rm", "#1", "2")
    inv = _show(cli)
    assert (inv["subtotal"]["amount"], inv["discount"]["amount"]["amount"], inv["total"]["amount"]) == (
        "950.00", "95.00", "1017.45")
    row = sqlite3.connect(_ledger()).execute("SELECT subtotal_minor, tax_minor, total_minor FROM invoices").fetchone()
    assert row == (95000, 16245, 101745)


def _ledger():
    from vakit.cli.common import ledger_path

    return ledger_path()


@pytest.mark.parametrize(("args", "message"), [
    (("rm", "#1", "1"), "vakit: line 1 of draft #1 bills its time, not a line added by hand (to bill the time "
                        "differently, delete the draft: vakit invoice delete '#1')\n"),
    (("rm", "#1", "5"), "vakit: draft #1 has lines 1 to 1; there is no line 5\n"),
    (("add", "#1", "Setup", "--qty", "0", "--price", "10"),
     "vakit: a quantity of 0 cannot be billed (give more than 0, with at most 4 decimals)\n"),
    (("add", "#1", "Setup", "--qty", "1", "--price", "-2000"),
     "vakit: the lines would add up to -€1,000.00, less than nothing (a credit to the client is a credit note: "
     "vakit invoice credit)\n"),
    (("add", "#1", "Setup", "--qty", "1.00005", "--price", "10"),
     "vakit: a quantity of 1.00005 cannot be billed (give more than 0, with at most 4 decimals)\n"),
])
def test_bad_lines_change_nothing(draft, cli, args, message):
    before = _dump()
    res = cli("invoice", "line", *args, ok=False)
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", message)
    assert _dump() == before


def test_an_issued_invoice_takes_no_new_line(draft, cli):
    cli("invoice", "issue", "#1", "--date", "2025-06-02")
    number = json.loads(cli("invoice", "list", "--json").stdout)["data"][0]["number"]
    res = cli("invoice", "line", "add", number, "Setup", "--qty", "1", "--price", "10", ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: {number} is issued and cannot be changed (an issued invoice "
                                              "is final; a credit note corrects it)\n")


def test_a_line_discount_is_a_line_under_it_before_tax(draft, cli, tmp_path):
    cli("invoice", "line", "add", "#1", "Posts scheduled", "--qty", "12", "--price", "8.00", "--unit", "posts")
    cli("invoice", "line", "discount", "#1", "2", "12.5%", "--reason", "bulk")
    cli("invoice", "line", "discount", "#1", "1", "30.00")
    inv = _show(cli)
    # 96.00 × 12.5 % = 12.00; 1,000.00 − 30.00 + 96.00 − 12.00 = 1,054.00; VAT 19 % = 200.26; total 1,254.26
    assert [(li["description"], li["quantity"], li["unit_price"], li["amount"]["amount"]) for li in inv["lines"]] == [
        ("Virtual assistance, May 2025", "4.00", "250.00", "1000.00"),
        ("Discount: Virtual assistance, May 2025", "1", "-30.00", "-30.00"),
        ("Posts scheduled", "12", "8.00", "96.00"),
        ("Discount 12.5%: Posts scheduled (bulk)", "1", "-12.00", "-12.00")]
    assert (inv["subtotal"]["amount"], inv["taxes"][0]["amount"]["amount"], inv["total"]["amount"]) == (
        "1054.00", "200.26", "1254.26")
    cli("invoice", "line", "rm", "#1", "4")  # the posts' discount alone
    before = _dump()
    for args, message in (
        (("1", "5"), "vakit: line 1 of draft #1 has a discount already (line 2) (remove it first: vakit invoice "
                     "line rm '#1' 2)\n"),
        (("2", "5"), "vakit: line 2 of draft #1 is a discount itself\n"),
        (("3", "96.01"), "vakit: a discount of €96.01 on line 3, which bills €96.00, cannot be given (give more "
                         "than nothing and at most the line's amount)\n"),
        (("3", "0%"), "vakit: a discount of 0% is out of range (give a percentage above 0 and at most 100)\n"),
        (("4", "5"), "vakit: draft #1 has lines 1 to 3; there is no line 4\n"),
    ):
        res = cli("invoice", "line", "discount", "#1", *args, ok=False)
        assert (res.exit_code, res.stderr) == (1, message), args
    assert _dump() == before
    cli("invoice", "line", "discount", "#1", "3", "12.5%")
    cli("invoice", "line", "rm", "#1", "3")  # the posts go, and their discount with them
    assert [li["description"] for li in _show(cli)["lines"]] == [
        "Virtual assistance, May 2025", "Discount: Virtual assistance, May 2025"]
    cli("invoice", "issue", "#1", "--date", "2025-06-02")
    number = _show_number(cli)
    res = cli("invoice", "credit", number, "--lines", "1", ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: line 1 of invoice {number} has a discount (line 2), so they "
                                              "are credited together (--lines 1,2)\n")
    note = json.loads(cli("invoice", "credit", number, "--lines", "1,2", "--json").stdout)["data"]
    assert note["total"]["amount"] == "1154.30"  # 970.00 + VAT 184.30


def _show_number(cli) -> str:
    return json.loads(cli("invoice", "list", "--json").stdout)["data"][0]["number"]
