"""The ``vakit`` command: the root Typer app, global options and the one place errors become exit codes."""

from __future__ import annotations

import os
import sqlite3
import sys

import typer
from typer.core import TyperGroup

from vakit import __version__
from vakit.cli.common import STATE, err_console, print_notes
from vakit.core.errors import VakitError
from vakit.core.text import one_line, printable


def report_error(message: str, code: int) -> None:
    """Write one line on stderr and leave with ``code`` (design.md §6). Line breaks that came in with a file
    name or a value are shown escaped, so the message stays one line."""
    err_console().print(f"vakit: {one_line(message)}", soft_wrap=True)
    raise SystemExit(code)


class VakitGroup(TyperGroup):
    """The root group: a :class:`VakitError` becomes one line on stderr and its exit code; no traceback
    reaches the user unless ``--debug``."""

    def main(self, args=None, *a, **kw):  # noqa: D102 - see class docstring
        for arg in sys.argv[1:] if args is None else args:
            if isinstance(arg, str) and any("\ud800" <= ch <= "\udfff" for ch in arg):
                report_error(f"argument '{printable(arg)}' is not valid UTF-8 text", 1)
            if isinstance(arg, str) and "\x00" in arg:
                report_error(f"argument '{printable(arg)}' contains a NUL character", 1)
        return super().main(args, *a, **kw)

    def invoke(self, ctx):  # noqa: D102 - see class docstring
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # the reader went away (`vakit … | head`): stop quietly, as Unix tools do
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(1) from None
        except Exception as exc:
            # help, --version, usage errors and aborts are Typer's/Click's own control flow (typer ≥ 0.28
            # vendors click as typer._click, so match on the defining package, not on click's classes)
            if STATE.debug or type(exc).__module__.split(".")[0] in ("typer", "click"):
                raise
            error = as_vakit_error(exc)
            STATE.closing = []  # a refused command says one line: no closing notes after it
            report_error(str(error), error.exit_code)
        finally:
            print_notes()


def as_vakit_error(exc: Exception) -> VakitError:
    """Any exception as the one line a user sees: VakitError as it is, SQLite and file-system faults named
    (:mod:`vakit.store.faults`), anything else an internal error (a bug) without a traceback."""
    if isinstance(exc, VakitError):
        return exc
    if isinstance(exc, sqlite3.Error):
        from vakit.cli.common import ledger_path
        from vakit.store.faults import sqlite_fault

        return sqlite_fault(exc, ledger_path())
    if isinstance(exc, OSError):
        from vakit.store.faults import os_fault

        if exc.filename:
            return os_fault(exc, "use", exc.filename)
        fault = os_fault(exc, "write", "the output")  # stdout: a full disk, a closed terminal
        return VakitError(fault.message, "free some space and try again" if "disk" in fault.message else None)
    if isinstance(exc, MemoryError):
        return VakitError("out of memory", "nothing was changed")
    return VakitError(f"internal error: {type(exc).__name__}: {exc}", "a bug in vakit; run with --debug for the "
                      "traceback")


app = typer.Typer(cls=VakitGroup, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="vakit — time entries, appointments and invoices for a freelance virtual assistant.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vakit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: str = typer.Option(None, "--db", metavar="PATH",
                           help="Ledger file (else $VAKIT_DB, $VAKIT_HOME, the user data dir)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Global options."""
    STATE.db = db
    STATE.debug = debug
    STATE.closing = []


#: noun → (module, attribute, help); a command's module is imported only when that noun runs
NOUNS: dict[str, tuple[str, str, str | None]] = {
    "init": ("vakit.cli.init", "init", None),
    "client": ("vakit.cli.client", "app", "Clients: add, list, show, edit, rm, archive, unarchive."),
    "contract": ("vakit.cli.contract", "app", "Contracts: add, list, show, edit, end, rm."),
    "log": ("vakit.cli.log", "app", "Time entries: timers, add, edit, rm, undo, list, report, import, export."),
    "schedule": ("vakit.cli.schedule", "app", "Appointments: book, suggest, list, move, cancel, done, export, import."),
    "invoice": ("vakit.cli.invoice", "app", "Invoices: month end, drafts, issue, PDFs, payments, credits, reminders."),
    "db": ("vakit.cli.db", "app", "The ledger file: path, backup, restore, check."),
    "demo": ("vakit.cli.demo", "demo", None),
}
_registered: set[str] = set()


def register(*nouns: str) -> typer.Typer:
    """Attach the given nouns (all when none are named) to the root app, once each; returns the app."""
    import importlib

    for noun in nouns or tuple(NOUNS):
        if noun in _registered:
            continue
        module, attr, help_text = NOUNS[noun]
        target = getattr(importlib.import_module(module), attr)
        if help_text is None:
            app.command(noun)(target)
        else:
            app.add_typer(target, name=noun, help=help_text)
        _registered.add(noun)
    return app


def get_app() -> typer.Typer:
    """The root app with every noun attached (for tests and documentation tools)."""
    return register()


def _noun(argv: list[str]) -> str | None:
    """The noun of a command line (``vakit --db X log start`` → ``log``), skipping global options."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--db":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main() -> None:
    """Console-script entry point. Files and folders vakit creates are private (umask 077)."""
    os.umask(0o077)
    noun = _noun(sys.argv[1:])
    if noun in NOUNS:
        register(noun)
    else:
        register()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("vakit: interrupted\n")
        sys.exit(130)
