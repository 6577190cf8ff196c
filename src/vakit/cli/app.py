"""The ``vakit`` command: the root Typer app, global options and the one place errors become exit codes."""

from __future__ import annotations

import os
import sys

import typer
from typer.core import TyperGroup

from vakit import __version__
from vakit.cli.helptext import examples
from vakit.cli.plain import STATE, as_vakit_error, interruptible, refuse_bad_arguments, run_command  # noqa: F401


class VakitGroup(TyperGroup):
    """The root group: arguments that are not text are refused first; a :class:`VakitError` becomes one line on
    stderr and its exit code; no traceback reaches the user unless ``--debug`` (:func:`vakit.cli.plain.run_command`,
    the same code the timer commands' fast path runs)."""

    def main(self, args=None, *a, standalone_mode: bool = True, **kw):  # noqa: D102 - see class docstring
        refuse_bad_arguments(sys.argv[1:] if args is None else args)
        from vakit.cli.completion import attach

        attach(self)  # client names and invoice numbers complete from the ledger
        if not standalone_mode:
            return super().main(args, *a, standalone_mode=False, **kw)
        # Click's own ending, but a usage error is one line (Click prints the usage, a hint and the error on
        # three): "vakit: invoice pay: missing option '--amount' (vakit invoice pay --help shows how)", exit 2
        try:
            code = super().main(args, *a, standalone_mode=False, **kw)
        except Exception as exc:
            if type(exc).__module__.split(".")[0] not in ("typer", "click"):
                raise
            if type(exc).__name__ == "Abort":  # a prompt left with Ctrl-C or Ctrl-D
                if isinstance(exc.__context__, KeyboardInterrupt):
                    sys.stderr.write("vakit: interrupted\n")
                    sys.exit(130)
                sys.stderr.write("vakit: aborted\n")
                sys.exit(1)
            sys.stderr.write(usage_error_line(exc, self, sys.argv[1:] if args is None else list(args)) + "\n")
            sys.exit(getattr(exc, "exit_code", 2))
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx):  # noqa: D102 - see class docstring
        # help, --version, usage errors and aborts are Typer's/Click's own control flow (typer ≥ 0.28
        # vendors click as typer._click, so match on the defining package, not on click's classes)
        return run_command(lambda: super(VakitGroup, self).invoke(ctx),
                           passes=lambda exc: type(exc).__module__.split(".")[0] in ("typer", "click"))


def _command_path(group, argv: list[str]) -> str:
    """``vakit log list`` for ``["--db", "X", "log", "list", "--month"]``: the commands named on the line."""
    path, cmd, skip = ["vakit"], group, False
    for arg in argv:
        if skip or arg.startswith("-"):
            skip = arg == "--db"
            continue
        sub = cmd.commands.get(arg) if hasattr(cmd, "commands") else None
        if sub is None:
            break
        path.append(arg)
        cmd = sub
    return " ".join(path)


#: arguments that take a ``#ID``
ID_ARGUMENTS = frozenset({"invoice", "contract", "contract_id", "appointment", "expense", "entry_id", "block_id"})


def usage_error_line(exc, group, argv: list[str]) -> str:
    """A Click usage error (a missing or unknown option, a bad value) as one line naming the command and where
    its help is: ``vakit: invoice pay: missing option '--amount' (see vakit invoice pay --help)``."""
    from vakit.core.text import one_line, printable

    message = printable(one_line(exc.format_message())).rstrip(".")
    if message[:1].isupper() and not message[1:2].isupper():
        message = message[:1].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and ctx.parent is not None:  # named "vakit" however it was started (python -m vakit)
        path = " ".join(["vakit", *ctx.command_path[len(ctx.find_root().command_path):].split()])
    else:
        path = _command_path(group, argv)
    where = path.split(" ", 1)[1] + ": " if " " in path else ""
    param = getattr(exc, "param", None)
    if message.startswith("missing argument") and getattr(param, "name", "") in ID_ARGUMENTS:
        # `vakit invoice issue #1`: the shell took #1 for a comment
        return f"vakit: {where}{message} (a #ID needs quotes, '#1': an unquoted # starts a shell comment)"
    return f"vakit: {where}{message} (see {path} --help)"


# pretty_exceptions off: --debug shows Python's own traceback, as the timer commands' fast path does
app = typer.Typer(cls=VakitGroup, invoke_without_command=True, add_completion=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Time entries, appointments and invoices for a freelance virtual assistant; alone, the home "
                       "screen (vakit status).",
                  epilog=examples("vakit", "vakit --db ~/clients/ledger.sqlite3 --no-color"))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vakit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", metavar="PATH",
                           help="Ledger file (else $VAKIT_DB, $VAKIT_HOME, the user data dir)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No confirmations: a command that changes something "
                               "prints nothing on stdout (lists, shows, reports, --json and -o - still print); "
                               "refusals and warnings still go to stderr."),
    no_color: bool = typer.Option(False, "--no-color", help="No colour or bold (as NO_COLOR=1)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Global options."""
    STATE.db = db
    STATE.debug = debug
    STATE.quiet = quiet
    STATE.no_color = no_color
    STATE.closing = []
    if ctx.invoked_subcommand is None:  # `vakit` alone: the home screen
        from vakit.cli.status import status

        status(as_json=False)


#: noun → (module, attribute, help); a command's module is imported only when that noun runs
NOUNS: dict[str, tuple[str, str, str | None]] = {
    "status": ("vakit.cli.status", "status", None),
    "init": ("vakit.cli.init", "init", None),
    "profile": ("vakit.cli.profile", "app", "Your business profile: show it (vakit init changes it)."),
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


def _completed_noun() -> str | None:
    """The noun of the command line a shell is completing (Typer's ``COMP_WORDS``/``COMP_CWORD`` for bash,
    ``_TYPER_COMPLETE_ARGS`` for zsh and fish), when it is typed in full before the word being completed; else
    None (every noun is then registered, to complete the nouns themselves)."""
    if "COMP_WORDS" in os.environ:
        words = os.environ["COMP_WORDS"].split()
        try:
            words = words[:int(os.environ.get("COMP_CWORD", len(words)))]
        except ValueError:
            return None
    else:
        raw = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = raw.split() if raw.endswith(" ") else raw.split()[:-1]
    noun = _noun(words[1:])
    return noun if noun in NOUNS else None


def run_app() -> None:
    """Run the Typer app on ``sys.argv``, importing only the noun's commands (all of them when the noun is not
    known, for the help and the error)."""
    argv = sys.argv[1:]
    noun = _noun(argv) if "_VAKIT_COMPLETE" not in os.environ else _completed_noun()
    if noun in NOUNS:
        register(noun)
    elif noun is None and "--help" not in argv and "_VAKIT_COMPLETE" not in os.environ:
        register("status")  # `vakit` alone (the home screen), --version: no other noun is needed
    else:
        register()
    app()


def main() -> None:
    """Console-script entry point of the full CLI (:func:`vakit.cli.fast.main` comes first)."""
    interruptible(run_app)
