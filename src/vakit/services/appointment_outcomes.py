"""What an appointment became: ``vakit schedule done`` turns a call that happened into the time entry it was,
``vakit schedule no-show`` records that the client did not come (and bills it as the contract says).

``done``: the entry is the client's, from the appointment's start for its length (or the length the call really
took), described by the appointment's title, with the source ``appointment`` and the key ``appointment:<UID>``
so one appointment never becomes two entries. It is checked like any typed entry (overlaps, the maximum length,
an invoiced month).

``no-show``: the contract in force at the appointment's start says whether a no-show is billed (its ``no_show``
term, :mod:`vakit.core.no_show`): not at all, for the booked length, or for a fixed length. A billed no-show is a
billable time entry of the client from the booked start (source ``appointment``, key ``no-show:<UID>``,
described ``No-show: <title>``, tagged ``no-show``), so the next invoice bills it like any entry.

Either way the appointment's ``outcome`` (``done`` / ``no-show``) and the entry it made are set in the same write
transaction, recorded as one change (the entry and the appointment row) that ``vakit log undo`` takes back
whole. An appointment has one outcome: a second one is refused, naming the first.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from vakit.core.appointments import Appointment
from vakit.core.clock import fmt_local, fmt_range, fmt_span
from vakit.core.errors import Conflict, InvalidValue, NotFound
from vakit.core.models import Contract
from vakit.core.no_show import describe_no_show
from vakit.core.text import clean_text
from vakit.services.changes import Change
from vakit.services.client_lookup import active_client
from vakit.services.context import Context, writes
from vakit.services.late_time import contract_span
from vakit.services.scheduling import get_appointment
from vakit.services.timesheet import EntryView, _refuse_overlap, check_span, get_entry, insert_entry, summary
from vakit.store.codecs import contract_from_row


def _refuse_recorded(a: Appointment) -> None:
    """Refuse a second outcome for ``a``, naming the one recorded. Raises Conflict."""
    if a.outcome is None:
        return
    entry = f", time entry #{a.outcome_entry_id}" if a.outcome_entry_id else " (not billed)"
    what = "done" if a.outcome == "done" else "a no-show"
    hint = (f"change it with 'vakit log edit {a.outcome_entry_id}'" if a.outcome == "done" and a.outcome_entry_id
            else "if it was a mistake: 'vakit log undo', while it is the latest change")
    raise Conflict(f"appointment #{a.id} is recorded already as {what}{entry}", hint)


def _started(a: Appointment, now: int) -> None:
    """Refuse an appointment still to come (``now`` epoch seconds UTC). Raises InvalidValue."""
    if a.start_utc > now:
        raise InvalidValue(f"appointment #{a.id} starts {fmt_local(a.start_utc, a.tz)}, still to come")


def _set_outcome(conn: sqlite3.Connection, a: Appointment, outcome: str, entry_id: int | None,
                 note: str = "") -> None:
    conn.execute("UPDATE appointments SET outcome = ?, outcome_entry_id = ?, outcome_note = ? WHERE id = ?",
                 (outcome, entry_id, note, a.id))


@writes
def done(ctx: Context, ref: str, *, duration: int | None = None, description: str | None = None,
         billable: bool = True, allow_overlap: bool = False) -> EntryView:
    """Record appointment ``ref`` (id or UID) as the time entry it was: from its start for ``duration`` seconds
    (default: its booked length), described by its title (or ``description``); its outcome becomes ``done``.
    Returns the entry.

    Raises NotFound; Conflict when it is cancelled, has an outcome already (naming it) or its client is
    archived, or the time overlaps another entry (unless ``allow_overlap``); InvalidValue when it has not
    started yet or the end would be in the future.
    """
    text = None if description is None else clean_text(description, "description")
    with ctx.ledger.write() as conn:
        a = get_appointment(ctx, ref)
        if a.status == "CANCELLED":
            raise Conflict(f"appointment #{a.id} was cancelled", "a late cancellation is not time worked")
        _refuse_recorded(a)
        key = f"appointment:{a.uid}"
        had = conn.execute("SELECT id FROM time_entries WHERE source_key = ?", (key,)).fetchone()
        if had:
            raise Conflict(f"appointment #{a.id} is recorded already as done, time entry #{had[0]}",
                           f"change it with 'vakit log edit {had[0]}'")
        now = ctx.clock.now_utc()
        _started(a, now)
        t0 = a.start_utc
        t1 = t0 + (duration if duration is not None else a.end_utc - a.start_utc)
        if t1 > now:
            raise InvalidValue(f"the end {fmt_local(t1, a.tz)} is in the future", "give the --duration it took")
        long = check_span(t0, t1, a.tz, False)
        client = active_client(ctx, f"#{a.client_id}")
        overlapped = _refuse_overlap(ctx, t0, t1, a.tz, allow=allow_overlap)
        change = Change(conn, "done", now)
        change.before("appointments", a.id)
        new_id = insert_entry(conn, client, t0, t1, a.tz, text if text is not None else a.title, billable=billable,
                              source="appointment", created=now, overlap_ok=overlapped, long_ok=long)
        conn.execute("UPDATE time_entries SET source_key = ? WHERE id = ?", (key, new_id))
        change.inserted("time_entries", new_id)
        _set_outcome(conn, a, "done", new_id)
        view = get_entry(ctx, new_id)
        change.finish(summary("done", view) + f" from appointment #{a.id}")
    return view


@dataclass(frozen=True)
class NoShow:
    """What :func:`no_show` recorded: the ``appointment`` (its outcome now ``no-show``), the time entry that
    bills it (None: not billed) and why: ``contract`` the client's contract in force at the appointment's start
    (None: none is) and ``term`` its no-show term as typed (``"none"``, ``"booked"``, ``"30m"``; None without a
    contract)."""

    appointment: Appointment
    entry: EntryView | None
    contract: Contract | None
    term: str | None


def contract_at(conn: sqlite3.Connection, client_id: int, t: int) -> Contract | None:
    """The contract of client ``client_id`` in force at instant ``t`` (epoch seconds UTC; the contract's days
    are read in its billing zone), or None."""
    for row in conn.execute("SELECT * FROM contracts WHERE client_id = ? ORDER BY start_date", (client_id,)):
        k = contract_from_row(row)
        first, end = contract_span(k)
        if first <= t and (end is None or t < end):
            return k
    return None


def no_show_seconds(k: Contract | None, a: Appointment) -> int:
    """How many seconds contract ``k``'s no-show term bills for appointment ``a``: 0 (not billed, or no
    contract), the booked length, or the fixed length."""
    if k is None or k.no_show == "none":
        return 0
    return a.end_utc - a.start_utc if k.no_show == "booked" else k.no_show_seconds or 0


@writes
def no_show(ctx: Context, ref: str, *, note: str = "", allow_overlap: bool = False) -> NoShow:
    """Record that the client did not come to appointment ``ref`` (id or UID), with an optional ``note`` (one
    line): its outcome becomes ``no-show``, and when the contract in force at its start bills no-shows, a
    billable time entry ``[start, start + length)`` bills it (length: the booked one, or the contract's fixed
    one, seconds). Returns what was recorded and why (:class:`NoShow`).

    Raises NotFound; Conflict when it is cancelled, has an outcome already (naming it), or (billed) its client
    is archived or the charge overlaps another entry (unless ``allow_overlap``); InvalidValue when it has not
    started yet, the note is not one line, or (billed) the charge would end in the future.
    """
    text = clean_text(note, "note")
    with ctx.ledger.write() as conn:
        a = get_appointment(ctx, ref)
        if a.status == "CANCELLED":
            raise Conflict(f"appointment #{a.id} was cancelled", "a cancelled appointment cannot be a no-show")
        _refuse_recorded(a)
        now = ctx.clock.now_utc()
        _started(a, now)
        k = contract_at(conn, a.client_id, a.start_utc)
        seconds = no_show_seconds(k, a)
        change = Change(conn, "no-show", now)
        change.before("appointments", a.id)
        view = None
        if seconds:
            t0, t1 = a.start_utc, a.start_utc + seconds
            if t1 > now:
                raise InvalidValue(f"the no-show charge {fmt_range(t0, t1, a.tz)} would end in the future",
                                   f"record the no-show from {fmt_local(t1, a.tz)} on")
            long = check_span(t0, t1, a.tz, False)
            client = active_client(ctx, f"#{a.client_id}")
            overlapped = _refuse_overlap(ctx, t0, t1, a.tz, allow=allow_overlap)
            new_id = insert_entry(conn, client, t0, t1, a.tz, f"No-show: {a.title}", tags=("no-show",),
                                  source="appointment", created=now, overlap_ok=overlapped, long_ok=long)
            conn.execute("UPDATE time_entries SET source_key = ? WHERE id = ?", (f"no-show:{a.uid}", new_id))
            change.inserted("time_entries", new_id)
            view = get_entry(ctx, new_id)
        _set_outcome(conn, a, "no-show", None if view is None else view.entry.id, text)
        change.finish(summary("no-show", view) + f" from appointment #{a.id}" if view is not None else
                      f"no-show of appointment #{a.id} {a.client_name} {fmt_local(a.start_utc, a.tz)} (not billed)")
        after = get_appointment(ctx, str(a.uid))
    return NoShow(after, view, k, None if k is None else describe_no_show(k.no_show, k.no_show_seconds))


def describe_outcome(ctx: Context, a: Appointment) -> str | None:
    """``a``'s outcome in a few words, or None when none is recorded: ``"done (logged 0:45, time entry #1)"``,
    ``"no-show (billed 0:30, time entry #12)"``, ``"no-show (not billed)"``; an entry deleted since is named
    so."""
    if a.outcome is None:
        return None
    if a.outcome_entry_id is None:
        return f"{a.outcome} (not billed)"
    try:
        e = get_entry(ctx, a.outcome_entry_id).entry
    except NotFound:
        return f"{a.outcome} (time entry #{a.outcome_entry_id}, deleted since)"
    verb = "logged" if a.outcome == "done" else "billed"
    return f"{a.outcome} ({verb} {fmt_span(e.seconds)}, time entry #{e.id})"
