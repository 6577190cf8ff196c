"""Expenses (issue 9): ``vakit expense add/list/edit/rm``, and the lines they put on invoices.

A billable expense waits for the client's next invoice in its bill currency: ``invoice create`` puts every such
expense dated on or before the invoice's last day on the first draft it makes in that currency, one line each
(quantity 1 × the billed amount, so printed quantity × unit price = amount, C-15), and the expense then holds
the draft's id as a billed time entry does. Deleting the draft, voiding or releasing the invoice, or removing
the line (``invoice line rm``) lets it wait again. An expense on a draft or an invoice cannot be edited or
removed.

An expense in another currency than the one it is billed in needs the rate typed with it (``--rate``, units of
the bill currency per unit of the expense's): vakit never looks rates up, and refuses to guess.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from vakit.core.errors import InvalidValue, Locked, NotFound
from vakit.core.expenses import Expense, billed_amount
from vakit.core.invoices import InvoiceLine
from vakit.core.money import MAX_AMOUNT, check_currency, check_exact, format_money, from_minor, parse_decimal, to_minor
from vakit.core.text import clean_text, nonempty
from vakit.services.context import Context, writes

#: kinds of receipt file ``--attach-receipts`` can append to a PDF, by their first bytes
RECEIPT_KINDS = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}
#: the most decimals a typed exchange rate may have
RATE_PLACES = 10

_COLUMNS = ("spent_on", "description", "amount_minor", "currency", "bill_currency", "rate", "markup", "untaxed",
            "receipt", "billable")


def receipt_kind(path: str) -> str:
    """``pdf``, ``png`` or ``jpeg`` for the receipt file at ``path``, read from its first bytes. Raises
    InvalidValue for a file that is missing, unreadable or of another kind."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InvalidValue(f"cannot read the receipt {str(p)!r}: {exc.strerror or exc}") from None
    for magic, kind in RECEIPT_KINDS.items():
        if head.startswith(magic):
            return kind
    raise InvalidValue(f"the receipt {str(p)!r} is not a PDF, PNG or JPEG file",
                       "scan or save it as one of those; vakit appends them to the invoice PDF")


def _rate(text: str) -> Decimal:
    rate = parse_decimal(text, "exchange rate")
    if rate <= 0 or -rate.as_tuple().exponent > RATE_PLACES:  # type: ignore[operator]
        raise InvalidValue(f"an exchange rate of {text} cannot be used",
                           f"give more than 0, with at most {RATE_PLACES} decimals")
    return rate


def _markup(text: str) -> Decimal | None:
    value = parse_decimal(text.strip().removesuffix("%"), "markup")
    if value > 1000:
        raise InvalidValue(f"a markup of {text} is more than 1000%")
    return value or None


def _amount(text: str, currency: str) -> int:
    value = check_exact(parse_decimal(text, "amount"), currency)
    if value <= 0:
        raise InvalidValue(f"an expense of {text} {currency} cannot be recorded", "give an amount above 0")
    return to_minor(value, currency)


def _check(values: dict) -> dict:
    """Refuse an expense whose currencies and rate do not fit, or whose billed amount is out of range."""
    cur, bill, rate = values["currency"], values["bill_currency"], values["rate"]
    if cur != bill and rate is None:
        raise InvalidValue(f"an expense in {cur} billed in {bill} needs the exchange rate",
                           f"add --rate R: {bill} per 1 {cur} on the day you paid; vakit looks no rates up")
    if cur == bill and rate is not None:
        raise InvalidValue(f"--rate converts an expense into another currency; this one is in {bill} and billed "
                           f"in {bill}", "leave --rate out, or bill it in another currency with --bill-in")
    billed = billed_amount(values["amount_minor"], cur, bill, rate, values["markup"])
    if billed <= 0 or from_minor(billed, bill) >= MAX_AMOUNT:
        raise InvalidValue(f"this expense would bill {format_money(billed, bill, 'en')}, which cannot be billed")
    return values


def _row(values: dict) -> tuple:
    return tuple(str(values[k]) if isinstance(values[k], Decimal) else
                 values[k].isoformat() if isinstance(values[k], date) else values[k] for k in _COLUMNS)


