"""Backups of the ledger: consistent copies made with ``VACUUM INTO``, kept beside the ledger.

Automatic backups go to ``<ledger>-backups/`` next to the ledger file (folder 0700, files
0600): one before every migration, one at most once a day before the first write, one
before a restore. The newest ``keep_backups`` (a ledger setting, default 14) daily ones
are kept; the others are never removed by vakit.
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

from vakit.core.errors import InvalidValue
from vakit.store.faults import sqlite_fault
from vakit.store.files import TargetExists, is_sqlite_file, private_folder, write_file
from vakit.store.schema import SCHEMA_VERSION, schema_of

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


def take_backup(ledger: Ledger, *, reason: str = "manual", target: Path | None = None,
                folder: Path | None = None) -> Path:
    """Write a consistent copy of the ledger (``VACUUM INTO``, 0600, atomic) and return its path.

    To ``target`` if given (an existing file is refused); else into ``folder`` (default: the ledger's
    backup folder, then the oldest backups beyond :func:`keep_count` are removed) as
    ``<name>-<UTC stamp>-<reason>[-N].sqlite3``, N counting backups made within the same second.
    Raises VakitError for file-system faults (disk full …), InvalidValue for a refused target.
    """
    if target is not None:
        return write_file(target, _vacuum_into(ledger), ledger=ledger.path, what="write the backup")
    automatic = folder is None
    folder = private_folder(backup_folder(ledger.path)) if automatic else folder
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1, 100):  # several backups within one second, by one process or several
        name = folder / f"{ledger.path.stem}-{stamp}-{reason}{'' if n == 1 else f'-{n}'}.sqlite3"
        try:
            write_file(name, _vacuum_into(ledger), ledger=ledger.path, what="write the backup")
        except TargetExists:
            continue
        if reason == "daily":
            prune(ledger)
        return name
    raise InvalidValue(f"too many backups of {ledger.path} within one second")


def prune(ledger: Ledger) -> list[Path]:
    """Remove the oldest daily backups beyond :func:`keep_count`; returns what was removed. Backups made by
    hand, before a migration or before a restore are never removed by vakit."""
    keep = max(keep_count(ledger), 1)
    daily = [p for p in list_backups(ledger.path) if _NAME.match(p.name)["reason"] == "daily"]  # type: ignore[index]
    removed = daily[:-keep] if len(daily) > keep else []
    for p in removed:
        try:
            p.unlink()
        except OSError:
            pass
    return removed


def _read_uri(path: Path) -> str:
    """A read-only URI for ``path`` that leaves no -wal/-shm beside it (immutable when no WAL is pending)."""
    wal = Path(f"{path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    return f"{path.resolve().as_uri()}?mode=ro" + ("" if pending else "&immutable=1")


def checked_copy(source: Path, workdir: Path) -> Path:
    """A private copy of ``source`` in ``workdir``, migrated to this vakit's schema and checked: SQLite's
    integrity check, vakit's tables, every table readable. The copy is what a restore puts in place, so
    a file that only looks like a ledger is refused before the ledger is touched.

    Raises InvalidValue naming what is wrong (no such file, not a regular file, not SQLite, another
    program's database, a newer vakit, damaged, not usable).
    """
    from vakit.core.errors import VakitError

    if not source.exists():
        raise InvalidValue(f"no such file: {source}")
    if not source.is_file():
        raise InvalidValue(f"{source} is not a regular file, so not a vakit ledger")
    if not is_sqlite_file(source):
        raise InvalidValue(f"{source} is not an SQLite database, so not a vakit ledger")
    copy = workdir / "restore.sqlite3"
    try:
        src = sqlite3.connect(_read_uri(source), uri=True)
        try:
            version = schema_of(src)
            has_profile = src.execute("SELECT 1 FROM sqlite_master WHERE name = 'profile'").fetchone()
            if version is None or not has_profile:
                raise InvalidValue(f"{source} is an SQLite database of another program, not a vakit ledger")
            if version > SCHEMA_VERSION:
                raise InvalidValue(f"{source} was written by a newer vakit (schema {version}; this vakit knows "
                                   f"{SCHEMA_VERSION})", "upgrade vakit first")
            result = [r[0] for r in src.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise InvalidValue(f"{source} fails SQLite's integrity check: {result[0]}", "choose another backup")
            dst = sqlite3.connect(copy)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = WAL")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise InvalidValue(f"{source} cannot be read as a ledger ({type(exc).__name__})") from exc
    try:
        from vakit.store.db import open_ledger

        led = open_ledger(copy, create=False)  # migrates an older backup, in the scratch folder
        try:
            for (table,) in led.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                led.conn.execute(f'SELECT * FROM "{table}" LIMIT 1').fetchall()
            led.conn.execute("SELECT business_name, home_tz FROM profile").fetchall()
            led.conn.execute("SELECT id, status, number, series, seq FROM invoices LIMIT 1").fetchall()
            led.conn.execute("SELECT id, start_utc, end_utc, invoice_id FROM time_entries LIMIT 1").fetchall()
            led.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            led.close()
    except (VakitError, sqlite3.Error) as exc:
        raise InvalidValue(f"{source} is not a usable vakit ledger ({exc})") from exc
    return copy


def issued_numbers(conn: sqlite3.Connection) -> set[str]:
    """The numbers of the issued invoices in a ledger."""
    return {r[0] for r in conn.execute("SELECT number FROM invoices WHERE status = 'issued'")}


def restore(ledger: Ledger, copy: Path, *, force: bool = False) -> Path:
    """Replace the ledger's content with ``copy`` (made by :func:`checked_copy`), after keeping the current
    ledger as a ``pre-restore`` backup. Returns that backup's path.

    Both happen under the writer gate held exclusively (:mod:`vakit.store.gate`), so no vakit change can
    commit in between and be lost from both; the copy goes through SQLite's backup API into the open
    ledger. Without ``force`` a restore that would drop issued invoices (whose numbers would then be
    issued again) is refused, naming them. Raises InvalidValue, VakitError.
    """
    from vakit.store.gate import gate

    with gate(ledger.path, exclusive=True):
        src = sqlite3.connect(copy)
        try:
            lost = sorted(issued_numbers(ledger.conn) - issued_numbers(src))
            if lost and not force:
                shown = ", ".join(lost[:5]) + (f" and {len(lost) - 5} more" if len(lost) > 5 else "")
                raise InvalidValue(f"the backup lacks issued invoice{'s' if len(lost) > 1 else ''} {shown}; restoring "
                                   "it would let their numbers be issued again", "pass --force to restore anyway")
            kept = take_backup(ledger, reason="pre-restore")
            src.backup(ledger.conn)
        except sqlite3.Error as exc:
            raise sqlite_fault(exc, ledger.path) from exc
        finally:
            src.close()
    return kept


def replace_unopenable(path: Path, copy: Path) -> Path:
    """Put ``copy`` (from :func:`checked_copy`) in place of a ledger file that cannot even be opened: the
    damaged file (and its -wal/-shm) is renamed aside to ``<name>.damaged-<UTC stamp>``, never deleted.
    Only a regular, non-empty file that is not another program's database nor a newer vakit's ledger is
    replaced. Returns where the damaged file went. Raises InvalidValue, VakitError.
    """
    import os

    from vakit.store.faults import os_fault

    if not path.is_file() or path.stat().st_size == 0:
        what = "empty" if path.is_file() else "not a regular file"
        raise InvalidValue(f"{path} is not a damaged vakit ledger (it is {what})", "restore into another --db path")
    if is_sqlite_file(path):
        try:
            conn = sqlite3.connect(_read_uri(path), uri=True)
            try:
                version = schema_of(conn)
            finally:
                conn.close()
            if version is None:
                raise InvalidValue(f"{path} is an SQLite database of another program, not a vakit ledger",
                                   "restore into another --db path")
            if version > SCHEMA_VERSION:
                raise InvalidValue(f"{path} was written by a newer vakit (schema {version})", "upgrade vakit")
        except sqlite3.Error:
            pass  # damaged beyond reading its schema: the case this function is for
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    try:
        for suffix in ("", "-wal", "-shm"):
            p = Path(f"{path}{suffix}")
            if p.exists():
                os.rename(p, Path(f"{aside}{suffix}"))
    except OSError as exc:
        raise os_fault(exc, "move aside the damaged ledger", path, ledger=True) from exc
    write_file(path, copy.read_bytes(), what="restore the ledger")
    return aside
