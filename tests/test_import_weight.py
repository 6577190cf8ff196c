"""The timer commands stay light (issue 11): running ``vakit log start/status/switch/stop/add`` through the console
script's entry point loads none of the modules only rendering or calendar commands need, nor Typer, Click or Rich
(the fast path, :mod:`vakit.cli.fast`). Checked through ``sys.modules`` in a fresh interpreter, so nothing another
test imported can hide an import; nothing is timed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = {"fpdf", "uharfbuzz", "fontTools", "icalendar", "babel", "recurring_ical_events", "caldav", "dateutil",
         "sqlite_utils", "typer", "click", "rich"}
PROBE = """
import contextlib, io, sys
import vakit.cli.fast as fast
fast.leave = lambda code: None  # the console script ends the process in leave(); the probe goes on to look
main = fast.main
sys.argv = ["vakit", *sys.argv[1:]]
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & HEAVY)))
"""


def _loaded(env: dict, *args: str) -> str:
    code = f"HEAVY = {sorted(HEAVY)!r}\nHEAVY = set(HEAVY)\n" + PROBE
    res = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip()


def test_timer_commands_load_no_renderer_or_calendar_modules(tmp_path):
    env = {**os.environ, "VAKIT_DB": str(tmp_path / "l.sqlite3"), "VAKIT_HOME": str(tmp_path / "home"),
           "VAKIT_NOW": "2026-11-10T15:00:00+00:00"}
    subprocess.run([sys.executable, "-m", "vakit", "init", "--name", "VA", "--tz", "Europe/London", "--currency",
                    "GBP"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "vakit", "client", "add", "Acme"], env=env, check=True, capture_output=True)
    for args in (("log", "start", "--client", "Acme", "--at", "14:00"), ("log", "status"),
                 ("log", "switch", "--client", "Acme", "--at", "14:30"), ("log", "stop"),
                 ("log", "add", "--client", "Acme", "--from", "09:00", "--to", "10:00")):
        assert _loaded(env, *args) == "", args
    # the probe does see what the full CLI loads (typer ≥ 0.28 vendors click as typer._click)
    assert {"rich", "typer"} <= set(_loaded(env, "log", "start", "--help").split())
    listed = subprocess.run([sys.executable, "-m", "vakit", "log", "list", "--date", "2026-11-10", "--json"], env=env,
                            check=True, capture_output=True, text=True).stdout
    spans = [(e["start"], e["end"]) for e in json.loads(listed)["data"]]
    assert spans == [("2026-11-10T09:00:00Z", "2026-11-10T10:00:00Z"), ("2026-11-10T14:00:00Z", "2026-11-10T14:30:00Z"),
                     ("2026-11-10T14:30:00Z", "2026-11-10T15:00:00Z")]  # the probes really ran the commands
