"""``vakit invoice run`` — month end for every client in one command."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from vakit.cli.common import console, context, err_console, folder_only
from vakit.cli.helptext import JSON, examples
from vakit.cli.invoice import app
from vakit.cli.render import emit_json
from vakit.cli.render_invoices import coded, invoice_json, title_of
from vakit.core.clock import fmt_hm
from vakit.core.text import one_line
from vakit.services.month_end import run_month
from vakit.store.config_file import output_folder


def _drafts_table(invoices) -> Table:
    t = Table(title="Month end")
    for col in ("invoice", "client", "period", "hours", "subtotal", "tax", "total"):
        t.add_column(col, justify="right" if col in ("hours", "subtotal", "tax", "total") else "left",
                     no_wrap=col != "client")
    for inv in invoices:
        cur, loc = inv.currency, inv.locale
        t.add_row(title_of(inv), inv.customer.name, f"{inv.period_start} – {inv.period_end}",
                  fmt_hm(sum(r.billed_seconds for r in inv.timesheet)), coded(inv.subtotal_minor, cur, loc),
                  coded(inv.tax_minor, cur, loc), coded(inv.total_minor, cur, loc))
    return t


@app.command("run", epilog=examples("vakit invoice run --month 2026-10", "vakit invoice run --month 2026-10 --issue"))
def run(month: str = typer.Option(..., "--month", help="The month to bill, YYYY-MM, e.g. 2026-10."),
        issue: bool = typer.Option(False, "--issue", help="Issue every draft of the month and write the PDFs."),
        include_earlier: bool = typer.Option(False, "--include-earlier", help="Also bill earlier unbilled time."),
        out: str = typer.Option(None, "--out", "-o", help="Folder for the PDFs (default: the current folder)."),
        force: bool = typer.Option(False, "--force", help="Replace existing PDF files."),
        as_json: bool = typer.Option(False, "--json", help=JSON)) -> None:
    """Month end: check the month, make drafts for every client, and with --issue issue them all at once."""
    folder_only(out, "one PDF per invoice")
    ctx = context()
    out = output_folder(out) if issue else out
    r = run_month(ctx, month, issue=issue, include_earlier=include_earlier,
                  out_dir=Path(out).expanduser() if out else None, force=force)
    if as_json:
        emit_json("month_end", {"month": month, "issued": r.issued, "warnings": r.preflight.warnings,
                                "skipped": r.skipped, "invoices": [invoice_json(i) for i in r.invoices],
                                "pdfs": [str(p) for p in r.pdfs]})
        return
    c = console()
    c.print(f"Pre-flight for {month}: " + ("all clear" if not r.preflight.warnings else
                                           f"{len(r.preflight.warnings)} to look at"))
    for w in r.preflight.warnings:
        c.print(f"  ! {w}", soft_wrap=True)
    if r.invoices:
        c.print(_drafts_table(r.invoices))
    for line in r.skipped:
        c.print(f"Skipped {line}")
    if r.issued:
        numbers = [i.number for i in r.invoices]
        c.print(f"Issued {len(numbers)} invoice{'s' if len(numbers) != 1 else ''} dated {r.invoices[0].issue_date}: "
                f"{numbers[0]} … {numbers[-1]}" if len(numbers) > 1 else f"Issued {numbers[0]} dated "
                f"{r.invoices[0].issue_date}")
        for p in r.pdfs:
            c.print(one_line(f"Wrote {p}"))
    elif r.invoices:
        c.print(f"Made {len(r.invoices)} draft{'s' if len(r.invoices) != 1 else ''}; 'vakit invoice run --month "
                f"{month} --issue' issues them all")
    else:
        err_console().print(f"vakit: note: no drafts were made for {month}")
