"""Reading an import file: its bytes (size-limited), its UTF-8 text, the rows of a CSV export with a header,
a row's text fields and tags cleaned for storage, a row's idempotence key, and ``--map``/``--map-file``.
:func:`parse_rows` runs a per-row reader over CSV rows, turning a bad row into a :class:`Rejected`.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from vakit.core.errors import InvalidValue
from vakit.core.tags import MAX_TAG, MAX_TAGS, join_tags, split_tags
from vakit.core.text import LIMITS, clean_imported, clean_text
from vakit.services.importers.rows import Note, Parsed, Rejected, RowError
from vakit.store.inputs import InputWording, read_bounded

#: an export of ten busy years is a few MiB; anything far larger is a mistake (or /dev/zero)
MAX_IMPORT_BYTES = 64 << 20

#: how an import file that cannot be read is refused
IMPORT_WORDING = InputWording(what="an export of time entries", unit="MiB", smaller="split the export by year",
                              to_a_file="export the data to a file first")


def read_limited(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of an import file, at most ``limit`` bytes (:func:`vakit.store.inputs.read_bounded`: read in
    chunks, so ``/dev/zero`` or a mistaken disk image never exhausts memory). Raises InvalidValue."""
    return read_bounded(path, limit, IMPORT_WORDING)


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text of a file (a byte-order mark dropped). Raises InvalidValue naming the file, the line and the
    byte that cannot be read otherwise: a file in another encoding is refused whole, since its other lines
    would be read wrongly too (``é`` in Latin-1 is one byte, 0xE9, that UTF-8 cannot start a character with)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InvalidValue(f"{source} line {line} is not UTF-8 text (byte 0x{data[exc.start]:02X} cannot be read)",
                           "export it again as UTF-8") from exc


def clean_field(value: str | None, field_name: str) -> str:
    """A text field of a row, cleaned for storage (:func:`vakit.core.text.clean_imported`: control characters
    become spaces; the typed-input length limit applies). Raises :class:`RowError` when it is too long."""
    try:
        return clean_imported(value, field_name, "")
    except InvalidValue as exc:
        raise RowError(exc.message.removeprefix(": ")) from exc


