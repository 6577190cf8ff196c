"""Receipts appended to an invoice PDF (``vakit invoice pdf --attach-receipts``, issue 9).

The invoice's own pages come first, unchanged; then each receipt in line order: a PNG or JPEG on a page of its
own under a heading naming the invoice line it belongs to, scaled to fit the page; a PDF receipt as its own
pages. The invoice part is the document vakit issued; the receipts are the VA's files, put after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from vakit.core.errors import InvalidValue
from vakit.exporters import fonts
from vakit.exporters.pdf import BODY, GREY, MARGIN, SMALL, new_pdf


@dataclass(frozen=True)
class Receipt:
    """A receipt to append: ``heading`` (which line it proves), the file ``path`` and its ``kind`` (pdf, png,
    jpeg: :func:`vakit.services.expenses.receipt_kind`)."""

    heading: str
    path: str
    kind: str


#: the largest receipt image vakit places, in pixels (a 300 dpi A4 scan is 8.7 million): larger ones would take
#: gigabytes of memory to embed
MAX_PIXELS = 40_000_000


def _check_image(path: str) -> None:
    """Refuse an image Pillow cannot read, or one larger than :data:`MAX_PIXELS`, with vakit's own words."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
                im.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        if "pixels" in str(exc):
            raise InvalidValue(f"the receipt {path!r} is too large an image to place",
                               "save it smaller (a 300 dpi scan of a page is about 2500 × 3500 pixels)") from None
        raise InvalidValue(f"cannot read the receipt {path!r}: the image is damaged or of a kind vakit does not read",
                           "save it again as PNG or JPEG") from None
    if width * height > MAX_PIXELS:
        raise InvalidValue(f"the receipt {path!r} is too large an image to place ({width} × {height} pixels)",
                           "save it smaller (a 300 dpi scan of a page is about 2500 × 3500 pixels)")


def _image_pages(receipts: list[Receipt], *, label: str, supplier: str, stamp, locale: str, font: str) -> bytes:
    pdf = new_pdf(label=label, supplier=supplier, stamp=stamp, title=label, subject=label, locale=locale, font=font)
    for r in receipts:
        pdf.add_page()
        pdf.set_font(fonts.FAMILY, "B", BODY + 1)
        pdf.multi_cell(0, 6, r.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(fonts.FAMILY, "", SMALL)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(0, 4.5, Path(r.path).name, new_x="LMARGIN", new_y="NEXT")  # never the VA's folders
        pdf.set_text_color(0)
        top = pdf.get_y() + 4
        _check_image(r.path)
        pdf.image(r.path, x=MARGIN, y=top, w=pdf.epw, h=pdf.h - top - 20, keep_aspect_ratio=True)
    return bytes(pdf.output())


def append_receipts(invoice_pdf: bytes, receipts: list[Receipt], *, label: str, supplier: str, stamp, locale: str,
                    font: str = "") -> bytes:
    """``invoice_pdf`` followed by ``receipts`` (images on pages headed by their line, PDFs as they are).
    ``label`` names the receipts' pages in their footer (``"Receipts for INV-2026-0007"``). Raises InvalidValue
    for a receipt that cannot be read."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    fonts.ensure_renderable(*(r.heading for r in receipts), *(Path(r.path).name for r in receipts),
                            what="the receipts' pages", extra=font)
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(invoice_pdf)))
    images = [r for r in receipts if r.kind != "pdf"]
    pages = _image_pages(images, label=label, supplier=supplier, stamp=stamp, locale=locale, font=font) \
        if images else b""
    image_reader = PdfReader(BytesIO(pages)) if images else None
    done = 0
    for r in receipts:
        if r.kind != "pdf":
            assert image_reader is not None
            writer.append(image_reader, pages=(done, done + 1))
            done += 1
            continue
        try:
            writer.append(PdfReader(r.path))
        except (OSError, PyPdfError, ValueError) as exc:
            raise InvalidValue(f"cannot read the receipt {r.path!r} as a PDF: {exc}") from None
    writer.add_metadata({"/Producer": "vakit"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
