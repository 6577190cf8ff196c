"""``vakit demo`` — run a whole example month in a throw-away ledger."""

from __future__ import annotations

from pathlib import Path
from shlex import quote

import typer

from vakit.cli.common import STATE, console
from vakit.cli.render_invoices import coded
from vakit.core.clock import fmt_hm
from vakit.core.errors import InvalidValue
from vakit.services.context import Context
from vakit.store.db import open_ledger


def demo(out: Path = typer.Option(Path("vakit-demo"), "--out", help="Folder for the demo's ledger, PDFs and .ics."),
         force: bool = typer.Option(False, "--force", help="Write over an earlier demo's files.")) -> None:
    """Run an example month (October 2026) in a ledger of its own: import, book, invoice, export.

    Everything it makes goes into one folder (--out, default ./vakit-demo): its ledger demo-ledger.sqlite3 (or the
    new file --db names), the Toggl export it imports, four invoice PDFs and a calendar. Your own ledger is not
    touched; delete the folder when you are done.

    Examples:

    \b
      vakit demo
      vakit demo --out /tmp/demo --force
    """
    from rich.table import Table

    from vakit.services.demo import LEDGER_NAME, clear_earlier_demo, run_demo

    if out.exists() and not out.is_dir():
        raise InvalidValue(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InvalidValue(f"{out} exists and is not empty", "pass --force to write over an earlier demo's files, "
                           "or choose another --out")
    if STATE.db:
        path = Path(STATE.db)
        if path.exists() and path.stat().st_size > 0:
            raise InvalidValue(f"{path} exists already; the demo needs a new ledger file")
    else:
        path = out / LEDGER_NAME
        if path.exists() and force:
            clear_earlier_demo(path)
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    ctx = Context(open_ledger(path))
    r = run_demo(ctx, out, force=force)
    from vakit.store.backups import take_backup

    take_backup(ctx.ledger, reason="manual")  # the demo ledger starts like any other: backed up
    c = console()
    c.print(f"Example ledger: {path}", markup=False)
    c.print(f"Imported {r.imported.added} of {r.imported.rows} Toggl rows ({fmt_hm(r.imported.seconds)} h, "
            f"{r.imported.no_client} non-billable without a client)", markup=False)
    c.print(f"Booked {r.appointments} appointments, cancelled '{r.cancelled}'", markup=False)
    t = Table(title="October 2026 invoices")
    for col in ("number", "client", "issued", "due", "total"):
        t.add_column(col, justify="right" if col == "total" else "left", no_wrap=col != "client")
    for inv in r.invoices:
        t.add_row(inv.number, inv.customer.name, str(inv.issue_date), str(inv.due_date),
                  coded(inv.total_minor, inv.currency, inv.locale))
    c.print(t)
    for pdf in r.pdfs:
        c.print(f"PDF: {pdf}", markup=False)
    c.print(f"Calendar: {r.ics}", markup=False)
    c.print(f"Explore it: vakit --db {quote(str(path))}   (the home screen; then invoice list, log report …)",
            markup=False)
    c.print(f"Everything the demo made is in {out}/; remove it with: rm -r {quote(str(out))}", markup=False)
