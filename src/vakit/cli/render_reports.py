"""Reports and entry listings as Rich tables, JSON and a terminal bar chart.

Durations follow the one precision rule (:mod:`vakit.core.report_time`): exact ``h:mm``, or ``h:mm:ss`` for
every figure of the output when any has seconds, so the printed rows add up to the printed total.

``vakit log report --json`` prints the envelope ``{"vakit": "1", "kind": "report", "data": …}`` with ``data``
as :func:`report_json` documents it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table

from vakit.cli.text_table import TextTable
from vakit.core.clock import fmt_clock, fmt_offset, fmt_zone, to_local, zone_abbreviation
from vakit.core.report_time import duration_formatter, precision_name, weekday_name
from vakit.exporters.report_files import report_formatter, row_label
from vakit.services.reports import EntryDay, Report, day_totals


def _shift(days: int) -> str:
    return f" ({'+' if days > 0 else '-'}{abs(days)}d)" if days else ""


def zone_labels(rows: list[EntryDay], tz: str) -> dict[str, str] | None:
    """Abbreviation → ``"UTC+05:30"`` for every instant shown in ``rows``, when each abbreviation names one
    offset (so the table can say it once, in its title); None when one abbreviation stands for two offsets
    (then each time carries its full label)."""
    found: dict[str, str] = {}
    for r in rows:
        for t in (r.view.entry.start_utc, r.view.entry.end_utc):
            abbr, offset = zone_abbreviation(t, tz), fmt_offset(t, tz)
            if found.setdefault(abbr, offset) != offset:
                return None
    return found


def entry_time(r: EntryDay, tz: str, labels: dict[str, str] | None = None) -> str:
    """The whole entry's times on the row of date ``r.day``: ``"14:00 – 15:30 GMT"`` when the table's title
    maps each abbreviation to its offset (``labels``), else ``"14:00 – 15:30 GMT (UTC+00:00)"``; a time on
    another date marked ``(+1d)``/``(-1d)``; a label at each end when a clock change falls inside."""
    e = r.view.entry
    a = fmt_clock(e.start_utc, tz) + _shift((to_local(e.start_utc, tz).date() - r.day).days)
    b = fmt_clock(e.end_utc, tz) + _shift((to_local(e.end_utc, tz).date() - r.day).days)
    label = zone_abbreviation if labels is not None else fmt_zone
    za, zb = label(e.start_utc, tz), label(e.end_utc, tz)
    return f"{a} – {b} {za}" if za == zb else f"{a} {za} – {b} {zb}"


def entries_table(rows: list[EntryDay], tz: str) -> TextTable:
    """A period's entries, times in ``tz`` with zone labels: one row per entry and local date — an entry across
    midnight shows on each date, its duration there ``1:00 of 2:00``, its times marked ``(+1d)``/``(-1d)``
    when they fall on another date — a ``day total`` row after each date (when there are several), then the
    total. Each date's total is the figure ``vakit log report --by day`` gives for it. A :class:`TextTable`:
    a month holds hundreds of rows (print with :func:`vakit.cli.text_table.print_table`)."""
    fmt = duration_formatter([r.seconds for r in rows] + [r.view.entry.seconds for r in rows])
    tags = any(r.view.entry.tags for r in rows)
    marks = any(r.view.entry.invoice_id or not r.view.entry.billable for r in rows)
    cols = ["#", "date", "time", "duration", "client", "description"] + ["tags"] * tags + ["invoiced"] * marks
    labels = zone_labels(rows, tz)
    said = "; ".join(a if a.startswith("UTC") else f"{a} = {o}" for a, o in sorted((labels or {}).items()))
    t = TextTable(title=f"Time entries ({tz}{'; ' + said if said else ''})")
    years = sorted({r.day.year for r in rows})
    one_year = len(years) == 1
    for col in cols:
        wrap = col in ("client", "description", "tags", "time", "duration", "date")
        head = f"date {years[0]}" if col == "date" and one_year else col
        t.add_column(head, justify="right" if col in ("#", "duration") else "left", wrap=wrap,
                     min_width={"description": 8, "client": 8}.get(col),
                     whole_words=col in ("time", "duration", "date", "client"))
    totals = day_totals(rows)
    several = len(totals) > 1
    blank = [""] * (len(cols) - 4)
    for i, r in enumerate(rows):
        e = r.view.entry
        duration = fmt(r.seconds) if r.whole else f"{fmt(r.seconds)} of {fmt(e.seconds)}"
        cells = [str(e.id), f"{r.day:%a %d %b}" if one_year else f"{r.day:%a %Y-%m-%d}", entry_time(r, tz, labels),
                 duration,
                 r.view.client_name or "(own time)", e.description] + [e.tags] * tags
        t.add_row(*cells, *(["yes" if e.invoice_id else ("—" if not e.billable else "")] * marks))
        if several and (i + 1 == len(rows) or rows[i + 1].day != r.day):
            t.add_row("", "", "day total", fmt(totals[r.day]), *blank)
    t.add_section()
    n = len({r.view.entry.id for r in rows})
    t.add_row("", "", "total", fmt(sum(totals.values())), f"{n} {'entry' if n == 1 else 'entries'}", *blank[1:])
    return t


def report_json(r: Report) -> dict:
    """A report as JSON::

        {"from": "2026-11-02", "to": "2026-11-08", "tz": "Europe/London", "by": "day",
         "week_start": "monday", "precision": "h:mm" | "h:mm:ss",
         "rows": [{"key": "2026-11-02", "label": "Mon 2026-11-02", "first": "2026-11-02" | null,
                   "last": "2026-11-02" | null, "partial": false, "contract_id": null,
                   "seconds": 5400, "duration": "1:30", "billable_seconds": 5400, "billable_duration": "1:30",
                   "billed_seconds": 5400, "billed_duration": "1:30", "entries": 2}, …],
         "total_seconds": …, "total_duration": …, "billable_seconds": …, "billable_duration": …,
         "billed_seconds": …, "billed_duration": …, "worked_seconds": …, "worked_duration": …,
         "entries": 9, "unrounded_entries": 0, "notes": ["…"]}

    Seconds are exact integers; ``*_duration`` the same figures as printed. ``key`` is the client's name, the
    local date, the week (``2026-W45``; the first date for weeks not starting on Monday), the month
    (``2026-11``), the tag or ``#id`` of the contract; ``(own time)`` (no client), ``(no tag)``, ``(no contract)``."""
    fmt = report_formatter(r)

    def figures(prefix: str, seconds: int) -> dict:
        return {f"{prefix}_seconds": seconds, f"{prefix}_duration": fmt(seconds)}

    rows = []
    for x in r.rows:
        rows.append({"key": x.key, "label": row_label(r, x), "first": x.first.isoformat() if x.first else None,
                     "last": x.last.isoformat() if x.last else None, "partial": x.partial,
                     "contract_id": x.contract.id if x.contract else None, "seconds": x.seconds,
                     "duration": fmt(x.seconds), **figures("billable", x.billable_seconds),
                     **figures("billed", x.billed_seconds), "entries": x.entries})
    return {"from": r.period.first.isoformat(), "to": r.period.last.isoformat(), "tz": r.period.tz, "by": r.by,
            "week_start": weekday_name(r.first_weekday), "precision": precision_name(fmt), "rows": rows,
            **figures("total", r.total), **figures("billable", r.billable), **figures("billed", r.billed),
            **figures("worked", r.worked), "entries": r.entries, "unrounded_entries": r.unrounded,
            "notes": list(r.notes)}


