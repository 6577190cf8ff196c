"""What a breaking session found in payments, credit notes, numbering and month-end files (issue 6): each is
refused in one line before anything changes, or now comes out exact."""

from __future__ import annotations

import json
import sqlite3

import pytest

from test_receivables import dump, js, refused

NOW = "2026-11-02T09:00:00+05:30"


@pytest.fixture
def usd(tmp_path, cli):
    """A USD client Acme at 50/h; October: 2 h on the 5th, invoiced as INV-2026-0001 ($100.00)."""
    db = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "USD", "--number-pattern",
        "INV-{year}-{seq:04}")
    cli("--db", db, "client", "add", "Acme", "--email", "ap@acme.example")
    cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "50", "--from", "2026-08-01")
    cli("--db", db, "log", "add", "-c", "Acme", "--from", "2026-10-05 09:00", "--to", "11:00")
    cli("--db", db, "invoice", "create", "-c", "Acme", "--month", "2026-10")
    cli("--db", db, "invoice", "issue", "#1")
    return db


def test_a_credit_note_whose_pdf_cannot_be_written_is_not_issued(usd, cli, tmp_path):
    (tmp_path / "cn.pdf").write_bytes(b"mine")
    refused(cli, usd, "invoice", "credit", "INV-2026-0001", "--amount", "30", "-o", str(tmp_path / "cn.pdf"),
            text="exists")
    refused(cli, usd, "invoice", "credit", "INV-2026-0001", "--amount", "30", "-o", str(tmp_path / "no/cn.pdf"),
            text="no such folder")
    assert (tmp_path / "cn.pdf").read_bytes() == b"mine"
    out = cli("--db", usd, "invoice", "credit", "INV-2026-0001", "--amount", "30", "-o", f"{tmp_path}/").stdout
    assert "Issued credit note CN-2026-0001" in out and (tmp_path / "CN-2026-0001.pdf").exists()


def test_a_paid_invoice_is_corrected_by_a_credit_note_that_leaves_client_credit(usd, cli):
    cli("--db", usd, "invoice", "pay", "INV-2026-0001", "--amount", "100")
    refused(cli, usd, "invoice", "credit", "INV-2026-0001", "--amount", "40",
            text="a credit of $40.00 is more than invoice INV-2026-0001's balance of $0.00")
    out = cli("--db", usd, "invoice", "credit", "INV-2026-0001", "--amount", "40", "--as-credit").stdout
    assert out.splitlines()[1] == "Acme now has USD 40.00 of credit"
    st = js(cli("--db", usd, "invoice", "show", "INV-2026-0001", "--json"))["standing"]
    assert (st["status"], st["balance"]["amount"]) == ("paid", "0.00")
    [row] = js(cli("--db", usd, "invoice", "statement", "-c", "Acme", "--json"))
    assert row["closing"]["amount"] == "-40.00"  # 100 invoiced − 40 credited − 100 received
    # the credit pays the next invoice
    cli("--db", usd, "log", "add", "-c", "Acme", "--from", "2026-11-02 08:00", "--to", "08:30",
        now="2026-12-01T09:00:00+05:30")
    cli("--db", usd, "invoice", "create", "-c", "Acme", "--month", "2026-11", now="2026-12-01T09:00:00+05:30")
    cli("--db", usd, "invoice", "issue", "#3", now="2026-12-01T09:00:00+05:30")
    cli("--db", usd, "invoice", "pay", "INV-2026-0002", "--amount", "25", "--from-credit",
        now="2026-12-01T09:00:00+05:30")
    st = js(cli("--db", usd, "invoice", "show", "INV-2026-0002", "--json", now="2026-12-01T09:00:00+05:30"))
    assert (st["standing"]["status"], st["standing"]["balance"]["amount"]) == ("paid", "0.00")
    aging = js(cli("--db", usd, "invoice", "aging", "--json", now="2026-12-01T09:00:00+05:30"))
    assert aging == []  # nothing owed; 15.00 of credit left
    refused(cli, usd, "invoice", "pay", "INV-2026-0002", "--amount", "1", "--as-credit", "--from-credit",
            text="--as-credit and --from-credit cannot go together")


