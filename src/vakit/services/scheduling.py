"""Appointments: booking in the client's zone, clash checks, cancellation, calendar export.

An appointment is ``[start_utc, end_utc)`` with the zone it was booked in. Its UID is
made once and never changes; SEQUENCE rises with every significant change and
cancellation keeps the appointment with STATUS CANCELLED (RFC 5545 §3.8.7.4, §3.8.1.11).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from shlex import quote
from typing import TYPE_CHECKING

from vakit.core.appointments import Appointment
from vakit.core.clock import fmt_local, fmt_range, zone
from vakit.core.errors import Conflict, InvalidValue, NotFound
from vakit.core.models import Client
from vakit.core.periods import Period, overlap
from vakit.core.text import clean_text, nonempty
from vakit.core.timeparse import parse_when
from vakit.services.client_lookup import active_client, find_client, get_client
from vakit.services.context import Context, writes
from vakit.store.appointment_codecs import appointment_from_row

if TYPE_CHECKING:
    from vakit.exporters.ics import Party

_SELECT = "SELECT a.*, c.name AS client_name FROM appointments a JOIN clients c ON c.id = a.client_id"
MAX_APPOINTMENT_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Booking:
    """A stored appointment plus the VA's home zone, for showing both clocks."""

    appointment: Appointment
    home_tz: str
    client_tz: str


def get_appointment(ctx: Context, ref: str) -> Appointment:
    """An appointment by id (``12`` / ``#12``) or UID. Raises NotFound."""
    conn = ctx.ledger.conn
    row = conn.execute(f"{_SELECT} WHERE a.uid = ?", (ref,)).fetchone()
    if row is None and re.fullmatch(r"#?[0-9]{1,18}", ref):
        row = conn.execute(f"{_SELECT} WHERE a.id = ?", (int(ref.lstrip("#")),)).fetchone()
    if row is None:
        if conn.execute("SELECT 1 FROM appointment_series WHERE uid = ?", (ref,)).fetchone():
            raise NotFound(f"{ref!r} is a recurring series, not one appointment",
                           "give an occurrence's id from 'vakit schedule list'")
        raise NotFound(f"no appointment {ref!r}", "see 'vakit schedule list'")
    return appointment_from_row(row)


def clashes(ctx: Context, start: int, end: int, *, exclude: int | None = None) -> list[Appointment]:
    """Confirmed appointments and imported busy times (issue 8; client ``busy time from <file>``, negative ids)
    sharing time with ``[start, end)``, by start."""
    from vakit.services.busy import busy_clashes

    rows = ctx.ledger.conn.execute(
        f"{_SELECT} WHERE a.status = 'CONFIRMED' AND a.start_utc < ? AND a.end_utc > ? AND a.id IS NOT ?"
        " ORDER BY a.start_utc", (end, start, exclude)).fetchall()
    found = [appointment_from_row(r) for r in rows] + busy_clashes(ctx, start, end)
    return sorted(found, key=lambda a: a.start_utc)


@writes
def book(ctx: Context, client_ref: str, when: str, duration: int, title: str, *, location: str = "",
         description: str = "", tz: str | None = None, allow_conflict: bool = False,
         allow_past: bool = False, force: bool = False) -> Booking:
    """Book an appointment. ``when`` is read in ``tz`` or else the client's zone, looking forward
    ("friday" is the coming Friday). ``duration`` is seconds.

    Raises NotFound (client), InvalidValue (time, duration, empty title, a start in the past
    unless ``allow_past``), Conflict (clash with a confirmed appointment, named with the shared
    minutes) unless ``allow_conflict``; Conflict for an archived client; RuleBroken (a Conflict) for a time
    that breaks the VA's rules (working hours, blocks, buffers, notice, daily caps) unless ``force``.
    """
    client = active_client(ctx, client_ref)
    tz = tz or client.tz
    zone(tz)
    title = nonempty(title, "title")
    location = clean_text(location, "location")
    description = clean_text(description, "appointment description", label="description")
    if not 0 < duration <= MAX_APPOINTMENT_SECONDS:
        raise InvalidValue("an appointment lasts more than 0 and at most 24 hours")
    begin = parse_when(when, tz=tz, now=ctx.clock.now(), direction="future")
    t0 = int(begin.timestamp())
    t1 = t0 + duration
    now = ctx.clock.now_utc()
    if t0 < now and not allow_past:
        raise InvalidValue(f"{fmt_local(t0, tz)} is in the past", "pass --allow-past to record a past appointment")
    uid = f"{uuid.uuid4()}@vakit"
    with ctx.ledger.write() as conn:  # the clash check and the insert in one transaction
        if not allow_conflict:
            found = clashes(ctx, t0, t1)
            if found:
                a = found[0]
                shared = overlap(t0, t1, a.start_utc, a.end_utc)
                raise Conflict(
                    f"clashes with '{a.title}' for {a.client_name} {fmt_range(a.start_utc, a.end_utc, tz)} "
                    f"({shared // 60} min overlap)",
                    "pick another time, or pass --allow-conflict")
        if not force:
            from vakit.services.booking_rules import check_rules

            check_rules(ctx, client, t0, t1, notice=t0 >= now)
        cur = conn.execute(
            "INSERT INTO appointments (uid, client_id, title, location, description, start_utc, end_utc, tz, status,"
            " sequence, created_utc, modified_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'CONFIRMED', 0, ?, ?)",
            (uid, client.id, title.strip(), location.strip(), description, t0, t1, tz, now, now))
    return Booking(get_appointment(ctx, str(cur.lastrowid)), ctx.profile().home_tz, client.tz)


