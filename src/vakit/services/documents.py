"""Invoices and credit notes as stored documents: naming one, reading it, its seal and its PDF.

References (issue 6): a document is named by its full number (``INV/2026-27/003``,
``CN/2026-27/001``) or by ``#ID`` (drafts have no number). A bare string of digits is
accepted only when it can mean one document: draft ``#N``, the document numbered exactly so
(pattern ``{seq}``), or the one whose number in its series is ``N``; when it could be more
than one, it is refused, listing each. So ``vakit invoice pdf 0003`` never writes another
client's invoice by its row id.
"""

from __future__ import annotations

import hashlib
import re

from vakit.core.errors import InvalidValue, LedgerUnusable, NotFound
from vakit.core.invoices import Invoice
from vakit.services.context import Context
from vakit.store.invoice_codecs import invoice_from_row

_DIGITS = re.compile(r"[0-9]{1,18}")


def describe(inv: Invoice) -> str:
    """How a document is named to the user: its number, or ``draft #7``."""
    if inv.number:
        return f"{'credit note' if inv.kind == 'credit_note' else 'invoice'} {inv.number}"
    return f"draft #{inv.id}"


def get_document(ctx: Context, ref: str) -> Invoice:
    """The invoice or credit note named by ``ref`` (see the module docstring).

    Raises NotFound (nothing by that name), InvalidValue (a bare number that could name
    several documents; the message lists them).
    """
    conn = ctx.ledger.conn
    text = ref.strip()
    if text.startswith("#"):
        if not _DIGITS.fullmatch(text[1:]):
            raise NotFound(f"no invoice {ref!r}", "name a draft by '#ID' and an issued invoice by its number")
        row = conn.execute("SELECT * FROM invoices WHERE id = ?", (int(text[1:]),)).fetchone()
        if row is None:
            raise NotFound(f"no invoice or draft #{text[1:]}", "see 'vakit invoice list'")
        return invoice_from_row(row)
    if not _DIGITS.fullmatch(text):
        row = conn.execute("SELECT * FROM invoices WHERE number = ?", (text,)).fetchone()
        if row is not None:
            return invoice_from_row(row)
    else:
        n = int(text)
        rows = conn.execute("SELECT * FROM invoices WHERE number = ? OR (status = 'draft' AND id = ?) OR (status ="
                            " 'issued' AND seq = ?) ORDER BY status DESC, id", (text, n, n)).fetchall()
        if len(rows) == 1:
            return invoice_from_row(rows[0])
        if rows:
            names = [describe(invoice_from_row(r)) for r in rows]
            raise InvalidValue(f"{ref!r} is ambiguous: it could be {', '.join(names[:-1])} or {names[-1]}",
                               "name an issued invoice by its full number and a draft by '#ID'")
    raise NotFound(f"no invoice {ref!r}", "see 'vakit invoice list'")


def get_by_id(ctx: Context, doc_id: int) -> Invoice:
    """The document with row id ``doc_id``. Raises NotFound."""
    return get_document(ctx, f"#{doc_id}")


def verify_seal(ctx: Context, inv: Invoice) -> None:
    """Refuse an issued document whose stored figures, document or billed entries no longer match the seal
    made at issue (altered behind vakit's back). Raises LedgerUnusable naming it."""
    from vakit.store.seals import invoice_seal

    if inv.status == "draft":
        return
    row = ctx.ledger.conn.execute("SELECT content_sha256 FROM invoices WHERE id = ?", (inv.id,)).fetchone()
    if row is None or row[0] is None or row[0] != invoice_seal(ctx.ledger.conn, inv.id):
        raise LedgerUnusable(f"{describe(inv)} was altered after it was issued: its stored figures no longer "
                             "match their seal", "'vakit db check' lists every altered invoice; restore a backup")


def pdf_filename(inv: Invoice, *, receipts: bool = False) -> str:
    """The PDF's file name, distinct for distinct numbers: ``/`` becomes ``_``; letters, digits, ``-`` and
    ``.`` stay; anything else (``_`` and ``%`` included) is percent-encoded, so ``INV/2026/0001`` →
    ``INV_2026_0001.pdf`` and ``INV-2026-0001`` → ``INV-2026-0001.pdf`` never share a file. A draft is
    ``draft#7.pdf`` (``#`` never occurs in a file name made from a number). With ``receipts`` (the invoice with
    its receipts appended) the name ends ``+receipts.pdf`` (``+`` never occurs in the others)."""
    end = "+receipts.pdf" if receipts else ".pdf"
    if inv.number is None:
        return f"draft#{inv.id}{end}"
    out = []
    for i, ch in enumerate(inv.number):
        if ch == "/":
            out.append("_")
        elif ch.isascii() and (ch.isalnum() or ch == "-" or (ch == "." and i > 0)):
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out) + end


