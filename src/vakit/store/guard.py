"""The daily guard: before the first write of a day, a quick integrity check and a backup.

A ledger that fails SQLite's ``PRAGMA quick_check`` is refused for writing (exit 3) with
the newest backup and how to restore it, so damage is never written over. The date of
the last guard is stored in ``meta`` inside the first write transaction of the day.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from vakit.core.errors import LedgerUnusable
from vakit.store.faults import sqlite_fault

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (≈ 2 ms) on every write
if TYPE_CHECKING:  # pragma: no cover
    from vakit.store.db import Ledger


def quick_check(ledger: Ledger) -> list[str]:
    """SQLite's ``PRAGMA quick_check`` on the ledger: ``[]`` when healthy, else its findings (at most 10)."""
    try:
        rows = [r[0] for r in ledger.conn.execute("PRAGMA quick_check(10)")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def refuse_damaged(ledger: Ledger, findings: list[str]) -> LedgerUnusable:
    """The error for a ledger that failed its integrity check, with the newest backup and how to restore."""
    from vakit.store.backups import restore_hint

    return LedgerUnusable(f"the ledger {ledger.path} is damaged ({findings[0]}); nothing was changed",
                          restore_hint(ledger.path))


def before_first_write(ledger: Ledger) -> None:
    """Run the guard if it has not run today (UTC) and record that it ran (returns None; the ledger's
    write transaction records nothing more). A ledger without a profile yet is checked but not copied,
    and not recorded, so the first change after ``vakit init`` makes the first backup.

    Raises LedgerUnusable if the ledger is damaged; VakitError if the backup cannot be written
    (disk full …), before anything is changed.
    """
    today = datetime.now(timezone.utc).date().isoformat()
    try:
        row = ledger.conn.execute("SELECT value FROM meta WHERE key = 'last_guard'").fetchone()
        has_data = ledger.conn.execute("SELECT 1 FROM profile").fetchone() is not None
    except sqlite3.DatabaseError as exc:
        raise sqlite_fault(exc, ledger.path) from exc
    if row is not None and row[0] == today:
        return
    findings = quick_check(ledger)
    if findings:
        raise refuse_damaged(ledger, findings)
    if not has_data:
        return  # nothing worth a copy yet: the first change with a profile in place makes one
    from vakit.store.backups import keep_count, take_backup
    from vakit.store.faults import DiskFull

    if keep_count(ledger) > 0:
        try:
            take_backup(ledger, reason="daily")
        except DiskFull as exc:  # the change itself may still fit: let it try, and say so
            ledger.notes.append(f"the daily backup was not made ({exc.message}); it is tried again at the "
                                "next change")
            return
    _record(ledger, today)  # on its own, so a change refused later today does not bring another backup


def _record(ledger: Ledger, today: str) -> None:
    try:
        ledger.begin_immediate()  # a wait Ctrl-C can stop, as every write's
        ledger.conn.execute("INSERT INTO meta (key, value) VALUES ('last_guard', ?) ON CONFLICT(key) DO UPDATE SET"
                            " value = excluded.value", (today,))
        ledger.conn.execute("COMMIT")
    except sqlite3.Error:
        if ledger.conn.in_transaction:
            ledger.conn.execute("ROLLBACK")
        # not recorded: the next change checks and backs up again, which is harmless
