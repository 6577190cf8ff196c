"""Report totals summed by SQLite, not by one Python object per entry (issue 11).

Most finished entries lie inside one local date of the report's zone and under one contract (or none): for
those, SQLite finds the local date from the zone's UTC offset, the contract in force at the start, and the
billed seconds by the contract's per-entry rounding (the same rule as :func:`vakit.core.rounding.round_seconds`
and :func:`vakit.core.rounding.billed_seconds`), and sums them per group in one pass. The few others —
across a local midnight or a change of UTC offset, across a contract's first or last day, or across the
period's edge — are named by id and cut into pieces by :func:`vakit.services.report_buckets.cut_pieces`, as
before. A report adds the two.

The zone's UTC offset is constant between its transitions, so the period is split at them into *segments*
``[lo, hi)`` with one offset each; an entry starting in a segment has local date ``(start + offset) // 86400``
(days since 1970-01-01). Each segment reads its entries through the ``start_utc`` index, so a month reads a
month of entries however long the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from vakit.core.clock import zone
from vakit.core.periods import Period
from vakit.services.context import Context
from vakit.services.late_time import contract_span
from vakit.services.timesheet import MAX_ENTRY_SECONDS
from vakit.store.codecs import contract_from_row

#: SQL of each grouping's key in the summing query (``day``: local days since 1970-01-01)
KEYS = {"client": "client_id", "day": "day", "contract": "kid", "tag": "tags"}

EPOCH_DAY = date(1970, 1, 1)
FAR = 1 << 62


@dataclass
class Sums:
    """Summed entries of one group: ``entries`` counted, ``seconds`` logged, ``billable`` seconds (billable entries
    of a client), ``billed`` seconds (after per-entry rounding; unrounded without a contract), ``unrounded``
    billable entries with no contract in force; ``first_start`` the earliest start (epoch seconds) and, for tags,
    ``first_id`` the lowest id of the entries starting then (which spelling of a tag a report shows)."""

    entries: int = 0
    seconds: int = 0
    billable: int = 0
    billed: int = 0
    unrounded: int = 0
    first_start: int = 0
    first_id: int = 0


@dataclass
class Summed:
    """The result of :func:`sum_entries`: ``groups`` by key (client id or None, local date, contract id or None,
    or the stored tags text) and ``rest``, the ids of the entries left to be cut into pieces."""

    groups: dict = field(default_factory=dict)
    rest: list[int] = field(default_factory=list)


def offset_segments(period: Period) -> list[tuple[int, int, int]]:
    """``[lo, hi)`` UTC epoch seconds over the period with one UTC offset each (seconds east of UTC):
    ``(lo, hi, offset)``, contiguous and covering ``[period.start_utc, period.end_utc)``. Transitions are found
    day by day and then to the second, so any zone's rules serve (half-hour DST, skipped days)."""
    z = zone(period.tz)

    def offset(t: int) -> int:
        return int(datetime.fromtimestamp(t, z).utcoffset().total_seconds())

    lo, hi = period.start_utc, period.end_utc
    out, seg_lo, cur, t = [], lo, offset(lo), lo
    while t < hi:
        nxt = min(t + 86400, hi)
        probe = nxt if nxt < hi else hi - 1  # the last instant of the period is in it; hi is not
        if probe > t and offset(probe) != cur:
            a, b = t, probe  # offset(a) == cur != offset(b): the change lies in (a, b]
            while b - a > 1:
                m = (a + b) // 2
                a, b = (m, b) if offset(m) == cur else (a, m)
            out.append((seg_lo, b, cur))
            seg_lo, cur = b, offset(b)
        t = nxt
    out.append((seg_lo, hi, cur))
    return out


def contract_segments(spans: list[tuple[int, int, int, object]], lo: int, hi: int) -> list[tuple[int, int, object]]:
    """``[lo, hi)`` cut where one client's contracts begin and end: ``(a, b, contract or None)`` contiguous, each
    with the contract in force throughout (the first in the ledger's order, as
    :func:`vakit.services.report_buckets.pieces` chooses). ``spans`` are ``(order, start, end, contract)`` in the
    ledger's order, with UTC epoch seconds, ``end`` :data:`FAR` while open."""
    edges = sorted({lo, hi} | {x for _o, k_lo, k_hi, _k in spans for x in (k_lo, k_hi) if lo < x < hi})
    out = []
    for a, b in zip(edges, edges[1:]):
        k = next((k for _o, k_lo, k_hi, k in spans if k_lo <= a < k_hi), None)
        out.append((a, b, k))
    return out


