"""Credit notes: the way an issued invoice is corrected (design.md §5; EU VAT Directive Art. 219 treats a
document amending an invoice as an invoice; India CGST Act s. 34 and rule 53: a credit note in its own
consecutive series, referring to the invoice's number and date).

A credit note copies the invoice's parties, currency, legends and tax rates, carries its own number from
the credit-note series (``vakit invoice numbering``), and lowers the invoice's balance by its total. It is
whole (every line and tax of the invoice, exactly), by lines, or an amount the balance falls by.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from vakit.core.errors import InvalidValue
from vakit.core.invoices import RENDERER, Invoice, InvoiceLine, TaxLine
from vakit.core.money import format_money, from_minor, to_minor
from vakit.core.text import clean_text
from vakit.services.context import Context
from vakit.services.documents import get_document
from vakit.services.invoice_math import grand_total, tax_lines, taxed_base
from vakit.services.issuing import IssuePlan, issue_document, plan_number
from vakit.services.numbering import credit_pattern
from vakit.services.receivables import issued_invoice, parse_amount, refuse_if_supplemented, release_time
from vakit.store.invoice_codecs import invoice_document_json


def _taxes(inv: Invoice, base_minor: int) -> tuple[TaxLine, ...]:
    return tax_lines(inv.taxes, base_minor, inv.currency, inv.tax_inclusive)


def net_for_total(inv: Invoice, total_minor: int) -> int:
    """The amount before tax whose total with the invoice's taxes (each rounded half-up) is exactly
    ``total_minor``. Raises InvalidValue naming the nearest totals that can be credited when none is exact
    (two 9 % taxes each rounded can skip a cent)."""

    def total(net: int) -> int:
        return net + sum(t.amount_minor for t in _taxes(inv, net))

    rate = sum((t.percent for t in inv.taxes), Decimal(0)) / Decimal(100)
    guess = int((Decimal(total_minor) / (1 + rate)).to_integral_value(rounding=ROUND_HALF_UP))
    for d in (0, -1, 1, -2, 2, -3, 3):
        if guess + d > 0 and total(guess + d) == total_minor:
            return guess + d
    below = max(total(n) for n in range(guess - 3, guess + 4) if total(n) < total_minor)
    above = min(total(n) for n in range(guess - 3, guess + 4) if total(n) > total_minor)
    cur, loc = inv.currency, inv.locale
    raise InvalidValue(f"{format_money(total_minor, cur, loc)} cannot be credited exactly at the invoice's tax "
                       f"rates; the nearest amounts are {format_money(below, cur, loc)} and "
                       f"{format_money(above, cur, loc)}")


@dataclass(frozen=True)
class _Remaining:
    """What of an invoice is not credited yet: the taxed amount before tax (net of the discount; with
    tax-inclusive prices, the taxed amount the taxes are part of), the untaxed lines' amount (expenses passed on
    without tax), and each tax line (minor units)."""

    net: int
    untaxed: int
    taxes: tuple[TaxLine, ...]
    credited_before: bool
    inclusive: bool = False  # ``net`` includes the taxes (tax-inclusive prices)
    credited_lines: frozenset[int] = frozenset()  # the invoice's lines credited one by one already

    @property
    def total(self) -> int:
        return self.net + self.untaxed + (0 if self.inclusive else sum(t.amount_minor for t in self.taxes))


def _untaxed(lines) -> int:
    return sum(li.amount_minor for li in lines if li.untaxed)


def _remaining(ctx: Context, inv: Invoice) -> _Remaining:
    """The invoice's taxed amount before tax (net of its discount), untaxed amount and taxes minus those of the
    credit notes against it, tax by tax."""
    from vakit.services.documents import get_by_id

    net = taxed_base(inv.lines) - inv.discount_minor
    untaxed = _untaxed(inv.lines)
    taxes = [t.amount_minor for t in inv.taxes]
    ids = [r[0] for r in ctx.ledger.conn.execute("SELECT id FROM invoices WHERE kind = 'credit_note' AND refers_to"
                                                 " = ?", (inv.id,))]
    credited: set[int] = set()
    for cid in ids:
        note = get_by_id(ctx, cid)
        net -= taxed_base(note.lines) - note.discount_minor
        untaxed -= _untaxed(note.lines)
        for i, t in enumerate(note.taxes):
            taxes[i] -= t.amount_minor
        credited.update(li.credits for li in note.lines if li.credits is not None)
    base = net - sum(taxes) if inv.tax_inclusive else net
    return _Remaining(net, untaxed, tuple(TaxLine(t.name, t.percent, base, left) for t, left in zip(inv.taxes, taxes)),
                      bool(ids), inv.tax_inclusive, frozenset(credited))


def _refuse_more_than_left(inv: Invoice, rest: _Remaining, net: int, untaxed: int, taxes, what: str) -> None:
    """Refuse a credit of ``what`` that would take more of the taxed amount, of the untaxed lines or of any tax
    than is left of the invoice (rounding of earlier credits can leave a tax a cent short)."""
    over = net > rest.net or untaxed > rest.untaxed or any(
        t.amount_minor > left.amount_minor for t, left in zip(taxes, rest.taxes))
    if over:
        raise InvalidValue(f"{what} would take more of invoice {inv.number}'s amount or tax than earlier credit notes "
                           "left of it", "credit all that remains (no --amount, no --lines), or less")


def line_discount_share(inv: Invoice, taxed_minor: int) -> int:
    """The part of ``inv``'s invoice discount that falls on taxed lines of ``taxed_minor``, minor units: a
    percentage taken from them (half-up), or an amount in proportion to the taxed lines (half-up)."""
    if not inv.discount_minor or not taxed_minor:
        return 0
    if inv.discount_percent is not None:
        return to_minor(from_minor(taxed_minor, inv.currency) * inv.discount_percent / Decimal(100), inv.currency)
    whole = taxed_base(inv.lines)
    return int((Decimal(inv.discount_minor) * taxed_minor / whole).to_integral_value(rounding=ROUND_HALF_UP))


def _credit_lines(inv: Invoice, rest: _Remaining, amount_minor: int | None, lines: list[int] | None, reason: str
                  ) -> tuple[tuple[InvoiceLine, ...], tuple[TaxLine, ...], int]:
    """The credit note's lines, taxes and discount. A credit that takes all that remains reverses exactly what
    remains of the taxed amount, of each tax and of the untaxed lines, so an invoice can always be credited to
    zero. The invoice's own lines (a whole credit note) carry its discount; lines credited one by one carry their
    share of it (:func:`line_discount_share`). An amount cannot be split between taxed and untaxed lines, so an
    invoice with untaxed lines left is credited by lines or in full."""
    cur = inv.currency
    if lines:
        bad = [n for n in lines if not 1 <= n <= len(inv.lines)]
        if bad:
            raise InvalidValue(f"invoice {inv.number} has lines 1 to {len(inv.lines)}; there is no line {bad[0]}")
        loose = [n for n in set(lines) if n < len(inv.lines) and inv.lines[n].line_discount and n + 1 not in lines]
        loose += [n - 1 for n in set(lines) if inv.lines[n - 1].line_discount and n - 1 not in lines]
        if loose:
            raise InvalidValue(f"line {loose[0]} of invoice {inv.number} has a discount (line {loose[0] + 1}), "
                               "so they are credited together", f"--lines {loose[0]},{loose[0] + 1}")
        again = sorted(set(lines) & rest.credited_lines)
        if again:
            raise InvalidValue(f"line {again[0]} of invoice {inv.number} is credited already")
        numbers = sorted(set(lines))
        chosen = tuple(replace(inv.lines[n - 1], credits=n) for n in numbers)
        net = sum(li.amount_minor for li in chosen)
        if net <= 0:
            many = len(numbers) > 1
            raise InvalidValue(f"line{'s' * many} {', '.join(map(str, numbers))} of invoice {inv.number} "
                               f"add{'' if many else 's'} up "
                               "to nothing to credit", "choose lines with a positive amount, or give --amount")
        share = line_discount_share(inv, taxed_base(chosen))
        base = taxed_base(chosen) - share
        taxes = rest.taxes if base == rest.net else _taxes(inv, base)
        _refuse_more_than_left(inv, rest, base, _untaxed(chosen), taxes, f"crediting line{'s' * (len(numbers) > 1)} "
                               f"{', '.join(map(str, numbers))}")
        return chosen, taxes, share
    if amount_minor is None and not rest.credited_before:
        return inv.lines, inv.taxes, inv.discount_minor
    what = reason or "adjustment"
    if amount_minor is None or amount_minor == rest.total:
        label = f"Credit of the rest of {inv.number}" + (f": {reason}" if reason else "")
        out = [InvoiceLine(label, Decimal(1), "item", from_minor(rest.net, cur), rest.net)] if rest.net else []
        if rest.untaxed:
            why = "; ".join(dict.fromkeys(li.untaxed for li in inv.lines if li.untaxed))
            out.append(InvoiceLine(f"{label} (untaxed lines)", Decimal(1), "item", from_minor(rest.untaxed, cur),
                                   rest.untaxed, untaxed=why))
        return tuple(out), rest.taxes, 0
    if rest.untaxed and not rest.net and not any(t.amount_minor for t in rest.taxes):  # only untaxed lines left
        why = "; ".join(dict.fromkeys(li.untaxed for li in inv.lines if li.untaxed))
        line = InvoiceLine(f"Credit: {what}", Decimal(1), "item", from_minor(amount_minor, cur), amount_minor,
                           untaxed=why)
        return (line,), tuple(replace(t, base_minor=0, amount_minor=0) for t in inv.taxes), 0
    if rest.untaxed:
        raise InvalidValue(f"invoice {inv.number} bills untaxed lines beside taxed ones, so an amount cannot be "
                           "split between them", "credit its lines (--lines N) or all that remains (no --amount)")
    net = amount_minor if inv.tax_inclusive else net_for_total(inv, amount_minor)  # inclusive: the tax is inside
    taxes = _taxes(inv, net)
    if amount_minor <= rest.total:  # (a larger one is refused by the totals, in words about the balance)
        _refuse_more_than_left(inv, rest, net, 0, taxes, f"a credit of {format_money(amount_minor, cur, inv.locale)}")
    return (InvoiceLine(f"Credit: {what}", Decimal(1), "item", from_minor(net, cur), net),), taxes, 0


def issue_credit_note(ctx: Context, ref: str, *, amount: str | None = None, lines: list[int] | None = None,
                      reason: str = "", rebill: bool = False, on: str | None = None, as_credit: bool = False,
                      check: Callable[[Invoice], None] | None = None) -> tuple[Invoice, bytes]:
    """Issue a credit note against issued invoice ``ref``: whole (no ``amount``/``lines``: all that is not
    credited yet), the invoice lines numbered ``lines`` (1-based), or ``amount`` (the sum the balance falls by,
    taxes included). Its total may not exceed what is not credited yet, nor the balance still owed unless
    ``as_credit``: then what was paid beyond the corrected total is held as the client's credit. ``rebill``
    (whole credit only) also lets the invoice's time go back to unbilled, to be invoiced again correctly.
    ``check(planned)`` runs before anything is stored. Returns the credit note and its PDF. Raises NotFound,
    Locked (draft, void, a credit note), InvalidValue (amount, lines, more than the balance, dates), Conflict
    (a supplementary invoice still bills on the invoice's month)."""
    if amount is not None and lines:
        raise InvalidValue("give either --amount or --lines, not both")
    if rebill and (amount is not None or lines):
        raise InvalidValue("--rebill goes with a whole credit note (no --amount or --lines)")
    reason = clean_text(reason, "reason")

    def plan() -> IssuePlan:
        st = issued_invoice(ctx, ref, "credited")
        inv = st.invoice
        cur, loc = inv.currency, inv.locale
        rest = _remaining(ctx, inv)
        if rest.total <= 0:
            raise InvalidValue(f"invoice {inv.number} is credited in full already")
        minor = parse_amount(amount, None, cur, what="a credit") if amount is not None else None
        if rebill:
            refuse_if_supplemented(ctx, inv)
            from vakit.services.draft_rows import refuse_if_carried_on

            refuse_if_carried_on(ctx.ledger.conn, inv, "released")
        credit_lines, taxes, discount = _credit_lines(inv, rest, minor, lines, reason)
        subtotal = sum(li.amount_minor for li in credit_lines)
        total = grand_total(subtotal, discount, taxes, inv.tax_inclusive)
        if total > st.balance_minor and not as_credit:
            raise InvalidValue(f"a credit of {format_money(total, cur, loc)} is more than invoice {inv.number}'s "
                               f"balance of {format_money(st.balance_minor, cur, loc)}",
                               "a credit note lowers the balance to zero; with --as-credit what was paid beyond "
                               "the corrected total is held as the client's credit")
        if total > rest.total:
            raise InvalidValue(f"a credit of {format_money(total, cur, loc)} is more than the "
                               f"{format_money(rest.total, cur, loc)} of invoice {inv.number} not credited yet")
        note = replace(inv, id=0, status="draft", number=None, kind="credit_note", refers_to=inv.id, renderer=RENDERER,
                       refers_number=inv.number, refers_date=inv.issue_date, reason=reason, lines=credit_lines,
                       taxes=taxes, subtotal_minor=subtotal, total_minor=total, timesheet=(), terms_days=0,
                       discount_minor=discount, discount_label=inv.discount_label if discount else "",
                       discount_percent=inv.discount_percent if discount else None,
                       pdf_sha256=None, note="")
        return plan_number(ctx, note, credit_pattern(ctx.ledger.conn), on, not_before=inv.issue_date,
                           not_before_what=f"invoice {inv.number} was issued")

    def store(conn, p: IssuePlan, pdf_sha: str | None) -> int:
        doc = p.invoice
        doc_id = conn.execute(
            "INSERT INTO invoices (status, kind, refers_to, number, series, seq, client_id, contract_id, currency,"
            " period_start, period_end, issue_date, due_date, subtotal_minor, tax_minor, total_minor, document,"
            " pdf_sha256, created_utc, issued_utc) VALUES ('issued', 'credit_note', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " NULL, ?, ?, ?, ?, ?, ?, ?)",
            (doc.refers_to, doc.number, p.series, p.seq, doc.client_id, doc.contract_id, doc.currency,
             doc.period_start.isoformat(), doc.period_end.isoformat(), doc.issue_date.isoformat(),
             doc.subtotal_minor, doc.tax_minor, doc.total_minor, invoice_document_json(doc), pdf_sha,
             ctx.clock.now_utc(), ctx.clock.now_utc())).lastrowid
        if rebill:
            release_time(ctx, get_document(ctx, f"#{doc.refers_to}"), "released", reason or f"credited by "
                         f"{doc.number}", doc.issue_date)
        return doc_id

    return issue_document(ctx, plan, store, check)
