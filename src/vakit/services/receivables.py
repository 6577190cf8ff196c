"""What an issued invoice is owed: payments, voids, standing (status, balance, days overdue) and lists by status.

- balance = total − credit notes against it − payments on it (minor units, never below zero);
- status: ``draft`` → ``issued`` → (``sent``) → ``partly paid`` → ``paid``; or ``credited`` (credit notes
  equal the total) or ``void`` (kept with its number, its time released to be billed again);
- overdue is derived: a balance left after the due date, counted in days of the VA's home calendar
  (an invoice due 30 Apr is not overdue on 30 Apr: field case C-25).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from vakit.core.errors import Conflict, InvalidValue, Locked
from vakit.core.invoices import Invoice
from vakit.core.money import check_currency, check_exact, format_money, parse_decimal, to_minor
from vakit.core.text import clean_text
from vakit.services.context import Context, writes
from vakit.services.documents import describe, get_document
from vakit.services.issuing import home_today, pick_date
from vakit.store.invoice_codecs import invoice_from_row

#: the statuses ``invoice list --status`` accepts, in lifecycle order
STATUSES = ("draft", "issued", "sent", "partly-paid", "unpaid", "overdue", "paid", "credited", "void")


@dataclass(frozen=True)
class Standing:
    """An invoice and where it stands on ``today`` (the VA's home date). Money in minor units of its currency.

    ``status`` is one of draft, issued, sent, partly paid, paid, credited, void (credit notes: ``credit note``);
    ``days_overdue`` > 0 only while a balance is left after the due date.
    """

    invoice: Invoice
    status: str
    paid_minor: int
    credited_minor: int
    balance_minor: int
    days_overdue: int
    sent_date: date | None = None
    void_reason: str = ""


def _standings(ctx: Context, rows) -> list[Standing]:
    conn = ctx.ledger.conn
    today = home_today(ctx)
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    paid = dict(conn.execute(f"SELECT invoice_id, sum(amount_minor) FROM payments WHERE invoice_id IN ({marks})"  # noqa: S608
                             " GROUP BY invoice_id", ids).fetchall())
    credited = dict(conn.execute(f"SELECT refers_to, sum(total_minor) FROM invoices WHERE kind = 'credit_note' AND"  # noqa: S608
                                 f" refers_to IN ({marks}) GROUP BY refers_to", ids).fetchall())
    events = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
        f"SELECT invoice_id, event, event_date, reason FROM invoice_events WHERE invoice_id IN ({marks})", ids)}  # noqa: S608
    out = []
    for r in rows:
        inv = invoice_from_row(r)
        p, c = paid.get(inv.id, 0), credited.get(inv.id, 0)
        sent = events.get((inv.id, "sent"))
        void = events.get((inv.id, "void"))
        balance = 0 if inv.status == "draft" or inv.kind == "credit_note" or void else max(0, inv.total_minor - p - c)
        if inv.status == "draft":
            status = "draft"
        elif inv.kind == "credit_note":
            status = "credit note"
        elif void:
            status = "void"
        elif c >= inv.total_minor:
            status = "credited"
        elif balance == 0:
            status = "paid"
        elif p > 0:
            status = "partly paid"
        else:
            status = "sent" if sent else "issued"
        overdue = (today - inv.due_date).days if balance > 0 and inv.due_date and today > inv.due_date else 0
        out.append(Standing(inv, status, p, c, balance, overdue, date.fromisoformat(sent[0]) if sent else None,
                            void[1] if void else ""))
    return out


def standing(ctx: Context, inv: Invoice) -> Standing:
    """Where one document stands today (see :class:`Standing`)."""
    return _standings(ctx, ctx.ledger.conn.execute("SELECT * FROM invoices WHERE id = ?", (inv.id,)).fetchall())[0]


def list_standings(ctx: Context, client_id: int | None = None, status: str | None = None) -> list[Standing]:
    """Invoices and credit notes in the order they were made, with their standing, optionally of one client
    and one of :data:`STATUSES` (``unpaid``: a balance is left; ``overdue``: left after the due date; ``issued``:
    every issued invoice that is not void). Raises InvalidValue for an unknown status, listing the valid ones."""
    if status is not None and status not in STATUSES:
        raise InvalidValue(f"unknown invoice status {status!r}", f"use one of: {', '.join(STATUSES)}")
    sql, args = "SELECT * FROM invoices", []
    if client_id is not None:
        sql += " WHERE client_id = ?"
        args.append(client_id)
    found = _standings(ctx, ctx.ledger.conn.execute(sql + " ORDER BY id", args).fetchall())
    if status is None:
        return found
    keep = {
        "issued": lambda s: s.invoice.status == "issued" and s.invoice.kind == "invoice" and s.status != "void",
        "unpaid": lambda s: s.balance_minor > 0,
        "overdue": lambda s: s.days_overdue > 0,
        "partly-paid": lambda s: s.status == "partly paid",
    }.get(status, lambda s: s.status == status)
    return [s for s in found if keep(s)]


def parse_amount(amount: str, currency: str | None, invoice_currency: str, *, what: str = "a payment") -> int:
    """``"139.83"`` or ``"139.83 EUR"`` (and ``currency``) → minor units of ``invoice_currency``. The amount
    must be more than zero and exact in the currency's minor unit; an amount in another currency is refused
    (vakit does not convert). ``what`` names it in messages. Raises InvalidValue."""
    text = amount.strip()
    parts = text.split()
    if len(parts) == 2 and parts[1].isalpha():
        text, code = parts[0], check_currency(parts[1].upper())
        if currency and check_currency(currency.upper()) != code:
            raise InvalidValue(f"the amount says {code} but --currency says {currency.upper()}")
        currency = code
    cur = check_currency(currency.upper()) if currency else invoice_currency
    if cur != invoice_currency:
        raise InvalidValue(f"the invoice is in {invoice_currency}; {what} in {cur} cannot be applied to it",
                           f"give the amount in {invoice_currency}")
    value = parse_decimal(text, "amount")
    if value == 0:
        raise InvalidValue(f"{what} must be more than zero")
    return to_minor(check_exact(value, cur), cur)


@dataclass(frozen=True)
class PaymentResult:
    """A recorded payment: ``applied_minor`` to the invoice, ``credit_minor`` held as the client's credit."""

    standing: Standing
    payment_id: int
    applied_minor: int
    credit_minor: int
    paid_date: date
    client_credit_minor: int


def client_credit(ctx: Context, client_id: int, currency: str) -> int:
    """The client's unapplied credit in ``currency`` (minor units): overpayments held, plus what was paid on
    invoices beyond their total after credit notes, minus credit applied to other invoices."""
    conn = ctx.ledger.conn
    held = conn.execute("SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE client_id = ? AND currency = ?"
                        " AND invoice_id IS NULL", (client_id, currency)).fetchone()[0]
    beyond = conn.execute(
        "SELECT coalesce(sum(max(0, (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id ="
        " i.id) + (SELECT coalesce(sum(total_minor), 0) FROM invoices c WHERE c.kind = 'credit_note' AND"
        " c.refers_to = i.id) - i.total_minor)), 0) FROM invoices i WHERE i.client_id = ? AND i.currency = ? AND"
        " i.kind = 'invoice' AND i.status = 'issued'", (client_id, currency)).fetchone()[0]
    return held + beyond


def refuse_if_supplemented(ctx: Context, inv: Invoice) -> None:
    """Refuse to void or re-bill ``inv`` while a supplementary invoice still bills time of its month on top of it
    (its overage was weighed against this invoice's hours). Raises Conflict naming it."""
    from vakit.services.late_time import billing_invoice

    row = ctx.ledger.conn.execute(f"SELECT number, id FROM invoices WHERE refers_to = ? AND"
                                  f" {billing_invoice()}", (inv.id,)).fetchone()
    if row is not None:
        name = row[0] or f"draft #{row[1]}"
        raise Conflict(f"{name} supplements invoice {inv.number}; void, credit or delete it first",
                       "the supplementary invoice was priced on top of this one")


def issued_invoice(ctx: Context, ref: str, action: str) -> Standing:
    """The standing of issued invoice ``ref`` that is about to be ``action`` (``paid``, ``credited``, ``voided``,
    ``marked sent``). Raises NotFound, Locked (a draft, a void invoice), InvalidValue (a credit note)."""
    inv = get_document(ctx, ref)
    if inv.status == "draft":
        raise Locked(f"draft #{inv.id} is not issued yet; only issued invoices are {action}",
                     f"issue it first: vakit invoice issue '#{inv.id}'")
    if inv.kind == "credit_note":
        raise InvalidValue(f"{describe(inv)} is a credit note; only invoices are {action}")
    st = standing(ctx, inv)
    if st.status == "void":
        raise Locked(f"invoice {inv.number} is void and cannot be {action}", "its number is kept; nothing is owed")
    return st


@writes
def pay(ctx: Context, ref: str, amount: str, *, currency: str | None = None, on: str | None = None,
        method: str = "", reference: str = "", as_credit: bool = False, from_credit: bool = False) -> PaymentResult:
    """Record a payment of ``amount`` on issued invoice ``ref`` (partial or full), dated ``on`` (default today in
    the home zone; not before the issue date, not in the future). An amount above the balance is refused unless
    ``as_credit``: then the excess is held as the client's credit. ``from_credit`` pays from that credit instead
    of new money. Raises NotFound, Locked (draft, void), InvalidValue (amount, currency, date, overpayment)."""
    if as_credit and from_credit:
        raise InvalidValue("--as-credit and --from-credit cannot go together: credit is either received or used")
    st = issued_invoice(ctx, ref, "paid")
    inv = st.invoice
    cur = inv.currency
    minor = parse_amount(amount, currency, cur)
    paid_date = pick_date(ctx, on, "payment date")
    if paid_date < inv.issue_date:
        raise InvalidValue(f"the payment date {paid_date} is before invoice {inv.number} was issued "
                           f"({inv.issue_date})")
    method = clean_text(method, "payment method")
    reference = clean_text(reference, "payment reference")
    from vakit.exporters.fonts import ensure_renderable  # statements print them

    ensure_renderable(method, reference, what="a statement PDF")
    due = format_money(st.balance_minor, cur, inv.locale)
    applied, excess = min(minor, st.balance_minor), max(0, minor - st.balance_minor)
    if excess and not as_credit:
        what = "nothing is due" if st.balance_minor == 0 else f"the balance is {due}"
        raise InvalidValue(f"{format_money(minor, cur, inv.locale)} is more than invoice {inv.number} is owed: "
                           f"{what}", "pay at most the balance, or add --as-credit to hold the excess as the "
                           "client's credit")
    now = ctx.clock.now_utc()
    conn = ctx.ledger.conn
    if from_credit:
        if excess:
            raise InvalidValue(f"paying from credit cannot exceed the balance ({due})")
        held = client_credit(ctx, inv.client_id, cur)
        if minor > held:
            raise InvalidValue(f"{inv.customer.name} has {format_money(held, cur, inv.locale)} of credit, less than "
                               f"{format_money(minor, cur, inv.locale)}")
        conn.execute("INSERT INTO payments (client_id, invoice_id, currency, amount_minor, paid_date, method,"
                     " reference, created_utc) VALUES (?, NULL, ?, ?, ?, 'credit applied', ?, ?)",
                     (inv.client_id, cur, -minor, paid_date.isoformat(), inv.number, now))
        method = "client credit"
    pid = None
    if applied:
        pid = conn.execute("INSERT INTO payments (client_id, invoice_id, currency, amount_minor, paid_date, method,"
                           " reference, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (inv.client_id, inv.id, cur, applied, paid_date.isoformat(), method, reference,
                            now)).lastrowid
    if excess:
        cid = conn.execute("INSERT INTO payments (client_id, invoice_id, currency, amount_minor, paid_date, method,"
                           " reference, created_utc) VALUES (?, NULL, ?, ?, ?, ?, ?, ?)",
                           (inv.client_id, cur, excess, paid_date.isoformat(), method,
                            reference or f"overpayment of {inv.number}", now)).lastrowid
        pid = pid or cid
    return PaymentResult(standing(ctx, inv), pid, applied, excess, paid_date, client_credit(ctx, inv.client_id, cur))


