"""A client's timesheet as a PDF (fpdf2): ``render_timesheet_pdf(summary) -> bytes``.

The layout, fonts and determinism of the invoice PDF (:mod:`vakit.exporters.pdf`): A4, Noto Sans, real text;
the creation date is the period's last day at 00:00 UTC, so the same timesheet gives the same bytes. Contents:
the VA (``From``) and the client, the period and the zone times are in, one row per entry and date (time span,
description, tags, duration) with a total under each date, the period's total, billable and billed time, and a
retainer's use of its included hours. Durations follow :mod:`vakit.core.report_time` (exact, rows add up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vakit.core.errors import InvalidValue
from vakit.core.invoices import Party
from vakit.exporters import fonts
from vakit.exporters.pdf import BODY, GREY, MARGIN, SMALL, block, label_values, new_pdf
from vakit.exporters.pdf_tables import ruled_table
from vakit.exporters.report_files import billed_text, retainer_text, span_text, span_times, summary_formatter

if TYPE_CHECKING:
    from vakit.services.client_summary import ClientSummary


def render_timesheet_pdf(s: ClientSummary, font: str = "") -> bytes:
    """Render ``s`` as an A4 PDF and return its bytes (see the module docstring); ``font`` is the VA's own font
    file, the last fallback. Raises InvalidValue naming characters no font can draw, instead of writing a PDF
    with blank boxes."""
    fonts.ensure_renderable(*s.texts(), what="the timesheet PDF", extra=font)
    fmt = summary_formatter(s)
    tz = s.period.tz
    cells = [span_times(r.start, r.end, r.day, tz) for r in s.rows]
    zones = {z for _a, _b, z in cells}
    one_zone = len(zones) <= 1
    pdf = new_pdf(label=f"Timesheet {s.period.first.isoformat()} – {s.period.last.isoformat()}",
                  supplier=s.supplier.name, stamp=s.period.last, title=f"Timesheet, {s.client.name}",
                  subject=f"Timesheet for {s.client.name}", locale=s.client.locale or "en", font=font)
    pdf.add_page()
    pdf.set_font(fonts.FAMILY, "B", 18)
    pdf.cell(0, 10, "TIMESHEET", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    top = pdf.get_y()
    y_left = block(pdf, MARGIN, top, 92.0, "From", s.supplier, with_country=False)
    right_x = MARGIN + 100.0
    pairs = [("Period", f"{s.period.first.isoformat()} – {s.period.last.isoformat()}")]
    pairs += [("Week", s.week)] if s.week else []
    pairs += [("Time zone", tz)] + ([("", next(iter(zones)))] if one_zone and zones else [])
    pairs += [("Total", fmt(s.total))]
    y_right = label_values(pdf, right_x, top, pdf.w - MARGIN - right_x, pairs)
    client = Party(s.client.name, s.client.address, s.client.email, s.client.country)
    y = block(pdf, MARGIN, max(y_left, y_right) + 6, 92.0, "Client", client, with_country=True)
    pdf.set_y(y + 7)
    pdf.set_font(fonts.FAMILY, "", SMALL)
    pdf.set_text_color(*GREY)
    note = f"Times in {tz}" + (f", {next(iter(zones))}" if one_zone and zones else "")
    pdf.cell(0, 4.5, note + "; an entry across midnight is shown on each date it covers.", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(1)
    _table(pdf, s, cells, one_zone, fmt)
    _totals(pdf, s, fmt)
    if pdf.missing:
        raise InvalidValue(fonts.describe_missing(pdf.missing, "the timesheet PDF"),
                           "remove or transliterate those characters")
    return bytes(pdf.output(output_producer_class=fonts.output_producer_class()))


def _table(pdf: Any, s: ClientSummary, cells: list[tuple[str, str, str]], one_zone: bool, fmt) -> None:
    """The entries by date: the date on a date's first row, a bold total row after each date. A ``Billed``
    column is added when the contract's rounding makes any billable row's billed time differ."""
    from fpdf.fonts import FontFace

    bold = FontFace(emphasis="BOLD")
    billed = any(r.billed != r.billable for r in s.rows)
    time_w = 26.0 if one_zone else 45.0
    tail = (16.0, 16.0) if billed else (18.0,)
    widths = (28.0, time_w, 174.0 - 28.0 - time_w - 26.0 - sum(tail), 26.0, *tail)
    head = ["Date", "Time", "Description", "Tags", *(["Logged", "Billed"] if billed else ["Duration"])]
    day_billed: dict = {}
    for r in s.rows:
        day_billed[r.day] = day_billed.get(r.day, 0) + r.billed
    totals = dict(s.days)
    pdf.set_font(fonts.FAMILY, "", SMALL + 0.5)
    with ruled_table(pdf, widths, ("LEFT", "LEFT", "LEFT", "LEFT", *("RIGHT",) * len(tail))) as table:
        table.row(head)
        if not s.rows:
            table.row(["", "", "No time logged in this period.", "", *[""] * len(tail)])
        for i, (r, (a, b, z)) in enumerate(zip(s.rows, cells)):
            e = r.view.entry
            first = i == 0 or s.rows[i - 1].day != r.day
            # with several zone labels, the time shows its own; one whose offset changes inside breaks after "–"
            when = f"{a} – {b}" if one_zone else span_text(r.start, r.end, r.day, s.period.tz).replace(") – ", ") –\n")
            desc = (e.description or "—") + ("" if e.billable else " (non-billable)")
            table.row([f"{r.day:%a %Y-%m-%d}" if first else "", when, desc, e.tags, fmt(r.seconds),
                       *([fmt(r.billed)] if billed else [])])
            if i + 1 == len(s.rows) or s.rows[i + 1].day != r.day:
                table.row(["", "", f"Total {r.day:%a %d %b}", "", fmt(totals[r.day]),
                           *([fmt(day_billed[r.day])] if billed else [])], style=bold)


def _totals(pdf: Any, s: ClientSummary, fmt) -> None:
    """The period's total (bold), billable/billed and retainer lines, right-aligned below the table."""
    n = len({r.view.entry.id for r in s.rows})
    rows = [(f"Period total ({n} {'entry' if n == 1 else 'entries'})", fmt(s.total), True)]
    extra = [billed_text(s, fmt)] + [f"Retainer: {retainer_text(u, fmt)}" for u in s.retainer]
    if pdf.will_page_break(8.0 + 6.0 * len(extra) + 4):
        pdf.add_page()
    pdf.ln(3)
    label_w, value_w = 90.0, 30.0
    x = pdf.w - MARGIN - label_w - value_w
    for label, value, strong in rows:
        pdf.set_x(x)
        pdf.set_font(fonts.FAMILY, "B" if strong else "", BODY + (1.5 if strong else 0))
        pdf.cell(label_w, 6.5, label, align="R")
        pdf.cell(value_w, 6.5, value, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(fonts.FAMILY, "", BODY)
    for text in extra:
        if text:
            pdf.multi_cell(0, 5.2, text, align="R", new_x="LMARGIN", new_y="NEXT")
