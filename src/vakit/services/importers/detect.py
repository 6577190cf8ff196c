"""Which tracker wrote a file: ``vakit log import`` without ``--format``, and the check that a file given
with ``--format`` is not plainly another tool's (a Clockify report imported as Toggl is named as such,
rather than refused for a missing column).

What each format looks like (from the tools' own files, ``shared/data/peers/`` and the Toggl export):

- Toggl Track detailed CSV: a header with ``Start date`` and ``Start time`` (lower-case d, t).
- Clockify detailed report CSV: ``Start Date``, ``Start Time``, ``Duration (h)`` (title case).
- Watson: the ``frames`` file, a JSON list of ``[start, stop, project, id, tags, updated_at]``; or the folder
  holding it (Watson's config folder: ``frames``, ``state``, ``config``).
- Timewarrior: a ``.data`` file (lines ``inc 20261012T061500Z - …``), the ``data`` folder, or the folder
  holding ``data/``.
- vakit's own CSV/JSON export: decided by ``vakit.services.importers.native.looks_like``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from vakit.core.errors import InvalidValue
from vakit.services.importers.reading import read_limited

#: format → how messages name a file of that format
DESCRIBED = {
    "toggl": "a Toggl Track detailed export",
    "clockify": "a Clockify detailed report",
    "watson": "Watson's frames file",
    "timewarrior": "Timewarrior data",
    "csv": "a vakit CSV export",
    "json": "a vakit JSON export",
}
TOGGL_COLUMNS = ("Start date", "Start time", "End date", "End time")
CLOCKIFY_COLUMNS = ("Start Date", "Start Time", "End Date", "End Time")


def header_format(header: list[str]) -> str | None:
    """``"toggl"`` or ``"clockify"`` for a CSV header row that has the one's time columns and not the
    other's; None otherwise."""
    cols = {c.strip().lstrip("\ufeff") for c in header}
    toggl, clockify = all(c in cols for c in TOGGL_COLUMNS), all(c in cols for c in CLOCKIFY_COLUMNS)
    if toggl != clockify:
        return "toggl" if toggl else "clockify"
    return None


def _folder_format(path: Path) -> str | None:
    if (path / "frames").is_file():
        return "watson"
    if (path / "data").is_dir() and any((path / "data").glob("*.data")):
        return "timewarrior"
    if any(path.glob("*.data")):
        return "timewarrior"
    return None


def sniff(path: Path, data: bytes | None = None) -> str | None:
    """The format ``path`` (a file or folder) looks like, or None when it cannot be told. ``data`` is the
    file's bytes when already read. Raises InvalidValue only when the file cannot be read."""
    try:
        if path.is_dir():
            return _folder_format(path)
    except (OSError, ValueError):
        return None
    if path.suffix == ".data":
        return "timewarrior"
    if data is None:
        data = read_limited(path)
    try:
        from vakit.services.importers import native
    except ImportError:
        native = None
    looks_like = getattr(native, "looks_like", None)
    if looks_like is not None:
        found = looks_like(data)
        if found in DESCRIBED:
            return found
    text = data[:65536].decode("utf-8-sig", errors="replace")
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "watson" if _frames_like(data) else None
    first = next((ln for ln in stripped.splitlines() if ln.strip()), "")
    if first.startswith("inc ") or first == "inc":
        return "timewarrior"
    try:
        header = next(csv.reader(io.StringIO(first)), [])
    except csv.Error:
        return None
    return header_format(header)


def _frames_like(data: bytes) -> bool:
    """Whether ``data`` is a JSON list holding Watson frames (``[start, stop, project, id, …]``) among its
    first items (a few broken frames do not make it another format: the parser names them)."""
    try:
        frames = json.loads(data.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError):
        return False
    if not isinstance(frames, list):
        return False
    return any(isinstance(f, list) and len(f) >= 4 and isinstance(f[2], str) for f in frames[:20])


def detect(path: Path) -> str:
    """The format of ``path`` for an import without ``--format``. Raises InvalidValue naming the formats when
    it cannot be told (or the file cannot be read)."""
    found = sniff(path)
    if found is None:
        what = "a folder that holds" if _is_dir(path) else "a file in"
        raise InvalidValue(f"cannot tell which tracker wrote {path.name or path}: it is not {what} a format vakit "
                           "knows", "pass --format toggl, clockify, watson, timewarrior, csv or json")
    return found


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def mismatch(path: Path, fmt: str) -> None:
    """Refuse ``--format fmt`` for a file that plainly is another tracker's, naming what it looks like
    ("this looks like a Clockify detailed report; use --format clockify"). Nothing is refused when the file
    cannot be told, or cannot be read (the parser names that)."""
    try:
        found = sniff(path)
    except InvalidValue:
        return
    if found is not None and found != fmt:
        raise InvalidValue(f"{path.name or path} is not {DESCRIBED[fmt]}: this looks like {DESCRIBED[found]}; "
                           f"use --format {found}")
