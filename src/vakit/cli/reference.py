"""docs/cli.md, the command reference, generated from the command tree (:func:`vakit.cli.app.get_app`).

``python -m vakit.cli.reference > docs/cli.md`` regenerates it; tests/test_cli_reference.py fails when the file
differs from what :func:`reference` returns. The output depends on the commands alone: help is laid out at a fixed
width (not the terminal's), and nothing of the machine, the environment or the date goes in.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

#: the command that regenerates docs/cli.md (named in its header and by the test)
REGENERATE = "python -m vakit.cli.reference > docs/cli.md"
#: columns of the help blocks
WIDTH = 100


def commands(root: Any = None) -> Iterator[tuple[Any, Any]]:
    """(context, command) for every command of a Click command tree (Typer's vendored Click or Click itself),
    depth first in the order ``--help`` lists them, each context's ``command_path`` its full name (``vakit log
    start``). Without ``root``: the whole ``vakit`` tree."""
    if root is None:
        import typer.main

        from vakit.cli.app import get_app

        root = typer.main.get_command(get_app())

    def walk(cmd: Any, name: str, parent: Any) -> Iterator[tuple[Any, Any]]:
        ctx = cmd.context_class(cmd, info_name=name, parent=parent, terminal_width=WIDTH, max_content_width=WIDTH)
        yield ctx, cmd
        if hasattr(cmd, "list_commands"):
            for sub in cmd.list_commands(ctx):
                found = cmd.get_command(ctx, sub)
                if not getattr(found, "hidden", False):  # an alias (schedule add) is documented by its command
                    yield from walk(found, sub, ctx)

    yield from walk(root, "vakit", None)


def purpose(cmd: Any) -> str:
    """The first paragraph of a command's help (its docstring's first line): what it is for; ``""`` when it has
    none. (A first paragraph over several lines comes back with its line breaks.)"""
    return (cmd.help or "").strip().split("\n\n", 1)[0].strip()


def help_text(ctx: Any, cmd: Any) -> str:
    """What ``vakit … --help`` prints, laid out at :data:`WIDTH` columns."""
    formatter = ctx.make_formatter()
    cmd.format_help(ctx, formatter)
    return "\n".join(line.rstrip() for line in formatter.getvalue().rstrip("\n").splitlines())


def anchor(title: str) -> str:
    """The anchor GitHub gives a heading: ``vakit schedule no-show`` → ``vakit-schedule-no-show``."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def escape(text: str) -> str:
    """Text shown as it is in Markdown prose (backslashes, emphasis, code and HTML characters escaped)."""
    return re.sub(r"([\\`*_<>\[\]|])", r"\\\1", text)


def reference(root: Any = None) -> str:
    """The whole of docs/cli.md: a header saying it is generated and how to regenerate it, a contents list of
    every command with its purpose, then per command its heading, purpose and full ``--help`` (usage,
    description, arguments, options with metavar, help and meaningful defaults, examples)."""
    found = list(commands(root))
    out = [
        "# Command reference",
        "",
        f"<!-- Generated from the command tree by `{REGENERATE}`; do not edit by hand. -->",
        "",
        "Every `vakit` command with what its `--help` prints. This file is generated from the commands "
        f"themselves: after changing a command, regenerate it with `{REGENERATE}` "
        "(tests/test_cli_reference.py fails while it is out of date). Exit codes are in "
        "[exit-codes.md](exit-codes.md).",
        "",
        "## Contents",
        "",
    ]
    for ctx, cmd in found:
        depth = ctx.command_path.count(" ")
        title = ctx.command_path
        out.append(f"{'  ' * depth}- [{title}](#{anchor(title)}) — {escape(purpose(cmd))}")
    for ctx, cmd in found:
        out += ["", f"## {ctx.command_path}", "", escape(purpose(cmd)), "", "```text", help_text(ctx, cmd), "```"]
    return "\n".join(out) + "\n"


def main() -> None:
    """Print :func:`reference` on stdout as UTF-8 (``python -m vakit.cli.reference > docs/cli.md``)."""
    sys.stdout.buffer.write(reference().encode("utf-8"))


if __name__ == "__main__":
    main()
