"""The long-table renderer of ``vakit log list`` (:mod:`vakit.cli.text_table`, issue 11) draws what Rich's
default table draws when nothing needs wrapping, wraps instead of cropping when the width is short, aligns by
terminal cells (wide characters count two) and prints every cell literally."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from vakit.cli.text_table import TextTable, print_table

HEADERS = [("#", "right"), ("date", "left"), ("client", "left"), ("description", "left")]
ROWS = [["1", "Mon 05 Dec", "Northwind Analytics", "Inbox triage"],
        ["12", "Tue 06 Dec", "株式会社サンプル", "Call with Jo: launch plan"],
        ["345", "Wed 07 Dec", "Acme", ""]]


def _console(width: int) -> Console:
    return Console(width=width, file=io.StringIO(), no_color=True, markup=False, emoji=False, highlight=False,
                   color_system=None)


def _ours(width: int, rows=ROWS, wrap=True) -> list[str]:
    t = TextTable(title="Time entries (Europe/London)")
    for head, justify in HEADERS:
        t.add_column(head, justify=justify, wrap=wrap and head in ("client", "description"))
    for r in rows[:-1]:
        t.add_row(*r)
    t.add_section()
    t.add_row(*rows[-1])
    con = _console(width)
    print_table(con, t)
    return con.file.getvalue().splitlines()


def test_same_drawing_as_rich_when_nothing_wraps():
    t = Table(title="Time entries (Europe/London)")
    for head, justify in HEADERS:
        t.add_column(head, justify=justify)
    for r in ROWS[:-1]:
        t.add_row(*r)
    t.add_section()
    t.add_row(*ROWS[-1])
    con = _console(120)
    con.print(t)
    assert _ours(120) == con.file.getvalue().splitlines()


def test_a_short_width_wraps_and_never_crops():
    lines = _ours(52)
    assert all(cell_len(ln) <= 52 for ln in lines)
    body = "".join(lines)
    for word in ("Northwind", "Analytics", "launch", "plan"):
        assert word in body
    folded = iter(body)  # a word without spaces is folded across lines, its characters in order
    assert all(ch in folded for ch in "株式会社サンプル")
    # the wide-character cell keeps every column boundary on the same cell offset
    bars = {tuple(i for i, ch in enumerate(_cells(ln)) if ch in "│┃") for ln in lines if ln[:1] in "│┃"}
    assert len(bars) == 1


def test_too_narrow_is_wider_than_asked_rather_than_cut():
    lines = _ours(20, wrap=False)
    assert max(cell_len(ln) for ln in lines) > 20
    assert any("Northwind Analytics" in ln for ln in lines)


def test_cells_are_printed_literally():
    lines = _ours(120, rows=[["1", "Mon", "[bold]Acme[/]", "\x1b[31mred\tx"], ["2", "Tue", ":smile:", "\u202eevil"],
                             ["3", "Wed", "x", "y"]])
    text = "\n".join(lines)
    assert "[bold]Acme[/]" in text and ":smile:" in text and "\\x1b[31mred x" in text and "\\u202eevil" in text
    assert "\x1b" not in text and "\u202e" not in text


def _cells(line: str) -> list[str]:
    """The line as terminal cells: a wide character takes two."""
    out: list[str] = []
    for ch in line:
        out.extend([ch] * cell_len(ch))
    return out


def test_a_long_word_folds_before_a_short_column_breaks():
    """One unbroken 116-character word narrows its own column first; the times keep their width."""
    t = TextTable("t")
    t.add_column("time", wrap=True)
    t.add_column("description", wrap=True, min_width=12)
    t.add_row("17:00 – 17:25 GMT", "x" * 116)
    widths = t.widths(100)
    assert widths[0] == cell_len("17:00 – 17:25 GMT") and sum(widths) + 3 * 2 + 1 == 100


def test_a_console_that_cannot_encode_gets_ascii():
    con = Console(width=80, file=io.TextIOWrapper(io.BytesIO(), encoding="ascii"), no_color=True, markup=False,
                  emoji=False, highlight=False, color_system=None)
    t = TextTable("Entrées")
    t.add_column("client", wrap=True)
    t.add_row("Müller & Söhne 株式会社")
    print_table(con, t)
    con.file.flush()
    out = con.file.buffer.getvalue().decode("ascii")
    lines = out.splitlines()
    assert lines[0].strip() == "Entr\\xe9es" and lines[1].startswith("+--") and lines[1].endswith("-+")
    assert lines[2].startswith("| client ") and lines[3].startswith("|--")
    assert "M\\xfcller & S\\xf6hne" in out and "\\u682a\\u5f0f\\u4f1a\\u793e" in out
    assert len({len(ln) for ln in lines}) == 1
