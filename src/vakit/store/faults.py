"""Faults of the file system and of SQLite, named in one clear line with their exit code.

Exit 1: the request may succeed later (the ledger is busy, the disk is full or over quota,
an output folder is not writable). Exit 3: the ledger itself cannot be used (damaged,
read-only, unreadable). Never a raw SQLite message (design.md §6).
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from vakit.core.errors import LedgerUnusable, VakitError

# primary result codes (https://www.sqlite.org/rescode.html)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY = 3, 5, 6, 7, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_CONSTRAINT, SQLITE_NOTADB = 10, 11, 13, 14, 19, 26
SQLITE_CONSTRAINT_TRIGGER = 1811


class LedgerBusy(VakitError):
    """Another vakit command held the ledger longer than the busy timeout. Exit 1: try again."""


class DiskFull(VakitError):
    """The disk (or the user's quota) is full. Exit 1: free space and try again."""


def sqlite_fault(exc: sqlite3.Error, path: Path, *, action: str = "write") -> VakitError:
    """The user-facing error for an ``sqlite3.Error`` raised while trying to ``action`` (write, open) the
    ledger at ``path``."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return LedgerBusy(f"the ledger {path} is busy: another vakit command held it for more than 30 s",
                          "try again; nothing was changed")
    if primary == SQLITE_FULL or "disk is full" in text or (primary == SQLITE_IOERR and _nearly_full(path)):
        return DiskFull(f"disk full: could not {action} the ledger {path}", "free some space and try again; "
                        "nothing was changed")
    if primary == SQLITE_READONLY or "readonly" in text:
        return LedgerUnusable(f"the ledger {path} is read-only", "check the permissions of the file and its folder;"
                              " nothing was changed")
    if primary == SQLITE_IOERR or "disk i/o" in text:
        return DiskFull(f"the disk refused a write or read of the ledger {path} (over quota or failing)",
                        "free some space or check the disk, then try again; nothing was changed")
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        from vakit.store.backups import restore_hint

        return LedgerUnusable(f"the ledger {path} is corrupt", restore_hint(path))
    if primary in (SQLITE_CANTOPEN, SQLITE_PERM) or "unable to open" in text:
        return LedgerUnusable(f"cannot open the ledger {path}", "check that the file and its folder are readable")
    if code == SQLITE_CONSTRAINT_TRIGGER:  # one of vakit's own rules, e.g. 'issued invoice is frozen'
        return VakitError(f"refused by the ledger: {exc}", "nothing was changed")
    if primary == SQLITE_CONSTRAINT:
        return VakitError("refused by the ledger: the change would break a uniqueness or reference rule",
                          "nothing was changed")
    if primary == SQLITE_NOMEM:
        return VakitError("out of memory while using the ledger", "nothing was changed")
    return LedgerUnusable(f"the ledger {path} cannot be used ({type(exc).__name__}, SQLite code {code})")


def _nearly_full(path: Path) -> bool:
    """Whether the file system holding ``path`` has less than 1 MiB left for the user (an I/O error there is
    most likely a full disk: SQLite reports ENOSPC on its shared-memory file as an I/O error)."""
    import os

    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < (1 << 20)


_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EFBIG: "the file would be too large",
    errno.EIO: "an input/output error",
}


def os_fault(exc: OSError, action: str, path: Path | str, *, ledger: bool = False) -> VakitError:
    """The user-facing error for an ``OSError`` while trying to ``action`` (``"write the PDF"``) at ``path``.

    ``ledger`` marks the ledger file itself: read-only and permission faults there exit 3.
    """
    reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    message = f"cannot {action} {path}: {reason}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        full = "disk full" if exc.errno == errno.ENOSPC else "disk quota used up"
        return DiskFull(f"{full}: cannot {action} {path}", "free some space and try again; no partial file was left")
    if ledger and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return LedgerUnusable(message)
    return VakitError(message)
