"""``vakit expense`` — money spent for a client, billed on their next invoice (:mod:`vakit.services.expenses`)."""

from __future__ import annotations

from datetime import date

import typer

from vakit.cli.common import console, context
from vakit.cli.helptext import CLIENT, DATES, JSON, examples
from vakit.cli.render import emit_json
from vakit.core.expenses import Expense

app = typer.Typer(no_args_is_help=True)

CURRENCY_HELP = "ISO 4217 code of what you paid (default: the currency it is billed in)."
BILL_IN_HELP = ("Currency to bill it in (default: that of the client's latest contract); another one than you paid "
                "in needs --rate.")
AMOUNT_HELP = "What you paid, money in the currency you paid in, e.g. 42.50."
RATE_HELP = "Exchange rate: units of the bill currency per 1 unit paid (e.g. 0.9213), from your bank statement."
MARKUP_HELP = "Percentage added on top of the cost, e.g. 10%."
UNTAXED_HELP = "Bill it without the invoice's taxes, and why (e.g. 'disbursement')."
RECEIPT_HELP = "The receipt: a PDF, PNG or JPEG file (invoice pdf --attach-receipts appends it)."


def _day(text: str) -> date:
    from vakit.core.timeparse import parse_date
    from vakit.services.contract_terms import today_in

    ctx = context()
    return parse_date(text, today=today_in(ctx, ctx.profile().home_tz))


def expense_json(e: Expense) -> dict:
    """An expense as JSON: money as decimal text with minor units, the billed amount in the bill currency."""
    from vakit.core.money import from_minor

    return {"id": e.id, "client": e.client_name, "date": e.spent_on.isoformat(), "description": e.description,
            "amount": str(from_minor(e.amount_minor, e.currency)), "amount_minor": e.amount_minor,
            "currency": e.currency, "bill_currency": e.bill_currency,
            "rate": f"{e.rate.normalize():f}" if e.rate is not None else None,
            "markup_percent": f"{e.markup.normalize():f}" if e.markup is not None else None,
            "billed": str(from_minor(e.billed_minor(), e.bill_currency)), "billed_minor": e.billed_minor(),
            "untaxed": e.untaxed or None, "receipt": e.receipt or None, "billable": e.billable,
            "invoice": e.invoice_number or (f"#{e.invoice_id}" if e.invoice_id is not None else None)}


def _said(e: Expense) -> str:
    from vakit.core.money import format_money

    paid = format_money(e.amount_minor, e.currency, "en")
    billed = format_money(e.billed_minor(), e.bill_currency, "en")
    how = "not billable" if not e.billable else f"bills {billed}" if billed != paid else "billed at cost"
    how += f", no tax: {e.untaxed}" if e.untaxed else ""
    return f"expense {e.id}: {e.client_name}, {e.spent_on}, {e.description}: {paid} ({how})"


def _warn_waiting(e: Expense) -> None:
    from vakit.cli.common import err_console
    from vakit.core.text import one_line
    from vakit.services.expenses import waits_without_contract

    if waits_without_contract(context(), e):
        err_console().print(one_line(f"vakit: warning: no contract of {e.client_name} bills in {e.bill_currency}, so "
                                     "this expense waits until one does (or give --bill-in and --rate)"),
                            markup=False, soft_wrap=True)


@app.command("add", epilog=examples(
    'vakit expense add "Courier to client" --client Northwind --amount 18.40',
    'vakit expense add "Train to workshop" -c Northwind -a 120.00 --currency EUR --rate 1.0850 '
    '--receipt ~/receipts/train.pdf'))
def add(
    description: str = typer.Argument(..., help="What it was, as the invoice line will say it."),
    client: str = typer.Option(..., "--client", "-c", help=CLIENT),
    amount: str = typer.Option(..., "--amount", "-a", help=AMOUNT_HELP),
    on: str = typer.Option("today", "--date", "-d", help=f"Day you paid: {DATES}."),
    currency: str = typer.Option(None, "--currency", help=CURRENCY_HELP),
    bill_in: str = typer.Option(None, "--bill-in", help=BILL_IN_HELP),
    rate: str = typer.Option(None, "--rate", help=RATE_HELP),
    markup: str = typer.Option(None, "--markup", help=MARKUP_HELP),
    untaxed: str = typer.Option(None, "--untaxed", help=UNTAXED_HELP),
    receipt: str = typer.Option("", "--receipt", help=RECEIPT_HELP),
    billable: bool = typer.Option(True, "--billable/--not-billable", help="Bill it to the client (default)."),
) -> None:
    """Record an expense; a billable one goes on the client's next invoice in its currency, as a line of its own."""
    from vakit.services.expenses import add_expense

    e = add_expense(context(), client, spent_on=_day(on), amount=amount, description=description,
                    currency=currency, bill_in=bill_in, rate=rate, markup=markup, untaxed=untaxed,
                    receipt=receipt, billable=billable)
    console().print(f"Added {_said(e)}", markup=False, soft_wrap=True)
    _warn_waiting(e)


