"""The ledger file: private modes, backups and restore, damage that stops writes, sealed invoices,
read-only folders, migrations from every earlier schema, and output files that never replace."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from vakit.store.schema import SCHEMA_VERSION

V1_SQL = Path(__file__).with_name("data") / "ledger-v1.sql"


def run(*args: str, db: Path, now: str = "2026-11-03T10:00:00+05:30", umask: int | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "VAKIT_DB": str(db), "VAKIT_NOW": now}

    def pre() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run([sys.executable, "-m", "vakit", *args], capture_output=True, text=True, env=env,
                          timeout=300, preexec_fn=pre, cwd=cwd)


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def v1_ledger(path: Path) -> Path:
    """The ledger as vakit 0.1 (schema 1) left it after its demo month plus: an overlap and an 18-hour entry
    allowed on purpose, a draft, a running timer; built from the SQL dump taken from that version."""
    conn = sqlite3.connect(path)
    conn.executescript(V1_SQL.read_text(encoding="utf-8"))
    conn.execute("PRAGMA user_version = 1")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return path


@pytest.fixture
def ledger(tmp_path) -> Path:
    db = tmp_path / "home" / "ledger.sqlite3"
    for args in (("init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN"),
                 ("client", "add", "Acme", "--tz", "America/New_York", "--currency", "USD"),
                 ("contract", "add", "--client", "Acme", "--rate", "25.00", "--from", "2026-10-01"),
                 ("log", "add", "-c", "Acme", "--from", "2026-10-05 09:00", "--duration", "2h", "Inbox"),
                 ("invoice", "create", "-c", "Acme", "--month", "2026-10"),
                 ("invoice", "issue", "1")):
        res = run(*args, db=db, umask=0o022)
        assert res.returncode == 0, res.stderr
    return db


def test_files_are_private_under_umask_022(ledger, tmp_path):
    assert mode(ledger.parent) == 0o700 and mode(ledger) == 0o600
    out = tmp_path / "out"
    out.mkdir()
    for args in (("invoice", "pdf", "INV-2026-0001", "-o", f"{out}/"), ("schedule", "export", "-o", str(out / "a.ics")),
                 ("db", "backup"), ("db", "backup", str(out / "copy.sqlite3"))):
        res = run(*args, db=ledger, umask=0o022)
        assert res.returncode == 0, res.stderr
    conn = sqlite3.connect(ledger)  # while it is open, the -wal and -shm exist
    conn.execute("SELECT 1 FROM profile").fetchone()
    made = [ledger, Path(f"{ledger}-wal"), Path(f"{ledger}-shm"), out / "INV-2026-0001.pdf", out / "a.ics",
            out / "copy.sqlite3", *(ledger.parent / "ledger.sqlite3-backups").iterdir()]
    assert {str(p): oct(mode(p)) for p in made} == {str(p): oct(0o600) for p in made}
    conn.close()
    assert mode(ledger.parent / "ledger.sqlite3-backups") == 0o700


def test_outputs_never_replace_a_file_and_never_the_ledger(ledger, tmp_path):
    target = tmp_path / "inv.pdf"
    target.write_text("mine")
    res = run("invoice", "pdf", "INV-2026-0001", "-o", str(target), db=ledger)
    assert res.returncode == 1 and res.stderr == f"vakit: {target} exists already (pass --force to replace it, or " \
        "choose another name)\n"
    assert target.read_text() == "mine"
    assert run("invoice", "pdf", "INV-2026-0001", "-o", str(target), "--force", db=ledger).returncode == 0
    assert target.read_bytes().startswith(b"%PDF")
    before = ledger.read_bytes()
    for args in (("invoice", "pdf", "INV-2026-0001", "-o", str(ledger), "--force"),
                 ("schedule", "export", "-o", str(ledger), "--force"),
                 ("schedule", "export", "-o", f"{ledger}-wal", "--force"),
                 ("db", "backup", str(ledger))):
        res = run(*args, db=ledger)
        assert res.returncode == 1 and ("is the ledger itself" in res.stderr or "exists already" in res.stderr), args
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    res = run("schedule", "export", "-o", str(other), "--force", db=ledger)
    assert res.returncode == 1 and "is an SQLite database; vakit never writes over one" in res.stderr
    assert ledger.read_bytes() == before
    assert not [p for p in tmp_path.rglob(".*.tmp")]


def test_distinct_numbers_never_share_a_pdf_name():
    from types import SimpleNamespace

    from vakit.services.documents import pdf_filename

    names = {n: pdf_filename(SimpleNamespace(id=7, number=n))
             for n in ("INV/2026/0001", "INV-2026-0001", "INV_2026_0001", "INV%2F2026", "inv-2026-0001", ".hidden",
                       "A B", "Ä/1", None)}
    assert names["INV/2026/0001"] == "INV_2026_0001.pdf"
    assert names["INV-2026-0001"] == "INV-2026-0001.pdf"
    assert names["INV_2026_0001"] == "INV%5F2026%5F0001.pdf"
    assert names[".hidden"] == "%2Ehidden.pdf"
    assert names["Ä/1"] == "%C3%84_1.pdf"
    assert names[None] == "draft#7.pdf"
    assert len(set(names.values())) == len(names)


def test_c32_a_damaged_ledger_is_named_and_a_backup_offered(ledger):
    res = run("db", "backup", db=ledger)
    assert res.returncode == 0
    backup = Path(res.stdout.strip().split(" to ")[1])  # the newest: the fixture's first change made a daily one
    data = bytearray(ledger.read_bytes())
    data[:100] = bytes(100)
    ledger.write_bytes(bytes(data))
    res = run("log", "list", db=ledger)
    assert res.returncode == 3
    assert res.stderr == (f"vakit: the ledger {ledger} is corrupt or not an SQLite database (the newest backup is "
                          f"{backup}; restore it with 'vakit db restore {backup}')\n")
    assert ledger.read_bytes()[:100] == bytes(100)  # never replaced by a fresh, empty ledger
    res = run("db", "restore", str(backup), db=ledger)
    assert res.returncode == 0, res.stderr
    aside = [p for p in ledger.parent.iterdir() if p.name.startswith("ledger.sqlite3.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes()[:100] == bytes(100)
    assert "INV-2026-0001" in run("invoice", "list", db=ledger).stdout
    assert run("db", "check", db=ledger).returncode == 0


def test_a_ledger_failing_its_integrity_check_is_refused_for_writing(ledger):
    conn = sqlite3.connect(ledger)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'time_entries_start'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(ledger, "r+b") as f:  # scribble over the index's page: the table reads, the index is wrong
        f.seek((root - 1) * page + 8)
        f.write(b"\xff" * 64)
    meta = sqlite3.connect(ledger)
    meta.execute("DELETE FROM meta WHERE key = 'last_guard'")  # as on the first write of a new day
    meta.commit()
    meta.close()
    res = run("log", "add", "-c", "Acme", "--from", "2026-10-06 09:00", "--duration", "1h", db=ledger)
    assert res.returncode == 3
    assert res.stderr.startswith(f"vakit: the ledger {ledger} is damaged (") and "vakit db restore" in res.stderr
    res = run("db", "check", db=ledger)
    assert res.returncode == 3 and "problem: SQLite integrity:" in res.stdout


def test_an_altered_invoice_is_named_by_check_and_refused_by_pdf(ledger, tmp_path):
    conn = sqlite3.connect(ledger)
    conn.execute("DROP TRIGGER issued_invoice_frozen")  # what a hand edit with another tool can do
    conn.execute("UPDATE invoices SET total_minor = total_minor + 100 WHERE number = 'INV-2026-0001'")
    conn.commit()
    conn.close()
    res = run("db", "check", db=ledger)
    assert res.returncode == 3
    assert "problem: invoice INV-2026-0001 was altered after it was issued" in res.stdout
    assert res.stderr.startswith(f"vakit: the ledger {ledger} is damaged: 1 problem")
    res = run("invoice", "pdf", "INV-2026-0001", "-o", f"{tmp_path}/", db=ledger)
    assert res.returncode == 3 and "invoice INV-2026-0001 was altered after it was issued" in res.stderr
    assert not list(tmp_path.glob("*.pdf"))
    res = run("invoice", "show", "INV-2026-0001", db=ledger)
    assert res.returncode == 3 and res.stdout == "" and "was altered after it was issued" in res.stderr


def test_check_finds_gaps_unallowed_overlaps_and_unforced_long_entries(ledger):
    conn = sqlite3.connect(ledger)
    conn.execute("UPDATE invoice_counters SET last_seq = 2")
    conn.execute("INSERT INTO time_entries (client_id, start_utc, end_utc, tz, created_utc) SELECT client_id,"
                 " start_utc + 60, end_utc + 60, tz, created_utc FROM time_entries")
    conn.execute("INSERT INTO time_entries (client_id, start_utc, end_utc, tz, created_utc) VALUES (1, 1000000,"
                 " 1000000 + 20 * 3600, 'UTC', 0)")
    conn.commit()
    conn.close()
    out = run("db", "check", db=ledger).stdout
    assert "problem: invoice series 'INV-2026-{seq}': the counter is at 2 but the last number issued is 1" in out
    assert "problem: time entries #1 and #2 overlap, and neither was allowed to" in out
    assert "problem: time entry #3 is longer than the maximum and was not forced" in out


def _read_only_runner(folder: Path):
    """A way to run vakit with ``folder`` read-only: a read-only bind mount in a private mount namespace
    as root (root ignores permissions), else the folder's mode 0500."""
    import shlex

    if os.geteuid() != 0:
        folder.chmod(0o500)
        return run, lambda: folder.chmod(0o700)
    if shutil.which("unshare") is None:
        pytest.skip("as root a read-only folder needs a read-only bind mount, and unshare is not installed")

    def run_ro(*args: str, db: Path) -> subprocess.CompletedProcess:
        env = {**os.environ, "VAKIT_DB": str(db), "VAKIT_NOW": "2026-11-03T10:00:00+05:30"}
        cmd = shlex.join([sys.executable, "-m", "vakit", *args])
        script = f"mount --bind {shlex.quote(str(folder))} {shlex.quote(str(folder))} && mount -o remount,bind,ro " \
                 f"{shlex.quote(str(folder))} && exec {cmd}"
        res = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=env)
        if "mount:" in res.stderr or "unshare:" in res.stderr:
            pytest.skip(f"cannot make a read-only bind mount here: {res.stderr.strip()}")
        return res

    return run_ro, lambda: None