def _segments(ctx: Context, period: Period, client_id: int | None) -> list[tuple]:
    """Rows of the summing query's segment table: ``(client id or None, lo, hi, offset, contract id, m, a, q,
    r, scoped)``, the contract's rounding as :func:`rounding_terms` and ``scoped`` 1 when it rounds per day or
    per invoice line (its entries are left to :mod:`vakit.services.rounding_units`): for every client (or the
    one asked for) and for own
    time, the period cut at the zone's offset changes and at that client's contract edges."""
    conn = ctx.ledger.conn
    spans: dict[int, list] = {}
    for n, row in enumerate(conn.execute("SELECT * FROM contracts ORDER BY start_date, id")):
        k = contract_from_row(row)
        k_lo, k_hi = contract_span(k)
        spans.setdefault(k.client_id, []).append((n, k_lo, FAR if k_hi is None else k_hi, k))
    clients = [client_id] if client_id is not None else [None, *(i for (i,) in conn.execute("SELECT id FROM clients"))]
    offsets = offset_segments(period)
    rows = []
    for cid in clients:
        for k_lo, k_hi, k in contract_segments(spans.get(cid, []), period.start_utc, period.end_utc):
            for o_lo, o_hi, off in offsets:
                a, b = max(k_lo, o_lo), min(k_hi, o_hi)
                if a < b:
                    scoped = k is not None and k.rounding.increment > 0 and k.rounding.scope != "entry"
                    rows.append((cid, a, b, off, k.id if k else None, *rounding_terms(k.rounding if k else None),
                                 int(scoped)))
    return rows


def rounding_terms(rounding) -> tuple[int, int, int, int]:
    """``(m, a, q, r)`` such that :func:`vakit.core.rounding.round_seconds` of ``x ≥ 0`` seconds is
    ``(x·m + a) // q · r`` (integer division): up ``(1, inc − 1, inc, inc)``, down ``(1, 0, inc, inc)``, nearest
    with halves up ``(2, inc, 2·inc, inc)``, none ``(1, 0, 1, 1)``. One formula for every row of the summing
    query, with the numbers of its segment's contract."""
    inc = rounding.increment if rounding is not None else 0
    if not inc:
        return 1, 0, 1, 1
    if rounding.direction == "up":
        return 1, inc - 1, inc, inc
    if rounding.direction == "down":
        return 1, 0, inc, inc
    return 2, inc, 2 * inc, inc


