"""Import a Toggl Track "detailed" CSV export.

The file is UTF-8, usually with a byte-order mark. Times are wall times in the zone of
whoever exported it (``tz``). Each row gets a ``source_key`` (a SHA-256 of the row's
identifying fields), so importing the same file again adds nothing. Clients are
matched by name; unknown ones are created only with ``create_clients``. Rows without
a client that are not billable are kept as non-billable time without a client.
The whole import is one transaction: if any row is bad, nothing is stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from vakit.core.clock import UTC, check_zone, fmt_hm, zone
from vakit.core.errors import InvalidValue
from vakit.core.periods import overlap
from vakit.core.text import clean_imported
from vakit.core.timeparse import check_year
from vakit.services.context import Context
from vakit.services.ledger import add_client, find_client_by_name
from vakit.services.timesheet import MAX_ENTRY_SECONDS

#: an export of ten busy years is a few MiB; anything far larger is a mistake (or /dev/zero)
MAX_IMPORT_BYTES = 64 << 20
#: stored text field → Toggl column
TEXT_FIELDS = {"description": "Description", "project": "Project", "tags": "Tags"}
REQUIRED = ("Client", "Description", "Billable", "Start date", "Start time", "End date", "End time")
KEY_FIELDS = ("User", "Email", "Client", "Project", "Task", "Description", "Start date", "Start time",
              "End date", "End time")


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do): counts of rows, and names of clients created."""

    rows: int = 0
    added: int = 0
    duplicates: int = 0
    no_client: int = 0
    created_clients: list[str] = field(default_factory=list)
    overlaps: int = 0
    seconds: int = 0
    dry_run: bool = False


