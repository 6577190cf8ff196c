"""``vakit schedule`` — book, list, move, cancel, export."""

from __future__ import annotations

import typer

from vakit.cli.common import console, context, err_console, output_file, period_from_options, write_output
from vakit.cli.helptext import CLIENT, CLIENT_REF, DATE, DATES, FROM, JSON, MONTH, TO, examples
from vakit.cli.render import appointment_json, emit_json
from vakit.cli.render_appointments import appointments_table
from vakit.core.clock import fmt_local, fmt_range
from vakit.core.durations import parse_duration
from vakit.core.errors import InvalidValue
from vakit.core.text import one_line
from vakit.services import scheduling
from vakit.services.client_lookup import find_client
from vakit.store.config_file import output_folder

app = typer.Typer(no_args_is_help=True)


def _book(client: str, at: str, on_date: str | None, duration: str | None, title: str, location: str,
          description: str, tz: str | None, allow_conflict: bool, allow_past: bool, force: bool = False,
          slot: int | None = None, repeat: str | None = None, count: int | None = None,
          until: str | None = None) -> None:
    if repeat is None and (count is not None or until is not None):
        raise InvalidValue("--count and --until go with --repeat weekly|biweekly|monthly")
    if repeat is not None:
        if slot is not None:
            raise InvalidValue("--slot books one appointment; give --at (and --date) for a series")
        from vakit.cli.schedule_series import book_series

        book_series(client, f"{on_date} {at}" if on_date and at else at, parse_duration(duration or "30m"), title,
                    repeat=repeat, count=count, until=until, location=location, description=description, tz=tz,
                    allow_conflict=allow_conflict, allow_past=allow_past, force=force)
        return
    if slot is not None:
        given = [n for n, v in (("--at", at), ("--date", on_date), ("--duration", duration), ("--tz", tz)) if v]
        if given:
            raise InvalidValue(f"--slot sets the time and the length; drop {', '.join(given)}")
        from vakit.services.slots import book_slot

        b = book_slot(context(), client, slot, title, location=location, description=description,
                      allow_conflict=allow_conflict, force=force)
        _both_clocks(f"Booked #{b.appointment.id}", b)
        return
    when = f"{on_date} {at}" if on_date and at else at
    if not when:
        raise InvalidValue("give --at (and optionally --date), or --slot N from 'vakit schedule suggest'")
    ctx = context()
    b = scheduling.book(ctx, client, when, parse_duration(duration or "30m"), title, location=location,
                        description=description, tz=tz, allow_conflict=allow_conflict, allow_past=allow_past,
                        force=force)
    _both_clocks(f"Booked #{b.appointment.id}", b)


def _both_clocks(verb: str, b: scheduling.Booking, extra: str = "") -> None:
    """``Booked #1 'Title' with Client`` and the appointment in the client's clock, the zone it was booked in when
    that is neither the client's nor yours (an in-person meeting elsewhere), and yours."""
    a = b.appointment
    out = console()
    out.print(f"{verb} '{a.title}' with {a.client_name}{extra}", markup=False, soft_wrap=True)
    ctz = b.client_tz
    out.print(f"  their time: {fmt_range(a.start_utc, a.end_utc, ctz)} ({ctz})", markup=False, soft_wrap=True)
    if a.tz not in (ctz, b.home_tz):
        out.print(f"  booked in:  {fmt_range(a.start_utc, a.end_utc, a.tz)} ({a.tz})", markup=False, soft_wrap=True)
    out.print(f"  your time:  {fmt_range(a.start_utc, a.end_utc, b.home_tz)} ({b.home_tz})", markup=False,
              soft_wrap=True)
    _passing_gap(a.start_utc, b.home_tz, ctz)


def _passing_gap(t: int, home: str, theirs: str) -> None:
    """Warn when the two clocks are, this week, an hour off their usual difference (one side has changed to or
    from summer time and the other not yet), so "the usual time" is not what the other side expects."""
    from vakit.core.zone_gap import fmt_gap, unusual_gap

    g = unusual_gap(t, home, theirs) if home != theirs else None
    if g:
        err_console().print(f"vakit: note: from {g.first:%a %d %b} to {g.last:%a %d %b %Y} {theirs} is "
                            f"{fmt_gap(g.gap)} {home}, not the usual {fmt_gap(g.usual)}: the two change their "
                            "clocks on different dates, so this call is an hour off its usual place for one of you",
                            markup=False, soft_wrap=True)


_APPOINTMENT = "The appointment's number (see schedule list) or its UID."
_CONFLICT = "Book even over another appointment or a busy time."


