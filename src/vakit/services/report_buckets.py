"""Cutting time into report buckets: local days, weeks and months of a zone, and the contract in force.

Every bucket is a run of local dates in the report's zone turned into a half-open UTC interval
``[start, end)`` at local midnights (design.md §5; C-07) — never 24 h steps — so a DST week is 7 dates of
167 or 169 hours. An entry is cut at every local midnight and at every edge of its client's contracts: each
:class:`Piece` lies in one local date and under one contract (or none). Week and month buckets are unions of
whole dates, so pieces cut at midnights fall wholly inside one of them too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from vakit.core.clock import zone
from vakit.core.models import Contract
from vakit.core.periods import Period, local_midnight_utc, month_end
from vakit.core.report_time import week_key, week_start
from vakit.services.context import Context
from vakit.services.late_time import contract_span
from vakit.services.rounding_units import Rounder
from vakit.services.timesheet import ENTRY_SELECT, FINISHED_IN, EntryView, entry_view
from vakit.store.codecs import contract_from_row

UNITS = ("day", "week", "month")


@dataclass(frozen=True)
class Bucket:
    """One row of a day, week or month report: ``key`` (``2026-11-03``, ``2026-W45`` or the week's first date,
    ``2026-11``), the local dates ``first`` … ``last`` it covers *within the period* (a week or month cut by
    the period's edge is partial), and their UTC interval ``[start_utc, end_utc)``."""

    key: str
    first: date
    last: date
    start_utc: int
    end_utc: int
    partial: bool = False


def bucket_first(d: date, unit: str, first_weekday: int = 0) -> date:
    """The first date of the ``unit`` (day, week, month) holding local date ``d``."""
    if unit == "week":
        return week_start(d, first_weekday)
    if unit == "month":
        return d.replace(day=1)
    return d


def bucket_last(first: date, unit: str) -> date:
    """The last date of the bucket starting on ``first``."""
    if unit == "week":
        return first + timedelta(days=6)
    if unit == "month":
        return month_end(first)
    return first


def bucket_key(first: date, unit: str, first_weekday: int = 0) -> str:
    """The key of the bucket starting on ``first`` (see :class:`Bucket`)."""
    if unit == "week":
        return week_key(first, first_weekday)
    if unit == "month":
        return f"{first:%Y-%m}"
    return first.isoformat()


def buckets(period: Period, unit: str, first_weekday: int = 0) -> list[Bucket]:
    """The period's days, weeks or months in its zone, in order: together they cover ``[period.start_utc,
    period.end_utc)`` exactly, with no gap and no overlap, whatever DST does."""
    out: list[Bucket] = []
    d = period.first
    while d <= period.last:
        first = bucket_first(d, unit, first_weekday)
        full_last = bucket_last(first, unit)
        last = min(full_last, period.last)
        out.append(Bucket(bucket_key(first, unit, first_weekday), d, last, local_midnight_utc(d, period.tz),
                          local_midnight_utc(last + timedelta(days=1), period.tz),
                          partial=d != first or last != full_last))
        d = last + timedelta(days=1)
    return out


def day_cuts(start: int, end: int, tz: str) -> list[tuple[date, int, int]]:
    """``[start, end)`` cut at the local midnights of ``tz``: ``(local date, piece start, piece end)`` each; the
    pieces are contiguous and cover the interval exactly."""
    out: list[tuple[date, int, int]] = []
    if end <= start:
        return out
    d = datetime.fromtimestamp(start, zone(tz)).date()
    cur = start
    while cur < end:
        nxt = min(local_midnight_utc(d + timedelta(days=1), tz), end)
        if nxt > cur:
            out.append((d, cur, nxt))
        cur = nxt
        d += timedelta(days=1)
    return out


@dataclass(frozen=True)
class Piece:
    """The part ``[start, end)`` (epoch seconds) of one entry on local date ``day`` of the report's zone, under
    ``contract`` (None: the client has none in force then, or the entry has no client). ``billed`` is the billed
    seconds of the part, as ``vakit invoice create`` would bill it (0 when not billable or without a client)."""

    view: EntryView
    day: date
    start: int
    end: int
    contract: Contract | None
    billed: int

    @property
    def seconds(self) -> int:
        """Logged seconds of the part."""
        return self.end - self.start

    @property
    def billable(self) -> int:
        """Billable seconds of the part: all of it, or 0 for a non-billable entry or one without a client."""
        e = self.view.entry
        return self.seconds if e.billable and e.client_id is not None else 0


def _contracts(ctx: Context) -> dict[int, list[tuple[int, int | None, Contract]]]:
    """Every contract by client id, with the UTC interval it is in force."""
    out: dict[int, list[tuple[int, int | None, Contract]]] = {}
    for row in ctx.ledger.conn.execute("SELECT * FROM contracts ORDER BY start_date, id"):
        k = contract_from_row(row)
        lo, hi = contract_span(k)
        out.setdefault(k.client_id, []).append((lo, hi, k))
    return out


def _in_force(spans: list[tuple[int, int | None, Contract]], t: int) -> tuple[Contract | None, int | None]:
    """The contract in force at instant ``t`` and the next instant the answer may change (None: never)."""
    nxt: int | None = None
    for lo, hi, k in spans:
        if lo <= t and (hi is None or t < hi):
            return k, hi
        if lo > t and (nxt is None or lo < nxt):
            nxt = lo
    return None, nxt


def billed_part(view: EntryView, origin: int | None, start: int, end: int, contract: Contract | None,
                rd: Rounder) -> int:
    """Billed seconds of the part ``[start, end)`` of an entry: 0 when it is not billable; unrounded without a
    contract; else its share of the contract's rounding unit (the entry, which began at ``origin`` or at its own
    start; its date; its invoice line), shared out so that the parts add up to the unit's rounded time
    (:mod:`vakit.services.rounding_units`). Time without a client is never billed."""
    e = view.entry
    if not e.billable or e.client_id is None:
        return 0
    return rd.billed(contract, e.id, e.start_utc, origin, start, end)


def pieces(ctx: Context, period: Period, client_id: int | None = None, ids: list[int] | None = None) -> list[Piece]:
    """The finished entries sharing time with ``period`` (of one client if ``client_id``; only those with the
    given ``ids`` if any), clipped to it and cut at local midnights of the period's zone and at contract edges,
    in order of day, start and entry id."""
    lo, hi = period.start_utc, period.end_utc
    if ids is None:
        sql = f"{ENTRY_SELECT} WHERE {FINISHED_IN}"
        args: list = [lo, hi]
    else:  # by id: entries the caller found sharing time with the period
        sql = f"{ENTRY_SELECT} WHERE e.id IN (SELECT value FROM json_each(?)) AND e.end_utc IS NOT NULL"
        args = [json.dumps(ids)]
    if client_id is not None:
        sql += " AND e.client_id = ?"
        args.append(client_id)
    contracts = _contracts(ctx)
    rd = Rounder(ctx.ledger.conn)
    out: list[Piece] = []
    for row in ctx.ledger.conn.execute(sql + " ORDER BY e.start_utc, e.id", args):
        view = entry_view(row)
        e = view.entry
        spans = contracts.get(e.client_id, []) if e.client_id is not None else []
        for day, a, b in day_cuts(max(e.start_utc, lo), min(e.end_utc, hi), period.tz):
            while a < b:
                k, change = _in_force(spans, a)
                cut = b if change is None else min(b, change)
                out.append(Piece(view, day, a, cut, k, billed_part(view, row["origin_start_utc"], a, cut, k, rd)))
                a = cut
    out.sort(key=lambda p: (p.day, p.start, p.view.entry.id))
    return out
