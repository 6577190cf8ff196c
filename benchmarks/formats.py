"""The time entries of a generated ledger in other tools' storage formats, written beside it in the cache.

- :func:`toggl_csv`: a Toggl Track "detailed" CSV export (the columns of ``src/vakit/data/toggl-detailed-*.csv``;
  wall times in the home zone, UTF-8 with a byte-order mark), what ``vakit log import`` reads;
- :func:`watson_dir`: Watson's ``frames`` file (a JSON list of ``[start, stop, project, id, tags, updated_at]``,
  epoch seconds UTC) with an empty ``state``, as ``WATSON_DIR`` holds them;
- :func:`timewarrior_dir`: Timewarrior's database (``TIMEWARRIORDB``): ``data/YYYY-MM.data`` files, one per
  local month of the intervals' starts, with lines ``inc 20250101T090000Z - 20250101T100000Z # tag …``, and
  ``tags.data``.

A client becomes a Watson project and a Timewarrior tag (:func:`slug`); own time is ``admin``. Each is written
once per ledger (folders are made under a temporary name, then renamed).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import unicodedata
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
TOGGL_COLUMNS = ("User", "Email", "Client", "Project", "Task", "Description", "Billable", "Start date", "Start time",
                 "End date", "End time", "Duration", "Tags", "Amount ()")


def slug(name: str | None, client_id: int | None) -> str:
    """A client's name as a project/tag without spaces (``"Harbour & Finch Ltd"`` → ``harbour-finch-ltd``;
    a name without Latin letters → ``client-<id>``); own time → ``admin``."""
    if name is None:
        return "admin"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return s or f"client-{client_id}"


def _rows(ledger: Path):
    """Every entry of the ledger, oldest first: (id, client id, client name, start, end, description, project,
    tags text, billable)."""
    conn = sqlite3.connect(f"{ledger.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT e.id, e.client_id, c.name, e.start_utc, e.end_utc, e.description, e.project,"
                            " e.tags, e.billable FROM time_entries e LEFT JOIN clients c ON c.id = e.client_id"
                            " WHERE e.end_utc IS NOT NULL ORDER BY e.start_utc, e.id").fetchall()
    finally:
        conn.close()


def _once(target: Path, make: Callable[[Path], None]) -> Path:
    """``target``, made by ``make(tmp_path)`` under a temporary name first if it is missing."""
    if not target.exists():
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.unlink(missing_ok=True)
        make(tmp)
        tmp.rename(target)
    return target


def toggl_csv(folder: Path, tz: str) -> Path:
    """``folder/toggl.csv``: every entry of ``folder/ledger.sqlite3`` as a Toggl detailed export in zone ``tz``."""

    def make(path: Path) -> None:
        z = ZoneInfo(tz)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(TOGGL_COLUMNS)
        for _id, _cid, name, start, end, description, project, tags, billable in _rows(folder / "ledger.sqlite3"):
            s, e = datetime.fromtimestamp(start, z), datetime.fromtimestamp(end, z)
            d = end - start
            w.writerow(("Asha Rao", "asha@example.com", name or "", project, "", description,
                        "Yes" if billable else "No", f"{s:%Y-%m-%d}", f"{s:%H:%M:%S}", f"{e:%Y-%m-%d}", f"{e:%H:%M:%S}",
                        f"{d // 3600:02d}:{d % 3600 // 60:02d}:{d % 60:02d}", tags, ""))
        path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")

    return _once(folder / "toggl.csv", make)


def watson_dir(folder: Path) -> Path:
    """``folder/watson``: a Watson folder (``frames``, ``state``) holding every entry of the ledger."""

    def make(path: Path) -> None:
        path.mkdir()
        frames = [[start, end, slug(name, cid), uuid.UUID(int=eid).hex, [t for t in tags.split(", ") if t], end]
                  for eid, cid, name, start, end, _d, _p, tags, _b in _rows(folder / "ledger.sqlite3")]
        (path / "frames").write_text(json.dumps(frames, indent=1, ensure_ascii=False), encoding="utf-8")
        (path / "state").write_text("{}", encoding="utf-8")

    return _once(folder / "watson", make)


def timewarrior_dir(folder: Path, tz: str) -> Path:
    """``folder/timewarrior``: a Timewarrior database (``timewarrior.cfg``, ``data/*.data``, ``tags.data``)
    holding every entry of the ledger; files by the local month (zone ``tz``) of each interval's start."""

    def make(path: Path) -> None:
        (path / "data").mkdir(parents=True)
        (path / "timewarrior.cfg").write_text("", encoding="utf-8")
        z = ZoneInfo(tz)
        files: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        for _eid, cid, name, start, end, _d, _p, tags, _b in _rows(folder / "ledger.sqlite3"):
            names = sorted({slug(name, cid), *(t for t in tags.split(", ") if t)})
            for t in names:
                counts[t] = counts.get(t, 0) + 1
            line = f"inc {_tw(start)} - {_tw(end)} # {' '.join(_tw_tag(t) for t in names)}"
            files.setdefault(f"{datetime.fromtimestamp(start, z):%Y-%m}", []).append(line)
        for month, lines in files.items():
            (path / "data" / f"{month}.data").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (path / "data" / "tags.data").write_text(
            json.dumps({t: {"count": n} for t, n in sorted(counts.items())}, indent=2), encoding="utf-8")

    return _once(folder / "timewarrior", make)


def _tw(t: int) -> str:
    return f"{datetime.fromtimestamp(t, UTC):%Y%m%dT%H%M%SZ}"


def _tw_tag(tag: str) -> str:
    """A tag as Timewarrior writes it: quoted when it holds a space or a quote."""
    return f'"{tag}"' if re.search(r"[\s\"'()<>=-]", tag) else tag
