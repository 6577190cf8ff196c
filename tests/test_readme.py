"""The README's "Use it" block runs top to bottom as written, in bash, on a fresh VAKIT_HOME (each command a minute
after the one before, from 2 Dec 2026 09:00 in Pune), and gives the figures it promises."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BIN = Path(sys.executable).parent
START = 1796182200  # 2026-12-02T09:00:00+05:30 (03:30 UTC)


def use_it_block() -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"## Use it\n\n```sh\n(.*?)```", text, re.S)
    assert m, "README.md has no ```sh block under '## Use it'"
    return m.group(1)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_readme_use_it_block_runs_as_written(tmp_path):
    # a clock that moves a minute per command, so the timer runs a minute and "friday" is 4 Dec 2026
    prelude = (f"set -e\nn=0\nvakit() {{ n=$((n + 1)); VAKIT_NOW=$(python3 -c \"import sys, datetime; print("
               f"datetime.datetime.fromtimestamp({START} + 60 * int(sys.argv[1]), datetime.timezone.utc)"
               f".isoformat())\" $n) command vakit \"$@\"; }}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAKIT_")}
    env.update(VAKIT_HOME=str(tmp_path / "home"), PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", COLUMNS="200")
    res = subprocess.run(["bash", "--norc", "--noprofile", "-c", prelude + use_it_block()], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stdout + res.stderr
    out = res.stdout
    assert "Added #1 Northwind Analytics  Mon 05 Oct 2026 09:00 – 12:30 IST (UTC+05:30) (3:30) Inbox triage" in out
    assert "Stopped #3 Northwind Analytics  Wed 02 Dec 2026 09:06 – 09:07 IST (UTC+05:30) (0:01) Calendar clean-up" \
        in out
    assert "  their time: Fri 04 Dec 2026 10:00 – 10:30 EST (UTC-05:00) (America/New_York)" in out
    # 3:30 + 2:00 = 5.50 h × $25.00 (each entry already a multiple of 6 minutes)
    assert "Created draft #1: 2 entries, 5:30 h billed" in out
    assert "Issued INV/2026-27/001 to Northwind Analytics: USD 137.50, due 2026-12-17 (dated 2026-12-02)" in out
    assert (tmp_path / "INV_2026-27_001.pdf").read_bytes().startswith(b"%PDF")
    assert "BEGIN:VEVENT" in (tmp_path / "northwind.ics").read_text(encoding="utf-8")
    home = out[out.index("Asha Deshpande VA — "):]
    assert home.splitlines()[1:] == [
        "Timer    no timer running",
        "Hours    today 0:01 · this week 0:01 (from Mon 30 Nov)",
        "Next     Fri 04 Dec 2026 20:30 – 21:00 IST (UTC+05:30) Northwind Analytics: Weekly sync — their time"
        " Fri 04 Dec 2026 10:00 – 10:30 EST (UTC-05:00) America/New_York",
        "Clients  Northwind Analytics: 0:01 unbilled (2026-12)",
        "Drafts   none waiting to be issued",
        "Unpaid   INV/2026-27/001 Northwind Analytics: USD 137.50, due 2026-12-17",
    ]