def read_rows(data: bytes, source: str) -> list[dict[str, str]]:
    """Decode the CSV (BOM stripped) and check its header. Raises InvalidValue naming a missing column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidValue(f"{source} is not UTF-8 text") from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InvalidValue(f"{source} is not a Toggl detailed export: missing column {missing[0]!r}")
        if len(header) > 200:
            raise InvalidValue(f"{source} has {len(header)} columns; a Toggl export has about 15")
        twice = sorted(c for c, n in Counter(header).items() if n > 1)
        if twice:
            raise InvalidValue(f"{source}: column {twice[0]!r} appears more than once")
        rows = []
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue  # a blank line
            if len(fields) != len(header):
                raise InvalidValue(f"{source} line {reader.line_num}: {len(fields)} fields where the header has "
                                   f"{len(header)}")
            rows.append({k: _clean(v) for k, v in zip(header, fields)})
    except csv.Error as exc:
        raise InvalidValue(f"{source} line {reader.line_num}: not valid CSV ({exc})") from exc
    return rows


def _clean(value: str) -> str:
    """Field text without control characters (NUL, escape sequences …), which no description needs."""
    return "".join(ch if ch in "\t" or unicodedata.category(ch) != "Cc" else " " for ch in value).strip()


def _wall(d: str, t: str, tz: str, where: str) -> tuple[datetime, datetime]:
    """Both readings of a wall time (fold 0 and 1); equal except in a fall-back hour."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", d) or not re.fullmatch(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?", t):
            raise ValueError(d)
        naive = datetime.combine(check_year(date.fromisoformat(d)), time.fromisoformat(t))
    except (ValueError, InvalidValue) as exc:
        raise InvalidValue(f"{where}: could not read date/time {d!r} {t!r}", "expected YYYY-MM-DD and HH:MM:SS") \
            from exc
    zi = zone(tz)
    a, b = naive.replace(tzinfo=zi, fold=0), naive.replace(tzinfo=zi, fold=1)
    if a.astimezone(UTC).astimezone(zi).replace(tzinfo=None) != naive:
        raise InvalidValue(f"{where}: {d} {t} does not exist in {tz} (DST gap)")
    return a, b


def _duration(text: str) -> int | None:
    parts = (text or "").strip().split(":")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    h, m, s = (int(p) for p in parts)
    return h * 3600 + m * 60 + s


def _interval(row: dict[str, str], tz: str, where: str) -> tuple[int, int]:
    s0, s1 = _wall(row["Start date"], row["Start time"], tz, where)
    e0, e1 = _wall(row["End date"], row["End time"], tz, where)
    dur = _duration(row.get("Duration", ""))
    candidates = {(int(s.timestamp()), int(e.timestamp())) for s in (s0, s1) for e in (e0, e1)}
    good = sorted(c for c in candidates if c[1] > c[0])
    if not good:
        raise InvalidValue(f"{where}: the end is not after the start")
    if dur is not None:
        good = [c for c in good if c[1] - c[0] == dur]
        if not good:
            raise InvalidValue(f"{where}: the Duration {row['Duration']} does not match the start and end times")
    start, end = good[0]
    if end - start > MAX_ENTRY_SECONDS:
        raise InvalidValue(f"{where}: an entry of {fmt_hm(end - start)} is longer than the "
                           f"{fmt_hm(MAX_ENTRY_SECONDS)} maximum")
    return start, end


def import_toggl(ctx: Context, path: Path, *, tz: str | None = None, create_clients: bool = False,
                 dry_run: bool = False, allow_overlap: bool = False) -> ImportResult:
    """Import ``path`` (a Toggl detailed CSV). Returns counts; with ``dry_run`` stores nothing.

    Raises InvalidValue for a missing column, an unreadable row or an unknown client
    (without ``create_clients``), naming the row (line numbers count the header as 1).
    """
    tz = check_zone(tz or ctx.profile().home_tz)
    rows = read_rows(read_limited(path), str(path))  # slow file work: before the write lock
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    prepared = []
    for n, row in enumerate(rows, start=2):
        where = f"{path.name} line {n}"
        name = clean_imported(row["Client"], "name", where)
        billable = (row.get("Billable") or "").strip().lower() in ("yes", "true", "1")
        if not name and billable:
            raise InvalidValue(f"{where}: billable time without a client")
        start, end = _interval(row, tz, where)
        key = "toggl:" + hashlib.sha256("\x1f".join((row.get(k) or "").strip() for k in KEY_FIELDS)
                                        .encode()).hexdigest()
        texts = {f: clean_imported(row.get(col), f, where) for f, col in TEXT_FIELDS.items()}
        prepared.append((name, start, end, billable, key, texts, row))
    try:
        _store(ctx, prepared, result, tz, path, allow_overlap, create_clients)
    except _DryRun:
        pass
    return result


def read_limited(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of an import file, read in chunks and refused beyond ``limit`` (so ``/dev/zero`` or a
    mistaken disk image never exhausts memory). Raises InvalidValue."""
    chunks, size = [], 0
    try:
        if path.exists() and not path.is_file():
            raise InvalidValue(f"{path} is not a regular file", "export the data to a file first")
        with open(path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise InvalidValue(f"{path} is larger than {limit // (1 << 20)} MiB, more than an export of "
                                       "time entries can be", "split the export by year")
                chunks.append(chunk)
    except OSError as exc:
        raise InvalidValue(f"cannot read {path}: {exc.strerror or exc}") from exc
    return b"".join(chunks)


def _store(ctx: Context, prepared: list, result: ImportResult, tz: str, path: Path, allow_overlap: bool,
           create_clients: bool) -> None:
    """Match clients, skip rows already imported and store the rest, all in one write transaction."""
    with ctx.ledger.write() as conn:
        clients: dict[str, object] = {}
        for name, *_rest in prepared:
            if name and name not in clients:  # the exact name (any case): never a prefix or an id
                clients[name] = find_client_by_name(ctx, name)
                if clients[name] is None:
                    if not create_clients:
                        raise InvalidValue(f"{path.name}: unknown client {name!r}",
                                           "add it first, or pass --create-clients")
                    clients[name] = add_client(ctx, name)
                    result.created_clients.append(name)
        for name, start, end, billable, key, texts, row in prepared:
            if conn.execute("SELECT 1 FROM time_entries WHERE source_key = ?", (key,)).fetchone():
                result.duplicates += 1
                continue
            clash = conn.execute("SELECT start_utc, end_utc FROM time_entries WHERE start_utc < ? AND"
                                 " end_utc > ?", (end, start)).fetchone()
            overlapped = bool(clash and overlap(start, end, clash[0], clash[1]))
            if overlapped:
                result.overlaps += 1
                if not allow_overlap:
                    raise InvalidValue(f"{path.name}: the row starting {row['Start date']} {row['Start time']}"
                                       " overlaps a stored entry", "pass --allow-overlap to import it anyway")
            client = clients.get(name) if name else None
            conn.execute(
                "INSERT INTO time_entries (client_id, start_utc, end_utc, tz, description, project, tags, billable,"
                " source, source_key, created_utc, overlap_ok) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'toggl', ?, ?, ?)",
                (client.id if client else None, start, end, tz, texts["description"], texts["project"],
                 texts["tags"], int(billable), key, ctx.clock.now_utc(), int(overlapped)))
            result.added += 1
            result.seconds += end - start
            result.no_client += 0 if name else 1
        if result.dry_run:
            raise _DryRun()



class _DryRun(Exception):
    """Raised inside the write transaction to roll a dry run back."""
