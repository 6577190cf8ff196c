"""Invoice PDF (fpdf2): ``render_invoice_pdf(invoice) -> bytes``.

A4 portrait, every string real, extractable Unicode text (Noto Sans, Devanagari
shaped by HarfBuzz, see :mod:`vakit.exporters.fonts`). Dates are printed in ISO
form (``2026-11-01``) everywhere, so they read the same in every locale; amounts
go through :func:`vakit.core.money.format_money` in the invoice's locale.
The bytes are deterministic: the PDF creation date is the issue date (the period
end for a draft) at 00:00 UTC and the file ID is a hash of the content.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any

from vakit.core.clock import fmt_hm as hmm
from vakit.core.errors import InvalidValue
from vakit.core.invoices import RENDERER, Invoice, Party
from vakit.core.money import format_money, format_quantity, format_rate
from vakit.core.tax_ids import gstin
from vakit.core.validate import country_name
from vakit.exporters import fonts

MARGIN = 18.0  # mm
BODY = 9.5  # pt
SMALL = 8.0
GREY = (95, 95, 95)
RULE = (190, 190, 190)
DRAFT_TITLE = "DRAFT INVOICE — not valid for payment"


def is_draft(invoice: Invoice) -> bool:
    """True for a draft: status ``draft`` or no number yet."""
    return invoice.status == "draft" or invoice.number is None


def iso(d: date | None, missing: str = "—") -> str:
    """A date as ``2026-11-01``; ``missing`` for None."""
    return d.isoformat() if d else missing


def invoice_texts(invoice: Invoice) -> list[str]:
    """Every free-text field of ``invoice`` that the PDF prints (parties, lines, legends, timesheet)."""
    texts: list[str] = [invoice.number or ""]
    for party in (invoice.supplier, invoice.customer):
        texts += [party.name, party.address, party.email, country_name(party.country)]
        texts += [f"{t.label}: {t.value}" for t in party.tax_ids]
    texts += [f"{line.description} {line.unit}" for line in invoice.lines]
    texts += [t.name for t in invoice.taxes]
    texts += list(invoice.legends) + [invoice.note, invoice.payment_details, invoice.reason, invoice.refers_number]
    texts += [row.description for row in invoice.timesheet]
    return texts


def _make_pdf(invoice: Invoice, font: str = "") -> Any:
    noun = "Credit note" if invoice.kind == "credit_note" else "Invoice"
    xml = None
    if invoice.einvoice and invoice.renderer >= 2 and not is_draft(invoice):
        from vakit.exporters.facturx import check_xsd, facturx_xml

        xml = facturx_xml(invoice)
        check_xsd(xml)
    pdf = new_pdf(label=f"{noun} {invoice.number}" if invoice.number else "Draft", supplier=invoice.supplier.name,
                  stamp=invoice.issue_date or invoice.period_end, title=invoice.number or "Draft invoice",
                  subject=f"{noun} to {invoice.customer.name}", locale=invoice.locale, font=font,
                  renderer=invoice.renderer, facturx=xml is not None)
    if xml is not None:
        from vakit.exporters.pdf_archive import embed_facturx

        embed_facturx(pdf, xml, invoice.issue_date or invoice.period_end)
    return pdf


def new_pdf(*, label: str, supplier: str, stamp: date, title: str, subject: str, locale: str, font: str = "",
            renderer: int = RENDERER, facturx: bool = False) -> Any:
    """An empty A4 document with vakit's fonts (and the VA's ``font``, a path, as the last fallback), margins and
    footer (``supplier · label`` and ``n/N``), metadata, and the creation date fixed to ``stamp`` 00:00 UTC so
    the same content gives the same bytes. Characters no font can draw are collected in ``pdf.missing`` as text
    is laid out. ``renderer`` 2 and later (:data:`vakit.core.invoices.RENDERER`) make it PDF/A-3B with
    deterministic XMP metadata, a Producer and a subset name per font style (:mod:`vakit.exporters.pdf_archive`;
    ``facturx``: the XMP announces an embedded Factur-X XML); renderer 1 is the layout of earlier documents."""
    from fpdf import FPDF

    class VakitPDF(FPDF):  # type: ignore[misc]
        missing: list[str] = []

        def normalize_text(self, text: str) -> str:
            text = fonts.drawable(text, font)  # ￥ (ja_JP's yen) as ¥: an equivalent the fonts have
            bad = fonts.missing_glyphs(text, font)
            self.missing.extend(ch for ch in text if ch in bad)
            return super().normalize_text(text)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(fonts.FAMILY, "", SMALL)
            self.set_text_color(*GREY)
            name = fit(self, supplier, self.epw * 0.7 - self.get_string_width(f" · {label}"))
            self.cell(self.epw * 0.8, 5, f"{name} · {label}", align="L")
            self.set_x(self.l_margin + self.epw * 0.8)
            self.cell(self.epw * 0.2, 5, f"{self.page_no()}/{{nb}}", align="R")
            self.set_text_color(0)

    from vakit.exporters import pdf_archive

    archival = renderer >= 2
    pdf = VakitPDF(orientation="P", unit="mm", format="A4",
                   **({"enforce_compliance": pdf_archive.COMPLIANCE} if archival else {}))
    pdf.missing = []
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    fonts.register_fonts(pdf, font)
    pdf.set_creation_date(datetime.combine(stamp, time(0, 0), tzinfo=timezone.utc))
    pdf.set_title(title)
    pdf.set_author(supplier)
    pdf.set_subject(subject)
    pdf.set_creator("vakit")
    pdf.set_lang(locale.replace("_", "-"))
    if archival:
        pdf_archive.name_subsets(pdf)
        pdf.set_producer(pdf_archive.PRODUCER)
        pdf.set_xmp_metadata(pdf_archive.xmp(title=title, author=supplier, subject=subject, stamp=stamp,
                                             lang=locale.replace("_", "-"), facturx=facturx))
    return pdf


def fit(pdf: Any, text: str, width: float) -> str:
    """``text`` cut to fit ``width`` mm in the current font, ending in "…" when cut (for one-line cells that
    cannot wrap: the footer, the totals' labels). Cuts between grapheme-safe code points, never inside a
    combining sequence."""
    if width <= 0 or pdf.get_string_width(text) <= width:
        return text
    import unicodedata

    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if pdf.get_string_width(text[:mid] + "…") <= width:
            lo = mid
        else:
            hi = mid - 1
    while lo > 0 and (unicodedata.combining(text[lo]) or unicodedata.category(text[lo]) in ("Mn", "Mc")
                      or text[lo - 1] == "\u094d"):
        lo -= 1  # do not split a Devanagari conjunct or a letter from its mark
    return text[:lo] + "…"


def title(invoice: Invoice) -> str:
    """``TAX INVOICE`` when the supplier is GST-registered (CGST Rules 2017, rule 46), else ``INVOICE``;
    ``CREDIT NOTE`` for a credit note (rule 53), ``SUPPLEMENTARY INVOICE`` for one that bills time missing from
    an earlier invoice (CGST Act s. 34 calls it a debit note); drafts say they are not valid for payment."""
    if is_draft(invoice):
        return DRAFT_TITLE
    if invoice.kind == "credit_note":
        return "CREDIT NOTE"
    if invoice.refers_number:
        return "SUPPLEMENTARY INVOICE"
    gst = gstin(invoice.supplier.tax_ids) is not None
    return "TAX INVOICE" if gst else "INVOICE"


def _party_lines(party: Party, *, with_country: bool) -> list[str]:
    lines = [ln.strip() for ln in party.address.splitlines() if ln.strip()]
    country = country_name(party.country) if party.country else ""
    if with_country and country and country not in lines:
        lines.append(country)
    if party.email:
        lines.append(party.email)
    lines += [f"{t.label}: {t.value}" for t in party.tax_ids]
    return lines


def block(pdf: Any, x: float, y: float, w: float, label: str, party: Party, with_country: bool) -> float:
    """Draw a labelled party block at (x, y), ``w`` mm wide; return the y below it."""
    pdf.set_xy(x, y)
    pdf.set_font(fonts.FAMILY, "", SMALL)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(w, 4.2, label, align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.set_font(fonts.FAMILY, "B", BODY + 1.5)
    pdf.multi_cell(w, 5.6, party.name, align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_font(fonts.FAMILY, "", BODY)
    for line in _party_lines(party, with_country=with_country):
        pdf.multi_cell(w, 4.6, line, align="L", new_x="LEFT", new_y="NEXT")
    return float(pdf.get_y())


def _details(pdf: Any, x: float, y: float, w: float, invoice: Invoice) -> float:
    credit = invoice.kind == "credit_note"
    pairs = [
        ("Credit note no." if credit else "Invoice no.", invoice.number or "— (assigned when issued)"),
        ("Issue date", iso(invoice.issue_date, "not issued")),
    ]
    if invoice.refers_number:
        pairs.append(("Credits invoice" if credit else "Supplements", f"{invoice.refers_number} of "
                      f"{iso(invoice.refers_date)}"))
    if not credit:
        pairs.append(("Due date", iso(invoice.due_date)))
    pairs += [("Billing period", f"{iso(invoice.period_start)} – {iso(invoice.period_end)}"),
              ("Currency", invoice.currency)]
    if invoice.place_of_supply:
        pairs.append(("Place of supply", invoice.place_of_supply))
    return label_values(pdf, x, y, w, pairs, bold=lambda label: label.endswith(" no."))


def label_values(pdf: Any, x: float, y: float, w: float, pairs: list[tuple[str, str]],
                 bold: Any = lambda label: False) -> float:
    """Label/value rows in a column ``w`` mm wide from (``x``, ``y``): a grey label, the value right-aligned
    (bold where ``bold(label)``). Returns the y (mm) below them."""
    pdf.set_xy(x, y)
    for label, value in pairs:
        pdf.set_x(x)
        pdf.set_font(fonts.FAMILY, "", SMALL)
        pdf.set_text_color(*GREY)
        pdf.cell(w * 0.3, 5.2, label)
        pdf.set_text_color(0)
        pdf.set_font(fonts.FAMILY, "B" if bold(label) else "", BODY)
        pdf.multi_cell(w * 0.7, 5.2, value, align="R", new_x="LMARGIN", new_y="NEXT")
    return float(pdf.get_y())


def render_invoice_pdf(invoice: Invoice, font: str = "", attachments: tuple = ()) -> bytes:
    """Render ``invoice`` as an A4 PDF and return its bytes.

    Contents: title (``INVOICE`` / ``TAX INVOICE``, or ``DRAFT INVOICE — not valid for payment`` for a
    draft), supplier, ``Bill to`` client, details (number, ISO dates, period,
    currency), line items, subtotal, each tax line, total, payment terms, legends,
    the timesheet (header repeated on each page, total row) and a ``n/N`` page footer.
    Amounts are integer minor units formatted in ``invoice.locale``; unit prices are
    Decimals printed without rounding. Same invoice → same bytes.

    ``font`` is the VA's own font file (``vakit init --pdf-font``), the last fallback. ``attachments`` are files
    embedded beside the pages, ``(name, bytes, mime type)`` (an e-invoice's receipts: PDF/A-3 allows them as
    associated files, AFRelationship Supplement).

    Raises InvalidValue naming the characters (and code points) that no installed
    font can draw, instead of producing a PDF with blank boxes.
    """
    from vakit.exporters.pdf_tables import line_items, terms_and_legends, timesheet, totals

    fonts.ensure_renderable(*invoice_texts(invoice), extra=font)
    pdf = _make_pdf(invoice, font)
    for name, data, mime in attachments:
        from vakit.exporters.pdf_archive import embed_supplement

        embed_supplement(pdf, name, data, mime, invoice.issue_date or invoice.period_end)
    pdf.add_page()

    pdf.set_font(fonts.FAMILY, "B", 18 if not is_draft(invoice) else 15)
    pdf.cell(0, 10, title(invoice), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    top = pdf.get_y()
    left_w, right_x = 92.0, MARGIN + 100.0
    right_w = pdf.w - MARGIN - right_x
    y_left = block(pdf, MARGIN, top, left_w, "From", invoice.supplier, with_country=True)
    y_right = _details(pdf, right_x, top, right_w, invoice)
    y = max(y_left, y_right) + 6
    y = block(pdf, MARGIN, y, left_w, "Bill to", invoice.customer, with_country=True)
    pdf.set_y(y + 7)

    line_items(pdf, invoice)
    totals(pdf, invoice)
    terms_and_legends(pdf, invoice)
    if invoice.timesheet:
        timesheet(pdf, invoice)

    if pdf.missing:  # labels or amounts (e.g. a currency symbol) the fonts lack
        raise InvalidValue(fonts.describe_missing(pdf.missing), fonts.MISSING_HINT)
    return bytes(pdf.output(output_producer_class=fonts.output_producer_class()))


__all__ = ["render_invoice_pdf", "format_quantity", "format_rate", "hmm", "iso", "is_draft", "format_money"]
