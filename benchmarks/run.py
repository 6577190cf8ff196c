"""Time whole ``vakit`` processes on generated ledgers and print every figure of issue 11 beside its target.

Run in the project's virtualenv::

    python benchmarks/run.py               # the figures and targets (≈ 6 minutes)
    python benchmarks/run.py --peers       # vakit beside Watson and Timewarrior (≈ 4 minutes)
    python benchmarks/run.py --quick       # smoke check: 3 runs, the demo once, a 10,000-entry ledger
    python benchmarks/run.py --only report --only list   # cases whose name holds REPORT or LIST

Each command runs as its own process (start-up included), after one warm-up round, ``--runs`` times (default
7), round-robin with the other commands of its group; figures are the median, min and max wall time in
seconds and the highest peak RSS in MiB of the counted runs (see :mod:`timing`). Ledgers come from
:mod:`ledger_gen` (cached); commands run on scratch copies in ``benchmarks/.cache/scratch/`` (removed after,
unless ``--keep``) with ``VAKIT_DB``, ``VAKIT_HOME`` and ``VAKIT_CACHE_DIR`` set and the clock fixed by
``VAKIT_NOW`` at the ledger's "now" (a Monday, 10:00 in London).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import formats
import peers
from cases import empty_folder, fresh_copy, report_cases, start_case, timer_cases
from ledger_gen import CACHE, FONT_CACHE, SMALL, Spec, cached_ledger
from peers import Period, Vakit
from targets import stats_table, target_table
from timing import Case, Stats, check_run, measure, spawner

#: --quick's big ledger: about a year of the same VA
QUICK = Spec(entries=10_000, years=1.0, clients=12, current=8, invoices=60, appointments=500)


class CachedLedger:
    """A cached ledger (``folder``, its ``meta``) under a ``label`` such as ``100k``."""

    def __init__(self, spec: Spec) -> None:
        self.folder, self.meta = cached_ledger(spec, log=say)
        self.label = f"{spec.entries // 1000}k"
        self.path = self.folder / "ledger.sqlite3"
        self.now = int(datetime.fromisoformat(self.meta["now"]).timestamp())

    def periods(self) -> dict[str, Period]:
        """The report periods: the last full month, a month a third into the history, the last full year, all."""
        m = self.meta
        return {"month": month(m["recent_month"]), "old month": month(m["old_month"]),
                "year": Period(date(int(m["year"]), 1, 1), date(int(m["year"]), 12, 31)),
                "all": Period(date.fromisoformat(m["first_date"]), date.fromisoformat(m["last_date"]))}

    def vakit(self, scratch: Path, name: str) -> Vakit:
        """vakit on a fresh copy of this ledger, ``scratch/<label>-<name>.sqlite3``."""
        db = scratch / f"{self.label}-{name}.sqlite3"
        fresh_copy(self.path, db)(0)
        env = peers.peer_env(self.meta["home_tz"], VAKIT_DB=str(db), VAKIT_HOME=str(scratch / "home"),
                             VAKIT_CACHE_DIR=str(FONT_CACHE), VAKIT_NOW=self.meta["now"], TMPDIR=str(scratch / "tmp"))
        return Vakit("vakit", vakit_command(), env, self.meta["home_tz"], client=self.meta["timer_client"])


def month(text: str) -> Period:
    first = date.fromisoformat(f"{text}-01")
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, nxt - timedelta(days=1))


def vakit_command() -> list[str]:
    """The ``vakit`` console script of this virtualenv (what a user types), else ``python -m vakit``."""
    exe = Path(sys.executable).with_name("vakit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "vakit"]


def compile_vakit() -> str:
    """Compile vakit's modules to bytecode, as ``pip install`` does for an installed package and as Python does
    on the first run of an editable one, and say so. Without it, where ``PYTHONDONTWRITEBYTECODE`` is set (as in
    some CI images) every run of an editable install would compile every module it imports from source, which
    no user's second run does."""
    import compileall
    import importlib.util

    folder = Path(importlib.util.find_spec("vakit").origin).parent
    ok = compileall.compile_dir(str(folder), quiet=1)
    return f"vakit bytecode: {'compiled' if ok else 'NOT all compiled'} ({folder})"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def header() -> list[str]:
    """The machine and the moment: load average, CPUs, Python, vakit."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [f"vakit {version('vakit')} · Python {platform.python_version()} · {platform.platform()}",
            f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · CPUs: {os.cpu_count()} · load average (1, 5, 15 min): "
            f"{load}"]


Group = tuple[str, list[Case], bool]


def main_groups(big: CachedLedger, small: CachedLedger, scratch: Path, quick: bool) -> list[Group]:
    """The groups of the default run: (title, cases, whether a single run without warm-up is enough: the
    demo in ``--quick``)."""
    py = sys.executable
    base = peers.peer_env(big.meta["home_tz"])
    timers: list[Case] = [
        Case("python -c pass", lambda r: [py, "-c", "pass"], lambda r: base),
        Case("python -c 'import typer'", lambda r: [py, "-c", "import typer"], lambda r: base),
        *timer_cases(small.vakit(scratch, "timer"), small.label, small.now),
        *timer_cases(big.vakit(scratch, "timer"), big.label, big.now),
    ]
    watson = peers.watson_command(log=say)
    if watson:
        w = peers.make_watson(watson, formats.watson_dir(big.folder), scratch, big.meta["home_tz"],
                              formats.slug(big.meta["timer_client"], None))
        timers.append(start_case(w, "Watson", big.now))
    v, vs = big.vakit(scratch, "read"), small.vakit(scratch, "read")
    lm = big.meta["list_month"]
    few = {k: p for k, p in small.periods().items() if k in ("month", "all")}  # its year and old month: ~empty
    reads = [*report_cases(vs, small.label, few), *report_cases(v, big.label, big.periods()),
             Case(f"{big.label} list terminal", lambda r: [*v.cmd, "log", "list", "--month", lm], lambda r: v.env,
                  tty=True),
             Case(f"{big.label} list piped", lambda r: [*v.cmd, "log", "list", "--month", lm], lambda r: v.env),
             Case(f"{big.label} schedule export", lambda r: [*v.cmd, "schedule", "export", "-o",
                                                              str(scratch / "all.ics"), "--force"], lambda r: v.env)]
    docs = [Case(f"{big.label} invoice pdf", lambda r: [*v.cmd, "invoice", "pdf", big.meta["pdf_invoice"]["number"],
                                                       "-o", f"{scratch}/", "--force"], lambda r: v.env)]
    run_db, run_out = scratch / "run.sqlite3", scratch / "run-out"
    docs.append(Case(f"{big.label} invoice run",
                     lambda r: [*v.cmd, "invoice", "run", "--month", big.meta["open_month"], "--issue", "--out",
                                str(run_out)], lambda r: {**v.env, "VAKIT_DB": str(run_db)},
                     before=lambda r: (fresh_copy(big.path, run_db)(r), empty_folder(run_out)(r))))
    return [("timer commands, baselines", timers, False), ("reports, list, export", reads, False),
            ("invoice PDFs", docs, False), ("import", [import_case(big, v, scratch)], False),
            ("first demo", [demo_case(v, scratch)], quick)]


def import_case(big: CachedLedger, v: Vakit, scratch: Path) -> Case:
    """``log import`` of the big ledger's history as a Toggl CSV into a new ledger (``vakit init`` only)."""
    csv = formats.toggl_csv(big.folder, big.meta["home_tz"])
    template, db = scratch / "import-template.sqlite3", scratch / "import.sqlite3"
    check_run([*v.cmd, "init", "--name", "Asha Rao", "--tz", big.meta["home_tz"], "--currency", "GBP", "--locale",
               "en_GB"], {**v.env, "VAKIT_DB": str(template)})
    return Case("log import toggl", lambda r: [*v.cmd, "log", "import", str(csv), "--format", "toggl",
                                               "--create-clients", "--client-tz", big.meta["home_tz"],
                                               "--client-currency", "GBP"],
                lambda r: {**v.env, "VAKIT_DB": str(db)}, before=fresh_copy(template, db))


