"""Issuing documents: a number from the series' counter, an issue date, a frozen and sealed document, its PDF.

Rules (design.md §5 "Invoices"; issue 6):
- The issue date is the supplier's calendar date: today in the VA's home zone (``--date`` may name an
  earlier day). The billing period stays in the contract's billing zone. So a VA in Manila issues the
  Auckland, Chicago and New York invoices of one morning with one date, in any order.
- Within a series, numbers follow issue dates: a date before the latest of the series is refused.
- The number is drawn inside one ``BEGIN IMMEDIATE`` that stores the document; the PDF is rendered
  outside the lock from what would be stored, and again after the commit only if another command
  issued in between. Its SHA-256 and the seal over the stored figures are kept with the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from vakit.core.clock import zone
from vakit.core.errors import Conflict, InvalidValue, Locked
from vakit.core.invoices import Invoice
from vakit.core.tax_ids import gstin
from vakit.core.timeparse import parse_date
from vakit.services.context import Context, writes
from vakit.services.documents import describe, get_by_id, get_document
from vakit.services.numbering import next_number, take_number
from vakit.store.invoice_codecs import invoice_document_json


def home_today(ctx: Context) -> date:
    """Today's date in the VA's home zone (the supplier's calendar; issue and payment dates use it)."""
    return ctx.clock.now().astimezone(zone(ctx.profile().home_tz)).date()


def pick_date(ctx: Context, on: str | None, what: str) -> date:
    """A date typed for ``what`` (``--date``), read in the VA's home zone, or today there. Dates in the future
    are refused. Raises InvalidValue."""
    today = home_today(ctx)
    if not on:
        return today
    chosen = parse_date(on, today=today, direction="past")
    if chosen > today:
        raise InvalidValue(f"the {what} {chosen} is in the future (today is {today} in {ctx.profile().home_tz})")
    return chosen


def gst_numbering(ctx: Context) -> bool:
    """Whether the 16-character GST number rule applies (the profile carries a GSTIN)."""
    return gstin(ctx.profile().tax_ids) is not None


@dataclass(frozen=True)
class IssuePlan:
    """What issuing would store: the document (status issued, number, dates) and the number it draws."""

    invoice: Invoice
    series: str
    seq: int


def plan_number(ctx: Context, doc: Invoice, pattern: str, on: str | None, *, not_before: date,
                not_before_what: str) -> IssuePlan:
    """Date and number ``doc`` would be issued with under ``pattern``. The date (``on`` or today in the home
    zone) may not precede ``not_before`` nor the latest issue date of its series. The document is an e-invoice
    (:mod:`vakit.services.einvoice`) when its client takes them as it is issued (a credit note when the invoice
    it corrects is one). Raises InvalidValue."""
    issue_date = pick_date(ctx, on, "issue date")
    if issue_date < not_before:
        raise InvalidValue(f"the issue date {issue_date} is before {not_before_what} ({not_before})")
    conn = ctx.ledger.conn
    series, seq, number = next_number(conn, pattern, issue_date, gst=gst_numbering(ctx))
    taken = conn.execute("SELECT kind FROM invoices WHERE number = ?", (number,)).fetchone()
    if taken is not None:
        holder = "a credit note" if taken[0] == "credit_note" else "an invoice"
        raise InvalidValue(f"the number {number} is taken already (by {holder} of another series)",
                           "the number patterns overlap: change one with 'vakit invoice numbering'")
    latest = conn.execute("SELECT max(issue_date) FROM invoices WHERE series = ?", (series,)).fetchone()[0]
    if latest and issue_date.isoformat() < latest:
        raise InvalidValue(f"the issue date {issue_date} is before the latest document of its series ({latest})",
                           "numbers follow the dates within a series; issue it on that day or later")
    due = issue_date + timedelta(days=doc.terms_days) if doc.kind == "invoice" else None
    row = ctx.ledger.conn.execute("SELECT einvoice FROM clients WHERE id = ?", (doc.client_id,)).fetchone()
    einvoice = bool(row and row[0]) and doc.renderer >= 2  # whether the client takes e-invoices when it is issued
    if doc.kind == "credit_note":
        einvoice = doc.einvoice  # as the invoice it corrects was
    return IssuePlan(replace(doc, status="issued", number=number, issue_date=issue_date, due_date=due,
                             einvoice=einvoice), series, seq)


def issue_document(ctx: Context, plan: Callable[[], IssuePlan], store: Callable[[object, IssuePlan, str | None], int],
                   check: Callable[[Invoice], None] | None = None) -> tuple[Invoice, bytes]:
    """Issue one document: ``plan()`` says what would be stored (called before rendering, and again under the
    write lock); ``store(conn, plan, pdf_sha256_or_None)`` writes it and returns its id. The counter is moved
    and the seal stored in the same transaction. ``check(planned_document)`` runs before anything is stored
    (e.g. that the PDF's output file may be written), so a refusal changes nothing. Returns the stored
    document and its PDF bytes. Raises what ``plan``/``store``/``check`` raise, InvalidValue (characters no
    font can draw)."""
    from vakit.exporters.pdf import render_invoice_pdf
    from vakit.store.seals import invoice_seal

    planned = plan()
    font = ctx.profile().pdf_font
    pdf = render_invoice_pdf(planned.invoice, font)  # slow: outside the lock; refuses unprintable text
    if check is not None:
        check(planned.invoice)
    with ctx.ledger.write() as conn:
        final = plan()  # again, under the lock: the state the write is based on
        same = final.invoice == planned.invoice
        take_number(conn, final.series, final.seq)
        doc_id = store(conn, final, hashlib.sha256(pdf).hexdigest() if same else None)
        conn.execute("UPDATE invoices SET content_sha256 = ? WHERE id = ?", (invoice_seal(conn, doc_id), doc_id))
    if not same:
        pdf = render_invoice_pdf(replace(final.invoice, id=doc_id), font)
        with ctx.ledger.write() as conn:
            conn.execute("UPDATE invoices SET pdf_sha256 = ? WHERE id = ? AND pdf_sha256 IS NULL",
                         (hashlib.sha256(pdf).hexdigest(), doc_id))
    return get_by_id(ctx, doc_id), pdf


def issue_draft(ctx: Context, ref: str, *, on: str | None = None) -> tuple[Invoice, bytes]:
    """Issue draft ``ref`` (``#ID``): the next number of the profile's invoice pattern, issue date ``on`` (default
    today in the home zone, never before the billing period starts), due date = issue date + the terms.
    Returns the issued invoice and its PDF. Raises NotFound, Locked (not a draft), InvalidValue (dates,
    GST number rule, unprintable text)."""

    def plan() -> IssuePlan:
        inv = get_document(ctx, ref)
        if inv.status != "draft":
            raise Locked(f"{describe(inv)} is already issued")
        return plan_number(ctx, inv, ctx.profile().number_pattern, on, not_before=inv.period_start,
                           not_before_what="the billing period starts")

    def store(conn, p: IssuePlan, pdf_sha: str | None) -> int:
        return store_issued_draft(ctx, conn, p, pdf_sha)

    return issue_document(ctx, plan, store)


def store_issued_draft(ctx: Context, conn, p: IssuePlan, pdf_sha: str | None) -> int:
    """Turn the draft planned in ``p`` into the issued invoice it plans (number, series, dates, frozen document,
    PDF hash if known), inside the caller's write transaction. Returns its id. Raises Conflict if it is no
    longer a draft."""
    doc = p.invoice
    done = conn.execute(
        "UPDATE invoices SET status = 'issued', number = ?, series = ?, seq = ?, issue_date = ?, due_date = ?,"
        " document = ?, pdf_sha256 = ?, issued_utc = ? WHERE id = ? AND status = 'draft'",
        (doc.number, p.series, p.seq, doc.issue_date.isoformat(), doc.due_date.isoformat(),
         invoice_document_json(doc), pdf_sha, ctx.clock.now_utc(), doc.id))
    if done.rowcount != 1:  # pragma: no cover - the plan found it a draft under the same lock
        raise Conflict(f"draft #{doc.id} changed while it was being issued", "try again")
    return doc.id


@dataclass(frozen=True)
class Numbering:
    """The number patterns and the next number each would give on ``on`` (today, home zone)."""

    invoice_pattern: str
    credit_pattern: str
    next_invoice: str
    next_credit: str
    on: date


def numbering(ctx: Context) -> Numbering:
    """The current invoice and credit-note patterns and the numbers the next documents would take today."""
    from vakit.services.numbering import credit_pattern

    conn = ctx.ledger.conn
    today = home_today(ctx)
    inv_p, cn_p = ctx.profile().number_pattern, credit_pattern(conn)
    gst = gst_numbering(ctx)
    return Numbering(inv_p, cn_p, next_number(conn, inv_p, today, gst=gst)[2], next_number(conn, cn_p, today,
                                                                                          gst=gst)[2], today)


@writes
def set_numbering(ctx: Context, *, pattern: str | None = None, credit: str | None = None, start_at: int | None = None,
                  credit_start_at: int | None = None) -> Numbering:
    """Change the invoice and/or credit-note number pattern, and/or the number the current series of each
    starts at (for a VA continuing another tool's numbering; only a series with no number drawn yet).
    The two patterns must give different series. Raises InvalidValue."""
    from vakit.core.text import clean_text
    from vakit.services.numbering import check_pattern, clashes, credit_pattern, pattern_regex, series_key, set_start

    conn = ctx.ledger.conn
    today = home_today(ctx)
    gst = gst_numbering(ctx)
    inv_p = check_pattern(clean_text(pattern, "invoice number pattern")) if pattern is not None else \
        ctx.profile().number_pattern
    cn_p = check_pattern(clean_text(credit, "invoice number pattern")) if credit is not None else credit_pattern(conn)
    if series_key(inv_p, today) == series_key(cn_p, today) or clashes(inv_p, cn_p, today) or \
            clashes(cn_p, inv_p, today):
        raise InvalidValue(f"the invoice pattern {inv_p!r} and the credit-note pattern {cn_p!r} can give the same "
                           "numbers; give credit notes a prefix of their own, e.g. 'CN-{year}-{seq:04}'")
    for new in {p for p, given in ((inv_p, pattern), (cn_p, credit)) if given is not None}:
        rx = pattern_regex(new)
        for number, series, issued in conn.execute("SELECT number, series, issue_date FROM invoices WHERE number IS"
                                                   " NOT NULL").fetchall():
            if rx.fullmatch(number) and series != series_key(new, date.fromisoformat(issued)):
                raise InvalidValue(f"the pattern {new!r} can give the number {number}, which another series has "
                                   "already used", "choose a pattern with a prefix of its own")
    if pattern is not None and credit is None and conn.execute(
            "SELECT 1 FROM meta WHERE key = 'credit_note_pattern'").fetchone() is None and conn.execute(
            "SELECT 1 FROM invoices WHERE kind = 'credit_note'").fetchone() is not None:
        credit = cn_p  # credit notes keep the series they already have numbers in

    for p in (inv_p, cn_p):
        next_number(conn, p, today, gst=gst)  # refuses a pattern that breaks the GST rule now
    if pattern is not None:
        conn.execute("UPDATE profile SET number_pattern = ? WHERE id = 1", (inv_p,))
    if credit is not None:
        conn.execute("INSERT INTO meta (key, value) VALUES ('credit_note_pattern', ?) ON CONFLICT(key) DO UPDATE SET"
                     " value = excluded.value", (cn_p,))
    if start_at is not None:
        set_start(conn, inv_p, today, start_at)
    if credit_start_at is not None:
        set_start(conn, cn_p, today, credit_start_at)
    return numbering(ctx)