def test_a_read_only_folder_can_be_read_but_not_written(ledger, tmp_path):
    run_ro, undo = _read_only_runner(ledger.parent)
    try:
        res = run_ro("invoice", "list", db=ledger)
        assert res.returncode == 0 and "INV-2026-0001" in res.stdout, res.stderr
        res = run_ro("client", "add", "Birch", db=ledger)
        assert res.returncode == 3, res.stderr
        assert res.stderr.startswith(f"vakit: the ledger {ledger} is read-only: ")
        assert "nothing was changed" in res.stderr and len(res.stderr.splitlines()) == 1
    finally:
        undo()
    assert "Birch" not in run("client", "list", db=ledger).stdout


def test_a_read_only_file_system_ledger_is_read_immutably(ledger, tmp_path):
    """Root ignores folder permissions, so read-only opening is checked through the library directly."""
    from vakit.store import db as store_db

    original = store_db.os.access
    store_db.os.access = lambda p, m: False if m == os.W_OK else original(p, m)
    try:
        led = store_db.open_ledger(ledger, create=False)
        assert led.conn.execute("SELECT count(*) FROM invoices").fetchone()[0] == 1
        with pytest.raises(Exception) as err:
            with led.write():
                pass
        assert "is read-only" in str(err.value)
        led.close()
    finally:
        store_db.os.access = original


