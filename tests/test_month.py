"""The October 2026 month end to end (issue acceptance 2, 3, 4, 6).

The expected figures are computed here straight from the Toggl CSV with the csv module
and Decimal — not through vakit — and then looked for in ``invoice show --json``, in the
ledger, and in the PDF's text (pypdf).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.numbers import format_currency
from pypdf import PdfReader

IST = ZoneInfo("Asia/Kolkata")
OCT_START = datetime(2026, 10, 1, tzinfo=IST)
NOV_START = datetime(2026, 11, 1, tzinfo=IST)
CENT = Decimal("0.01")

# client → (rounding increment s, direction, rate or None, retainer (fee, included h, overage) or None,
#           tax percents, currency, locale, number)
TERMS = {
    "Northwind Analytics": (360, "up", Decimal("25.00"), None, [], "USD", "en_US", "INV/2026-27/001"),
    "Harbour & Finch Ltd": (0, "", None, (Decimal("800.00"), 25, Decimal("24.00")), [], "GBP", "en_GB",
                            "INV/2026-27/002"),
    "श्री गणेश ट्रेडर्स": (900, "nearest", Decimal("600.00"), None, [("CGST", 9), ("SGST", 9)], "INR", "en_IN",
                           "INV/2026-27/003"),
    "Müller & Söhne GmbH": (0, "", Decimal("30.00"), None, [], "EUR", "de_DE", "INV/2026-27/004"),
}


def _round(seconds: int, inc: int, direction: str) -> int:
    if not inc or seconds % inc == 0:
        return seconds
    if direction == "up":
        return (seconds // inc + 1) * inc
    return (seconds // inc + (1 if (seconds % inc) * 2 >= inc else 0)) * inc


def expected_figures(csv_bytes: bytes) -> dict[str, dict]:
    """Per client: October seconds (clipped to the IST month), billed seconds, lines, taxes, total."""
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    out = {}
    for name, (inc, direction, rate, retainer, taxes, cur, _, _) in TERMS.items():
        worked = billed = 0
        for r in rows:
            if r["Client"] != name or r["Billable"] != "Yes":
                continue
            s = datetime.fromisoformat(f"{r['Start date']}T{r['Start time']}").replace(tzinfo=IST)
            e = datetime.fromisoformat(f"{r['End date']}T{r['End time']}").replace(tzinfo=IST)
            s, e = max(s, OCT_START), min(e, NOV_START)
            if e <= s:
                continue
            secs = int((e - s) / timedelta(seconds=1))
            worked += secs
            billed += _round(secs, inc, direction)
        lines = []
        if retainer is None:
            hours = (Decimal(billed) / 3600).quantize(CENT, ROUND_HALF_UP)
            lines.append((hours, rate, (hours * rate).quantize(CENT, ROUND_HALF_UP)))
        else:
            fee, included_h, over_rate = retainer
            lines.append((Decimal(1), fee, fee))
            over = billed - included_h * 3600
            if over > 0:
                hours = (Decimal(over) / 3600).quantize(CENT, ROUND_HALF_UP)
                lines.append((hours, over_rate, (hours * over_rate).quantize(CENT, ROUND_HALF_UP)))
        subtotal = sum(li[2] for li in lines)
        tax_amounts = [(n, (subtotal * p / 100).quantize(CENT, ROUND_HALF_UP)) for n, p in taxes]
        out[name] = {"worked": worked, "billed": billed, "lines": lines, "subtotal": subtotal,
                     "taxes": tax_amounts, "total": subtotal + sum(a for _, a in tax_amounts), "currency": cur}
    return out


def test_expected_figures_are_what_the_month_should_bill(csv_path):
    # a hand check of the independent computation for one client: Northwind's 46 rows
    exp = expected_figures(csv_path.read_bytes())
    assert exp["श्री गणेश ट्रेडर्स"]["subtotal"] == Decimal("14550.00")
    assert [a for _, a in exp["श्री गणेश ट्रेडर्स"]["taxes"]] == [Decimal("1309.50"), Decimal("1309.50")]
    assert exp["श्री गणेश ट्रेडर्स"]["total"] == Decimal("17169.00")


def test_import_twice_stores_each_row_once(tmp_path, csv_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-02T09:00:00+05:30"
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN")
    first = cli("--db", db, "log", "import", "--format", "toggl", str(csv_path), "--create-clients",
                "--client-tz", "Asia/Kolkata", "--client-currency", "INR")
    assert first.stdout.startswith("Imported 122 entries (") and "; 0 already in the ledger" in first.stdout
    second = cli("--db", db, "log", "import", "--format", "toggl", str(csv_path))
    assert second.stdout.startswith("Imported 0 entries (0:00:00)") and "122 already in the ledger" in second.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT source_key) FROM time_entries").fetchone() == (122, 122)
    assert conn.execute("SELECT count(*) FROM time_entries WHERE client_id IS NULL AND billable = 0").fetchone() == (7,)


def test_dry_run_import_changes_nothing(tmp_path, csv_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-02T09:00:00+05:30"
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN")
    out = cli("--db", db, "log", "import", str(csv_path), "--create-clients", "--client-tz", "Asia/Kolkata",
              "--client-currency", "INR", "--dry-run")
    assert out.stdout.startswith("Would import 122 entries (")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM time_entries").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM clients").fetchone() == (0,)


def test_invoice_figures_match_the_csv_in_json_ledger_and_pdf(month, csv_path, cli):
    db, out_dir, result = month
    exp = expected_figures(csv_path.read_bytes())
    conn = sqlite3.connect(db)
    for name, (_, _, _, _, _, cur, locale, number) in TERMS.items():
        e = exp[name]
        data = json.loads(cli("--db", str(db), "invoice", "show", number, "--json").stdout)["data"]
        assert data["client"] == name and data["currency"] == cur
        assert [(Decimal(li["quantity"]), Decimal(li["unit_price"]), Decimal(li["amount"]["amount"]))
                for li in data["lines"]] == e["lines"]
        assert Decimal(data["subtotal"]["amount"]) == e["subtotal"]
        assert [(t["name"], Decimal(t["amount"]["amount"])) for t in data["taxes"]] == e["taxes"]
        assert Decimal(data["total"]["amount"]) == e["total"]
        assert data["billed_seconds"] == e["billed"]
        assert sum(r["seconds"] for r in data["timesheet"]) == e["worked"]
        # the ledger
        sub, tax, total, status = conn.execute(
            "SELECT subtotal_minor, tax_minor, total_minor, status FROM invoices WHERE number = ?",
            (number,)).fetchone()
        assert (sub, total, status) == (int(e["subtotal"] * 100), int(e["total"] * 100), "issued")
        assert tax == int(sum(a for _, a in e["taxes"]) * 100)
        worked = conn.execute("SELECT sum(end_utc - start_utc) FROM time_entries e JOIN invoices i ON"
                              " i.id = e.invoice_id WHERE i.number = ?", (number,)).fetchone()[0]
        assert worked == e["worked"]
        # the PDF text
        pdf = out_dir / (number.replace("/", "_") + ".pdf")
        text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages).replace("\xa0", " ")
        assert name in text and number in text
        for amount in [li[2] for li in e["lines"]] + [e["subtotal"], e["total"]] + [a for _, a in e["taxes"]]:
            assert format_currency(amount, cur, locale=locale).replace("\xa0", " ") in text, (name, amount)


def test_an_entry_crossing_the_month_end_is_split(month):
    db, _, _ = month
    conn = sqlite3.connect(db)
    # Northwind's 2026-10-31 23:00 → 11-01 00:30 IST: 1:00 in October (invoiced), 0:30 in November (unbilled)
    rows = conn.execute("SELECT start_utc, end_utc, invoice_id IS NOT NULL FROM time_entries WHERE description LIKE"
                        " 'Travel booking%' AND start_utc >= ? ORDER BY start_utc",
                        (int(datetime(2026, 10, 31, 23, tzinfo=IST).timestamp()),)).fetchall()
    nov = int(NOV_START.timestamp())
    assert rows == [(nov - 3600, nov, 1), (nov, nov + 1800, 0)]


def test_numbers_have_no_gap(month):
    db, _, result = month
    assert [inv.number for inv in result.invoices] == [f"INV/2026-27/00{i}" for i in (1, 2, 3, 4)]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT series, last_seq FROM invoice_counters").fetchall() == [("INV/2026-27/{seq}", 4)]


def test_ganesh_pdf_text(month):
    _, out_dir, _ = month
    text = "\n".join(p.extract_text() for p in PdfReader(out_dir / "INV_2026-27_003.pdf").pages)
    assert "श्री गणेश ट्रेडर्स" in text
    assert "₹14,550.00" in text and "₹17,169.00" in text
    assert "CGST 9%" in text and "SGST 9%" in text
    assert text.count("₹1,309.50") == 2
    assert "GSTIN: 27AAHFG7412K1Z8" in text


def test_pdf_sha_is_stored_and_reproducible(month, cli, tmp_path):
    db, out_dir, _ = month
    import hashlib

    stored = sqlite3.connect(db).execute("SELECT pdf_sha256 FROM invoices WHERE number = 'INV/2026-27/001'").fetchone()
    assert stored[0] == hashlib.sha256((out_dir / "INV_2026-27_001.pdf").read_bytes()).hexdigest()
    res = cli("--db", str(db), "invoice", "pdf", "INV/2026-27/001", "-o", str(tmp_path))
    assert (tmp_path / "INV_2026-27_001.pdf").read_bytes() == (out_dir / "INV_2026-27_001.pdf").read_bytes()
    assert "note" not in res.output


def test_gst_registered_supplier_issues_tax_invoices_with_country_names(month):
    _, out_dir, _ = month
    first = PdfReader(out_dir / "INV_2026-27_003.pdf").pages[0].extract_text()
    assert first.startswith("TAX INVOICE")
    us = PdfReader(out_dir / "INV_2026-27_001.pdf").pages[0].extract_text()
    assert "Austin, TX 78701\nUnited States" in us


def test_timesheet_rows_add_up_to_the_second(month):
    _, out_dir, _ = month
    text = "\n".join(p.extract_text() for p in PdfReader(out_dir / "INV_2026-27_004.pdf").pages)
    assert "0:20:58" not in text  # a Ganesh row; Müller's own rows:
    assert "1:30:50" in text  # EN→DE draft, 09:10:00–10:40:50
    assert "12:19:" in text  # the total to the second


def test_poppler_reads_the_devanagari_invoice(month):
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian poppler-utils) is not installed; .ci/run installs it")
    _, out_dir, _ = month
    text = subprocess.run(["pdftotext", "-layout", str(out_dir / "INV_2026-27_003.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "श्री गणेश ट्रेडर्स" in text and "₹17,169.00" in text and "TAX INVOICE" in text


def test_gst_details_place_of_supply_and_sac(month):
    _, out_dir, _ = month
    ganesh = PdfReader(out_dir / "INV_2026-27_003.pdf").pages[0].extract_text()
    assert "Place of supply" in ganesh and "Maharashtra (27)" in ganesh
    assert "Virtual assistance, October 2026 · SAC 998599" in ganesh
    us = PdfReader(out_dir / "INV_2026-27_001.pdf").pages[0].extract_text()
    assert "Outside India (United States)" in us.replace("\n", " ")
