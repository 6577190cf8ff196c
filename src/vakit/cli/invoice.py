"""``vakit invoice`` — drafts and documents: create, unbilled, show, issue, pdf, list, edit, delete, numbering.

Payments, credit notes, voids, aging, reminders and statements live in :mod:`vakit.cli.invoice_money`;
the month-end run in :mod:`vakit.cli.invoice_run`. All register on this Typer app.
"""

from __future__ import annotations

import typer

from vakit.cli.common import binary_to_stdout, console, context, err_console, output_file, to_stdout, write_output
from vakit.cli.helptext import CLIENT_REF, DATES, JSON, examples
from vakit.cli.render import emit_json, label_lines
from vakit.cli.render_invoices import (
    coded,
    invoice_json,
    invoice_rows,
    invoice_table,
    standings_table,
    unbilled_json,
    unbilled_table,
)
from vakit.core.clock import fmt_hm
from vakit.core.errors import InvalidValue
from vakit.core.text import one_line
from vakit.services import billing, documents, issuing, late_time, receivables
from vakit.services.client_lookup import find_client
from vakit.services.discounts import parse_discount
from vakit.store.config_file import output_folder

app = typer.Typer(no_args_is_help=True)

REF_HELP = ("An invoice's full number (INV/2026-27/003), or its '#ID' (a draft has only that), e.g. '#1' (quoted: # "
            "starts a shell comment).")
DRAFT_HELP = "A draft: '#ID', e.g. '#1' (quoted: # starts a shell comment)."
CLIENT_HELP = f"One client's: {CLIENT_REF}."
FX_HELP = ("GBP per unit of the invoice's currency, e.g. 0.79: a UK VAT-registered business's invoice in another "
           "currency shows its VAT in sterling at this rate (typed; vakit looks nothing up).")
DISCOUNT_HELP = ("Taken from the subtotal before tax: a percentage (10%) or an amount in the invoice's currency "
                 "(7500.00).")


@app.command("create", epilog=examples('vakit invoice create --client "Northwind Analytics" --month 2026-10',
                                       "vakit invoice create --all --month 2026-10 --dry-run"))
