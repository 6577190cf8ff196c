"""Input a tester used to break vakit: each is refused with one line and changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from test_bad_input import dump, refused


@pytest.fixture
def ledger(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-03T10:00:00+05:30"
    cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN")
    cli("--db", db, "client", "add", "Acme", "--tz", "America/New_York", "--currency", "USD")
    cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "25.00", "--from", "2026-10-01")
    return db


@pytest.mark.parametrize("args,expect", [
    (("schedule", "book", "x", "-c", "Acme", "--at", "9999-12-31 23:50"), "outside the years vakit keeps"),
    (("log", "list", "--month", "9999-12"), "outside the years vakit keeps"),
    (("log", "list", "--date", "0001-01-01"), "outside the years vakit keeps"),
    (("invoice", "create", "-c", "Acme", "--month", "0001-01", "--dry-run"), "outside the years vakit keeps"),
    (("contract", "add", "-c", "Acme", "--rate", "99999999999999999999999"), "is too large"),
    (("contract", "add", "-c", "Acme", "--kind", "retainer", "--fee", "800.005", "--included-hours", "10",
      "--overage-rate", "20"), "has more decimals than USD allows (2)"),
    (("contract", "add", "-c", "Acme", "--rate", "٢٥"), "is not a number"),
    (("client", "add", "Ctl\x1b[31mRed"), "contains a control character (U+001B)"),
    (("log", "add", "-c", "Acme", "--from", "2026-11-02 09:00", "--duration", "1h", "bad\x00note"),
     "contains a NUL character"),
    (("client", "edit", "Acme"), "nothing to change"),
    (("log", "add", "-c", "Acme", "--from", "2026-10-23 10:00", "--date", "2026-10-01", "--duration", "1h"),
     "has a date of its own"),
    (("schedule", "book", "x", "-c", "Acme", "--at", "2026-10-01 10:00"), "is in the past"),
    (("client", "add", "Zed", "--currency", "XXX"), "unknown currency 'XXX'"),
])
def test_refused(ledger, cli, args, expect):
    refused(cli, ledger, *args, expect=expect)


def test_a_bare_time_books_the_next_such_time(ledger, cli):
    # 10:00 IST on Tue 3 Nov is 23:30 on Mon 2 Nov in New York: "10:00" there is Tuesday's
    out = cli("--db", ledger, "schedule", "book", "Sync", "-c", "Acme", "--at", "10:00").stdout
    assert "their time: Tue 03 Nov 2026 10:00 – 10:30 EST (UTC-05:00)" in out


def test_short_and_broken_csv_rows(ledger, cli, tmp_path, csv_path):
    # a bad row is rejected with its line (issue 7: the good rows of a file are still imported); a file whose
    # every row is rejected changes nothing and exits 1; a file that is not CSV at all is refused whole
    header = csv_path.read_text(encoding="utf-8-sig").splitlines()[0]
    f = tmp_path / "quote.csv"
    f.write_text(header + '\nU,e,Acme,P,,"x,Yes,2026-10-01,09:00:00,2026-10-01,10:00:00,01:00:00,,\n', encoding="utf-8")
    refused(cli, ledger, "log", "import", str(f), expect="not valid CSV")
    for name, body, expect in (
        ("short.csv", "U,e,Acme,P,,x,Yes,2026-10-01,09:00:00", "9 fields where the header has 14"),
        ("long.csv", "U,e,Acme,P,,x,Yes,2026-10-01,09:00:00,2026-12-31,10:00:00,,,", "longer than the 16:00"),
        ("dur.csv", "U,e,Acme,P,,x,Yes,2026-10-01,09:00:00,2026-10-01,10:00:00,05:00:00,,",
         "Duration 05:00:00 does not match"),
        ("offset.csv", "U,e,Acme,P,,x,Yes,2026-10-01,09:00:00+09:00,2026-10-01,10:00:00,,,", "could not read"),
    ):
        f = tmp_path / name
        f.write_text(header + "\n" + body + "\n", encoding="utf-8")
        before = dump(ledger)
        res = cli("--db", ledger, "log", "import", str(f), ok=False)
        assert res.exit_code == 1 and res.stdout == "" and dump(ledger) == before
        warning, summary = res.stderr.splitlines()
        assert warning.startswith(f"vakit: warning: {name} line 2: ") and expect in warning, warning
        assert summary == f"vakit: {name}: no row could be imported (1 rejected, listed above); nothing was changed"
    f = tmp_path / "twice.csv"
    f.write_text(header + ",Start date\n", encoding="utf-8")
    refused(cli, ledger, "log", "import", str(f), expect="column 'Start date' appears more than once")


def test_another_programs_database_is_refused_and_untouched(tmp_path, cli):
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE foo (x)")
    conn.commit()
    conn.close()
    before = dump(str(other))
    res = cli("--db", str(other), "client", "list", ok=False)
    assert res.exit_code == 3 and "not a vakit ledger" in res.stderr
    res = cli("--db", str(other), "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR", ok=False)
    assert res.exit_code == 3
    assert dump(str(other)) == before
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    res = cli("--db", str(empty), "client", "list", ok=False)
    assert res.exit_code == 3 and "is an empty file, not a vakit ledger" in res.stderr and empty.stat().st_size == 0
    res = cli("--db", str(empty), "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR", ok=False)
    assert res.exit_code == 3 and empty.exists() and empty.stat().st_size == 0


def test_plain_seq_numbers_never_hide_drafts(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-03T10:00:00+00:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR", "--number-pattern", "{seq}")
    for name, hour in (("A", 9), ("B", 11), ("C", 13)):
        cli("--db", db, "client", "add", name)
        cli("--db", db, "contract", "add", "-c", name, "--rate", "10", "--from", "2026-10-01")
        cli("--db", db, "log", "add", "-c", name, "--from", f"2026-10-05 {hour}:00", "--duration", "1h")
        cli("--db", db, "invoice", "create", "-c", name, "--month", "2026-10")
    cli("--db", db, "invoice", "issue", "3")  # only draft #3 can be meant: it becomes invoice number "1"
    before = sqlite3.connect(db).execute("SELECT id, status, number FROM invoices ORDER BY id").fetchall()
    res = cli("--db", db, "invoice", "issue", "1", ok=False)  # invoice "1" or draft #1?
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == ("vakit: '1' is ambiguous: it could be invoice 1 or draft #1 (name an issued invoice by its "
                          "full number and a draft by '#ID')\n")
    assert sqlite3.connect(db).execute("SELECT id, status, number FROM invoices ORDER BY id").fetchall() == before
    assert "Issued 2 " in cli("--db", db, "invoice", "issue", "#1").stdout.replace("to", " ")  # draft #1
    res = cli("--db", db, "invoice", "delete", "2", ok=False)  # invoice "2" or draft #2?
    assert res.exit_code == 1 and "could be invoice 2 or draft #2" in res.stderr
    cli("--db", db, "invoice", "delete", "#2")
    shown = cli("--db", db, "invoice", "show", "1", "--json").stdout  # no draft #1 any more: invoice "1"
    assert '"number": "1"' in shown and '"client": "C"' in shown


def test_output_into_a_missing_folder_is_refused(tmp_path, month, cli):
    db, _, _ = month
    missing = tmp_path / "nope"
    res = cli("--db", str(db), "invoice", "pdf", "INV/2026-27/001", "-o", f"{missing}/", ok=False)
    assert res.exit_code == 1 and "no such folder" in res.stderr and not missing.exists()
    res = cli("--db", str(db), "schedule", "export", "-o", str(missing / "x.ics"), ok=False)
    assert res.exit_code == 1 and "no such folder" in res.stderr


def test_gst_pattern_too_long_is_refused_at_init(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    res = cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR",
              "--tax-id", "GSTIN=27AAKPD4821M1ZK", "--number-pattern", "INVOICE-NUMBER/{fy}/{seq:05}", ok=False)
    assert res.exit_code == 1 and "breaks the GST rule" in res.stderr
    res = cli("--db", db, "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR",
              "--tax-id", "GSTIN=27AAKPD4821M1ZK=x", ok=False)
    assert res.stderr == ("vakit: GSTIN '27AAKPD4821M1ZK=x' has 17 characters, not 15 (a GSTIN is 15 characters, e.g."
                          " 27AAKPD4821M1ZK: state code, PAN, entity number, Z, check character)\n")


def _vakit(db: str, *args: str, now: str) -> subprocess.Popen:
    env = {**os.environ, "VAKIT_DB": db, "VAKIT_NOW": now}
    return subprocess.Popen([sys.executable, "-m", "vakit", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_parallel_timer_starts_leave_exactly_one_running(ledger):
    procs = [_vakit(ledger, "log", "start", "-c", "Acme", f"p{i}", now="2026-11-03T10:00:00+05:30")
             for i in range(6)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert sorted(rc for rc, _ in results) == [0, 1, 1, 1, 1, 1]
    assert all("a timer is already running" in err for rc, err in results if rc == 1)
    conn = sqlite3.connect(ledger)
    assert conn.execute("SELECT count(*) FROM time_entries WHERE end_utc IS NULL").fetchone() == (1,)


def test_parallel_issues_number_without_gaps(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-03T10:00:00+00:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR", "--number-pattern",
        "{year}-{seq:03}")
    for i in range(4):
        cli("--db", db, "client", "add", f"C{i}")
        cli("--db", db, "contract", "add", "-c", f"C{i}", "--rate", "10", "--from", "2026-10-01")
        cli("--db", db, "log", "add", "-c", f"C{i}", "--from", f"2026-10-05 {9 + 2 * i}:00", "--duration", "1h")
        cli("--db", db, "invoice", "create", "-c", f"C{i}", "--month", "2026-10")
    procs = [_vakit(db, "invoice", "issue", f"#{i + 1}", now="2026-11-03T10:00:00+00:00") for i in range(4)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0, 0]
    numbers = sorted(r[0] for r in sqlite3.connect(db).execute("SELECT number FROM invoices"))
    assert numbers == ["2026-001", "2026-002", "2026-003", "2026-004"]
