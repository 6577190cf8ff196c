"""Reading back vakit's own export (``vakit log export --format csv|json``), for moving a ledger's time to
another ledger or restoring it (issue 7). The formats are described in :mod:`vakit.exporters.entries`.

Every time in these files carries its offset (CSV: local ISO-8601 with offset, plus the IANA zone; JSON: UTC
``…Z`` plus the zone), so ``ImportOptions.tz`` and ``fold`` play no part: nothing is guessed. A CSV cell is
read back exactly as it was before the export's formula guard (one apostrophe is removed from a cell matching
``'+[=+\\-@\\t\\r]``, from no other; see :func:`vakit.exporters.entries.unneutralise`); a byte-order mark
(``--excel``) is skipped.

Each row's key (for "importing twice adds nothing") is the ``source_key`` the export carried, when the entry
came from an import before (so a Toggl file imported again after moving still adds nothing), else
``"vakit:" + sha256`` of its instants, zone, client, text, tags, billable flag and its occurrence among
identical rows of the file (two identical parallel entries stay two).

An entry longer than 16 h comes back only when the export says it was stored so on purpose (``--force``): the
``long_ok`` column (``yes``/``no``; a file without it: ``no``) or JSON field (``true``/``false``; absent:
``false``), which :attr:`~vakit.services.importers.rows.ImportRow.long_ok` carries to the store; any other
such row is rejected like any import's. Likewise an entry stored overlapping others on purpose
(``--allow-overlap``) carries ``overlap_ok`` (same spellings, same defaults), so deliberately parallel entries
come back without ``--allow-overlap`` (:attr:`~vakit.services.importers.rows.ImportRow.overlap_ok`).

A row that cannot be read becomes :class:`~vakit.services.importers.rows.Rejected` with its line (JSON: the
entry's number); a file that is not such an export at all raises InvalidValue naming what is missing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from datetime import datetime
from pathlib import Path

from vakit.core.clock import UTC, check_zone, zone
from vakit.core.errors import InvalidValue
from vakit.core.tags import split_tags
from vakit.core.timeparse import MAX_YEAR, MIN_YEAR
from vakit.exporters.entries import CSV_COLUMNS, JSON_FORMAT_VERSION, JSON_KIND, NUMERIC_COLUMNS, unneutralise
from vakit.services.importers.reading import clean_field, clean_tags, decode_text, read_limited
from vakit.services.importers.rows import ImportOptions, ImportRow, Parsed, Rejected, RowError
from vakit.services.importers.walltime import check_span

__all__ = ["looks_like", "parse_csv", "parse_json", "read_csv", "read_json"]

#: columns a CSV must have to be read; seconds, source_key, long_ok and overlap_ok are read when there (an older
#: export lacks long_ok and overlap_ok); id, hours, source and invoice are for people
REQUIRED = ("client", "start", "end", "zone", "billable", "tags", "project", "description")
_HINT_CSV = "export it with: vakit log export --format csv"
_HINT_JSON = "export it with: vakit log export --format json"
_YES, _NO = frozenset({"yes", "true", "1"}), frozenset({"no", "false", "0"})


def looks_like(data: bytes) -> str | None:
    """``"csv"`` or ``"json"`` when ``data`` (a file's bytes) is vakit's own time-entry export, else None.

    CSV: the first line (after any byte-order mark) starts with the columns ``id,client,start,end,zone``.
    JSON: an object whose ``kind`` is ``time_entries_export``."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    first = body[:2048].split(b"\n", 1)[0].rstrip(b"\r")
    if first.split(b",")[:5] == [c.encode() for c in CSV_COLUMNS[:5]]:
        return "csv"
    if body.lstrip()[:1] == b"{":
        try:
            doc = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        if isinstance(doc, dict) and doc.get("kind") == JSON_KIND:
            return "json"
    return None


def parse_csv(path: Path, opts: ImportOptions) -> Parsed:
    """Read a ``vakit log export --format csv`` file (with or without the ``--excel`` byte-order mark).
    Raises InvalidValue for a file that cannot be read or lacks a column; bad rows are rejected."""
    return read_csv(read_limited(path), str(path), opts)


def parse_json(path: Path, opts: ImportOptions) -> Parsed:
    """Read a ``vakit log export --format json`` file. Raises InvalidValue for a file that is not such an
    export (or of a newer ``format_version``); bad entries are rejected."""
    return read_json(read_limited(path), str(path), opts)


def read_csv(data: bytes, source: str, opts: ImportOptions | None = None) -> Parsed:
    """:func:`parse_csv` on bytes already read; ``source`` names the file in messages."""
    text = decode_text(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    parsed, seen = Parsed(), Counter()
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidValue(f"{source} is empty", _HINT_CSV)
        header = [h.strip() for h in header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InvalidValue(f"{source} is not a vakit CSV export: missing column {missing[0]!r}", _HINT_CSV)
        twice = sorted(c for c, n in Counter(header).items() if n > 1 and c)
        if twice:
            raise InvalidValue(f"{source}: column {twice[0]!r} appears more than once")
        line = reader.line_num + 1
        for fields in reader:
            here, line = line, reader.line_num + 1
            if not any(f.strip() for f in fields):
                continue  # a blank line
            if len(fields) != len(header):
                parsed.rejected.append(Rejected(here, f"{len(fields)} fields where the header has {len(header)}"))
                continue
            cells = {h: (v if h in NUMERIC_COLUMNS else unneutralise(v)) for h, v in zip(header, fields) if h}
            try:
                parsed.rows.append(_csv_row(cells, here, seen, opts))
            except RowError as exc:
                parsed.rejected.append(Rejected(here, str(exc)))
    except csv.Error as exc:
        raise InvalidValue(f"{source} line {reader.line_num}: not valid CSV ({exc})") from exc
    return parsed


def read_json(data: bytes, source: str, opts: ImportOptions | None = None) -> Parsed:
    """:func:`parse_json` on bytes already read; ``source`` names the file in messages."""
    text = decode_text(data, source)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidValue(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                           _HINT_JSON) from exc
    except RecursionError as exc:
        raise InvalidValue(f"{source} nests too deeply to be a vakit export", _HINT_JSON) from exc
    kind = doc.get("kind") if isinstance(doc, dict) else None
    if kind != JSON_KIND:
        what = f" (its kind is {kind!r})" if isinstance(kind, str) else ""
        raise InvalidValue(f"{source} is not a vakit time-entry export{what}", _HINT_JSON)
    body = doc.get("data")
    version = body.get("format_version") if isinstance(body, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidValue(f"{source} has no valid format_version", _HINT_JSON)
    if version > JSON_FORMAT_VERSION:
        raise InvalidValue(f"{source} is in export format {version}; this vakit reads format "
                           f"{JSON_FORMAT_VERSION}", "update vakit, or export as CSV")
    items = body.get("entries")
    if not isinstance(items, list):
        raise InvalidValue(f"{source} has no list of entries", _HINT_JSON)
    parsed, seen = Parsed(), Counter()
    for n, item in enumerate(items, start=1):
        try:
            parsed.rows.append(_json_row(item, n, seen, opts))
        except RowError as exc:
            parsed.rejected.append(Rejected(n, str(exc)))
    return parsed


def _csv_row(cells: dict[str, str], line: int, seen: Counter, opts: ImportOptions | None) -> ImportRow:
    tz = _zone(cells["zone"].strip())
    start = _local_instant(cells["start"], tz, "start")
    end = _local_instant(cells["end"], tz, "end")
    seconds = cells.get("seconds", "").strip()
    if seconds and (not (seconds.isascii() and seconds.isdigit()) or int(seconds) != end - start):
        raise RowError(f"seconds {seconds!r} is not the time from start to end ({end - start})")
    billable = cells["billable"].strip().casefold()
    if billable not in _YES | _NO:
        raise RowError(f"billable {cells['billable']!r} is neither yes nor no")
    flags = {}
    for name in ("long_ok", "overlap_ok"):
        value = cells.get(name, "").strip().casefold()
        if value and value not in _YES | _NO:
            raise RowError(f"{name} {cells[name]!r} is neither yes nor no")
        flags[name] = value in _YES
    return _row(line, seen, opts, client=cells["client"], start=start, end=end, tz=tz,
                description=cells["description"], project=cells["project"], tags=split_tags(cells["tags"]),
                billable=billable in _YES, source_key=cells.get("source_key", ""), **flags)


def _json_row(item: object, n: int, seen: Counter, opts: ImportOptions | None) -> ImportRow:
    if not isinstance(item, dict):
        raise RowError("not an object")
    for name in ("start", "end", "tz"):
        if not isinstance(item.get(name), str):
            raise RowError(f"{name} is missing or not text")
    for name in ("client", "source_key"):
        if item.get(name) is not None and not isinstance(item[name], str):
            raise RowError(f"{name} is neither text nor null")
    for name in ("description", "project"):
        if not isinstance(item.get(name, ""), str):
            raise RowError(f"{name} is not text")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise RowError("tags is not a list of text")
    billable = item.get("billable", True)
    if not isinstance(billable, bool):
        raise RowError("billable is neither true nor false")
    for name in ("long_ok", "overlap_ok"):
        if not isinstance(item.get(name, False), bool):
            raise RowError(f"{name} is neither true nor false")
    tz = _zone(item["tz"])
    start, end = _utc_instant(item["start"], "start"), _utc_instant(item["end"], "end")
    return _row(n, seen, opts, client=item.get("client") or "", start=start, end=end, tz=tz,
                description=item.get("description", ""), project=item.get("project", ""),
                tags=split_tags(",".join(tags)), billable=billable, source_key=item.get("source_key") or "",
                long_ok=item.get("long_ok", False), overlap_ok=item.get("overlap_ok", False))


def _row(line: int, seen: Counter, opts: ImportOptions | None, *, client: str, start: int, end: int,
         tz: str, description: str, project: str, tags: tuple[str, ...], billable: bool,
         source_key: str, long_ok: bool = False, overlap_ok: bool = False) -> ImportRow:
    """The checked :class:`ImportRow`: the span as any import checks it (end after start, at most 16 h unless
    the export says ``long_ok``: stored longer with ``--force``), text through the same limits as typed text.
    ``long_ok`` and ``overlap_ok`` play no part in the key, so an export from before they existed has the same
    keys. Raises RowError."""
    check_span(start, end, long_ok)
    client, description = clean_field(client, "name"), clean_field(description, "description")
    project, tags, source_key = clean_field(project, "project"), clean_tags(tags), clean_field(source_key, "source key")
    ident = json.dumps([start, end, tz, client, description, project, list(tags), billable], ensure_ascii=False)
    seen[ident] += 1
    key = source_key or "vakit:" + hashlib.sha256(f"{ident}#{seen[ident]}".encode()).hexdigest()
    if opts is not None and client:
        client = opts.client_for(client)
    return ImportRow(line=line, client=client, start_utc=start, end_utc=end, tz=tz, key=key,
                     description=description, project=project, tags=tags, billable=billable, long_ok=long_ok,
                     overlap_ok=overlap_ok)


def _zone(name: str) -> str:
    try:
        return check_zone(name)
    except InvalidValue as exc:
        raise RowError(f"unknown time zone {name!r}") from exc


def _instant(text: str, what: str) -> datetime:
    """An aware ISO-8601 date-time of whole seconds within the years vakit keeps. Raises RowError."""
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise RowError(f"{what} {text!r} is not an ISO-8601 date and time") from exc
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise RowError(f"{what} {text!r} has no UTC offset")
    if dt.microsecond:
        raise RowError(f"{what} {text!r} has fractions of a second")
    if not MIN_YEAR <= dt.astimezone(UTC).year <= MAX_YEAR:
        raise RowError(f"{what} {text!r} is outside the years vakit keeps ({MIN_YEAR}–{MAX_YEAR})")
    return dt


def _local_instant(text: str, tz: str, what: str) -> int:
    """A CSV time (local, with offset) → epoch seconds; its offset must be the zone's at that instant, so a
    hand edit across a clock change is caught rather than read an hour off. Raises RowError."""
    dt = _instant(text, what)
    at = int(dt.timestamp())
    if datetime.fromtimestamp(at, zone(tz)).utcoffset() != dt.utcoffset():
        raise RowError(f"{what} {text.strip()!r} has an offset {tz} does not have at that time")
    return at


def _utc_instant(text: str, what: str) -> int:
    return int(_instant(text, what).timestamp())
