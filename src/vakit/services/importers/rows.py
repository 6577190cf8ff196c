"""The shapes every importer shares: the :class:`ImportRow` a parser produces (or the :class:`Rejected` row it
could not read, a :class:`Note` on one it read in a way worth telling), a parser's whole :class:`Parsed`
result, the :class:`ImportOptions` an import runs with (checked by :func:`check_options`) and the
:class:`ImportResult` it reports. :class:`RowError` is how a parser refuses one row.

Nothing here reads a file or touches the ledger: see :mod:`.reading`, :mod:`.walltime` and :mod:`.storing`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vakit.core.clock import check_zone
from vakit.core.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One interval read from a file: ``[start_utc, end_utc)`` epoch seconds UTC, recorded in zone ``tz``.

    ``line`` names the row in messages (a line number, or a frame's number); ``client`` is the client's name
    as the file gives it (after any ``--map``), ``""`` for none; ``key`` identifies the row for idempotence
    (``"<format>:<sha256 of the row's identifying fields>"``); ``file`` names the file the row is in when the
    import reads several (Timewarrior's monthly files), else ``""``; ``long_ok`` says the file records the
    entry as longer than the 16 h maximum on purpose (vakit's own export of an entry stored with ``--force``),
    the only rows :func:`.walltime.check_span` lets be that long; ``overlap_ok`` that it overlaps other entries
    on purpose (vakit's own export of an entry stored with ``--allow-overlap``), which
    :func:`.storing.store` lets overlap without ``--allow-overlap``."""

    line: int
    client: str
    start_utc: int
    end_utc: int
    tz: str
    key: str
    description: str = ""
    project: str = ""
    tags: tuple[str, ...] = ()
    billable: bool = True
    file: str = ""
    long_ok: bool = False
    overlap_ok: bool = False


@dataclass(frozen=True)
class Rejected:
    """A row that was not imported: its ``line`` (1-based, in ``file``; ``""`` = the file imported) and the
    ``reason``, for the report (``vakit: warning: FILE line N: reason``)."""

    line: int
    reason: str
    file: str = ""


@dataclass(frozen=True)
class Note:
    """A row imported in a way worth telling (``vakit: note: FILE line N: text``): its ``line`` and ``text``."""

    line: int
    text: str
    file: str = ""


@dataclass
class Parsed:
    """What a parser read: ``rows`` to store, ``rejected`` rows, ``open_intervals`` (one line each, e.g.
    ``"frames: fjord-analytics running since …, not imported"``), ``notes`` on rows read in a way worth
    telling, and ``source``, the name the summary gives the data (``"frames"``, ``"timewarrior/data"``;
    ``""`` = the file's name)."""

    rows: list[ImportRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    open_intervals: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    source: str = ""


#: ``--fold`` values; ``--date-format`` values (the order of day, month and year in a date)
FOLDS = ("earlier", "later")
DATE_FORMATS = ("mdy", "dmy", "ymd")


@dataclass(frozen=True)
class ImportOptions:
    """How to import: ``tz`` the zone of the file's wall times (None: the VA's home zone, filled in by
    :func:`.storing.import_file`); ``fold`` ``"earlier"``/``"later"`` settles a wall time that happens twice
    (None: such a row is rejected); ``mapping`` source name (project, tag, client column) → client name,
    matched in any case; ``date_format`` ``"mdy"``/``"dmy"``/``"ymd"`` for numeric dates (None: detected
    where the file settles it); new clients only with ``create_clients``, in ``client_tz``/``client_currency``
    (both required then); ``known_clients`` the casefolded names of the ledger's clients (filled in by
    :func:`.storing.import_file`, for parsers whose files do not say which field is the client)."""

    tz: str | None = None
    fold: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    create_clients: bool = False
    client_tz: str | None = None
    client_currency: str | None = None
    dry_run: bool = False
    allow_overlap: bool = False
    date_format: str | None = None
    known_clients: frozenset[str] = frozenset()

    def mapped(self, name: str) -> str | None:
        """The client ``--map`` gives source name ``name`` (any case), or None."""
        key = name.strip().casefold()
        for k, v in self.mapping.items():
            if k.strip().casefold() == key:
                return v
        return None

    def client_for(self, name: str) -> str:
        """The client name for source name ``name``: its ``--map`` target, else ``name`` itself."""
        return self.mapped(name) or name


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do). ``overlaps`` counts the rows imported with
    ``--allow-overlap`` that overlap entries stored before the import; ``overlaps_in_file`` those that overlap
    only rows of the same import (rows the file marks ``overlap_ok``, and rows overlapping only those, are
    parallel on purpose and counted in neither)."""

    fmt: str = ""
    source: str = ""
    rows: int = 0
    added: int = 0
    duplicates: int = 0
    repeated: int = 0
    no_client: int = 0
    created_clients: list[str] = field(default_factory=list)
    overlaps: int = 0
    overlaps_in_file: int = 0
    seconds: int = 0
    per_client: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    open_intervals: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    dry_run: bool = False
    change_id: int | None = None


class RowError(ValueError):
    """A row a parser cannot read; the parser turns it into a :class:`Rejected` with its line."""


def check_options(opts: ImportOptions) -> ImportOptions:
    """Refuse option values no import can use (``--fold``, ``--date-format``, ``--tz``, ``--client-tz``),
    before any file is read. Returns ``opts``. Raises InvalidValue."""
    if opts.fold is not None and opts.fold not in FOLDS:
        raise InvalidValue(f"unknown --fold {opts.fold!r}", "use earlier or later")
    if opts.date_format is not None and opts.date_format not in DATE_FORMATS:
        raise InvalidValue(f"unknown --date-format {opts.date_format!r}", "use mdy, dmy or ymd")
    if opts.tz is not None:
        check_zone(opts.tz)
    if opts.client_tz is not None:
        check_zone(opts.client_tz)
    if opts.client_currency is not None:
        from vakit.core.money import check_currency

        check_currency(opts.client_currency)
    return opts