def render_pdf(ctx: Context, ref: str, *, attach_receipts: bool = False) -> tuple[Invoice, bytes, bool]:
    """The document, its PDF bytes, and whether the bytes match the SHA-256 stored at issue
    (always True for a draft). A mismatch means the renderer changed since; the frozen
    document itself never changes: an issued document whose seal does not match is refused
    (:func:`verify_seal`). With ``attach_receipts`` the receipts of the expenses it bills follow its pages
    (:mod:`vakit.exporters.receipts`; the match is of the document's own pages); an issued e-invoice carries them
    as files attached to its PDF/A-3 instead, beside its Factur-X XML. Raises NotFound, InvalidValue
    (ambiguous reference; no receipt to attach, or one that cannot be read), LedgerUnusable."""
    from vakit.exporters.pdf import render_invoice_pdf

    inv = get_document(ctx, ref)
    verify_seal(ctx, inv)
    font = ctx.profile().pdf_font
    data = render_invoice_pdf(inv, font)
    same = not inv.pdf_sha256 or hashlib.sha256(data).hexdigest() == inv.pdf_sha256
    if attach_receipts:
        data = _with_receipts(ctx, inv, data, font)
    return inv, data, same


def check_receipts_target(ctx: Context, inv: Invoice, path) -> None:
    """Refuse, even with ``--force``, to write an invoice with its receipts over the invoice's own PDF (the
    document whose SHA-256 was kept at issue) or over one of its receipts. Raises InvalidValue."""
    from pathlib import Path

    from vakit.services.expenses import receipts_of

    target = Path(path).expanduser().resolve()
    if target.name == pdf_filename(inv):
        default = pdf_filename(inv, receipts=True)
        raise InvalidValue(f"{target} is the name of {describe(inv)}'s own PDF; the invoice with its receipts is "
                           "another file", f"leave -o out, or name another file (default {default})")
    for e in receipts_of(ctx, inv.id):
        if Path(e.receipt).resolve() == target:
            raise InvalidValue(f"{target} is the receipt of expense {e.id}; it is never written over",
                               "name another file with -o")


#: the MIME type of each kind of receipt
MIME = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


def _with_receipts(ctx: Context, inv: Invoice, data: bytes, font: str) -> bytes:
    from vakit.exporters.receipts import Receipt, append_receipts
    from vakit.services.expenses import receipt_kind, receipts_of

    line_of = {li.expense_id: n for n, li in enumerate(inv.lines, 1) if li.expense_id is not None}
    receipts = [Receipt(f"Receipt for line {line_of[e.id]}: {e.description} ({e.spent_on})", e.receipt,
                        receipt_kind(e.receipt)) for e in sorted((e for e in receipts_of(ctx, inv.id)
                                                                  if e.id in line_of), key=lambda e: line_of[e.id])]
    if not receipts:
        raise InvalidValue(f"{describe(inv)} bills no expense with a receipt",
                           "give the expense a receipt before the draft is made: vakit expense edit N --receipt FILE")
    if inv.einvoice and inv.renderer >= 2 and inv.status != "draft":  # pages would break its PDF/A-3: attach them
        from pathlib import Path

        from vakit.exporters.pdf import render_invoice_pdf

        files = []
        for n, r in enumerate(receipts, 1):
            try:
                files.append((f"receipt-{n}-{Path(r.path).name}", Path(r.path).read_bytes(), MIME[r.kind]))
            except OSError as exc:
                raise InvalidValue(f"cannot read the receipt {r.path!r}: {exc.strerror or exc}") from None
        return render_invoice_pdf(inv, font, tuple(files))
    label = f"Receipts for {inv.number}" if inv.number else f"Receipts for draft #{inv.id}"
    return append_receipts(data, receipts, label=label, supplier=inv.supplier.name,
                           stamp=inv.issue_date or inv.period_end, locale=inv.locale, font=font)
