"""Reports over time entries: a period's entries, and totals by client or by local day.

Day buckets are local dates in the period's zone (design.md §5; C-07); an entry crossing a
bucket boundary is split at it; "worked" time is the union of intervals, so parallel work
counts once (C-14).
"""

from __future__ import annotations

from dataclasses import dataclass

from vakit.core.errors import InvalidValue
from vakit.core.models import Client
from vakit.core.periods import Period, day_slices, union_seconds
from vakit.services.context import Context
from vakit.services.timesheet import ENTRY_SELECT, EntryView, entry_view


def entries_in(ctx: Context, period: Period, client: Client | None = None) -> list[EntryView]:
    """Finished entries sharing time with ``period`` (and of ``client``), by start."""
    sql = f"{ENTRY_SELECT} WHERE e.end_utc IS NOT NULL AND e.start_utc < ? AND e.end_utc > ?"
    args: list = [period.end_utc, period.start_utc]
    if client is not None:
        sql += " AND e.client_id = ?"
        args.append(client.id)
    return [entry_view(r) for r in ctx.ledger.conn.execute(sql + " ORDER BY e.start_utc, e.id", args)]


@dataclass(frozen=True)
class ReportRow:
    """Seconds of one group (client name, or local date) within the period; ``billable_seconds`` of them billable."""

    key: str
    seconds: int
    billable_seconds: int
    entries: int


@dataclass(frozen=True)
class Report:
    """Totals for a period: ``rows`` per group, ``total`` (sum of rows) and ``worked`` (union of intervals)."""

    period: Period
    by: str
    rows: tuple[ReportRow, ...]
    total: int
    billable: int
    worked: int
    entries: int = 0


def report(ctx: Context, period: Period, *, by: str = "client", client: Client | None = None) -> Report:
    """Sum the period's entries by ``client`` or by local ``day`` (in the period's zone), splitting entries
    that cross a bucket boundary. Worked time is the union of intervals (parallel work counted once)."""
    if by not in ("client", "day"):
        raise InvalidValue(f"unknown grouping {by!r}", "use client or day")
    lo, hi = period.start_utc, period.end_utc
    groups: dict[str, list[int]] = {}
    if by == "day":
        for d in period.days():
            groups[d.isoformat()] = [0, 0, 0]
    spans = []
    for v in entries_in(ctx, period, client):
        e = v.entry
        s, t = max(e.start_utc, lo), min(e.end_utc, hi)
        spans.append((s, t))
        if by == "client":
            parts = [(v.client_name or "(no client)", t - s)]
        else:
            parts = [(d.isoformat(), sec) for d, sec in day_slices(s, t, period.tz)]
        for key, sec in parts:
            g = groups.setdefault(key, [0, 0, 0])
            g[0] += sec
            g[1] += sec if e.billable else 0
            g[2] += 1
    rows = tuple(ReportRow(k, *v) for k, v in (sorted(groups.items()) if by == "day" else
                                              sorted(groups.items(), key=lambda kv: kv[0].lower())))
    return Report(period, by, rows, sum(r.seconds for r in rows), sum(r.billable_seconds for r in rows),
                  union_seconds(spans), len(spans))
