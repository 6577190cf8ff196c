"""Reports summed in SQL (issue 11) equal reports summed piece by piece, for any entries in any zone.

:func:`vakit.services.reports.report` lets SQLite sum the entries inside one local date and one contract and
cuts only the others into pieces. The oracle here cuts *every* entry into pieces
(:func:`vakit.services.report_buckets.pieces`, the rule of design.md §5 and C-07) and sums them in Python, as
reports did before; every figure of every row must be equal: seconds, billable, billed, entries, dates, the
totals, worked time, unrounded and multi-tagged counts. The ledger has contracts that start and end inside the
generated time (billed per entry, rounded up, to the nearest or down, one in another billing zone), entries
across midnights, DST changes, contract edges and the period's edges, entries longer than a day, entries split
by an earlier invoice (``origin_start_utc``), own time and non-billable time, tags in two spellings."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vakit.cli.app import get_app
from vakit.core.clock import FixedClock
from vakit.core.periods import Period, union_seconds
from vakit.core.tags import split_tags
from vakit.services import reports
from vakit.services.context import Context
from vakit.services.report_buckets import UNITS, buckets, pieces
from vakit.services.report_sums import offset_segments
from vakit.store.db import open_ledger

ZONES = ["Europe/London", "America/Sao_Paulo", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata",
         "America/St_Johns", "Pacific/Chatham", "UTC"]
#: around DST changes in both hemispheres (2011-03-20), São Paulo's at midnight (16 Oct 2011, 26 Feb 2012) and the
#: day Samoa skipped (30 Dec 2011)
BASES = [int(datetime(y, m, d, tzinfo=timezone.utc).timestamp()) for y, m, d in
         ((2011, 3, 20), (2011, 10, 10), (2011, 12, 24), (2012, 2, 20))]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])


#: (client, rounding, first day, last day or None, billing zone): every base has contract edges of both clients
#: within its weeks, and every rounding direction; a contract added from a date ends the client's previous one
CONTRACTS = [
    ("Acme", "up:15m", "2010-01-01", None, None), ("Acme", "nearest:6m", "2011-03-27", None, "America/New_York"),
    ("Acme", "down:10m", "2011-04-02", None, None), ("Acme", "up:6m", "2011-10-17", None, None),
    ("Acme", "down:5m", "2011-12-29", None, "Pacific/Apia"), ("Acme", "nearest:15m", "2012-02-25", None, None),
    ("Birch", "down:10m", "2011-03-25", "2011-04-01", None),
    ("Birch", "up:30m", "2011-10-15", "2011-10-22", "America/Sao_Paulo"),
    ("Birch", "nearest:10m", "2011-12-26", "2012-01-02", None),
    ("Birch", "down:6m", "2012-02-23", "2012-03-01", None),
]


@pytest.fixture(scope="module")
def ledger():
    """Acme (client 1) always under a contract, changing terms near every base; Birch (2) under short contracts
    with gaps between; Carr (3) never (:data:`CONTRACTS`)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "ledger.sqlite3")
        env = {"VAKIT_NOW": "2010-01-01T09:00:00+00:00", "VAKIT_HOME": tmp}
        steps = [["init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP"], ["client", "add", "Acme"],
                 ["client", "add", "Birch"], ["client", "add", "Carr"]]
        for n, (client, rounding, first, last, billing_tz) in enumerate(CONTRACTS, start=1):
            steps.append(["contract", "add", "--client", client, "--rate", "40", "--rounding", rounding, "--from",
                          first, *(["--billing-tz", billing_tz] if billing_tz else [])])
            if last:
                steps.append(["contract", "end", str(n), "--on", last])
        for args in steps:
            res = CliRunner().invoke(get_app(), ["--db", db, *args], env=env, catch_exceptions=False)
            assert res.exit_code == 0, (args, res.output)
        ctx = Context(open_ledger(Path(db)), FixedClock(datetime(2040, 1, 1, tzinfo=timezone.utc)))
        yield ctx
        ctx.ledger.close()


@st.composite
def cases(draw):
    """A ledger's entries and a report period around one of :data:`BASES`: the period ``first``…``first + days``
    (days after the base) and entries from two days before it to two days after, so that most share time with
    it, some cross its edges, and contract edges fall inside."""
    base = draw(st.sampled_from(BASES))
    first, days = draw(st.integers(-5, 25)), draw(st.integers(0, 40))
    offsets = st.integers((first - 2) * 86400, (first + days + 2) * 86400)
    lengths = st.one_of(st.integers(1, 4 * 3600), st.integers(1, 40 * 3600))
    entry = st.tuples(st.sampled_from([1, 2, 3, None]), offsets, lengths, st.booleans(),
                      st.lists(st.sampled_from(["calls", "email", "Calls", "inbox"]), max_size=3, unique=True),
                      st.one_of(st.none(), st.integers(1, 9 * 3600)))
    return base, first, days, draw(st.lists(entry, min_size=1, max_size=30))


def _store(ctx: Context, base: int, items, tz: str) -> None:
    with ctx.ledger.write() as conn:
        conn.execute("DELETE FROM time_entries")
        for client, offset, length, billable, tags, before in items:
            start = base + offset
            conn.execute("INSERT INTO time_entries (client_id, start_utc, end_utc, tz, tags, billable, created_utc,"
                         " overlap_ok, long_ok, origin_start_utc) VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?)",
                         (client, start, start + length, tz, ", ".join(tags), int(billable), int(length > 16 * 3600),
                          None if before is None else start - before))


