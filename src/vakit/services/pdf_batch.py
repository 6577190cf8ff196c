"""Rendering several invoice PDFs at once (``vakit invoice run``): in parallel worker processes where the
platform can fork them, one at a time elsewhere.

A PDF is pure work on a frozen document (:func:`vakit.exporters.pdf.render_invoice_pdf`: no ledger, no
files but the font cache, which is written atomically), so forked workers render the same bytes the parent
would. The parent imports the renderer first, so the workers inherit it instead of importing fpdf2 again. On a
platform without ``fork`` (macOS and Windows start workers from scratch, which costs more than it saves), or
with one CPU or one invoice, the PDFs are rendered in this process. Issue 11: 8 invoices with ≈ 850 timesheet
rows took 5.6 s in one process on 2 cores.
"""

from __future__ import annotations

import os

from vakit.core.errors import InvalidValue
from vakit.core.invoices import Invoice


def _render(doc: Invoice, font: str = "") -> tuple[bytes | None, str | None, str | None]:
    """``(pdf, None, None)``, or ``(None, message, hint)`` when the document cannot be drawn (InvalidValue:
    text no font has), so the refusal crosses the process boundary whole."""
    from vakit.exporters.pdf import render_invoice_pdf

    try:
        return render_invoice_pdf(doc, font), None, None
    except InvalidValue as exc:
        return None, exc.message, exc.hint


def render_pdfs(docs: list[Invoice], font: str = "") -> list[bytes | InvalidValue]:
    """The PDF of each document (``font``: the VA's own font file, the last fallback), in order, or the
    :class:`InvalidValue` that refused it. Uses up to
    ``os.cpu_count()`` forked workers (at most one per document) where the platform forks; else renders here."""
    import multiprocessing

    import vakit.exporters.pdf  # noqa: F401 - loaded once here; forked workers inherit it

    workers = min(len(docs), os.cpu_count() or 1)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = [_render(d, font) for d in docs]
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_render, docs, [font] * len(docs)))
    return [pdf if pdf is not None else InvalidValue(message or "", hint) for pdf, message, hint in results]