@app.command("list", epilog=examples("vakit expense list --unbilled", "vakit expense list --client Northwind --month "
                                     "2026-10 --json"))
def list_(
    client: str = typer.Option(None, "--client", "-c", help="One client's: its name, a unique prefix of it, "
                               "or #ID."),
    month: str = typer.Option(None, "--month", "-m", help="Spent in this month, YYYY-MM (e.g. 2026-10)."),
    unbilled: bool = typer.Option(False, "--unbilled", help="Only billable expenses no invoice holds yet."),
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """List expenses with what each bills and the invoice that holds it."""
    from rich.table import Table
    from rich.text import Text

    from vakit.core.money import format_money
    from vakit.core.periods import month_period
    from vakit.services.expenses import list_expenses

    ctx = context()
    first = last = None
    if month:
        period = month_period(month, ctx.profile().home_tz)
        first, last = period.first, period.last
    rows = list_expenses(ctx, client, first=first, last=last, unbilled=unbilled)
    if as_json:
        emit_json("expenses", [expense_json(e) for e in rows])
        return
    if not rows:
        console().print("No expenses." if not (client or month or unbilled) else "No expenses match.")
        return
    t = Table(title="Expenses")
    for col in ("#", "date", "client", "description", "paid", "billed", "invoice", "receipt"):
        t.add_column(col, justify="right" if col in ("#", "paid", "billed") else "left")
    for e in rows:
        billed = format_money(e.billed_minor(), e.bill_currency, "en") if e.billable else "not billable"
        t.add_row(str(e.id), str(e.spent_on), Text(e.client_name), Text(e.description + (
            f" (no tax: {e.untaxed})" if e.untaxed else "")), format_money(e.amount_minor, e.currency, "en"), billed,
            e.invoice_number or (f"draft #{e.invoice_id}" if e.invoice_id is not None else "waiting" if e.billable
                                 else ""), Text(e.receipt))
    console().print(t)


@app.command("edit", epilog=examples("vakit expense edit 3 --amount 19.80",
                                     "vakit expense edit 3 --markup '' --not-billable"))
def edit(
    expense: int = typer.Argument(..., help="Expense number (see vakit expense list)."),
    description: str = typer.Option(None, "--description", help="What it was, as the invoice line will say it."),
    client: str = typer.Option(None, "--client", "-c", help="Move it to another client: its name, a unique prefix of "
                               "it, or #ID."),
    amount: str = typer.Option(None, "--amount", "-a", help=AMOUNT_HELP),
    on: str = typer.Option(None, "--date", "-d", help=f"Day you paid: {DATES}."),
    currency: str = typer.Option(None, "--currency", help=CURRENCY_HELP),
    bill_in: str = typer.Option(None, "--bill-in", help=BILL_IN_HELP),
    rate: str = typer.Option(None, "--rate", help=RATE_HELP + " '' removes it."),
    markup: str = typer.Option(None, "--markup", help=MARKUP_HELP + " '' removes it."),
    untaxed: str = typer.Option(None, "--untaxed", help=UNTAXED_HELP + " '' taxes it again."),
    receipt: str = typer.Option(None, "--receipt", help=RECEIPT_HELP + " '' removes it."),
    billable: bool = typer.Option(None, "--billable/--not-billable", help="Bill it to the client, or not."),
) -> None:
    """Change an expense no draft or invoice holds yet."""
    from vakit.services.expenses import edit_expense

    e = edit_expense(context(), expense, description=description, client=client, amount=amount,
                     spent_on=_day(on) if on else None, currency=currency, bill_in=bill_in, rate=rate, markup=markup,
                     untaxed=untaxed, receipt=receipt, billable=billable)
    console().print(f"Changed {_said(e)}", markup=False, soft_wrap=True)
    _warn_waiting(e)


@app.command("rm", epilog=examples("vakit expense rm 3"))
def rm(expense: int = typer.Argument(..., help="Expense number (see vakit expense list).")) -> None:
    """Remove an expense no draft or invoice holds."""
    from vakit.services.expenses import remove_expense

    e = remove_expense(context(), expense)
    console().print(f"Removed {_said(e)}", markup=False, soft_wrap=True)
