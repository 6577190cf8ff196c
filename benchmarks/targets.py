"""Issue 11's "Meet these targets" list, evaluated on the figures of one run, and the tables that print them.

Every target is a limit on one figure: seconds (median of the runs), MiB (the highest peak RSS of the runs) or
a ratio of two medians measured in the same run (×). A figure at or under its limit passes; above it, the
mark says by how much it falls short. A figure the run did not measure (``--only``, a peer not installed)
is marked ``not measured``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from timing import Stats

Results = dict[str, Stats]
TIMER_OPS = ("start", "stop", "status", "add", "switch")
#: log report periods and their limits (seconds)
REPORTS = (("month", 0.15), ("old month", 0.15), ("year", 0.2), ("all", 0.35))
LOG_RSS_MIB = 60


@dataclass(frozen=True)
class Target:
    """``figure`` (what is measured) must be at most ``limit`` ``unit`` (``s``, ``MiB`` or ``×``)."""

    figure: str
    limit: float
    unit: str
    value: Callable[[Results], float | None]


def median(name: str) -> Callable[[Results], float | None]:
    return lambda res: res[name].median if name in res else None


def rss(name: str) -> Callable[[Results], float | None]:
    return lambda res: res[name].rss if name in res else None


def ratio(a: str, b: str) -> Callable[[Results], float | None]:
    return lambda res: res[a].median / res[b].median if a in res and b in res else None


def targets(big: str, small: str) -> list[Target]:
    """The targets, for the big ledger's cases named ``"<big> …"`` and the small one's ``"<small> …"``."""
    out = []
    for op in TIMER_OPS:
        out += [Target(f"log {op}: vakit / Watson start, {big}", 0.8, "×", ratio(f"{big} {op}", "Watson start")),
                Target(f"log {op}: {big} / {small}", 1.10, "×", ratio(f"{big} {op}", f"{small} {op}")),
                Target(f"log {op}: peak RSS, {big}", LOG_RSS_MIB, "MiB", rss(f"{big} {op}"))]
    for name, limit in REPORTS:
        out += [Target(f"log report {name}, {big}", limit, "s", median(f"{big} report {name}")),
                Target(f"log report {name}: peak RSS, {big}", LOG_RSS_MIB, "MiB", rss(f"{big} report {name}"))]
    for how in ("terminal", "piped"):
        out += [Target(f"log list of a month ({how}), {big}", 0.3, "s", median(f"{big} list {how}")),
                Target(f"log list ({how}): peak RSS, {big}", LOG_RSS_MIB, "MiB", rss(f"{big} list {how}"))]
    return out + [
        Target(f"invoice pdf (3 pages, fresh process), {big}", 0.8, "s", median(f"{big} invoice pdf")),
        Target("first vakit demo, empty font cache", 10.0, "s", median("demo (empty font cache)")),
        Target(f"invoice run, 8 clients with PDFs, {big}", 5.0, "s", median(f"{big} invoice run")),
        Target("log import of the Toggl CSV", 5.0, "s", median("log import toggl")),
        Target("log import of the Toggl CSV: peak RSS", 150, "MiB", rss("log import toggl")),
        Target(f"schedule export (all appointments), {big}", 1.0, "s", median(f"{big} schedule export")),
    ]


def fmt(v: float, unit: str) -> str:
    """``0.274 s``, ``52 MiB``, ``1.92×``."""
    if unit == "s":
        return f"{v:.3f} s"
    if unit == "MiB":
        return f"{v:.0f} MiB"
    return f"{v:.2f}×"


def mark(v: float | None, t: Target) -> str:
    """``pass``, ``short by 0.124 s (+83 %)``, ``short by 0.9 s (2.4× the limit)``, or ``not measured``."""
    if v is None:
        return "not measured"
    if v <= t.limit:
        return "pass"
    by = f"{v - t.limit:.2f}" if t.unit == "×" else fmt(v - t.limit, t.unit)
    rel = f"+{(v / t.limit - 1) * 100:.0f} %" if v < 2 * t.limit else f"{v / t.limit:.1f}× the limit"
    return f"short by {by} ({rel})"


def target_table(res: Results, big: str, small: str) -> list[str]:
    """The targets as Markdown table lines: figure, measured, target, result."""
    lines = ["| figure | measured | target | result |", "|---|---:|---:|---|"]
    for t in targets(big, small):
        v = t.value(res)
        lines.append(f"| {t.figure} | {'–' if v is None else fmt(v, t.unit)} | ≤ {fmt(t.limit, t.unit)} "
                     f"| {mark(v, t)} |")
    return lines


def stats_table(res: Results, floor_mib: float) -> list[str]:
    """Every measured case as Markdown table lines: median, min, max seconds, peak RSS, runs. A peak RSS at
    the spawner's size ``floor_mib`` reads ``≤ floor`` (the command's own is that or less)."""
    lines = ["| command | median | min | max | peak RSS | runs |", "|---|---:|---:|---:|---:|---:|"]
    for name, s in res.items():
        if s.samples:
            rss = f"≤ {floor_mib:.0f} MiB" if s.rss <= floor_mib + 0.5 else f"{s.rss:.0f} MiB"
            lines.append(f"| {name} | {s.median:.3f} s | {s.min:.3f} s | {s.max:.3f} s | {rss} | {len(s.samples)} |")
    return lines
