"""``vakit db backup`` and ``vakit db restore``: consistent copies of the ledger and the way back.

See :mod:`vakit.store.backups` for where automatic backups live and how many are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vakit.core.errors import InvalidValue, LedgerUnusable
from vakit.services.context import Context
from vakit.store import backups


def backup(ctx: Context, target: str | None = None) -> Path:
    """Write a backup of the ledger. ``target``: a file to create (never replaced), an existing folder or
    one written with a trailing ``/`` (a stamped file inside it; the folder must exist), or None (the
    ledger's backup folder). Returns the path. Raises InvalidValue, VakitError."""
    from vakit.store.files import folder_meant

    if target is None:
        return backups.take_backup(ctx.ledger, reason="manual")
    if not target.strip():
        raise InvalidValue("the backup path is empty")
    path = Path(target).expanduser()
    if folder_meant(target):
        if not path.is_dir():
            raise InvalidValue(f"no such folder: {path}")
        return backups.take_backup(ctx.ledger, reason="manual", folder=path)
    if not path.parent.is_dir():
        raise InvalidValue(f"no such folder: {path.parent}")
    return backups.take_backup(ctx.ledger, reason="manual", target=path)


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


def restore(ledger_path: Path, source: Path, *, force: bool = False) -> Restored:
    """Make ``source`` the ledger at ``ledger_path``.

    The source is copied to a scratch folder, migrated and checked there first
    (:func:`vakit.store.backups.checked_copy`). A ledger that still opens is then kept as a
    ``-pre-restore`` backup and overwritten under the writer gate; a restore that would drop
    issued invoices is refused without ``force``. A ledger file that cannot be opened any more
    is renamed aside (never deleted) and the copy put in its place. Raises InvalidValue for a
    refused source, VakitError for faults.
    """
    import tempfile

    from vakit.store.db import open_ledger

    if not ledger_path.exists():
        raise InvalidValue(f"no ledger at {ledger_path}", "a restore replaces an existing ledger; copy the file "
                           "there yourself, or use --db")
    if source.exists() and source.resolve() == ledger_path.resolve():
        raise InvalidValue(f"{source} is the ledger itself")
    with tempfile.TemporaryDirectory(prefix="vakit-restore-") as work:
        copy = backups.checked_copy(source, Path(work))
        try:
            ledger = open_ledger(ledger_path, create=False)
        except LedgerUnusable:
            return Restored(None, backups.replace_unopenable(ledger_path, copy))
        try:
            kept = backups.restore(ledger, copy, force=force)
        finally:
            ledger.close()
    return Restored(kept, None)
