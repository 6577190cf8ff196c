"""Watson and Timewarrior beside vakit, on the same history in their own storage formats.

- Watson (PyPI ``td-watson``) is installed in its own virtualenv, ``benchmarks/.cache/watson-venv``, made on
  first use; its folder (``WATSON_DIR``) is a copy of :func:`formats.watson_dir`.
- Timewarrior (Debian ``timewarrior``: ``apt-get install timewarrior``) is found on ``PATH``; its database
  (``TIMEWARRIORDB``) is a copy of :func:`formats.timewarrior_dir`.

Each :class:`Tool` gives the command lines of the operations the comparison times (start, status, stop, add,
report of a period) and reads its own total for a period (vakit ``log report --json``, Watson ``report --json``,
Timewarrior ``summary``'s last line). All three run with ``TZ`` set to the ledger's home zone, so a month is
the same month for each. Timers are started and stopped at given instants just after the history (vakit
through ``VAKIT_NOW``, Timewarrior with explicit times) except Watson's (see :class:`Watson`); ``add`` records
given instants with each.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ledger_gen import CACHE
from timing import check_run

WATSON_VENV = CACHE / "watson-venv"
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Period:
    """Local dates ``first``..``last`` (inclusive) in the home zone."""

    first: date
    last: date


@dataclass
class Tool:
    """One time tracker: ``name``, the argv prefix ``cmd``, its environment ``env`` and home zone ``tz``."""

    name: str
    cmd: list[str]
    env: dict[str, str]
    tz: str
    #: the Watson project / Timewarrior tag the timer runs for
    project: str = ""

    def local(self, t: int) -> str:
        """Epoch seconds → local ``YYYY-MM-DDTHH:MM:SS`` (how Watson and Timewarrior take times)."""
        return f"{datetime.fromtimestamp(t, ZoneInfo(self.tz)):%Y-%m-%dT%H:%M:%S}"

    def start(self, t: int) -> list[str]:
        raise NotImplementedError

    def status(self) -> list[str]:
        raise NotImplementedError

    def stop(self, t: int) -> list[str]:
        raise NotImplementedError

    def add(self, t0: int, t1: int) -> list[str]:
        raise NotImplementedError

    def report(self, p: Period) -> list[str]:
        raise NotImplementedError

    def total(self, p: Period) -> int:
        """The tool's own total of period ``p``, in seconds."""
        raise NotImplementedError

    def env_at(self, _t: int) -> dict[str, str]:
        """The environment of a command run at instant ``t`` (only vakit reads its clock from it)."""
        return self.env


@dataclass
class Vakit(Tool):
    """vakit on a scratch copy of the ledger; ``client`` the client its timer runs for."""

    client: str = ""

    def env_at(self, t: int) -> dict[str, str]:
        return {**self.env, "VAKIT_NOW": datetime.fromtimestamp(t, UTC).isoformat()}

    def start(self, t: int) -> list[str]:
        return [*self.cmd, "log", "start", "--client", self.client, "Inbox triage", "+email"]

    def status(self) -> list[str]:
        return [*self.cmd, "log", "status"]

    def stop(self, t: int) -> list[str]:
        return [*self.cmd, "log", "stop"]

    def add(self, t0: int, t1: int) -> list[str]:
        a, b = self.local(t0).replace("T", " "), self.local(t1).replace("T", " ")
        return [*self.cmd, "log", "add", "--client", self.client, "--from", a[:16], "--to", b[:16], "Call notes"]

    def report(self, p: Period) -> list[str]:
        return [*self.cmd, "log", "report", "--from", p.first.isoformat(), "--to", p.last.isoformat()]

    def total(self, p: Period) -> int:
        out = check_run([*self.report(p), "--json"], self.env)
        return json.loads(out)["data"]["total_seconds"]


