"""Run by test_disk_full.py inside a private mount namespace, with a 1 MiB tmpfs mounted at argv[1].

Fills the tmpfs, then runs the installed vakit as a user would and prints what happened
as JSON on stdout. Kept apart from the test so that it can run under ``unshare``.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

D = Path(sys.argv[1])
LEDGER = D / "l.sqlite3"
ENV = {**os.environ, "VAKIT_DB": str(LEDGER), "VAKIT_NOW": "2025-05-13T22:05:00+01:00"}


def vakit(*args: str, now: str | None = None) -> dict:
    env = dict(ENV, VAKIT_NOW=now) if now else ENV
    res = subprocess.run([sys.executable, "-m", "vakit", *args], capture_output=True, text=True, env=env, timeout=120)
    return {"rc": res.returncode, "stdout": res.stdout, "stderr": res.stderr}


def fill(leave: int = 0) -> Path:
    """Fill the file system, then give back ``leave`` bytes."""
    filler = D / "filler"
    with open(filler, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def state() -> dict:
    conn = sqlite3.connect(LEDGER)
    try:
        return {"integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
                "entries": [list(r) for r in conn.execute("SELECT start_utc, end_utc FROM time_entries")]}
    finally:
        conn.close()


def files() -> dict:
    return {p.name: p.stat().st_size for p in D.iterdir() if p.name != "filler"}


out: dict = {}
setup = [vakit("init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB"),
         vakit("client", "add", "Acme", "--tz", "Europe/London"),
         vakit("contract", "add", "--client", "Acme", "--rate", "40.00", "--from", "2025-05-01"),
         vakit("schedule", "book", "Call", "-c", "Acme", "--at", "2025-05-20 10:00"),
         vakit("log", "start", "--client", "Acme")]
out["setup"] = [r["rc"] for r in setup]

# A: no space at all, then `log stop` after midnight (C-32 A with the disk completely full)
filler = fill()
out["stop_full"] = vakit("log", "stop", now="2025-05-14T00:57:00+01:00")
out["export_full"] = vakit("schedule", "export", "-o", str(D / "acme.ics"))
out["backup_full"] = vakit("db", "backup", str(D / "copy.sqlite3"))
out["files_full"] = files()
filler.unlink()
out["after_full"] = state()

# B: 4 KiB free (C-32 A as written): the stop either fits or is refused whole
filler = fill(leave=4096)
out["stop_4k"] = vakit("log", "stop", now="2025-05-14T00:57:00+01:00")
out["files_4k"] = files()
filler.unlink()
out["after_4k"] = state()
out["check"] = vakit("db", "check", now="2025-05-14T01:00:00+01:00")
print(json.dumps(out))
