"""Shared CLI plumbing: the global options, the service context, consoles and period options."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console

from vakit.cli.plain import STATE, State, context, ledger_path, print_notes  # noqa: F401 - shared with every command
from vakit.core.clock import zone
from vakit.core.errors import InvalidValue
from vakit.core.periods import Period, month_end, month_period
from vakit.core.text import printable
from vakit.core.timeparse import parse_date
from vakit.services.context import Context

#: the largest id SQLite can store (a signed 64-bit integer); larger ids are refused as usage errors
MAX_ID = 2**63 - 1


class LiteralConsole(Console):
    """A Rich console that prints every string literally: no markup (``[/]`` is text), no emoji codes
    (``:smile:`` is text), no highlighting, and control characters shown escaped (``\\x1b``), in
    messages, table cells and titles alike (all strings pass through :meth:`render_str`)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, emoji=False, highlight=False, **kwargs)

    def render_str(self, text: str, **kwargs):  # noqa: D102 - see class docstring
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(printable(text), **kwargs)

    def print(self, *objects, **kwargs) -> None:  # noqa: D102 - see :func:`fit_table`
        from rich.table import Table

        super().print(*(fit_table(self, o) if isinstance(o, Table) else o for o in objects), **kwargs)


def _least(column) -> int:
    """The least width a column takes with no word cut: its longest word (header included), or its longest
    cell for a right-aligned column of numbers and amounts, which never break."""
    from rich.cells import cell_len

    texts = [str(column.header), *(str(c) for c in column.cells)]
    if column.justify == "right":
        return max((cell_len(line) for t in texts for line in t.splitlines()), default=0)
    return max((cell_len(w) for t in texts for w in t.split()), default=0)


def fit_table(con: Console, table):
    """A Rich table as it fits ``con``'s width with no word cut (Rich alone would squeeze a column to "…"): with
    every column at least as wide as its longest word when that fits; else without vertical rules and with less
    padding; else, on a width too narrow for the columns side by side (ten columns of an invoice list on 80),
    as one block per row, ``header: value`` a line. Piped output (:data:`PIPED_WIDTH`) never changes."""
    from rich.table import Table

    if con.width >= PIPED_WIDTH or not table.columns:
        return table
    least = [max(c.min_width or 0, _least(c)) for c in table.columns]
    n = len(least)
    ruled = sum(least) + 3 * n + 1  # the default box: a rule around and between cells, a space either side
    bare = sum(least) + 2 * (n - 1)  # no rules; a space either side of a cell but at the edges
    if min(ruled, bare) <= con.width:
        for c, w in zip(table.columns, least):
            c.min_width = w
        if ruled > con.width:
            table.box, table.show_edge, table.pad_edge = None, False, False
        return table
    headers = [str(c.header) for c in table.columns]
    width = max((len(h) for h in headers), default=0)
    blocks = Table.grid(padding=(0, 1))
    blocks.add_column(no_wrap=True, style="bold")
    blocks.add_column(overflow="fold")
    cells = [list(c.cells) for c in table.columns]
    for i in range(table.row_count):
        if i:
            blocks.add_row("", "")
        for h, col in zip(headers, cells):
            value = col[i] if i < len(col) else ""
            if str(value).strip():
                blocks.add_row(f"{h.rjust(width)}:", value)
    if table.title:
        titled = Table.grid()
        titled.add_row(table.title)
        titled.add_row(blocks)
        return titled
    return blocks


#: the width of output that goes to a pipe or a file (no terminal, no ``COLUMNS``): wide enough that no row of a
#: table, and no line of a message, is ever wrapped or cut, so ``vakit invoice list | grep …`` sees every
#: character (a terminal gets its own width, and wraps, never cuts)
PIPED_WIDTH = 9999


def _width(stream) -> int | None:
    """``COLUMNS`` when set (1–9999), else None on a terminal (Rich asks it), else :data:`PIPED_WIDTH`."""
    cols = os.environ.get("COLUMNS", "")
    if cols.isascii() and cols.isdigit() and 0 < int(cols) < 10000:
        return int(cols)
    try:
        return None if stream.isatty() else PIPED_WIDTH
    except (AttributeError, ValueError):  # a closed or unusual stream
        return PIPED_WIDTH


def _plain() -> dict:
    """Console options for ``--no-color`` or ``NO_COLOR`` (https://no-color.org): no ANSI styling at all, neither
    colour nor bold."""
    return {"color_system": None} if STATE.no_color or os.environ.get("NO_COLOR") else {}


#: commands that only show something: ``--quiet`` leaves them as they are (it silences confirmations)
SHOWING = frozenset({"list", "show", "report", "status", "unbilled", "aging", "statement", "path", "busy", "hours",
                     "rules", "suggest", "export", "check", "settings", "vakit"})


def quiet() -> bool:
    """Whether ``--quiet`` silences this command's standard output: a command that changes something prints no
    confirmation; one that shows something (:data:`SHOWING`) still shows it."""
    if not STATE.quiet:
        return False
    try:
        from typer._click.globals import get_current_context  # the Click that typer >= 0.28 vendors
    except ImportError:
        from click import get_current_context
    ctx = get_current_context(silent=True)
    return ctx is None or ctx.info_name not in SHOWING


