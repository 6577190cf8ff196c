"""Importers of other trackers' histories (and of vakit's own export).

Each format is a module with ``parse(path: Path, opts: ImportOptions) -> Parsed`` (the shapes are in
:mod:`.rows`); the registry names them lazily, so a ``vakit log`` command imports none of them. What the
parsers share: :mod:`.reading` (files, CSV rows, text fields, ``--map``) and :mod:`.walltime` (local times
settled in the file's zone, the span check). Storing is shared too: :func:`vakit.services.importers.storing.store`.
"""

from __future__ import annotations

#: format name → "module:function" of its parser
PARSERS: dict[str, str] = {
    "toggl": "vakit.services.importers.toggl:parse",
    "clockify": "vakit.services.importers.clockify:parse",
    "watson": "vakit.services.importers.watson:parse",
    "timewarrior": "vakit.services.importers.timewarrior:parse",
    "csv": "vakit.services.importers.native:parse_csv",
    "json": "vakit.services.importers.native:parse_json",
}
