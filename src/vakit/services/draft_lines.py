"""Lines typed onto a draft by hand (issue 9): an item sold by the piece ("Posts scheduled: 12 × 8.00"), a
one-off charge, a credit on one line (a negative price), a discount of one line, or a waiting expense, beside the
lines a draft bills from time.

A manual line is quantity × unit price, the amount rounded half-up to the minor unit, so printed quantity ×
printed unit price = printed amount as on every line (C-15). Adding or removing one computes the draft's
totals again: the subtotal, the invoice discount (a percentage is taken again from the new subtotal; an amount
stays, and may not exceed it), each tax once on the net amount, the total.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from vakit.core.errors import InvalidValue, Locked
from vakit.core.invoices import Invoice, InvoiceLine
from vakit.core.money import MAX_AMOUNT, format_money, from_minor, parse_decimal, to_minor
from vakit.core.text import clean_text, nonempty
from vakit.services.context import Context, writes
from vakit.services.invoice_math import grand_total, tax_lines, taxed_base

#: places a typed quantity may have (0.5 h, 12 posts, 2.25 days)
QUANTITY_PLACES = 4


def totals(inv: Invoice) -> Invoice:
    """``inv`` with its subtotal, discount, taxes and total computed from its lines. The discount (a percentage
    is taken again) and the taxes apply to the lines the taxes cover (:func:`taxed_base`: all but untaxed
    expenses, which are passed on as they are); each tax once on that base less the discount, half-up
    (design.md §5, C-18, C-19), or with tax-inclusive prices the part of it each tax makes up
    (:func:`vakit.services.invoice_math.tax_lines`), the total then being the subtotal less the discount. Raises
    InvalidValue: a discount above that base, a negative subtotal, a total
    beyond vakit's limit."""
    cur, loc = inv.currency, inv.locale
    subtotal = sum(li.amount_minor for li in inv.lines)
    base = taxed_base(inv.lines)
    for total, what in ((subtotal, "the lines"), (base, "the taxed lines")):
        if total < 0:
            raise InvalidValue(f"{what} would add up to {format_money(total, cur, loc)}, less than nothing",
                               "a credit to the client is a credit note: vakit invoice credit")
    discount = inv.discount_minor
    if inv.discount_percent is not None:
        discount = to_minor(from_minor(base, cur) * inv.discount_percent / Decimal(100), cur)
    if discount > base:
        what = "the subtotal of" if base == subtotal else "the taxed lines' subtotal of"
        raise InvalidValue(f"a discount of {format_money(discount, cur, loc)} is more than {what} "
                           f"{format_money(base, cur, loc)}")
    taxes = tax_lines(inv.taxes, base - discount, cur, inv.tax_inclusive)
    total = grand_total(subtotal, discount, taxes, inv.tax_inclusive)
    if abs(from_minor(total, cur)) >= MAX_AMOUNT:
        raise InvalidValue(f"the invoice would total more than {MAX_AMOUNT:,} {cur}")
    return replace(inv, subtotal_minor=subtotal, discount_minor=discount, taxes=taxes, total_minor=total)


def manual_line(description: str, quantity: str, price: str, unit: str, currency: str, untaxed: str | None = None
                ) -> InvoiceLine:
    """A line typed by hand: ``quantity`` (more than 0, at most four decimals) × ``price`` (may be negative: a
    credit on the invoice) in ``currency``, per ``unit`` (default ``item``); ``untaxed`` the reason it carries
    none of the invoice's taxes (an exempt supply), said on the line. Raises InvalidValue."""
    text = nonempty(description, "description", label="line description")
    qty = parse_decimal(quantity, "quantity")
    if qty <= 0 or qty != qty.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)):
        raise InvalidValue(f"a quantity of {quantity} cannot be billed",
                           f"give more than 0, with at most {QUANTITY_PLACES} decimals")
    rate = parse_decimal(price, "unit price", allow_negative=True)
    name = clean_text(unit or "item", "unit").strip() or "item"
    amount = to_minor(qty * rate, currency)
    if amount == 0:
        raise InvalidValue(f"{quantity} × {price} {currency} bills nothing", "a line bills at least one minor unit")
    if abs(from_minor(amount, currency)) >= MAX_AMOUNT:
        raise InvalidValue(f"a line of more than {MAX_AMOUNT:,} {currency} cannot be billed")
    why = untaxed_reason(untaxed)
    if why:
        text = f"{text} (no tax: {why})"
    return InvoiceLine(text, qty, name, rate, amount, manual=True, untaxed=why)


