"""The weeks when two zones' clocks are an hour off their usual difference, and the warning `book` gives."""

from __future__ import annotations

from datetime import date, datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from vakit.core.zone_gap import unusual_gap


def _t(iso: str) -> int:
    return int(datetime.fromisoformat(iso).replace(tzinfo=timezone.utc).timestamp())


def test_new_york_and_berlin_between_the_us_and_the_eu_change():
    # 2026: the US springs forward on Sun 8 Mar, the EU on Sun 29 Mar; back on Sun 25 Oct (EU) and Sun 1 Nov (US)
    g = unusual_gap(_t("2026-03-16T15:00:00"), "Europe/Berlin", "America/New_York")
    assert (g.gap, g.usual, g.first, g.last) == (-5 * 3600, -6 * 3600, date(2026, 3, 8), date(2026, 3, 28))
    g = unusual_gap(_t("2026-10-29T15:00:00"), "Europe/Berlin", "America/New_York")
    assert (g.gap, g.usual, g.first, g.last) == (-5 * 3600, -6 * 3600, date(2026, 10, 25), date(2026, 10, 31))
    assert unusual_gap(_t("2026-03-02T15:00:00"), "Europe/Berlin", "America/New_York") is None
    assert unusual_gap(_t("2026-07-01T15:00:00"), "Europe/Berlin", "America/New_York") is None


def test_zones_whose_difference_changes_for_months_have_no_passing_gap():
    for iso in ("2026-01-15T12:00:00", "2026-03-16T12:00:00", "2026-07-01T12:00:00", "2026-11-05T12:00:00"):
        assert unusual_gap(_t(iso), "Asia/Manila", "America/New_York") is None
        assert unusual_gap(_t(iso), "Asia/Kolkata", "Asia/Tokyo") is None


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=_t("2021-01-01T00:00:00"), max_value=_t("2034-12-31T00:00:00")),
       st.sampled_from(["Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "Asia/Manila",
                        "Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo", "Asia/Kolkata"]),
       st.sampled_from(["Europe/London", "America/Los_Angeles", "Australia/Lord_Howe", "Asia/Jerusalem"]))
def test_a_passing_gap_is_short_and_the_usual_one_differs(t, a, b):
    g = unusual_gap(t, a, b)
    if g is not None:
        assert g.gap != g.usual and (g.last - g.first).days + 1 < 60


def test_book_warns_when_the_usual_offset_does_not_hold(cli):
    cli.now = "2026-03-02T09:00:00+01:00"
    cli("init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE")
    cli("client", "add", "Northwind", "--tz", "America/New_York", "--currency", "USD")
    res = cli("schedule", "book", "Sync", "--client", "Northwind", "--at", "2026-03-16 10:00")
    assert res.stderr == ("vakit: note: from Sun 08 Mar to Sat 28 Mar 2026 America/New_York is 5:00 behind "
                          "Europe/Berlin, not the usual 6:00 behind: the two change their clocks on different dates, "
                          "so this call is an hour off its usual place for one of you\n")
    assert cli("schedule", "book", "Sync", "--client", "Northwind", "--at", "2026-04-13 10:00").stderr == ""
