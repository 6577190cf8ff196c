"""What an appointment became: ``vakit schedule done`` turns a call that happened into the time entry it was.

The entry is the client's, from the appointment's start for its length (or the length the call really took),
described by the appointment's title, with the source ``appointment`` and the key ``appointment:<UID>`` so one
appointment never becomes two entries. It is checked like any typed entry (overlaps, the maximum length, an
invoiced month) and recorded as one change that ``vakit log undo`` can take back.
"""

from __future__ import annotations

from vakit.core.clock import fmt_local
from vakit.core.errors import Conflict, InvalidValue
from vakit.core.text import clean_text
from vakit.services.changes import Change
from vakit.services.context import Context, writes
from vakit.services.ledger import active_client
from vakit.services.scheduling import get_appointment
from vakit.services.timesheet import EntryView, _refuse_overlap, check_span, get_entry, insert_entry, summary


@writes
def done(ctx: Context, ref: str, *, duration: int | None = None, description: str | None = None,
         billable: bool = True, allow_overlap: bool = False) -> EntryView:
    """Record appointment ``ref`` (id or UID) as the time entry it was: from its start for ``duration`` seconds
    (default: its booked length), described by its title (or ``description``). Returns the entry.

    Raises NotFound; Conflict when it is cancelled, already recorded (naming the entry) or its client is
    archived, or the time overlaps another entry (unless ``allow_overlap``); InvalidValue when it has not
    started yet or the end would be in the future.
    """
    text = None if description is None else clean_text(description, "description")
    with ctx.ledger.write() as conn:
        a = get_appointment(ctx, ref)
        if a.status == "CANCELLED":
            raise Conflict(f"appointment #{a.id} was cancelled", "a no-show or a late cancellation is not time worked")
        key = f"appointment:{a.uid}"
        had = conn.execute("SELECT id FROM time_entries WHERE source_key = ?", (key,)).fetchone()
        if had:
            raise Conflict(f"appointment #{a.id} is recorded already as time entry #{had[0]}",
                           f"change it with 'vakit log edit {had[0]}'")
        now = ctx.clock.now_utc()
        if a.start_utc > now:
            raise InvalidValue(f"appointment #{a.id} starts {fmt_local(a.start_utc, a.tz)}, still to come")
        t0 = a.start_utc
        t1 = t0 + (duration if duration is not None else a.end_utc - a.start_utc)
        if t1 > now:
            raise InvalidValue(f"the end {fmt_local(t1, a.tz)} is in the future", "give the --duration it took")
        long = check_span(t0, t1, a.tz, False)
        client = active_client(ctx, f"#{a.client_id}")
        overlapped = _refuse_overlap(ctx, t0, t1, a.tz, allow=allow_overlap)
        change = Change(conn, "done", now)
        new_id = insert_entry(conn, client, t0, t1, a.tz, text if text is not None else a.title, billable=billable,
                              source="appointment", created=now, overlap_ok=overlapped, long_ok=long)
        conn.execute("UPDATE time_entries SET source_key = ? WHERE id = ?", (key, new_id))
        change.inserted("time_entries", new_id)
        view = get_entry(ctx, new_id)
        change.finish(summary("done", view) + f" from appointment #{a.id}")
    return view
