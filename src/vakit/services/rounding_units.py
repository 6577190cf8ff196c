"""Billed seconds under a contract's rounding, for every scope (design.md §5; field case C-16).

A contract rounds billable time in *units*: each time entry (scope ``entry``), each date in the billing zone
(``day``), or each invoice line (``line``: the month, or the month's date, task or entry when the invoice has
one line per date, task or entry). One rule serves all three: the time of a unit is rounded once, and each
entry's part of it is

    billed = round(before + seconds) − round(before)

where ``before`` is the time ahead of it in its unit. The parts of a unit add up to the unit's rounded time,
so an invoice line, a day's report and a report by tag or client all agree (C-16: three 7-minute entries on
one day, up to 15 minutes, bill 0:45 per entry and 0:30 per day, in the report and on the invoice alike).
For scope ``entry`` the unit is one entry and ``before`` the part of it in an earlier month (an entry split at
a month's edge is rounded once, as a whole).

Within a day or line, entries are taken in this order: those on an earlier invoice first (by invoice), then
the rest by start and id; so time logged late into a unit already invoiced is billed only for what it adds to
the unit's rounded time, and an invoice never changes what an earlier one billed.
"""

from __future__ import annotations

from datetime import datetime

from vakit.core.clock import zone
from vakit.core.models import Contract, Rounding
from vakit.core.rounding import billed_seconds, round_seconds
from vakit.services.late_time import contract_span, month_of


def line_group(detail: str, local_date, description: str, entry_id: int) -> object:
    """Which invoice line an entry's time goes on, for a line detail: one line (``summary``), per local date,
    per task (the description, ignoring case and surrounding space) or per entry."""
    if detail == "per-day":
        return local_date
    if detail == "per-task":
        return " ".join(description.split()).casefold()
    if detail == "per-entry":
        return entry_id
    return ""


class Rounder:
    """Billed seconds of entries (or parts of them) under their contracts, scope by scope. Reads the ledger on
    ``conn`` once per contract and billing month that rounds per day or line, and caches what it read: make one
    per command, after any entries it bills have been split.

    ``detail`` overrides the contracts' line detail (an invoice made with ``--detail``)."""

    def __init__(self, conn, detail: str | None = None) -> None:
        self.conn = conn
        self.detail = detail
        self._before: dict[tuple[int, int], dict[int, int]] = {}

    def billed(self, k: Contract | None, entry_id: int, entry_start: int, origin: int | None, a: int, b: int) -> int:
        """Billed seconds of the part ``[a, b)`` (epoch seconds) of billable entry ``entry_id``, which starts at
        ``entry_start`` (a part of an entry split at a month's edge: the whole began at ``origin``), under
        contract ``k`` (None: unrounded)."""
        if k is None:
            return b - a
        r = k.rounding
        if not r.increment or r.scope == "entry":
            return billed_seconds(a, b, entry_start if origin is None else origin, r)
        before = self._units(k, entry_start).get(entry_id)
        if before is None:  # not under k at its start (it crosses into k's days): rounded on its own
            return billed_seconds(a, b, entry_start, Rounding(r.increment, r.direction, "entry"))
        at = before + a - entry_start
        return round_seconds(at + b - a, r) - round_seconds(at, r)

    def _units(self, k: Contract, t: int) -> dict[int, int]:
        """``entry id → seconds before it in its unit`` for contract ``k``'s billable entries starting in the
        billing month holding instant ``t``."""
        month = month_of(t, k.billing_tz)
        key = (k.id, month.start_utc)
        found = self._before.get(key)
        if found is not None:
            return found
        k_lo, k_hi = contract_span(k)
        lo, hi = max(month.start_utc, k_lo), month.end_utc if k_hi is None else min(month.end_utc, k_hi)
        rows = self.conn.execute(
            "SELECT id, start_utc, end_utc, description, invoice_id FROM time_entries WHERE client_id = ? AND"
            " billable = 1 AND end_utc IS NOT NULL AND start_utc >= ? AND start_utc < ?",
            (k.client_id, lo, hi)).fetchall()
        rows.sort(key=lambda r: (r["invoice_id"] is None, r["invoice_id"] or 0, r["start_utc"], r["id"]))
        tz = zone(k.billing_tz)
        detail = self.detail or k.line_detail
        running: dict[object, int] = {}
        found = {}
        for r in rows:
            day = datetime.fromtimestamp(r["start_utc"], tz).date()
            unit = day if k.rounding.scope == "day" else line_group(detail, day, r["description"], r["id"])
            found[r["id"]] = running.get(unit, 0)
            running[unit] = running.get(unit, 0) + r["end_utc"] - r["start_utc"]
        self._before[key] = found
        return found
