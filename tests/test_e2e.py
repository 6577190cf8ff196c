"""The installed command, run as a user would (subprocess)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import icalendar
from pypdf import PdfReader

from vakit.store.schema import SCHEMA_VERSION


def run(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "vakit", *args], capture_output=True, text=True, env=full_env,
                          cwd=cwd, timeout=300)


def test_demo_writes_four_pdfs_and_a_calendar(tmp_path):
    res = run("demo", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    pdfs = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert pdfs == [f"INV_2026-27_00{i}.pdf" for i in (1, 2, 3, 4)]
    for p in pdfs:
        assert len(PdfReader(tmp_path / "out" / p).pages) >= 1
    cal = icalendar.Calendar.from_ical((tmp_path / "out" / "appointments.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == 4
    assert "Imported 122 of 122 Toggl rows" in res.stdout
    assert "INR 17,169.00" in res.stdout
    # everything in one folder, the ledger too; --force replaces an earlier demo, never another ledger
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix in (".sqlite3", ".csv")) == [
        "demo-ledger.sqlite3", "toggl-detailed-2026-10.csv"]
    assert res.stdout.splitlines()[-2:] == [
        f"Explore it: vakit --db {tmp_path / 'out' / 'demo-ledger.sqlite3'}   (the home screen; then invoice list, "
        "log report …)",
        f"Everything the demo made is in {tmp_path / 'out'}/; remove it with: rm -r {tmp_path / 'out'}"]
    again = run("demo", "--out", str(tmp_path / "out"), "--force", cwd=tmp_path)
    assert again.returncode == 0 and "INR 17,169.00" in again.stdout, again.stderr
    other = tmp_path / "mine"
    other.mkdir()
    assert run("--db", str(other / "demo-ledger.sqlite3"), "init", "--name", "Me", "--tz", "UTC", "--currency",
               "EUR").returncode == 0
    res = run("demo", "--out", str(other), "--force", cwd=tmp_path)
    assert (res.returncode, res.stderr) == (1, f"vakit: {other / 'demo-ledger.sqlite3'} is not an earlier demo's "
                                               "ledger; the demo leaves it alone (choose another --out)\n")


def test_errors_are_one_line_without_traceback(tmp_path):
    res = run("--db", str(tmp_path / "x.sqlite3"), "log", "status")
    assert res.returncode == 1
    assert res.stderr.strip() == f"vakit: no ledger at {tmp_path / 'x.sqlite3'} (run 'vakit init' first)"
    assert not (tmp_path / 'x.sqlite3').exists()


def test_a_corrupt_ledger_is_named_and_kept(tmp_path):
    db = tmp_path / "l.sqlite3"
    assert run("--db", str(db), "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR").returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    data[:100] = bytes(100)
    db.write_bytes(bytes(data))
    res = run("--db", str(db), "log", "list")
    assert res.returncode == 3
    assert str(db) in res.stderr and "corrupt" in res.stderr and "Traceback" not in res.stderr
    assert db.read_bytes()[:100] == bytes(100)  # not replaced by a fresh ledger


def test_help_and_usage_errors_keep_their_exit_codes():
    res = run("log", "add", "--help")
    assert res.returncode == 0 and "--duration" in res.stdout and res.stderr == ""
    # a usage error is one line on stderr naming the command and its help, exit 2
    for args, line in ((("log", "add", "--bogus"),
                        "vakit: log add: no such option: --bogus (see vakit log add --help)"),
                       (("nosuch",), "vakit: no such command 'nosuch' (see vakit --help)"),
                       (("client", "add"), "vakit: client add: missing argument 'name' (see vakit client add --help)"),
                       (("invoice", "issue"),  # `vakit invoice issue #1`: the shell dropped #1
                        "vakit: invoice issue: missing argument 'invoice' (a #ID needs quotes, '#1': an unquoted # "
                        "starts a shell comment)"),
                       (("log", "list", "--\x1b[31mred"),  # a control character is shown escaped
                        "vakit: log list: no such option: --\\x1b[31mred (see vakit log list --help)"),
                       (("--db", "x.db", "log", "list", "--month"),
                        "vakit: log list: option '--month' requires an argument (see vakit log list --help)")):
        res = run(*args)
        assert (res.returncode, res.stdout, res.stderr) == (2, "", line + "\n"), args
    res = run("--version")
    assert res.returncode == 0 and res.stdout.startswith("vakit ")


def test_db_check_reports_a_healthy_ledger(tmp_path):
    db = tmp_path / "l.sqlite3"
    assert run("--db", str(db), "init", "--name", "VA", "--tz", "UTC", "--currency", "EUR").returncode == 0
    res = run("--db", str(db), "db", "check")
    assert res.returncode == 0
    assert res.stdout.strip() == (f"{db}: ok (schema {SCHEMA_VERSION} of {SCHEMA_VERSION}; 0 clients, 0 contracts, "
                                  "0 time entries, 0 appointments, 0 invoices)")