def untaxed_reason(text: str | None) -> str:
    """The reason a line carries no tax, cleaned; '' for None. Raises InvalidValue for a blank one."""
    if text is None:
        return ""
    why = clean_text(text, "reason").strip()
    if not why:
        raise InvalidValue("a line without tax says why", "e.g. --untaxed 'disbursement' or --untaxed 'exempt: "
                           "Art. 132 VAT Directive'")
    return why


def _draft(ctx: Context, ref: str) -> Invoice:
    from vakit.services.documents import get_document

    inv = get_document(ctx, ref)
    if inv.status != "draft":
        raise Locked(f"{inv.number} is issued and cannot be changed", "an issued invoice is final; a credit note "
                     "corrects it")
    return inv


def _store(ctx: Context, conn, inv: Invoice) -> None:
    from vakit.services.billing import with_fx
    from vakit.store.invoice_codecs import invoice_document_json

    inv = with_fx(inv, ctx.profile(), None)
    conn.execute("UPDATE invoices SET document = ?, subtotal_minor = ?, tax_minor = ?, total_minor = ? WHERE id = ?"
                 " AND status = 'draft'", (invoice_document_json(inv), inv.subtotal_minor, inv.tax_minor,
                                            inv.total_minor, inv.id))


@writes
def add_line(ctx: Context, ref: str, description: str, quantity: str, price: str, unit: str = "item",
             untaxed: str | None = None) -> Invoice:
    """Add a manual line (:func:`manual_line`) at the end of draft ``ref`` and compute its totals again
    (:func:`totals`). Raises NotFound, Locked (issued), InvalidValue."""
    from vakit.services.documents import get_by_id

    with ctx.ledger.write() as conn:
        inv = _draft(ctx, ref)
        updated = totals(replace(inv, lines=(*inv.lines, manual_line(description, quantity, price, unit,
                                                                      inv.currency, untaxed))))
        _store(ctx, conn, updated)
    return get_by_id(ctx, inv.id)


@writes
def add_expense_line(ctx: Context, ref: str, expense_id: int) -> Invoice:
    """Put waiting expense ``expense_id`` on draft ``ref`` as a line of its own (an expense released from it by
    ``line rm``, or recorded after it was made) and compute its totals again. Raises NotFound, Locked (issued;
    the expense held elsewhere), InvalidValue (another client's, not billable, billed in another currency)."""
    from vakit.services.documents import get_by_id
    from vakit.services.expenses import expense_line, get_expense, hold

    with ctx.ledger.write() as conn:
        inv = _draft(ctx, ref)
        e = get_expense(ctx, expense_id)
        if e.invoice_id is not None:
            raise Locked(f"expense {e.id} is billed on {e.invoice_number or f'draft #{e.invoice_id}'} already")
        if e.client_id != inv.client_id or not e.billable or e.bill_currency != inv.currency:
            why = ("is another client's" if e.client_id != inv.client_id else "is not billable" if not e.billable
                   else f"is billed in {e.bill_currency}, the draft in {inv.currency}")
            raise InvalidValue(f"expense {e.id} {why}, so it cannot go on draft #{inv.id}")
        if e.spent_on > inv.period_end:
            raise InvalidValue(f"expense {e.id} is dated {e.spent_on}, after draft #{inv.id}'s period (to "
                               f"{inv.period_end})", "it goes on the invoice of the month it was spent in")
        line = expense_line(e, inv.locale, bool(inv.taxes))
        _store(ctx, conn, totals(replace(inv, lines=(*inv.lines, line))))
        hold(conn, inv.id, [line])
    return get_by_id(ctx, inv.id)


