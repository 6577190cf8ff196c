"""Time entries as files another program reads: CSV (spreadsheets), JSON (vakit and scripts) and timeclock
(hledger, Ledger). Pure functions: :class:`ExportEntry` values in, bytes out; nothing here touches the ledger.

CSV (RFC 4180): UTF-8, CRLF line ends, a header row, fields quoted only where needed (a comma, a quote or a
line break). One row per finished entry, columns :data:`CSV_COLUMNS`:

=========== ===================================================================================================
id          the entry's number in this ledger (integer)
client      the client's name; empty for time without a client
start       ISO-8601 local time with the UTC offset, in the entry's own zone: ``2026-10-12T09:15:00+02:00``
end         the same for the end (exclusive)
zone        the IANA zone the entry was recorded in (``Europe/Berlin``)
seconds     the exact duration, ``end - start`` in seconds (integer)
hours       ``seconds / 3600`` rounded half-up to 4 decimal places (``0.5000``, 1 minute → ``0.0167``); for
            sums in a spreadsheet; ``seconds`` is the exact figure
billable    ``yes`` or ``no``
tags        the tags as stored, joined by ``", "`` (``calls, email``)
project     the project, or empty
description what was done
source      how the entry came in: ``timer``, ``manual``, ``import:toggl`` …
invoice     the number of the issued invoice that bills it; empty when unbilled or only on a draft
source_key  the entry's import fingerprint, when it came from an import (re-importing keeps it)
long_ok     ``yes`` when the entry is longer than the 16 h maximum on purpose (stored with ``--force``), else
            ``no``; the import lets only such rows be that long (a file without the column: ``no``)
overlap_ok  ``yes`` when the entry overlaps other entries on purpose (stored with ``--allow-overlap``), else
            ``no``; the import lets such rows overlap without ``--allow-overlap`` (a file without the column:
            ``no``)
=========== ===================================================================================================

Formula injection (OWASP "CSV Injection"; C-31): a text cell that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is run as a formula by spreadsheet programs, so it is written with a leading
apostrophe (``'=HYPERLINK(…)``), which spreadsheets show as text. So that the import can undo exactly that, a
text cell that is such a cell already preceded by apostrophes (``'=x``) gets one more too: the import removes
one apostrophe from any cell matching ``'+[=+\\-@\\t\\r]`` and from no other. Numeric cells (id, seconds,
hours) are never touched. ``excel=True`` writes a UTF-8 byte-order mark first, without which Excel reads
UTF-8 in the system code page and garbles "Çağrı" (C-30); the import skips it.

JSON: the envelope every ``--json`` output uses, ``{"vakit": "1", "kind": "time_entries_export", "data":
…}``, whose ``data`` carries ``format_version`` (:data:`JSON_FORMAT_VERSION`) and ``entries`` in the shape
of :func:`entry_record`; instants in UTC (``…Z``) beside the zone, text as stored (no apostrophes).
``long_ok`` and ``overlap_ok`` came later within format version 1: a reader takes an entry without them as
``false``.

Timeclock (hledger's ``hledger_timeclock(5)``, Ledger's ``timelog``): one ``i``/``o`` pair per entry in
start order, ``i 2026/10/12 09:15:00 Client:Project  description`` / ``o 2026/10/12 10:40:00``. The format
has no zone (hledger ignores an offset and reads every time as local), so all times are written in one
zone, named in the header comment ``; times in Europe/Berlin``. An entry across a clock change shows a
local span an hour off its real duration; a comment line before it says so (export with ``--tz UTC`` for
exact durations).

Sources: RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180); OWASP, "CSV Injection"
(https://owasp.org/www-community/attacks/CSV_Injection); hledger's timeclock format
(https://hledger.org/timeclock.html, ``hledger_timeclock(5)``), checked with hledger 1.25.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["CSV_COLUMNS", "JSON_FORMAT_VERSION", "JSON_KIND", "NUMERIC_COLUMNS", "ExportEntry", "account_name",
           "entries_csv", "entries_json", "entries_timeclock", "entry_record", "hours_text", "neutralise",
           "unneutralise"]

#: the CSV header, in order (see the module docstring for each column)
CSV_COLUMNS = ("id", "client", "start", "end", "zone", "seconds", "hours", "billable", "tags", "project",
               "description", "source", "invoice", "source_key", "long_ok", "overlap_ok")
#: columns holding numbers: written as plain numbers, never given an apostrophe
NUMERIC_COLUMNS = frozenset({"id", "seconds", "hours"})
JSON_KIND = "time_entries_export"
#: the version of the entry shape in :func:`entry_record`; a reader refuses a newer one
JSON_FORMAT_VERSION = 1
BOM = "\ufeff"

#: a cell a spreadsheet would run as a formula (OWASP CSV Injection: = + - @ tab CR), or such a cell already
#: behind apostrophes
_DANGEROUS = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


@dataclass(frozen=True)
class ExportEntry:
    """A finished time entry as exported: ``[start_utc, end_utc)`` epoch seconds, recorded in zone ``tz``.

    ``client`` is None for time without a client; ``tags`` in stored order; ``invoice`` the number of the
    issued invoice billing it (None when unbilled or on a draft); ``source_key`` its import fingerprint;
    ``long_ok`` that it is longer than the maximum on purpose (``time_entries.long_ok``, ``--force``);
    ``overlap_ok`` that it overlaps other entries on purpose (``time_entries.overlap_ok``,
    ``--allow-overlap``)."""

    id: int
    client: str | None
    start_utc: int
    end_utc: int
    tz: str
    description: str = ""
    project: str = ""
    tags: tuple[str, ...] = ()
    billable: bool = True
    source: str = ""
    source_key: str | None = None
    invoice: str | None = None
    long_ok: bool = False
    overlap_ok: bool = False

    @property
    def seconds(self) -> int:
        """The exact duration in seconds."""
        return self.end_utc - self.start_utc


def neutralise(cell: str) -> str:
    """A text cell safe from spreadsheet formulas: ``"=SUM(A1)"`` → ``"'=SUM(A1)"``, ``"'=x"`` → ``"''=x"``,
    anything else unchanged (OWASP CSV Injection; C-31). Undone exactly by :func:`unneutralise`."""
    return "'" + cell if _DANGEROUS.match(cell) else cell


def unneutralise(cell: str) -> str:
    """Undo :func:`neutralise`: one apostrophe off a cell matching ``'+[=+\\-@\\t\\r]``; others unchanged."""
    return cell[1:] if _ESCAPED.match(cell) else cell


