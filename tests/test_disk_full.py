"""A full disk (acceptance 3 of the reliability issue; field case C-32 A).

A 1 MiB tmpfs is mounted in a private mount namespace (``unshare -m`` as root, else
``unshare -r -m`` where unprivileged user namespaces are allowed); the scenario in
``diskfull_scenario.py`` fills it and runs the installed vakit as a user would.
Skipped, with the reason, where neither kind of mount is allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIO = Path(__file__).with_name("diskfull_scenario.py")


@pytest.fixture(scope="module")
def full_disk(tmp_path_factory) -> dict:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed, so no private tmpfs can be mounted")
    mnt = tmp_path_factory.mktemp("tmpfs")
    script = f'mount -t tmpfs -o size=1m tmpfs "{mnt}" && exec "{sys.executable}" "{SCENARIO}" "{mnt}"'
    tried = []
    for flags in (["-m"], ["-r", "-m"]) if os.geteuid() == 0 else (["-r", "-m"],):
        res = subprocess.run([unshare, *flags, "sh", "-c", script], capture_output=True, text=True, timeout=600)
        if res.returncode == 0 and res.stdout.strip().startswith("{"):
            return json.loads(res.stdout)
        tried.append(f"unshare {' '.join(flags)}: {(res.stderr.strip().splitlines() or ['?'])[-1]}")
        if "mount" not in res.stderr and "unshare" not in res.stderr:
            pytest.fail(f"the disk-full scenario failed: {res.stderr[-3000:]}")
    pytest.skip("cannot mount a private tmpfs here (" + "; ".join(tried) + ")")


def _one_line(r: dict, *expect: str) -> str:
    assert r["rc"] == 1, r
    lines = r["stderr"].strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vakit: "), r
    for e in expect:
        assert e in lines[0], r
    return lines[0]


def test_c32_stop_on_a_full_disk_says_disk_full_and_keeps_the_timer(full_disk):
    assert full_disk["setup"] == [0, 0, 0, 0, 0]
    line = _one_line(full_disk["stop_full"], "disk full", "l.sqlite3")
    assert "nothing was changed" in line
    after = full_disk["after_full"]
    assert after["integrity"] == "ok"
    assert after["entries"] == [[1747170300, None]]  # still running: the stop was rolled back whole


def test_c32_with_4_kib_free_the_stop_is_whole_or_not_at_all(full_disk):
    after = full_disk["after_4k"]
    assert after["integrity"] == "ok"
    if full_disk["stop_4k"]["rc"] == 0:
        assert after["entries"] == [[1747170300, 1747180620]]  # 22:05 → 00:57 BST
    else:
        _one_line(full_disk["stop_4k"], "disk full")
        assert after["entries"] == [[1747170300, None]]
    assert full_disk["check"]["rc"] == 0 and ": ok (schema" in full_disk["check"]["stdout"]


def test_outputs_on_a_full_disk_leave_no_partial_file(full_disk):
    _one_line(full_disk["export_full"], "disk full: cannot write", "acme.ics", "no partial file")
    _one_line(full_disk["backup_full"], "disk full: cannot write the backup", "copy.sqlite3")
    names = dict(full_disk["files_full"])
    names.pop("l.sqlite3-backups", None)  # the first change after init made the day's backup
    names.pop("l.sqlite3-gate", None)  # the writer gate (an empty lock file)
    assert "acme.ics" not in names and "copy.sqlite3" not in names
    assert not [n for n in names if n.startswith(".")]  # no temporary file left
    # only the ledger and SQLite's own WAL bookkeeping; the ledger itself is never shortened
    assert set(names) <= {"l.sqlite3", "l.sqlite3-wal", "l.sqlite3-shm"} and names["l.sqlite3"] > 0