def console() -> Console:
    """The stdout console (no colour when NO_COLOR or ``--no-color`` is set or output is not a terminal; piped,
    rows at full length: :data:`PIPED_WIDTH`; no confirmations with ``--quiet``, :func:`quiet`)."""
    return LiteralConsole(width=_width(sys.stdout), soft_wrap=False, quiet=quiet(), **_plain())


def err_console() -> Console:
    """The stderr console (piped, lines at full length, as :func:`console`)."""
    return LiteralConsole(stderr=True, width=_width(sys.stderr), **_plain())


def period_from_options(ctx: Context, *, month: str | None = None, from_: str | None = None,
                        to: str | None = None, on: str | None = None, last: str | None = None,
                        tz: str | None = None) -> Period:
    """The period chosen by ``--month``, ``--from/--to``, ``--date`` or ``--last Nd``; default this month.

    Dates are local dates in ``tz`` (default: the home zone). Raises InvalidValue.
    """
    tz = tz or ctx.profile().home_tz
    zone(tz)
    today = ctx.clock.now().astimezone(zone(tz)).date()
    chosen = [n for n, v in (("--month", month), ("--from/--to", from_ or to), ("--date", on), ("--last", last)) if v]
    if len(chosen) > 1:
        raise InvalidValue(f"choose one of {' and '.join(chosen)}")
    if month:
        return month_period(month, tz)
    if on:
        d = parse_date(on, today=today)
        return Period(d, d, tz)
    if last:
        s = last.strip().lower()
        if not (s.endswith("d") and s[:-1].isascii() and s[:-1].isdigit() and 0 < int(s[:-1]) <= 3660):
            raise InvalidValue(f"could not read --last {last!r}", "give a number of days, e.g. 7d")
        return Period(today - timedelta(days=int(s[:-1]) - 1), today, tz)
    if from_ or to:
        first = parse_date(from_, today=today) if from_ else today.replace(day=1)
        last_d = parse_date(to, today=today) if to else today
        if last_d < first:
            raise InvalidValue(f"--to {last_d} is before --from {first}")
        return Period(first, last_d, tz)
    first = date(today.year, today.month, 1)
    return Period(first, month_end(first), tz)


def to_stdout(out: str | None) -> bool:
    """Whether ``-o`` names standard output (``-o -``)."""
    return out is not None and out.strip() == "-"


def check_stdout(what: str) -> None:
    """Refuse ``-o -`` for a binary document (``what``: "a PDF") when standard output is a terminal, where it
    would print as noise; checked before anything is stored. Raises InvalidValue."""
    try:
        terminal = sys.stdout.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if terminal:
        raise InvalidValue(f"-o - writes {what} to standard output, which is a terminal",
                           "pipe it (… -o - | lp) or redirect it (… -o - > file.pdf), or give -o FILE")


def binary_to_stdout(data: bytes, what: str) -> None:
    """Write a binary document (``what``: "a PDF") to standard output for ``-o -`` (:func:`check_stdout`
    first). Raises InvalidValue."""
    check_stdout(what)
    deliver(data, None)


def folder_only(out: str | None, what: str) -> None:
    """Refuse ``-o -`` for a command that writes several files (``what``: "one PDF per invoice"). Raises
    InvalidValue."""
    if to_stdout(out):
        raise InvalidValue(f"-o - cannot take {what}", "give a folder, e.g. -o invoices/")


def output_file(out: str | None, default_name: str) -> Path:
    """Where to write: ``out`` as a file, or ``default_name`` inside ``out`` when it is a folder (an
    existing one, or any path ending in ``/``); the current folder when ``out`` is None.

    Raises InvalidValue when the folder does not exist, rather than writing a file named like it.
    """
    if out is None:
        return Path(default_name)
    if not out.strip():
        raise InvalidValue("the output path is empty")
    from vakit.store.files import folder_meant

    path = Path(out).expanduser()
    target = path / default_name if folder_meant(out) else path
    if not target.parent.is_dir():
        raise InvalidValue(f"no such folder: {target.parent}")
    return target


def check_output(target: Path, *, force: bool = False) -> None:
    """Refuse, before any work is stored, an output file :func:`write_output` would refuse: the ledger or a
    database, a folder, or an existing file without ``force``; a missing folder. Raises InvalidValue."""
    from vakit.store.files import check_target

    check_target(target, force=force, ledger=ledger_path())
    if not target.parent.is_dir():
        raise InvalidValue(f"no such folder: {target.parent}")


def deliver(data: bytes, target: Path | None, *, force: bool = False) -> Path | None:
    """Write ``data`` to standard output (``target`` None: ``-o -`` or no ``-o``) or to the file ``target``
    (:func:`write_output`); returns the file written, or None for standard output."""
    if target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return None
    return write_output(target, data, force=force)


def write_output(target: Path, data: bytes, *, force: bool = False) -> Path:
    """Write an output file atomically, 0600, refusing to replace an existing file without ``force`` and
    ever to replace the ledger or any SQLite database (see :mod:`vakit.store.files`)."""
    from vakit.store.files import write_file

    return write_file(target, data, force=force, ledger=ledger_path())