def clean_tags(raw: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Tags read from a file → the stored shape (:mod:`vakit.core.tags`): cleaned, a comma splitting a tag,
    duplicates in another case dropped; at most ``MAX_TAGS`` tags of ``MAX_TAG`` characters, ``LIMITS["tags"]``
    together. Raises :class:`RowError`."""
    tags = split_tags(",".join(clean_field(t, "tags") for t in raw))
    long = [t for t in tags if len(t) > MAX_TAG]
    if long:
        raise RowError(f"tag '{long[0][:MAX_TAG]}…' is longer than {MAX_TAG} characters")
    if len(tags) > MAX_TAGS:
        raise RowError(f"{len(tags)} tags on one entry; at most {MAX_TAGS}")
    if len(join_tags(tags)) > LIMITS["tags"][0]:
        raise RowError(f"the tags are longer than {LIMITS['tags'][0]} characters together")
    return tags


def read_mapping(pairs: list[str] | None, map_file: Path | None) -> dict[str, str]:
    """``--map SOURCE=CLIENT`` options and a ``--map-file`` (lines ``SOURCE = Client Name``; blank lines and
    lines starting with ``#`` ignored; UTF-8) → ``{source: client}``. Sources are compared in any case; one
    source mapped to two clients is refused. Raises InvalidValue naming the bad option or line."""
    found: list[tuple[str, str, str]] = []  # (source, client, where)
    for raw in pairs or []:
        found.append((*_split_map(raw, f"--map {raw!r}"), f"--map {raw!r}"))
    if map_file is not None:
        text = decode_text(read_limited(map_file, 1 << 20), map_file.name)
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                where = f"{map_file.name} line {n}"
                found.append((*_split_map(line, where), where))
    out: dict[str, str] = {}
    for src, client, where in found:
        prior = next((k for k in out if k.casefold() == src.casefold()), None)
        if prior is not None and out[prior].casefold() != client.casefold():
            raise InvalidValue(f"{where}: {src!r} is mapped to both {out[prior]!r} and {client!r}")
        out.setdefault(prior or src, client)
    return out


def _split_map(raw: str, where: str) -> tuple[str, str]:
    src, eq, client = raw.partition("=")
    if not eq or not src.strip() or not client.strip():
        raise InvalidValue(f"{where} is not SOURCE=CLIENT", "e.g. --map lumen-co='Lumen & Co'")
    try:
        return clean_text(src, "name", label="the source name"), clean_text(client, "name", label="the client name")
    except InvalidValue as exc:
        raise InvalidValue(f"{where}: {exc.message}") from exc


def _strip_controls(value: str) -> str:
    """Field text without control characters (NUL, escape sequences …), which no field needs."""
    if value.isprintable():
        return value.strip()
    return "".join(ch if ch == "\t" or unicodedata.category(ch) != "Cc" else " " for ch in value).strip()


def read_csv_rows(text: str, source: str, fmt: str, required: tuple[str, ...]
                  ) -> tuple[list[tuple[int, dict[str, str]]], list[Rejected]]:
    """:func:`iter_csv_rows` as a list (for a parser that reads the rows twice) and the rejected rows."""
    rejected: list[Rejected] = []
    rows = list(iter_csv_rows(text, source, fmt, required, rejected))
    return rows, rejected


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """``text``'s lines with their endings (``\\r\\n``, ``\\r`` or ``\\n``, as ``io.StringIO(newline="")`` splits
    them), one at a time: a StringIO would first copy the whole text (26 MB more for a 13 MB export with one
    character beyond Latin-1)."""
    for m in _LINE.finditer(text):
        yield m.group()


def iter_csv_rows(text: str, source: str, fmt: str, required: tuple[str, ...], rejected: list[Rejected]
                  ) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV export with a header, one at a time: ``(line, {column: value})`` (values stripped,
    control characters as spaces; ``line`` the row's first line, the header being line 1); a row whose number
    of fields differs from the header's is appended to ``rejected`` as a :class:`Rejected` instead. One row at
    a time, so a 100,000-row export never holds every row's dictionary at once (issue 11).

    The header is checked before this returns, and the file refused whole (InvalidValue) when it lacks a
    ``required`` column (naming the tracker it looks like instead, when it does: see :mod:`.detect`), repeats
    a column or has more than 200 columns; a row that is not valid CSV refuses it while the rows are read.
    ``fmt`` names the expected format in messages.
    """
    from vakit.services.importers.detect import DESCRIBED, header_format

    reader = csv.reader(_lines(text), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise InvalidValue(f"{source} line {reader.line_num}: not valid CSV ({exc})") from exc
    missing = [c for c in required if c not in header]
    if missing:
        other = header_format(header)
        if other and other != fmt:
            raise InvalidValue(f"{source} is not {DESCRIBED[fmt]}: this looks like {DESCRIBED[other]}; "
                               f"use --format {other}")
        raise InvalidValue(f"{source} is not {DESCRIBED[fmt]}: missing column {missing[0]!r}")
    if len(header) > 200:
        raise InvalidValue(f"{source} has {len(header)} columns; an export has about 15")
    twice = sorted(c for c, n in Counter(header).items() if n > 1)
    if twice:
        raise InvalidValue(f"{source}: column {twice[0]!r} appears more than once")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            while True:
                line = reader.line_num + 1
                fields = next(reader, None)
                if fields is None:
                    return
                if not any(f.strip() for f in fields):
                    continue  # a blank line
                if len(fields) != len(header):
                    rejected.append(Rejected(line, f"{len(fields)} fields where the header has {len(header)}"))
                    continue
                yield line, {k: v.strip() if v.isprintable() else _strip_controls(v) for k, v in zip(header, fields)}
        except csv.Error as exc:
            raise InvalidValue(f"{source} line {reader.line_num}: not valid CSV ({exc})") from exc

    return rows()


def row_key(fmt: str, *fields: object) -> str:
    """The idempotence key of a row: ``"<fmt>:"`` + SHA-256 of its identifying ``fields`` joined by U+001F."""
    return f"{fmt}:" + hashlib.sha256("\x1f".join(str(f) for f in fields).encode()).hexdigest()


def parse_rows(rows: Iterable[tuple[int, dict[str, str]]], read_row) -> Parsed:
    """Run ``read_row(line, row, note) -> ImportRow`` over CSV ``rows`` (``note(text)`` records a
    :class:`Note` on the row), turning a :class:`RowError` (or an InvalidValue raised on one row) into a
    :class:`Rejected` with the row's line."""
    parsed = Parsed()
    for line, row in rows:
        try:
            parsed.rows.append(read_row(line, row, lambda text, n=line: parsed.notes.append(Note(n, text))))
        except (RowError, InvalidValue) as exc:
            parsed.rejected.append(Rejected(line, str(exc)))
    return parsed
