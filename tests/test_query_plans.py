"""What keeps the timer commands fast on a long history (issue 11): every statement ``log start``, ``stop``,
``status``, ``add`` and ``switch`` run on ``time_entries`` is answered through an index, never a full scan, as
SQLite's ``EXPLAIN QUERY PLAN`` tells. Nothing here is timed."""

from __future__ import annotations

import sqlite3

import pytest

import vakit.cli.plain as plain
from vakit.store.db import open_ledger

NOW = "2026-11-10T15:00:00+00:00"


@pytest.fixture
def statements(monkeypatch):
    """Every SQL statement the commands run, as SQLite expanded it (parameters bound)."""
    seen: list[str] = []

    def traced(path, **kw):
        ledger = open_ledger(path, **kw)
        ledger.conn.set_trace_callback(seen.append)
        return ledger

    monkeypatch.setattr(plain, "open_ledger", traced)
    return seen


#: partial indexes that hold only a handful of rows (long-on-purpose entries; the one running timer)
SMALL = ("time_entries_long", "time_entries_one_running")


def _unbounded(detail: str) -> bool:
    """A plan step on time_entries that reads without an index, or through an index range open at one end
    (``start_utc<?`` alone reads every earlier entry)."""
    if "time_entries" not in detail:
        return False
    if detail.startswith("SCAN"):
        return True
    if any(f"INDEX {name} " in detail for name in SMALL) or "=" in detail.split("(", 1)[-1]:
        return False
    cond = detail.split("(", 1)[-1]
    return not ("<" in cond and ">" in cond)


def _scans(db: str, sql: list[str]) -> list[tuple[str, str]]:
    """(statement, plan line) for every plan step that reads time_entries without a bounded index range."""
    conn = sqlite3.connect(db)
    out = []
    for s in sql:
        head = s.lstrip().split(None, 1)[0].upper() if s.strip() else ""
        if head not in ("SELECT", "UPDATE", "DELETE", "WITH") or "time_entries" not in s:
            continue
        for row in conn.execute("EXPLAIN QUERY PLAN " + s):
            if _unbounded(row[3]):
                out.append((s, row[3]))
    conn.close()
    return out


@pytest.mark.parametrize("command", [
    ("log", "start", "--client", "Acme"),
    ("log", "status"),
    ("log", "stop"),
    ("log", "switch", "--client", "Birch"),
    ("log", "add", "--client", "Acme", "--from", "09:00", "--to", "10:00"),
])
def test_timer_commands_read_time_entries_through_indexes(london, statements, tmp_path, command):
    cli = london
    cli.now = NOW
    for day in range(1, 9):  # some history
        cli("log", "add", "--client", "Acme", "--date", f"2026-11-0{day}", "--from", "09:00", "--to", "17:00")
    if command[1] in ("stop", "switch", "status"):
        cli("log", "start", "--client", "Acme", "--at", "14:00")
    statements.clear()
    cli(*command)
    assert any("time_entries" in s for s in statements)
    db = next((tmp_path / "home").rglob("*.sqlite3"))
    assert _scans(str(db), statements) == []


def test_db_check_finds_overlaps_through_the_start_index(tmp_path):
    """``vakit db check``'s overlap query reads, for each entry, one range of ``time_entries_start``: a nested
    loop with the index inside, not every pair (which took ten minutes on 100,000 entries)."""
    from vakit.services.checkup import OVERLAPS

    ledger = open_ledger(tmp_path / "l.sqlite3", create=True)
    plan = [row[3] for row in ledger.conn.execute("EXPLAIN QUERY PLAN " + OVERLAPS)]
    ledger.close()
    assert plan == ["SCAN a", "SEARCH b USING INDEX time_entries_start (start_utc>? AND start_utc<?)"]