def _oracle(ctx: Context, period: Period, by: str, client_id: int | None, first_weekday: int) -> dict:
    """Every entry cut into pieces and summed in Python (how reports were summed before issue 11)."""
    parts = pieces(ctx, period, client_id)
    sums: dict[str, list] = {}
    day_key: dict[date, str] = {}
    if by in UNITS:
        for b in buckets(period, by, first_weekday):
            sums[b.key] = [0, 0, 0, set(), None, (b.first, b.last, b.partial)]
            for i in range((b.last - b.first).days + 1):
                day_key[date.fromordinal(b.first.toordinal() + i)] = b.key
    spelling: dict[str, str] = {}
    for p in parts:
        if by in UNITS:
            keys = [day_key[p.day]]
        elif by == "client":
            keys = [p.view.client_name or reports.NO_CLIENT]
        elif by == "tag":
            keys = [spelling.setdefault(t.casefold(), t) for t in split_tags(p.view.entry.tags)] or [reports.NO_TAG]
        else:
            keys = [f"#{p.contract.id}" if p.contract else reports.NO_CONTRACT]
        for key in keys:
            g = sums.setdefault(key, [0, 0, 0, set(), p.contract.id if p.contract else None, None])
            g[0] += p.seconds
            g[1] += p.billable
            g[2] += p.billed
            g[3].add(p.view.entry.id)
    views = {p.view.entry.id: p.view for p in parts}
    return {"rows": {k: (g[0], g[1], g[2], len(g[3]), g[4] if by == "contract" else None, g[5])
                     for k, g in sums.items()},
            "total": sum(p.seconds for p in parts), "billable": sum(p.billable for p in parts),
            "billed": sum(p.billed for p in parts), "entries": len(views),
            "worked": union_seconds([(p.start, p.end) for p in parts]),
            "unrounded": len({p.view.entry.id for p in parts if p.contract is None and p.billable}),
            "multi": sum(1 for v in views.values() if len(split_tags(v.entry.tags)) > 1) if by == "tag" else 0}


def _summed(r: reports.Report) -> dict:
    return {"rows": {x.key: (x.seconds, x.billable_seconds, x.billed_seconds, x.entries,
                             x.contract.id if x.contract else None,
                             (x.first, x.last, x.partial) if x.first else None) for x in r.rows},
            "total": r.total, "billable": r.billable, "billed": r.billed, "entries": r.entries, "worked": r.worked,
            "unrounded": r.unrounded, "multi": r.multi_tagged}


@SETTINGS
@given(cases(), st.sampled_from(ZONES), st.sampled_from(reports.GROUPINGS), st.integers(0, 6),
       st.sampled_from([None, 1, 2]))
# Birch's contract (billed in São Paulo) begins inside a London entry: 0:30 unrounded + 0:20 rounded up to 0:30
@example((BASES[1], 4, 2, [(2, 441000, 3000, True, [], None)]), "Europe/London", "client", 0, None)
# Birch's contract ends inside an entry on one Kolkata date: 0:30 rounded down + 0:28:20 unrounded
@example((BASES[0], 12, 1, [(2, 1117800, 3500, True, [], None)]), "Asia/Kolkata", "contract", 0, None)
# "calls" and "Calls" begin at the same second: the report shows the spelling of the lower entry id
@example((BASES[0], 9, 0, [(1, 813600, 600, True, ["calls"], None), (3, 813600, 600, True, ["Calls"], None),
                           (1, 814600, 600, True, ["calls"], None)]), "Europe/London", "tag", 0, None)
# exactly half of Acme's 6-minute increment rounds up ("nearest")
@example((BASES[0], 8, 0, [(1, 734400, 180, True, [], None)]), "Europe/London", "client", 0, None)
def test_sql_sums_equal_piece_sums(ledger, case, tz, by, first_weekday, client_id):
    base, first, days, items = case
    _store(ledger, base, items, tz)
    d0 = datetime.fromtimestamp(base, timezone.utc).date() + timedelta(days=first)
    period = Period(d0, d0 + timedelta(days=days), tz)
    client = None if client_id is None else type("C", (), {"id": client_id})()
    got = reports.report(ledger, period, by=by, client=client, first_weekday=first_weekday)
    want = _oracle(ledger, period, by, client_id, first_weekday)
    assert _summed(got) == want
    assert [x.key for x in got.rows] == [x.key for x in got.rows if x.key in want["rows"]]


@SETTINGS
@given(st.sampled_from(ZONES), st.dates(date(1995, 1, 1), date(2036, 12, 31)), st.integers(0, 800))
@example("America/St_Johns", date(2016, 9, 1), 192)  # the period ends on the day of a change, after it
def test_offset_segments_cover_the_period_with_one_offset_each(tz, first, days):
    period = Period(first, first + timedelta(days=days), tz)
    segs = offset_segments(period)
    assert segs[0][0] == period.start_utc and segs[-1][1] == period.end_utc
    for (a_lo, a_hi, a_off), (b_lo, _b_hi, b_off) in zip(segs, segs[1:]):
        assert a_hi == b_lo and a_off != b_off
    from vakit.core.clock import zone

    for lo, hi, off in segs:
        for t in {lo, (lo + hi) // 2, hi - 1}:
            assert datetime.fromtimestamp(t, zone(tz)).utcoffset().total_seconds() == off
