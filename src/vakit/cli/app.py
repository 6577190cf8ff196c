"""The ``vakit`` command: the root Typer app, global options and the one place errors become exit codes."""

from __future__ import annotations

import sqlite3
import sys

import click
import typer
from typer.core import TyperGroup

from vakit import __version__
from vakit.cli.common import STATE, err_console
from vakit.core.errors import VakitError


def report_error(message: str, code: int) -> None:
    """Write one line on stderr and leave with ``code`` (design.md §6)."""
    err_console().print(f"vakit: {message}", markup=False, soft_wrap=True)
    raise SystemExit(code)


class VakitGroup(TyperGroup):
    """The root group: a :class:`VakitError` becomes one line on stderr and its exit code; no traceback
    reaches the user unless ``--debug``."""

    def invoke(self, ctx: click.Context):  # noqa: D102 - see class docstring
        try:
            return super().invoke(ctx)
        except VakitError as exc:
            if STATE.debug:
                raise
            report_error(str(exc), exc.exit_code)
        except sqlite3.DatabaseError as exc:
            if STATE.debug:
                raise
            report_error(f"the ledger cannot be used: {exc}", 3)
        except OSError as exc:
            if STATE.debug:
                raise
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            report_error(f"{exc.strerror or exc}{where}", 1)


app = typer.Typer(cls=VakitGroup, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="vakit — time entries, appointments and invoices for a freelance virtual assistant.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vakit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: str = typer.Option(None, "--db", help="Ledger file (else $VAKIT_DB, $VAKIT_HOME, the user data dir)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Global options."""
    STATE.db = db
    STATE.debug = debug


def _register() -> None:
    from vakit.cli import client, contract, db, demo, init, invoice, log, schedule

    app.command("init")(init.init)
    app.add_typer(client.app, name="client", help="Clients: add, list, show, edit.")
    app.add_typer(contract.app, name="contract", help="Contracts: add, list, show.")
    app.add_typer(log.app, name="log", help="Time entries: start, stop, status, add, list, report, import.")
    app.add_typer(schedule.app, name="schedule", help="Appointments: book, list, cancel, export.")
    app.add_typer(invoice.app, name="invoice", help="Invoices: create, show, issue, pdf, list, delete.")
    app.add_typer(db.app, name="db", help="The ledger file: path, backup.")
    app.command("demo")(demo.demo)


_register()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("vakit: interrupted\n")
        sys.exit(130)
