"""Faults named in one line with their exit code: a busy ledger, SQLite and file-system errors,
oversized inputs, hostile arguments; and many issuers at once all succeed with gapless numbers."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from racing import Racers, seeded_ledger
from vakit.cli.app import as_vakit_error
from vakit.core.errors import LedgerUnusable
from vakit.services import billing, timesheet
from vakit.store.db import open_ledger
from vakit.store.faults import DiskFull, LedgerBusy, os_fault, sqlite_fault

NOW = "2026-11-03T10:00:00+00:00"


def test_a_busy_ledger_is_exit_1_and_says_try_again(tmp_path):
    ctx = seeded_ledger(tmp_path / "l.sqlite3", clients=1, now=NOW)
    holder = sqlite3.connect(tmp_path / "l.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    ctx.ledger.conn.execute("PRAGMA busy_timeout = 50")  # the real one waits 30 s
    with pytest.raises(LedgerBusy) as err:
        timesheet.add(ctx, "C0", start_text="2026-10-05 09:00", duration=3600)
    holder.execute("ROLLBACK")
    assert err.value.exit_code == 1
    assert str(err.value) == (f"the ledger {tmp_path / 'l.sqlite3'} is busy: another vakit command held it for more "
                              "than 30 s (try again; nothing was changed)")
    assert ctx.ledger.conn.execute("SELECT count(*) FROM time_entries").fetchone()[0] == 0


@pytest.mark.parametrize("code,name,kind,exit_code,text", [
    (13, "SQLITE_FULL", DiskFull, 1, "disk full: could not write the ledger"),
    (5, "SQLITE_BUSY", LedgerBusy, 1, "is busy"),
    (8, "SQLITE_READONLY", LedgerUnusable, 3, "is read-only"),
    (11, "SQLITE_CORRUPT", LedgerUnusable, 3, "is corrupt"),
    (26, "SQLITE_NOTADB", LedgerUnusable, 3, "is corrupt"),
    (14, "SQLITE_CANTOPEN", LedgerUnusable, 3, "cannot open the ledger"),
    (1811, "SQLITE_CONSTRAINT_TRIGGER", None, 1, "refused by the ledger: issued invoice is frozen"),
    (2067, "SQLITE_CONSTRAINT_UNIQUE", None, 1, "refused by the ledger: the change would break a uniqueness"),
])
def test_sqlite_faults_are_named_never_raw(tmp_path, code, name, kind, exit_code, text):
    exc = sqlite3.OperationalError("issued invoice is frozen" if code == 1811 else "raw sqlite text")
    exc.sqlite_errorcode, exc.sqlite_errorname = code, name
    err = sqlite_fault(exc, tmp_path / "l.sqlite3")
    assert err.exit_code == exit_code and text in str(err) and "raw sqlite text" not in str(err)
    if kind is not None:
        assert isinstance(err, kind)


@pytest.mark.parametrize("no,exit_code,text", [
    (errno.ENOSPC, 1, "disk full: cannot write the PDF /x/a.pdf"),
    (errno.EDQUOT, 1, "disk quota used up: cannot write the PDF /x/a.pdf"),
    (errno.EROFS, 1, "cannot write the PDF /x/a.pdf: the file system is read-only"),
    (errno.EACCES, 1, "cannot write the PDF /x/a.pdf: permission denied"),
])
def test_file_system_faults_are_named(no, exit_code, text):
    err = os_fault(OSError(no, "raw"), "write the PDF", Path("/x/a.pdf"))
    assert err.exit_code == exit_code and str(err).startswith(text)
    assert os_fault(OSError(errno.EACCES, "raw"), "open", Path("/l"), ledger=True).exit_code == 3


def test_an_unexpected_exception_is_one_line_and_never_claims_nothing_changed():
    err = as_vakit_error(ZeroDivisionError("boom"))
    assert str(err) == "internal error: ZeroDivisionError: boom (a bug in vakit; run with --debug for the traceback)"
    assert as_vakit_error(MemoryError()).exit_code == 1


def test_oversized_and_endless_imports_are_refused(cli, tmp_path):
    db = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", db, "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR")
    res = cli("--db", db, "log", "import", "/dev/zero", ok=False)
    assert res.exit_code == 1 and res.stderr == ("vakit: /dev/zero is not a regular file (export the data to a file "
                                                 "first)\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    res = cli("--db", db, "log", "import", str(fifo), ok=False)  # would wait for a writer for ever
    assert res.exit_code == 1 and "is not a regular file" in res.stderr
    big = tmp_path / "big.csv"
    with open(big, "wb") as f:
        f.truncate(65 << 20)  # sparse: no disk used
    res = cli("--db", db, "log", "import", str(big), ok=False)
    assert res.exit_code == 1 and res.stderr == (f"vakit: {big} is larger than 64 MiB, more than an export of time "
                                                 "entries can be (split the export by year)\n")
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n")
    res = cli("--db", db, "log", "import", "--format", "toggl", str(wide), ok=False)
    assert res.exit_code == 1 and "missing column 'Client'" in res.stderr


@pytest.mark.parametrize("args,code,text", [
    (("log", "rm", "99999999999999999999999999"), 2, "is not in the range 1<=x<=9223372036854775807"),
    (("log", "add", "-c", "Acme", "--duration", "99999999999h"), 1, "is longer than a year"),
    (("invoice", "show", "99999999999999999999999999"), 1, "no invoice '99999999999999999999999999'"),
    (("client", "show", "#99999999999999999999999999"), 1, "no client named"),
    (("client", "add", "bad\udcffname"), 1, "is not valid UTF-8 text"),
    (("invoice", "list", "--status", "unpayed"), 1, "unknown invoice status 'unpayed' (use one of: draft, issued, "
                                                    "sent, partly-paid, unpaid, overdue, paid, credited, void)"),
    (("contract", "add", "-c", "Acme", "--rate", "10", "--terms", "99999999999999999999"), 2, "--terms"),
])
def test_numbers_and_bytes_out_of_range_are_refused_in_one_line(cli, tmp_path, args, code, text):
    db = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", db, "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR")
    cli("--db", db, "client", "add", "Acme")
    res = cli("--db", db, *args, ok=False)
    assert res.exit_code == code, res.output
    assert text in res.stderr and "internal error" not in res.stderr
    if code == 1:
        assert len(res.stderr.strip().splitlines()) == 1


def test_twenty_issuers_at_once_all_succeed_without_gaps(tmp_path):
    db = tmp_path / "l.sqlite3"
    ctx = seeded_ledger(db, clients=20, now=NOW)
    drafts = []
    for i in range(20):
        timesheet.add(ctx, f"C{i}", start_text=f"2026-10-{i + 1:02d} 09:00", duration=3600)
        drafts += billing.create_drafts(ctx, f"C{i}", "2026-10")
    with Racers(20) as racers:
        outs = racers.race(*[["--db", str(db), "invoice", "issue", f"#{d.id}"] for d in drafts],
                           env={"VAKIT_NOW": NOW})
    assert [o.code for o in outs] == [0] * 20, [o.stderr for o in outs if o.code]
    led = open_ledger(db, create=False)
    numbers = sorted(r[0] for r in led.conn.execute("SELECT number FROM invoices"))
    assert numbers == [f"2026-{n:04d}" for n in range(1, 21)]


def test_an_import_matches_clients_by_whole_name_only(cli, tmp_path, csv_path):
    db = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", db, "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR")
    for name in ("Northwind Analytics", "Harbour"):
        cli("--db", db, "client", "add", name)
    header = csv_path.read_text(encoding="utf-8-sig").splitlines()[0]
    f = tmp_path / "x.csv"
    f.write_text(header + "\n" + "\n".join(
        f"U,u@x,{c},P,,{d},Yes,2026-10-0{i},09:00:00,2026-10-0{i},10:00:00,01:00:00,,"
        for i, (c, d) in enumerate((("North", "for North"), ("2", "for a client named 2"), ("harbour", "any case")),
                                   start=1)) + "\n", encoding="utf-8")
    res = cli("--db", db, "log", "import", str(f), "--tz", "UTC", ok=False)
    assert res.exit_code == 1 and res.stderr == "vakit: x.csv: 2 unknown clients: '2', 'North' (add them first, " \
        "map them with --map, or pass --create-clients with --client-tz and --client-currency)\n"
    out = cli("--db", db, "log", "import", str(f), "--tz", "UTC", "--create-clients", "--client-tz", "UTC",
              "--client-currency", "EUR").stdout
    assert "Created clients: 2, North" in out
    import json

    rows = json.loads(cli("--db", db, "log", "list", "--month", "2026-10", "--json").stdout)["data"]
    assert {(r["client"], r["description"]) for r in rows} == {
        ("North", "for North"), ("2", "for a client named 2"), ("Harbour", "any case")}