@dataclass
class Watson(Tool):
    """Watson's ``start`` and ``stop`` run at the real time, as typed: with ``--at``, ``start`` reads every
    frame to check that the previous one has ended (1.8 s instead of 0.1 s on 100,000 frames)."""

    def start(self, t: int) -> list[str]:
        return [*self.cmd, "start", self.project, "+email"]

    def status(self) -> list[str]:
        return [*self.cmd, "status"]

    def stop(self, t: int) -> list[str]:
        return [*self.cmd, "stop"]

    def add(self, t0: int, t1: int) -> list[str]:
        return [*self.cmd, "add", "--from", self.local(t0), "--to", self.local(t1), self.project, "+calls"]

    def report(self, p: Period) -> list[str]:
        return [*self.cmd, "report", "--from", p.first.isoformat(), "--to", p.last.isoformat(), "--no-pager"]

    def total(self, p: Period) -> int:
        out = check_run([*self.report(p), "--json"], self.env)
        return round(json.loads(out)["time"])  # Watson ends a period at 23:59:59.999999


@dataclass
class Timewarrior(Tool):
    def start(self, t: int) -> list[str]:
        return [*self.cmd, "start", self.local(t), self.project, "email"]

    def status(self) -> list[str]:
        return [*self.cmd]

    def stop(self, t: int) -> list[str]:
        return [*self.cmd, "stop", self.local(t)]

    def add(self, t0: int, t1: int) -> list[str]:
        return [*self.cmd, "track", self.local(t0), "-", self.local(t1), self.project, "calls"]

    def report(self, p: Period) -> list[str]:
        return [*self.cmd, "summary", p.first.isoformat(), "-", (p.last + timedelta(days=1)).isoformat()]

    def total(self, p: Period) -> int:
        last = check_run(self.report(p), self.env).strip().splitlines()[-1].strip()
        h, m, s = (int(x) for x in last.split(":"))
        return h * 3600 + m * 60 + s


def watson_command(log=print) -> list[str] | None:
    """The ``watson`` of the benchmark's own virtualenv, made (``pip install td-watson``) if missing; None with
    a message when it cannot be installed."""
    exe = WATSON_VENV / "bin" / "watson"
    if exe.exists():
        return [str(exe)]
    log(f"installing Watson (td-watson) into {WATSON_VENV} …")
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(WATSON_VENV)], check=True, capture_output=True)
        subprocess.run([str(WATSON_VENV / "bin" / "pip"), "install", "--quiet", "td-watson"], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = exc.stderr.decode(errors="replace").strip().splitlines()[-1:] if getattr(exc, "stderr", None) else exc
        log(f"skipping Watson: it could not be installed ({detail})")
        shutil.rmtree(WATSON_VENV, ignore_errors=True)
        return None
    return [str(exe)]


def timewarrior_command(log=print) -> list[str] | None:
    """``timew`` from PATH, or None with a message (how to install it)."""
    exe = shutil.which("timew")
    if exe is None:
        log("skipping Timewarrior: 'timew' is not installed (Debian/Ubuntu: apt-get install -y timewarrior)")
        return None
    return [exe]


def peer_env(tz: str, **extra: str) -> dict[str, str]:
    """The caller's environment without its own VAKIT_/WATSON_/TIMEWARRIOR settings, in zone ``tz``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAKIT_", "WATSON_", "TIMEWARRIOR"))
           and k not in ("COLUMNS", "LINES")}
    return {**env, "TZ": tz, **extra}


def make_watson(cmd: list[str], frames_dir: Path, scratch: Path, tz: str, project: str) -> Watson:
    """Watson on a copy of ``frames_dir`` in ``scratch`` (reports never open a pager)."""
    d = scratch / "watson"
    shutil.copytree(frames_dir, d)
    (d / "config").write_text("[options]\npager = false\n", encoding="utf-8")
    return Watson("Watson", cmd, peer_env(tz, WATSON_DIR=str(d)), tz, project)


def make_timewarrior(cmd: list[str], db_dir: Path, scratch: Path, tz: str, project: str) -> Timewarrior:
    """Timewarrior on a copy of ``db_dir`` in ``scratch``."""
    d = scratch / "timewarrior"
    shutil.copytree(db_dir, d)
    return Timewarrior("Timewarrior", cmd, peer_env(tz, TIMEWARRIORDB=str(d)), tz, project)
