"""Tables of the invoice PDF: line items, totals, terms and legends, timesheet.

Helpers of :mod:`vakit.exporters.pdf`; each takes the fpdf2 document and the
invoice and draws from the current y, breaking pages as needed.
"""

from __future__ import annotations

from typing import Any

from vakit.core.clock import fmt_hms
from vakit.core.invoices import Invoice
from vakit.core.money import format_money, format_percent, format_quantity, format_rate
from vakit.exporters import fonts
from vakit.exporters.pdf import BODY, GREY, MARGIN, RULE, SMALL, fit, hmm, iso


def _heading_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family=fonts.FAMILY, emphasis="BOLD", size_pt=SMALL + 0.5, fill_color=(238, 238, 238))


def ruled_table(pdf: Any, widths: tuple[float, ...], aligns: tuple[str, ...]) -> Any:
    """An fpdf2 table context (``with``): ``widths`` in mm, one alignment per column, grey horizontal rules, a
    shaded heading row repeated on each page."""
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    return pdf.table(
        width=sum(widths),
        col_widths=widths,
        text_align=aligns,
        align="LEFT",
        borders_layout="HORIZONTAL_LINES",
        headings_style=_heading_style(),
        line_height=4.8,
        padding=(1.4, 1.6),
        v_align="TOP",
        repeat_headings=1,
    )


def line_items(pdf: Any, invoice: Invoice) -> None:
    """The line-items table: description (wraps), quantity, unit price, amount."""
    cur, loc = invoice.currency, invoice.locale
    pdf.set_font(fonts.FAMILY, "", BODY)
    with ruled_table(pdf, (86.0, 26.0, 30.0, 32.0), ("LEFT", "RIGHT", "RIGHT", "RIGHT")) as table:
        table.row(["Description", "Quantity", "Unit price", "Amount"])
        for line in invoice.lines:
            table.row(
                [
                    line.description,
                    format_quantity(line.quantity, line.unit, loc),
                    format_rate(line.unit_price, cur, loc),
                    format_money(line.amount_minor, cur, loc),
                ]
            )
    pdf.line(MARGIN, pdf.get_y(), MARGIN + 174.0, pdf.get_y())  # close the table above the totals


def totals(pdf: Any, invoice: Invoice) -> None:
    """Subtotal, an invoice discount and the net amount (if any), one row per tax line (``CGST 9% on
    ₹14,550.00``), and the bold total, right-aligned."""
    cur, loc = invoice.currency, invoice.locale
    label_w, amount_w = 72.0, 34.0
    rows = [("Subtotal", format_money(invoice.subtotal_minor, cur, loc), False)]
    rows += [(label, format_money(minor, cur, loc), False) for label, minor in invoice.discount_rows()]
    pdf.set_font(fonts.FAMILY, "", BODY)
    for tax in invoice.taxes:
        rest = f" {format_percent(tax.percent, loc)} on {format_money(tax.base_minor, cur, loc)}"
        name = fit(pdf, invoice.tax_word + tax.name, label_w - 2 - pdf.get_string_width(rest))  # never cut: rate, base
        rows.append((name + rest, format_money(tax.amount_minor, cur, loc), False))
    label = "Total credited" if invoice.kind == "credit_note" else "Total"
    rows.append((f"{label} ({cur})", format_money(invoice.total_minor, cur, loc), True))
    x = pdf.w - MARGIN - label_w - amount_w
    if pdf.will_page_break(6.0 * len(rows) + 4):
        pdf.add_page()
    pdf.ln(2)
    for label, amount, bold in rows:
        if bold:
            pdf.set_draw_color(0)
            pdf.set_line_width(0.35)
            pdf.line(x, pdf.get_y() + 0.5, pdf.w - MARGIN, pdf.get_y() + 0.5)
            pdf.ln(1.5)
        pdf.set_x(x)
        pdf.set_font(fonts.FAMILY, "B" if bold else "", BODY + (1.5 if bold else 0))
        pdf.cell(label_w, 6.0, fit(pdf, label, label_w - 2), align="R")
        pdf.cell(amount_w, 6.0, amount, align="R", new_x="LMARGIN", new_y="NEXT")
    notes = []
    if invoice.tax_in_gbp_minor is not None:  # HMRC VAT Notice 700, 16.3
        notes.append(f"{invoice.sterling_label()}: {format_money(invoice.tax_in_gbp_minor, 'GBP', loc)}")
    words = invoice.total_in_words()
    if words is not None:
        notes.append(f"Amount in words: {words}")
    pdf.set_font(fonts.FAMILY, "", BODY)
    for note in notes:
        pdf.multi_cell(0, 5.0, note, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)


