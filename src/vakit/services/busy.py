"""Busy times: occurrences of events imported from calendar files (``vakit schedule import``, issue 8).

They block bookings like appointments do (:func:`busy_clashes`, used by ``scheduling.clashes``) and are listed
by ``vakit schedule busy``. A cancelled one (STATUS:CANCELLED in the file) and one without a duration block
nothing. This module stays free of icalendar, so ``schedule book`` does not load it.
"""

from __future__ import annotations

from dataclasses import dataclass

from vakit.core.models import Appointment
from vakit.core.periods import Period
from vakit.services.context import Context


@dataclass(frozen=True)
class BusyTime:
    """One stored busy interval ``[start_utc, end_utc)`` from the file ``source``."""

    id: int
    source: str
    uid: str
    occurrence: str
    start_utc: int
    end_utc: int
    tz: str
    all_day: bool
    summary: str
    location: str
    description: str
    status: str
    sequence: int
    imported_utc: int


def _busy(row) -> BusyTime:
    return BusyTime(row["id"], row["source"], row["uid"], row["occurrence"], row["start_utc"], row["end_utc"],
                    row["tz"], bool(row["all_day"]), row["summary"], row["location"], row["description"],
                    row["status"], row["sequence"], row["imported_utc"])


def list_busy(ctx: Context, period: Period | None = None, *, source: str | None = None,
              include_cancelled: bool = False) -> list[BusyTime]:
    """Busy times by start instant, optionally within ``period`` / from one file; cancelled ones only when
    ``include_cancelled``."""
    sql, args = "SELECT * FROM busy_times WHERE 1 = 1", []
    if period is not None:
        sql += " AND start_utc < ? AND (end_utc > ? OR end_utc = start_utc AND start_utc >= ?)"
        args += [period.end_utc, period.start_utc, period.start_utc]
    if source is not None:
        sql += " AND source = ?"
        args.append(source)
    if not include_cancelled:
        sql += " AND status <> 'CANCELLED'"
    return [_busy(r) for r in ctx.ledger.conn.execute(sql + " ORDER BY start_utc, id", args)]


def busy_clashes(ctx: Context, start: int, end: int) -> list[Appointment]:
    """Busy times (not cancelled) sharing time with ``[start, end)``, as appointments of the pseudo-client
    ``busy time from <file>`` (negative ids, so they never match an appointment's), by start."""
    rows = ctx.ledger.conn.execute(
        "SELECT * FROM busy_times WHERE status <> 'CANCELLED' AND start_utc < ? AND end_utc > ?"
        " ORDER BY start_utc, id", (end, start)).fetchall()
    return [Appointment(id=-r["id"], uid=r["uid"], client_id=0, client_name=f"busy time from {r['source']}",
                        title=r["summary"] or "busy", location=r["location"], start_utc=r["start_utc"],
                        end_utc=r["end_utc"], tz=r["tz"], status="CONFIRMED", sequence=r["sequence"],
                        created_utc=r["imported_utc"], modified_utc=r["imported_utc"], description=r["description"])
            for r in rows]
