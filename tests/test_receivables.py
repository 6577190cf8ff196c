"""From issued to paid: payments, credit notes, voids, statuses, aging, reminders, statements (issue 6).

Every figure is computed by hand in the comments and read back through three readers where the issue asks
for it: ``--json``, the ledger rows, and the PDF's text (``pdftotext``; the test skips without poppler).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess

import pytest

NOW = "2025-06-02T10:00:00+02:00"


def js(res) -> dict:
    return json.loads(res.stdout)["data"]


def dump(db: str) -> list:
    conn = sqlite3.connect(db)
    return [conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()  # noqa: S608
            for t in ("invoices", "payments", "invoice_events", "invoice_counters", "time_entries")]


@pytest.fixture
def acme(tmp_path, cli):
    """C-20's setup: EUR 47.00/h with VAT 19 %, 2.5 h on 2025-05-06, May invoiced on 2 June (Berlin)."""
    db = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", db, "init", "--name", "Eva VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE",
        "--number-pattern", "INV-{year}-{seq:04}", "--payment-details", "IBAN DE02 1203 0000 0000 2020 51")
    cli("--db", db, "client", "add", "Acme", "--currency", "EUR", "--tz", "Europe/Berlin", "--locale", "en_IE",
        "--email", "ap@acme.example")
    cli("--db", db, "contract", "add", "-c", "Acme", "--rate", "47.00", "--tax", "VAT 19%", "--from", "2025-05-01",
        "--terms", "14")
    cli("--db", db, "log", "add", "-c", "Acme", "--from", "2025-05-06 09:00", "--duration", "2h30m")
    cli("--db", db, "invoice", "create", "-c", "Acme", "--month", "2025-05")
    cli("--db", db, "invoice", "issue", "#1")
    return db


def refused(cli, db, *args, text: str):
    before = dump(db)
    res = cli("--db", db, *args, ok=False)
    assert res.exit_code == 1, res.output
    assert res.stdout == "" and res.stderr.count("\n") == 1 and text in res.stderr, res.stderr
    assert dump(db) == before
    return res.stderr


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_c20_the_screen_the_pdf_and_the_payment_agree_to_the_cent(acme, cli, tmp_path):
    # 2.5 h × 47.00 = 117.50; VAT 117.50 × 0.19 = 22.325 → 22.33 (half-up); total 139.83
    inv = js(cli("--db", acme, "invoice", "show", "INV-2025-0001", "--json"))
    assert (inv["subtotal"]["amount"], inv["taxes"][0]["amount"]["amount"], inv["total"]["amount"]) == \
        ("117.50", "22.33", "139.83")
    row = sqlite3.connect(acme).execute("SELECT subtotal_minor, tax_minor, total_minor FROM invoices").fetchone()
    assert row == (11750, 2233, 13983)
    cli("--db", acme, "invoice", "pdf", "INV-2025-0001", "-o", f"{tmp_path}/")
    text = pdf_text(tmp_path / "INV-2025-0001.pdf")
    assert "€117.50" in text and "€22.33" in text and "€139.83" in text
    out = cli("--db", acme, "invoice", "pay", "INV-2025-0001", "--amount", "139.83").stdout
    assert out == "Recorded EUR 139.83 on INV-2025-0001 (2025-06-02); balance EUR 0.00, status paid\n"
    st = js(cli("--db", acme, "invoice", "show", "INV-2025-0001", "--json"))["standing"]
    assert st["status"] == "paid" and st["balance"]["minor"] == 0 and st["paid"]["amount"] == "139.83"


