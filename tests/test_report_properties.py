"""Property tests of report buckets and totals (issue 7, "Reports"; design.md §7).

- day and week buckets of any period in any zone partition it: no gap, no overlap, across DST (also 30-minute
  DST on Lord Howe, the skipped 30 Dec 2011 of Samoa, historic midnight changes in São Paulo);
- an interval cut at local midnights is covered exactly, each piece inside its own date;
- for any set of entries: ``log list``'s day totals equal ``log report --by day``; every grouping gives the same
  totals; billed time is each entry's rounded time, however it is cut; printed rows add up to the printed total.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from vakit.cli.app import get_app
from vakit.cli.render_reports import report_table
from vakit.core.clock import FixedClock, zone
from vakit.core.models import Rounding
from vakit.core.periods import Period, local_midnight_utc
from vakit.core.rounding import round_seconds
from vakit.services import reports
from vakit.services.context import Context
from vakit.services.report_buckets import buckets, day_cuts
from vakit.store.db import open_ledger

ZONES = ["Europe/London", "America/Sao_Paulo", "Australia/Lord_Howe", "Pacific/Apia", "America/Santiago",
         "Asia/Kolkata", "America/St_Johns", "Europe/Berlin", "Pacific/Chatham", "UTC"]
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])

periods = st.builds(lambda first, days, tz: Period(first, first + timedelta(days=days), tz),
                    st.dates(date(1990, 1, 1), date(2037, 12, 31)), st.integers(0, 70), st.sampled_from(ZONES))


@SETTINGS
@given(periods, st.sampled_from(["day", "week", "month"]), st.integers(0, 6))
def test_buckets_partition_any_period_in_any_zone(period, unit, first_weekday):
    bs = buckets(period, unit, first_weekday)
    assert bs[0].start_utc == period.start_utc and bs[-1].end_utc == period.end_utc
    assert bs[0].first == period.first and bs[-1].last == period.last
    for a, b in zip(bs, bs[1:]):
        assert a.end_utc == b.start_utc and a.last + timedelta(days=1) == b.first  # no gap, no overlap
    for b in bs:
        assert b.start_utc <= b.end_utc
        assert b.start_utc == local_midnight_utc(b.first, period.tz)
        if unit == "week":
            assert b.partial or (b.first.weekday() == first_weekday and (b.last - b.first).days == 6)
    days = buckets(period, "day")
    assert len(days) == (period.last - period.first).days + 1  # every date once, also a 23 h or 25 h one
    assert sum(b.end_utc - b.start_utc for b in days) == period.end_utc - period.start_utc


@SETTINGS
@given(st.integers(int(datetime(1990, 1, 1, tzinfo=timezone.utc).timestamp()),
                   int(datetime(2037, 1, 1, tzinfo=timezone.utc).timestamp())),
       st.integers(1, 40 * 86400), st.sampled_from(ZONES))
def test_day_cuts_cover_an_interval_exactly(start, length, tz):
    cuts = day_cuts(start, start + length, tz)
    assert cuts[0][1] == start and cuts[-1][2] == start + length
    assert sum(b - a for _d, a, b in cuts) == length
    for (d1, _a1, b1), (d2, a2, _b2) in zip(cuts, cuts[1:]):
        assert b1 == a2 and d1 < d2
    for d, a, b in cuts:
        assert local_midnight_utc(d, tz) <= a < b <= local_midnight_utc(d + timedelta(days=1), tz)
        assert datetime.fromtimestamp(a, zone(tz)).date() == d


@pytest.fixture(scope="module")
def ledger():
    """A ledger with Acme (hourly, rounded up to 15 min per entry, from 2000) and Birch (no contract)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "ledger.sqlite3")
        run = CliRunner()
        env = {"VAKIT_NOW": "2000-01-01T09:00:00+00:00", "VAKIT_HOME": tmp}
        for args in (["init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP"], ["client", "add", "Acme"],
                     ["client", "add", "Birch"],
                     ["contract", "add", "--client", "Acme", "--rate", "40.00", "--rounding", "up:15m", "--from",
                      "2000-01-01"]):
            res = run.invoke(get_app(), ["--db", db, *args], env=env, catch_exceptions=False)
            assert res.exit_code == 0, res.output
        ctx = Context(open_ledger(Path(db)), FixedClock(datetime(2040, 1, 1, tzinfo=timezone.utc)))
        yield ctx
        ctx.ledger.close()


entry = st.tuples(st.sampled_from([1, 2, None]), st.integers(-2 * 86400, 12 * 86400), st.integers(1, 20 * 3600),
                  st.booleans(), st.lists(st.sampled_from(["calls", "email", "Calls"]), max_size=3))
T0 = int(datetime(2010, 1, 1, tzinfo=timezone.utc).timestamp())
T1 = int(datetime(2030, 1, 1, tzinfo=timezone.utc).timestamp())


