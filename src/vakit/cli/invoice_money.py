"""``vakit invoice`` — after issue: pay, credit, void, sent, aging, remind, statement."""

from __future__ import annotations

import sys
from shlex import quote

import typer

from vakit.cli.common import (
    binary_to_stdout,
    check_output,
    check_stdout,
    console,
    context,
    err_console,
    folder_only,
    output_file,
    to_stdout,
    write_output,
)
from vakit.cli.helptext import CLIENT, DATES, JSON, examples
from vakit.cli.invoice import REF_HELP, app
from vakit.cli.render import emit_json, money_json
from vakit.cli.render_invoices import aging_json, aging_table, coded, invoice_json, statement_json, statement_table
from vakit.core.errors import InvalidValue, VakitError
from vakit.core.text import one_line
from vakit.services import accounts, documents, receivables
from vakit.services.credit_notes import issue_credit_note
from vakit.store.config_file import output_folder


@app.command("pay", epilog=examples("vakit invoice pay INV/2026-27/001 --amount 1422.50 --method 'bank transfer'",
                                    "vakit invoice pay INV/2026-27/001 --amount 500.00 --date 2026-11-05"))
def pay(invoice: str = typer.Argument(..., help=REF_HELP),
        amount: str = typer.Option(..., "--amount", help="Money in the invoice's currency, e.g. 139.83, or "
                            "'139.83 EUR'."),
        currency: str = typer.Option(None, "--currency", help="The payment's currency; must be the invoice's."),
        on: str = typer.Option(None, "--date", help=f"When it arrived: {DATES} (default: today)."),
        method: str = typer.Option("", "--method", help="How it was paid, e.g. 'bank transfer', 'PayPal'."),
        reference: str = typer.Option("", "--reference", help="The payer's or bank's reference."),
        as_credit: bool = typer.Option(False, "--as-credit", help="Hold what exceeds the balance as client credit."),
        from_credit: bool = typer.Option(False, "--from-credit", help="Pay from the client's credit."),
        as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """Record a payment (partial or full) on an issued invoice."""
    r = receivables.pay(context(), invoice, amount, currency=currency, on=on, method=method, reference=reference,
                        as_credit=as_credit, from_credit=from_credit)
    inv = r.standing.invoice
    cur, loc = inv.currency, inv.locale
    if as_json:
        emit_json("payment", {"invoice": invoice_json(inv, r.standing), "payment_id": r.payment_id,
                              "date": r.paid_date.isoformat(),
                              "applied": money_json(r.applied_minor, cur),
                              "held_as_credit": money_json(r.credit_minor, cur),
                              "client_credit": money_json(r.client_credit_minor, cur)})
        return
    out = console()
    if r.applied_minor:
        out.print(f"Recorded {coded(r.applied_minor, cur, loc)} on {inv.number} ({r.paid_date}); balance "
                  f"{coded(r.standing.balance_minor, cur, loc)}, status {r.standing.status}")
    if r.credit_minor:
        out.print(f"Held {coded(r.credit_minor, cur, loc)} as {inv.customer.name}'s credit (now "
                  f"{coded(r.client_credit_minor, cur, loc)})")


def _line_numbers(text: str | None) -> list[int] | None:
    if text is None:
        return None
    parts = [x for x in text.replace(" ", "").split(",") if x]
    if not all(x.isascii() and x.isdigit() for x in parts):
        raise InvalidValue(f"--lines {text!r}: give line numbers such as 1,3")
    nums = [int(x) for x in parts]
    if not nums:
        raise InvalidValue("--lines needs at least one line number")
    return nums


@app.command("credit", epilog=examples("vakit invoice credit INV/2026-27/001 --amount 100.00 --reason 'Goodwill'",
                                       "vakit invoice credit INV/2026-27/001 --lines 1 --reason 'Billed twice' -o ."))
def credit(invoice: str = typer.Argument(..., help=REF_HELP),
           amount: str = typer.Option(None, "--amount", help="The sum the balance falls by, taxes included, in "
                                "the invoice's currency, e.g. 100.00."),
           lines: str = typer.Option(None, "--lines", help="Credit these lines in full, e.g. 1,3."),
           reason: str = typer.Option("", "--reason", help="Printed on the credit note."),
           rebill: bool = typer.Option(False, "--rebill", help="Whole credit: let the time be invoiced again."),
           as_credit: bool = typer.Option(False, "--as-credit",
                                          help="On a paid invoice: hold what was paid beyond it as client credit."),
           on: str = typer.Option(None, "--date", help=f"Issue date: {DATES} (default: today in your home "
                                  "zone)."),
           out: str = typer.Option(None, "--out", "-o", help="Write its PDF to this file or folder; - to standard "
                                                            "output (the confirmation then goes to stderr)."),
           force: bool = typer.Option(False, "--force", help="Replace an existing PDF file."),
           as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """Issue a credit note against an invoice (whole, by lines or an amount), in its own number series."""
    piped = to_stdout(out)
    if piped and as_json:
        raise InvalidValue("--json and -o - both write to standard output", "choose one: the JSON or the PDF")
    ctx = context()

    def writable(planned) -> None:  # refused before anything is issued
        if piped:
            check_stdout("a PDF")
        elif out is not None:
            check_output(output_file(out, documents.pdf_filename(planned)), force=force)

    note, data = issue_credit_note(ctx, invoice, amount=amount, lines=_line_numbers(lines), reason=reason,
                                   rebill=rebill, on=on, as_credit=as_credit, check=writable)
    target = None
    try:
        if piped:
            binary_to_stdout(data, "a PDF")
        elif out is not None:
            target = write_output(output_file(out, documents.pdf_filename(note)), data, force=force)
    except (OSError, VakitError) as exc:  # the credit note is issued: say so, and never suggest crediting again
        if isinstance(exc, BrokenPipeError):  # the reader went away: nothing more goes to it
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        why = exc.message if isinstance(exc, VakitError) else (exc.strerror or type(exc).__name__)
        raise VakitError(f"credit note {note.number} was issued, but its PDF could not be written ({why})",
                         f"write it with: vakit invoice pdf {quote(note.number or '')} -o FILE; do not credit "
                         "again") from exc
    if as_json:
        emit_json("credit_note", invoice_json(note))
        return
    st = receivables.standing(ctx, documents.get_by_id(ctx, note.refers_to))
    cur, loc = note.currency, note.locale
    c = err_console() if piped else console()  # the PDF has standard output
    c.print(f"Issued credit note {note.number} against {note.refers_number}: {coded(note.total_minor, cur, loc)}; "
            f"{note.refers_number} now has a balance of {coded(st.balance_minor, cur, loc)} ({st.status})")
    held = receivables.client_credit(ctx, note.client_id, cur)
    if as_credit and held:
        c.print(f"{note.customer.name} now has {coded(held, cur, loc)} of credit")
    if rebill:
        c.print(f"Its time is unbilled again: see 'vakit invoice unbilled --client {note.customer.name!r}'")
    if target is not None:
        c.print(one_line(f"Wrote {target}"))
    elif not piped:
        c.print(one_line(f"Its PDF: vakit invoice pdf {quote(note.number or '')}"), markup=False)


@app.command("void", epilog=examples("vakit invoice void INV/2026-27/004 --reason 'Issued to the wrong client'"))
def void(invoice: str = typer.Argument(..., help=REF_HELP),
         reason: str = typer.Option(..., "--reason", help="Why it is void (kept with it).")) -> None:
    """Void an issued invoice with no payments: it keeps its number, and its time can be billed again."""
    st, released = receivables.void(context(), invoice, reason)
    console().print(f"Voided {st.invoice.number} (its number is kept, never reused); {released} time "
                    f"{'entry is' if released == 1 else 'entries are'} unbilled again")


@app.command("sent", epilog=examples("vakit invoice sent INV/2026-27/001", "vakit invoice sent INV/2026-27/001 "
                                     "--date yesterday"))
def sent(invoice: str = typer.Argument(..., help=REF_HELP),
         on: str = typer.Option(None, "--date", help=f"When it was sent: {DATES} (default: today).")) -> None:
    """Record that an issued invoice was sent to the client."""
    st = receivables.mark_sent(context(), invoice, on)
    console().print(f"Marked {st.invoice.number} sent on {st.sent_date}")


@app.command("aging", epilog=examples("vakit invoice aging", "vakit invoice aging --json"))
def aging(as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """What each client owes, per currency, by days past due: current, 1-30, 31-60, 61-90, 90+."""
    rows = accounts.aging(context())
    if as_json:
        emit_json("aging", aging_json(rows))
        return
    if not rows:
        console().print("Nothing is owed.")
        return
    console().print(aging_table(rows))


@app.command("remind", epilog=examples("vakit invoice remind --dry-run", "vakit invoice remind -o ."))
def remind(dry_run: bool = typer.Option(False, "--dry-run", help="Print the reminders; write nothing."),
           out: str = typer.Option(None, "--out", "-o", help="Folder for the .eml files (default: current); - writes "
                                                            "the one reminder due to standard output."),
           force: bool = typer.Option(False, "--force", help="Replace existing files.")) -> None:
    """A payment reminder for each invoice due today or overdue: printed, or written as .eml files to send."""
    ctx = context()
    found = accounts.reminders(ctx)
    c = console()
    if not found:
        c.print("No invoice is due today or overdue.")
        return
    profile = ctx.profile()
    if to_stdout(out) and not dry_run:
        if len(found) > 1:
            folder_only(out, f"{len(found)} reminders (one .eml file each)")
        sys.stdout.flush()
        sys.stdout.buffer.write(accounts.reminder_eml(found[0], profile.email, ctx.clock.now()))
        return
    out = out if dry_run else output_folder(out)
    folder = None if out is None else out.rstrip("/") + "/"
    names = {r.standing.invoice.id: "reminder-" + documents.pdf_filename(r.standing.invoice).removesuffix(".pdf") +
             ".eml" for r in found}
    if not dry_run:  # every file checked before any is written
        for name in names.values():
            check_output(output_file(folder, name), force=force)
    for r in found:
        if dry_run:
            c.print(f"To: {r.to or '(no email on file)'}")
            c.print(f"Subject: {r.subject}")
            c.print("")
            for line in r.body.splitlines():
                c.print(line)
            c.print("-" * 40)
            continue
        target = write_output(output_file(folder, names[r.standing.invoice.id]),
                              accounts.reminder_eml(r, profile.email, ctx.clock.now()), force=force)
        c.print(one_line(f"Wrote {target}"))


@app.command("statement", epilog=examples('vakit invoice statement --client "Northwind Analytics"',
                                          "vakit invoice statement -c Northwind --from 2026-10-01 --pdf -o ."))
def statement(client: str = typer.Option(..., "--client", "-c", help=CLIENT),
              from_: str = typer.Option(None, "--from", help=f"First day: {DATES} (default: the beginning)."),
              to: str = typer.Option(None, "--to", help=f"Last day: {DATES} (default: today)."),
              pdf: bool = typer.Option(False, "--pdf", help="Also write it as a PDF."),
              out: str = typer.Option(None, "--out", "-o", help="File or folder for the PDF; - writes it to standard "
                                                               "output (instead of the table)."),
              force: bool = typer.Option(False, "--force", help="Replace an existing PDF."),
              as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """A client's statement of account: invoices, credit notes and payments with the running balance."""
    from vakit.core.timeparse import parse_date
    from vakit.services.issuing import home_today

    if to_stdout(out) and as_json:
        raise InvalidValue("--json and -o - both write to standard output", "choose one: the JSON or the PDF")
    ctx = context()
    today = home_today(ctx)
    first = parse_date(from_, today=today) if from_ else None
    last = parse_date(to, today=today) if to else None
    sts = accounts.statement(ctx, client, first, last)
    out = output_folder(out) if pdf else out
    if pdf or out is not None:  # a PDF that may not be written is refused before anything is printed
        from vakit.exporters.pdf_statement import render_statement_pdf, statement_filename
        from vakit.store.files import folder_meant

        if len(sts) > 1 and out is not None and not folder_meant(out):
            raise InvalidValue(f"{sts[0].client.name} has statements in {len(sts)} currencies; -o must name a folder "
                               "(one PDF per currency), e.g. -o statements/")
        if to_stdout(out):
            binary_to_stdout(render_statement_pdf(sts[0], ctx.profile()), "a PDF")
            return
        for t in [output_file(out, statement_filename(s)) for s in sts]:
            check_output(t, force=force)
    if as_json:
        emit_json("statements", [statement_json(s) for s in sts])
    else:
        for s in sts:
            console().print(statement_table(s))
    if pdf or out is not None:
        for s in sts:
            target = write_output(output_file(out, statement_filename(s)), render_statement_pdf(s, ctx.profile()),
                                  force=force)
            if not as_json:
                console().print(one_line(f"Wrote {target}"))
