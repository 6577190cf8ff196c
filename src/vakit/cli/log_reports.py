"""``vakit log list`` and ``vakit log report``: a period's entries, its totals by client, day, week, month, tag or
contract, a per-day bar chart, and a client's timesheet (text, CSV or PDF) to send as it is."""

from __future__ import annotations

import sys
from datetime import timedelta

import typer

from vakit.cli.common import check_output, console, context, err_console, output_file, period_from_options, write_output
from vakit.cli.helptext import JSON, examples
from vakit.cli.log import _DATE, _FROM, _LAST, _MONTH, _TO, _TZ, app
from vakit.cli.render import emit_json, entry_json
from vakit.core.clock import zone
from vakit.core.errors import InvalidValue
from vakit.core.periods import Period
from vakit.core.report_time import first_weekday, parse_week, week_start
from vakit.core.text import one_line, printable
from vakit.services import reports
from vakit.services.client_lookup import find_client
from vakit.services.context import Context
from vakit.store.config_file import output_folder, resolve

_WEEK = typer.Option(None, "--week", help="An ISO week, e.g. 2026-W45 (Monday to Sunday).")
_THIS_WEEK = typer.Option(False, "--this-week", help="The week holding today.")
_LAST_WEEK = typer.Option(False, "--last-week", help="The week before this one.")
_WEEK_START = typer.Option(None, "--week-start", help="First day of --this-week/--last-week and of --by week rows: "
                           "monday (ISO, the default), sunday, saturday …, or locale (your profile's locale).")
_CLIENT = "One client's entries: its name, a unique prefix of it, or #ID (default: all)."
#: longest period --chart draws, in days
CHART_DAYS = 62


def _period(ctx: Context, *, month, from_, to, on, last, tz, week, this_week, last_week, fw: int) -> Period:
    """The period of the options (see :func:`period_from_options`), also ``--week``/``--this-week``/
    ``--last-week``. Raises InvalidValue when more than one is given."""
    weeks = [n for n, v in (("--week", week), ("--this-week", this_week), ("--last-week", last_week)) if v]
    others = [n for n, v in (("--month", month), ("--from/--to", from_ or to), ("--date", on), ("--last", last)) if v]
    if not weeks:
        return period_from_options(ctx, month=month, from_=from_, to=to, on=on, last=last, tz=tz)
    if len(weeks) + len(others) > 1:
        raise InvalidValue(f"choose one of {' and '.join(weeks + others)}")
    tz = tz or ctx.profile().home_tz
    zone(tz)
    if week:
        first = parse_week(week)
    else:
        first = week_start(ctx.clock.now().astimezone(zone(tz)).date(), fw) - timedelta(days=7 if last_week else 0)
    return Period(first, first + timedelta(days=6), tz)


def _first_weekday(ctx: Context, name: str | None) -> int:
    name = name if name is not None else resolve("week_start").value
    return first_weekday(name, ctx.profile().locale if (name or "").strip().lower() == "locale" else "")


@app.command("list", epilog=examples("vakit log list --this-week", 'vakit log list --client "Northwind Analytics" '
                                     "--month 2026-10 --json"))
