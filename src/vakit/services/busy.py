"""Busy times: occurrences of events imported from calendar files (``vakit schedule import``, issue 8).

They block bookings like appointments do (:func:`busy_clashes`, used by ``scheduling.clashes``) and are listed
by ``vakit schedule busy``. A cancelled one (STATUS:CANCELLED in the file) and one without a duration block
nothing. This module stays free of icalendar, so ``schedule book`` does not load it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vakit.core.appointments import Appointment
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


#: the UIDs vakit makes: ``<uuid4>@vakit`` for a booking or a series, ``#<RECURRENCE-ID in UTC>`` after it for one
#: occurrence of a series (:func:`vakit.services.series.occurrence_uid`)
VAKIT_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@vakit(#\d{8}T\d{6}Z)?")


def own_uids(ctx: Context, *, made_here: bool = False) -> set[str]:
    """UIDs that are vakit's: appointments, recurring series and everything pushed to a CalDAV calendar. An event
    with one of them is vakit's own appointment, never a busy time (it would clash with itself).

    ``made_here``: only those vakit made in this ledger (bookings and series, :data:`VAKIT_UID`), not the
    appointments ``schedule import --client`` made from another calendar's events (importing that calendar
    again updates them)."""
    conn = ctx.ledger.conn
    uids = {r[0] for r in conn.execute("SELECT uid FROM appointments")}
    uids |= {r[0] for r in conn.execute("SELECT uid FROM appointment_series")}
    uids |= {r[0] for r in conn.execute("SELECT uid FROM caldav_pushed")}
    if made_here:
        uids = {u for u in uids if VAKIT_UID.fullmatch(u)}
    return uids


def is_own(uid: str, occurrence: str, own: set[str]) -> bool:
    """Whether the event ``uid`` (its occurrence ``occurrence``, a RECURRENCE-ID or ``''``) is vakit's: its UID is
    in ``own`` (:func:`own_uids`), or the occurrence's key ``<UID>#<RECURRENCE-ID>`` is (an occurrence of a
    vakit series, or one that ``schedule import --client`` stored as a single appointment)."""
    return uid in own or bool(occurrence) and f"{uid}#{occurrence}" in own
