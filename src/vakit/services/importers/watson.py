"""Import Watson's history (https://github.com/jazzband/Watson, 2.x): the ``frames`` file, or the folder
holding it (``~/.config/watson``: ``frames``, ``state``, ``config``).

``frames`` is a JSON list of frames ``[start, stop, project, id, tags, updated_at]``: ``start``/``stop`` UTC
epoch seconds, ``project`` text, ``id`` a hex UUID, ``tags`` a list of text (Watson's ``Frame`` namedtuple,
``watson/frames.py``). Watson has no clients: a frame's project is its client, through ``--map
project=Client Name`` where given, else the project's own name (matched to clients in any case). Tags are
kept. ``state`` holds the frame still running (``{"project", "start", "tags"}``): it is reported, not
imported. A frame's key is ``"watson:" + id``, so an edited frame keeps its key.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from vakit.core.clock import fmt_local
from vakit.core.errors import InvalidValue
from vakit.services.importers.reading import clean_field, clean_tags, decode_text, read_limited
from vakit.services.importers.rows import ImportOptions, ImportRow, Parsed, Rejected, RowError
from vakit.services.importers.walltime import check_span


def parse(path: Path, opts: ImportOptions) -> Parsed:
    """Read the frames of ``path`` (the ``frames`` file or its folder) and the running frame of ``state``
    beside it. A frame that cannot be read is rejected with the line it starts on; the file is refused
    whole (InvalidValue) when it is not UTF-8 JSON holding a list."""
    folder = path.is_dir()
    frames_path = path / "frames" if folder else path
    if folder and not frames_path.is_file():
        raise InvalidValue(f"{path} holds no Watson frames file", "give the frames file or Watson's folder")
    name = frames_path.name
    text = decode_text(read_limited(frames_path), name)
    parsed = Parsed(source=name)
    for line, frame in _items(text, name):
        try:
            parsed.rows.append(_frame(line, frame, opts))
        except (RowError, InvalidValue) as exc:
            parsed.rejected.append(Rejected(line, str(exc)))
    state = frames_path.parent / "state"
    if state.is_file():
        parsed.open_intervals += _running(state, opts)
    return parsed


def _items(text: str, source: str) -> list[tuple[int, object]]:
    """The items of the top-level JSON list in ``text``, each with the line it starts on."""
    dec = json.JSONDecoder()
    i = _skip(text, 0)
    if i >= len(text) or text[i] != "[":
        raise InvalidValue(f"{source} is not Watson's frames file: it does not hold a JSON list")
    i = _skip(text, i + 1)
    items = []
    try:
        if i < len(text) and text[i] == "]":
            return items
        while True:
            obj, end = dec.raw_decode(text, i)
            items.append((text.count("\n", 0, i) + 1, obj))
            i = _skip(text, end)
            if i < len(text) and text[i] == ",":
                i = _skip(text, i + 1)
                continue
            if i < len(text) and text[i] == "]":
                break
            raise ValueError(f"expected ',' or ']' at line {text.count(chr(10), 0, i) + 1}")
    except (ValueError, RecursionError) as exc:
        raise InvalidValue(f"{source} line {text.count(chr(10), 0, i) + 1}: not valid JSON ({exc})") from exc
    return items


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _frame(line: int, frame: object, opts: ImportOptions) -> ImportRow:
    if not isinstance(frame, list) or len(frame) < 4:
        raise RowError("not a Watson frame ([start, stop, project, id, tags, updated_at])")
    start, stop, project, fid = frame[:4]
    tags = frame[4] if len(frame) > 4 else []
    if not all(isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t) for t in (start, stop)):
        raise RowError("the start and stop are not epoch seconds")
    if not isinstance(project, str) or not project.strip():
        raise RowError("the frame has no project")
    if not isinstance(fid, str) or not fid.strip():
        raise RowError("the frame has no id")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise RowError("the tags are not a list of text")
    start_utc, end_utc = int(start), int(stop)
    check_span(start_utc, end_utc)
    project = clean_field(project, "name")
    return ImportRow(line=line, client=opts.client_for(project), start_utc=start_utc, end_utc=end_utc, tz=opts.tz,
                     key="watson:" + clean_field(fid, "source key"), tags=clean_tags(tags))


def _running(state: Path, opts: ImportOptions) -> list[str]:
    """The frame still running in ``state`` as a report line, or none (an empty or unreadable state)."""
    try:
        data = json.loads(decode_text(read_limited(state, 1 << 20), state.name) or "{}")
    except (ValueError, InvalidValue):
        return [f"{state.name}: could not be read; a frame may still be running in Watson"]
    if not isinstance(data, dict) or not data.get("project"):
        return []
    start = data.get("start")
    tags = data.get("tags") if isinstance(data.get("tags"), list) else []
    what = str(data["project"]) + (f" ({', '.join(str(t) for t in tags)})" if tags else "")
    try:
        since = fmt_local(int(start), opts.tz)
    except (TypeError, ValueError, OverflowError, OSError):
        since = "an unreadable time"
    return [f"{state.name}: {what} running since {since}, not imported (stop it in Watson and import again)"]