@writes
def add_expense(ctx: Context, client_ref: str, *, spent_on: date, amount: str, description: str,
                currency: str | None = None, bill_in: str | None = None, rate: str | None = None,
                markup: str | None = None, untaxed: str | None = None, receipt: str = "", billable: bool = True
                ) -> Expense:
    """Record an expense of the client: ``amount`` (text, exact in ``currency``, above 0) spent on ``spent_on``
    (a local date), in ``currency`` (default: the bill currency), billed in ``bill_in`` (default:
    :func:`bill_currency_of` the client) at ``rate`` (bill currency per unit, required exactly when the currencies
    differ) with ``markup`` percent on top; ``untaxed`` is the reason its line carries no tax; ``receipt`` a PDF,
    PNG or JPEG file kept by its absolute path. Raises NotFound (client), InvalidValue (amount, currency, rate,
    receipt, a blank reason)."""
    from vakit.services.client_lookup import find_client
    from vakit.services.draft_lines import untaxed_reason

    client = find_client(ctx, client_ref)
    bill = check_currency(bill_in or bill_currency_of(ctx, client.id, client.currency))
    cur = check_currency(currency or bill)
    values = dict(spent_on=spent_on, description=nonempty(description, "description", label="expense description"),
                  amount_minor=_amount(amount, cur), currency=cur, bill_currency=bill,
                  rate=_rate(rate) if rate is not None else None, markup=_markup(markup) if markup else None,
                  untaxed=untaxed_reason(untaxed), receipt=_receipt(receipt), billable=int(billable))
    _check(values)
    marks = ", ".join("?" * len(_COLUMNS))
    new = ctx.ledger.conn.execute(f"INSERT INTO expenses (client_id, {', '.join(_COLUMNS)}, created_utc) VALUES"
                                  f" (?, {marks}, ?)", (client.id, *_row(values), ctx.clock.now_utc()))
    return get_expense(ctx, new.lastrowid)


def bill_currency_of(ctx: Context, client_id: int, fallback: str) -> str:
    """The currency a client's expenses are billed in by default: that of its contract that started last (its
    invoices are in it), else ``fallback`` (the client's currency)."""
    row = ctx.ledger.conn.execute("SELECT currency FROM contracts WHERE client_id = ? ORDER BY start_date DESC, id"
                                  " DESC LIMIT 1", (client_id,)).fetchone()
    return row[0] if row else fallback


def waits_without_contract(ctx: Context, e: Expense) -> bool:
    """Whether billable expense ``e`` has no contract of its client in its bill currency to be invoiced on (it
    would wait until one is added)."""
    if not e.billable or e.invoice_id is not None:
        return False
    row = ctx.ledger.conn.execute("SELECT 1 FROM contracts WHERE client_id = ? AND currency = ? AND (end_date IS NULL"
                                  " OR end_date >= ?)", (e.client_id, e.bill_currency, e.spent_on.isoformat()))
    return row.fetchone() is None


def _receipt(path: str) -> str:
    if not path:
        return ""
    receipt_kind(path)
    return str(Path(path).expanduser().resolve())


def _from_row(r) -> Expense:
    return Expense(
        id=r["id"], client_id=r["client_id"], client_name=r["name"], spent_on=date.fromisoformat(r["spent_on"]),
        description=r["description"], amount_minor=r["amount_minor"], currency=r["currency"],
        bill_currency=r["bill_currency"], rate=Decimal(r["rate"]) if r["rate"] is not None else None,
        markup=Decimal(r["markup"]) if r["markup"] is not None else None, untaxed=r["untaxed"],
        receipt=r["receipt"], billable=bool(r["billable"]), invoice_id=r["invoice_id"],
        invoice_number=r["number"] if r["invoice_id"] is not None else None)


_SELECT = ("SELECT e.*, c.name, i.number FROM expenses e JOIN clients c ON c.id = e.client_id"
           " LEFT JOIN invoices i ON i.id = e.invoice_id")


def get_expense(ctx: Context, expense_id: int) -> Expense:
    """Expense ``expense_id``. Raises NotFound."""
    row = ctx.ledger.conn.execute(f"{_SELECT} WHERE e.id = ?", (expense_id,)).fetchone()
    if row is None:
        raise NotFound(f"no expense {expense_id}", "see 'vakit expense list'")
    return _from_row(row)


def list_expenses(ctx: Context, client_ref: str | None = None, *, first: date | None = None,
                  last: date | None = None, unbilled: bool = False) -> list[Expense]:
    """Expenses by date then id: one client's or all, spent from ``first`` to ``last`` (inclusive local dates),
    with ``unbilled`` only billable ones no draft or invoice holds. Raises NotFound (client)."""
    from vakit.services.client_lookup import find_client

    sql, args = f"{_SELECT} WHERE 1", []
    if client_ref is not None:
        sql, args = sql + " AND e.client_id = ?", [find_client(ctx, client_ref).id]
    if first is not None:
        sql, args = sql + " AND e.spent_on >= ?", [*args, first.isoformat()]
    if last is not None:
        sql, args = sql + " AND e.spent_on <= ?", [*args, last.isoformat()]
    if unbilled:
        sql += " AND e.billable = 1 AND e.invoice_id IS NULL"
    return [_from_row(r) for r in ctx.ledger.conn.execute(sql + " ORDER BY e.spent_on, e.id", args)]


def _unheld(ctx: Context, expense_id: int, doing: str) -> Expense:
    e = get_expense(ctx, expense_id)
    if e.invoice_id is not None:
        held = f"invoice {e.invoice_number}" if e.invoice_number else f"draft #{e.invoice_id}"
        raise Locked(f"expense {e.id} is billed on {held} and cannot be {doing}",
                     "an issued invoice is corrected by a credit note" if e.invoice_number else
                     f"remove its line with vakit invoice line rm '#{e.invoice_id}' N, or delete the draft")
    return e


