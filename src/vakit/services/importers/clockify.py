"""Import a Clockify "detailed report" CSV (Reports → Detailed → Export → Save as CSV).

Columns as Clockify documents them (https://docs.clockify.me/, "Detailed report"): ``Project, Client,
Description, Task, User, Group, Email, Tags, Billable, Start Date, Start Time, End Date, End Time,
Duration (h), Duration (decimal), Billable Rate (…), Billable Amount (…)``. Dates and times follow the
exporting user's settings: ``MM/DD/YYYY`` and 12-hour ``08:30:00 AM`` (US), ``DD/MM/YYYY`` and 24-hour
``08:30:00`` (EU), or ``YYYY-MM-DD``; ``/``, ``.`` and ``-`` separate the parts. The order of day and month
comes from ``--date-format`` or from the file when it settles it: some date has a day above 12 in one
place, and no date contradicts it; otherwise the import is refused naming a date that could be read both
ways. Times are wall times in ``opts.tz`` without an offset (settled like Toggl's); ``Duration (h)``
(``H:MM:SS``) is cross-checked. ``Tags`` are kept. A row's key is a SHA-256 of its user, client, project,
task, description and UTC instants, so the US and EU exports of one report are the same rows.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path

from vakit.core.errors import InvalidValue
from vakit.core.timeparse import check_year
from vakit.services.importers.reading import (
    clean_field,
    clean_tags,
    decode_text,
    parse_rows,
    read_csv_rows,
    read_limited,
    row_key,
)
from vakit.services.importers.rows import ImportOptions, ImportRow, Parsed, RowError
from vakit.services.importers.toggl import duration
from vakit.services.importers.walltime import settle_interval

REQUIRED = ("Client", "Description", "Start Date", "Start Time", "End Date", "End Time")
DATE_COLUMNS = ("Start Date", "End Date")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NUMERIC = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})[/.-]([0-9]{1,2})[/.-]([0-9]{1,2})")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?")


def parse(path: Path, opts: ImportOptions) -> Parsed:
    """Read ``path`` (a Clockify detailed report CSV) into rows with UTC instants; rows that cannot be read
    are rejected with their line (the header is line 1). Refused whole (InvalidValue): not UTF-8, not CSV, a
    missing column, or dates whose order of day and month cannot be told (see the module docstring)."""
    text = decode_text(read_limited(path), path.name)
    rows, rejected = read_csv_rows(text, path.name, "clockify", REQUIRED)
    order = opts.date_format or date_order(rows, path.name)
    parsed = parse_rows(rows, lambda line, row, note: _row(line, row, opts, order, note))
    parsed.rejected = sorted(rejected + parsed.rejected, key=lambda r: r.line)
    return parsed


def date_order(rows: list[tuple[int, dict[str, str]]], source: str) -> str:
    """``"mdy"`` or ``"dmy"`` as the file's numeric dates settle it (a day above 12 in one place and none in
    the other), ``"ymd"`` when every date starts with its year. Raises InvalidValue when dates are read both
    ways, or when some date could be either and none settles it."""
    month_first = day_first = ambiguous = None
    for line, row in rows:
        for col in DATE_COLUMNS:
            m = _NUMERIC.fullmatch(row.get(col, ""))
            if not m:
                continue
            a, b = int(m[1]), int(m[2])
            if a > 12 >= b >= 1:
                day_first = day_first or (line, row[col])
            elif b > 12 >= a >= 1:
                month_first = month_first or (line, row[col])
            elif a != b and 1 <= a <= 12 and 1 <= b <= 12:
                ambiguous = ambiguous or (line, row[col], a, b)
    if month_first and day_first:
        raise InvalidValue(f"{source}: dates are written both ways: line {day_first[0]} has {day_first[1]} (day "
                           f"first), line {month_first[0]} has {month_first[1]} (month first)",
                           "pass --date-format mdy or dmy; the rows the other way will be rejected")
    if month_first:
        return "mdy"
    if day_first:
        return "dmy"
    if ambiguous:
        _, text, a, b = ambiguous
        raise InvalidValue(f"{source}: dates like {text} could be {b} {_MONTHS[a - 1]} or {a} {_MONTHS[b - 1]}; "
                           "pass --date-format mdy or dmy")
    return "mdy"  # every date reads the same either way (05/05/2026), or none is numeric


def _row(line: int, row: dict[str, str], opts: ImportOptions, order: str, note) -> ImportRow:
    name = opts.client_for(clean_field(row["Client"], "name"))
    billable = (row.get("Billable") or ("Yes" if name else "No")).strip().lower() in ("yes", "true", "1")
    if not name and billable:
        raise RowError("billable time without a client")
    start = datetime.combine(read_date(row["Start Date"], order), read_time(row["Start Time"]))
    end = datetime.combine(read_date(row["End Date"], order), read_time(row["End Time"]))
    start_utc, end_utc = settle_interval(start, end, opts.tz, opts.fold, duration(row.get("Duration (h)")),
                                         "Duration (h)", note)
    description = clean_field(row.get("Description"), "description")
    project = clean_field(row.get("Project"), "project")
    key = row_key("clockify", row.get("User", ""), row.get("Email", ""), row["Client"], row.get("Project", ""),
                  row.get("Task", ""), row.get("Description", ""), start_utc, end_utc)
    return ImportRow(line=line, client=name, start_utc=start_utc, end_utc=end_utc, tz=opts.tz, key=key,
                     description=description, project=project,
                     tags=clean_tags((row.get("Tags") or "").split(",")), billable=billable)


def read_date(text: str, order: str) -> date:
    """A date in the export's shape → a date: ``09/01/2026`` in ``order`` ``"mdy"`` or ``"dmy"``;
    ``2026-09-01`` (year first) in any order. Raises RowError."""
    iso, num = _ISO.fullmatch(text), _NUMERIC.fullmatch(text)
    shapes = {"mdy": "MM/DD/YYYY", "dmy": "DD/MM/YYYY", "ymd": "YYYY-MM-DD"}
    try:
        if iso:
            y, mo, d = int(iso[1]), int(iso[2]), int(iso[3])
        elif num and order in ("mdy", "dmy"):
            a, b, y = int(num[1]), int(num[2]), int(num[3])
            mo, d = (a, b) if order == "mdy" else (b, a)
        else:
            raise ValueError(text)
        return check_year(date(y, mo, d))
    except (ValueError, InvalidValue) as exc:
        raise RowError(f"could not read the date {text!r} (expected {shapes[order]})") from exc


def read_time(text: str) -> time:
    """``08:30:00``, ``8:30`` (24-hour) or ``08:30:00 AM``, ``1:07 pm`` (12-hour: hour 1–12; 12 AM is
    midnight) → a time. Raises RowError."""
    m = _TIME.fullmatch(text.strip())
    try:
        if not m:
            raise ValueError(text)
        h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
        if m[4]:
            if not 1 <= h <= 12:
                raise ValueError(text)
            h = h % 12 + (12 if m[4] in "Pp" else 0)
        return time(h, mi, s)
    except ValueError as exc:
        raise RowError(f"could not read the time {text!r} (expected HH:MM:SS or HH:MM:SS AM/PM)") from exc
