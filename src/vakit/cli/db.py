"""``vakit db`` — where the ledger is, and a consistent backup copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import typer

from vakit.cli.common import console, context, ledger_path
from vakit.core.errors import InvalidValue

app = typer.Typer(no_args_is_help=True)


@app.command("path")
def path() -> None:
    """Print the ledger's path."""
    console().print(str(ledger_path()), markup=False, soft_wrap=True)


@app.command("backup")
def backup(out: Path = typer.Argument(..., help="The backup file to write.")) -> None:
    """Write a consistent copy of the ledger (SQLite VACUUM INTO)."""
    if out.exists():
        raise InvalidValue(f"{out} exists already", "choose a new file name")
    ctx = context()
    try:
        ctx.ledger.conn.execute("VACUUM INTO ?", (str(out),))
    except sqlite3.OperationalError as exc:
        raise InvalidValue(f"cannot write the backup {out}: {exc}") from exc
    console().print(f"Backed up {ctx.ledger.path} to {out}", markup=False)
