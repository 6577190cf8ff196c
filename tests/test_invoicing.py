"""Invoice numbering, freezing and locking (acceptance 4) and the money rules (C-15, C-19)."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

import pytest

from vakit.core.models import Contract, Rounding, Tax
from vakit.core.rounding import round_seconds
from vakit.services.invoice_math import contract_lines, hours, tax_lines


@pytest.fixture
def books(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-02T09:00:00+05:30"
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN",
        "--tax-id", "GSTIN=27AAKPD4821M1ZK", "--number-pattern", "INV/{fy}/{seq:03}")
    for name, at in (("Acme", "09:00"), ("Birch", "11:00")):
        cli("--db", db, "client", "add", name, "--currency", "EUR", "--locale", "de_DE")
        cli("--db", db, "contract", "add", "--client", name, "--rate", "35.00", "--tax", "VAT 19%", "--terms", "30",
            "--from", "2026-10-01")
        cli("--db", db, "log", "add", "--client", name, "--from", f"2026-10-05 {at}", "--duration", "1h")
    return db


def drafts(cli, db):
    return json.loads(cli("--db", db, "invoice", "list", "--json").stdout)["data"]


def test_deleted_draft_uses_no_number_and_issued_is_frozen(books, cli):
    db = books
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    [d] = drafts(cli, db)
    assert d["number"] is None and d["status"] == "draft"
    cli("--db", db, "invoice", "delete", f"#{d['id']}")
    assert drafts(cli, db) == []
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    cli("--db", db, "invoice", "create", "--client", "Birch", "--month", "2026-10")
    ids = [d["id"] for d in drafts(cli, db)]
    out = cli("--db", db, "invoice", "issue", f"#{ids[1]}", "--date", "2026-11-02")
    assert "Issued INV/2026-27/001 to Birch: EUR 41,65, due 2026-12-02" in out.stdout.replace("\xa0", " ")
    cli("--db", db, "invoice", "issue", f"#{ids[0]}", "--date", "2026-11-02")
    assert [d["number"] for d in drafts(cli, db)] == ["INV/2026-27/002", "INV/2026-27/001"]

    for args, msg in ((("invoice", "delete", "INV/2026-27/001"), "is issued and cannot be deleted"),
                      (("invoice", "edit", "INV/2026-27/001", "--note", "PO 1"), "is issued and cannot be edited"),
                      (("invoice", "issue", "INV/2026-27/001"), "is already issued")):
        res = cli("--db", db, *args, ok=False)
        assert res.exit_code == 1 and len(res.stderr.strip().splitlines()) == 1 and msg in res.stderr
    # the billed entries are locked too
    entries = json.loads(cli("--db", db, "log", "list", "--month", "2026-10", "--json").stdout)["data"]
    for e in entries:
        for args in (("log", "rm", str(e["id"])), ("log", "edit", str(e["id"]), "-d", "x")):
            res = cli("--db", db, *args, ok=False)
            assert res.exit_code == 1 and "is billed on invoice INV/2026-27/00" in res.stderr
    # and the database itself refuses, whatever the caller
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
        conn.execute("UPDATE invoices SET total_minor = 0 WHERE number = 'INV/2026-27/001'")
    with pytest.raises(sqlite3.IntegrityError, match="issued invoice"):
        conn.execute("DELETE FROM time_entries")


def test_a_month_is_invoiced_once(books, cli):
    db = books
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    res = cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10", ok=False)
    assert res.exit_code == 1 and "Acme already has draft #1 for 2026-10" in res.stderr
    res = cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-11", ok=False)
    assert "no unbilled billable time for Acme in 2026-11" in res.stderr


def test_issue_dates_follow_the_numbers(books, cli):
    db = books
    cli.now = "2026-11-20T09:00:00+05:30"
    res = cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10", "--dry-run")
    assert "nothing was stored" in res.stdout
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    cli("--db", db, "invoice", "create", "--client", "Birch", "--month", "2026-10")
    cli("--db", db, "invoice", "issue", "#1", "--date", "2026-11-10")
    res = cli("--db", db, "invoice", "issue", "#2", "--date", "2026-11-05", ok=False)
    assert "before the latest document of its series (2026-11-10)" in res.stderr
    res = cli("--db", db, "invoice", "issue", "#2", "--date", "2026-09-30", ok=False)
    assert "before the billing period starts" in res.stderr
    res = cli("--db", db, "invoice", "issue", "#2", "--date", "2026-11-21", ok=False)
    assert "issue date 2026-11-21 is in the future (today is 2026-11-20 in Asia/Kolkata)" in res.stderr


def _hourly(rate: str, taxes=(), rounding=Rounding()) -> Contract:
    return Contract(1, 1, "hourly", "EUR", Decimal(rate), None, None, None, rounding, "Europe/Berlin", 14,
                    tuple(taxes), ())


def test_c15_printed_hours_times_rate_is_the_amount():
    [line] = contract_lines(_hourly("34.34"), 25 * 60, "April 2025")
    assert (line.quantity, line.unit_price, line.amount_minor) == (Decimal("0.42"), Decimal("34.34"), 1442)
    assert hours(25 * 60) == Decimal("0.42")


def test_c19_tax_on_the_subtotal_not_per_line():
    # three entries of 0:21 at 35.00 → 1.05 h → 36.75; VAT 19% on the subtotal = 6.9825 → 6.98
    k = _hourly("35.00", taxes=[Tax("VAT", Decimal("19"))])
    [line] = contract_lines(k, 3 * 21 * 60, "May 2025")
    assert line.amount_minor == 3675
    [vat] = tax_lines(k.taxes, line.amount_minor, k.currency)
    assert (vat.base_minor, vat.amount_minor) == (3675, 698)


def test_retainer_fee_and_overage():
    k = Contract(1, 1, "retainer", "GBP", None, 80000, 25 * 3600, Decimal("24.00"), Rounding(), "Europe/London", 30,
                 (), ())
    fee, over = contract_lines(k, 27 * 3600 + 20 * 60, "October 2026")
    assert (fee.quantity, fee.amount_minor) == (Decimal(1), 80000)
    assert (over.quantity, over.unit_price, over.amount_minor) == (Decimal("2.33"), Decimal("24.00"), 5592)
    assert len(contract_lines(k, 20 * 3600, "October 2026")) == 1


@pytest.mark.parametrize("seconds,direction,expected", [
    (50 * 60 + 4, "nearest", 45 * 60), (52 * 60 + 30, "nearest", 60 * 60), (60 * 60, "nearest", 60 * 60),
    (61, "up", 6 * 60), (360, "up", 360), (359, "down", 0), (721, "down", 720),
])
def test_rounding(seconds, direction, expected):
    inc = 900 if direction == "nearest" else 360
    assert round_seconds(seconds, Rounding(inc, direction)) == expected


def test_a_draft_note_is_printed_and_kept_at_issue(books, cli, tmp_path):
    db = books
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    cli("--db", db, "invoice", "edit", "#1", "--note", "PO 7731")
    cli("--db", db, "invoice", "edit", "#1", "--note", "PO 7731")
    cli("--db", db, "invoice", "issue", "#1", "--date", "2026-11-02")
    data = json.loads(cli("--db", db, "invoice", "show", "INV/2026-27/001", "--json").stdout)["data"]
    assert (data["note"], data["issue_date"], data["due_date"]) == ("PO 7731", "2026-11-02", "2026-12-02")
    cli("--db", db, "invoice", "pdf", "INV/2026-27/001", "-o", str(tmp_path))
    from pypdf import PdfReader

    text = PdfReader(tmp_path / "INV_2026-27_001.pdf").pages[0].extract_text()
    assert "Note: PO 7731" in text and "2026-12-02" in text


def test_terms_follow_the_contract_in_force_on_each_day(books, cli):
    db = books
    cli("--db", db, "log", "add", "--client", "Acme", "--from", "2026-10-20 09:00", "--duration", "2h")
    # a new rate from 15 October: October is billed in two drafts, each at its own rate
    cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "50.00", "--from", "2026-10-15", "--terms", "30")
    made = json.loads(cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10", "--json").stdout)
    lines = [(d["period"]["from"], d["period"]["to"], d["lines"][0]["quantity"], d["lines"][0]["unit_price"],
              d["total"]["amount"]) for d in made["data"]]
    assert lines == [("2026-10-01", "2026-10-14", "1.00", "35.00", "41.65"),
                     ("2026-10-15", "2026-10-31", "2.00", "50.00", "100.00")]
    # nothing is billed twice, and no month before the first contract is billed
    res = cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10", ok=False)
    assert res.exit_code == 1 and "Acme already has draft #1 for 2026-10-01 – 2026-10-14" in res.stderr
    res = cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-09", ok=False)
    assert "Acme has no contract in force in 2026-09" in res.stderr
    res = cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "60.00", "--from", "2026-10-10", ok=False)
    assert "a new one must start later" in res.stderr


def test_month_end_for_all_clients_skips_those_with_nothing_to_bill(books, cli):
    db = books
    cli("--db", db, "client", "add", "Idle", "--currency", "EUR")
    cli("--db", db, "contract", "add", "--client", "Idle", "--rate", "10", "--from", "2026-10-01")
    dry = cli("--db", db, "invoice", "create", "--all", "--month", "2026-10", "--dry-run").stdout
    assert dry.count("Would create a draft") == 2 and "Skipped Idle: no unbilled billable time" in dry
    assert drafts(cli, db) == []
    out = cli("--db", db, "invoice", "create", "--all", "--month", "2026-10").stdout
    assert "Created draft #1" in out and "Created draft #2" in out
    assert [d["client"] for d in drafts(cli, db)] == ["Acme", "Birch"]
    again = cli("--db", db, "invoice", "create", "--all", "--month", "2026-10").stdout
    assert "Skipped Acme: Acme already has draft #1 for 2026-10" in again


def test_payment_details_are_printed_and_frozen(books, cli, tmp_path):
    db = books
    cli("--db", db, "init", "--payment-details", "IBAN DE89 3704 0044 0532 0130 00;BIC COBADEFFXXX")
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    cli("--db", db, "invoice", "issue", "#1")
    cli("--db", db, "init", "--payment-details", "changed later")
    cli("--db", db, "invoice", "pdf", "INV/2026-27/001", "-o", str(tmp_path))
    from pypdf import PdfReader

    text = PdfReader(tmp_path / "INV_2026-27_001.pdf").pages[0].extract_text()
    assert "Payment details:\nIBAN DE89 3704 0044 0532 0130 00\nBIC COBADEFFXXX" in text
    assert "changed later" not in text


def test_an_entry_moves_to_another_client_before_it_is_billed(books, cli):
    db = books
    entries = json.loads(cli("--db", db, "log", "list", "--month", "2026-10", "--json").stdout)["data"]
    acme = [e for e in entries if e["client"] == "Acme"][0]
    cli("--db", db, "log", "edit", str(acme["id"]), "--client", "Birch")
    entries = json.loads(cli("--db", db, "log", "list", "--month", "2026-10", "--json").stdout)["data"]
    assert [e["client"] for e in entries] == ["Birch", "Birch"]


def test_an_entry_split_at_month_end_is_rounded_once(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-12-02T09:00:00+00:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR")
    cli("--db", db, "client", "add", "Acme")
    cli("--db", db, "contract", "add", "-c", "Acme", "--rate", "60.00", "--rounding", "up:15m", "--from", "2026-10-01")
    cli("--db", db, "log", "add", "-c", "Acme", "--from", "2026-10-31 23:55", "--to", "00:05")
    oct_, nov = (json.loads(cli("--db", db, "invoice", "create", "-c", "Acme", "--month", m, "--json").stdout)
                 ["data"][0] for m in ("2026-10", "2026-11"))
    # 10 min rounded up to 15 min is 0:15 for the whole entry — not 0:15 for each 5-minute part
    assert (oct_["billed_seconds"], nov["billed_seconds"]) == (900, 0)
    assert (oct_["total"]["amount"], nov["total"]["amount"]) == ("15.00", "0.00")


def test_a_new_contract_cannot_reach_into_invoiced_days(books, cli):
    db = books
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    res = cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "50", "--from", "2026-10-20", ok=False)
    assert res.exit_code == 1
    assert "draft #1 already bills Acme up to 2026-10-31; a new contract can start on 2026-11-01" in res.stderr
    cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "50", "--from", "2026-11-01")


def test_a_retainer_starting_mid_month_is_prorated():
    k = Contract(1, 1, "retainer", "GBP", None, 100000, 10 * 3600, Decimal("40.00"), Rounding(), "Europe/London",
                 30, (), ())
    # in force 15–31 Oct: 17 of 31 days → 17 × 32.258065 = 548.387105 → £548.39; 10 h × 17/31 = 5:29:02
    fee, over = contract_lines(k, 6 * 3600, "15 Oct – 31 Oct 2026", days=17, month_days=31)
    assert (fee.quantity, fee.unit, fee.unit_price, fee.amount_minor) == (Decimal(17), "day", Decimal("32.258065"),
                                                                          54839)
    assert "prorated 17 of 31 days (includes 5:29:02 h; worked 6:00 h)" in fee.description  # to the second
    assert over.description == "Overage beyond 5:29:02 h, 15 Oct – 31 Oct 2026"
    # 6:00 worked − 5:29:02 included = 0:30:58 → 0.52 h × 40.00
    assert (over.quantity, over.amount_minor) == (Decimal("0.52"), 2080)