_HEADS = {"client": "client", "day": "day", "week": "week", "month": "month", "tag": "tag", "contract": "contract"}


def report_table(r: Report) -> Table:
    """A report as a table: one row per group with hours (logged), billable and billed (after the contract's
    rounding) and entries, then the total and worked (union) rows."""
    fmt = report_formatter(r)
    t = Table(title=f"Report {r.period.first} – {r.period.last} ({r.period.tz}), by {r.by}")
    t.add_column(_HEADS[r.by], no_wrap=r.by in ("day", "week", "month"))
    for col in ("hours", "billable", "billed", "entries"):
        t.add_column(col, justify="right", no_wrap=True)
    for x in r.rows:
        t.add_row(row_label(r, x), fmt(x.seconds), fmt(x.billable_seconds), fmt(x.billed_seconds), str(x.entries))
    t.add_section()
    t.add_row("total", fmt(r.total), fmt(r.billable), fmt(r.billed), str(r.entries))
    t.add_row("worked (overlaps once)", fmt(r.worked), "", "", "")
    return t


#: seconds per chart cell to choose from: the smallest that fits the longest day in the width
_STEPS = (60, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400)
_EIGHTHS = " ▏▎▍▌▋▊▉"


def _bar(seconds: int, step: int) -> str:
    """``seconds`` as full blocks of ``step`` seconds and an eighth-block remainder; any time shows."""
    eighths = seconds * 8 // step
    if seconds and not eighths:
        eighths = 1
    return "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def chart_lines(r: Report, width: int) -> list[str]:
    """A by-day report as plain-text lines, at most ``width`` characters wide: a heading, one line per date
    (``Mon 02 Nov ████████▌   4:15``), and the scale and total. Bars are Unicode blocks (eighths), scaled so
    the longest day fits; the hours beside each bar use the report's precision, and add up to the total."""
    fmt: Callable[[int], str] = report_formatter(r)
    hours = [fmt(x.seconds) for x in r.rows]
    hw = max(len(h) for h in [*hours, fmt(r.total)])
    room = max(8, min(60, width - len("Mon 02 Nov ") - 2 - hw))
    top = max([x.seconds for x in r.rows] + [1])
    step = next((s for s in _STEPS if -(-top // s) <= room), _STEPS[-1])
    lines = [f"Hours per day, {r.period.first:%a %d %b %Y} – {r.period.last:%a %d %b %Y} ({r.period.tz})"]
    for x, h in zip(r.rows, hours):
        lines.append(f"{x.first:%a %d %b} {_bar(x.seconds, step):<{room}}  {h:>{hw}}")
    lines.append(f"{'total':<{10 + 1 + room}}  {fmt(r.total):>{hw}}")
    lines.append(f"█ = {fmt(step)}")
    return lines
