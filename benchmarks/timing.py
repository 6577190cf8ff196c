"""Timing whole processes: wall time from spawn to exit and the child's peak resident memory.

:func:`run_once` has the command started by :mod:`spawner` (a small helper process, so that a child's peak RSS
is its own and not the harness's size, which Linux would count), which times it from fork to reaped exit and
reads its ``ru_maxrss`` from ``os.wait4``. Its stdout is a pipe (``tty=False``, as in ``vakit … | less``) or a
pseudo-terminal 120 columns wide (``tty=True``, as in a terminal). :func:`measure` runs a list of
:class:`Case` round-robin: every round runs each case once, the first ``warmup`` rounds are not counted, so
a change in the machine's load falls on all cases alike.
"""

from __future__ import annotations

import atexit
import json
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class CommandFailed(RuntimeError):
    """A timed or preparing command exited with an error."""


@dataclass(frozen=True)
class Sample:
    """One run: ``seconds`` of wall time, ``rss_mib`` the child's peak resident set (MiB)."""

    seconds: float
    rss_mib: float


@dataclass
class Stats:
    """The counted runs of one case: median/min/max seconds and the highest peak RSS (MiB) of any run."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def min(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def max(self) -> float:
        return max(s.seconds for s in self.samples)

    @property
    def rss(self) -> float:
        return max(s.rss_mib for s in self.samples)


class _Spawner:
    """The :mod:`spawner` process, started on first use and ended when the harness exits."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-S", "-I", str(Path(__file__).with_name("spawner.py"))],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        #: peak RSS (MiB) any command reads at least: the spawner's own size
        self.floor_mib = json.loads(self.proc.stdout.readline())["floor_kib"] / 1024
        atexit.register(self.close)

    def run(self, argv: list[str], env: dict[str, str], tty: bool, cwd: str | None) -> dict:
        self.proc.stdin.write(json.dumps({"argv": argv, "env": env, "tty": tty, "cwd": cwd}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


_spawner: _Spawner | None = None


def spawner() -> _Spawner:
    """The running spawner (started now if needed)."""
    global _spawner
    if _spawner is None:
        _spawner = _Spawner()
    return _spawner


def run_once(argv: list[str], env: dict[str, str], *, tty: bool = False, cwd: str | None = None) -> Sample:
    """Run ``argv`` to its end; its output is read and dropped. Raises CommandFailed (with its stderr) when it
    exits with an error."""
    res = spawner().run(argv, env, tty, cwd)
    if res["rc"] != 0:
        raise CommandFailed(f"{' '.join(argv)} exited {res['rc']}: {res['stderr']}")
    return Sample(res["seconds"], res["rss_kib"] / 1024)


def check_run(argv: list[str], env: dict[str, str], *, cwd: str | None = None) -> str:
    """Run a preparing command (not timed) and return its stdout. Raises CommandFailed."""
    res = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if res.returncode != 0:
        raise CommandFailed(f"{' '.join(argv)} exited {res.returncode}: {res.stderr}{res.stdout}")
    return res.stdout


@dataclass
class Case:
    """A timed command. ``argv(r)`` and ``env(r)`` give round ``r``'s command line and environment;
    ``before(r)`` / ``after(r)`` prepare and restore state around it (not timed); ``tty`` runs it on a
    pseudo-terminal; ``cwd(r)`` its folder, if it matters. A case not ``counted`` still runs (the next one may
    need what it does, e.g. ``stop`` after ``start``) but is left out of the results."""

    name: str
    argv: Callable[[int], list[str]]
    env: Callable[[int], dict[str, str]]
    before: Callable[[int], None] | None = None
    after: Callable[[int], None] | None = None
    tty: bool = False
    cwd: Callable[[int], str] | None = None
    counted: bool = True


def measure(cases: list[Case], *, runs: int, warmup: int = 1, progress: Callable[[str], None] = print
            ) -> dict[str, Stats]:
    """Time every case ``warmup + runs`` times, round-robin; return the counted runs by case name."""
    out = {c.name: Stats() for c in cases if c.counted}
    for r in range(warmup + runs):
        for c in cases:
            if c.before:
                c.before(r)
            sample = run_once(c.argv(r), c.env(r), tty=c.tty, cwd=c.cwd(r) if c.cwd else None)
            if c.after:
                c.after(r)
            if r >= warmup and c.counted:
                out[c.name].samples.append(sample)
        progress(f"  round {r + 1}/{warmup + runs}{' (warm-up)' if r < warmup else ''} done")
    return out