def list_(
    client: str = typer.Option(None, "--client", "-c", help=_CLIENT), month: str = _MONTH, from_: str = _FROM,
    to: str = _TO, on: str = _DATE, last: str = _LAST, week: str = _WEEK, this_week: bool = _THIS_WEEK,
    last_week: bool = _LAST_WEEK, week_start_: str = _WEEK_START, tz: str = _TZ,
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """List time entries of a period (default: this month), by local date.

    An entry across midnight shows on each date with the part that falls on it, so each date's total is what
    'log report --by day' gives."""
    from vakit.cli.render_reports import entries_table
    from vakit.cli.text_table import print_table

    ctx = context()
    period = _period(ctx, month=month, from_=from_, to=to, on=on, last=last, tz=tz, week=week, this_week=this_week,
                     last_week=last_week, fw=_first_weekday(ctx, week_start_))
    chosen = find_client(ctx, client) if client else None
    if as_json:
        emit_json("time_entries", [entry_json(v) for v in reports.entries_in(ctx, period, chosen)])
        return
    print_table(console(), entries_table(reports.listing(ctx, period, chosen), period.tz))


@app.command("report", epilog=examples("vakit log report --month 2026-10 --by day",
                                       "vakit log report --client Northwind --month 2026-10 --format pdf"))
def report(
    client: str = typer.Option(None, "--client", "-c", help=_CLIENT), month: str = _MONTH, from_: str = _FROM,
    to: str = _TO, on: str = _DATE, last: str = _LAST, week: str = _WEEK, this_week: bool = _THIS_WEEK,
    last_week: bool = _LAST_WEEK, week_start_: str = _WEEK_START,
    tz: str = typer.Option(None, "--tz", help="Zone of the dates and day buckets (default: your home zone; for "
                           "--format, the client's)."),
    by: str = typer.Option(None, "--by", help="client (default), day, week, month, tag or contract."),
    by_day: bool = typer.Option(False, "--by-day", help="Same as --by day."),
    by_client: bool = typer.Option(False, "--by-client", hidden=True),
    as_json: bool = typer.Option(False, "--json", help="The report as JSON: durations in seconds and as h:mm."),
    as_csv: bool = typer.Option(False, "--csv", help="The report as CSV (RFC 4180)."),
    chart: bool = typer.Option(False, "--chart", help="A bar chart of hours per day (a week or a month)."),
    fmt: str = typer.Option(None, "--format", help="With --client: the client's timesheet as text, csv or pdf."),
    out: str = typer.Option(None, "--output", "-o", help="File or folder for --format or --csv; - or nothing: "
                            "stdout (a PDF goes to the current folder)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file (never the ledger)."),
) -> None:
    """Hours of a period by client, day, week, month, tag or contract: logged, billable and billed.

    Billed hours are after each contract's rounding; worked time counts parallel work once. Durations are exact
    (h:mm, or h:mm:ss throughout when any has seconds), so the rows add up to the total."""
    modes = [n for n, v in (("--json", as_json), ("--csv", as_csv), ("--chart", chart), ("--format", fmt)) if v]
    if len(modes) > 1:
        raise InvalidValue(f"choose one of {' and '.join(modes)}")
    grouping = _grouping(by, by_day, by_client, chart=chart)
    if fmt is not None:
        _summary(client, fmt, out, force, tz=tz, month=month, from_=from_, to=to, on=on, last=last, week=week,
                 this_week=this_week, last_week=last_week, week_start_=week_start_, grouped=grouping != "client")
        return
    if out is not None and not as_csv:
        raise InvalidValue("--output goes with --csv or --format")
    target = None
    if as_csv and out not in (None, "-"):
        target = output_file(out, "vakit-report.csv")
        check_output(target, force=force)
    ctx = context()
    fw = _first_weekday(ctx, week_start_)
    period = _period(ctx, month=month, from_=from_, to=to, on=on, last=last, tz=tz, week=week, this_week=this_week,
                     last_week=last_week, fw=fw)
    if chart and (period.last - period.first).days >= CHART_DAYS:
        raise InvalidValue(f"--chart draws up to {CHART_DAYS} days; this period has "
                           f"{(period.last - period.first).days + 1}", "choose a week or a month")
    r = reports.report(ctx, period, by=grouping, client=find_client(ctx, client) if client else None,
                       first_weekday=fw)
    from vakit.cli import render_reports

    if as_json:
        emit_json("report", render_reports.report_json(r))
    elif as_csv:
        from vakit.exporters.report_files import report_csv

        _deliver(report_csv(r).encode("utf-8"), target, force)
    elif chart:
        con = console()
        for line in render_reports.chart_lines(r, con.width):
            con.print(line, soft_wrap=True)
    else:
        con = console()
        con.print(render_reports.report_table(r))
        for note in r.notes:
            con.print(f"Note: {note}.", soft_wrap=True)


def _grouping(by: str | None, by_day: bool, by_client: bool, *, chart: bool) -> str:
    """The one grouping asked for (``--by``, ``--by-day``, ``--by-client``; ``--chart`` means days)."""
    asked = {x for x in ((by or "").strip().lower() or None, "day" if by_day or chart else None,
                         "client" if by_client else None) if x}
    if len(asked) > 1:
        raise InvalidValue(f"choose one grouping, not {' and '.join(sorted(asked))}",
                           "--chart draws days" if chart else None)
    grouping = asked.pop() if asked else "client"
    if grouping not in reports.GROUPINGS:
        raise InvalidValue(f"unknown grouping {by!r}", f"use one of {', '.join(reports.GROUPINGS)}")
    return grouping


def _deliver(data: bytes, target, force: bool) -> None:
    """Write ``data`` (UTF-8 text or a PDF) to ``target``, never replacing a file without ``force``; to stdout
    when ``target`` is None, control characters shown escaped line by line (CSV keeps its CRLF)."""
    if target is None:
        sys.stdout.write("\r\n".join(printable(line) for line in data.decode("utf-8").split("\r\n")))
        return
    console().print(one_line(f"Wrote {write_output(target, data, force=force)}"))


def _summary(client: str | None, fmt: str, out: str | None, force: bool, *, tz: str | None, grouped: bool,
             week_start_: str | None, **when) -> None:
    """``--format text|csv|pdf``: the client's timesheet, to stdout or a file (a PDF always to a file)."""
    kind = (fmt or "").strip().lower()
    if kind not in ("text", "csv", "pdf"):
        raise InvalidValue(f"unknown report format {fmt!r}", "choose text, csv or pdf")
    if not client:
        raise InvalidValue("--format makes one client's timesheet; give --client", "for totals use --json or --csv")
    if grouped:
        raise InvalidValue("a timesheet lists entries by date; drop --by")
    ctx = context()
    chosen = find_client(ctx, client)
    period = _period(ctx, tz=tz or chosen.tz, fw=_first_weekday(ctx, week_start_), **when)
    ext = "txt" if kind == "text" else kind
    name = f"timesheet-{chosen.id}-{period.first.isoformat()}-{period.last.isoformat()}.{ext}"
    target = None
    out = output_folder(out) if kind == "pdf" else out
    if kind == "pdf" or out not in (None, "-"):
        if kind == "pdf" and out == "-":
            raise InvalidValue("a PDF is written to a file", "give -o FILE or a folder")
        target = output_file(out, name)
        check_output(target, force=force)
    from vakit.services.client_summary import client_summary

    s = client_summary(ctx, chosen, period)
    for note in s.notes:
        err_console().print(f"vakit: note: {note}", markup=False, soft_wrap=True)
    if kind == "pdf":
        from vakit.exporters.pdf_timesheet import render_timesheet_pdf

        data = render_timesheet_pdf(s, ctx.profile().pdf_font)
    else:
        from vakit.exporters.report_files import summary_csv, summary_text

        data = (summary_text(s) if kind == "text" else summary_csv(s)).encode("utf-8")
    _deliver(data, target, force)