def hours_text(seconds: int) -> str:
    """Seconds → decimal hours, rounded half-up to 4 places: 1800 → ``"0.5000"``, 60 → ``"0.0167"``."""
    return str((Decimal(seconds) / 3600).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _local(seconds: int, tz: str) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.fromtimestamp(seconds, ZoneInfo(tz))


def _iso_utc(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def entries_csv(entries: list[ExportEntry], *, excel: bool = False) -> bytes:
    """The entries as CSV bytes (RFC 4180, CRLF, header :data:`CSV_COLUMNS`), UTF-8 with a byte-order mark
    first when ``excel``. Text cells pass through :func:`neutralise`."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for e in entries:
        cells = {"id": str(e.id), "client": e.client or "", "start": _local(e.start_utc, e.tz).isoformat(),
                 "end": _local(e.end_utc, e.tz).isoformat(), "zone": e.tz, "seconds": str(e.seconds),
                 "hours": hours_text(e.seconds), "billable": "yes" if e.billable else "no",
                 "tags": ", ".join(e.tags), "project": e.project, "description": e.description,
                 "source": e.source, "invoice": e.invoice or "", "source_key": e.source_key or "",
                 "long_ok": "yes" if e.long_ok else "no", "overlap_ok": "yes" if e.overlap_ok else "no"}
        w.writerow([v if c in NUMERIC_COLUMNS else neutralise(v) for c, v in cells.items()])
    return ((BOM if excel else "") + buf.getvalue()).encode("utf-8")


def entry_record(e: ExportEntry) -> dict:
    """One entry in the JSON export (format version 1)::

        {"id": 12, "client": "Acme" | null, "start": "2026-10-12T07:15:00Z", "end": "2026-10-12T08:40:00Z",
         "tz": "Europe/Berlin", "local_start": "2026-10-12T09:15:00+02:00", "local_end": "…",
         "seconds": 5100, "billable": true, "project": "", "tags": ["calls", "email"], "description": "…",
         "source": "timer", "source_key": null | "toggl:…", "invoice": null | "INV-2026-001",
         "long_ok": false, "overlap_ok": false}

    ``start``/``end``/``tz``, the text fields, ``long_ok`` (longer than the 16 h maximum on purpose, stored
    with ``--force``) and ``overlap_ok`` (overlapping other entries on purpose, stored with
    ``--allow-overlap``) are what an import reads; ``local_*`` and ``seconds`` are there for people and
    scripts."""
    return {"id": e.id, "client": e.client, "start": _iso_utc(e.start_utc), "end": _iso_utc(e.end_utc),
            "tz": e.tz, "local_start": _local(e.start_utc, e.tz).isoformat(),
            "local_end": _local(e.end_utc, e.tz).isoformat(), "seconds": e.seconds, "billable": e.billable,
            "project": e.project, "tags": list(e.tags), "description": e.description, "source": e.source,
            "source_key": e.source_key, "invoice": e.invoice, "long_ok": e.long_ok,
            "overlap_ok": e.overlap_ok}


def entries_json(entries: list[ExportEntry], *, exported_utc: int, period: dict | None = None,
                 client: str | None = None) -> bytes:
    """The JSON export: the envelope with ``data = {"format_version": 1, "exported": "…Z", "period":
    {"from": "2026-10-01", "to": "2026-10-31", "tz": "…"} | null, "client": name | null, "entries": [...]}``,
    indented by 2, UTF-8 (not ASCII-escaped), ending in a newline."""
    data = {"format_version": JSON_FORMAT_VERSION, "exported": _iso_utc(exported_utc), "period": period,
            "client": client, "entries": [entry_record(e) for e in entries]}
    envelope = {"vakit": "1", "kind": JSON_KIND, "data": data}
    return (json.dumps(envelope, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _component(text: str) -> str:
    """One part of an account name: ``:`` (the separator) and runs of white space become one space, no
    leading or trailing space (two spaces would end the account name in timeclock)."""
    return " ".join(text.replace(":", " ").split())


def account_name(client: str | None, project: str = "") -> str:
    """``Client:Project`` for timeclock, each part through :func:`_component`; ``no client`` without one."""
    parts = [_component(client or "") or "no client"]
    if _component(project):
        parts.append(_component(project))
    return ":".join(parts)


def _stamp(seconds: int, tz: str) -> str:
    return f"{_local(seconds, tz):%Y/%m/%d %H:%M:%S}"


def entries_timeclock(entries: list[ExportEntry], tz: str) -> bytes:
    """The entries as a timeclock file, times in ``tz`` (LF line ends, UTF-8)::

        ; vakit time entries, times in Europe/Berlin (hledger and Ledger read them as local times)
        i 2026/10/12 09:15:00 Acme:Website  Weekly sync
        o 2026/10/12 10:40:00

    The description is one line with ``;`` (a comment in newer hledger) written as ``,``; an entry whose
    local span differs from its duration (a clock change) is preceded by a comment giving the real one."""
    lines = [f"; vakit time entries, times in {tz} (hledger and Ledger read them as local times)"]
    for e in sorted(entries, key=lambda x: (x.start_utc, x.id)):
        a, b = _local(e.start_utc, tz), _local(e.end_utc, tz)
        wall = int((b.replace(tzinfo=None) - a.replace(tzinfo=None)).total_seconds())
        if wall != e.seconds:
            lines.append(f"; entry #{e.id} crosses a clock change in {tz}: {_hms(e.seconds)} worked, "
                         f"the local times span {_hms(wall)}")
        desc = " ".join(e.description.replace(";", ",").split())
        lines.append(f"i {_stamp(e.start_utc, tz)} {account_name(e.client, e.project)}" + (f"  {desc}" if desc
                                                                                          else ""))
        lines.append(f"o {_stamp(e.end_utc, tz)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _hms(seconds: int) -> str:
    """``5400`` → ``"1:30:00"``, ``-2400`` → ``"-0:40:00"``."""
    sign, s = ("-" if seconds < 0 else ""), abs(seconds)
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
