"""``vakit log`` — start, stop, status, add, edit, rm, list, report, import."""

from __future__ import annotations

from pathlib import Path

import typer

from vakit.cli.common import MAX_ID, console, context, err_console, period_from_options
from vakit.cli.render import emit_json, entries_table, entry_json, entry_line, report_json, report_table
from vakit.core.clock import fmt_hm
from vakit.core.durations import parse_duration
from vakit.core.errors import InvalidValue
from vakit.services import reports, timesheet
from vakit.services.ledger import find_client

app = typer.Typer(no_args_is_help=True)

_MONTH = typer.Option(None, "--month", help="YYYY-MM.")
_FROM = typer.Option(None, "--from", help="First date (YYYY-MM-DD, yesterday, monday …).")
_TO = typer.Option(None, "--to", help="Last date, included.")
_DATE = typer.Option(None, "--date", help="One date.")
_LAST = typer.Option(None, "--last", help="The last N days up to today, e.g. 7d.")
_TZ = typer.Option(None, "--tz", help="Zone to read and show times in (default: your home zone).")


@app.command("start")
def start(
    description: str = typer.Argument("", help="What you are working on."),
    client: str = typer.Option(..., "--client", "-c"),
    at: str = typer.Option(None, "--at", help="Backdate the start: '9:15', '15m ago', 'yesterday 23:00'."),
    tz: str = _TZ,
    non_billable: bool = typer.Option(False, "--non-billable"),
    allow_overlap: bool = typer.Option(False, "--allow-overlap"),
) -> None:
    """Start the timer for a client."""
    v = timesheet.start(context(), client, at=at, description=description, tz=tz, billable=not non_billable,
                        allow_overlap=allow_overlap)
    console().print(f"Started {entry_line(v)}", markup=False)


