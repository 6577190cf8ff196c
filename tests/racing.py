"""Separate processes running vakit commands, for race and kill tests.

Starting ``python -m vakit`` costs ~0.3 s, so these processes are forked from the test
process (vakit already imported) and run the CLI in-process with Typer's ``CliRunner``:
each is still a real OS process with its own SQLite connection, racing for the same
ledger file through SQLite's locks, and can be killed with SIGKILL at any moment.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from dataclasses import dataclass

_FORK = mp.get_context("fork")


@dataclass(frozen=True)
class Outcome:
    """What one command did: exit code and its two output streams."""

    code: int
    stdout: str
    stderr: str


def _run(args: list[str], env: dict[str, str]) -> Outcome:
    from typer.testing import CliRunner

    from vakit.cli.app import get_app

    result = CliRunner().invoke(get_app(), args, env=env, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return Outcome(99, result.stdout, f"{type(result.exception).__name__}: {result.exception}")
    return Outcome(result.exit_code, result.stdout, result.stderr)


def _worker(conn, barrier) -> None:
    while True:
        job = conn.recv()
        if job is None:
            return
        args, env = job
        barrier.wait()
        conn.send(_run(args, env))


class Racers:
    """``n`` worker processes; :meth:`race` gives each a command and starts them together at a barrier."""

    def __init__(self, n: int = 2) -> None:
        self.barrier = _FORK.Barrier(n)
        self.conns = []
        self.procs = []
        for _ in range(n):
            parent, child = _FORK.Pipe()
            p = _FORK.Process(target=_worker, args=(child, self.barrier), daemon=True)
            p.start()
            self.conns.append(parent)
            self.procs.append(p)

    def race(self, *commands: list[str], env: dict[str, str]) -> list[Outcome]:
        """Run one command per worker at the same moment; their outcomes in the same order."""
        assert len(commands) == len(self.conns)
        for conn, args in zip(self.conns, commands):
            conn.send((list(args), env))
        return [conn.recv() for conn in self.conns]

    def close(self) -> None:
        """Stop the workers."""
        for conn in self.conns:
            conn.send(None)
        for p in self.procs:
            p.join(timeout=10)

    def __enter__(self) -> Racers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_killed(args: list[str], env: dict[str, str], after: float) -> Outcome | None:
    """Run one command in a forked process and SIGKILL it ``after`` seconds (if it is still running).

    Returns its outcome if it finished (acknowledged) before the kill, None if it was killed. The command's
    modules are imported here first, so the kill falls within the command's own work, not within imports.
    """
    from vakit.cli.app import get_app

    get_app()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report, leave without any cleanup of the parent's state
        try:
            os.close(read_fd)
            out = _run(args, env)
            os.write(write_fd, f"{out.code}\n".encode() + out.stderr.encode()[:2000])
        finally:
            os._exit(0)
    os.close(write_fd)
    time.sleep(after)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    data = b""
    while chunk := os.read(read_fd, 65536):
        data += chunk
    os.close(read_fd)
    if not data:
        return None
    code, _, err = data.decode(errors="replace").partition("\n")
    return Outcome(int(code), "", err)


def seeded_ledger(path, *, clients: int, now: str):
    """A ledger at ``path`` (profile in UTC/EUR, numbers ``{year}-{seq:04}``) with clients C0… on hourly
    contracts from 2026-10-01, and a service context on it with the clock at ``now``."""
    from datetime import date, datetime
    from decimal import Decimal

    from vakit.core.clock import FixedClock
    from vakit.core.models import Profile
    from vakit.services.context import Context
    from vakit.services.contracts import ContractTerms, add_contract
    from vakit.services.ledger import add_client, save_profile
    from vakit.store.db import open_ledger

    ctx = Context(open_ledger(path), FixedClock(datetime.fromisoformat(now)))
    save_profile(ctx, Profile("Test VA", "", "", (), "UTC", "EUR", "en_GB", "{year}-{seq:04}"))
    for i in range(clients):
        add_client(ctx, f"C{i}", tz="UTC", currency="EUR")
        add_contract(ctx, f"C{i}", ContractTerms(kind="hourly", rate=Decimal("10.00"), start_date=date(2026, 10, 1)))
    return ctx