@writes
def remove_line(ctx: Context, ref: str, number: int) -> tuple[Invoice, InvoiceLine, bool]:
    """Remove line ``number`` (1-based) of draft ``ref``, a line added by hand, a line discount, or an expense's
    (which then waits for the next invoice; a line billing time goes with the draft: delete it to bill the time
    again), with the discount of the line if it has one, and compute its totals again. Returns the draft, the
    line and whether its discount went with it. Raises NotFound, Locked, InvalidValue."""
    from vakit.services.documents import get_by_id

    with ctx.ledger.write() as conn:
        inv = _draft(ctx, ref)
        if not 1 <= number <= len(inv.lines):
            raise InvalidValue(f"draft #{inv.id} has lines 1 to {len(inv.lines)}; there is no line {number}")
        gone = inv.lines[number - 1]
        if not gone.manual and gone.expense_id is None and not gone.line_discount:
            raise InvalidValue(f"line {number} of draft #{inv.id} bills its time, not a line added by hand",
                               f"to bill the time differently, delete the draft: vakit invoice delete '#{inv.id}'")
        drop = {number, number + 1} if number < len(inv.lines) and inv.lines[number].line_discount else {number}
        updated = totals(replace(inv, lines=tuple(li for i, li in enumerate(inv.lines, 1) if i not in drop)))
        _store(ctx, conn, updated)
        if gone.expense_id is not None:
            conn.execute("UPDATE expenses SET invoice_id = NULL WHERE id = ? AND invoice_id = ?",
                         (gone.expense_id, inv.id))
    return get_by_id(ctx, inv.id), gone, len(drop) == 2


@writes
def discount_line(ctx: Context, ref: str, number: int, discount: str, reason: str = "") -> Invoice:
    """Discount line ``number`` (1-based) of draft ``ref`` by ``discount`` (``"10%"`` of its amount, half-up, or
    an amount in the draft's currency): a line of its own right after it, ``"Discount 10%: Posts scheduled"``
    1 × the negative amount, so printed quantity × price = amount holds (C-15), taxed as the line it discounts,
    before the invoice's taxes (C-18). Removing the line removes its discount too. Raises NotFound, Locked,
    InvalidValue (no such line, a line of nothing, a discount line, one already discounted, more than the
    line)."""
    from vakit.services.documents import get_by_id
    from vakit.services.receivables import parse_amount

    with ctx.ledger.write() as conn:
        inv = _draft(ctx, ref)
        cur, loc = inv.currency, inv.locale
        if not 1 <= number <= len(inv.lines):
            raise InvalidValue(f"draft #{inv.id} has lines 1 to {len(inv.lines)}; there is no line {number}")
        target = inv.lines[number - 1]
        if target.line_discount:
            raise InvalidValue(f"line {number} of draft #{inv.id} is a discount itself")
        if number < len(inv.lines) and inv.lines[number].line_discount:
            raise InvalidValue(f"line {number} of draft #{inv.id} has a discount already (line {number + 1})",
                               f"remove it first: vakit invoice line rm '#{inv.id}' {number + 1}")
        if target.amount_minor <= 0:
            raise InvalidValue(f"line {number} of draft #{inv.id} bills {format_money(target.amount_minor, cur, loc)}"
                               ", nothing to discount")
        text = discount.strip()
        if text.endswith("%"):
            percent = parse_decimal(text[:-1].strip(), "discount percentage")
            if not 0 < percent <= 100:
                raise InvalidValue(f"a discount of {text} is out of range", "give a percentage above 0 and at most 100")
            minor = to_minor(from_minor(target.amount_minor, cur) * percent / Decimal(100), cur)
            label = f"Discount {percent.normalize():f}%"
        else:
            minor = parse_amount(text, None, cur, what="a discount")
            label = "Discount"
        if minor <= 0 or minor > target.amount_minor:
            raise InvalidValue(f"a discount of {format_money(minor, cur, loc)} on line {number}, which bills "
                               f"{format_money(target.amount_minor, cur, loc)}, cannot be given",
                               "give more than nothing and at most the line's amount")
        why = clean_text(reason, "reason").strip()
        text = f"{label}: {target.description}" + (f" ({why})" if why else "")
        line = InvoiceLine(text, Decimal(1), "item", -from_minor(minor, cur), -minor, manual=True,
                           untaxed=target.untaxed, line_discount=True)
        lines = (*inv.lines[:number], line, *inv.lines[number:])
        _store(ctx, conn, totals(replace(inv, lines=lines)))
    return get_by_id(ctx, inv.id)
