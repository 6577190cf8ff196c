"""SIGKILL at random moments during writes (acceptance 2 of the reliability issue; field case C-32).

A few hundred commands are killed at seeded random moments while they add an entry,
stop a timer, import a file or issue an invoice. After every kill the ledger passes
``db check`` (SQLite integrity plus vakit's invariants: sealed invoices, gapless numbers,
no unallowed overlap), and every write the killed process acknowledged is there in full;
a write it did not acknowledge is either all there or not there at all.
Payments and credit notes do not exist yet (a later issue), so they are not killed here.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from racing import _run, run_killed, seeded_ledger
from vakit.core.clock import FixedClock
from vakit.services import billing, timers, timesheet
from vakit.services.checkup import check_ledger
from vakit.services.context import Context
from vakit.store.db import open_ledger

NOW = "2026-11-03T10:00:00+00:00"
ENV = {"VAKIT_NOW": NOW}
SEED = 20261201


def _ledger(tmp_path, clients: int = 1):
    path = tmp_path / "kill.sqlite3"
    ctx = seeded_ledger(path, clients=clients, now=NOW)
    return str(path), ctx


def _fresh_check(db: str) -> None:
    ctx = Context(open_ledger(Path(db), create=False), FixedClock(datetime.fromisoformat(NOW)))
    try:
        report = check_ledger(ctx)
        assert report.problems == [], report.problems
    finally:
        ctx.ledger.close()


def _uninterrupted(args: list[str]) -> float:
    """Seconds a forked command takes from fork to exit when nothing kills it (forked as in ``run_killed``)."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = _run(args, ENV).code
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    took = time.perf_counter() - started
    assert os.waitstatus_to_exitcode(status) == 0
    return took


class _KillMoments:
    """Moments at which to kill a forked command, spanning the whole command as this machine runs it now.

    Uniform over 1.2 × an uninterrupted run of it (the median of the latest three, measured again every ten
    kills so that a load that comes or goes moves the window too), so that most kills fall within the command
    and some after it has finished — a fixed window is all "killed" on a loaded machine and all "finished" on
    a fast one. ``calibrate(n)`` runs the ``n``-th uninterrupted command (with :func:`_uninterrupted`), checks
    that it did its work in full and returns its seconds; ``took`` keeps them, for a failure's message.
    """

    def __init__(self, calibrate: Callable[[int], float], rng: random.Random) -> None:
        self.calibrate = calibrate
        self.rng = rng
        self.took = [calibrate(n) for n in range(3)]

    def over(self, kills: int) -> Iterator[tuple[int, float]]:
        """``(i, seconds after the fork to kill the i-th command)`` for ``kills`` commands."""
        for i in range(kills):
            if i and i % 10 == 0:
                self.took.append(self.calibrate(len(self.took)))
            yield i, self.rng.uniform(0, 1.2 * statistics.median(self.took[-3:]))


def test_killed_log_add_leaves_all_or_nothing(tmp_path):
    db, ctx = _ledger(tmp_path)

    def add(start: str, label: str) -> list[str]:
        return ["--db", db, "log", "add", "-c", "C0", "--from", start, "--duration", "20m", label]

    def rows(label: str) -> list[tuple]:
        return [tuple(r) for r in ctx.ledger.conn.execute(
            "SELECT end_utc - start_utc FROM time_entries WHERE description = ?", (label,))]

    def calibrate(n: int) -> float:
        """An uninterrupted add of the same shape (later in October, apart from the killed ones), in full."""
        took = _uninterrupted(add(f"2026-10-{10 + n:02d} 08:00", f"calibrate-{n}"))
        assert rows(f"calibrate-{n}") == [(1200,)]
        return took

    # one add run here first, so that the forked commands inherit every module it loads (as for import)
    assert _run(add("2026-10-09 08:00", "warm"), ENV).code == 0
    moments = _KillMoments(calibrate, random.Random(SEED))
    acked = killed = 0
    for i, after in moments.over(80):
        day, minute = 1 + i // 20, (i % 20) * 30
        out = run_killed(add(f"2026-10-{day:02d} {8 + minute // 60:02d}:{minute % 60:02d}", f"kill-{i}"), ENV,
                         after=after)
        rows_i = rows(f"kill-{i}")
        if out is not None:
            assert out.code == 0, out
            acked += 1
            assert rows_i == [(1200,)]
        else:
            killed += 1
            assert rows_i in ([], [(1200,)])
        _fresh_check(db)
    assert acked and killed, (moments.took, acked, killed)  # both kinds of moment were hit


def test_killed_log_stop_leaves_the_timer_running_or_stopped(tmp_path):
    db, ctx = _ledger(tmp_path)
    ctx.clock = FixedClock(datetime.fromisoformat("2026-11-03T09:00:00+00:00"))
    stop = ["--db", db, "log", "stop"]
    stopped_at = int(datetime.fromisoformat(NOW).timestamp())

    def start(label: str) -> None:
        ctx.ledger.conn.execute("DELETE FROM time_entries")  # the previous round's entry
        timers.start(ctx, "C0", description=label)

    def end() -> int | None:
        [end_utc] = [r[0] for r in ctx.ledger.conn.execute("SELECT end_utc FROM time_entries")]
        return end_utc

    def calibrate(n: int) -> float:
        """An uninterrupted stop of the same timer, in full."""
        start(f"calibrate-{n}")
        took = _uninterrupted(stop)
        assert end() == stopped_at
        return took

    # one stop run here first, so that the forked commands inherit every module it loads (as for import)
    start("warm")
    assert _run(stop, ENV).code == 0
    moments = _KillMoments(calibrate, random.Random(SEED + 1))
    outcomes = set()
    for i, after in moments.over(60):
        start(f"timer-{i}")
        out = run_killed(stop, ENV, after=after)
        end_i = end()
        if out is not None:
            assert out.code == 0, out
        assert end_i in (None, stopped_at) and (out is None or end_i == stopped_at)
        outcomes.add(end_i is None)
        _fresh_check(db)
    assert outcomes == {True, False}, moments.took