def test_partial_full_and_over_payments(acme, cli):
    cli("--db", acme, "invoice", "pay", "INV-2025-0001", "--amount", "100.00", "--method", "SEPA",
        "--reference", "RF18 5390 0754 7034")
    st = js(cli("--db", acme, "invoice", "show", "INV-2025-0001", "--json"))["standing"]
    assert (st["status"], st["balance"]["amount"]) == ("partly paid", "39.83")
    # 40.00 > 39.83 is refused; nothing changes
    refused(cli, acme, "invoice", "pay", "INV-2025-0001", "--amount", "40.00",
            text="vakit: €40.00 is more than invoice INV-2025-0001 is owed: the balance is €39.83")
    out = cli("--db", acme, "invoice", "pay", "INV-2025-0001", "--amount", "40.00", "--as-credit").stdout
    assert out == ("Recorded EUR 39.83 on INV-2025-0001 (2025-06-02); balance EUR 0.00, status paid\n"
                   "Held EUR 0.17 as Acme's credit (now EUR 0.17)\n")
    rows = sqlite3.connect(acme).execute("SELECT invoice_id, amount_minor, method FROM payments ORDER BY id").fetchall()
    assert rows == [(1, 10000, "SEPA"), (1, 3983, ""), (None, 17, "")]
    refused(cli, acme, "invoice", "pay", "INV-2025-0001", "--amount", "0.01", text="nothing is due")


@pytest.mark.parametrize("args,text", [
    (("--amount", "10", "--currency", "USD"), "the invoice is in EUR; a payment in USD cannot be applied to it"),
    (("--amount", "10 GBP"), "the invoice is in EUR; a payment in GBP cannot be applied to it"),
    (("--amount", "-5"), "amount must not be negative"),
    (("--amount", "0"), "a payment must be more than zero"),
    (("--amount", "1.005"), "has more decimals than EUR allows (2)"),
    (("--amount", "1,00"), "is ambiguous"),
    (("--amount", "10", "--date", "2025-05-01"), "is before invoice INV-2025-0001 was issued (2025-06-02)"),
    (("--amount", "10", "--date", "2025-07-01"), "is in the future"),
])
def test_bad_payments_are_refused_and_change_nothing(acme, cli, args, text):
    refused(cli, acme, "invoice", "pay", "INV-2025-0001", *args, text=text)


def test_credit_notes_whole_partial_and_by_line_with_their_own_series(acme, cli, tmp_path):
    # a partial credit of 20.00 gross: net 16.81 + VAT 3.19 (16.81 × 0.19 = 3.1939) = 20.00
    out = cli("--db", acme, "invoice", "credit", "INV-2025-0001", "--amount", "20", "--reason", "goodwill",
              "-o", f"{tmp_path}/").stdout
    assert out.splitlines()[0] == ("Issued credit note CN-2025-0001 against INV-2025-0001: EUR 20.00; "
                                   "INV-2025-0001 now has a balance of EUR 119.83 (issued)")
    cn = js(cli("--db", acme, "invoice", "show", "CN-2025-0001", "--json"))
    assert (cn["kind"], cn["subtotal"]["amount"], cn["taxes"][0]["amount"]["amount"], cn["total"]["amount"]) == \
        ("credit_note", "16.81", "3.19", "20.00")
    assert cn["refers_to"] == {"number": "INV-2025-0001", "issue_date": "2025-06-02"} and cn["reason"] == "goodwill"
    row = sqlite3.connect(acme).execute("SELECT kind, refers_to, series, seq, subtotal_minor, tax_minor, total_minor"
                                        " FROM invoices WHERE number = 'CN-2025-0001'").fetchone()
    assert row == ("credit_note", 1, "CN-2025-{seq}", 1, 1681, 319, 2000)
    text = pdf_text(tmp_path / "CN-2025-0001.pdf")
    assert "CREDIT NOTE" in text and "INV-2025-0001 of 2025-06-02" in text
    assert "€16.81" in text and "€3.19" in text and "€20.00" in text and "Reason: goodwill" in text
    # more than the balance is refused; a whole credit is refused once part is credited
    refused(cli, acme, "invoice", "credit", "INV-2025-0001", "--amount", "119.84",
            text="a credit of €119.84 is more than invoice INV-2025-0001's balance of €119.83")
    # a whole credit now credits the rest, reversing exactly what remains of the net and the VAT:
    # 117.50 − 16.81 = 100.69 and 22.33 − 3.19 = 19.14 (not 100.69 × 0.19 = 19.13): 119.83
    cli("--db", acme, "invoice", "credit", "INV-2025-0001")
    rest = js(cli("--db", acme, "invoice", "show", "CN-2025-0002", "--json"))
    assert (rest["subtotal"]["amount"], rest["taxes"][0]["amount"]["amount"], rest["total"]["amount"]) == \
        ("100.69", "19.14", "119.83")
    assert rest["lines"][0]["description"] == "Credit of the rest of INV-2025-0001"
    st = js(cli("--db", acme, "invoice", "show", "INV-2025-0001", "--json"))["standing"]
    assert (st["status"], st["credited"]["amount"], st["balance"]["amount"]) == ("credited", "139.83", "0.00")
    # paying a fully credited invoice is an overpayment
    refused(cli, acme, "invoice", "pay", "INV-2025-0001", "--amount", "1.00", text="nothing is due")
    assert cli("--db", acme, "db", "check").exit_code == 0