@app.command("stop")
def stop(
    at: str = typer.Option(None, "--at", help="Stop at this time instead of now."),
    force: bool = typer.Option(False, "--force", help="Allow an entry longer than 16:00."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap"),
) -> None:
    """Stop the running timer (also one started before midnight)."""
    ctx = context()
    v = timesheet.stop(ctx, at=at, force=force, allow_overlap=allow_overlap)
    console().print(f"Stopped {entry_line(v)}", markup=False)
    _note_invoiced(ctx, v)


@app.command("status")
def status(as_json: bool = typer.Option(False, "--json")) -> None:
    """Show the running timer and today's total."""
    s = timesheet.status(context())
    if as_json:
        emit_json("status", {"running": entry_json(s.running) if s.running else None, "elapsed_seconds": s.elapsed,
                             "today_seconds": s.today_seconds, "tz": s.tz})
        return
    out = console()
    if s.running:
        out.print(f"Running: {entry_line(s.running)} — {fmt_hm(s.elapsed)} so far", markup=False)
    else:
        out.print("No timer is running.")
    out.print(f"Today ({s.tz}): {fmt_hm(s.today_seconds)}")


@app.command("add")
def add(
    description: str = typer.Argument("", help="What was done."),
    client: str = typer.Option(..., "--client", "-c"),
    from_: str = typer.Option(None, "--from", help="Start: '14:00', 'yesterday 11pm', '2026-10-05 09:30'."),
    to: str = typer.Option(None, "--to", help="End; a bare time is the first such time after the start."),
    duration: str = typer.Option(None, "--duration", help="2h30m, 90m, 1.5h or 1:30 (h:mm)."),
    on_date: str = typer.Option(None, "--date", help="Date for bare --from/--to times."),
    tz: str = _TZ,
    non_billable: bool = typer.Option(False, "--non-billable"),
    allow_overlap: bool = typer.Option(False, "--allow-overlap"),
    force: bool = typer.Option(False, "--force", help="Allow an entry longer than 16:00."),
) -> None:
    """Record finished work."""
    seconds = parse_duration(duration) if duration is not None else None
    ctx = context()
    v = timesheet.add(ctx, client, start_text=from_, end_text=to, duration=seconds, on_date=on_date,
                      description=description, tz=tz, billable=not non_billable, allow_overlap=allow_overlap,
                      force=force)
    console().print(f"Added {entry_line(v)}", markup=False)
    _note_invoiced(ctx, v)


@app.command("edit")
def edit(
    entry_id: int = typer.Argument(..., min=1, max=MAX_ID),
    description: str = typer.Option(None, "--description", "-d"),
    from_: str = typer.Option(None, "--from"),
    to: str = typer.Option(None, "--to"),
    billable: bool = typer.Option(None, "--billable/--non-billable"),
    client: str = typer.Option(None, "--client", "-c", help="Move the entry to another client."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap"),
    force: bool = typer.Option(False, "--force"),
) -> None:
    """Change an entry that is not on an invoice."""
    if all(v is None for v in (description, from_, to, billable, client)):
        raise InvalidValue("nothing to change", "give at least one option, e.g. --description")
    ctx = context()
    v = timesheet.edit(ctx, entry_id, description=description, start_text=from_, end_text=to,
                       billable=billable, client_ref=client, allow_overlap=allow_overlap, force=force)
    console().print(f"Updated {entry_line(v)}", markup=False)
    _note_invoiced(ctx, v)


def _note_invoiced(ctx, v) -> None:
    """Say on the spot when the entry falls in a month already invoiced for its client (issue 6)."""
    from vakit.services.late_time import invoiced_note

    e = v.entry
    note = invoiced_note(ctx, e.client_id, e.start_utc, e.end_utc, e.billable)
    if note:
        err_console().print(f"vakit: note: {note}", soft_wrap=True)


@app.command("rm")
def rm(entry_id: int = typer.Argument(..., min=1, max=MAX_ID)) -> None:
    """Delete an entry that is not on an invoice."""
    v = timesheet.remove(context(), entry_id)
    console().print(f"Deleted {entry_line(v)}", markup=False)


@app.command("list")
def list_(
    client: str = typer.Option(None, "--client", "-c"), month: str = _MONTH, from_: str = _FROM, to: str = _TO,
    on: str = _DATE, last: str = _LAST, tz: str = _TZ, as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List time entries of a period (default: this month)."""
    ctx = context()
    period = period_from_options(ctx, month=month, from_=from_, to=to, on=on, last=last, tz=tz)
    views = reports.entries_in(ctx, period, find_client(ctx, client) if client else None)
    if as_json:
        emit_json("time_entries", [entry_json(v) for v in views])
        return
    console().print(entries_table(views, period.tz))


@app.command("report")
def report(
    client: str = typer.Option(None, "--client", "-c"), month: str = _MONTH, from_: str = _FROM, to: str = _TO,
    on: str = _DATE, last: str = _LAST, tz: str = _TZ,
    by_day: bool = typer.Option(False, "--by-day", help="One row per local date."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Hours of a period by client (or by day), with worked time counted once for parallel work."""
    ctx = context()
    period = period_from_options(ctx, month=month, from_=from_, to=to, on=on, last=last, tz=tz)
    r = reports.report(ctx, period, by="day" if by_day else "client",
                         client=find_client(ctx, client) if client else None)
    if as_json:
        emit_json("report", report_json(r))
        return
    console().print(report_table(r))


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="The export file."),
    fmt: str = typer.Option("toggl", "--format", help="toggl (Toggl Track detailed CSV)."),
    tz: str = typer.Option(None, "--tz", help="Zone the export's times are in (default: your home zone)."),
    create_clients: bool = typer.Option(False, "--create-clients", help="Create clients the ledger lacks."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would happen; store nothing."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap"),
) -> None:
    """Import time entries from another tool's export. Importing the same file again adds nothing."""
    if fmt.lower() != "toggl":
        raise InvalidValue(f"unknown import format {fmt!r}", "supported: toggl")
    from vakit.services.importers.toggl import import_toggl

    r = import_toggl(context(), file, tz=tz, create_clients=create_clients, dry_run=dry_run,
                     allow_overlap=allow_overlap)
    verb = "Would import" if r.dry_run else "Imported"
    out = console()
    out.print(f"{verb} {r.added} of {r.rows} rows ({fmt_hm(r.seconds)} h); {r.duplicates} already in the ledger; "
              f"{r.no_client} without a client kept as non-billable.", markup=False)
    if r.created_clients:
        out.print(f"{'Would create' if r.dry_run else 'Created'} clients: {', '.join(r.created_clients)}",
                  markup=False)
    if r.overlaps:
        out.print(f"{r.overlaps} rows overlap stored entries (imported with --allow-overlap).")