@app.command("book", epilog=examples(
    'vakit schedule book "Weekly sync" --client "Northwind Analytics" --at "friday 10:00" --duration 30m',
    'vakit schedule book "Monthly review" -c Northwind --at "2026-12-03 15:00" --repeat monthly --count 6'))
def book(
    title: str = typer.Argument(..., help="What the appointment is."),
    client: str = typer.Option(..., "--client", "-c", help=CLIENT),
    at: str = typer.Option(None, "--at", help="When, in the client's zone: 'friday 10:00', '2026-10-07 15:30'."),
    on_date: str = typer.Option(None, "--date", help="The date, if --at is only a time: " + DATES + "."),
    duration: str = typer.Option(None, "--duration", help="Duration, e.g. 30m, 1h, 1h30m or 1:30 (default 30m)."),
    location: str = typer.Option("", "--location", help="Place or meeting link."),
    description: str = typer.Option("", "--description", help="Notes for the calendar event's description."),
    tz: str = typer.Option(None, "--tz", help="Read --at in this IANA zone instead of the client's."),
    allow_conflict: bool = typer.Option(False, "--allow-conflict", help=_CONFLICT),
    allow_past: bool = typer.Option(False, "--allow-past", help="Record an appointment that has already begun."),
    force: bool = typer.Option(False, "--force", help="Book even outside working hours, in a block, within the "
                               "buffers, at short notice or over the daily cap (see 'vakit schedule rules')."),
    slot: int = typer.Option(None, "--slot", help="Book slot N of the last 'vakit schedule suggest' for the client "
                             "(instead of --at)."),
    repeat: str = typer.Option(None, "--repeat", help="weekly, biweekly or monthly: a recurring call, kept at the "
                               "same wall time in its zone across DST (needs --count or --until)."),
    count: int = typer.Option(None, "--count", help="With --repeat: how many occurrences."),
    until: str = typer.Option(None, "--until", help="With --repeat: the last date an occurrence may fall on, "
                               "YYYY-MM-DD."),
) -> None:
    """Book an appointment (or, with --repeat, a recurring series); shows it in the client's zone and in yours."""
    _book(client, at, on_date, duration, title, location, description, tz, allow_conflict, allow_past, force, slot,
          repeat, count, until)


app.command("add", hidden=True, help="Same as book.")(book)


@app.command("list", epilog=examples("vakit schedule list", 'vakit schedule list --client Northwind --month 2026-11 '
                                     "--tz Europe/London"))