def _import_file(folder: Path, header: str, label: str, day: str, hour: int) -> Path:
    """A Toggl export of four 40-minute entries of C0 on ``day`` from ``hour``, described ``imp {label}-{k}``."""
    f = folder / f"k{label}.csv"
    rows = [f"U,u@example.com,C0,P,,imp {label}-{k},Yes,{day},{hour + k:02d}:00:00,{day},{hour + k:02d}:40:00,"
            "00:40:00,," for k in range(4)]
    f.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return f


def test_killed_import_stores_the_whole_file_or_nothing(tmp_path, csv_path):
    db, ctx = _ledger(tmp_path)
    header = csv_path.read_text(encoding="utf-8-sig").splitlines()[0]

    def count(label: str) -> int:
        return ctx.ledger.conn.execute("SELECT count(*) FROM time_entries WHERE description LIKE ?",
                                       (f"imp {label}-%",)).fetchone()[0]

    def calibrate(n: int) -> float:
        """An uninterrupted import of the same shape (in August, apart from the killed ones), in full."""
        f = _import_file(tmp_path, header, f"c{n}", f"2026-08-{1 + n:02d}", 6)
        took = _uninterrupted(["--db", db, "log", "import", str(f), "--tz", "UTC"])
        assert count(f"c{n}") == 4
        return took

    # one import run here first: the forked commands inherit the importer's modules, so a kill falls within
    # the import itself and not within a first import of its modules (which a slow machine makes take long)
    warm = _import_file(tmp_path, header, "warm", "2026-08-28", 6)
    assert _run(["--db", db, "log", "import", str(warm), "--tz", "UTC"], ENV).code == 0
    moments = _KillMoments(calibrate, random.Random(SEED + 2))
    partial_possible = set()
    acked = 0
    for i, after in moments.over(60):
        f = _import_file(tmp_path, header, str(i), f"2026-09-{1 + i % 28:02d}", 6 + 4 * (i // 28))
        out = run_killed(["--db", db, "log", "import", str(f), "--tz", "UTC"], ENV, after=after)
        n = count(str(i))
        if out is not None:
            assert out.code == 0, out
            assert n == 4
            acked += 1
        assert n in (0, 4)
        partial_possible.add(n)
        _fresh_check(db)
    assert partial_possible == {0, 4}, (moments.took, acked)


def test_killed_issue_leaves_a_draft_or_a_sealed_numbered_invoice(tmp_path):
    kills = 60
    calibrations = 3 + (kills - 1) // 10  # as _KillMoments runs them
    # C0… are killed, the next client warms up, the rest are issued uninterrupted to calibrate
    db, ctx = _ledger(tmp_path, clients=kills + 1 + calibrations)
    for i in range(kills + 1 + calibrations):
        timesheet.add(ctx, f"C{i}", start_text=f"2026-10-{1 + i % 28:02d} {6 + 4 * (i // 28):02d}:00",
                      duration=5400, description=f"issue {i}")

    def status(invoice_id: int) -> tuple[str, str | None]:
        return ctx.ledger.conn.execute("SELECT status, number FROM invoices WHERE id = ?", (invoice_id,)).fetchone()

    def calibrate(n: int) -> float:
        """An uninterrupted issue of another client's draft of the same shape, in full."""
        [draft] = billing.create_drafts(ctx, f"C{kills + 1 + n}", "2026-10")
        took = _uninterrupted(["--db", db, "invoice", "issue", f"#{draft.id}"])
        assert status(draft.id)[0] == "issued"
        return took

    # one invoice issued here first: the forked commands inherit loaded fonts, so a kill falls within the
    # issue itself and not within a first font instancing that a cold cache makes take seconds
    [warm] = billing.create_drafts(ctx, f"C{kills}", "2026-10")
    assert _run(["--db", db, "invoice", "issue", f"#{warm.id}"], ENV).code == 0
    moments = _KillMoments(calibrate, random.Random(SEED + 3))
    states = set()
    for i, after in moments.over(kills):
        [draft] = billing.create_drafts(ctx, f"C{i}", "2026-10")
        out = run_killed(["--db", db, "invoice", "issue", f"#{draft.id}"], ENV, after=after)
        status_i, number = status(draft.id)
        if out is not None:
            assert out.code == 0, out
            assert status_i == "issued"
        if status_i == "draft":
            billing.delete_draft(ctx, str(draft.id))  # the client's time is billed by a later round's draft
            assert number is None
        states.add(status_i)
        _fresh_check(db)  # gapless numbers, counters and seals included
    assert states == {"draft", "issued"}, moments.took
