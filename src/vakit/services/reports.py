"""Reports over time entries: a period's entries by local day, and totals grouped by client, day, week, month,
tag or contract.

Buckets are local dates in the period's zone; an entry crossing midnight is split there (design.md §5; C-07,
:mod:`vakit.services.report_buckets`). Three figures per row, all in seconds: ``seconds`` logged, ``billable``
(logged time of billable entries) and ``billed`` (billable time after the contract's per-entry rounding, as
``vakit invoice create`` bills it; unrounded where no contract is in force). "Worked" time is the union of the
intervals, so parallel work counts once (C-14).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from vakit.core.errors import InvalidValue
from vakit.core.models import Client, Contract
from vakit.core.periods import Period
from vakit.core.tags import split_tags
from vakit.services.context import Context
from vakit.services.report_buckets import UNITS, Piece, buckets, pieces
from vakit.services.report_sums import sum_entries, worked_seconds
from vakit.services.timesheet import ENTRY_SELECT, FINISHED_IN, EntryView, entry_view
from vakit.store.codecs import contract_from_row

GROUPINGS = ("client", "day", "week", "month", "tag", "contract")
NO_CLIENT, NO_TAG, NO_CONTRACT = "(own time)", "(no tag)", "(no contract)"


def entries_in(ctx: Context, period: Period, client: Client | None = None) -> list[EntryView]:
    """Finished entries sharing time with ``period`` (and of ``client``), by start."""
    sql = f"{ENTRY_SELECT} WHERE {FINISHED_IN}"
    args: list = [period.start_utc, period.end_utc]
    if client is not None:
        sql += " AND e.client_id = ?"
        args.append(client.id)
    return [entry_view(r) for r in ctx.ledger.conn.execute(sql + " ORDER BY e.start_utc, e.id", args)]


@dataclass(frozen=True)
class EntryDay:
    """The part of one entry on one local date ``day``: ``[start, end)`` epoch seconds, ``seconds`` logged,
    ``billable`` and ``billed`` seconds (see the module docstring); ``whole`` when it is the entire entry."""

    view: EntryView
    day: date
    start: int
    end: int
    seconds: int
    billable: int
    billed: int

    @property
    def whole(self) -> bool:
        """Whether the part is the whole entry (it neither crosses midnight nor the period's edge)."""
        e = self.view.entry
        return self.start == e.start_utc and self.end == e.end_utc


def entry_days(parts: list[Piece]) -> list[EntryDay]:
    """Pieces merged per entry and local date (a contract edge inside a day cuts nothing here), in order."""
    out: list[EntryDay] = []
    for p in parts:
        last = out[-1] if out else None
        if last is not None and last.view.entry.id == p.view.entry.id and last.day == p.day and last.end == p.start:
            out[-1] = EntryDay(p.view, p.day, last.start, p.end, last.seconds + p.seconds, last.billable + p.billable,
                               last.billed + p.billed)
        else:
            out.append(EntryDay(p.view, p.day, p.start, p.end, p.seconds, p.billable, p.billed))
    return out


def listing(ctx: Context, period: Period, client: Client | None = None) -> list[EntryDay]:
    """``vakit log list``: each entry's part on each local date of the period, by date and start. The
    seconds of a date's parts are that date's total, the same figure as :func:`report` by day gives."""
    return entry_days(pieces(ctx, period, client.id if client else None))


def day_totals(rows: list[EntryDay]) -> dict[date, int]:
    """Logged seconds per local date of :func:`listing`'s rows (dates without time left out)."""
    out: dict[date, int] = {}
    for r in rows:
        out[r.day] = out.get(r.day, 0) + r.seconds
    return out


@dataclass(frozen=True)
class ReportRow:
    """One group: ``key`` (client name, ``2026-11-03``, ``2026-W45``, ``2026-11``, tag, ``#3`` contract id, or
    ``(own time)`` for no client, ``(no tag)``, ``(no contract)``); ``seconds`` logged, ``billable_seconds``,
    ``billed_seconds``; ``entries`` touching the group. Day/week/month rows carry the dates ``first``…``last``
    they cover within the period (``partial``: a week or month cut by the period's edge); contract rows their
    ``contract`` and ``client_name``."""

    key: str
    seconds: int
    billable_seconds: int
    entries: int
    billed_seconds: int = 0
    first: date | None = None
    last: date | None = None
    partial: bool = False
    contract: Contract | None = None
    client_name: str | None = None


@dataclass(frozen=True)
class Report:
    """Totals of a period, grouped ``by``: ``rows``; ``total``, ``billable``, ``billed`` seconds of all entries
    (each counted once; for every grouping but ``tag`` the rows add up to them exactly); ``worked`` (union of
    intervals); ``entries`` (distinct entries); ``unrounded`` billable entries with no contract in force (billed
    unrounded); ``multi_tagged`` entries with more than one tag (counted in each tag's row); ``first_weekday``
    of week rows (0 Monday … 6 Sunday)."""

    period: Period
    by: str
    rows: tuple[ReportRow, ...]
    total: int
    billable: int
    worked: int
    entries: int = 0
    billed: int = 0
    unrounded: int = 0
    multi_tagged: int = 0
    first_weekday: int = 0
    notes: tuple[str, ...] = field(default=())


def _keys(p: Piece, by: str) -> list[str]:
    """The group keys a piece counts in (several for an entry with several tags)."""
    if by == "client":
        return [p.view.client_name or NO_CLIENT]
    if by == "tag":
        return list(split_tags(p.view.entry.tags)) or [NO_TAG]
    if by == "contract":
        return [f"#{p.contract.id}" if p.contract else NO_CONTRACT]
    return [p.day.isoformat()]


def _order(by: str, rows: dict[str, ReportRow]) -> list[ReportRow]:
    last = {NO_CLIENT, NO_TAG, NO_CONTRACT}
    if by == "contract":
        return sorted(rows.values(), key=lambda r: (r.key in last, (r.client_name or "").casefold(),
                                                    r.contract.start_date if r.contract else date.min, r.key))
    return sorted(rows.values(), key=lambda r: (r.key in last, r.key.casefold(), r.key))


class _Group:
    """A report row being summed: seconds, billable and billed seconds, entries counted whole by SQL
    (``counted``) and the ids of entries cut into pieces (``ids``), its contract, client name and bucket."""

    __slots__ = ("seconds", "billable", "billed", "counted", "ids", "contract", "client_name", "bucket")

    def __init__(self, contract: Contract | None = None, client_name: str | None = None, bucket=None) -> None:
        self.seconds = self.billable = self.billed = self.counted = 0
        self.ids: set[int] = set()
        self.contract, self.client_name, self.bucket = contract, client_name, bucket


def report(ctx: Context, period: Period, *, by: str = "client", client: Client | None = None,
           first_weekday: int = 0) -> Report:
    """Sum the period's entries grouped ``by`` client, day, week, month (local dates of the period's zone;
    weeks start on ``first_weekday``, 0 Monday), tag or contract. Every day, week and month of the period has a
    row, with time or not. Entries inside one local date and one contract are summed by SQLite
    (:func:`vakit.services.report_sums.sum_entries`), the rest cut into pieces. Raises InvalidValue for an unknown
    grouping."""
    if by not in GROUPINGS:
        raise InvalidValue(f"unknown grouping {by!r}", f"use one of {', '.join(GROUPINGS)}")
    cid = client.id if client else None
    summed = sum_entries(ctx, period, "day" if by in UNITS else by, cid)
    parts = pieces(ctx, period, cid, ids=summed.rest) if summed.rest else []
    groups: dict[str, _Group] = {}
    day_key: dict[date, str] = {}
    if by in UNITS:
        for b in buckets(period, by, first_weekday):
            groups[b.key] = _Group(bucket=b)
            for i in range((b.last - b.first).days + 1):
                day_key[date.fromordinal(b.first.toordinal() + i)] = b.key
    names = {i: n for i, n in ctx.ledger.conn.execute("SELECT id, name FROM clients")} if by == "client" else {}
    contracts = _contracts_by_id(ctx) if by == "contract" else {}
    spelling: dict[str, str] = {}  # tags: "Calls" and "calls" are one tag, shown as first spelled

    def add(key: str, seconds: int, billable: int, billed: int, contract=None, client_name=None) -> _Group:
        key = spelling.setdefault(key.casefold(), key) if by == "tag" else key
        g = groups.get(key) or groups.setdefault(key, _Group(contract, client_name))
        g.seconds += seconds
        g.billable += billable
        g.billed += billed
        return g

    # SQL's groups and the cut pieces, by first start, so a tag keeps the spelling it was first used with
    events = [(s.first_start, s.first_id, k, s) for k, s in summed.groups.items()] + \
        [(p.start, p.view.entry.id, None, p) for p in parts]
    events.sort(key=lambda x: (x[0], x[1]))
    multi_simple = 0
    for _start, _id, k, x in events:
        if isinstance(x, Piece):
            for key in ([day_key[x.day]] if by in UNITS else _keys(x, by)):
                add(key, x.seconds, x.billable, x.billed, x.contract, x.view.client_name).ids.add(x.view.entry.id)
            continue
        if by in UNITS:
            keys = [day_key[k]]
        elif by == "client":
            keys = [names.get(k) or NO_CLIENT] if k is not None else [NO_CLIENT]
        elif by == "tag":
            keys = list(split_tags(k)) or [NO_TAG]
            multi_simple += x.entries if len(keys) > 1 else 0
        else:
            keys = [f"#{k}" if k is not None else NO_CONTRACT]
        contract, owner = contracts.get(k, (None, None))
        for key in keys:
            add(key, x.seconds, x.billable, x.billed, contract, owner).counted += x.entries
    rows = {k: ReportRow(k, g.seconds, g.billable, g.counted + len(g.ids), g.billed,
                         first=g.bucket.first if g.bucket else None, last=g.bucket.last if g.bucket else None,
                         partial=bool(g.bucket and g.bucket.partial), contract=g.contract if by == "contract" else None,
                         client_name=g.client_name if g.contract and by == "contract" else None)
            for k, g in groups.items()}
    ordered = list(rows.values()) if by in UNITS else _order(by, rows)
    simple = summed.groups.values()
    cut = {p.view.entry.id: p.view for p in parts}
    unrounded = sum(s.unrounded for s in simple) + len({p.view.entry.id for p in parts if p.contract is None and
                                                          p.billable})
    multi = multi_simple + sum(1 for v in cut.values() if len(split_tags(v.entry.tags)) > 1)
    return Report(period, by, tuple(ordered), sum(s.seconds for s in simple) + sum(p.seconds for p in parts),
                  sum(s.billable for s in simple) + sum(p.billable for p in parts),
                  worked_seconds(ctx, period, cid), sum(s.entries for s in simple) + len(cut),
                  sum(s.billed for s in simple) + sum(p.billed for p in parts), unrounded,
                  multi if by == "tag" else 0, first_weekday, _notes(by, unrounded, multi))


def _contracts_by_id(ctx: Context) -> dict[int, tuple[Contract, str]]:
    """Every contract by id, with its client's name."""
    return {r["id"]: (contract_from_row(r), r["client_name"]) for r in ctx.ledger.conn.execute(
        "SELECT k.*, c.name AS client_name FROM contracts k JOIN clients c ON c.id = k.client_id")}


def _notes(by: str, unrounded: int, multi: int) -> tuple[str, ...]:
    """What a reader needs to know to read the figures."""
    out = []
    if by == "tag" and multi:
        what = "entry has several tags and counts" if multi == 1 else "entries have several tags and count"
        out.append(f"{multi} {what} in each tag's row, so the tag rows add up to more than the total")
    if unrounded:
        out.append(f"{unrounded} billable {'entry has' if unrounded == 1 else 'entries have'} no contract in force; "
                   "billed shows that time unrounded")
    return tuple(out)
