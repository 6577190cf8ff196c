"""Property tests (hypothesis, bounded) where the arithmetic is."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from vakit.core.clock import zone
from vakit.core.durations import parse_duration
from vakit.core.money import from_minor, to_minor
from vakit.core.periods import day_slices, local_midnight_utc, union_seconds

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "America/Santiago", "UTC"]
T0 = int(datetime(2000, 1, 1, tzinfo=timezone.utc).timestamp())
T1 = int(datetime(2035, 1, 1, tzinfo=timezone.utc).timestamp())


@settings(max_examples=200, deadline=None)
@given(st.integers(T0, T1), st.integers(1, 10 * 86400), st.sampled_from(ZONES))
def test_day_slices_partition_an_interval_across_dst(start, length, tz):
    slices = day_slices(start, start + length, tz)
    assert sum(s for _, s in slices) == length
    days = [d for d, _ in slices]
    assert days == sorted(set(days))
    for d, _ in slices[1:-1]:  # every whole day is exactly midnight to midnight, 23, 24 or 25 h (or 23.5 …)
        full = local_midnight_utc(d.fromordinal(d.toordinal() + 1), tz) - local_midnight_utc(d, tz)
        assert 22 * 3600 <= full <= 26 * 3600
    assert datetime.fromtimestamp(start, zone(tz)).date() == days[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 3_000)), max_size=20))
def test_union_is_at_most_the_sum_and_at_least_the_longest(spans):
    intervals = [(s, s + n) for s, n in spans]
    u = union_seconds(intervals)
    assert u <= sum(n for _, n in spans)
    assert u >= max((n for _, n in spans), default=0)


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**12, 10**12), st.sampled_from(["USD", "JPY", "KWD", "INR", "EUR"]))
def test_minor_units_round_trip(minor, currency):
    assert to_minor(from_minor(minor, currency), currency) == minor


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 99), st.integers(0, 59))
def test_duration_spellings_agree(h, m):
    if h == 0 and m == 0:
        return
    seconds = h * 3600 + m * 60
    spellings = [f"{h}:{m:02d}", f"{h * 60 + m}m"]
    if h:
        spellings += [f"{h}h{m}m" if m else f"{h}h", f"{h}h {m}m" if m else f"{h}h"]
    assert {parse_duration(s) for s in spellings} == {seconds}
    assert Decimal(seconds) / 3600 == Decimal(h) + Decimal(m) / 60