def list_(
    client: str = typer.Option(None, "--client", "-c", help="One client's appointments: " + CLIENT_REF + "."),
    month: str = typer.Option(None, "--month", help=MONTH), from_: str = typer.Option(None, "--from", help=FROM),
    to: str = typer.Option(None, "--to", help=TO), on: str = typer.Option(None, "--date", help=DATE),
    tz: str = typer.Option(None, "--tz", help="Also show the times in this zone (a third clock); the period's "
                           "dates are read in it."),
    all_: bool = typer.Option(False, "--all", help="Every appointment, not just this month's."),
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """List appointments in time order."""
    ctx = context()
    period = None if all_ else period_from_options(ctx, month=month, from_=from_, to=to, on=on, tz=tz)
    appts = scheduling.list_appointments(ctx, period, find_client(ctx, client) if client else None)
    if as_json:
        emit_json("appointments", [appointment_json(a) for a in appts])
        return
    home = ctx.profile().home_tz
    zones = dict(ctx.ledger.conn.execute("SELECT id, tz FROM clients").fetchall())
    console().print(appointments_table(appts, home, tz if tz and tz != home else None, zones))


@app.command("cancel", epilog=examples("vakit schedule cancel 2", "vakit schedule cancel 7 --following"))
def cancel(appointment: str = typer.Argument(..., help=_APPOINTMENT),
           following: bool = typer.Option(False, "--following", help="A recurring call: this occurrence and every "
                                          "later one (the series ends before it)."),
           series: bool = typer.Option(False, "--series", help="A recurring call: the whole series.")) -> None:
    """Cancel an appointment (kept as CANCELLED with a higher SEQUENCE, so calendars update).

    Of a recurring call, this occurrence alone unless --following or --series."""
    if following or series:
        from vakit.cli.schedule_series import cancel_series

        cancel_series(appointment, following=following, series=series)
        return
    a = scheduling.cancel(context(), appointment)
    one = " (one occurrence of a recurring call; the others stay: --following or --series for more)" if (
        a.series_id is not None) else ""
    console().print(f"Cancelled #{a.id} '{a.title}' with {a.client_name} ({fmt_local(a.start_utc, a.tz)}), "
                    f"SEQUENCE {a.sequence}{one}", markup=False, soft_wrap=True)


@app.command("remind", epilog=examples("vakit schedule remind", "vakit schedule remind --within 3d"))
def remind(within: str = typer.Option("24h", "--within", help="How far ahead to look, a duration: 24h, 3d, 2w."),
           ) -> None:
    """Print the coming appointments as reminder messages to paste: their time first, yours beside it."""
    from vakit.services.appointment_reminders import upcoming

    text = within.strip().lower()
    days = {"d": 1, "w": 7}.get(text[-1:]) if text[:-1].isdigit() else None
    seconds = int(text[:-1]) * days * 86400 if days else parse_duration(text)
    found = upcoming(context(), seconds)
    out = console()
    if not found:
        out.print(f"No appointments in the next {within}.", markup=False)
    for n, r in enumerate(found):
        if n:
            out.print("")
        out.print(f"#{r.appointment.id} to {r.appointment.client_name}:", markup=False, soft_wrap=True)
        out.print(r.text, markup=False, soft_wrap=True)


@app.command("show", epilog=examples("vakit schedule show 1", "vakit schedule show 1 --tz Europe/London --json"))
def show(
    appointment: str = typer.Argument(..., help=_APPOINTMENT),
    tz: str = typer.Option(None, "--tz", help="Also show the time in this IANA zone, e.g. Europe/London."),
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """One appointment: both clocks, status, where, and what calendars know it by (UID, SEQUENCE)."""
    ctx = context()
    a = scheduling.get_appointment(ctx, appointment)
    if as_json:
        emit_json("appointment", appointment_json(a))
        return
    home = ctx.profile().home_tz
    client_tz = ctx.ledger.conn.execute("SELECT tz FROM clients WHERE id = ?", (a.client_id,)).fetchone()[0]
    out = console()
    say = lambda text: out.print(text, markup=False, soft_wrap=True)  # noqa: E731
    say(f"#{a.id} '{a.title}' with {a.client_name} ({a.outcome or a.status.lower()})")
    seen = []
    for label, zone_name in (("their time", client_tz), ("booked in", a.tz), ("your time", home), ("also", tz)):
        if zone_name and zone_name not in seen:
            seen.append(zone_name)
            say(f"  {label + ':':<11} {fmt_range(a.start_utc, a.end_utc, zone_name)} ({zone_name})")
    if a.location:
        say(f"  where:      {a.location}")
    if a.description:
        say(f"  notes:      {a.description}")
    if a.outcome:
        from vakit.services.appointment_outcomes import describe_outcome

        say(f"  outcome:    {describe_outcome(ctx, a)}" + (f" — {a.outcome_note}" if a.outcome_note else ""))
    if a.series_id is not None:
        from vakit.cli.schedule_series import occurrence_line

        say(occurrence_line(ctx, a))
    else:
        say(f"  UID {a.uid}, SEQUENCE {a.sequence}")


@app.command("done", epilog=examples("vakit schedule done 1", "vakit schedule done 1 --duration 45m"))
def done(
    appointment: str = typer.Argument(..., help=_APPOINTMENT),
    duration: str = typer.Option(None, "--duration", help="How long it really took, e.g. 45m or 1h10m (default: as "
                                  "booked)."),
    description: str = typer.Option(None, "--description", "-d", help="The entry's description, instead of the "
                                    "appointment's title."),
    non_billable: bool = typer.Option(False, "--non-billable", help="Record the time as not billed."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap", help="Record it even where other time is logged."),
) -> None:
    """Record an appointment that happened as the client's time entry (vakit log undo takes it back)."""
    from vakit.cli.render import entry_line
    from vakit.services.appointment_outcomes import done as record

    v = record(context(), appointment, duration=parse_duration(duration) if duration else None,
               description=description, billable=not non_billable, allow_overlap=allow_overlap)
    console().print(f"Logged {entry_line(v)}", markup=False, soft_wrap=True)


@app.command("no-show", epilog=examples('vakit schedule no-show 4 --note "No answer on the call link"'))
def no_show(
    appointment: str = typer.Argument(..., help=_APPOINTMENT),
    note: str = typer.Option("", "--note", help="What happened, kept with the appointment (one line)."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap", help="Bill it even where other time is logged."),
) -> None:
    """Record that the client did not come; billed as the client's contract says (--no-show on contract add)."""
    from vakit.core.clock import fmt_span
    from vakit.services.appointment_outcomes import no_show as record

    r = record(context(), appointment, note=note, allow_overlap=allow_overlap)
    a, who = r.appointment, r.appointment.client_name
    if r.entry is not None:
        why = (f"billed {fmt_span(r.entry.entry.seconds)} per the contract with {who} (no-show: {r.term}), "
               f"time entry #{r.entry.entry.id}")
    elif r.contract is None:
        why = f"not billed: {who} has no contract in force at {fmt_local(a.start_utc, a.tz)}"
    else:
        why = f"not billed: the contract with {who} does not bill no-shows"
    console().print(f"Recorded #{a.id} '{a.title}' with {who} as a no-show; {why}", markup=False, soft_wrap=True)


@app.command("move", epilog=examples('vakit schedule move 1 --at "thursday 11:00"',
                                     'vakit schedule move 1 --at 15:00 --date 2026-11-12 --duration 45m'))
def move(
    appointment: str = typer.Argument(..., help=_APPOINTMENT),
    at: str = typer.Option(..., "--at", help="The new start, read in the zone it was booked in (or --tz)."),
    on_date: str = typer.Option(None, "--date", help="Date for a bare --at time: " + DATES + "."),
    duration: str = typer.Option(None, "--duration", help="A new length, e.g. 45m or 1h (default: as before)."),
    tz: str = typer.Option(None, "--tz", help="Read --at in this IANA zone (it becomes the appointment's zone)."),
    allow_conflict: bool = typer.Option(False, "--allow-conflict", help="Move it even over another appointment or a "
                                        "busy time."),
    allow_past: bool = typer.Option(False, "--allow-past", help="Move it to a time that has already begun."),
    force: bool = typer.Option(False, "--force", help="Move even where the rules would refuse (working hours, "
                               "blocks, buffers, notice, daily cap)."),
    following: bool = typer.Option(False, "--following", help="A recurring call: move this occurrence and every "
                                   "later one (the rest follow the same rule from the new time)."),
) -> None:
    """Move an appointment: same UID, SEQUENCE raised, so calendars update it in place.

    Of a recurring call, this occurrence alone unless --following."""
    from vakit.services.rescheduling import move as move_appointment

    if following:
        from vakit.cli.schedule_series import move_following

        move_following(appointment, f"{on_date} {at}" if on_date else at,
                       duration=parse_duration(duration) if duration else None, tz=tz, allow_conflict=allow_conflict,
                       allow_past=allow_past, force=force)
        return

    b, old = move_appointment(context(), appointment, f"{on_date} {at}" if on_date else at,
                              duration=parse_duration(duration) if duration else None, tz=tz,
                              allow_conflict=allow_conflict, allow_past=allow_past, force=force)
    a = b.appointment
    _both_clocks(f"Moved #{a.id}", b, f" from {fmt_local(old, a.tz)}, SEQUENCE {a.sequence}")


#: file names Windows keeps for devices, whatever the extension
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


def _slug(name: str, client_id: int) -> str:
    """A file-name stem from a client's name: ASCII letters and digits (accents dropped: ``Zoë`` → ``zoe``)
    joined by hyphens, at most 60 characters; ``client-<id>`` when nothing is left (``श्री गणेश ट्रेडर्स``)."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].rstrip("-")
    return slug if slug and slug not in _RESERVED else f"client-{client_id}"


def _export_name(chosen: scheduling.CalendarExport, one: int | None) -> str:
    """The file ``-o FOLDER/`` gets: ``appointments.ics`` for every client, ``<client-slug>.ics`` for one
    client, ``<client-slug>-<id>.ics`` for appointment ``one`` (an occurrence: with its series); an invitation
    or a cancellation adds ``-request`` or ``-cancel``."""
    if chosen.client is None:
        return "appointments.ics"
    stem = _slug(chosen.client.name, chosen.client.id)
    if one is not None:
        stem += f"-{one}"
    if chosen.method != "PUBLISH":
        stem += f"-{chosen.method.lower()}"
    return f"{stem}.ics"


@app.command("export", epilog=examples('vakit schedule export --client "Northwind Analytics" -o northwind.ics',
                                       "vakit schedule export --id 1 --method request -o invite.ics"))
def export(
    client: str = typer.Option(None, "--client", "-c", help="One client's appointments: " + CLIENT_REF +
                        " (default: all)."),
    appointment: str = typer.Option(None, "--id", help="One appointment (id or UID)."),
    method: str = typer.Option("publish", "--method", help="publish: a calendar to import; request / cancel: an "
                               "invitation / a cancellation to mail to the client (needs --id or --client)."),
    out: str = typer.Option(None, "--out", "-o", help="File, or folder to write <client>.ics / appointments.ics in; "
                            "- or none: stdout."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file (never the ledger)."),
) -> None:
    """Write an .ics calendar (RFC 5545) of the appointments, or an invitation to mail (RFC 5546)."""
    from vakit.cli.common import check_output

    ctx = context()
    chosen = scheduling.choose_export(ctx, client, appointment, method)
    out = output_folder(out)
    if out is None or out == "-":
        import sys

        sys.stdout.buffer.write(scheduling.render_export(ctx, chosen))
        return
    one = scheduling.get_appointment(ctx, appointment.strip()).id if appointment is not None else None
    target = output_file(out, _export_name(chosen, one))
    check_output(target, force=force)
    target = write_output(target, scheduling.render_export(ctx, chosen), force=force)
    # an event is a UID: a single appointment, or a recurring series with its occurrences
    n = len({(a.series_id is None, a.series_id if a.series_id is not None else a.id) for a in chosen.appointments})
    occ = sum(1 for a in chosen.appointments if a.series_id is not None)
    series = f" ({occ} {'occurrence' if occ == 1 else 'occurrences'} of recurring calls)" if occ else ""
    what = {"REQUEST": "an invitation", "CANCEL": "a cancellation"}.get(chosen.method)
    note = f" ({what} to mail to {chosen.attendee.email})" if what and chosen.attendee else ""
    console().print(one_line(f"Wrote {n} {'event' if n == 1 else 'events'}{series} to {target}{note}"),
                    soft_wrap=True)


@app.command("import", epilog=examples("vakit schedule import work.ics --dry-run",
                                       'vakit schedule import northwind.ics --client Northwind --as-appointments'))
def import_calendar(
    file: str = typer.Argument(..., help="An .ics calendar file (Outlook, Google, Apple, Thunderbird …)."),
    client: str = typer.Option(None, "--client", "-c", help="Store the events as this client's appointments "
                               "(implies --as-appointments) instead of busy times."),
    as_appointments: bool = typer.Option(False, "--as-appointments", help="Events become appointments (needs "
                                         "--client); recurring ones one appointment per occurrence."),
    tz: str = typer.Option(None, "--tz", help="Zone for floating times and unknown zone names (default: the "
                           "calendar's X-WR-TIMEZONE, else your home zone)."),
    from_: str = typer.Option(None, "--from", help="First date of the window, YYYY-MM-DD (default: 30 days "
                               "ago)."),
    to: str = typer.Option(None, "--to", help="Last date of the window, YYYY-MM-DD (default: a year from today)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the report; store nothing."),
    report: bool = typer.Option(False, "--report", help="Also print the health report: events, occurrences, "
                                "zones and how each was read, warnings."),
) -> None:
    """Import a calendar file: its events become busy times that block bookings, or a client's appointments.

    With --client, the events become that client's appointments. Importing the file again updates by UID and
    SEQUENCE and adds nothing twice."""
    from pathlib import Path

    from vakit.cli.schedule_calendar import show_import
    from vakit.services.calendar_import import import_calendar as run_import

    r = run_import(context(), Path(file), client=client, as_appointments=as_appointments, tz=tz, from_=from_, to=to,
                   dry_run=dry_run)
    show_import(r, report=report)


@app.command("busy", epilog=examples("vakit schedule busy", "vakit schedule busy --month 2026-11 --file work.ics"))
def busy(
    month: str = typer.Option(None, "--month", help=MONTH), from_: str = typer.Option(None, "--from", help=FROM),
    to: str = typer.Option(None, "--to", help=TO), on: str = typer.Option(None, "--date", help=DATE),
    tz: str = typer.Option(None, "--tz", help="Also show the times in this zone; the period's dates are read in it."),
    source: str = typer.Option(None, "--file", help="Only the busy times imported from this file name."),
    all_: bool = typer.Option(False, "--all", help="Every busy time, not just this month's."),
    cancelled: bool = typer.Option(False, "--cancelled", help="Include cancelled ones."),
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """List the busy times imported from calendar files (they block bookings like appointments)."""
    from vakit.cli.schedule_calendar import busy_json, busy_table
    from vakit.services.busy import list_busy

    ctx = context()
    period = None if all_ else period_from_options(ctx, month=month, from_=from_, to=to, on=on, tz=tz)
    items = list_busy(ctx, period, source=source, include_cancelled=cancelled)
    if as_json:
        emit_json("busy_times", [busy_json(b) for b in items])
        return
    home = ctx.profile().home_tz
    console().print(busy_table(items, home, tz if tz and tz != home else None))


from vakit.cli import schedule_rules, schedule_sync  # noqa: E402,F401 - register hours, block, rules, suggest; sync
