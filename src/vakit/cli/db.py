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


@app.command("check")
def check() -> None:
    """Check the ledger: SQLite integrity, foreign keys, schema version; exit 3 if it is damaged."""
    from vakit.core.errors import LedgerUnusable
    from vakit.store.schema import SCHEMA_VERSION

    ctx = context()
    conn = ctx.ledger.conn
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if integrity != ["ok"] or fk:
        problem = integrity[0] if integrity != ["ok"] else f"{len(fk)} rows break a foreign key"
        raise LedgerUnusable(f"the ledger {ctx.ledger.path} is damaged: {problem}",
                             "restore it from a backup (vakit db backup makes one)")
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
              for t in ("clients", "contracts", "time_entries", "appointments", "invoices")}
    console().print(f"{ctx.ledger.path}: ok (schema {version} of {SCHEMA_VERSION}; "
                    + ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in counts.items()) + ")", markup=False)
