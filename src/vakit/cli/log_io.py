"""``vakit log import``: time entries from another tracker's history (Toggl, Clockify, Watson, Timewarrior)
or from vakit's own export."""

from __future__ import annotations

from pathlib import Path

import typer

from vakit.cli.common import check_output, console, context, err_console, output_file, write_output
from vakit.cli.helptext import examples
from vakit.cli.log import app
from vakit.core.clock import fmt_hms
from vakit.core.errors import InvalidValue
from vakit.core.text import one_line

#: how many rejected rows are printed; the rest are counted (``--rejected FILE`` writes them all)
SHOWN_REJECTED = 10


@app.command("import", epilog=examples(
    "vakit log import toggl-detailed-2026-10.csv --dry-run",
    "vakit log import toggl-detailed-2026-10.csv --create-clients --client-tz Europe/London --client-currency GBP"))
def import_(
    file: Path = typer.Argument(..., help="The export: a file, or Watson's / Timewarrior's folder."),
    fmt: str = typer.Option(None, "--format", help="toggl, clockify, watson, timewarrior, csv or json "
                                                   "(default: told from the file)."),
    tz: str = typer.Option(None, "--tz", help="IANA zone of the file's wall times (Toggl, Clockify; default: your home "
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
    client_tz: str = typer.Option(None, "--client-tz", help="IANA zone of the clients --create-clients makes, e.g. "
                                   "Europe/London."),
    client_currency: str = typer.Option(None, "--client-currency", help="Currency (ISO 4217, e.g. GBP) of the clients "
                                         "it makes."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the totals per client; store nothing."),
    allow_overlap: bool = typer.Option(False, "--allow-overlap", help="Import rows that overlap other entries."),
    rejected: str = typer.Option(None, "--rejected", metavar="FILE",
                                 help="Write every row not imported to FILE as CSV (file, line, reason); an "
                                      "existing file is refused."),
) -> None:
    """Import time entries from another tracker (Toggl, Clockify, Watson, Timewarrior, CSV, JSON).

    Importing the same file again adds nothing; rows that cannot be read are listed on stderr (the first 10;
    --rejected FILE writes them all) and the others imported; `vakit log undo` takes the whole import back."""
    from vakit.services.importers.reading import read_mapping
    from vakit.services.importers.rows import ImportOptions
    from vakit.services.importers.storing import import_file

    opts = ImportOptions(tz=tz, fold=fold.strip().lower() if fold else None,
                         mapping=read_mapping(mapping, map_file),
                         date_format=date_format.strip().lower() if date_format else None,
                         create_clients=create_clients, client_tz=client_tz,
                         client_currency=client_currency.strip().upper() if client_currency else None,
                         dry_run=dry_run, allow_overlap=allow_overlap)
    target = None
    if rejected is not None:
        if rejected.strip() == "-":
            raise InvalidValue("--rejected needs a file name, not '-'", "e.g. --rejected rejected.csv")
        target = output_file(rejected, "vakit-rejected.csv")
        _check_rejected(target)
    r = import_file(context(), file, fmt, opts)
    warn = err_console()
    for rej in r.rejected[:SHOWN_REJECTED]:
        warn.print(one_line(f"vakit: warning: {rej.file or r.source} line {rej.line}: {rej.reason}"), soft_wrap=True)
    more = len(r.rejected) - SHOWN_REJECTED
    if target is not None:
        write_output(target, _rejected_csv(r.rejected, r.source))
    if more > 0:
        tail = (f"all {len(r.rejected)} are listed in {target}" if target is not None
                else "run with --rejected FILE to write them all")
        warn.print(one_line(f"vakit: warning: {more} more row{'s were' if more > 1 else ' was'} not imported; {tail}"),
                   soft_wrap=True)
    listed = "listed above" if more <= 0 else f"the first {SHOWN_REJECTED} listed above"
    if target is not None:
        listed += f" and in {target}" if more <= 0 else f", all in {target}"
    for note in r.notes:
        warn.print(one_line(f"vakit: note: {note.file or r.source} line {note.line}: {note.text}"), soft_wrap=True)
    if r.rejected and not r.added and not r.duplicates and not r.repeated:
        raise InvalidValue(one_line(f"{r.source}: no row could be imported ({len(r.rejected)} rejected, {listed}); "
                                    "nothing was changed"))
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
    if r.overlaps or r.overlaps_in_file:
        parts = [f"{n} entr{'y overlaps' if n == 1 else 'ies overlap'} {what}" for n, what in (
            (r.overlaps, "stored entries"), (r.overlaps_in_file, "only other rows of this import")) if n]
        out.print(f"{', '.join(parts)} (imported with --allow-overlap).", markup=False)
    for open_line in r.open_intervals:
        out.print(one_line(f"Open: {open_line}"), markup=False, soft_wrap=True)
    if r.rejected:
        warn.print(one_line(f"vakit: warning: {len(r.rejected)} row{'s' if len(r.rejected) > 1 else ''} of "
                            f"{r.source} not imported ({listed})"), soft_wrap=True)


def _check_rejected(target: Path) -> None:
    """Refuse, before anything is imported, a ``--rejected`` file that exists (or that no file may be
    written as: the ledger, a folder, a missing folder)."""
    from vakit.store.files import TargetExists

    try:
        check_output(target)
    except TargetExists as exc:  # its hint names --force, which import does not have
        hint = "choose another name, or remove it first" if exc.message.endswith("exists already") else exc.hint
        raise InvalidValue(f"--rejected {exc.message}", hint) from exc


def _rejected_csv(rows: list, source: str) -> bytes:
    """Every rejected row as CSV (``file,line,reason``; UTF-8, CRLF), text cells guarded against spreadsheet
    formulas as ``vakit log export`` guards them."""
    import csv
    import io

    from vakit.exporters.entries import neutralise

    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(("file", "line", "reason"))
    for rej in rows:
        w.writerow((neutralise(rej.file or source), rej.line, neutralise(rej.reason)))
    return buf.getvalue().encode("utf-8")
