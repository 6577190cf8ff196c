"""Opening the ledger: one SQLite file, foreign keys on, WAL, a busy timeout, explicit transactions.

The connection runs in autocommit mode; every change goes through :func:`write`,
which holds ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on any exception), so a
failing command leaves the ledger as it was (design.md §4, §6).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vakit.core.errors import LedgerUnusable, VakitError
from vakit.store.schema import SCHEMA_VERSION

BUSY_TIMEOUT_MS = 30000


class Ledger:
    """An open ledger. ``conn`` is a ``sqlite3.Connection`` with rows as ``sqlite3.Row``; ``path`` the file."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._depth = 0

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``); a nested call is a SAVEPOINT inside it, rolled back
        alone if its block raises.

        Raises LedgerUnusable if the ledger stays locked beyond the busy timeout or the disk is full.
        """
        if self._depth:
            name = f"vakit_{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield self.conn
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _unusable(exc, self.path) from exc
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.conn.execute("ROLLBACK")
            raise _unusable(exc, self.path) from exc

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _unusable(exc: sqlite3.Error, path: Path) -> VakitError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return LedgerUnusable(f"the ledger {path} is locked by another vakit process", "try again in a moment")
    if "full" in text:
        return LedgerUnusable(f"disk full: could not write the ledger {path}")
    if "not a database" in text or "malformed" in text:
        return LedgerUnusable(f"the ledger {path} is corrupt", "restore it from a backup (vakit db path shows where)")
    return LedgerUnusable(f"the ledger {path} cannot be used: {exc}")


def open_ledger(path: Path, *, create: bool = True) -> Ledger:
    """Open (and, if ``create``, create and migrate) the ledger at ``path``.

    A fresh or older ledger is migrated (sqlite-utils ``Migrations``); a ledger written by a
    newer vakit is refused. Raises LedgerUnusable (exit 3) for a corrupt, locked or
    newer-schema file, VakitError if it does not exist and ``create`` is False.
    """
    if path.is_dir():
        raise VakitError(f"{path} is a folder, not a ledger file")
    if not path.exists() or path.stat().st_size == 0:
        if not create:
            raise VakitError(f"no ledger at {path}", "run 'vakit init' first")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise VakitError(f"cannot create the ledger folder {path.parent}: {exc.strerror}") from exc
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _unusable(exc, path) from exc
    if version == 0:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables - {"_sqlite_migrations"} and "_sqlite_migrations" not in tables:
            conn.close()
            raise LedgerUnusable(f"{path} is an SQLite file of another program, not a vakit ledger",
                                 "choose another --db path")
    if version > SCHEMA_VERSION:
        conn.close()
        raise LedgerUnusable(
            f"the ledger {path} was written by a newer vakit (schema {version}, this vakit knows {SCHEMA_VERSION})",
            "upgrade vakit",
        )
    if version < SCHEMA_VERSION:
        from vakit.store.migrations import migrate

        try:
            conn.execute("PRAGMA journal_mode = WAL")  # persistent: set once, when the ledger is made
            migrate(conn, path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _unusable(exc, path) from exc
    return Ledger(conn, path)