def demo_case(v: Vakit, scratch: Path) -> Case:
    """The first ``vakit demo`` on a fresh machine: an empty font cache and output folder each round."""
    cache, out = scratch / "demo-cache", scratch / "demo-out"

    def before(r: int) -> None:
        empty_folder(cache)(r)
        shutil.rmtree(out, ignore_errors=True)
        empty_folder(scratch / "tmp")(r)

    env = {k: x for k, x in v.env.items() if k not in ("VAKIT_DB", "VAKIT_NOW")}
    return Case("demo (empty font cache)", lambda r: [*v.cmd, "demo", "--out", str(out)],
                lambda r: {**env, "VAKIT_CACHE_DIR": str(cache)}, before=before)


def run_default(opts, big: CachedLedger, small: CachedLedger, scratch: Path) -> int:
    results: dict[str, Stats] = {}
    for title, cases, once in main_groups(big, small, scratch, opts.quick):
        cases = select(cases, opts.only, stateful=title.startswith("timer"))
        if not cases:
            continue
        say(f"{title}: {sum(c.counted for c in cases)} commands")
        runs, warmup = (1, 0) if once else (opts.runs, 1)
        results.update(measure(cases, runs=runs, warmup=warmup, progress=say))
    print_figures(results)
    print(f"\n## Targets ({big.label} = {big.meta['counts']['time_entries']:,} entries, "
          f"{small.label} = {small.meta['counts']['time_entries']:,})\n")
    print("\n".join(target_table(results, big.label, small.label)))
    return 0


def select(cases: list[Case], only: list[str] | None, *, stateful: bool) -> list[Case]:
    """The cases ``--only`` names (all without it; the baselines always). In a ``stateful`` group (a timer
    cycle) the others still run, uncounted, so that each command finds the state it needs; a group none of
    whose cases is named is dropped."""
    if not only:
        return cases
    for c in cases:
        c.counted = c.name.startswith("python") or any(o.lower() in c.name.lower() for o in only)
    if not any(c.counted and not c.name.startswith("python") for c in cases):
        return []
    return cases if stateful else [c for c in cases if c.counted]