def terms_and_legends(pdf: Any, invoice: Invoice) -> None:
    """``Payment terms: net N days, due <date>``, the invoice's note and every legend line, wrapped."""
    pdf.set_font(fonts.FAMILY, "", BODY)
    if invoice.kind == "credit_note":
        text = f"This credit note lowers the amount due on invoice {invoice.refers_number} of " \
               f"{iso(invoice.refers_date)} by {format_money(invoice.total_minor, invoice.currency, invoice.locale)}."
        if invoice.reason:
            text += f"\nReason: {invoice.reason}"
        pdf.multi_cell(0, 5.0, text, align="L", new_x="LMARGIN", new_y="NEXT")
    else:
        terms = f"Payment terms: net {invoice.terms_days} days"
        if invoice.due_date:
            terms += f", due {iso(invoice.due_date)}"
        pdf.multi_cell(0, 5.0, terms, align="L", new_x="LMARGIN", new_y="NEXT")
    if invoice.payment_details and invoice.kind != "credit_note":
        pdf.ln(1)
        pdf.multi_cell(0, 5.0, "Payment details:\n" + invoice.payment_details, align="L", new_x="LMARGIN",
                       new_y="NEXT")
    for legend in ((f"Note: {invoice.note}",) if invoice.note else ()) + tuple(invoice.legends):
        pdf.ln(1)
        pdf.multi_cell(0, 5.0, legend, align="L", new_x="LMARGIN", new_y="NEXT")


def timesheet(pdf: Any, invoice: Invoice) -> None:
    """The timesheet: date, start–end, description (wraps), duration h:mm (h:mm:ss when the entries
    have seconds, so the rows add up exactly), and a total row.

    A "Billed" column is added when any row's billed time differs from its worked time
    (contract rounding). The heading row repeats on every page the table spans.
    """
    rows = invoice.timesheet
    billed = any(r.billed_seconds != r.seconds for r in rows)
    # with seconds in the data, worked time is shown to the second so that the rows add up to the total
    worked = fmt_hms if any(r.seconds % 60 for r in rows) else hmm
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(fonts.FAMILY, "B", BODY + 2)
    pdf.cell(0, 7, "Timesheet", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(fonts.FAMILY, "", SMALL)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 4.5, f"Times in {invoice.billing_tz}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(1)
    pdf.set_font(fonts.FAMILY, "", SMALL + 0.5)
    widths: tuple[float, ...] = (24.0, 26.0, 104.0, 20.0)
    aligns: tuple[str, ...] = ("LEFT", "LEFT", "LEFT", "RIGHT")
    head = ["Date", "Time", "Description", "Duration"]
    if billed:
        widths, aligns, head = (24.0, 26.0, 88.0, 18.0, 18.0), (*aligns, "RIGHT"), [*head[:3], "Worked", "Billed"]
    from fpdf.fonts import FontFace

    bold = FontFace(emphasis="BOLD")
    with ruled_table(pdf, widths, aligns) as table:
        table.row(head)
        for r in rows:
            cells = [iso(r.day), f"{r.start}–{r.end}", r.description, worked(r.seconds)]
            table.row([*cells, hmm(r.billed_seconds)] if billed else cells)
        total = [
            "",
            "",
            f"Total ({len(rows)} {'entry' if len(rows) == 1 else 'entries'})",
            worked(sum(r.seconds for r in rows)),
        ]
        if billed:
            total.append(hmm(sum(r.billed_seconds for r in rows)))
        table.row(total, style=bold)
