"""``vakit db`` — where the ledger is, backups, restore and checks."""

from __future__ import annotations

from pathlib import Path

import typer

from vakit.cli.common import console, context, ledger_path
from vakit.cli.helptext import examples
from vakit.core.errors import LedgerUnusable
from vakit.core.text import one_line

app = typer.Typer(no_args_is_help=True)


@app.command("path", epilog=examples("vakit db path", "vakit --db ~/work/ledger.sqlite3 db path"))
def path() -> None:
    """Print the ledger's path and where its automatic backups go."""
    from vakit.store.backups import backup_folder

    out = console()
    out.print(str(ledger_path()), soft_wrap=True)
    out.print(f"backups: {backup_folder(ledger_path())}", soft_wrap=True)


@app.command("backup", epilog=examples("vakit db backup", "vakit db backup ledger-copy.sqlite3 --keep 30"))
def backup(
    out: str = typer.Argument(None, help="File or folder/ to write (default: the ledger's backup folder)."),
    keep: int = typer.Option(None, "--keep", min=0, max=1000,
                             help="Also set how many daily backups to keep (default 14; 0: none)."),
) -> None:
    """Write a consistent copy of the ledger (SQLite VACUUM INTO); never replaces a file."""
    from vakit.services import backup as svc

    ctx = context()
    if keep is not None:
        svc.set_keep(ctx, keep)
        console().print(f"Keeping the newest {keep} daily backups" if keep else "Daily backups are off")
    target = svc.backup(ctx, out)
    console().print(one_line(f"Backed up {ctx.ledger.path} to {target}"), soft_wrap=True)


@app.command("restore", epilog=examples("vakit db restore ~/backups/ledger-2026-11-01.sqlite3"))
def restore(source: Path = typer.Argument(..., help="A backup (or any copy) of a vakit ledger."),
            force: bool = typer.Option(False, "--force", help="Restore even if issued invoices would be dropped.")
            ) -> None:
    """Replace the ledger with a backup, keeping the current ledger as a backup first."""
    from vakit.services import backup as svc

    target = ledger_path()
    r = svc.restore(target, source, force=force)
    out = console()
    if r.kept:
        out.print(one_line(f"Kept the replaced ledger as {r.kept}"), soft_wrap=True)
    if r.moved_aside:
        out.print(one_line(f"Moved the damaged ledger aside to {r.moved_aside}"), soft_wrap=True)
    out.print(one_line(f"Restored {target} from {source}"), soft_wrap=True)


@app.command("check", epilog=examples("vakit db check"))
def check() -> None:
    """Check the ledger for damage; exit 3 naming each problem found.

    It checks SQLite's integrity, foreign keys, sealed invoices, gapless numbers, overlaps and long entries."""
    from vakit.services.checkup import check_ledger
    from vakit.store.backups import restore_hint
    from vakit.store.schema import SCHEMA_VERSION

    ctx = context()
    r = check_ledger(ctx)
    out = console()
    for note in r.notes:
        out.print(f"note: {note}", soft_wrap=True)
    if r.problems:
        for p in r.problems:
            out.print(f"problem: {p}", soft_wrap=True)
        raise LedgerUnusable(f"the ledger {ctx.ledger.path} is damaged: {len(r.problems)} "
                             f"problem{'s' if len(r.problems) != 1 else ''}", restore_hint(ctx.ledger.path))
    counts = ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in r.counts.items())
    out.print(f"{ctx.ledger.path}: ok (schema {r.version} of {SCHEMA_VERSION}; {counts})", soft_wrap=True)
