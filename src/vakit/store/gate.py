"""The writer gate: an advisory file lock beside the ledger (``<ledger>-gate``, 0600).

Every vakit write transaction holds it shared (writers still queue on SQLite's own lock);
``vakit db restore`` holds it exclusively while it copies the ledger aside and then
overwrites it, so no change can commit between the two and be lost from both.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT_SECONDS = 30.0


@contextmanager
def gate(ledger_path: Path, *, exclusive: bool = False, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the ledger's gate (shared, or ``exclusive``) for the block, waiting up to ``wait`` seconds.

    Where the gate file cannot be made (a read-only folder), nothing is held: no vakit can write
    there either. Raises VakitError (exit 1) if the gate stays taken.
    """
    try:
        fd = os.open(f"{ledger_path}-gate", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, mode)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    from vakit.store.faults import LedgerBusy

                    raise LedgerBusy(f"the ledger {ledger_path} is busy: a restore or another vakit command held it "
                                     f"for more than {wait:.0f} s", "try again; nothing was changed") from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # closing releases the lock
