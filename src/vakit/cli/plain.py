"""The CLI plumbing every command shares and that needs neither Typer nor Rich, so the timer commands' fast path
(:mod:`vakit.cli.fast`) and the Typer app run the same code: the global options, the service context, one-line
messages on stdout and stderr, the closing notes, and the one place an exception becomes an exit code."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vakit.core.clock import clock_from_env
from vakit.core.errors import VakitError
from vakit.core.text import one_line, printable
from vakit.services.context import Context
from vakit.store.db import open_ledger
from vakit.store.paths import resolve_ledger_path


@dataclass
class State:
    """Options given before the noun (``vakit --db PATH log …``)."""

    db: str | None = None
    debug: bool = False
    #: ``--quiet``: nothing on stdout but what was asked for as data (``--json``, ``-o -``)
    quiet: bool = False
    #: ``--no-color`` (``NO_COLOR`` in the environment does the same)
    no_color: bool = False
    opened: list = field(default_factory=list)
    #: checks run on each ledger the command opened, after it ran (a note to add, or None)
    closing: list = field(default_factory=list)


STATE = State()


def say(text: str) -> None:
    """Print one message on stdout literally (control characters escaped, :func:`vakit.core.text.printable`),
    as the Rich consoles print a message without markup; nothing with ``--quiet``."""
    if not STATE.quiet:
        sys.stdout.write(printable(text) + "\n")


def say_err(text: str) -> None:
    """Print one message on stderr literally (see :func:`say`)."""
    sys.stderr.write(printable(text) + "\n")


def ledger_path() -> Path:
    """The ledger path for this invocation."""
    return resolve_ledger_path(STATE.db)


def context(*, create: bool = False) -> Context:
    """Open the ledger and return a service context; ``create`` makes a missing ledger (``vakit init``)."""
    ledger = open_ledger(ledger_path(), create=create)
    STATE.opened.append(ledger)
    return Context(ledger, clock_from_env())


def print_notes() -> None:
    """Print on stderr what the ledgers opened by this command want the user to know (e.g. a skipped backup),
    then close them: the command is done with them."""
    while STATE.opened:
        ledger = STATE.opened.pop()
        for check in STATE.closing:
            try:
                note = check(Context(ledger, clock_from_env()))
            except Exception:  # noqa: BLE001 - a closing note must never hide what the command said
                note = None
            if note:
                ledger.notes.append(note)
        for note in ledger.notes:
            say_err(f"vakit: note: {note}")
        try:
            ledger.close()
        except sqlite3.Error:
            pass  # every change was committed (and synced) before; nothing is lost by a failed close


def report_error(message: str, code: int) -> None:
    """Write one line on stderr and leave with ``code`` (design.md §6). Line breaks that came in with a file
    name or a value are shown escaped, so the message stays one line."""
    say_err(f"vakit: {one_line(message)}")
    raise SystemExit(code)


def refuse_bad_arguments(argv: list[str]) -> None:
    """Refuse a command line with an argument that is not text (a lone surrogate: bytes that were not UTF-8)
    or holds a NUL, before anything reads it. Exits 1."""
    for arg in argv:
        if isinstance(arg, str) and any("\ud800" <= ch <= "\udfff" for ch in arg):
            report_error(f"argument '{printable(arg)}' is not valid UTF-8 text", 1)
        if isinstance(arg, str) and "\x00" in arg:
            report_error(f"argument '{printable(arg)}' contains a NUL character", 1)


def as_vakit_error(exc: Exception) -> VakitError:
    """Any exception as the one line a user sees: VakitError as it is, SQLite and file-system faults named
    (:mod:`vakit.store.faults`), anything else an internal error (a bug) without a traceback."""
    if isinstance(exc, VakitError):
        return exc
    if isinstance(exc, sqlite3.Error):
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


def run_command(call: Callable[[], object], passes: Callable[[Exception], bool] = lambda exc: False) -> object:
    """Run one command the way every vakit command ends: a :class:`VakitError` (or any other exception) becomes
    one line on stderr and its exit code, no traceback unless ``--debug``; a reader that went away (``vakit … |
    head``) stops it quietly; the closing notes are printed last. Exceptions for which ``passes`` is true (the
    CLI framework's own control flow: help, usage errors) are raised unchanged."""
    try:
        return call()
    except KeyboardInterrupt:
        STATE.closing = []
        say_err("vakit: interrupted")
        raise SystemExit(130) from None
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(1) from None
    except Exception as exc:
        if STATE.debug or passes(exc):
            raise
        error = as_vakit_error(exc)
        STATE.closing = []  # a refused command says one line: no closing notes after it
        report_error(str(error), error.exit_code)
    finally:
        print_notes()


def interruptible(main: Callable[[], object]) -> None:
    """Run a console entry point: files and folders vakit creates are private (umask 077); a character the
    output stream cannot encode (``PYTHONIOENCODING=ascii``, a Latin-1 terminal) is written as a ``\\x…``
    escape rather than failing after the ledger was changed; Ctrl-C says one line and exits 130."""
    os.umask(0o077)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        main()
    except KeyboardInterrupt:
        sys.stderr.write("vakit: interrupted\n")
        sys.exit(130)
