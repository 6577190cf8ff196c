"""``vakit invoice export``: one document's lines and totals, or the register of documents, as CSV or JSON for
an accountant or a spreadsheet (:mod:`vakit.exporters.invoice_files`)."""

from __future__ import annotations

import typer

from vakit.cli.common import check_output, console, context, deliver, output_file
from vakit.cli.helptext import CLIENT_REF, examples
from vakit.cli.invoice import REF_HELP, app
from vakit.core.errors import InvalidValue
from vakit.core.text import one_line


@app.command("export", epilog=examples("vakit invoice export INV/2026-27/001 -o inv-001.csv",
                                       "vakit invoice export --format json --status unpaid"))
def export(
    invoice: str = typer.Argument(None, help=REF_HELP + " Without it: the register of every document."),
    fmt: str = typer.Option("csv", "--format", "-f", help="csv, or json (the register; one document's JSON is "
                            "'invoice show --json')."),
    client: str = typer.Option(None, "--client", "-c", help=f"The register of one client's documents: "
                        f"{CLIENT_REF}."),
    status: str = typer.Option(None, "--status", help="The register of documents with this status (as in "
                               "'invoice list')."),
    out: str = typer.Option(None, "--output", "-o", help="File or folder to write; - or nothing: stdout."),
    excel: bool = typer.Option(False, "--excel", help="CSV: start with a UTF-8 byte-order mark, for Excel."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file (never the ledger)."),
) -> None:
    """Export one invoice or credit note, or the register of every document, as CSV or JSON.

    One document: its lines, discount, taxes and total. The register: the documents with totals, payments and
    balances. Amounts are plain decimals in each document's currency."""
    kind = (fmt or "").strip().lower()
    if kind not in ("csv", "json"):
        raise InvalidValue(f"unknown export format {fmt!r}", "choose csv or json")
    if invoice is not None and (client or status):
        raise InvalidValue("--client and --status choose documents for the register; not with one document")
    if invoice is not None and kind == "json":
        raise InvalidValue("one document as JSON is 'vakit invoice show REF --json'")
    if excel and kind != "csv":
        raise InvalidValue("--excel applies to --format csv only")
    ctx = context()
    from vakit.exporters import invoice_files
    from vakit.services import documents, receivables
    from vakit.services.client_lookup import find_client

    if invoice is not None:
        inv = documents.get_document(ctx, invoice)
        name = f"{documents.pdf_filename(inv).removesuffix('.pdf')}.csv"
        target = None if out in (None, "-") else output_file(out, name)
        if target is not None:
            check_output(target, force=force)
        data = invoice_files.document_csv(inv, excel=excel)
        what = f"{inv.number or f'draft #{inv.id}'}"
    else:
        target = None if out in (None, "-") else output_file(out, f"vakit-invoices.{kind}")
        if target is not None:
            check_output(target, force=force)
        rows = receivables.list_standings(ctx, find_client(ctx, client).id if client else None,
                                          status.strip().lower() if status else None)
        data = (invoice_files.register_csv(rows, excel=excel) if kind == "csv"
                else invoice_files.register_json(rows))
        what = f"{len(rows)} document{'' if len(rows) == 1 else 's'}"
    written = deliver(data, target, force=force)
    if written is not None:
        console().print(one_line(f"Exported {what} to {written}"))
