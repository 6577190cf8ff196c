"""The help every command shows, and docs/cli.md generated from it (issue 10): every command says what it is for
in one line, every option and argument says what it takes, every command shows examples that parse as written,
and docs/cli.md is what :mod:`vakit.cli.reference` generates today."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from vakit.cli.helptext import example_lines
from vakit.cli.reference import REGENERATE, commands, purpose, reference

DOCS = Path(__file__).resolve().parents[1] / "docs"

#: commands and options let off these checks (none)
NO_HELP_YET: set[str] = set()
NO_EXAMPLES_YET: set[str] = set()


def leaves():
    """(context, command) of every command that does something itself: not a group, or a group that runs
    without a subcommand (``schedule block --from …``)."""
    return [(ctx, cmd) for ctx, cmd in commands()
            if not hasattr(cmd, "list_commands") or getattr(cmd, "invoke_without_command", False)]


def test_every_command_says_what_it_is_for_in_one_line():
    offenders = [ctx.command_path for ctx, cmd in commands() if not purpose(cmd) or "\n" in purpose(cmd)]
    assert offenders == [], f"commands whose help does not start with a one-line purpose: {offenders}"


def test_every_option_and_argument_has_help():
    offenders = []
    for ctx, cmd in commands():
        for p in cmd.get_params(ctx):
            name = p.opts[-1] if p.param_type_name == "option" else p.human_readable_name
            if not getattr(p, "hidden", False) and not (getattr(p, "help", None) or "").strip():
                offenders.append(f"{ctx.command_path} {name}")
    assert sorted(set(offenders) - NO_HELP_YET) == [], "options and arguments without help text"


def resolve(line: str):
    """An example line → (the command it runs, its arguments after the command's name)."""
    words = shlex.split(line)
    assert words[0] == "vakit", line
    ctx, cmd = next(iter(commands()))
    words = words[1:]
    while words and words[0] == "--db":
        words = words[2:]
    while hasattr(cmd, "list_commands") and words and words[0] in cmd.list_commands(ctx):
        name, words = words[0], words[1:]
        cmd = cmd.get_command(ctx, name)
        ctx = cmd.context_class(cmd, info_name=name, parent=ctx)
    return ctx, cmd, words


def test_every_command_shows_examples_that_parse_as_written():
    missing, wrong = [], []
    for ctx, cmd in leaves():
        lines = example_lines(cmd.epilog) or example_lines(cmd.help)
        if not lines and ctx.command_path not in NO_EXAMPLES_YET:
            missing.append(ctx.command_path)
        for line in lines:
            found, command, args = resolve(line)
            if found.command_path != ctx.command_path:
                wrong.append(f"{ctx.command_path}: {line!r} runs {found.command_path!r}")
                continue
            try:
                command.make_context(found.info_name, list(args), parent=found.parent)
            except Exception as exc:  # noqa: BLE001 - a usage error of any Click flavour names the offender
                wrong.append(f"{line!r}: {type(exc).__name__}: {exc}")
    assert missing == [], f"commands without examples: {missing}"
    assert wrong == [], "examples that do not parse:\n" + "\n".join(wrong)


def test_examples_show_in_help_as_written(cli):
    out = cli("log", "add", "--help").stdout
    assert out.endswith("Examples:\n\n"
                        "    vakit log add --client \"Northwind Analytics\" --from \"yesterday 9:00\" --to 10:30 "
                        "\"Inbox triage\"\n"
                        "    vakit log add --date 2026-10-05 --from 16:00 --duration 45m \"Bookkeeping\" +admin\n"), out


def test_docs_cli_md_is_generated_from_the_command_tree():
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == reference(), f"docs/cli.md is out of date; run: " \
        f"{REGENERATE} to regenerate"


def test_the_reference_does_not_depend_on_the_terminal_or_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAKIT")}
    env.update(COLUMNS="40", LINES="10", LC_ALL="C", PYTHONIOENCODING="ascii", VAKIT_HOME=str(tmp_path),
               VAKIT_NOW="2031-02-03T04:05:06+00:00")
    out = subprocess.run([sys.executable, "-m", "vakit.cli.reference"], capture_output=True, env=env, check=True,
                         cwd=tmp_path)
    assert out.stdout == (DOCS / "cli.md").read_bytes(), f"run: {REGENERATE} to regenerate"
