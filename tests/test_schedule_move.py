"""``vakit schedule move``: the same event at another time (same UID, SEQUENCE raised), checked like a booking."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def booked(cli):
    cli.now = "2026-11-02T09:00:00+05:30"
    cli("init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN")
    cli("client", "add", "North", "--tz", "America/New_York", "--currency", "USD")
    cli("client", "add", "Harbour", "--tz", "Europe/London", "--currency", "GBP")
    cli("schedule", "book", "Sync", "--client", "North", "--at", "friday 10:00", "--duration", "30m")
    cli("schedule", "book", "Review", "--client", "Harbour", "--at", "2026-11-06 15:30", "--duration", "45m")
    return cli


def _appts(cli) -> dict:
    data = json.loads(cli("schedule", "list", "--all", "--json").stdout)["data"]
    return {a["id"]: a for a in data}


def test_move_keeps_the_uid_raises_the_sequence_and_prints_both_clocks(booked):
    cli = booked
    before = _appts(cli)[1]
    out = cli("schedule", "move", "1", "--at", "2026-11-09 11:00").stdout
    assert out == ("Moved #1 'Sync' with North from Fri 06 Nov 2026 10:00 EST (UTC-05:00), SEQUENCE 1\n"
                   "  their time: Mon 09 Nov 2026 11:00 – 11:30 EST (UTC-05:00) (America/New_York)\n"
                   "  your time:  Mon 09 Nov 2026 21:30 – 22:00 IST (UTC+05:30) (Asia/Kolkata)\n")
    after = _appts(cli)[1]
    assert (after["uid"], after["sequence"], after["start"], after["end"]) == \
        (before["uid"], 1, "2026-11-09T16:00:00Z", "2026-11-09T16:30:00Z")
    ics = cli("schedule", "export", "--client", "North", "-o", "-").stdout
    assert f"UID:{before['uid']}" in ics and "SEQUENCE:1" in ics and "DTSTART;TZID=America/New_York:20261109T110000" \
        in ics


def test_move_is_checked_like_a_booking_and_a_refusal_changes_nothing(booked):
    cli = booked
    before = _appts(cli)
    res = cli("schedule", "move", "1", "--at", "2026-11-06 10:45", ok=False)  # 15:45 GMT: inside the review
    assert res.exit_code == 1 and res.stderr == (
        "vakit: clashes with 'Review' for Harbour Fri 06 Nov 2026 10:30 – 11:15 EST (UTC-05:00) (30 min overlap) "
        "(pick another time, or pass --allow-conflict)\n")
    res = cli("schedule", "move", "1", "--at", "2026-11-01 10:00", ok=False)
    assert res.exit_code == 1 and "is in the past" in res.stderr
    res = cli("schedule", "move", "1", "--at", "friday 10:00", ok=False)
    assert res.stderr == "vakit: appointment #1 is at Fri 06 Nov 2026 10:00 – 10:30 EST (UTC-05:00) already\n"
    cli("schedule", "cancel", "2")
    res = cli("schedule", "move", "2", "--at", "monday 10:00", ok=False)
    assert res.stderr == "vakit: appointment #2 is cancelled (book it again instead)\n"
    after = _appts(cli)
    assert after[1] == before[1]
    cli("schedule", "move", "1", "--at", "2026-11-06 10:45", "--allow-conflict", "--duration", "1h")
    assert (_appts(cli)[1]["start"], _appts(cli)[1]["end"]) == ("2026-11-06T15:45:00Z", "2026-11-06T16:45:00Z")