def refuse_recorded(appt: Appointment, change: str) -> None:  # change: "moved", "cancelled"
    """Raise Conflict when ``appt`` has an outcome recorded (done / no-show): it happened (or did not), so it is
    not cancelled or moved; the outcome is taken back with ``vakit log undo`` first."""
    if appt.outcome:
        raise Conflict(f"appointment #{appt.id} is recorded as {appt.outcome}, so it cannot be {change}",
                       "take the outcome back first with 'vakit log undo'")


@writes
def cancel(ctx: Context, ref: str) -> Appointment:
    """Cancel an appointment: keep it with STATUS CANCELLED and SEQUENCE + 1. Raises NotFound, Conflict
    (already cancelled)."""
    appt = get_appointment(ctx, ref)
    if appt.status == "CANCELLED":
        raise Conflict(f"appointment #{appt.id} is already cancelled")
    refuse_recorded(appt, "cancelled")
    with ctx.ledger.write() as conn:
        conn.execute("UPDATE appointments SET status = 'CANCELLED', sequence = sequence + 1, modified_utc = ?"
                     " WHERE id = ?", (ctx.clock.now_utc(), appt.id))
    return get_appointment(ctx, str(appt.id))


def list_appointments(ctx: Context, period: Period | None = None, client: Client | None = None,
                      include_cancelled: bool = True, series_id: int | None = None) -> list[Appointment]:
    """Appointments by start instant (never by wall-clock text), optionally within a period / of a client /
    of one recurring series."""
    sql, args = f"{_SELECT} WHERE 1 = 1", []
    if series_id is not None:
        sql += " AND a.series_id = ?"
        args.append(series_id)
    if period is not None:
        sql += " AND a.start_utc < ? AND a.end_utc > ?"
        args += [period.end_utc, period.start_utc]
    if client is not None:
        sql += " AND a.client_id = ?"
        args.append(client.id)
    if not include_cancelled:
        sql += " AND a.status = 'CONFIRMED'"
    return [appointment_from_row(r) for r in ctx.ledger.conn.execute(sql + " ORDER BY a.start_utc, a.id", args)]


@dataclass(frozen=True)
class CalendarExport:
    """What ``vakit schedule export`` writes: the iTIP ``method`` (PUBLISH, REQUEST or CANCEL), the ``client``
    (None: every client's appointments), the chosen ``appointments`` and, for an invitation or a cancellation,
    the ``organizer`` (the VA) and the ``attendee`` (the client)."""

    method: str
    client: Client | None
    appointments: list[Appointment]
    organizer: Party | None = None
    attendee: Party | None = None


def _address(email: str, whose: str, hint: str) -> str:
    """``email`` stripped, refused when empty or without a ``local@domain`` form. Raises InvalidValue."""
    email = (email or "").strip()
    if not email:
        raise InvalidValue(f"{whose} no e-mail address", hint)
    local, _, domain = email.rpartition("@")
    if not local or not domain:
        raise InvalidValue(f"{whose} e-mail {email!r}, which is not an address (local@domain)", hint)
    return email