def sum_entries(ctx: Context, period: Period, by: str, client_id: int | None = None) -> Summed:
    """Sum the finished entries sharing time with ``period`` (of one client if ``client_id``) that lie in one
    local date and under one contract (or none), grouped ``by`` one of :data:`KEYS`; the others' ids in ``rest``
    (an entry starting before the period, crossing a local midnight, a change of UTC offset, the period's end or
    a contract's edge). Local dates are ``date`` keys for ``day``. Reads the ledger only (the segments go to a
    temporary table)."""
    conn = ctx.ledger.conn
    conn.execute("DROP TABLE IF EXISTS temp.report_segs")
    conn.execute("CREATE TEMP TABLE report_segs (client_id INTEGER, lo INTEGER, hi INTEGER, off INTEGER, kid INTEGER,"
                 " m INTEGER, a INTEGER, q INTEGER, r INTEGER, scoped INTEGER)")
    conn.executemany("INSERT INTO temp.report_segs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     _segments(ctx, period, client_id))
    billed = "((before + t - s) * m + a) / q * r - (before * m + a) / q * r"
    # Each segment reads its client's entries through the (client_id, start_utc, end_utc, billable,
    # origin_start_utc) index, in order, and is summed on its own (no sort) unless days or tags split it. An
    # entry ending past its segment's end crosses an offset change, a contract edge or the period's end, and one
    # ending on another local date crosses midnight: those are not summed (SIMPLE fails) but named by the second
    # query, to be cut in Python. So is a billable entry under a contract rounding per day or per invoice line
    # (its share of the unit depends on the unit's other entries). The tags are read (from the rows, not the
    # index) only for a report by tag.
    simple = ("e.end_utc <= z.hi AND (e.end_utc - 1 + z.off) / 86400 = (e.start_utc + z.off) / 86400 AND"
              " NOT (z.scoped AND e.billable)")
    scan = ("FROM temp.report_segs z CROSS JOIN time_entries e WHERE e.client_id IS z.client_id AND"
            " e.start_utc >= z.lo AND e.start_utc < z.hi AND e.end_utc IS NOT NULL")
    split = {"day": ", day", "tag": ", tags"}.get(by, "")
    tags = ", e.tags" if by == "tag" else ""
    source, first_id = "d", "0"
    if by == "tag":  # the lowest id among the group's earliest entries: which spelling of a tag is shown
        source = "(SELECT d.*, min(s) OVER (PARTITION BY seg, tags) AS group_first FROM d)"
        first_id = "min(CASE WHEN s = group_first THEN id END)"
    sql = f"""
        WITH d AS (
            SELECT z.rowid AS seg, z.client_id, z.kid, z.m, z.a, z.q, z.r, e.id, e.start_utc AS s, e.end_utc AS t{tags},
                   e.start_utc - coalesce(e.origin_start_utc, e.start_utc) AS before,
                   (e.start_utc + z.off) / 86400 AS day, e.billable AND z.client_id IS NOT NULL AS owed
            {scan} AND {simple}
        )
        SELECT {KEYS[by]}, count(*), sum(t - s), sum(owed * (t - s)), sum(owed * ({billed})),
               sum(owed * (kid IS NULL)), min(s), {first_id}
        FROM {source} GROUP BY seg{split}"""
    out = Summed()
    for key, n, seconds, billable, billed_s, unrounded, first, first_id in conn.execute(sql):
        if by == "day":
            key = EPOCH_DAY + timedelta(days=key)
        g = out.groups.get(key)
        if g is None:
            out.groups[key] = Sums(n, seconds, billable, billed_s, unrounded, first, first_id)
            continue
        g.entries, g.seconds, g.billable = g.entries + n, g.seconds + seconds, g.billable + billable
        g.billed, g.unrounded = g.billed + billed_s, g.unrounded + unrounded
        if (first, first_id) < (g.first_start, g.first_id):
            g.first_start, g.first_id = first, first_id
    out.rest.extend(i for (i,) in conn.execute(f"SELECT e.id {scan} AND NOT ({simple})"))
    only = " AND e.client_id = :client" if client_id is not None else ""
    out.rest.extend(i for (i,) in conn.execute(running_at_start("id", only, "UNION"),
                                               {"lo": period.start_utc, "client": client_id}))
    out.rest.sort()
    return out


def running_at_start(columns: str, only: str, union: str) -> str:
    """SQL selecting ``columns`` of the finished entries that began before ``:lo`` and end after it, in two
    bounded index ranges: those begun less than :data:`MAX_ENTRY_SECONDS` before, and those allowed to be longer
    (``long_ok``; a small partial index). ``union`` is ``UNION`` or ``UNION ALL`` (an entry may be in both)."""
    return (f"SELECT {columns} FROM time_entries e WHERE e.start_utc > :lo - {MAX_ENTRY_SECONDS} AND e.start_utc < :lo"
            f" AND e.end_utc > :lo{only} {union} SELECT {columns} FROM time_entries e WHERE e.long_ok = 1 AND"
            f" e.start_utc < :lo AND e.end_utc > :lo{only}")


def worked_seconds(ctx: Context, period: Period, client_id: int | None = None) -> int:
    """Seconds of ``period`` covered by at least one finished entry (of one client if ``client_id``): parallel
    work counted once (C-14), as :func:`vakit.core.periods.union_seconds` of the clipped intervals, in SQL (each
    interval adds what it reaches past the furthest end before it, in order of start)."""
    only = " AND e.client_id = :client" if client_id is not None else ""
    sql = f"""
        SELECT coalesce(sum(max(0, t - max(s, coalesce(prev, s)))), 0) FROM (
            SELECT s, t, max(t) OVER (ORDER BY s, t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
            FROM (SELECT e.start_utc AS s, min(e.end_utc, :hi) AS t FROM time_entries e
                  WHERE e.end_utc IS NOT NULL AND e.start_utc >= :lo AND e.start_utc < :hi{only}
                  UNION ALL {running_at_start(":lo, min(e.end_utc, :hi)", only, "UNION ALL")}))"""
    return ctx.ledger.conn.execute(sql, {"lo": period.start_utc, "hi": period.end_utc, "client": client_id}
                                   ).fetchone()[0]
