"""Long tables of plain text drawn the way Rich draws its default table — heavy head, light body, the title
centred above — in time linear in the cells.

Rich's ``Table`` measures and renders every cell through its segment machinery: 0.6 s for a month of 850
time entries (issue 11 asks ``vakit log list`` of such a month in ≤ 0.3 s). Here a cell is a string: widths
come from :func:`rich.cells.cell_len` (wide characters count two), a column that may wrap wraps at spaces and
folds a word longer than the column, and the lines are written in one go. Only the title and the header go
through the console, so they keep the console's styles on a terminal. Every cell is shown literally
(:func:`vakit.core.text.printable`; a tab as a space). When the columns cannot fit the width even wrapped, the
table is wider than the width rather than cut: no cell is ever cropped.
"""

from __future__ import annotations

from rich.cells import cell_len, chop_cells

from vakit.core.text import printable

#: Rich's ``box.HEAVY_HEAD``: (left, horizontal, between, right) of the top, the header row, the line under the
#: header, a body row, a section line and the bottom
TOP, HEAD, HEAD_RULE, BODY, RULE, BOTTOM = ("┏", "━", "┳", "┓"), ("┃", " ", "┃", "┃"), ("┡", "━", "╇", "┩"), \
    ("│", " ", "│", "│"), ("├", "─", "┼", "┤"), ("└", "─", "┴", "┘")
#: Rich's ``box.ASCII`` in the same order, for a console that cannot encode the lines above
ASCII_BOXES = (("+", "-", "-", "+"), ("|", " ", "|", "|"), ("|", "-", "+", "|"), ("|", " ", "|", "|"),
               ("|", "-", "+", "|"), ("+", "-", "-", "+"))
#: the narrowest a wrapping column is made when the width is short
FLOOR = 4
#: the longest word a wrapping column keeps whole while other columns can still narrow
WORD = 24


class Column:
    """A column: its ``header``, ``justify`` (left or right), whether cells ``wrap`` (else a cell keeps its
    width on one line), the least width it is given when cells are wrapped (``min_width``), and whether its
    words stay whole however narrow the table (``whole_words``: times and durations wrap at their spaces only,
    "09:10 –" over "10:40 IST", never inside "09:10")."""

    __slots__ = ("header", "justify", "wrap", "min_width", "whole_words")

    def __init__(self, header: str, justify: str = "left", wrap: bool = False, min_width: int | None = None,
                 whole_words: bool = False) -> None:
        self.header, self.justify, self.wrap, self.min_width = printable(header), justify, wrap, min_width
        self.whole_words = whole_words


