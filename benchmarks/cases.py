"""The commands the benchmark times, as :class:`timing.Case` lists.

Write commands run on scratch copies and leave the state as they found it for the next round:

- the timer cycle (:func:`timer_cases`): round ``r`` owns the 20 minutes from ``t0 + r × 1200 s``: ``start``
  at +0 s, ``status`` at +60 s (timer running), ``stop`` at +300 s; for vakit ``switch`` at +480 s between an
  untimed start (+360 s) and stop (+600 s); ``add`` of +660…+840 s at +900 s. The tools see these instants
  (vakit through ``VAKIT_NOW``) except Watson's start and stop (real time, see :class:`peers.Watson`); every
  round adds three or four short entries. vakit's first write of the (real) day makes its daily backup: that
  falls in the warm-up round;
- ``invoice run`` and ``log import`` get a fresh copy of their ledger before each round (copying is not timed);
- ``vakit demo`` gets an empty font cache (``VAKIT_CACHE_DIR``) and output folder each round.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from peers import Period, Tool, Vakit
from timing import Case, check_run

SLOT = 1200


def timer_cases(tool: Tool, label: str, t0: int) -> list[Case]:
    """``start``, ``status``, ``stop``, (vakit) ``switch`` and ``add`` of ``tool``, named ``"<label> <op>"``."""

    def at(r: int, dt: int) -> int:
        return t0 + r * SLOT + dt

    def run(argv: list[str], t: int) -> None:
        check_run(argv, tool.env_at(t))

    cases = [
        Case(f"{label} start", lambda r: tool.start(at(r, 0)), lambda r: tool.env_at(at(r, 0))),
        Case(f"{label} status", lambda r: tool.status(), lambda r: tool.env_at(at(r, 60))),
        Case(f"{label} stop", lambda r: tool.stop(at(r, 300)), lambda r: tool.env_at(at(r, 300))),
    ]
    if isinstance(tool, Vakit):
        cases.append(Case(f"{label} switch",
                          lambda r: [*tool.cmd, "log", "switch", "--client", tool.client, "Calendar management"],
                          lambda r: tool.env_at(at(r, 480)),
                          before=lambda r: run(tool.start(at(r, 360)), at(r, 360)),
                          after=lambda r: run(tool.stop(at(r, 600)), at(r, 600))))
    cases.append(Case(f"{label} add", lambda r: tool.add(at(r, 660), at(r, 840)), lambda r: tool.env_at(at(r, 900))))
    return cases


def start_case(tool: Tool, label: str, t0: int) -> Case:
    """``start`` alone, stopped (untimed) after each run: ``"<label> start"``."""
    return Case(f"{label} start", lambda r: tool.start(t0 + r * SLOT), lambda r: tool.env_at(t0 + r * SLOT),
                after=lambda r: check_run(tool.stop(t0 + r * SLOT + 300), tool.env_at(t0 + r * SLOT + 300)))


def report_cases(tool: Tool, label: str, periods: dict[str, Period]) -> list[Case]:
    """One report per named period: ``"<label> report <name>"``."""
    return [Case(f"{label} report {name}", lambda r, p=p: tool.report(p), lambda r: tool.env)
            for name, p in periods.items()]


def fresh_copy(src: Path, dst: Path) -> Callable[[int], None]:
    """A ``before`` hook: replace ``dst`` (and its -wal, -shm, backups) by a copy of ledger ``src``."""

    def copy(_r: int) -> None:
        for p in (dst, Path(f"{dst}-wal"), Path(f"{dst}-shm")):
            p.unlink(missing_ok=True)
        shutil.rmtree(Path(f"{dst}-backups"), ignore_errors=True)
        shutil.copyfile(src, dst)
        dst.chmod(0o600)

    return copy


def empty_folder(path: Path) -> Callable[[int], None]:
    """A ``before`` hook: make ``path`` an empty folder."""

    def make(_r: int) -> None:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)

    return make