def test_restore_keeps_the_current_ledger_and_refuses_what_is_not_a_ledger(ledger, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    assert run("db", "backup", str(copy), db=ledger).returncode == 0
    assert run("client", "add", "Birch", db=ledger).returncode == 0
    res = run("db", "restore", str(copy), db=ledger)
    assert res.returncode == 0, res.stderr
    kept = res.stdout.splitlines()[0].removeprefix("Kept the replaced ledger as ")
    assert "pre-restore" in kept and "Birch" in run("client", "list", "--json", db=Path(kept)).stdout
    assert "Birch" not in run("client", "list", db=ledger).stdout
    for bad, why in ((tmp_path / "nope.sqlite3", "no such file"), (Path(os.devnull), "is not a regular file"),
                     (ledger.parent / "ledger.sqlite3-backups", "is not a regular file")):
        res = run("db", "restore", str(bad), db=ledger)
        assert res.returncode == 1 and why in res.stderr, (bad, res.stderr)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    res = run("db", "restore", str(other), db=ledger)
    assert res.returncode == 1 and "not a vakit ledger" in res.stderr
    text = tmp_path / "t.txt"
    text.write_text("hello")
    res = run("db", "restore", str(text), db=ledger)
    assert res.returncode == 1 and "is not an SQLite database" in res.stderr


def test_backups_before_the_first_write_of_a_day_keep_the_newest(ledger):
    assert run("db", "backup", "--keep", "3", db=ledger).returncode == 0
    folder = ledger.parent / "ledger.sqlite3-backups"
    for i in range(5):
        conn = sqlite3.connect(ledger)
        conn.execute("DELETE FROM meta WHERE key = 'last_guard'")  # a new day
        conn.commit()
        conn.close()
        assert run("client", "add", f"Day {i}", db=ledger).returncode == 0
    from vakit.store.backups import list_backups

    names = [p.name for p in list_backups(ledger)]
    assert sum("-daily" in n for n in names) == 3 and sum("-manual" in n for n in names) == 1  # manual ones stay
    assert run("client", "add", "Same day", db=ledger).returncode == 0
    assert len(list(folder.iterdir())) == 4  # at most once a day


def test_an_empty_file_and_another_programs_database_are_never_converted(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    for args in (("log", "list"), ("init", "--name", "VA", "--tz", "UTC", "--currency", "EUR")):
        res = run(*args, db=empty)
        assert res.returncode == 3 and "is an empty file, not a vakit ledger" in res.stderr
    assert empty.stat().st_size == 0


def test_a_ledger_from_a_newer_vakit_is_refused(ledger):
    conn = sqlite3.connect(ledger)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    res = run("log", "list", db=ledger)
    assert res.returncode == 3
    assert res.stderr == (f"vakit: the ledger {ledger} was written by a newer vakit (schema {SCHEMA_VERSION + 1}; "
                          f"this vakit knows {SCHEMA_VERSION}) (upgrade vakit to one that knows schema "
                          f"{SCHEMA_VERSION + 1})\n")


def test_schema_1_migrates_without_loss(tmp_path):
    db = v1_ledger(tmp_path / "v1.sqlite3")
    old = sqlite3.connect(db)
    tables = ("profile", "clients", "contracts", "time_entries", "appointments", "invoices", "invoice_counters")
    before = {t: [tuple(r) for r in old.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}
    old.execute("INSERT INTO clients (name, tz, currency, locale, created_utc) VALUES ('DUP', 'UTC', 'INR', 'en_IN',"
                " 0)")  # a race in vakit 0.1 could store 'Dup' and 'DUP'
    old.commit()
    old.close()
    res = run("db", "check", db=db)
    assert res.returncode == 0, res.stdout + res.stderr
    assert (f"ok (schema {SCHEMA_VERSION} of {SCHEMA_VERSION}; 6 clients, 5 contracts, 129 time entries, "
            "4 appointments, 5 invoices)") in res.stdout
    [pre] = (tmp_path / "v1.sqlite3-backups").iterdir()
    assert pre.name.endswith("-pre-migration.sqlite3")
    assert sqlite3.connect(pre).execute("PRAGMA user_version").fetchone()[0] == 1
    new = sqlite3.connect(db)
    for t in tables:  # every old column keeps every value
        cols = [c[1] for c in sqlite3.connect(pre).execute(f"PRAGMA table_info({t})")]
        # ... except the one deliberate rename of migration 4: source 'toggl' is now 'import:toggl'
        shown = ["replace(source, 'import:toggl', 'toggl')" if c == "source" else c for c in cols]
        after = [tuple(r) for r in new.execute(f"SELECT {', '.join(shown)} FROM {t} ORDER BY rowid")]
        assert after[:len(before[t])] == before[t], t
    assert new.execute("SELECT count(*) FROM time_entries WHERE overlap_ok = 1").fetchone()[0] >= 3
    assert new.execute("SELECT id FROM time_entries WHERE long_ok = 1").fetchall() == [(126,)]
    assert new.execute("SELECT count(*) FROM invoices WHERE content_sha256 IS NOT NULL").fetchone()[0] == 4
    new.close()
    # it works as a current ledger: the draft is issued as number 5, and 'dup' is ambiguous no more
    assert run("invoice", "issue", "5", db=db).returncode == 0
    assert "INV/2026-27/005" in run("invoice", "list", db=db).stdout
    res = run("client", "add", "dup", db=db)
    assert res.returncode == 1 and "a client named 'dup' already exists (as 'Dup')" in res.stderr
    assert run("db", "check", db=db).returncode == 0


def test_two_processes_opening_an_old_ledger_migrate_it_once(tmp_path):
    db = v1_ledger(tmp_path / "v1.sqlite3")
    env = {**os.environ, "VAKIT_DB": str(db), "VAKIT_NOW": "2026-11-03T10:00:00+05:30"}
    procs = [subprocess.Popen([sys.executable, "-m", "vakit", "client", "list"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0], [p.stderr.read() for p in procs]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id").fetchall() == [
        ("m001_initial",), ("m002_reliability",), ("m003_receivables",), ("m004_time_tracking",),
        ("m005_busy_times",), ("m006_availability",), ("m007_series",), ("m008_no_show",),
        ("m009_caldav",), ("m010_lookups",), ("m011_terms",), ("m012_expenses",),
        ("m013_profile_country",)]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 shell to cross-check the backup")
def test_a_backup_is_a_complete_ledger(ledger, tmp_path):
    copy = tmp_path / "b.sqlite3"
    assert run("db", "backup", str(copy), db=ledger).returncode == 0
    out = subprocess.run(["sqlite3", str(copy), "PRAGMA integrity_check; SELECT number FROM invoices;"],
                         capture_output=True, text=True).stdout.split()
    assert out == ["ok", "INV-2026-0001"]


def test_manual_backups_into_a_folder_never_collide_and_a_missing_folder_is_refused(ledger, tmp_path):
    folder = tmp_path / "bk"
    res = run("db", "backup", f"{folder}/", db=ledger)
    assert res.returncode == 1 and res.stderr == f"vakit: no such folder: {folder}\n" and not folder.exists()
    folder.mkdir()
    for _ in range(3):  # within one second, usually
        assert run("db", "backup", f"{folder}/", db=ledger).returncode == 0
    assert len(list(folder.iterdir())) == 3


def test_the_first_change_after_init_makes_the_first_daily_backup(tmp_path):
    db = tmp_path / "new" / "ledger.sqlite3"
    assert run("init", "--name", "VA", "--tz", "UTC", "--currency", "EUR", db=db).returncode == 0
    assert not (db.parent / "ledger.sqlite3-backups").exists()  # an empty ledger needs no copy
    assert run("client", "add", "Acme", db=db).returncode == 0
    [daily] = (db.parent / "ledger.sqlite3-backups").iterdir()
    assert daily.name.endswith("-daily.sqlite3")
    assert run("client", "add", "Birch", db=db).returncode == 0
    assert len(list((db.parent / "ledger.sqlite3-backups").iterdir())) == 1


def test_restore_never_loses_a_change_committed_meanwhile(ledger, tmp_path):
    """A restore holds the writer gate over its pre-restore copy and the overwrite: a change committed while
    restores run is in the ledger or in a pre-restore copy, never lost from both."""
    import threading

    source = tmp_path / "src.sqlite3"
    assert run("db", "backup", str(source), db=ledger).returncode == 0
    acked: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        k = 0
        while not stop.is_set():
            k += 1
            r = run("log", "add", "-c", "Acme", "--from", f"2026-10-{1 + k % 28:02d} 20:{k % 60:02d}", "--duration",
                    "1m", "--allow-overlap", f"w-{k}", db=ledger)
            if r.returncode == 0:
                acked.append(f"w-{k}")

    t = threading.Thread(target=writer)
    t.start()
    for _ in range(6):
        assert run("db", "restore", str(source), "--force", db=ledger).returncode == 0
    stop.set()
    t.join()
    found: set[str] = set()
    for f in [ledger, *(ledger.parent / "ledger.sqlite3-backups").iterdir()]:
        found |= {r[0] for r in sqlite3.connect(f).execute("SELECT description FROM time_entries")}
    assert acked and [w for w in acked if w not in found] == []


def test_restore_refuses_to_drop_issued_invoices_without_force(ledger, tmp_path):
    before = tmp_path / "before.sqlite3"
    conn = sqlite3.connect(ledger)
    conn.execute("DELETE FROM invoice_counters")  # build a backup from before the issue, through vakit's own tools
    conn.close()
    assert run("db", "backup", str(before), db=ledger).returncode == 0
    c2 = sqlite3.connect(before)
    c2.execute("DROP TRIGGER issued_invoice_kept")
    c2.execute("DELETE FROM invoices")
    c2.commit()
    c2.close()
    res = run("db", "restore", str(before), db=ledger)
    assert res.returncode == 1 and res.stderr == ("vakit: the backup lacks issued invoice INV-2026-0001; restoring "
                                                  "it would let their numbers be issued again (pass --force to "
                                                  "restore anyway)\n")
    assert "INV-2026-0001" in run("invoice", "list", db=ledger).stdout


def test_restore_refuses_a_fake_ledger_and_never_converts_a_foreign_file(ledger, tmp_path):
    fake = tmp_path / "fake.sqlite3"
    c = sqlite3.connect(fake)
    c.execute("CREATE TABLE _sqlite_migrations (x)")
    c.execute("CREATE TABLE profile (x)")
    c.commit()
    c.close()
    res = run("db", "restore", str(fake), db=ledger)
    assert res.returncode == 1 and f"{fake} is not a usable vakit ledger" in res.stderr
    assert run("db", "check", db=ledger).returncode == 0
    good = tmp_path / "good.sqlite3"
    assert run("db", "backup", str(good), db=ledger).returncode == 0
    foreign = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    for target, why in ((foreign, "an SQLite database of another program"), (empty, "it is empty")):
        res = run("db", "restore", str(good), db=target)
        assert res.returncode == 1 and why in res.stderr, res.stderr
    assert empty.stat().st_size == 0 and not list(tmp_path.glob("*.damaged-*"))
    assert not (tmp_path / "good.sqlite3-wal").exists() and not (tmp_path / "good.sqlite3-shm").exists()


def test_a_new_ledger_never_replays_an_orphaned_wal(ledger, tmp_path):
    db = tmp_path / "fresh" / "ledger.sqlite3"
    db.parent.mkdir()
    conn = sqlite3.connect(ledger)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("INSERT INTO clients (name, name_key, tz, currency, locale, created_utc) VALUES ('Stale', 'stale',"
                 " 'UTC', 'EUR', 'en_GB', 0)")
    conn.commit()
    import shutil as sh

    sh.copy(f"{ledger}-wal", f"{db}-wal")  # the WAL of a ledger deleted after a crash
    conn.close()
    res = run("init", "--name", "Fresh", "--tz", "UTC", "--currency", "EUR", db=db)
    assert res.returncode == 0 and res.stdout.startswith("Created the profile of Fresh")
    assert run("client", "list", "--json", db=db).stdout.count('"name"') == 0
    assert run("db", "check", db=db).returncode == 0
    assert [p.name.split(".orphan-")[0] for p in db.parent.glob("*.orphan-*")] == ["ledger.sqlite3-wal"]


def test_db_check_names_an_issued_invoice_turned_back_into_a_draft(ledger):
    conn = sqlite3.connect(ledger)
    conn.execute("DROP TRIGGER issued_invoice_frozen")
    conn.execute("UPDATE invoices SET status = 'draft', number = NULL, series = NULL, seq = NULL, content_sha256 ="
                 " NULL")
    conn.execute("DELETE FROM invoice_counters")
    conn.commit()
    conn.close()
    res = run("db", "check", db=ledger)
    assert res.returncode == 3
    assert "problem: draft #1 carries the number, dates or seal of an issued invoice" in res.stdout


def test_an_interrupted_first_init_creates_nothing(tmp_path):
    db = tmp_path / "l.sqlite3"
    res = run("init", "--name", "VA", "--tz", "Europe/Lisbn", "--currency", "EUR", db=db)
    assert res.returncode == 1 and "unknown time zone 'Europe/Lisbn'" in res.stderr
    assert not db.exists() and not list(tmp_path.iterdir())


def test_refused_changes_do_not_bring_more_daily_backups(ledger):
    conn = sqlite3.connect(ledger)
    conn.execute("DELETE FROM meta WHERE key = 'last_guard'")  # a new day
    conn.commit()
    conn.close()
    before = len(list((ledger.parent / "ledger.sqlite3-backups").iterdir()))
    for _ in range(3):
        assert run("client", "add", "Acme", db=ledger).returncode == 1  # refused: the name is taken
    assert len(list((ledger.parent / "ledger.sqlite3-backups").iterdir())) == before + 1
