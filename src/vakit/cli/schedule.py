"""``vakit schedule`` — book, list, cancel, export."""

from __future__ import annotations

import typer

from vakit.cli.common import console, context, output_file, period_from_options, write_output
from vakit.cli.render import appointment_json, appointments_table, emit_json
from vakit.core.clock import fmt_local, fmt_range
from vakit.core.durations import parse_duration
from vakit.core.errors import InvalidValue
from vakit.core.text import one_line
from vakit.services import scheduling
from vakit.services.ledger import find_client

app = typer.Typer(no_args_is_help=True)


def _book(client: str, at: str, on_date: str | None, duration: str, title: str, location: str, description: str,
          tz: str | None, allow_conflict: bool, allow_past: bool) -> None:
    when = f"{on_date} {at}" if on_date else at
    if not when:
        raise InvalidValue("give --at (and optionally --date)")
    ctx = context()
    b = scheduling.book(ctx, client, when, parse_duration(duration), title, location=location,
                        description=description, tz=tz, allow_conflict=allow_conflict, allow_past=allow_past)
    a = b.appointment
    out = console()
    out.print(f"Booked #{a.id} '{a.title}' with {a.client_name}", markup=False)
    ctz = b.client_tz
    out.print(f"  their time: {fmt_range(a.start_utc, a.end_utc, ctz)} ({ctz})", markup=False)
    out.print(f"  your time:  {fmt_range(a.start_utc, a.end_utc, b.home_tz)} ({b.home_tz})", markup=False)


@app.command("book")
def book(
    title: str = typer.Argument(..., help="What the appointment is."),
    client: str = typer.Option(..., "--client", "-c"),
    at: str = typer.Option(..., "--at", help="When, in the client's zone: 'friday 10:00', '2026-10-07 15:30'."),
    on_date: str = typer.Option(None, "--date", help="The date, if --at is only a time."),
    duration: str = typer.Option("30m", "--duration", help="e.g. 30m, 1h, 1:30."),
    location: str = typer.Option("", "--location", help="Place or meeting link."),
    description: str = typer.Option("", "--description"),
    tz: str = typer.Option(None, "--tz", help="Read --at in this zone instead of the client's."),
    allow_conflict: bool = typer.Option(False, "--allow-conflict"),
    allow_past: bool = typer.Option(False, "--allow-past", help="Record an appointment that has already begun."),
) -> None:
    """Book an appointment; shows it in the client's zone and in yours."""
    _book(client, at, on_date, duration, title, location, description, tz, allow_conflict, allow_past)


app.command("add", hidden=True, help="Same as book.")(book)


@app.command("list")
def list_(
    client: str = typer.Option(None, "--client", "-c"),
    month: str = typer.Option(None, "--month"), from_: str = typer.Option(None, "--from"),
    to: str = typer.Option(None, "--to"), on: str = typer.Option(None, "--date"),
    tz: str = typer.Option(None, "--tz", help="Show all times in this zone (default: your home zone)."),
    all_: bool = typer.Option(False, "--all", help="Every appointment, not just this month's."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List appointments in time order."""
    ctx = context()
    period = None if all_ else period_from_options(ctx, month=month, from_=from_, to=to, on=on, tz=tz)
    appts = scheduling.list_appointments(ctx, period, find_client(ctx, client) if client else None)
    if as_json:
        emit_json("appointments", [appointment_json(a) for a in appts])
        return
    console().print(appointments_table(appts, tz or ctx.profile().home_tz))


@app.command("cancel")
def cancel(appointment: str = typer.Argument(..., help="Id or UID.")) -> None:
    """Cancel an appointment (kept as CANCELLED with a higher SEQUENCE, so calendars update)."""
    a = scheduling.cancel(context(), appointment)
    console().print(f"Cancelled #{a.id} '{a.title}' with {a.client_name} ({fmt_local(a.start_utc, a.tz)}), "
                    f"SEQUENCE {a.sequence}", markup=False)


@app.command("export")
def export(
    client: str = typer.Option(None, "--client", "-c", help="One client's appointments (default: all)."),
    out: str = typer.Option(None, "--out", "-o", help="File or folder to write (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file (never the ledger)."),
) -> None:
    """Write an .ics calendar (RFC 5545) of the appointments."""
    data, n = scheduling.export_ics(context(), client)
    if out is None:
        import sys

        sys.stdout.buffer.write(data)
        return
    target = write_output(output_file(out, "appointments.ics"), data, force=force)
    console().print(one_line(f"Wrote {n} {'event' if n == 1 else 'events'} to {target}"))