def test_two_taxes_an_invoice_can_always_be_credited_to_zero(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--number-pattern",
        "INV-{year}-{seq:04}")
    cli("--db", db, "client", "add", "Tax", "--currency", "INR")
    cli("--db", db, "contract", "add", "--client", "Tax", "--rate", "333.33", "--from", "2026-09-01", "--tax",
        "CGST 9%", "--tax", "SGST 9%")
    cli("--db", db, "log", "add", "-c", "Tax", "--from", "2026-10-05 09:00", "--to", "10:07")
    cli("--db", db, "invoice", "create", "-c", "Tax", "--month", "2026-10")
    cli("--db", db, "invoice", "issue", "#1")
    inv = js(cli("--db", db, "invoice", "show", "INV-2026-0001", "--json"))
    # 1.12 h × 333.33 = 373.33; 9 % = 33.5997 → 33.60 each; total 440.53
    assert (inv["subtotal"]["amount"], inv["total"]["amount"]) == ("373.33", "440.53")
    for amount in ("10", "100.01", "77.77"):
        cli("--db", db, "invoice", "credit", "INV-2026-0001", "--amount", amount)
    # 440.53 − 187.78 = 252.75 is left; crediting exactly that reverses what remains of net and each tax
    left = js(cli("--db", db, "invoice", "show", "INV-2026-0001", "--json"))["standing"]["balance"]["amount"]
    cli("--db", db, "invoice", "credit", "INV-2026-0001", "--amount", left)
    conn = sqlite3.connect(db)
    net, tax, total = conn.execute("SELECT sum(subtotal_minor), sum(tax_minor), sum(total_minor) FROM invoices"
                                   " WHERE kind = 'credit_note'").fetchone()
    assert (net, tax, total) == (37333, 6720, 44053)
    per_tax = {}
    for (doc,) in conn.execute("SELECT document FROM invoices WHERE kind = 'credit_note'"):
        for t in json.loads(doc)["taxes"]:
            per_tax[t["name"]] = per_tax.get(t["name"], 0) + t["amount_minor"]
    assert per_tax == {"CGST": 3360, "SGST": 3360}
    assert js(cli("--db", db, "invoice", "show", "INV-2026-0001", "--json"))["standing"]["status"] == "credited"


def test_voiding_an_invoice_with_a_supplementary_invoice_on_top_is_refused(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "GBP", "--number-pattern",
        "INV-{year}-{seq:04}")
    cli("--db", db, "client", "add", "H", "--currency", "GBP")
    cli("--db", db, "contract", "add", "--client", "H", "--kind", "retainer", "--fee", "800", "--included-hours", "20",
        "--overage-rate", "24", "--from", "2026-09-01")
    for d in range(1, 20):
        cli("--db", db, "log", "add", "-c", "H", "--from", f"2026-10-{d:02d} 09:00", "--to", "10:00")
    cli("--db", db, "invoice", "create", "-c", "H", "--month", "2026-10")
    cli("--db", db, "invoice", "issue", "#1")
    cli("--db", db, "log", "add", "-c", "H", "--from", "2026-10-20 09:00", "--to", "12:00")
    cli("--db", db, "invoice", "create", "-c", "H", "--month", "2026-10", "--supplementary")
    cli("--db", db, "invoice", "issue", "#2")  # 19 + 3 − 20 = 2 h × 24 = £48
    assert js(cli("--db", db, "invoice", "show", "INV-2026-0002", "--json"))["total"]["amount"] == "48.00"
    refused(cli, db, "invoice", "void", "INV-2026-0001", "--reason", "redo",
            text="INV-2026-0002 supplements invoice INV-2026-0001; void, credit or delete it first")
    refused(cli, db, "invoice", "credit", "INV-2026-0001", "--rebill",
            text="INV-2026-0002 supplements invoice INV-2026-0001")


def test_number_patterns_that_could_give_the_same_numbers_are_refused(usd, cli):
    refused(cli, usd, "invoice", "numbering", "--credit-pattern", "INV-{year}-000{seq}",
            text="can give the same numbers")
    refused(cli, usd, "invoice", "numbering", "--pattern", "INV-2026-000{seq}",
            text="can give the number INV-2026-0001, which another series has already used")
    refused(cli, usd, "invoice", "numbering", "--pattern", "{seq:4}", text="takes a zero-padded width")
    before = dump(usd)
    out = cli("--db", usd, "invoice", "numbering", "--credit-pattern", "CR-{year}-{seq:03}").stdout
    assert out.splitlines()[1] == "Credit notes: CR-{year}-{seq:03}  (next today: CR-2026-001)"
    assert dump(usd)[0] == before[0]


