"""Import a Toggl Track "detailed" CSV export (Reports → Detailed → Export CSV).

The file is UTF-8, usually with a byte-order mark; columns ``User, Email, Client, Project, Task, Description,
Billable, Start date, Start time, End date, End time, Duration, Tags, Amount (…)``. Dates are ``YYYY-MM-DD``
and times ``HH:MM:SS``, wall times in the zone of whoever exported it (``opts.tz``), without an offset; the
``Duration`` (``HH:MM:SS``) is cross-checked, and settles a wall time of a fall-back night where only one
reading matches it (else ``--fold`` does, else the row is rejected). ``Tags`` (``"calls, email"``) are kept as
tags. A row without a client that is not billable is kept as non-billable time without a client; a billable
one is rejected. Each row's key is a SHA-256 of its identifying fields (the same key vakit has always given
a Toggl row, so a file imported by an older vakit is still recognised).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

from vakit.core.errors import InvalidValue
from vakit.core.timeparse import check_year
from vakit.services.importers.reading import (
    clean_field,
    clean_tags,
    decode_text,
    iter_csv_rows,
    parse_rows,
    read_limited,
    row_key,
)
from vakit.services.importers.rows import ImportOptions, ImportRow, Parsed, Rejected, RowError
from vakit.services.importers.walltime import settle_interval

REQUIRED = ("Client", "Description", "Billable", "Start date", "Start time", "End date", "End time")
KEY_FIELDS = ("User", "Email", "Client", "Project", "Task", "Description", "Start date", "Start time",
              "End date", "End time")


def parse(path: Path, opts: ImportOptions) -> Parsed:
    """Read ``path`` (a Toggl detailed CSV) into rows with UTC instants. Rows that cannot be read are
    rejected with their line (the header is line 1); the file is refused whole (InvalidValue) when it is not
    UTF-8, not CSV, or lacks a column of :data:`REQUIRED`."""
    text = decode_text(read_limited(path), path.name)
    rejected: list[Rejected] = []
    rows = iter_csv_rows(text, path.name, "toggl", REQUIRED, rejected)  # one row at a time
    parsed = parse_rows(rows, lambda line, row, note: _row(line, row, opts, note))
    parsed.rejected = sorted(rejected + parsed.rejected, key=lambda r: r.line)
    return parsed


def _row(line: int, row: dict[str, str], opts: ImportOptions, note) -> ImportRow:
    name = opts.client_for(clean_field(row["Client"], "name"))
    billable = (row.get("Billable") or "").strip().lower() in ("yes", "true", "1")
    if not name and billable:
        raise RowError("billable time without a client")
    start = _wall(row["Start date"], row["Start time"])
    end = _wall(row["End date"], row["End time"])
    start_utc, end_utc = settle_interval(start, end, opts.tz, opts.fold, duration(row.get("Duration", "")),
                                         note=note)
    return ImportRow(line=line, client=name, start_utc=start_utc, end_utc=end_utc, tz=opts.tz,
                     key=row_key("toggl", *((row.get(k) or "").strip() for k in KEY_FIELDS)),
                     description=clean_field(row.get("Description"), "description"),
                     project=clean_field(row.get("Project"), "project"),
                     tags=clean_tags((row.get("Tags") or "").split(",")), billable=billable)


def _wall(d: str, t: str) -> datetime:
    """``YYYY-MM-DD`` and ``HH:MM[:SS]`` → a naive wall time. Raises RowError."""
    try:
        if not _TIME(t):
            raise ValueError(t)
        return datetime.combine(_day(d), time.fromisoformat(t))
    except (ValueError, InvalidValue) as exc:
        raise RowError(f"could not read date/time {d!r} {t!r} (expected YYYY-MM-DD and HH:MM:SS)") from exc


_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?").fullmatch


@lru_cache(maxsize=4096)
def _day(d: str) -> date:
    """A ``YYYY-MM-DD`` date (one of the few thousand an export has, each read once). Raises ValueError or
    InvalidValue (a year vakit does not keep)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", d):
        raise ValueError(d)
    return check_year(date.fromisoformat(d))


def duration(text: str | None) -> int | None:
    """A ``H:MM:SS`` duration column → seconds; None when empty or in another shape (then not checked)."""
    parts = (text or "").strip().split(":")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    h, m, s = (int(p) for p in parts)
    return h * 3600 + m * 60 + s
