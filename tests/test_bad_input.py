"""Bad input: one clear line on stderr, exit 1, and the ledger exactly as it was (acceptance 7)."""

from __future__ import annotations

import sqlite3

import pytest


def dump(db: str) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def ledger(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2025-05-06T15:00:00+01:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB")
    cli("--db", db, "client", "add", "Acme", "--tz", "America/New_York", "--currency", "USD")
    cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "25.00")
    cli("--db", db, "log", "add", "--client", "Acme", "--from", "2025-05-06 10:00", "--to", "11:00", "Inbox")
    return db


def refused(cli, db: str, *args: str, expect: str) -> None:
    before = dump(db)
    res = cli("--db", db, *args, ok=False)
    assert res.exit_code == 1, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("vakit: ") and expect in lines[0], lines[0]
    assert "Traceback" not in res.output
    assert res.stdout == ""
    assert dump(db) == before


def test_unknown_client(ledger, cli):
    refused(cli, ledger, "log", "add", "--client", "Acne", "--duration", "30m",
            expect="no client named 'Acne' (did you mean 'Acme'?)")


def test_unreadable_date(ledger, cli):
    refused(cli, ledger, "log", "add", "--client", "Acme", "--from", "2025-13-45 10:00", "--to", "11:00",
            expect="'2025-13-45' is not a calendar date")
    refused(cli, ledger, "log", "add", "--client", "Acme", "--from", "tomorow 10:00", "--to", "11:00",
            expect="could not parse 'tomorow 10:00'")


def test_end_before_start(ledger, cli):
    refused(cli, ledger, "log", "add", "--client", "Acme", "--from", "2025-05-05 12:00", "--to", "2025-05-05 11:00",
            expect="the end Mon 05 May 2025 11:00 BST (UTC+01:00) is before the start Mon 05 May 2025 12:00 BST "
                   "(UTC+01:00)")


def test_overlapping_entry(ledger, cli):
    refused(cli, ledger, "log", "add", "--client", "Acme", "--from", "2025-05-06 10:30", "--to", "11:30",
            expect="overlaps entry #1 (Acme Tue 06 May 2025 10:00 – 11:00 BST (UTC+01:00), 30 min overlap)")


def test_unknown_currency(ledger, cli):
    refused(cli, ledger, "client", "add", "Birch", "--currency", "XYZ", expect="unknown currency 'XYZ'")


def test_negative_rate(ledger, cli):
    refused(cli, ledger, "contract", "add", "--client", "Acme", "--rate", "-5", expect="rate must not be negative")


def test_ambiguous_amount(ledger, cli):
    refused(cli, ledger, "contract", "add", "--client", "Acme", "--rate", "1,234", expect="ambiguous")


def test_missing_csv_column(ledger, cli, tmp_path, csv_path):
    text = csv_path.read_text(encoding="utf-8-sig").replace("Start time", "Begin", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    refused(cli, ledger, "log", "import", "--format", "toggl", str(bad), "--create-clients",
            expect="missing column 'Start time'")


def test_unknown_zone_and_dst_gap(ledger, cli):
    refused(cli, ledger, "client", "add", "Birch", "--tz", "Mars/Olympus", expect="unknown time zone 'Mars/Olympus'")
    refused(cli, ledger, "log", "add", "--client", "Acme", "--tz", "Europe/Berlin", "--date", "2025-03-30",
            "--from", "01:30", "--to", "02:30",
            expect="02:30 does not exist on 2025-03-30 in Europe/Berlin (clocks jump 02:00→03:00)")


def test_missing_file_and_unknown_invoice(ledger, cli, tmp_path):
    refused(cli, ledger, "log", "import", str(tmp_path / "nope.csv"), expect="cannot read")
    refused(cli, ledger, "invoice", "show", "INV-9", expect="no invoice 'INV-9'")


def test_a_failed_first_init_leaves_no_ledger(tmp_path, cli):
    db = tmp_path / "new.sqlite3"
    res = cli("--db", str(db), "init", "--name", "VA", "--tz", "Europe/London", ok=False)
    assert res.exit_code == 1 and res.stderr.strip() == "vakit: missing --currency (stdin is not a terminal, so " \
        "give them as options, e.g. vakit init --name 'Asha Deshpande VA' --tz Asia/Kolkata --currency INR)"
    res = cli("--db", str(db), "init", "--name", "VA", "--tz", "Europe/Lndon", "--currency", "GBP", ok=False)
    assert "unknown time zone 'Europe/Lndon'" in res.stderr
    assert not db.exists()