def test_a_whole_credit_copies_every_line_and_tax_and_rebill_frees_the_time(acme, cli):
    out = cli("--db", acme, "invoice", "credit", "INV-2025-0001", "--rebill", "--reason", "wrong rate").stdout
    assert "EUR 139.83" in out and "unbilled again" in out
    cn = js(cli("--db", acme, "invoice", "show", "CN-2025-0001", "--json"))
    inv = js(cli("--db", acme, "invoice", "show", "INV-2025-0001", "--json"))
    assert cn["lines"] == inv["lines"] and cn["taxes"] == inv["taxes"] and cn["total"] == inv["total"]
    groups = js(cli("--db", acme, "invoice", "unbilled", "--json"))
    assert [(g["month"], g["seconds"]) for g in groups] == [("2025-05", 9000)]
    assert cli("--db", acme, "db", "check").exit_code == 0  # the credited invoice's seal still holds


def test_credit_by_lines_and_inexact_amounts(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-05T10:00:00+05:30"
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN",
        "--number-pattern", "INV/{fy}/{seq:03}")
    cli("--db", db, "client", "add", "Ganesh", "--currency", "INR", "--tz", "Asia/Kolkata")
    cli("--db", db, "contract", "add", "-c", "Ganesh", "--kind", "retainer", "--fee", "10000", "--included-hours", "1",
        "--overage-rate", "600", "--tax", "CGST 9%", "--tax", "SGST 9%", "--from", "2026-10-01")
    cli("--db", db, "log", "add", "-c", "Ganesh", "--from", "2026-10-06 09:00", "--duration", "2h")
    cli("--db", db, "invoice", "create", "-c", "Ganesh", "--month", "2026-10")
    cli("--db", db, "invoice", "issue", "#1")
    # lines: fee 10,000.00 and overage 1.00 h × 600 = 600.00; taxes 9 % each on 10,600 = 954 + 954; total 12,508
    cli("--db", db, "invoice", "credit", "INV/2026-27/001", "--lines", "2", "--reason", "overage waived")
    cn = js(cli("--db", db, "invoice", "show", "CN/2026-27/001", "--json"))
    assert [li["amount"]["amount"] for li in cn["lines"]] == ["600.00"]
    assert [t["amount"]["amount"] for t in cn["taxes"]] == ["54.00", "54.00"] and cn["total"]["amount"] == "708.00"
    refused(cli, db, "invoice", "credit", "INV/2026-27/001", "--lines", "3", text="there is no line 3")
    # 100.01 cannot be made at 9 % + 9 % each rounded: 84.75 → 84.75 + 7.63 + 7.63 = 100.01 works, but 100.00?
    # net 84.74 → 7.63 + 7.63 → 100.00
    cli("--db", db, "invoice", "credit", "INV/2026-27/001", "--amount", "100.00")
    cn2 = js(cli("--db", db, "invoice", "show", "CN/2026-27/002", "--json"))
    assert (cn2["subtotal"]["amount"], cn2["total"]["amount"]) == ("84.74", "100.00")
    # 0.03: net 0.02 → taxes 0.00 each → 0.02; net 0.03 → 0.00 + 0.00 → 0.03 … find one that cannot be hit:
    # net 5 → 0.45 → 0.45×2 = 0.90 → 5.90; net 6 → 0.54 ×2 → 7.08; between, 6.00 total cannot be met?
    # net 5.08 → 0.4572 → 0.46 ×2 → 6.00. The skipped totals come where a 9 % rounding step adds 2 cents at once:
    # net 0.06 → 0.0054 → 0.01 each → 0.08; net 0.05 → 0.0045 → 0.00 → 0.05 … so 0.06 and 0.07 cannot be credited
    err = refused(cli, db, "invoice", "credit", "INV/2026-27/001", "--amount", "0.07",
                  text="cannot be credited exactly at the invoice's tax rates")
    assert "the nearest amounts are ₹0.05 and ₹0.08" in err