def create(
    client: str = typer.Option(None, "--client", "-c", help=f"The client to bill: {CLIENT_REF}."),
    all_clients: bool = typer.Option(False, "--all", help="Every client with something to bill (month end)."),
    month: str = typer.Option(..., "--month", help="The month to bill, YYYY-MM, in the contract's billing "
                       "zone."),
    include_earlier: bool = typer.Option(False, "--include-earlier",
                                         help="Also bill unbilled time from before the month, as a line of its own."),
    supplementary: bool = typer.Option(False, "--supplementary",
                                       help="For a month already invoiced: bill the time that missed the invoice."),
    detail: str = typer.Option(None, "--detail", help="Lines of this invoice (hourly): summary, per-day, "
                               "per-task or per-entry (default: the contract's)."),
    discount: str = typer.Option(None, "--discount", help=DISCOUNT_HELP),
    discount_reason: str = typer.Option("", "--discount-reason", help="Printed beside the discount."),
    fx_rate: str = typer.Option(None, "--fx-rate", help=FX_HELP),
    fx_date: str = typer.Option(None, "--fx-date", help="Date of that rate, YYYY-MM-DD (default: the period's last "
                                "day)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the draft without storing it."),
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """Make draft invoices (one per contract in force) from the month's unbilled billable time."""
    if bool(client) == all_clients:
        raise InvalidValue("give either --client NAME or --all" if client else "give --client NAME or --all")
    if supplementary and all_clients:
        raise InvalidValue("--supplementary goes with one --client")
    if (discount is not None or detail is not None or fx_rate is not None) and all_clients:
        raise InvalidValue("--discount, --detail and --fx-rate go with one --client")
    ctx = context()
    skipped: list[str] = []
    if all_clients:
        invoices, skipped = billing.create_drafts_for_all(ctx, month, dry_run=dry_run, include_earlier=include_earlier)
    else:
        invoices = billing.create_drafts(ctx, client, month, dry_run=dry_run, include_earlier=include_earlier,
                                         supplementary=supplementary,
                                         detail=detail.strip().lower() if detail else None,
                                         discount=None if discount is None else parse_discount(discount,
                                                                                               discount_reason),
                                         fx=_fx(fx_rate, fx_date))
    if as_json:
        emit_json("invoices", [invoice_json(inv) for inv in invoices])
        return
    out = console()
    for inv in invoices:
        out.print(invoice_table(inv))
        billed = sum(r.billed_seconds for r in inv.timesheet)
        n = len(inv.timesheet)
        summary = f"{n} {'entry' if n == 1 else 'entries'}, {fmt_hm(billed)} h billed"
        spent = sum(1 for li in inv.lines if li.expense_id is not None)
        summary += f", {spent} {'expense' if spent == 1 else 'expenses'}" if spent else ""
        if dry_run:
            out.print(f"Would create a draft: {summary} (nothing was stored)")
        else:
            out.print(f"Created draft #{inv.id}: {summary}; issue it with: vakit invoice issue '#{inv.id}'")
    for line in skipped:
        out.print(f"Skipped {line}")
    if not include_earlier and not supplementary:
        _note_earlier(ctx, invoices)


def _fx(rate: str | None, on: str | None):
    """``--fx-rate`` and ``--fx-date`` as ``(Decimal, date or None)``, or None without a rate."""
    if rate is None:
        if on is not None:
            raise InvalidValue("--fx-date goes with --fx-rate")
        return None
    from datetime import date

    from vakit.core.money import parse_decimal

    day = None
    if on is not None:
        try:
            day = date.fromisoformat(on.strip())
        except ValueError:
            raise InvalidValue(f"could not read the rate's date {on!r}", "YYYY-MM-DD") from None
    return parse_decimal(rate, "exchange rate"), day


def _note_earlier(ctx, invoices) -> None:
    """Say on stderr when a client just drafted has unbilled time from before the month."""
    from vakit.core.periods import local_midnight_utc

    seen: set[int] = set()
    for inv in invoices:
        if inv.client_id in seen:
            continue
        seen.add(inv.client_id)
        before = local_midnight_utc(inv.period_start, inv.billing_tz)
        total = sum(g.seconds for g in late_time.unbilled(ctx, inv.client_id, before=before))
        if total:
            err_console().print(f"vakit: note: {inv.customer.name} has {fmt_hm(total)} h of unbilled time from before "
                                f"{inv.period_start:%B %Y} (see 'vakit invoice unbilled'); --include-earlier bills it")


@app.command("unbilled", epilog=examples("vakit invoice unbilled", "vakit invoice unbilled --client Northwind --json"))
def unbilled(client: str = typer.Option(None, "--client", "-c", help=CLIENT_HELP),
             as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """List billable time on no invoice, per client, contract and month."""
    ctx = context()
    groups = late_time.unbilled(ctx, find_client(ctx, client).id if client else None)
    if as_json:
        emit_json("unbilled", unbilled_json(groups))
        return
    from vakit.services.expenses import list_expenses

    waiting = len(list_expenses(ctx, client, unbilled=True))
    also = f"{waiting} billable {'expense waits' if waiting == 1 else 'expenses wait'} for the next invoice: " \
           "vakit expense list --unbilled" if waiting else ""
    if not groups:
        console().print("No unbilled billable time." + (f" {also[0].upper()}{also[1:]}" if also else ""))
        return
    console().print(unbilled_table(groups))
    if also:
        console().print(f"Also: {also}")


@app.command("show", epilog=examples("vakit invoice show INV/2026-27/001", "vakit invoice show '#1' --json"))
def show(invoice: str = typer.Argument(..., help=REF_HELP),
         as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """Show an invoice or credit note and where it stands."""
    ctx = context()
    inv = documents.get_document(ctx, invoice)
    documents.verify_seal(ctx, inv)
    st = receivables.standing(ctx, inv)
    if as_json:
        emit_json("invoice", invoice_json(inv, st))
        return
    out = console()
    out.print(invoice_table(inv))
    for line in label_lines(invoice_rows(inv, st)):
        out.print(line, markup=False)


@app.command("issue", epilog=examples("vakit invoice issue '#1'", "vakit invoice issue '#1' --date 2026-11-02"))
def issue(invoice: str = typer.Argument(..., help=DRAFT_HELP),
          on: str = typer.Option(None, "--date", help=f"Issue date: {DATES} (default: today in your home "
                                 "zone).")) -> None:
    """Give a draft the next invoice number and freeze it."""
    inv, _pdf = issuing.issue_draft(context(), invoice, on=on)
    total = coded(inv.total_minor, inv.currency, inv.locale)
    console().print(f"Issued {inv.number} to {inv.customer.name}: {total}, due {inv.due_date} (dated {inv.issue_date})")


@app.command("pdf", epilog=examples("vakit invoice pdf INV/2026-27/001", "vakit invoice pdf '#1' -o draft.pdf"))
def pdf(invoice: str = typer.Argument(..., help=REF_HELP),
        out: str = typer.Option(None, "--out", "-o", help="File, or folder/ to write NUMBER.pdf in (default: the "
                                "current folder); - writes the PDF to standard output."),
        force: bool = typer.Option(False, "--force", help="Replace an existing file (never the ledger)."),
        attach_receipts: bool = typer.Option(False, "--attach-receipts",
                                             help="Append the receipts of the expenses it bills (PDF, PNG, JPEG).")
        ) -> None:
    """Write the invoice or credit note as a PDF named after its number."""
    ctx = context()
    inv, data, same = documents.render_pdf(ctx, invoice, attach_receipts=attach_receipts)
    if to_stdout(out):
        binary_to_stdout(data, "a PDF")
        target = None
    else:
        path = output_file(output_folder(out), documents.pdf_filename(inv, receipts=attach_receipts))
        if attach_receipts:
            documents.check_receipts_target(ctx, inv, path)
        target = write_output(path, data, force=force)
    if not same:
        err_console().print("vakit: note: this PDF differs from the one made at issue (the renderer changed); "
                            "the document's figures are unchanged")
    if target is not None:
        console().print(one_line(f"Wrote {target}"))


@app.command("list", epilog=examples("vakit invoice list", "vakit invoice list --client Northwind --status overdue"))
def list_(client: str = typer.Option(None, "--client", "-c", help=CLIENT_HELP),
          status: str = typer.Option(None, "--status", help=f"One of: {', '.join(receivables.STATUSES)}."),
          as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """List invoices and credit notes with their status and balance."""
    ctx = context()
    rows = receivables.list_standings(ctx, find_client(ctx, client).id if client else None,
                                      status.strip().lower() if status else None)
    if as_json:
        emit_json("invoices", [invoice_json(s.invoice, s) for s in rows])
        return
    if not rows:
        console().print(f"No {status.strip().lower() + ' ' if status else ''}invoices.")
        return
    console().print(standings_table(rows))


@app.command("edit", epilog=examples("vakit invoice edit '#1' --note 'PO 7731'",
                                     "vakit invoice edit '#1' --discount 10% --discount-reason 'Loyalty discount'"))
def edit(invoice: str = typer.Argument(..., help=DRAFT_HELP),
         note: str = typer.Option(None, "--note", help="Printed on the invoice, e.g. 'PO 7731'."),
         discount: str = typer.Option(None, "--discount", help=DISCOUNT_HELP + " 'none' removes it."),
         discount_reason: str = typer.Option("", "--discount-reason", help="Printed beside the discount."),
         fx_rate: str = typer.Option(None, "--fx-rate", help=FX_HELP),
         fx_date: str = typer.Option(None, "--fx-date", help="Date of that rate, YYYY-MM-DD (default: the period's "
                                     "last day).")
         ) -> None:
    """Change a draft's note, discount (taxes and total follow) or exchange rate for the VAT in sterling.

    Issued invoices cannot be edited."""
    if discount_reason and discount is None:
        raise InvalidValue("--discount-reason goes with --discount (give the discount again with its reason)")
    kwargs: dict = {"note": note, "fx": _fx(fx_rate, fx_date)}
    if discount is not None:
        kwargs["discount"] = parse_discount(discount, discount_reason)
    inv = billing.edit_draft(context(), invoice, **kwargs)
    out = console()
    out.print(invoice_table(inv))
    out.print(f"Updated draft #{inv.id}")


@app.command("delete", epilog=examples("vakit invoice delete '#1'"))
def delete(invoice: str = typer.Argument(..., help=DRAFT_HELP)) -> None:
    """Delete a draft (its time goes back to unbilled). Issued invoices cannot be deleted."""
    inv = billing.delete_draft(context(), invoice)
    console().print(f"Deleted draft #{inv.id} for {inv.customer.name}")


@app.command("numbering", epilog=examples("vakit invoice numbering",
                                          "vakit invoice numbering --credit-pattern 'CN/{fy}/{seq:03}'"))
def numbering(
    pattern: str = typer.Option(None, "--pattern", help="Invoice numbers, e.g. 'INV-{year}-{seq:04}' or "
                                "'INV/{fy}/{seq:03}' ({fy}: the Indian financial year, 2026-27)."),
    credit_pattern: str = typer.Option(None, "--credit-pattern", help="Credit notes, e.g. 'CN-{year}-{seq:04}'."),
    start_at: int = typer.Option(None, "--start-at", help="First number of the current invoice series."),
    credit_start_at: int = typer.Option(None, "--credit-start-at", help="First number of the current credit series."),
) -> None:
    """Show or set the number patterns, and where a series starts (continuing another tool's numbers)."""
    ctx = context()
    if pattern is None and credit_pattern is None and start_at is None and credit_start_at is None:
        n = issuing.numbering(ctx)
    else:
        n = issuing.set_numbering(ctx, pattern=pattern, credit=credit_pattern, start_at=start_at,
                                  credit_start_at=credit_start_at)
    out = console()
    out.print(f"Invoices:     {n.invoice_pattern}  (next today: {n.next_invoice})")
    out.print(f"Credit notes: {n.credit_pattern}  (next today: {n.next_credit})")


from vakit.cli import (  # noqa: E402,F401 - export, lines, payments, credit notes, month end
    invoice_export,
    invoice_lines,
    invoice_money,
    invoice_run,
)