@writes
def edit_expense(ctx: Context, expense_id: int, **changes) -> Expense:
    """Change fields of an expense no draft or invoice holds (None leaves a field; ``rate``/``markup`` "" clears
    it; ``client`` moves it to another client). Takes the fields of :func:`add_expense`. Raises NotFound,
    Locked (billed), InvalidValue."""
    from vakit.services.client_lookup import find_client

    e = _unheld(ctx, expense_id, "changed")
    ch = {k: v for k, v in changes.items() if v is not None}
    if not ch:
        raise InvalidValue("nothing to change", "give at least one option, e.g. --amount")
    client_id = find_client(ctx, ch["client"]).id if "client" in ch else e.client_id
    cur = check_currency(ch.get("currency", e.currency))
    values = dict(
        spent_on=ch.get("spent_on", e.spent_on),
        description=nonempty(ch["description"], "description", label="expense description")
        if "description" in ch else e.description,
        amount_minor=_amount(ch["amount"], cur) if "amount" in ch else e.amount_minor, currency=cur,
        bill_currency=check_currency(ch.get("bill_in", e.bill_currency)),
        rate=(_rate(ch["rate"]) if ch["rate"] else None) if "rate" in ch else e.rate,
        markup=(_markup(ch["markup"]) if ch["markup"] else None) if "markup" in ch else e.markup,
        untaxed=clean_text(ch["untaxed"], "reason").strip() if "untaxed" in ch else e.untaxed,
        receipt=_receipt(ch["receipt"]) if "receipt" in ch else e.receipt,
        billable=int(ch.get("billable", e.billable)))
    if "amount" not in ch and "currency" in ch:
        check_exact(from_minor(e.amount_minor, e.currency), cur)
        values["amount_minor"] = to_minor(from_minor(e.amount_minor, e.currency), cur)
    _check(values)
    ctx.ledger.conn.execute(f"UPDATE expenses SET client_id = ?, {', '.join(f'{k} = ?' for k in _COLUMNS)} "
                            "WHERE id = ?", (client_id, *_row(values), e.id))
    return get_expense(ctx, e.id)


@writes
def remove_expense(ctx: Context, expense_id: int) -> Expense:
    """Remove an expense no draft or invoice holds. Returns it. Raises NotFound, Locked."""
    e = _unheld(ctx, expense_id, "removed")
    ctx.ledger.conn.execute("DELETE FROM expenses WHERE id = ?", (e.id,))
    return e


def expense_line(e: Expense, locale: str, taxed: bool = True) -> InvoiceLine:
    """The invoice line of expense ``e``: ``"Train ticket (expense 2026-11-12; $120.00 at 0.9213; +10% markup)"``,
    1 × the billed amount, untaxed with its reason when it carries no tax (said on the line when the invoice
    has taxes, ``taxed``)."""
    notes = [f"expense {e.spent_on.isoformat()}"]
    if e.rate is not None:
        notes.append(f"{format_money(e.amount_minor, e.currency, locale)} at {e.rate.normalize():f}")
    if e.markup is not None:
        notes.append(f"+{e.markup.normalize():f}% markup")
    if e.untaxed and taxed:
        notes.append(f"no tax: {e.untaxed}")
    billed = e.billed_minor()
    return InvoiceLine(f"{e.description} ({'; '.join(notes)})", Decimal(1), "item", from_minor(billed, e.bill_currency),
                       billed, expense_id=e.id, untaxed=e.untaxed)


def waiting_lines(conn, client_id: int, currency: str, last: date, locale: str, taxed: bool
                  ) -> list[InvoiceLine]:
    """The lines (:func:`expense_line`) of the client's billable expenses no draft or invoice holds, billed in
    ``currency`` and spent on or before ``last``, by date."""
    rows = conn.execute(f"{_SELECT} WHERE e.client_id = ? AND e.billable = 1 AND e.invoice_id IS NULL AND"
                        " e.bill_currency = ? AND e.spent_on <= ? ORDER BY e.spent_on, e.id",
                        (client_id, currency, last.isoformat())).fetchall()
    return [expense_line(_from_row(r), locale, taxed) for r in rows]


def hold(conn, invoice_id: int, lines) -> None:
    """Mark the expenses of ``lines`` as billed on ``invoice_id``."""
    conn.executemany("UPDATE expenses SET invoice_id = ? WHERE id = ?",
                     [(invoice_id, li.expense_id) for li in lines if li.expense_id is not None])


def release(conn, invoice_id: int) -> int:
    """Let the expenses ``invoice_id`` billed wait for the next invoice again. Returns how many."""
    return conn.execute("UPDATE expenses SET invoice_id = NULL WHERE invoice_id = ?", (invoice_id,)).rowcount


def receipts_of(ctx: Context, invoice_id: int) -> list[Expense]:
    """The expenses ``invoice_id`` bills that have a receipt, by date."""
    rows = ctx.ledger.conn.execute(f"{_SELECT} WHERE e.invoice_id = ? AND e.receipt != '' ORDER BY e.spent_on, e.id",
                                   (invoice_id,)).fetchall()
    return [_from_row(r) for r in rows]

