"""Opening the ledger: one SQLite file, foreign keys on, WAL, a busy timeout, explicit transactions.

The connection runs in autocommit mode; every change goes through :meth:`Ledger.write`,
which holds ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on any exception), so a
failing command leaves the ledger as it was (design.md §4, §6). A command that reads
state and writes based on it does its reads inside the same ``write()`` block.

Before the first write of a day the ledger gets a quick integrity check and a backup
(:mod:`vakit.store.guard`); a ledger that fails the check is refused for writing.
The file, its ``-wal``/``-shm`` and its backups are created readable by the user only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vakit.core.errors import LedgerUnusable, VakitError
from vakit.store.faults import DiskFull, sqlite_fault
from vakit.store.files import is_sqlite_file
from vakit.store.gate import gate
from vakit.store.schema import SCHEMA_VERSION, schema_of

BUSY_TIMEOUT_MS = 30000
#: one wait of :meth:`Ledger.begin_immediate` for another writer, in milliseconds
BUSY_STEP_MS = 100


class Ledger:
    """An open ledger. ``conn`` is a ``sqlite3.Connection`` with rows as ``sqlite3.Row``; ``path`` the file;
    ``read_only`` is None, or the error any write raises: the file or its folder cannot be written, or
    the disk is too full to open the ledger for writing (reads still work)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: VakitError | None = None) -> None:
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self._depth = 0
        self._guarded = False
        #: things the user should know that did not stop the command (printed on stderr by the CLI)
        self.notes: list[str] = []

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``); a nested call is a SAVEPOINT inside it, rolled back
        alone if its block raises. Reads made inside the block see the state the writes are based on.

        Raises LedgerUnusable (exit 3) for a damaged or read-only ledger, VakitError (exit 1) when the
        ledger stays busy beyond the busy timeout or the disk is full; nothing is changed then.
        """
        if self._depth:
            name = f"vakit_{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        if self.read_only is not None:
            raise self.read_only
        if not self._guarded:
            from vakit.store.guard import before_first_write

            before_first_write(self)
            self._guarded = True
        with gate(self.path):  # a restore cannot overwrite the ledger while this transaction runs
            try:
                self.begin_immediate()
            except sqlite3.Error as exc:
                raise sqlite_fault(exc, self.path) from exc
            self._depth = 1
            try:
                yield self.conn
            except sqlite3.Error as exc:
                self._depth = 0
                self._rollback()
                raise sqlite_fault(exc, self.path) from exc
            except BaseException:
                self._depth = 0
                self._rollback()
                raise
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise sqlite_fault(exc, self.path) from exc

    def begin_immediate(self) -> None:
        """``BEGIN IMMEDIATE``, waiting for another writer (a program other than vakit holding SQLite's write
        lock) up to :data:`BUSY_TIMEOUT_MS` in waits of :data:`BUSY_STEP_MS`, so that Ctrl-C stops the wait
        at once: Python sees a signal only when SQLite's own busy wait returns. Every write transaction of
        vakit begins here (:meth:`write`, and the daily guard's record). Raises sqlite3.Error."""
        import time

        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_STEP_MS}")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    code = getattr(exc, "sqlite_errorcode", None)
                    if not isinstance(code, int) or code & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                        raise
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _rollback(self) -> None:
        """Roll back if a transaction is still open (SQLite ends it by itself after a full disk or I/O error)."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _why_read_only(path: Path) -> str:
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is not writable"
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    return "the file system is read-only"


def _create(path: Path) -> None:
    """Make a new, migrated ledger at ``path`` atomically: built under a temporary name in the same
    folder (0600; a new folder 0700, whatever the umask), then linked into place, so a crash never
    leaves a half-made ledger and an existing file is never replaced."""
    from vakit.store.faults import os_fault
    from vakit.store.migrations import migrate

    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _orphans_aside(path)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        conn = _connect(tmp, read_only=False)
        try:
            migrate(Ledger(conn, tmp), fresh=True)
        finally:
            conn.close()
        os.link(tmp, path)
    except FileExistsError:
        pass  # another vakit made it first: use theirs
    except OSError as exc:
        raise os_fault(exc, "create the ledger", path, ledger=True) from exc
    except sqlite3.Error as exc:
        raise sqlite_fault(exc, path) from exc
    finally:
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)


def _orphans_aside(path: Path) -> None:
    """A -wal or -shm left where no ledger is any more (its ledger deleted after a crash) would be replayed
    into a new ledger made there: rename them aside (``…-wal.orphan-<UTC stamp>``), never delete them."""
    from datetime import datetime, timezone

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for suffix in ("-wal", "-shm", "-journal"):
        orphan = Path(f"{path}{suffix}")
        if orphan.exists() and not path.exists():
            orphan.rename(Path(f"{orphan}.orphan-{stamp}"))


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        # a ledger in a read-only folder: WAL needs its -shm file, which cannot be made there
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _open_connection(path: Path) -> tuple[sqlite3.Connection, VakitError | None]:
    """A connection to an existing ledger, and the error writes will raise if it can only be read.

    A ledger whose file or folder is not writable, or on a disk too full for SQLite's ``-shm``
    file, is opened read-only (immutable) so that it can still be read, but only when its
    ``-wal`` holds nothing, so no committed change is missed. Raises VakitError otherwise.
    """
    wal = Path(f"{path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    read_only: VakitError | None = None
    if not (os.access(path.parent, os.W_OK) and os.access(path, os.W_OK)):
        read_only = LedgerUnusable(f"the ledger {path} is read-only: {_why_read_only(path)}", "nothing was changed")
        if pending:
            raise LedgerUnusable(f"the ledger {path} is read-only ({_why_read_only(path)}) and holds changes not yet "
                                 f"merged into it (in {wal.name})", "make it writable once, then run any vakit "
                                 "command")
    try:
        conn = _connect(path, read_only=read_only is not None)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn, read_only
    except sqlite3.Error as exc:
        fault = sqlite_fault(exc, path, action="open")
        if read_only is not None or not isinstance(fault, DiskFull) or pending:
            raise fault from exc
        fault = sqlite_fault(exc, path, action="write")
    try:  # a full disk leaves no room for the -shm file; with nothing in the WAL, read the file as it is
        return _connect(path, read_only=True), fault
    except sqlite3.Error as exc:
        raise sqlite_fault(exc, path, action="open") from exc


def open_ledger(path: Path, *, create: bool = True) -> Ledger:
    """Open (and, if ``create``, create and migrate) the ledger at ``path``.

    A new ledger is made only where no file is (``create``); an existing file must be a
    vakit ledger: an empty file or another program's SQLite database is refused, never
    converted. An older ledger is migrated (after a backup); one written by a newer vakit
    is refused. A ledger whose folder cannot be written is opened read-only.
    Raises LedgerUnusable (exit 3) for a damaged, foreign, unreadable or newer-schema file,
    VakitError if it does not exist and ``create`` is False.
    """
    if path.is_dir() or str(path).endswith(("/", os.sep)):
        raise VakitError(f"{path} is a folder, not a ledger file", "give the ledger's file name, e.g. ledger.sqlite3")
    if path.exists() and not path.is_file():
        raise LedgerUnusable(f"{path} is not a regular file, so not a vakit ledger", "choose another --db path")
    if not path.exists():
        if not create:
            raise VakitError(f"no ledger at {path}", "run 'vakit init' first")
        _create(path)
    if path.stat().st_size == 0:
        raise LedgerUnusable(f"{path} is an empty file, not a vakit ledger",
                             "remove it, or choose another --db path; vakit never converts an existing file")
    elif not is_sqlite_file(path):
        from vakit.store.backups import restore_hint  # only on this path: keeps `vakit log` light

        raise LedgerUnusable(f"the ledger {path} is corrupt or not an SQLite database", restore_hint(path))
    conn, read_only = _open_connection(path)
    try:
        version = schema_of(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise sqlite_fault(exc, path, action="open") from exc
    if version is None:
        conn.close()
        raise LedgerUnusable(f"{path} is an SQLite file of another program, not a vakit ledger",
                             "choose another --db path")
    if version > SCHEMA_VERSION:
        conn.close()
        raise LedgerUnusable(
            f"the ledger {path} was written by a newer vakit (schema {version}; this vakit knows {SCHEMA_VERSION})",
            f"upgrade vakit to one that knows schema {version}",
        )
    _tighten(path)
    ledger = Ledger(conn, path, read_only=read_only)
    if version < SCHEMA_VERSION:
        if read_only is not None:
            conn.close()
            raise LedgerUnusable(f"the ledger {path} needs an upgrade to schema {SCHEMA_VERSION}, which cannot be "
                                 f"written now: {read_only.message}")
        from vakit.store.migrations import migrate

        migrate(ledger, fresh=False)
    return ledger


def _tighten(path: Path) -> None:
    """Make an existing ledger and its -wal/-shm private (0600) if an older vakit left them readable."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if p.stat().st_mode & 0o077:
                p.chmod(0o600)
        except OSError:
            pass
