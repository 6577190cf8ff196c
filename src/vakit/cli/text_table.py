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
#: the narrowest a wrapping column is made when the width is short
FLOOR = 4


class Column:
    """A column: its ``header``, ``justify`` (left or right), whether cells ``wrap`` (else a cell keeps its
    width on one line), and the least width it is given when cells are wrapped (``min_width``)."""

    __slots__ = ("header", "justify", "wrap", "min_width")

    def __init__(self, header: str, justify: str = "left", wrap: bool = False, min_width: int | None = None) -> None:
        self.header, self.justify, self.wrap, self.min_width = printable(header), justify, wrap, min_width


class TextTable:
    """Rows of text cells under a title, with section lines (see the module docstring)."""

    def __init__(self, title: str = "") -> None:
        self.title = printable(title)
        self.columns: list[Column] = []
        self.rows: list[list[str] | None] = []  # None: a section line

    def add_column(self, header: str, *, justify: str = "left", wrap: bool = False,
                   min_width: int | None = None) -> None:
        """Add a column (see :class:`Column`)."""
        self.columns.append(Column(header, justify, wrap, min_width))

    def add_row(self, *cells: str) -> None:
        """Add a row of ``str`` cells, one per column (missing ones are empty)."""
        row = [printable(c).replace("\t", " ") for c in cells]
        self.rows.append(row + [""] * (len(self.columns) - len(row)))

    def add_section(self) -> None:
        """Draw a line before the next row."""
        self.rows.append(None)

    def widths(self, width: int) -> list[int]:
        """Each column's width in cells (padding and borders not counted) for a table at most ``width`` cells
        wide: each column's widest cell; when that is too wide, wrapping columns give up what they hold beyond
        their longest word (in proportion), then beyond :data:`FLOOR`."""
        natural, least = [], []
        for i, col in enumerate(self.columns):
            cells = [col.header] + [r[i] for r in self.rows if r is not None]
            lines = [ln for c in cells for ln in c.split("\n")]
            natural.append(max(cell_len(ln) for ln in lines))
            if col.wrap:
                word = max((cell_len(w) for ln in lines for w in ln.split(" ")), default=0)
                least.append(min(natural[-1], max(word, col.min_width or 0)))
            else:
                least.append(natural[-1])
        out = natural[:]
        room = width - (3 * len(out) + 1)
        for floor in (least, [min(n, max(FLOOR, c.min_width or 0)) if c.wrap else n
                              for n, c in zip(natural, self.columns)]):
            excess = sum(out) - room
            spare = [max(0, w - f) for w, f in zip(out, floor)]
            if excess <= 0 or not sum(spare):
                break
            cut = min(excess, sum(spare))
            shares = [s * cut // sum(spare) for s in spare]
            for i in sorted(range(len(out)), key=lambda i: -spare[i]):  # the rounding remainder, widest first
                if sum(shares) >= cut:
                    break
                if shares[i] < spare[i]:
                    shares[i] += 1
            out = [w - s for w, s in zip(out, shares)]
        return out

    def lines(self, width: int) -> tuple[str, list[str], list[str]]:
        """(the title line, the header lines, the body lines with the rules) at most ``width`` cells wide when
        the columns can be wrapped to fit."""
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

        head = [rule(TOP), *row([c.header for c in self.columns], HEAD), rule(HEAD_RULE)]
        body: list[str] = []
        for r in self.rows:
            body.extend([rule(RULE)] if r is None else row(r, BODY))
        body.append(rule(BOTTOM))
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
    title, head, body = table.lines(console.width)
    if title:
        console.print(title, style="table.title", soft_wrap=True, markup=False, highlight=False)
    for line in head:
        console.print(line, style="table.header" if line.startswith(HEAD[0]) else None, soft_wrap=True,
                      markup=False, highlight=False)
    console.file.write("\n".join(body) + "\n")
    console.file.flush()
