"""``schedule book --at``: weekdays and "tomorrow" are days of the zone --at is read in, and a weekday whose time
has passed today means next week's (issue 8)."""

from __future__ import annotations

import pytest


@pytest.fixture
def manila(cli):
    cli.now = "2026-11-01T09:00:00+08:00"
    cli("init", "--name", "VA", "--tz", "Asia/Manila", "--currency", "PHP", "--locale", "en_PH")
    cli("client", "add", "Chi", "--tz", "America/Chicago", "--currency", "USD")
    # Tuesday 08:00 in Manila is still Monday 18:00 in Chicago
    cli.now = "2026-11-10T08:00:00+08:00"
    return cli


def test_a_weekday_whose_time_has_passed_there_is_next_weeks(manila):
    out = manila("schedule", "book", "Sync", "--client", "Chi", "--at", "monday 08:30").stdout
    assert "their time: Mon 16 Nov 2026 08:30 – 09:00 CST (UTC-06:00) (America/Chicago)" in out
    assert "your time:  Mon 16 Nov 2026 22:30 – 23:00 PST (UTC+08:00) (Asia/Manila)" in out


def test_the_same_weekday_later_today_there_is_today(manila):
    out = manila("schedule", "book", "Sync", "--client", "Chi", "--at", "monday 19:00").stdout
    assert "their time: Mon 09 Nov 2026 19:00 – 19:30 CST (UTC-06:00) (America/Chicago)" in out


def test_tomorrow_is_tomorrow_in_the_clients_zone(manila):
    out = manila("schedule", "book", "Sync", "--client", "Chi", "--at", "tomorrow 09:00").stdout
    assert "their time: Tue 10 Nov 2026 09:00 – 09:30 CST (UTC-06:00) (America/Chicago)" in out


def test_a_dated_time_in_the_past_is_still_refused(manila):
    res = manila("schedule", "book", "Sync", "--client", "Chi", "--at", "2026-11-09 08:30", ok=False)
    assert res.exit_code == 1 and "is in the past" in res.stderr
