"""Import Timewarrior's history (https://timewarrior.net, 1.x): its data folder (``~/.timewarrior/data``, the
folder holding ``data/``, or one ``YYYY-MM.data`` file). ``tags.data`` and ``undo.data`` are not history: a
folder's are skipped, and given by name they are refused (a file none of whose lines is an interval).

Each line of a ``.data`` file is an interval, as ``Interval::serialize`` writes it::

    inc 20261012T071500Z - 20261012T084000Z # tag1 "Lumen & Co" "tag-2" # annotation

start and end in UTC (``YYYYMMDDTHHMMSSZ``); tags after ``#``, quoted in ``"…"`` when they hold a space, a
quote or an operator character, with ``\\"`` for a quote inside (``quoteIfNeeded``/``escape`` in
``src/util.cpp``); an annotation after a second ``#``, kept as the description. An interval with no end
(``inc 20261031T160000Z # …``) is still running: it is reported, not imported.

Timewarrior has no clients, only tags. **The client of an interval** is, in this order:

1. the first of its tags that ``--map tag=Client Name`` maps;
2. else the first tag that is the name of a client in the ledger (in any case);
3. else its first tag as the file has it (Timewarrior writes tags sorted, so a capitalised client name such
   as ``"Lumen & Co"`` comes before lower-case activity tags such as ``email``);
4. no tags: no client (kept as non-billable time).

An unknown client is listed (and the import refused) unless ``--create-clients``: a wrong guess shows before
anything is stored. The other tags are kept as tags. A line's key is ``"timewarrior:"`` + SHA-256 of the
line, so the same interval in two files is imported once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from vakit.core.clock import UTC, fmt_local
from vakit.core.errors import InvalidValue
from vakit.services.importers.reading import clean_field, clean_tags, decode_text, read_limited
from vakit.services.importers.rows import ImportOptions, ImportRow, Parsed, Rejected, RowError
from vakit.services.importers.walltime import check_span

#: files in the data folder that are not intervals
NOT_HISTORY = {"tags.data", "undo.data", "backlog.data"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "/": "/", "b": "\b", "f": "\f"}


def data_files(path: Path) -> tuple[list[Path], str]:
    """The ``.data`` files of ``path`` (a file, the ``data`` folder or the folder holding it), oldest month
    first, and the name the summary gives them. Raises InvalidValue when there are none."""
    if not path.is_dir():
        return [path], path.name
    folder = path / "data" if (path / "data").is_dir() else path
    files = sorted(p for p in folder.glob("*.data") if p.name not in NOT_HISTORY and p.is_file())
    if not files:
        raise InvalidValue(f"{path} holds no Timewarrior data files (YYYY-MM.data)",
                           "give Timewarrior's data folder or one of its .data files")
    shown = f"{folder.parent.name}/{folder.name}" if folder.parent.name else folder.name
    return files, shown


def parse(path: Path, opts: ImportOptions) -> Parsed:
    """Read every interval of ``path`` (see :func:`data_files`). A line that cannot be read is rejected with
    its file and line; open intervals are reported. Refused whole (InvalidValue): a file that is not UTF-8,
    and a file with text but no interval at all (``undo.data``, ``tags.data`` given by name: hundreds of
    lines that are not intervals mean the wrong file, not hundreds of bad rows)."""
    files, shown = data_files(path)
    parsed = Parsed(source=shown)
    for f in files:
        text = decode_text(read_limited(f), f.name)
        lines = text.splitlines()
        if any(ln.strip() for ln in lines) and not any(ln.split()[:1] == ["inc"] for ln in lines):
            raise InvalidValue(f"{f.name} is not a Timewarrior data file: no line starts with 'inc'",
                               "Timewarrior keeps intervals in data/YYYY-MM.data")
        for n, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line:
                continue
            try:
                row = _interval(f.name, n, line, opts)
            except (RowError, InvalidValue) as exc:
                parsed.rejected.append(Rejected(n, str(exc), f.name))
                continue
            if isinstance(row, str):
                parsed.open_intervals.append(row)
            else:
                parsed.rows.append(row)
    return parsed


def tokens(line: str) -> list[tuple[str, bool, int]]:
    """A serialized interval → its words, each with whether it was quoted (a quoted ``"#"`` is a tag, not the
    separator) and where it starts in ``line``. Quotes are ``"`` or ``'``; a backslash escapes the next
    character (``\\"``, ``\\\\``, ``\\n``, ``\\uXXXX``). Raises RowError for an unterminated quote."""
    out: list[tuple[str, bool, int]] = []
    i, n = 0, len(line)
    while i < n:
        if line[i].isspace():
            i += 1
            continue
        if line[i] in "\"'":
            first, quote, i, word = i, line[i], i + 1, []
            while i < n and line[i] != quote:
                if line[i] == "\\" and i + 1 < n:
                    nxt = line[i + 1]
                    if nxt == "u" and i + 6 <= n and all(c in "0123456789abcdefABCDEF" for c in line[i + 2:i + 6]):
                        word.append(chr(int(line[i + 2:i + 6], 16)))
                        i += 6
                        continue
                    word.append(_ESCAPES.get(nxt, "\\" + nxt))
                    i += 2
                    continue
                word.append(line[i])
                i += 1
            if i >= n:
                raise RowError(f"a quote ({quote}) is not closed")
            out.append(("".join(word), True, first))
            i += 1
        else:
            j = i
            while j < n and not line[j].isspace():
                j += 1
            out.append((line[i:j], False, i))
            i = j
    return out


def _instant(text: str) -> int:
    try:
        if len(text) != 16 or not text.endswith("Z"):
            raise ValueError(text)
        return int(datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp())
    except ValueError as exc:
        raise RowError(f"could not read the time {text!r} (expected YYYYMMDDTHHMMSSZ)") from exc


def _interval(file: str, n: int, line: str, opts: ImportOptions) -> ImportRow | str:
    """One line → an :class:`ImportRow`, or the report line of an open interval. Raises RowError."""
    found = tokens(line)
    words = [(w, q) for w, q, _ in found]
    if not words or words[0] != ("inc", False):
        raise RowError("not a Timewarrior interval (a line starts with 'inc')")
    if len(words) < 2 or words[1][1]:
        raise RowError("the interval has no start")
    start = _instant(words[1][0])
    i, end = 2, None
    if len(words) > 2 and words[2] == ("-", False):
        if len(words) < 4:
            raise RowError("the interval has no end after '-'")
        end, i = _instant(words[3][0]), 4
    tags: list[str] = []
    note = ""
    if i < len(words):
        if words[i] != ("#", False):
            raise RowError(f"unexpected {words[i][0]!r} after the times (tags follow '#')")
        i += 1
        while i < len(words) and words[i] != ("#", False):
            tags.append(words[i][0])
            i += 1
        note = _annotation(line[found[i][2] + 1:]) if i < len(words) else ""
    tags_clean = list(clean_tags(tags)) if tags else []
    client_tag = _client_tag(tags_clean, opts)
    others = tuple(t for t in tags_clean if t != client_tag)
    client = opts.client_for(client_tag) if client_tag else ""
    if end is None:
        what = f"{client} ({', '.join(others)})" if others and client else client or ", ".join(others) or "untagged"
        return (f"{file} line {n}: {what} running since {fmt_local(start, opts.tz)}, not imported (stop it in "
                "Timewarrior and import again)")
    check_span(start, end)
    return ImportRow(line=n, client=client, start_utc=start, end_utc=end, tz=opts.tz, file=file,
                     key="timewarrior:" + hashlib.sha256(line.encode()).hexdigest(),
                     description=clean_field(note, "description"), tags=others,
                     billable=bool(client))


def _annotation(text: str) -> str:
    """The annotation after the second ``#``: one quoted string dequoted (``"Called \\"them\\""``), else the
    text as written (Timewarrior 1.4 writes it unquoted)."""
    text = text.strip()
    try:
        words = tokens(text)
    except RowError:
        return text
    return words[0][0] if len(words) == 1 and words[0][1] and text[-1] == text[0] else text


def _client_tag(tags: list[str], opts: ImportOptions) -> str | None:
    """The tag that names the interval's client (the rule in the module docstring), or None."""
    for t in tags:
        if opts.mapped(t):
            return t
    for t in tags:
        if t.casefold() in opts.known_clients:
            return t
    return tags[0] if tags else None