def test_c23_voided_numbers_are_kept_and_never_reused(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2025-06-02T10:00:00+00:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR", "--number-pattern",
        "INV-{year}-{seq:04}")
    cli("--db", db, "invoice", "numbering", "--start-at", "7")  # the last invoice of the old tool was 0006
    for name, day in (("Old", "02"), ("Acme", "06"), ("Birch", "07"), ("Cedar", "08")):
        cli("--db", db, "client", "add", name)
        cli("--db", db, "contract", "add", "-c", name, "--rate", "50", "--from", "2025-05-01")
        cli("--db", db, "log", "add", "-c", name, "--from", f"2025-05-{day} 09:00", "--duration", "1h")
    cli("--db", db, "invoice", "create", "-c", "Old", "--month", "2025-05")
    assert "INV-2025-0007" in cli("--db", db, "invoice", "issue", "#1").stdout  # last finalized: 0007
    cli("--db", db, "invoice", "create", "-c", "Acme", "--month", "2025-05")
    cli("--db", db, "invoice", "delete", "#2")  # a deleted draft never had a number
    cli("--db", db, "invoice", "create", "-c", "Birch", "--month", "2025-05")  # takes id #2 again: drafts are no
    assert "Issued INV-2025-0008 to Birch" in cli("--db", db, "invoice", "issue", "#2").stdout  # documents yet
    out = cli("--db", db, "invoice", "void", "INV-2025-0008", "--reason", "sent to the wrong client").stdout
    assert out == "Voided INV-2025-0008 (its number is kept, never reused); 1 time entry is unbilled again\n"
    voided = js(cli("--db", db, "invoice", "show", "INV-2025-0008", "--json"))
    assert voided["standing"]["status"] == "void" and voided["standing"]["void_reason"] == "sent to the wrong client"
    cli("--db", db, "invoice", "create", "-c", "Cedar", "--month", "2025-05")
    assert "Issued INV-2025-0009 to Cedar" in cli("--db", db, "invoice", "issue", "#3").stdout
    # Birch's hour is billable again, on a new number
    cli("--db", db, "invoice", "create", "-c", "Birch", "--month", "2025-05")
    assert "Issued INV-2025-0010 to Birch: EUR 50.00" in cli("--db", db, "invoice", "issue", "#4").stdout
    numbers = [r["number"] for r in js(cli("--db", db, "invoice", "list", "--json"))]
    assert numbers == ["INV-2025-0007", "INV-2025-0008", "INV-2025-0009", "INV-2025-0010"]
    assert [r["number"] for r in js(cli("--db", db, "invoice", "list", "--status", "void", "--json"))] == \
        ["INV-2025-0008"]
    check = cli("--db", db, "db", "check")
    assert check.exit_code == 0, check.output
    refused(cli, db, "invoice", "void", "INV-2025-0008", "--reason", "again", text="is void")
    cli("--db", db, "invoice", "pay", "INV-2025-0009", "--amount", "10")
    refused(cli, db, "invoice", "void", "INV-2025-0009", "--reason", "x", text="has payments recorded")