def choose_export(ctx: Context, client_ref: str | None = None, appointment_ref: str | None = None,
                  method: str = "publish") -> CalendarExport:
    """Which appointments a calendar export holds, and for whom.

    ``publish`` (a calendar to import): one appointment (``appointment_ref``, an id or UID), one client's
    (``client_ref``) or all. ``request`` / ``cancel`` (an invitation / a cancellation to mail, RFC 5546) go to
    one client, so they need ``appointment_ref`` or ``client_ref``: that appointment (not cancelled for a
    request, cancelled for a cancel), or the client's appointments with that status that have not ended yet.
    They also need an e-mail address in the VA's profile (the organizer) and the client's (the attendee).
    Raises InvalidValue, NotFound, Conflict.
    """
    from vakit.exporters.ics import METHODS, Party

    m = (method or "").strip().upper()
    if m not in METHODS:
        raise InvalidValue(f"unknown --method {method!r}", "use publish, request or cancel")
    client = find_client(ctx, client_ref) if client_ref else None
    if appointment_ref is not None:
        appt = get_appointment(ctx, appointment_ref.strip())
        if client is not None and appt.client_id != client.id:
            raise InvalidValue(f"appointment #{appt.id} is with {appt.client_name}, not {client.name}")
        client = client or get_client(ctx, appt.client_id)
        if m == "REQUEST" and appt.status == "CANCELLED":
            raise Conflict(f"appointment #{appt.id} is cancelled", "send its cancellation with --method cancel")
        if m == "CANCEL" and appt.status != "CANCELLED":
            raise Conflict(f"appointment #{appt.id} is not cancelled",
                           f"cancel it first: vakit schedule cancel {appt.id}")
        appts = [appt]
    elif m == "PUBLISH":
        appts = list_appointments(ctx, client=client)
    elif client is None:
        raise InvalidValue(f"--method {m.lower()} writes an invitation to one client, not to all",
                           "give --id N for one appointment or --client NAME")
    else:
        now = ctx.clock.now_utc()
        appts = [a for a in list_appointments(ctx, client=client)
                 if a.end_utc > now and (a.status == "CANCELLED") == (m == "CANCEL")]
        if not appts:
            what = "cancelled" if m == "CANCEL" else "confirmed"
            raise NotFound(f"{client.name} has no upcoming {what} appointments", "see 'vakit schedule list --all'")
    if m != "CANCEL":
        appts = with_whole_series(ctx, appts)
    if m == "PUBLISH":
        return CalendarExport(m, client, appts)
    assert client is not None
    profile = ctx.profile()
    organizer = Party(profile.business_name,
                      _address(profile.email, "your profile has", "add yours: vakit init --email ADDRESS"))
    attendee = Party(client.name, _address(client.email, f"client {client.name} has",
                                           f"add theirs: vakit client edit {quote(client.name)} --email ADDRESS"))
    return CalendarExport(m, client, appts, organizer, attendee)


def with_whole_series(ctx: Context, appts: list[Appointment]) -> list[Appointment]:
    """``appts`` plus every other occurrence of the recurring series among them, by start: a calendar that
    gets a series' master must also get the overrides of its moved and cancelled occurrences."""
    wanted = {a.series_id for a in appts if a.series_id is not None}
    if not wanted:
        return appts
    have = {a.id for a in appts}
    extra = [a for sid in sorted(wanted) for a in list_appointments(ctx, series_id=sid) if a.id not in have]
    return sorted(appts + extra, key=lambda a: (a.start_utc, a.id))


def render_export(ctx: Context, chosen: CalendarExport) -> bytes:
    """The ``.ics`` bytes of a :func:`choose_export` choice, stamped now, with vakit's versioned PRODID."""
    from vakit.exporters.ics import VAKIT_PRODID, export_calendar
    from vakit.services.series import series_by_id

    business = ctx.profile().business_name
    name = f"{business} — {chosen.client.name}" if chosen.client else business
    series = series_by_id(ctx, {a.series_id for a in chosen.appointments if a.series_id is not None})
    return export_calendar(chosen.appointments, dtstamp_utc=ctx.clock.now_utc(), calendar_name=name,
                           prodid=VAKIT_PRODID, method=chosen.method, organizer=chosen.organizer,
                           attendee=chosen.attendee, series=series)


def export_ics(ctx: Context, client_ref: str | None = None) -> tuple[bytes, int]:
    """The ``.ics`` bytes (METHOD:PUBLISH) for one client's appointments or all, and how many events it holds."""
    chosen = choose_export(ctx, client_ref)
    return render_export(ctx, chosen), len(chosen.appointments)