def _entries_of(conn, invoice_id: int) -> list[list]:
    return [list(r) for r in conn.execute("SELECT id, client_id, start_utc, end_utc, billable FROM time_entries"
                                          " WHERE invoice_id = ? ORDER BY id", (invoice_id,))]


def release_time(ctx: Context, inv: Invoice, event: str, reason: str, on: date) -> int:
    """Record ``event`` (``void`` or ``released``) on issued invoice ``inv`` and let its time entries (and
    expenses) go back to unbilled, keeping them as they were in the event (so the invoice's seal still
    holds). Call inside a write transaction. Returns the number of entries released."""
    from vakit.services.draft_rows import refuse_if_carried_on

    conn = ctx.ledger.conn
    refuse_if_carried_on(conn, inv, "voided" if event == "void" else "released")
    entries = _entries_of(conn, inv.id)
    conn.execute("INSERT INTO invoice_events (invoice_id, event, event_date, reason, detail, created_utc)"
                 " VALUES (?, ?, ?, ?, ?, ?)", (inv.id, event, on.isoformat(), reason, json.dumps(entries),
                                                ctx.clock.now_utc()))
    conn.execute("UPDATE time_entries SET invoice_id = NULL WHERE invoice_id = ?", (inv.id,))
    from vakit.services.expenses import release

    release(conn, inv.id)  # its expenses wait for the next invoice too
    return len(entries)