def run_peers(opts, big: CachedLedger, scratch: Path) -> int:
    """Totals of the three tools for a month, a year and everything (equal, or exit 1), then the timer
    commands and reports of each, interleaved, with vakit/Watson and vakit/Timewarrior ratios."""
    tz, project = big.meta["home_tz"], formats.slug(big.meta["timer_client"], None)
    tools = [big.vakit(scratch, "peers")]
    watson, timew = peers.watson_command(log=say), peers.timewarrior_command(log=say)
    if watson:
        tools.append(peers.make_watson(watson, formats.watson_dir(big.folder), scratch, tz, project))
    if timew:
        tools.append(peers.make_timewarrior(timew, formats.timewarrior_dir(big.folder, tz), scratch, tz, project))
    periods = big.periods()
    print(f"\n## Totals ({big.meta['counts']['time_entries']:,} entries; h:mm:ss)\n")
    print("| period | " + " | ".join(t.name for t in tools) + " | equal |")
    print("|---|" + "---:|" * len(tools) + "---|")
    same = True
    for name in ("month", "year", "all"):
        p = periods[name]
        totals = [t.total(p) for t in tools]
        same &= len(set(totals)) == 1
        print(f"| {name} ({p.first} – {p.last}) | " + " | ".join(hms(x) for x in totals)
              + f" | {'yes' if len(set(totals)) == 1 else 'NO'} |")
    timer_groups = [timer_cases(t, t.name, big.now) for t in tools]
    for g in timer_groups:
        g[:] = [c for c in g if not c.name.endswith("switch")]
    cases = [c for ops in zip(*timer_groups) for c in ops]
    cases += [c for ops in zip(*(report_cases(t, t.name, periods) for t in tools)) for c in ops]
    cases = select(cases, opts.only, stateful=True)
    say(f"peers: {sum(c.counted for c in cases)} commands")
    results = measure(cases, runs=opts.runs, warmup=1, progress=say)
    print_figures(results)
    print("\n## Ratios of medians (below 1: vakit is faster)\n")
    others = [t.name for t in tools[1:]]
    print("| operation | vakit | " + " | ".join(others) + " | " + " | ".join(f"vakit/{o}" for o in others) + " |")
    print("|---|" + "---:|" * (1 + 2 * len(others)))
    for op in ("start", "stop", "status", "add", "report month", "report old month", "report year", "report all"):
        v = results.get(f"vakit {op}")
        if v is None:
            continue
        meds = [results[f"{o} {op}"].median if f"{o} {op}" in results else None for o in others]
        print(f"| {op} | {v.median:.3f} s | " + " | ".join("–" if m is None else f"{m:.3f} s" for m in meds) + " | "
              + " | ".join("–" if m is None else f"{v.median / m:.2f}" for m in meds) + " |")
    if not same:
        print("\nThe totals differ: the tools were not fed the same history.")
    return 0 if same else 1


def print_figures(results: dict[str, Stats]) -> None:
    print("\n## Every figure (seconds: median, min, max of the counted runs; peak RSS: the highest)\n")
    print("\n".join(stats_table(results, spawner().floor_mib)))


def describe(led: CachedLedger) -> str:
    """One line on what a ledger holds and which of its parts the commands use."""
    m, c = led.meta, led.meta["counts"]
    pdf = m["pdf_invoice"] or {}
    return (f"- {led.label}: {c['time_entries']:,} entries {m['first_date']} – {m['last_date']}, "
            f"{c['clients']} clients, {c['invoices']:,} issued invoices, {c['appointments']:,} appointments "
            f"({c['appointment_series']} series);"
            f" clock {m['now']}; list month {m['list_month']} ({m['list_month_entries']} entries); invoice run"
            f" {m['open_month']} ({m['open_clients']} clients); PDF of {pdf.get('number')} ({pdf.get('rows')} rows,"
            f" {pdf.get('pages')} pages); Toggl CSV of the same {c['time_entries']:,} entries for log import")


def hms(s: int) -> str:
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peers", action="store_true", help="compare with Watson and Timewarrior")
    ap.add_argument("--quick", action="store_true", help="smoke check: 3 runs, the demo once, a 10k-entry ledger")
    ap.add_argument("--only", action="append", metavar="NAME", help="only commands whose name holds NAME")
    ap.add_argument("--runs", type=int, help="counted runs per command (default 7; --quick 3)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    opts = ap.parse_args(argv)
    opts.runs = opts.runs or (3 if opts.quick else 7)
    print("\n".join(header()))
    print(compile_vakit())
    t0 = time.perf_counter()
    big, small = CachedLedger(QUICK if opts.quick else Spec()), CachedLedger(SMALL)
    print("\n".join(describe(x) for x in (small, big)))
    (CACHE / "scratch").mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=CACHE / "scratch"))
    for sub in ("home", "tmp"):
        (scratch / sub).mkdir()
    try:
        rc = run_peers(opts, big, scratch) if opts.peers else run_default(opts, big, small, scratch)
    finally:
        if not opts.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"\n{header()[1]} (at the end; the run took {time.perf_counter() - t0:.0f} s)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
