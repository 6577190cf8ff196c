"""``vakit db backup`` and ``vakit db restore``: consistent copies of the ledger and the way back.

See :mod:`vakit.store.backups` for where automatic backups live and how many are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vakit.core.errors import InvalidValue, LedgerUnusable
from vakit.services.context import Context
from vakit.store import backups


def backup(ctx: Context, target: Path | None = None) -> Path:
    """Write a backup of the ledger to ``target`` (an existing folder: a stamped file inside it; nothing:
    the ledger's backup folder). Never replaces a file. Returns the path. Raises InvalidValue, VakitError."""
    if target is not None and target.is_dir():
        from datetime import datetime, timezone

        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = target / f"{ctx.ledger.path.stem}-{stamp}-manual.sqlite3"
    return backups.take_backup(ctx.ledger, reason="manual", target=target)


def set_keep(ctx: Context, keep: int) -> int:
    """Set how many automatic backups are kept (0–1000; 0 turns automatic backups off). Returns it."""
    if not 0 <= keep <= 1000:
        raise InvalidValue(f"keep {keep} backups? give a number from 0 to 1000")
    with ctx.ledger.write() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('keep_backups', ?) ON CONFLICT(key) DO UPDATE SET"
                     " value = excluded.value", (str(keep),))
    return keep


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup made of the replaced ledger, or where a damaged file was moved."""

    kept: Path | None
    moved_aside: Path | None


def restore(ledger_path: Path, source: Path) -> Restored:
    """Make ``source`` (a vakit ledger that passes SQLite's integrity check) the ledger at ``ledger_path``.

    A ledger that still opens is first backed up, then overwritten through SQLite's backup API
    under its write lock. One that cannot be opened any more is renamed aside (never deleted)
    and the copy is put in its place. Raises InvalidValue for a refused source, VakitError for faults.
    """
    from vakit.store.db import open_ledger

    backups.check_backup_file(source)
    if not ledger_path.exists():
        raise InvalidValue(f"no ledger at {ledger_path}", "a restore replaces an existing ledger; copy the file "
                           "there yourself, or use --db")
    try:
        ledger = open_ledger(ledger_path, create=False)
    except LedgerUnusable:
        return Restored(None, backups.replace_unopenable(ledger_path, source))
    try:
        kept = backups.restore(ledger, source)
    finally:
        ledger.close()
    open_ledger(ledger_path, create=False).close()  # an older backup is migrated now, not at the next command
    return Restored(kept, None)