def test_c22_a_starting_number_and_a_yearly_reset(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2024-12-01T09:00:00+00:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR", "--number-pattern",
        "INV-{year}-{seq:04}")
    out = cli("--db", db, "invoice", "numbering", "--start-at", "42").stdout
    assert out.splitlines()[0] == "Invoices:     INV-{year}-{seq:04}  (next today: INV-2024-0042)"
    for i, day in enumerate(("2024-12-10", "2024-12-20", "2025-01-03", "2025-01-06")):
        name = f"C{i}"
        cli("--db", db, "client", "add", name)
        cli("--db", db, "contract", "add", "-c", name, "--rate", "10", "--from", "2024-11-01")
        cli("--db", db, "log", "add", "-c", name, "--from", f"2024-11-0{4 + i} 09:00", "--duration", "1h")
        cli("--db", db, "invoice", "create", "-c", name, "--month", "2024-11")
    issued = [cli("--db", db, "invoice", "issue", f"#{i + 1}", now=f"{day}T10:00:00+00:00").stdout.split()[1]
              for i, day in enumerate(("2024-12-10", "2024-12-20", "2025-01-03", "2025-01-06"))]
    assert issued == ["INV-2024-0042", "INV-2024-0043", "INV-2025-0001", "INV-2025-0002"]
    # a series that has numbers cannot be given another start
    refused(cli, db, "invoice", "numbering", "--start-at", "100",
            text="the series INV-2024-… already has numbers up to 43")
    assert cli("--db", db, "db", "check").exit_code == 0


