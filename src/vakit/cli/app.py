"""The ``vakit`` command: the root Typer app, global options and the one place errors become exit codes."""

from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

from vakit import __version__
from vakit.cli.plain import STATE, as_vakit_error, interruptible, refuse_bad_arguments, run_command  # noqa: F401


class VakitGroup(TyperGroup):
    """The root group: arguments that are not text are refused first; a :class:`VakitError` becomes one line on
    stderr and its exit code; no traceback reaches the user unless ``--debug`` (:func:`vakit.cli.plain.run_command`,
    the same code the timer commands' fast path runs)."""

    def main(self, args=None, *a, **kw):  # noqa: D102 - see class docstring
        refuse_bad_arguments(sys.argv[1:] if args is None else args)
        return super().main(args, *a, **kw)

    def invoke(self, ctx):  # noqa: D102 - see class docstring
        # help, --version, usage errors and aborts are Typer's/Click's own control flow (typer ≥ 0.28
        # vendors click as typer._click, so match on the defining package, not on click's classes)
        return run_command(lambda: super(VakitGroup, self).invoke(ctx),
                           passes=lambda exc: type(exc).__module__.split(".")[0] in ("typer", "click"))


# pretty_exceptions off: --debug shows Python's own traceback, as the timer commands' fast path does
app = typer.Typer(cls=VakitGroup, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
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
    "expense": ("vakit.cli.expense", "app", "Expenses: add, list, edit, rm; billed on the client's next invoice."),
    "tax": ("vakit.cli.tax", "app", "Tax rates as dated data: add a rate from a date, list them."),
    "db": ("vakit.cli.db", "app", "The ledger file: path, backup, restore, check."),
    "config": ("vakit.cli.config", "app", "Defaults in config.toml: path, show, set, unset."),
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


def run_app() -> None:
    """Run the Typer app on ``sys.argv``, importing only the noun's commands (all of them when the noun is not
    known, for the help and the error)."""
    noun = _noun(sys.argv[1:])
    if noun in NOUNS:
        register(noun)
    else:
        register()
    app()


def main() -> None:
    """Console-script entry point of the full CLI (:func:`vakit.cli.fast.main` comes first)."""
    interruptible(run_app)
