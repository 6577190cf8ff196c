"""The ``vakit`` console script: ``vakit log start|stop|switch|status|add`` without Typer or Rich (issue 11).

Importing Typer alone takes longer than Watson's whole ``start``, and these five commands are typed dozens of
times a day. So the entry point reads their command lines itself, from the same parameter definitions the
Typer app is built from (:data:`vakit.cli.timer.COMMANDS`), and runs the same bodies through the same error
handling (:func:`vakit.cli.plain.run_command`). Only what it reads with certainty takes this path: a plain
command line of known options. Anything else — ``--help``, an unknown or misspelt option, a missing value, a
value or argument that starts with ``-``, short options run together, every other command — goes to the Typer
app (:func:`vakit.cli.app.run_app`), which accepts, refuses and explains exactly as before.
"""

from __future__ import annotations

import sys

from vakit.cli.timer import COMMANDS, TimerCommand


def parse_global(argv: list[str]) -> tuple[str | None, dict, list[str]] | None:
    """``[--db PATH | --db=PATH] [--debug] [--quiet | -q] [--no-color] log …`` → (db, the flags given as
    ``{"debug": …, "quiet": …, "no_color": …}``, the arguments after ``log``); None for anything else."""
    db, i = None, 0
    flags = {"debug": False, "quiet": False, "no_color": False}
    names = {"--debug": "debug", "--quiet": "quiet", "-q": "quiet", "--no-color": "no_color"}
    while i < len(argv):
        arg = argv[i]
        if arg == "log":
            return db, flags, argv[i + 1:]
        if arg in names:
            flags[names[arg]] = True
        elif arg == "--db" and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            db = argv[i + 1]
            i += 1
        elif arg.startswith("--db=") and len(arg) > 5:
            db = arg[5:]
        else:
            return None
        i += 1
    return None


def parse_command(cmd: TimerCommand, argv: list[str]) -> dict | None:
    """The arguments after ``vakit log NAME`` → ``{dest: value}`` as Click would pass them to the body (the
    last value of a repeated ``value`` option, every value of a ``values`` one, arguments and options in any
    order, ``--`` ending the options), or None when the command line is one this parser leaves to Click:
    anything it does not know, or could read differently."""
    values: dict = {o.dest: False if o.takes == "flag" else None for o in cmd.params}
    by_flag = {flag: o for o in cmd.params for flag in o.flags}
    words_opt = next((o for o in cmd.params if o.takes == "words"), None)
    words: list[str] = []
    i, options_over = 0, False
    while i < len(argv):
        arg = argv[i]
        i += 1
        if options_over or not arg.startswith("-"):
            if words_opt is None:
                return None
            words.append(arg)
            continue
        if arg == "--":
            options_over = True
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        opt = by_flag.get(name)
        if opt is None:
            return None
        if opt.takes == "flag":
            if eq:
                return None
            values[opt.dest] = True
            continue
        if not eq:
            if i >= len(argv) or argv[i].startswith("-"):
                return None
            value = argv[i]
            i += 1
        if opt.takes == "values":
            values[opt.dest] = [*(values[opt.dest] or []), value]
        else:
            values[opt.dest] = value
    if words_opt is not None:
        values[words_opt.dest] = words or None
    return values


def fast_command(argv: list[str]) -> tuple[TimerCommand, dict, str | None, dict] | None:
    """The timer command, its values, ``--db`` and the global flags of a command line the fast path runs, or
    None."""
    head = parse_global(argv)
    if head is None or not head[2]:
        return None
    db, flags, rest = head
    cmd = COMMANDS.get(rest[0])
    values = parse_command(cmd, rest[1:]) if cmd is not None else None
    return None if values is None else (cmd, values, db, flags)


def run_fast(cmd: TimerCommand, values: dict, db: str | None, flags: dict) -> None:
    """Run a timer command as the Typer app would after parsing it (``flags``: debug, quiet, no_color)."""
    from vakit.cli.plain import STATE, run_command
    from vakit.cli.timer import add_closing_checks

    STATE.db, STATE.closing = db, []
    STATE.debug, STATE.no_color = flags["debug"], flags["no_color"]
    STATE.quiet = flags["quiet"] and cmd.name != "status"  # --quiet silences confirmations, not what is shown
    add_closing_checks(cmd.name)
    run_command(lambda: cmd.body(values))


def run(argv: list[str]) -> None:
    """Run ``vakit ARGV``: a timer command on the fast path, everything else in the Typer app."""
    from vakit.cli.plain import refuse_bad_arguments

    refuse_bad_arguments(argv)
    found = fast_command(argv)
    if found is None:
        from vakit.cli.app import run_app

        run_app()
    else:
        run_fast(*found)


def leave(code: object) -> None:
    """End the process with ``code`` (as :class:`SystemExit` reads it) without the interpreter's teardown, which
    costs a timer command ≈ 6 ms of its ≈ 50 ms for nothing: by now the output is written and flushed, and the
    ledger closed (:func:`vakit.cli.plain.print_notes`), every change in it committed with ``synchronous=FULL``.
    Nothing on the fast path registers ``atexit`` work, starts a thread or holds a temporary file."""
    import os

    if not isinstance(code, int):
        if code is not None:
            sys.stderr.write(f"{code}\n")
        code = 0 if code is None else 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass  # the reader went away (`vakit log status | head -0`): nothing more to write
    os._exit(code)


def main() -> None:
    """Console-script entry point (``vakit``, ``python -m vakit``). A timer command ends through :func:`leave`."""
    from vakit.cli.plain import interruptible

    argv = sys.argv[1:]
    if fast_command(argv) is None:
        interruptible(lambda: run(argv))
        return
    try:
        interruptible(lambda: run(argv))
    except SystemExit as exc:
        leave(exc.code)
    leave(0)
