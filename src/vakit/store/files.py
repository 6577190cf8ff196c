"""Files vakit writes (PDFs, calendars, backups): private, atomic, never replacing anything silently (files
it reads as input are :mod:`vakit.store.inputs`).

Each file is written to a temporary name in its target folder (mode 0600 whatever the
umask), flushed to disk, and only then given its name: linked into place when nothing
may be replaced, renamed over the old file with ``force``. A failure (a full disk) leaves
no partial file behind. A SQLite database, the ledger above all, is never replaced.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from vakit.core.errors import InvalidValue, VakitError
from vakit.store.faults import os_fault

SQLITE_MAGIC = b"SQLite format 3\x00"


class TargetExists(InvalidValue):
    """The output file exists and may not be replaced."""


def is_sqlite_file(path: Path) -> bool:
    """Whether ``path`` is an existing file that starts with SQLite's header (any program's database)."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def _is_ledger_file(target: Path, ledger: Path | None) -> bool:
    if ledger is None:
        return False
    names = {ledger, Path(f"{ledger}-wal"), Path(f"{ledger}-shm"), Path(f"{ledger}-journal")}
    try:
        resolved = target.resolve()
        return any(resolved == p.resolve() for p in names)
    except OSError:
        return False


def folder_meant(out: str) -> bool:
    """Whether an output argument names a folder: one that exists, or any path written with a trailing
    ``/``. The one rule for every ``-o``/``PATH`` argument."""
    return out.endswith(("/", os.sep)) or Path(out).expanduser().is_dir()


def check_target(target: Path, *, force: bool, ledger: Path | None = None) -> None:
    """Refuse ``target`` if it is the ledger (or its -wal/-shm), any SQLite database, a folder, or an existing
    file without ``force``. Raises InvalidValue."""
    if _is_ledger_file(target, ledger):
        raise InvalidValue(f"{target} is the ledger itself; vakit never writes over it", "choose another file name")
    if target.is_dir():
        raise InvalidValue(f"{target} is a folder", "give a file name, or the folder with a trailing '/'")
    if target.exists() and not target.is_file():
        raise InvalidValue(f"{target} is not a regular file (a pipe, a device or a socket)",
                           "give a file name; for standard output use -o -")
    if target.exists() or target.is_symlink():
        if is_sqlite_file(target):
            raise TargetExists(f"{target} is an SQLite database; vakit never writes over one",
                               "choose another file name")
        if not force:
            raise TargetExists(f"{target} exists already", "pass --force to replace it, or choose another name")


def write_file(target: Path, data: bytes | Callable[[Path], None], *, force: bool = False,
               ledger: Path | None = None, what: str = "write") -> Path:
    """Write ``data`` (bytes, or a function that fills the temporary path it is given) to ``target``.

    The file is created 0600 under a temporary name in the same folder, fsynced, then linked into place
    (``force``: renamed over an existing file). Returns ``target``. Raises InvalidValue for a refused
    target (see :func:`check_target`) and VakitError for file-system faults (disk full, read-only, no
    permission), in every case leaving no partial file.
    """
    check_target(target, force=force, ledger=ledger)
    folder = target.parent
    if not folder.is_dir():
        raise InvalidValue(f"no such folder: {folder}")
    tmp = folder / f".{target.name}.vakit-{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            if isinstance(data, bytes):
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
        finally:
            os.close(fd)
        if not isinstance(data, bytes):
            data(tmp)
            os.chmod(tmp, 0o600)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
        if force:
            check_target(target, force=True, ledger=ledger)  # still not the ledger or a database
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)
            except OSError as exc:
                if exc.errno == errno.EEXIST:
                    raise TargetExists(f"{target} exists already",
                                       "pass --force to replace it, or choose another name") from exc
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                # a file system without hard links (FAT, some network shares): check, then rename
                check_target(target, force=False, ledger=ledger)
                os.replace(tmp, target)
        _sync_folder(folder)
    except OSError as exc:
        raise os_fault(exc, what, target) from exc
    except VakitError:
        raise
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass
    return target


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry, so the new name survives a crash (best effort: not every OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def private_folder(path: Path) -> Path:
    """Create ``path`` (and parents) as 0700 if it does not exist; return it. Raises VakitError."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise os_fault(exc, "create the folder", path) from exc
    return path
