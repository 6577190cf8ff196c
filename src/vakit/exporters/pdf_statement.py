"""Statement of account PDF: ``render_statement_pdf(statement, profile) -> bytes``.

The same A4 layout, fonts and determinism as the invoice PDF (:mod:`vakit.exporters.pdf`): supplier,
client, the statement's dates and currency, one row per document or payment with the running balance,
then opening balance + invoiced − credited − received = closing balance.
"""

from __future__ import annotations

from vakit.core.errors import InvalidValue
from vakit.core.invoices import Party, Statement
from vakit.core.models import Profile
from vakit.core.money import format_money
from vakit.exporters import fonts
from vakit.exporters.pdf import BODY, GREY, MARGIN, SMALL, block, iso, new_pdf
from vakit.exporters.pdf_tables import ruled_table


def statement_filename(st: Statement) -> str:
    """``statement-<client id>-<currency>-<last date>.pdf`` (only ASCII letters, digits and ``-``)."""
    return f"statement-{st.client.id}-{st.currency}-{st.last.isoformat()}.pdf"


def render_statement_pdf(st: Statement, profile: Profile) -> bytes:
    """Render ``st`` as an A4 PDF. Amounts in minor units formatted in the client's locale. Same statement →
    same bytes. Raises InvalidValue naming characters no font can draw."""
    cur, loc = st.currency, st.locale
    supplier = Party(profile.business_name, profile.address, profile.email, "", profile.tax_ids)
    client = Party(st.client.name, st.client.address, st.client.email, st.client.country, ())
    texts = [supplier.name, supplier.address, client.name, client.address, *(li.description for li in st.lines),
             *(li.ref for li in st.lines)]
    fonts.ensure_renderable(*texts, what="the statement PDF", extra=profile.pdf_font)
    pdf = new_pdf(label=f"Statement {st.last.isoformat()}", supplier=supplier.name, stamp=st.last,
                  title=f"Statement of account, {client.name}", subject=f"Statement to {client.name}", locale=loc,
                  font=profile.pdf_font)
    pdf.add_page()
    pdf.set_font(fonts.FAMILY, "B", 18)
    pdf.cell(0, 10, "STATEMENT OF ACCOUNT", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    top = pdf.get_y()
    y_left = block(pdf, MARGIN, top, 92.0, "From", supplier, with_country=False)
    right_x = MARGIN + 100.0
    pdf.set_xy(right_x, top)
    for label, value in (("Statement date", iso(st.last)), ("Period", f"{iso(st.first, 'the beginning')} – "
                                                                       f"{iso(st.last)}"), ("Currency", cur)):
        pdf.set_x(right_x)
        pdf.set_font(fonts.FAMILY, "", SMALL)
        pdf.set_text_color(*GREY)
        pdf.cell(24, 5.2, label)
        pdf.set_text_color(0)
        pdf.set_font(fonts.FAMILY, "", BODY)
        pdf.multi_cell(pdf.w - MARGIN - right_x - 24, 5.2, value, align="R", new_x="LMARGIN", new_y="NEXT")
    y = max(y_left, pdf.get_y()) + 6
    y = block(pdf, MARGIN, y, 92.0, "Account of", client, with_country=True)
    pdf.set_y(y + 7)
    pdf.set_font(fonts.FAMILY, "", SMALL + 0.5)
    money = lambda minor: format_money(minor, cur, loc)  # noqa: E731
    aligns = ("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT")
    with ruled_table(pdf, (20.0, 28.0, 29.0, 45.0, 26.0, 26.0), aligns) as t:
        t.row(["Date", "Document", "Number", "Details", "Amount", "Balance"])
        t.row(["", "Opening balance", "", "", "", money(st.opening_minor)])
        for li in st.lines:
            t.row([iso(li.day), li.kind.capitalize(), li.ref, li.description, money(li.amount_minor),
                   money(li.balance_minor)])
    pdf.ln(4)
    label_w, amount_w = 72.0, 34.0
    x = pdf.w - MARGIN - label_w - amount_w
    rows = [("Opening balance", st.opening_minor, False), ("Invoiced", st.invoiced_minor, False),
            ("Credited", -st.credited_minor, False), ("Received", -st.received_minor, False),
            (f"Closing balance ({cur})", st.closing_minor, True)]
    if pdf.will_page_break(6.0 * len(rows) + 4):
        pdf.add_page()
    for label, amount, bold in rows:
        pdf.set_x(x)
        pdf.set_font(fonts.FAMILY, "B" if bold else "", BODY + (1.5 if bold else 0))
        pdf.cell(label_w, 6.0, label, align="R")
        pdf.cell(amount_w, 6.0, money(amount), align="R", new_x="LMARGIN", new_y="NEXT")
    if st.closing_minor < 0:
        pdf.ln(3)
        pdf.set_font(fonts.FAMILY, "", BODY)
        pdf.multi_cell(0, 5.0, f"{client.name} has a credit of {money(-st.closing_minor)} with us.", align="L",
                       new_x="LMARGIN", new_y="NEXT")
    if pdf.missing:
        raise InvalidValue(fonts.describe_missing(pdf.missing, "the statement PDF"),
                           "remove or transliterate those characters")
    return bytes(pdf.output(output_producer_class=fonts.output_producer_class()))
