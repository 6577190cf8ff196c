"""``vakit invoice line add|rm``: lines typed onto a draft by hand (:mod:`vakit.services.draft_lines`)."""

from __future__ import annotations

import typer

from vakit.cli.common import MAX_ID, console, context
from vakit.cli.helptext import examples
from vakit.cli.invoice import DRAFT_HELP, app

line_app = typer.Typer(no_args_is_help=True,
                       help="Lines on a draft beside its time: items by the piece, one-off charges, expenses.")
app.add_typer(line_app, name="line")


@line_app.command("add", epilog=examples(
    "vakit invoice line add '#1' 'Posts scheduled' --qty 12 --price 8.00 --unit post",
    "vakit invoice line add '#1' 'Rush fee' --qty 1 --price 50.00"))
def add(invoice: str = typer.Argument(..., help=DRAFT_HELP),
        description: str = typer.Argument(..., help="What the line bills, e.g. 'Posts scheduled'."),
        qty: str = typer.Option(..., "--qty", help="Quantity, more than 0 (at most 4 decimals), e.g. 12."),
        price: str = typer.Option(..., "--price", help="Unit price in the draft's currency, e.g. 8.00; negative "
                                  "for a credit on the invoice."),
        unit: str = typer.Option("item", "--unit", help="What is counted, e.g. post, page, call."),
        untaxed: str = typer.Option(None, "--untaxed", help="Bill it without the draft's taxes, and why (e.g. "
                                    "'exempt: …').")) -> None:
    """Add a line to a draft: quantity × unit price (the draft's taxes, discount and total follow)."""
    from vakit.services.draft_lines import add_line

    _show(add_line(context(), invoice, description, qty, price, unit, untaxed))


@line_app.command("expense", epilog=examples("vakit invoice line expense '#1' 3"))
def expense(invoice: str = typer.Argument(..., help=DRAFT_HELP),
            number: int = typer.Argument(..., min=1, max=MAX_ID, help="The expense (see vakit expense list).")
            ) -> None:
    """Put a waiting expense on a draft as a line of its own (one taken off with line rm, or added later)."""
    from vakit.services.draft_lines import add_expense_line

    _show(add_expense_line(context(), invoice, number))


@line_app.command("discount", epilog=examples("vakit invoice line discount '#1' 2 10% --reason 'First month'",
                                               "vakit invoice line discount '#1' 1 20.00"))
def discount(invoice: str = typer.Argument(..., help=DRAFT_HELP),
             number: int = typer.Argument(..., min=1, max=MAX_ID, help="The line to discount, 1 for the first."),
             amount: str = typer.Argument(..., help="10% of the line's amount, or an amount such as 20.00."),
             reason: str = typer.Option("", "--reason", help="Printed on the discount's line.")) -> None:
    """Discount one line of a draft: a line of its own under it, before tax (line rm of the line removes both)."""
    from vakit.services.draft_lines import discount_line

    inv = discount_line(context(), invoice, number, amount, reason)
    out = console()
    from vakit.cli.render_invoices import invoice_table

    out.print(invoice_table(inv))
    out.print(f"Added line {number + 1} to draft #{inv.id}: the discount of line {number}", markup=False)


def _show(inv) -> None:
    from vakit.cli.render_invoices import invoice_table

    out = console()
    out.print(invoice_table(inv))
    out.print(f"Added line {len(inv.lines)} to draft #{inv.id}", markup=False)


@line_app.command("rm", epilog=examples("vakit invoice line rm '#1' 2"))
def rm(invoice: str = typer.Argument(..., help=DRAFT_HELP),
       number: int = typer.Argument(..., min=1, max=MAX_ID, help="The line's number, 1 for the first.")) -> None:
    """Remove a line added by hand, a line discount or an expense from a draft.

    The draft's taxes, discount and total follow; a line's own discount goes with it; an expense waits for the
    next invoice."""
    from vakit.cli.render_invoices import invoice_table
    from vakit.core.text import one_line
    from vakit.services.draft_lines import remove_line

    inv, gone, with_discount = remove_line(context(), invoice, number)
    out = console()
    out.print(invoice_table(inv))
    also = f" and its discount (line {number + 1})" if with_discount else ""
    out.print(one_line(f"Removed line {number} ({gone.description}){also} from draft #{inv.id}"))
