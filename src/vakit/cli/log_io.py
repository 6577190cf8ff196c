"""``vakit log import``: time entries from another tracker's history (Toggl, Clockify, Watson, Timewarrior)
or from vakit's own export."""

from __future__ import annotations

from pathlib import Path

import typer

from vakit.cli.common import console, context, err_console
from vakit.cli.log import app
from vakit.core.clock import fmt_hms
from vakit.core.errors import InvalidValue
from vakit.core.text import one_line


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="The export: a file, or Watson's / Timewarrior's folder."),
    fmt: str = typer.Option(None, "--format", help="toggl, clockify, watson, timewarrior, csv or json "
                                                   "(default: told from the file)."),
    tz: str = typer.Option(None, "--tz", help="Zone of the file's wall times (Toggl, Clockify; default: your home "
                                              "zone). Watson and Timewarrior store UTC."),
    fold: str = typer.Option(None, "--fold", help="earlier or later: which of a wall time that happens twice "
                                                  "(the night the clocks go back) is meant."),
    mapping: list[str] = typer.Option(None, "--map", help="SOURCE=CLIENT: a Watson project, Timewarrior tag or "
                                                          "file client name → a client (repeatable)."),
    map_file: Path = typer.Option(None, "--map-file", help="A file of 'SOURCE = Client Name' lines (# comments)."),
    date_format: str = typer.Option(None, "--date-format", help="mdy, dmy or ymd: the order of numeric dates "
                                                                "(Clockify; default: told from the file)."),
    create_clients: bool = typer.Option(False, "--create-clients", help="Create clients the ledger lacks (needs "
                                                                        "--client-tz and --client-currency)."),
    client_tz: str = typer.Option(None, "--client-tz", help="Time zone of the clients --create-clients makes."),
    client_currency: str = typer.Option(None, "--client-currency", help="Currency of the clients it makes."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the totals per client; store nothing."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap", help="Import rows that overlap stored entries."),
) -> None:
    """Import time entries from another tracker. Importing the same file again adds nothing; rows that cannot
    be read are listed on stderr and the others imported; `vakit log undo` takes the whole import back."""
    from vakit.services.importers.reading import read_mapping
    from vakit.services.importers.rows import ImportOptions
    from vakit.services.importers.storing import import_file

    opts = ImportOptions(tz=tz, fold=fold.strip().lower() if fold else None,
                         mapping=read_mapping(mapping, map_file),
                         date_format=date_format.strip().lower() if date_format else None,
                         create_clients=create_clients, client_tz=client_tz,
                         client_currency=client_currency.strip().upper() if client_currency else None,
                         dry_run=dry_run, allow_overlap=allow_overlap)
    r = import_file(context(), file, fmt, opts)
    warn = err_console()
    for rej in r.rejected:
        warn.print(one_line(f"vakit: warning: {rej.file or r.source} line {rej.line}: {rej.reason}"), soft_wrap=True)
    for note in r.notes:
        warn.print(one_line(f"vakit: note: {note.file or r.source} line {note.line}: {note.text}"), soft_wrap=True)
    if r.rejected and not r.added and not r.duplicates and not r.repeated:
        raise InvalidValue(f"{r.source}: no row could be imported ({len(r.rejected)} rejected, listed above); "
                           "nothing was changed")
    out = console()
    verb = "Would import" if r.dry_run else "Imported"
    per = ", ".join(f"{name} {fmt_hms(secs)}" for name, secs in sorted(r.per_client.items(),
                                                                      key=lambda kv: kv[0].casefold()))
    line = (f"{verb} {r.added} entr{'y' if r.added == 1 else 'ies'} ({fmt_hms(r.seconds)}) from {r.source} "
            f"({r.fmt})" + (f": {per}" if per else "") + f"; {r.duplicates} already in the ledger")
    if r.repeated:
        line += f"; {r.repeated} repeated in the file (imported once)"
    if r.no_client:
        line += f"; {r.no_client} without a client kept as non-billable"
    out.print(one_line(line + "."), markup=False, soft_wrap=True)
    if r.dry_run and r.per_client:
        for name, secs in sorted(r.per_client.items(), key=lambda kv: kv[0].casefold()):
            out.print(one_line(f"  {name}: {fmt_hms(secs)} ({secs} s)"), markup=False, soft_wrap=True)
        out.print(f"  total: {fmt_hms(r.seconds)} ({r.seconds} s)", markup=False, soft_wrap=True)
    if r.created_clients:
        out.print(one_line(f"{'Would create' if r.dry_run else 'Created'} clients: {', '.join(r.created_clients)}"),
                  markup=False, soft_wrap=True)
    if r.overlaps:
        out.print(f"{r.overlaps} entr{'y overlaps' if r.overlaps == 1 else 'ies overlap'} stored entries (imported "
                  "with --allow-overlap).", markup=False)
    for open_line in r.open_intervals:
        out.print(one_line(f"Open: {open_line}"), markup=False, soft_wrap=True)
    if r.rejected:
        warn.print(one_line(f"vakit: warning: {len(r.rejected)} row{'s' if len(r.rejected) > 1 else ''} of "
                            f"{r.source} not imported (listed above)"), soft_wrap=True)
