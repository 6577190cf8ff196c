"""``vakit invoice run`` renders its PDFs in forked workers where it can (:mod:`vakit.services.pdf_batch`,
issue 11): the bytes are those a single render makes, in the documents' order, and a document that cannot be
drawn comes back as the same refusal, message and hint, across the process boundary."""

from __future__ import annotations

from dataclasses import replace

from vakit.core.clock import FixedClock
from vakit.core.errors import InvalidValue
from vakit.exporters.pdf import render_invoice_pdf
from vakit.services.context import Context
from vakit.services.demo import DEMO_NOW
from vakit.services.documents import get_document
from vakit.services.pdf_batch import render_pdfs
from vakit.store.db import open_ledger


def _docs(month):
    ledger, _out, result = month
    ctx = Context(open_ledger(ledger), FixedClock(DEMO_NOW))
    try:
        return [get_document(ctx, inv.number) for inv in result.invoices]
    finally:
        ctx.ledger.close()


def test_batch_bytes_equal_single_renders_in_order(month):
    docs = _docs(month)
    assert len(docs) == 4
    assert render_pdfs(docs) == [render_invoice_pdf(d) for d in docs]


def test_a_refusal_crosses_the_process_boundary_whole(month):
    docs = _docs(month)
    bad = replace(docs[1], customer=replace(docs[1].customer, name="Ankh \U00013000 Ltd"))  # a hieroglyph
    made = render_pdfs([docs[0], bad, docs[2]])
    assert made[0] == render_invoice_pdf(docs[0]) and made[2] == render_invoice_pdf(docs[2])
    assert isinstance(made[1], InvalidValue)
    assert (made[1].message, made[1].hint) == (
        "the invoice PDF cannot show '\U00013000' (U+13000): no installed font has them",
        "add a font that has them: vakit init --pdf-font PATH (a font installed on the system, e.g. Noto Sans CJK "
        "for Japanese or Chinese); or remove or transliterate those characters")
