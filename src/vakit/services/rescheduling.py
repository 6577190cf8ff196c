"""Moving a booked appointment: the same event at another time.

A move keeps the UID and raises SEQUENCE, so every calendar that has the event updates it in place instead of
showing a cancellation and a new event (RFC 5545 §3.8.4.7 UID, §3.8.7.4 SEQUENCE; RFC 5546 §2.1.4: a REQUEST
with a higher SEQUENCE replaces the earlier one). Clashes and the past are checked as for a booking, in the same
write transaction as the change.
"""

from __future__ import annotations

from vakit.core.clock import fmt_local, fmt_range, zone
from vakit.core.errors import Conflict, InvalidValue
from vakit.core.periods import overlap
from vakit.core.timeparse import parse_when
from vakit.services.context import Context, writes
from vakit.services.scheduling import MAX_APPOINTMENT_SECONDS, Booking, clashes, get_appointment, refuse_recorded


@writes
def move(ctx: Context, ref: str, when: str, *, duration: int | None = None, tz: str | None = None,
         allow_conflict: bool = False, allow_past: bool = False, force: bool = False) -> tuple[Booking, int]:
    """Move appointment ``ref`` (id or UID) to ``when``, read in ``tz`` or else the zone it was booked in,
    looking forward; ``duration`` (seconds) changes its length, else it keeps it. The appointment keeps its UID
    and zone unless ``tz`` is given; SEQUENCE rises by one. Returns the booking and the old start (epoch
    seconds UTC).

    Raises NotFound; Conflict for a cancelled appointment or a clash (naming it) unless ``allow_conflict``;
    InvalidValue for an unreadable time, a length outside 0–24 h, or a start in the past unless ``allow_past``;
    RuleBroken (a Conflict) for a time that breaks the VA's rules unless ``force``.
    """
    with ctx.ledger.write() as conn:
        appt = get_appointment(ctx, ref)
        if appt.status == "CANCELLED":
            raise Conflict(f"appointment #{appt.id} is cancelled", "book it again instead")
        refuse_recorded(appt, "moved")
        tz = tz or appt.tz
        zone(tz)
        length = appt.end_utc - appt.start_utc if duration is None else duration
        if not 0 < length <= MAX_APPOINTMENT_SECONDS:
            raise InvalidValue("an appointment lasts more than 0 and at most 24 hours")
        t0 = int(parse_when(when, tz=tz, now=ctx.clock.now(), direction="future").timestamp())
        t1 = t0 + length
        now = ctx.clock.now_utc()
        if t0 < now and not allow_past:
            raise InvalidValue(f"{fmt_local(t0, tz)} is in the past", "pass --allow-past to record a past time")
        if (t0, t1, tz) == (appt.start_utc, appt.end_utc, appt.tz):
            raise InvalidValue(f"appointment #{appt.id} is at {fmt_range(t0, t1, tz)} already")
        if not allow_conflict:
            found = clashes(ctx, t0, t1, exclude=appt.id)
            if found:
                a = found[0]
                raise Conflict(f"clashes with '{a.title}' for {a.client_name} {fmt_range(a.start_utc, a.end_utc, tz)}"
                               f" ({overlap(t0, t1, a.start_utc, a.end_utc) // 60} min overlap)",
                               "pick another time, or pass --allow-conflict")
        if not force:
            from vakit.services.booking_rules import check_rules
            from vakit.services.client_lookup import get_client

            check_rules(ctx, get_client(ctx, appt.client_id), t0, t1, exclude=appt.id, notice=t0 >= now)
        conn.execute("UPDATE appointments SET start_utc = ?, end_utc = ?, tz = ?, sequence = sequence + 1,"
                     " modified_utc = ? WHERE id = ?", (t0, t1, tz, now, appt.id))
        client_tz = conn.execute("SELECT tz FROM clients WHERE id = ?", (appt.client_id,)).fetchone()[0]
        moved = get_appointment(ctx, str(appt.id))
    return Booking(moved, ctx.profile().home_tz, client_tz), appt.start_utc
