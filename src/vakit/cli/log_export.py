"""``vakit log export``: time entries as CSV, JSON or timeclock, to stdout or a file ("Moving out", issue 7).

The formats are described in :mod:`vakit.exporters.entries`; ``vakit log import --format csv|json`` reads the
first two back (:mod:`vakit.services.importers.native`).
"""

from __future__ import annotations

import typer

from vakit.cli.common import check_output, console, context, deliver, err_console, output_file, period_from_options
from vakit.cli.helptext import examples
from vakit.cli.log import _DATE, _FROM, _LAST, _MONTH, _TO, app
from vakit.core.clock import fmt_span, zone
from vakit.core.errors import InvalidValue
from vakit.core.text import one_line

#: format → file name used when ``-o`` names a folder
FORMATS = {"csv": "vakit-entries.csv", "json": "vakit-entries.json", "timeclock": "vakit-entries.timeclock"}


@app.command("export", epilog=examples("vakit log export --month 2026-10 -o october.csv --excel",
                                       "vakit log export --format json -o vakit-entries.json"))
def export(
    fmt: str = typer.Option("csv", "--format", "-f", help="csv (spreadsheets), json (everything, for re-import) "
                            "or timeclock (hledger/Ledger)."),
    client: str = typer.Option(None, "--client", "-c", help="One client's entries: its name, a unique prefix "
                        "of it, or #ID (default: all)."),
    month: str = _MONTH, from_: str = _FROM, to: str = _TO, on: str = _DATE, last: str = _LAST,
    tz: str = typer.Option(None, "--tz", help="IANA zone of the period's dates and of timeclock times (default: your "
                           "home zone). CSV and JSON show each entry in its own zone."),
    out: str = typer.Option(None, "--output", "-o", help="File or folder to write; - or nothing: stdout."),
    excel: bool = typer.Option(False, "--excel", help="CSV: start with a UTF-8 byte-order mark, so Excel shows "
                               "accented names right."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file (never the ledger)."),
) -> None:
    """Export finished time entries (default: all of them; a period picks entries by their start).

    A running timer is not exported (a note on stderr says so): stop it first.
    """
    kind = (fmt or "").strip().lower()
    if kind not in FORMATS:
        raise InvalidValue(f"unknown export format {fmt!r}", "choose csv, json or timeclock")
    if excel and kind != "csv":
        raise InvalidValue("--excel applies to --format csv only")
    target = None
    if out is not None and out != "-":
        target = output_file(out, FORMATS[kind])
        check_output(target, force=force)
    ctx = context()
    home = ctx.profile().home_tz
    period = None
    if any((month, from_, to, on, last)):
        period = period_from_options(ctx, month=month, from_=from_, to=to, on=on, last=last, tz=tz)
    elif tz:
        zone(tz)
    from vakit.exporters import entries as exporter
    from vakit.services.client_lookup import find_client
    from vakit.services.entry_export import entries_to_export

    chosen = find_client(ctx, client) if client else None
    exp = entries_to_export(ctx, period, chosen)
    if kind == "csv":
        data = exporter.entries_csv(exp.entries, excel=excel)
    elif kind == "json":
        span = {"from": period.first.isoformat(), "to": period.last.isoformat(), "tz": period.tz} if period else None
        data = exporter.entries_json(exp.entries, exported_utc=ctx.clock.now_utc(), period=span,
                                     client=chosen.name if chosen else None)
    else:
        data = exporter.entries_timeclock(exp.entries, tz or home)
    if exp.running is not None:
        from vakit.cli.render import entry_line

        err_console().print(f"vakit: note: the running timer is not exported ({entry_line(exp.running)}); "
                            "stop it and export again to include it", soft_wrap=True)
    written = deliver(data, target, force=force)
    if written is None:
        return
    n, seconds = len(exp.entries), sum(e.seconds for e in exp.entries)
    console().print(one_line(f"Exported {n} {'entry' if n == 1 else 'entries'} ({fmt_span(seconds)} h) to {written}"))
