"""``vakit invoice`` — create, show, issue, pdf, list, edit, delete."""

from __future__ import annotations

import typer

from vakit.cli.common import console, context, err_console, output_file, write_output
from vakit.cli.render import emit_json, invoice_json, invoice_table, invoices_table
from vakit.core.clock import fmt_hm
from vakit.core.errors import InvalidValue
from vakit.core.money import format_money
from vakit.core.text import one_line
from vakit.services import billing

app = typer.Typer(no_args_is_help=True)


@app.command("create")
def create(
    client: str = typer.Option(None, "--client", "-c"),
    all_clients: bool = typer.Option(False, "--all", help="Every client with something to bill (month end)."),
    month: str = typer.Option(..., "--month", help="YYYY-MM, in the contract's billing zone."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the draft without storing it."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Make draft invoices (one per contract in force) from the month's unbilled billable time."""
    if bool(client) == all_clients:
        raise InvalidValue("give either --client NAME or --all" if client else "give --client NAME or --all")
    skipped: list[str] = []
    if all_clients:
        invoices, skipped = billing.create_drafts_for_all(context(), month, dry_run=dry_run)
    else:
        invoices = billing.create_drafts(context(), client, month, dry_run=dry_run)
    if as_json:
        emit_json("invoices", [invoice_json(inv) for inv in invoices])
        return
    out = console()
    for inv in invoices:
        out.print(invoice_table(inv))
        billed = sum(r.billed_seconds for r in inv.timesheet)
        n = len(inv.timesheet)
        summary = f"{n} {'entry' if n == 1 else 'entries'}, {fmt_hm(billed)} h billed"
        if dry_run:
            out.print(f"Would create a draft: {summary} (nothing was stored)", markup=False)
        else:
            out.print(f"Created draft #{inv.id}: {summary}; issue it with 'vakit invoice issue {inv.id}'",
                      markup=False)
    for line in skipped:
        out.print(f"Skipped {line}", markup=False)


@app.command("show")
def show(invoice: str = typer.Argument(..., help="Number or draft id."),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """Show an invoice."""
    ctx = context()
    inv = billing.get_invoice(ctx, invoice)
    billing.verify_seal(ctx, inv)
    if as_json:
        emit_json("invoice", invoice_json(inv))
        return
    out = console()
    out.print(invoice_table(inv))
    if inv.issue_date:
        out.print(f"Issued {inv.issue_date}, due {inv.due_date} (net {inv.terms_days})")
    if inv.note:
        out.print(f"Note: {inv.note}")
    for legend in inv.legends:
        out.print(legend, markup=False)


@app.command("issue")
def issue(invoice: str = typer.Argument(..., help="Draft id."),
          on: str = typer.Option(None, "--date", help="Issue date (default: today in the billing zone).")) -> None:
    """Give a draft the next invoice number and freeze it."""
    inv = billing.issue(context(), invoice, on=on)
    console().print(f"Issued {inv.number} to {inv.customer.name}: "
                    f"{format_money(inv.total_minor, inv.currency, inv.locale)}, due {inv.due_date}", markup=False)


@app.command("pdf")
def pdf(invoice: str = typer.Argument(..., help="Number or draft id."),
        out: str = typer.Option(None, "--out", "-o", help="File or folder (default: current folder)."),
        force: bool = typer.Option(False, "--force", help="Replace an existing file (never the ledger).")) -> None:
    """Write the invoice as a PDF named after its number."""
    inv, data, same = billing.render_pdf(context(), invoice)
    target = write_output(output_file(out, billing.pdf_filename(inv)), data, force=force)
    if not same:
        err_console().print("vakit: note: this PDF differs from the one made at issue (the renderer changed); "
                            "the invoice's figures are unchanged", markup=False)
    console().print(one_line(f"Wrote {target}"))


@app.command("list")
def list_(client: str = typer.Option(None, "--client", "-c"),
          status: str = typer.Option(None, "--status", help="draft or issued."),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """List invoices."""
    invs = billing.list_invoices(context(), client, status)
    if as_json:
        emit_json("invoices", [invoice_json(i) for i in invs])
        return
    console().print(invoices_table(invs))


@app.command("edit")
def edit(invoice: str = typer.Argument(...), note: str = typer.Option(..., "--note", help="e.g. 'PO 7731'.")) -> None:
    """Set the note printed on a draft. Issued invoices cannot be edited."""
    inv = billing.edit_note(context(), invoice, note)
    console().print(f"Updated draft #{inv.id}", markup=False)


@app.command("delete")
def delete(invoice: str = typer.Argument(...)) -> None:
    """Delete a draft (its time goes back to unbilled). Issued invoices cannot be deleted."""
    inv = billing.delete_draft(context(), invoice)
    console().print(f"Deleted draft #{inv.id} for {inv.customer.name}", markup=False)
