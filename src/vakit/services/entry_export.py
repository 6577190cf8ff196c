"""The entries ``vakit log export`` writes: finished entries with their client's name, the number of the issued
invoice billing them, their import fingerprint and whether a length beyond the maximum or an overlap was allowed
on purpose (``long_ok``, ``overlap_ok``), ready for :mod:`vakit.exporters.entries`.

An entry belongs to the period its start falls in (local dates in the period's zone), so monthly exports list
every entry exactly once. A running timer is never exported: it has no end yet; it is returned apart so the
command can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from vakit.core.models import Client
from vakit.core.periods import Period
from vakit.core.tags import split_tags
from vakit.exporters.entries import ExportEntry
from vakit.services.context import Context
from vakit.services.timesheet import EntryView, running

_SELECT = ("SELECT e.*, c.name AS client_name, CASE WHEN i.status = 'issued' THEN i.number END AS invoice_number"
           " FROM time_entries e LEFT JOIN clients c ON c.id = e.client_id LEFT JOIN invoices i ON i.id = e.invoice_id"
           " WHERE e.end_utc IS NOT NULL")


@dataclass(frozen=True)
class Export:
    """What to export: ``entries`` by start, and the ``running`` timer left out (None when none runs, or when
    it started outside the period or belongs to another client)."""

    entries: list[ExportEntry]
    running: EntryView | None


def entries_to_export(ctx: Context, period: Period | None = None, client: Client | None = None) -> Export:
    """Finished entries whose start falls in ``period`` (None: all of them), of ``client`` (None: all), by
    start then id; and the running timer that would have matched."""
    sql, args = _SELECT, []
    if period is not None:
        sql += " AND e.start_utc >= ? AND e.start_utc < ?"
        args += [period.start_utc, period.end_utc]
    if client is not None:
        sql += " AND e.client_id = ?"
        args.append(client.id)
    rows = ctx.ledger.conn.execute(sql + " ORDER BY e.start_utc, e.id", args).fetchall()
    entries = [ExportEntry(id=r["id"], client=r["client_name"], start_utc=r["start_utc"], end_utc=r["end_utc"],
                           tz=r["tz"], description=r["description"] or "", project=r["project"] or "",
                           tags=split_tags(r["tags"]), billable=bool(r["billable"]), source=r["source"] or "",
                           source_key=r["source_key"], invoice=r["invoice_number"], long_ok=bool(r["long_ok"]),
                           overlap_ok=bool(r["overlap_ok"]))
               for r in rows]
    timer = running(ctx)
    if timer is not None:
        e = timer.entry
        if (client is not None and e.client_id != client.id) or (
                period is not None and not period.start_utc <= e.start_utc < period.end_utc):
            timer = None
    return Export(entries, timer)