@writes
def void(ctx: Context, ref: str, reason: str) -> tuple[Standing, int]:
    """Void issued invoice ``ref``: it keeps its number (never reused), counts for nothing, and its time entries
    go back to unbilled. Only an invoice with no payment and no credit note can be voided (C-23). Returns its
    standing and the number of entries released. Raises NotFound, Locked, InvalidValue, Conflict."""
    st = issued_invoice(ctx, ref, "voided")
    inv = st.invoice
    reason = clean_text(reason, "reason")
    if not reason:
        raise InvalidValue("say why the invoice is void: --reason TEXT")
    if st.paid_minor:
        raise Conflict(f"invoice {inv.number} has payments recorded; a paid invoice is corrected with a credit note",
                       f"vakit invoice credit {inv.number} --reason ...")
    if st.credited_minor:
        raise Conflict(f"invoice {inv.number} already has a credit note; it cannot also be voided")
    refuse_if_supplemented(ctx, inv)
    from vakit.services.draft_rows import refuse_if_carried_on

    refuse_if_carried_on(ctx.ledger.conn, inv, "voided")
    released = release_time(ctx, inv, "void", reason, home_today(ctx))
    return standing(ctx, inv), released


@writes
def mark_sent(ctx: Context, ref: str, on: str | None = None) -> Standing:
    """Record that issued invoice ``ref`` was sent to the client on ``on`` (default today). Raises NotFound,
    Locked (draft, void), Conflict (already marked sent)."""
    st = issued_invoice(ctx, ref, "marked sent")
    if st.sent_date:
        raise Conflict(f"invoice {st.invoice.number} was already marked sent on {st.sent_date}")
    sent = pick_date(ctx, on, "date sent")
    if sent < st.invoice.issue_date:
        raise InvalidValue(f"the date sent {sent} is before the invoice was issued ({st.invoice.issue_date})")
    ctx.ledger.conn.execute("INSERT INTO invoice_events (invoice_id, event, event_date, created_utc) VALUES (?,"
                            " 'sent', ?, ?)", (st.invoice.id, sent.isoformat(), ctx.clock.now_utc()))
    return standing(ctx, st.invoice)