def _store(ctx: Context, base: int, items, tz: str) -> None:
    with ctx.ledger.write() as conn:
        conn.execute("DELETE FROM time_entries")
        for client, offset, length, billable, tags in items:
            conn.execute("INSERT INTO time_entries (client_id, start_utc, end_utc, tz, tags, billable, created_utc,"
                         " overlap_ok, long_ok) VALUES (?, ?, ?, ?, ?, ?, 0, 1, 1)",
                         (client, base + offset, base + offset + length, tz, ", ".join(tags), int(billable)))


def _printed(r: reports.Report) -> list[list[str]]:
    con = Console(width=250, file=io.StringIO(), no_color=True, markup=False, emoji=False, highlight=False)
    con.print(report_table(r))
    return [[c.strip() for c in ln.split("│")[1:-1]] for ln in con.file.getvalue().splitlines() if ln.startswith("│")]


def _seconds(text: str) -> int:
    parts = [int(p) for p in text.split(":")]
    h, m, s = (parts + [0])[:3]
    return h * 3600 + m * 60 + s


@SETTINGS
@given(st.integers(T0, T1), st.lists(entry, max_size=8), st.sampled_from(ZONES), st.integers(-1, 3),
       st.integers(0, 9))
def test_list_days_equal_the_by_day_report_and_every_grouping_agrees(ledger, base, items, tz, lead, days):
    ctx = ledger
    _store(ctx, base, items, tz)
    first = datetime.fromtimestamp(base, zone(tz)).date() + timedelta(days=lead)
    period = Period(first, first + timedelta(days=days), tz)
    listed = reports.day_totals(reports.listing(ctx, period))
    by_day = reports.report(ctx, period, by="day")
    assert listed == {date.fromisoformat(r.key): r.seconds for r in by_day.rows if r.seconds}
    totals = {}
    for by in ("client", "day", "week", "month", "contract"):
        r = reports.report(ctx, period, by=by)
        assert (sum(x.seconds for x in r.rows), sum(x.billable_seconds for x in r.rows),
                sum(x.billed_seconds for x in r.rows)) == (r.total, r.billable, r.billed)
        totals[by] = (r.total, r.billable, r.billed, r.worked, r.entries)
        printed = _printed(r)
        body, total = printed[:-2], printed[-2]
        assert total[0] == "total"
        for col in (1, 2, 3):  # hours, billable, billed: the printed rows add up to the printed total
            assert sum(_seconds(row[col]) for row in body) == _seconds(total[col])
    assert len(set(totals.values())) == 1
    # billed: each entry's part in the period, rounded as a part of the whole entry (Acme), unrounded (Birch)
    lo, hi = period.start_utc, period.end_utc
    want = 0
    for client, offset, length, billable, _tags in items:
        s, e = base + offset, base + offset + length
        a, b = max(s, lo), min(e, hi)
        if a >= b or not billable or client is None:
            continue
        rnd = Rounding(900, "up") if client == 1 else Rounding()
        want += round_seconds(b - s, rnd) - round_seconds(a - s, rnd)
    assert by_day.billed == want


@SETTINGS
@given(st.integers(T0, T1), st.lists(entry, min_size=1, max_size=8), st.sampled_from(ZONES))
def test_tag_rows_count_each_tag_once_per_entry(ledger, base, items, tz):
    ctx = ledger
    _store(ctx, base, items, tz)
    first = datetime.fromtimestamp(base, zone(tz)).date()
    period = Period(first - timedelta(days=3), first + timedelta(days=14), tz)
    r = reports.report(ctx, period, by="tag")
    keys = [x.key.casefold() for x in r.rows]
    assert len(keys) == len(set(keys))  # "Calls" and "calls" are one tag
    untagged = next((x.seconds for x in r.rows if x.key == reports.NO_TAG), 0)
    assert sum(x.seconds for x in r.rows) >= r.total >= untagged
    if not r.multi_tagged:
        assert sum(x.seconds for x in r.rows) == r.total


@pytest.mark.parametrize("tz,first,hours", [
    ("Pacific/Apia", date(2011, 12, 29), [24, 0, 24]),  # Samoa skipped Friday 30 December 2011
    ("America/Sao_Paulo", date(2018, 11, 3), [24, 23, 24]),  # DST began at midnight: the 4th started at 01:00
    ("America/Sao_Paulo", date(2019, 2, 16), [25, 24, 24]),  # and ended at midnight: 23:00–24:00 twice
    ("Australia/Lord_Howe", date(2025, 10, 4), [24, 23.5, 24]),  # a 30-minute change
])
def test_odd_days_are_one_bucket_each_with_their_real_length(tz, first, hours):
    period = Period(first, first + timedelta(days=2), tz)
    days = buckets(period, "day")
    assert [b.first for b in days] == [first + timedelta(days=i) for i in range(3)]
    assert [(b.end_utc - b.start_utc) / 3600 for b in days] == hours
