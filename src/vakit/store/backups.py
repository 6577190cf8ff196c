"""Backups of the ledger: consistent copies made with ``VACUUM INTO``, kept beside the ledger.

Automatic backups go to ``<ledger>-backups/`` next to the ledger file (folder 0700, files
0600): one before every migration, one at most once a day before the first write, one
before a restore. The newest ``keep_backups`` (a ledger setting, default 14) are kept.
``vakit db restore`` copies a checked backup into the ledger through SQLite's backup API,
so other vakit processes never see a half-restored file.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from vakit.core.errors import InvalidValue, LedgerUnusable
from vakit.store.faults import sqlite_fault
from vakit.store.files import TargetExists, is_sqlite_file, private_folder, write_file
from vakit.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:  # pragma: no cover
    from vakit.store.db import Ledger

DEFAULT_KEEP = 14
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>[0-9]{8}T[0-9]{6}Z)-(?P<reason>[a-z-]+?)(?:-(?P<n>[0-9]+))?\.sqlite3$")


def backup_folder(ledger_path: Path) -> Path:
    """Where automatic backups of ``ledger_path`` live: ``<folder>/<name>-backups``."""
    return ledger_path.with_name(f"{ledger_path.name}-backups")


def list_backups(ledger_path: Path) -> list[Path]:
    """The ledger's backups in its backup folder, oldest first (by the UTC stamp in their names)."""
    folder = backup_folder(ledger_path)
    try:
        found = [p for p in folder.iterdir() if _NAME.match(p.name)]
    except OSError:
        return []
    def order(p: Path) -> tuple[str, int]:
        m = _NAME.match(p.name)
        return m["stamp"], int(m["n"] or 1)  # type: ignore[index]

    return sorted(found, key=order)


def newest_backup(ledger_path: Path) -> Path | None:
    """The newest backup to restore from, or None: a copy kept just before a restore is offered only when
    there is no other (it holds the state that was being replaced, often the damaged one)."""
    found = list_backups(ledger_path)
    good = [p for p in found if _NAME.match(p.name)["reason"] != "pre-restore"]  # type: ignore[index]
    return (good or found or [None])[-1]


def restore_hint(ledger_path: Path) -> str:
    """How to get a damaged ledger back: the newest backup and the command that restores it."""
    newest = newest_backup(ledger_path)
    if newest is None:
        return "no automatic backup was found; restore a copy of your own with 'vakit db restore FILE'"
    return f"the newest backup is {newest}; restore it with 'vakit db restore {newest}'"


def keep_count(ledger: Ledger) -> int:
    """How many backups to keep (the ``keep_backups`` setting, default 14; 0 turns automatic backups off)."""
    try:
        row = ledger.conn.execute("SELECT value FROM meta WHERE key = 'keep_backups'").fetchone()
    except sqlite3.Error:
        return DEFAULT_KEEP
    return int(row[0]) if row else DEFAULT_KEEP


def _vacuum_into(ledger: Ledger) -> Callable[[Path], None]:
    def fill(tmp: Path) -> None:
        try:
            ledger.conn.execute("VACUUM INTO ?", (str(tmp),))
        except sqlite3.Error as exc:
            if "disk" in str(exc).lower() or "full" in str(exc).lower():
                raise OSError(28, "No space left on device", str(tmp)) from exc
            raise sqlite_fault(exc, ledger.path) from exc
    return fill


def take_backup(ledger: Ledger, *, reason: str = "manual", target: Path | None = None) -> Path:
    """Write a consistent copy of the ledger (``VACUUM INTO``, 0600, atomic) and return its path.

    Without ``target`` it goes to the backup folder as ``<name>-<UTC stamp>-<reason>.sqlite3`` and the
    oldest automatic backups beyond :func:`keep_count` are removed. An existing ``target`` is refused.
    Raises VakitError for file-system faults (disk full …), InvalidValue for a refused target.
    """
    if target is None:
        folder = private_folder(backup_folder(ledger.path))
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        for n in range(1, 100):  # several backups within one second, by one process or several
            target = folder / f"{ledger.path.stem}-{stamp}-{reason}{'' if n == 1 else f'-{n}'}.sqlite3"
            try:
                write_file(target, _vacuum_into(ledger), ledger=ledger.path, what="write the backup")
            except TargetExists:
                continue
            prune(ledger)
            return target
        raise InvalidValue(f"too many backups of {ledger.path} within one second")
    return write_file(target, _vacuum_into(ledger), ledger=ledger.path, what="write the backup")


def prune(ledger: Ledger) -> list[Path]:
    """Remove the oldest backups beyond :func:`keep_count`; returns what was removed."""
    keep = max(keep_count(ledger), 1)
    found = list_backups(ledger.path)
    removed = found[:-keep] if len(found) > keep else []
    for p in removed:
        try:
            p.unlink()
        except OSError:
            pass
    return removed


def check_backup_file(path: Path) -> int:
    """Check that ``path`` is a vakit ledger this vakit can use and that it passes SQLite's integrity check;
    return its schema version. Raises InvalidValue naming what is wrong."""
    if not path.is_file():
        raise InvalidValue(f"no such file: {path}")
    if not is_sqlite_file(path):
        raise InvalidValue(f"{path} is not an SQLite database, so not a vakit ledger")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "_sqlite_migrations" not in tables or "profile" not in tables:
                raise InvalidValue(f"{path} is an SQLite database of another program, not a vakit ledger")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise InvalidValue(f"{path} was written by a newer vakit (schema {version}; this vakit knows "
                                   f"{SCHEMA_VERSION})", "upgrade vakit first")
            result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise InvalidValue(f"{path} fails SQLite's integrity check: {result[0]}", "choose another backup")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise InvalidValue(f"{path} cannot be read as a ledger ({type(exc).__name__})") from exc
    return version


def restore(ledger: Ledger, source: Path) -> Path | None:
    """Replace the ledger's content with ``source`` (checked with :func:`check_backup_file`), after keeping
    the current ledger as a ``pre-restore`` backup (if it can still be read). Returns that backup's path.

    The copy goes through SQLite's backup API into the open ledger, under its write lock.
    Raises InvalidValue for a refused source, VakitError for faults.
    """
    check_backup_file(source)
    if source.resolve() == ledger.path.resolve():
        raise InvalidValue(f"{source} is the ledger itself")
    kept = None
    try:
        kept = take_backup(ledger, reason="pre-restore")
    except LedgerUnusable:
        kept = None  # a damaged ledger cannot be copied; it is being replaced because of that
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.backup(ledger.conn)
    except sqlite3.Error as exc:
        raise sqlite_fault(exc, ledger.path) from exc
    finally:
        src.close()
    return kept


def replace_unopenable(path: Path, source: Path) -> Path:
    """Restore ``source`` over a ledger file that cannot even be opened: the damaged file (and its
    -wal/-shm) is renamed aside to ``<name>.damaged-<UTC stamp>``, never deleted, then the checked copy
    is put in its place atomically. Returns where the damaged file went. Raises InvalidValue, VakitError.
    """
    import os

    from vakit.store.faults import os_fault

    check_backup_file(source)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    try:
        for suffix in ("", "-wal", "-shm"):
            p = Path(f"{path}{suffix}")
            if p.exists():
                os.rename(p, Path(f"{aside}{suffix}"))
    except OSError as exc:
        raise os_fault(exc, "move aside the damaged ledger", path, ledger=True) from exc
    def fill(tmp: Path) -> None:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = WAL")
        finally:
            src.close()
            dst.close()

    write_file(path, fill, what="restore the ledger")
    return aside