def test_files_are_checked_before_any_is_written(usd, cli, tmp_path):
    cli.now = "2026-12-30T09:00:00+05:30"
    cli("--db", usd, "client", "add", "Euro", "--currency", "EUR")
    cli("--db", usd, "contract", "add", "--client", "Euro", "--rate", "40", "--from", "2026-08-01")
    cli("--db", usd, "log", "add", "-c", "Euro", "--from", "2026-10-06 09:00", "--to", "10:00")
    cli("--db", usd, "invoice", "create", "-c", "Euro", "--month", "2026-10")
    cli("--db", usd, "invoice", "issue", "#2", "--date", "2026-11-02")  # due 16 Nov like INV-2026-0001
    out = tmp_path / "r"
    out.mkdir()
    (out / "reminder-INV-2026-0002.eml").write_text("mine")
    res = cli("--db", usd, "invoice", "remind", "-o", str(out), ok=False)
    assert res.exit_code == 1 and "exists" in res.stderr
    assert sorted(p.name for p in out.iterdir()) == ["reminder-INV-2026-0002.eml"]  # 0001 not written either
    # a client with two currencies gets one statement per currency: -o must be a folder
    cli("--db", usd, "contract", "add", "--client", "Acme", "--rate", "45", "--currency", "EUR", "--from",
        "2026-11-01")
    cli("--db", usd, "log", "add", "-c", "Acme", "--from", "2026-11-05 09:00", "--to", "10:00")
    cli("--db", usd, "invoice", "create", "-c", "Acme", "--month", "2026-11")
    cli("--db", usd, "invoice", "issue", "#3")
    res = cli("--db", usd, "invoice", "statement", "-c", "Acme", "--pdf", "-o", str(tmp_path / "y.pdf"), ok=False)
    assert res.exit_code == 1 and "has statements in 2 currencies; -o must name a folder" in res.stderr
    assert not (tmp_path / "y.pdf").exists()
    cli("--db", usd, "invoice", "statement", "-c", "Acme", "--pdf", "-o", f"{tmp_path}/")
    assert sorted(p.name for p in tmp_path.glob("statement-*")) == ["statement-1-EUR-2026-12-30.pdf",
                                                                    "statement-1-USD-2026-12-30.pdf"]


def test_payment_text_no_pdf_font_can_draw_is_refused(usd, cli):
    refused(cli, usd, "invoice", "pay", "INV-2026-0001", "--amount", "10", "--method", "\U0001F600",
            text="a statement PDF cannot show")


def test_marking_an_invoice_sent(usd, cli):
    assert cli("--db", usd, "invoice", "sent", "INV-2026-0001", "--date", "2026-11-02").stdout == \
        "Marked INV-2026-0001 sent on 2026-11-02\n"
    [row] = js(cli("--db", usd, "invoice", "list", "--status", "sent", "--json"))
    assert row["standing"]["status"] == "sent" and row["standing"]["sent_date"] == "2026-11-02"
    refused(cli, usd, "invoice", "sent", "INV-2026-0001", text="was already marked sent on 2026-11-02")
    cli("--db", usd, "invoice", "pay", "INV-2026-0001", "--amount", "40")
    assert js(cli("--db", usd, "invoice", "list", "--status", "partly-paid", "--json"))[0]["number"] == "INV-2026-0001"
    refused(cli, usd, "invoice", "sent", "#1", text="was already marked sent")  # #ID names an issued one too


def test_after_a_rebilled_credit_the_month_can_be_billed_again_at_a_corrected_rate(usd, cli):
    cli("--db", usd, "invoice", "credit", "INV-2026-0001", "--rebill", "--reason", "wrong rate")
    out = cli("--db", usd, "contract", "add", "--client", "Acme", "--rate", "55", "--from", "2026-10-01").stdout
    assert "Added contract #2 for Acme from 2026-10-01" in out
    [d] = js(cli("--db", usd, "invoice", "create", "-c", "Acme", "--month", "2026-10", "--json"))
    assert (d["lines"][0]["quantity"], d["lines"][0]["amount"]["amount"]) == ("2.00", "110.00")  # 2 h × 55


def test_a_reminder_names_payments_and_credit_notes(usd, cli):
    cli("--db", usd, "invoice", "pay", "INV-2026-0001", "--amount", "30")
    cli("--db", usd, "invoice", "credit", "INV-2026-0001", "--amount", "20", "--reason", "goodwill")
    out = cli("--db", usd, "invoice", "remind", "--dry-run", now="2026-11-20T09:00:00+05:30").stdout
    assert ("Amount due: $50.00 USD (received so far: $30.00 USD; credited: $20.00 USD by CN-2026-0001)."
            in out)