def test_c25_dates_never_drift_and_due_today_is_not_overdue(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2025-03-31T18:00:00-07:00"  # = 2025-04-01 01:00Z
    cli("--db", db, "init", "--name", "VA", "--tz", "America/Los_Angeles", "--currency", "USD")
    cli("--db", db, "client", "add", "Acme", "--tz", "America/Los_Angeles", "--email", "ap@acme.example")
    cli("--db", db, "contract", "add", "-c", "Acme", "--rate", "50", "--terms", "30", "--from", "2025-03-01")
    cli("--db", db, "log", "add", "-c", "Acme", "--from", "2025-03-10 09:00", "--duration", "2h")
    cli("--db", db, "invoice", "create", "-c", "Acme", "--month", "2025-03")
    cli("--db", db, "invoice", "edit", "#1", "--note", "PO 7731")
    cli("--db", db, "invoice", "edit", "#1", "--note", "PO 7731")
    cli("--db", db, "invoice", "issue", "#1")
    inv = js(cli("--db", db, "invoice", "show", "INV-2025-0001", "--json"))
    assert (inv["issue_date"], inv["due_date"]) == ("2025-03-31", "2025-04-30")
    assert sqlite3.connect(db).execute("SELECT issue_date, due_date FROM invoices").fetchone() == \
        ("2025-03-31", "2025-04-30")
    refused(cli, db, "invoice", "edit", "INV-2025-0001", "--note", "PO 7732", text="is issued and cannot be edited")
    cli.now = "2025-04-30T17:00:00-07:00"  # = 2025-05-01 00:00Z: still 30 April at home
    assert js(cli("--db", db, "invoice", "list", "--status", "overdue", "--json")) == []
    out = cli("--db", db, "invoice", "remind", "--dry-run").stdout
    assert "Subject: Invoice INV-2025-0001: $100.00 USD due today" in out
    assert "Invoice INV-2025-0001 of 31 Mar 2025 for $100.00 USD is due today, 30 Apr 2025." in out
    cli.now = "2025-05-13T09:00:00-07:00"
    [row] = js(cli("--db", db, "invoice", "list", "--status", "overdue", "--json"))
    assert row["standing"]["days_overdue"] == 13
    assert "was due on 30 Apr 2025 and is 13 days overdue." in cli("--db", db, "invoice", "remind", "--dry-run").stdout


def test_aging_buckets_on_a_fixed_clock(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-01-05T09:00:00+00:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "UTC", "--currency", "USD")
    cli("--db", db, "client", "add", "Kiwi", "--currency", "NZD", "--tz", "Pacific/Auckland", "--locale", "en_NZ")
    cli("--db", db, "client", "add", "Yank", "--currency", "USD", "--tz", "America/New_York")
    hours = {"Kiwi": "09:00", "Yank": "11:00"}
    for name in ("Kiwi", "Yank"):
        cli("--db", db, "contract", "add", "-c", name, "--rate", "100", "--terms", "0", "--from", "2025-06-01")
    # one invoice per month, issued on the 1st of the next month, due the same day (net 0)
    n = 0
    for month, issue in (("2025-07", "2025-08-01"), ("2025-08", "2025-09-01"), ("2025-09", "2025-10-01"),
                         ("2025-10", "2025-11-01"), ("2025-11", "2025-12-01"), ("2025-12", "2026-01-05")):
        for name in ("Kiwi", "Yank"):
            cli("--db", db, "log", "add", "-c", name, "--from", f"{month}-10 {hours[name]}", "--duration", "1h",
                now=f"{issue}T08:00:00+00:00")
            cli("--db", db, "invoice", "create", "-c", name, "--month", month, now=f"{issue}T08:00:00+00:00")
            n += 1
            cli("--db", db, "invoice", "issue", f"#{n}", now=f"{issue}T08:00:00+00:00")
    cli("--db", db, "invoice", "pay", "INV-2025-0001", "--amount", "100.00")  # Kiwi's July: paid
    # on 2026-01-05 days past due: Jul 157 (90+), Aug 126 (90+), Sep 96 (90+), Oct 65 (61-90), Nov 35 (31-60),
    # Dec 5 (1-30)... and the January-issued one is due today: current
    rows = js(cli("--db", db, "invoice", "aging", "--json"))
    got = {(r["client"], r["currency"]): {k: v["amount"] for k, v in r["buckets"].items()} for r in rows}
    assert got == {
        ("Kiwi", "NZD"): {"current": "100.00", "1-30": "0.00", "31-60": "100.00", "61-90": "100.00", "90+": "200.00"},
        ("Yank", "USD"): {"current": "100.00", "1-30": "0.00", "31-60": "100.00", "61-90": "100.00", "90+": "300.00"},
    }
    table = cli("--db", db, "invoice", "aging").stdout
    assert "NZD" in table and "USD" in table
    listing = cli("--db", db, "invoice", "list", "--status", "unpaid").stdout
    assert "NZD 100.00" in listing and "USD 100.00" in listing  # never both just "$"


def test_statement_lines_add_up_to_its_balance_in_json_ledger_and_pdf(acme, cli, tmp_path):
    cli("--db", acme, "invoice", "pay", "INV-2025-0001", "--amount", "100.00", "--method", "SEPA")
    cli("--db", acme, "invoice", "credit", "INV-2025-0001", "--amount", "20.00", "--reason", "goodwill")
    cli("--db", acme, "invoice", "pay", "INV-2025-0001", "--amount", "25.00", "--as-credit")
    [st] = js(cli("--db", acme, "invoice", "statement", "-c", "Acme", "--json", "--pdf", "-o", f"{tmp_path}/"))
    # 139.83 − 20.00 − 100.00 − 19.83 − 5.17 (held as credit) = −5.17: the client is in credit; on one day,
    # documents come before payments
    assert [(li["kind"], li["amount"]["amount"], li["balance"]["amount"]) for li in st["lines"]] == [
        ("invoice", "139.83", "139.83"), ("credit note", "-20.00", "119.83"), ("payment", "-100.00", "19.83"),
        ("payment", "-19.83", "0.00"), ("credit held", "-5.17", "-5.17")]
    assert (st["invoiced"]["amount"], st["credited"]["amount"], st["received"]["amount"], st["closing"]["amount"]) \
        == ("139.83", "20.00", "125.00", "-5.17")
    conn = sqlite3.connect(acme)
    invoiced = conn.execute("SELECT sum(total_minor) FROM invoices WHERE kind = 'invoice'").fetchone()[0]
    credited = conn.execute("SELECT sum(total_minor) FROM invoices WHERE kind = 'credit_note'").fetchone()[0]
    received = conn.execute("SELECT sum(amount_minor) FROM payments").fetchone()[0]
    assert invoiced - credited - received == -517
    text = pdf_text(tmp_path / "statement-1-EUR-2025-06-02.pdf")
    for amount in ("€139.83", "-€100.00", "-€20.00", "-€19.83", "-€5.17", "€125.00"):
        assert amount in text, amount
    assert "STATEMENT OF ACCOUNT" in text and "Acme has a credit of €5.17 with us." in text
    # the client's credit pays a later invoice without new money
    cli.now = "2025-07-01T10:00:00+02:00"
    cli("--db", acme, "log", "add", "-c", "Acme", "--from", "2025-06-02 08:00", "--duration", "6m",
        now="2025-07-01T10:00:00+02:00")
    cli("--db", acme, "invoice", "create", "-c", "Acme", "--month", "2025-06", now="2025-07-01T10:00:00+02:00")
    cli("--db", acme, "invoice", "issue", "#3", now="2025-07-01T10:00:00+02:00")  # 0.10 h × 47 = 4.70 + 0.89 = 5.59
    refused(cli, acme, "invoice", "pay", "INV-2025-0002", "--amount", "5.59", "--from-credit",
            text="Acme has €5.17 of credit, less than €5.59")
    cli("--db", acme, "invoice", "pay", "INV-2025-0002", "--amount", "5.17", "--from-credit",
        now="2025-07-01T10:00:00+02:00")
    [st] = js(cli("--db", acme, "invoice", "statement", "-c", "Acme", "--json", now="2025-07-01T10:00:00+02:00"))
    assert st["closing"]["amount"] == "0.42" and st["received"]["amount"] == "125.00"


def test_unknown_status_and_ambiguous_references_are_refused(acme, cli):
    refused(cli, acme, "invoice", "list", "--status", "owing", text="unknown invoice status 'owing' (use one of: "
            "draft, issued, sent, partly-paid, unpaid, overdue, paid, credited, void)")
    cli("--db", acme, "log", "add", "-c", "Acme", "--from", "2025-06-01 09:00", "--duration", "1h")
    cli("--db", acme, "invoice", "create", "-c", "Acme", "--month", "2025-06")  # draft #2
    cli("--db", acme, "invoice", "numbering", "--pattern", "{seq}")
    cli("--db", acme, "client", "add", "Birch")
    cli("--db", acme, "contract", "add", "-c", "Birch", "--rate", "10", "--from", "2025-05-01")
    cli("--db", acme, "log", "add", "-c", "Birch", "--from", "2025-05-02 09:00", "--duration", "1h")
    cli("--db", acme, "invoice", "create", "-c", "Birch", "--month", "2025-05")  # draft #3
    cli("--db", acme, "invoice", "issue", "#3")  # series "{seq}" starts at 1
    # "0001" reads as number 1 of a series: invoice INV-2025-0001 and invoice "1"
    refused(cli, acme, "invoice", "pdf", "0001", text="'0001' is ambiguous: it could be invoice INV-2025-0001 or "
            "invoice 1")
    assert js(cli("--db", acme, "invoice", "show", "2", "--json"))["id"] == 2  # only draft #2 can be meant