class TextTable:
    """Rows of text cells under a title, with section lines (see the module docstring)."""

    def __init__(self, title: str = "") -> None:
        self.title = printable(title)
        self.columns: list[Column] = []
        self.rows: list[list[str] | None] = []  # None: a section line
        self.boxes = (TOP, HEAD, HEAD_RULE, BODY, RULE, BOTTOM)

    def _escaped(self) -> TextTable:
        """This table in ASCII: rules from :data:`ASCII_BOXES`, other characters escaped."""

        def ascii(text: str) -> str:
            return text.encode("ascii", "backslashreplace").decode("ascii")

        out = TextTable(ascii(self.title))
        out.boxes = ASCII_BOXES
        out.columns = [Column(ascii(c.header), c.justify, c.wrap, c.min_width, c.whole_words) for c in self.columns]
        out.rows = [None if r is None else [ascii(c) for c in r] for r in self.rows]
        return out

    def add_column(self, header: str, *, justify: str = "left", wrap: bool = False,
                   min_width: int | None = None, whole_words: bool = False) -> None:
        """Add a column (see :class:`Column`)."""
        self.columns.append(Column(header, justify, wrap, min_width, whole_words))

    def add_row(self, *cells: str) -> None:
        """Add a row of ``str`` cells, one per column (missing ones are empty)."""
        row = [printable(c).replace("\t", " ") for c in cells]
        self.rows.append(row + [""] * (len(self.columns) - len(row)))

    def add_section(self) -> None:
        """Draw a line before the next row."""
        self.rows.append(None)

    def widths(self, width: int) -> list[int]:
        """Each column's width in cells (padding and borders not counted) for a table at most ``width`` cells
        wide: each column's widest cell; when that is too wide, the widest column narrows first, cell by cell —
        a wrapping column down to its longest word (at most :data:`WORD` cells: a longer word is folded), then,
        if still too wide, down to :data:`FLOOR` cells. So a long description folds before a time or a number
        breaks, and the table is wider than asked only when even that cannot fit it."""
        natural, least, floor = [], [], []
        for i, col in enumerate(self.columns):
            cells = [col.header] + [r[i] for r in self.rows if r is not None]
            lines = [ln for c in cells for ln in c.split("\n")]
            natural.append(max(cell_len(ln) for ln in lines))
            if col.wrap:
                word = max((cell_len(w) for ln in lines for w in ln.split(" ")), default=0)
                least.append(min(natural[-1], max(min(word, WORD), col.min_width or 0)))
                body = max((cell_len(w) for r in self.rows if r is not None for w in r[i].split()), default=0)
                whole = min(body, WORD) if col.whole_words else 0
                floor.append(min(natural[-1], max(FLOOR, col.min_width or 0, whole)))
            else:
                least.append(natural[-1])
                floor.append(natural[-1])
        out = natural[:]
        excess = sum(out) - (width - (3 * len(out) + 1))
        for limit in (least, floor):
            while excess > 0:
                i = max(range(len(out)), key=lambda i: (out[i] > limit[i], out[i]))
                if out[i] <= limit[i]:
                    break
                out[i] -= 1
                excess -= 1
        return out

    def lines(self, width: int, ascii_only: bool = False) -> tuple[str, list[str], list[str]]:
        """(the title line, the header lines, the body lines with the rules) at most ``width`` cells wide when
        the columns can be wrapped to fit. ``ascii_only``: ASCII rules, and characters beyond ASCII in cells as
        ``\\x…``/``\\u…`` escapes (a console whose encoding cannot show them)."""
        if ascii_only:
            return self._escaped().lines(width)
        widths = self.widths(width)

        def rule(box: tuple[str, str, str, str]) -> str:
            left, line, between, right = box
            return left + between.join(line * (w + 2) for w in widths) + right

        def row(cells: list[str], box: tuple[str, str, str, str]) -> list[str]:
            parts = [_wrap(c, w) if col.wrap else c.split("\n") for c, w, col in zip(cells, widths, self.columns)]
            out = []
            for n in range(max(len(p) for p in parts)):
                texts = []
                for p, w, col in zip(parts, widths, self.columns):
                    text = p[n] if n < len(p) else ""
                    pad = " " * max(0, w - cell_len(text))
                    texts.append(pad + text if col.justify == "right" else text + pad)
                out.append(box[0] + " " + f" {box[2]} ".join(texts) + " " + box[3])
            return out

        top, head_row, head_rule, body_row, section, bottom = self.boxes
        head = [rule(top), *row([c.header for c in self.columns], head_row), rule(head_rule)]
        body: list[str] = []
        for r in self.rows:
            body.extend([rule(section)] if r is None else row(r, body_row))
        body.append(rule(bottom))
        total = cell_len(head[0])
        title = self.title
        if title and cell_len(title) < total:
            left = (total - cell_len(title)) // 2
            title = " " * left + title + " " * (total - cell_len(title) - left)
        return title, head, body


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells: each of its lines wrapped at spaces, a word longer than the
    width folded."""
    out: list[str] = []
    for line in text.split("\n"):
        if cell_len(line) <= width:
            out.append(line)
            continue
        current = ""
        for word in line.split(" "):
            joined = f"{current} {word}" if current else word
            if cell_len(joined) <= width:
                current = joined
                continue
            if current:
                out.append(current)
            pieces = chop_cells(word, width) if cell_len(word) > width else [word]
            out.extend(pieces[:-1])
            current = pieces[-1]
        out.append(current)
    return out


def print_table(console, table: TextTable) -> None:
    """Write ``table`` to a Rich ``console`` at its width: title and header through the console (its styles on
    a terminal), the body as plain lines in one write."""
    if console.quiet:  # --quiet: no part of it
        return
    encoding = (getattr(console.file, "encoding", None) or "utf-8").lower()
    title, head, body = table.lines(console.width, ascii_only=not encoding.startswith("utf"))
    if title:
        console.print(title, style="table.title", soft_wrap=True, markup=False, highlight=False)
    for line in head:
        header = line[:1] in (HEAD[0], "|") and line[1:2] == " "
        console.print(line, style="table.header" if header else None, soft_wrap=True, markup=False, highlight=False)
    console.file.write("\n".join(body) + "\n")
    console.file.flush()
