"""Suggested slots and booking them by number (issue 8; field case C-09), with a property: every suggested slot
is bookable, and booked appointments never overlap unless a clash was allowed."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from test_availability import add_busy, appointments, refused


def utc(t: int) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def at(t: int) -> str:
    """``t`` as typed in UTC (``2025-10-24 10:07``)."""
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M")


def slots(cli, *args: str) -> list[tuple[str, str]]:
    data = json.loads(cli("schedule", "suggest", *args, "--json").stdout)["data"]
    assert [s["slot"] for s in data["slots"]] == list(range(1, len(data["slots"]) + 1))
    return [(s["start"], s["end"]) for s in data["slots"]]


def test_c09_slots_after_the_dst_change_are_in_winter_time(cli):
    cli.now = "2025-10-20T10:00:00-04:00"  # 10:00 EDT, three weeks before New York changes its clocks
    cli("init", "--name", "Asha VA", "--tz", "Asia/Kolkata", "--currency", "INR")
    cli("client", "add", "Acme", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "hours", "--client", "Acme", "--set", "Mon-Fri 09:00-17:00")
    out = cli("schedule", "suggest", "--client", "Acme", "--on", "2025-11-10", "--duration", "60m").stdout
    lines = out.splitlines()
    assert lines[0] == ("Free 60 min slots with Acme on Mon 10 Nov 2025 (their date), their time (America/New_York) "
                        "· your time (Asia/Kolkata):")
    assert lines[1] == ("  1  Mon 10 Nov 2025 09:00 – 10:00 EST (UTC-05:00)  ·  Mon 10 Nov 2025 19:30 – 20:30 IST "
                        "(UTC+05:30)")
    assert lines[8] == ("  8  Mon 10 Nov 2025 16:00 – 17:00 EST (UTC-05:00)  ·  Tue 11 Nov 2025 02:30 – 03:30 IST "
                        "(UTC+05:30)")
    assert lines[9] == "Book one within the hour: vakit schedule book TITLE --client Acme --slot N"
    got = slots(cli, "--client", "Acme", "--on", "2025-11-10", "--duration", "60m")
    assert got == [(f"2025-11-10T{h:02d}:00:00Z", f"2025-11-10T{h + 1:02d}:00:00Z") for h in range(14, 22)]
    # the booking the case makes by hand is accepted, stored 14:00Z–15:00Z and shown 09:00–10:00 EST
    out = cli("schedule", "add", "Kick-off", "--client", "Acme", "--date", "2025-11-10", "--at", "09:00",
              "--duration", "60m").stdout
    assert "their time: Mon 10 Nov 2025 09:00 – 10:00 EST (UTC-05:00) (America/New_York)" in out
    assert appointments(cli) == [("Kick-off", "2025-11-10T14:00:00Z", "2025-11-10T15:00:00Z")]
    # and booking by number: slot 1 is now 10:00 EST
    cli("schedule", "suggest", "--client", "Acme", "--on", "2025-11-10", "--duration", "60m")
    out = cli("schedule", "book", "Follow-up", "--client", "Acme", "--slot", "1").stdout
    assert out.splitlines() == ["Booked #2 'Follow-up' with Acme",
                                "  their time: Mon 10 Nov 2025 10:00 – 11:00 EST (UTC-05:00) (America/New_York)",
                                "  your time:  Mon 10 Nov 2025 20:30 – 21:30 IST (UTC+05:30) (Asia/Kolkata)"]
    assert appointments(cli)[1] == ("Follow-up", "2025-11-10T15:00:00Z", "2025-11-10T16:00:00Z")


@pytest.fixture
def berlin_ny(cli):
    """A VA in Berlin working Mon-Fri 09:00-18:00; Acme in New York, Mon-Fri 09:00-17:00."""
    cli.now = "2025-10-01T08:00:00+02:00"
    cli("init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR")
    cli("client", "add", "Acme", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "hours", "--set", "Mon-Fri 09:00-18:00")
    cli("schedule", "hours", "--client", "Acme", "--set", "Mon-Fri 09:00-17:00")
    return cli


@pytest.mark.parametrize(("day", "last_end"), [
    ("2025-10-20", "16:00"),  # both on summer time: 18:00 Berlin = 12:00 New York
    ("2025-10-27", "17:00"),  # Berlin on winter time, New York still on summer time: 13:00 New York
    ("2025-11-03", "17:00"),  # both on winter time: 12:00 New York
    ("2026-03-09", "17:00"),  # New York on summer time, Berlin not yet: 13:00 New York
    ("2026-03-30", "16:00"),  # both on summer time again
])
def test_both_working_hours_across_the_weeks_the_clocks_change(berlin_ny, day, last_end):
    cli = berlin_ny
    if day.startswith("2026"):
        cli.now = "2026-03-01T08:00:00+01:00"
    got = slots(cli, "--client", "Acme", "--on", day, "--duration", "60m", "--count", "20")
    first, last = got[0], got[-1]
    assert first[0] == f"{day}T13:00:00Z" or first[0] == f"{day}T14:00:00Z"  # 09:00 New York
    assert last[1] == f"{day}T{last_end}:00Z"  # 18:00 Berlin, whatever New York's clock says then
    assert len(got) == (4 if last_end == "17:00" and first[0].endswith("13:00:00Z") else 3)


def test_a_25_hour_day_has_25_hourly_slots(cli):
    cli.now = "2025-10-20T10:00:00-04:00"
    cli("init", "--name", "VA", "--tz", "America/New_York", "--currency", "USD")
    cli("client", "add", "Owl", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "hours", "--client", "Owl", "--set", "Sun 00:00-24:00")
    out = cli("schedule", "suggest", "--client", "Owl", "--on", "2025-11-02", "--duration", "1h",
              "--count", "30").stdout
    lines = out.splitlines()
    assert lines[0] == "Free 60 min slots with Owl on Sun 02 Nov 2025 (their date), in America/New_York:"
    rows = lines[1:-1]
    assert len(rows) == 25
    assert rows[:3] == ["   1  Sun 02 Nov 2025 00:00 – 01:00 EDT (UTC-04:00)",
                        "   2  Sun 02 Nov 2025 01:00 EDT (UTC-04:00) – 01:00 EST (UTC-05:00)",
                        "   3  Sun 02 Nov 2025 01:00 – 02:00 EST (UTC-05:00)"]
    assert rows[-1] == "  25  Sun 02 Nov 2025 23:00 EST (UTC-05:00) – Mon 03 Nov 2025 00:00 EST (UTC-05:00)"
    out = cli("schedule", "book", "Night owl", "--client", "Owl", "--slot", "3").stdout  # the second 01:00
    assert "their time: Sun 02 Nov 2025 01:00 – 02:00 EST (UTC-05:00)" in out
    assert appointments(cli) == [("Night owl", "2025-11-02T06:00:00Z", "2025-11-02T07:00:00Z")]


def test_suggestions_skip_appointments_busy_times_buffers_blocks_and_full_days(cli):
    cli.now = "2025-10-20T10:00:00+01:00"
    cli("init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP")
    cli("client", "add", "Birch", "--tz", "Europe/London")
    cli("schedule", "hours", "--set", "Mon-Fri 09:00-17:00")
    cli("schedule", "rules", "--buffer-before", "15m")
    cli("schedule", "book", "Call", "--client", "Birch", "--date", "2025-11-10", "--at", "10:00", "--duration", "1h")
    add_busy(cli, "2025-11-10T13:00:00Z", "2025-11-10T14:00:00Z")
    cli("schedule", "block", "--from", "2025-11-10 15:00", "--to", "16:00")
    got = slots(cli, "--client", "Birch", "--on", "2025-11-10", "--duration", "30m", "--count", "20")
    assert [s[11:16] for s, _ in got] == ["09:00", "11:15", "11:45", "12:15", "14:15", "16:00", "16:30"]
    # a full day is skipped
    cli("schedule", "rules", "--max-per-day", "1")
    assert slots(cli, "--client", "Birch", "--on", "2025-11-10", "--duration", "30m") == []
    assert "No free 30 min slot with Birch on Mon 10 Nov 2025" in cli(
        "schedule", "suggest", "--client", "Birch", "--on", "2025-11-10", "--duration", "30m").stdout
    got = slots(cli, "--client", "Birch", "--within", "30d", "--duration", "30m", "--count", "3", "--step", "2h")
    assert got == [("2025-10-20T09:00:00Z", "2025-10-20T09:30:00Z"), ("2025-10-20T11:00:00Z", "2025-10-20T11:30:00Z"),
                   ("2025-10-20T13:00:00Z", "2025-10-20T13:30:00Z")]  # from now (10:00 BST) on, 2 h apart
    cli("schedule", "rules", "--notice", "2d")
    assert slots(cli, "--client", "Birch", "--within", "30d", "--duration", "30m", "--count", "1") == [
        ("2025-10-22T09:00:00Z", "2025-10-22T09:30:00Z")]  # two days from now
    cli("schedule", "rules", "--notice", "2h", "--max-per-day", "0")
    out = cli("schedule", "suggest", "--client", "Birch", "--within", "1d", "--count", "1",
              now="2025-10-20T10:07:00+01:00").stdout  # from 12:07 on: the next quarter hour
    assert "  1  Mon 20 Oct 2025 12:15 – 12:45 BST (UTC+01:00)\n" in out


def test_booking_by_number_refuses_what_it_cannot_book(cli):
    cli.now = "2025-10-20T10:00:00-04:00"
    cli("init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP")
    cli("client", "add", "Acme", "--tz", "America/New_York", "--currency", "USD")
    cli("client", "add", "Birch", "--tz", "Europe/London")
    cli("schedule", "hours", "--client", "Acme", "--set", "Mon-Fri 09:00-17:00")
    book = ["schedule", "book", "Call", "--client", "Acme", "--slot"]
    refused(cli(*book, "1", ok=False), "no suggestion for Acme to book slot 1 of",
            "run vakit schedule suggest --client Acme first")
    cli("schedule", "suggest", "--client", "Acme", "--on", "2025-11-10", "--duration", "60m")
    refused(cli(*book, "9", ok=False), "the last suggestion for Acme has slots 1 to 8, not 9")
    refused(cli(*book, "0", ok=False), "not 0")
    refused(cli(*book, "1", "--at", "10:00", ok=False), "--slot sets the time and the length; drop --at")
    refused(cli(*book, "1", "--duration", "1h", ok=False), "drop --duration")
    refused(cli(*book, "1", ok=False, now="2025-10-20T11:00:01-04:00"), "over an hour ago")
    refused(cli("schedule", "book", "Call", "--client", "Birch", "--slot", "1", ok=False), "no suggestion for Birch")
    # taken since the suggestion: book's own checks refuse it
    cli("schedule", "book", "Other", "--client", "Birch", "--at", "2025-11-10 14:30")
    refused(cli(*book, "1", ok=False), "clashes with 'Other' for Birch")
    assert [t for t, _, _ in appointments(cli)] == ["Other"]
    cli(*book, "2", now="2025-10-20T11:00:00-04:00")  # an hour old exactly is still good
    assert appointments(cli)[1] == ("Call", "2025-11-10T15:00:00Z", "2025-11-10T16:00:00Z")
    for args, said in ((["--on", "someday"], "could not parse date 'someday'"),
                       (["--on", "2025-11-10", "--within", "3d"], "give --on or --within, not both"),
                       (["--within", "200d"], "--within is at most 92 days"), (["--count", "0"], "--count is 1 to"),
                       (["--duration", "25h"], "at most 24 hours"), (["--step", "30s"], "unknown unit 's'")):
        refused(cli("schedule", "suggest", "--client", "Acme", *args, ok=False), said)


# --- the property ------------------------------------------------------------------------------------------

WEEKS = [[], ["Mon-Fri 09:00-17:00"], ["Mon-Fri 08:00-12:00,13:00-18:30", "Sat 10:00-12:00"], ["Sun-Sun 00:00-24:00"],
         ["Mon-Sun 00:00-03:00,22:00-24:00"]]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]
START = datetime(2025, 10, 24, 9, 7, tzinfo=timezone.utc)  # two DST weekends ahead (EU 26 Oct, US 2 Nov)


class _Undo(Exception):
    pass


def _ledger(home: str, theirs: str, yours_week, their_week, rules: dict):
    from conftest import make_ctx
    from vakit.core.models import Profile
    from vakit.services.availability import set_hours, set_rules
    from vakit.services.ledger import add_client, save_profile

    tmp = tempfile.TemporaryDirectory()
    ctx = make_ctx(Path(tmp.name), START)
    save_profile(ctx, Profile("VA", "", "", (), home, "EUR", "en_GB", "{year}-{seq:04}"))
    add_client(ctx, "C", tz=theirs, currency="EUR")
    add_client(ctx, "D", tz=home, currency="EUR")
    if yours_week:
        set_hours(ctx, None, yours_week)
    if their_week:
        set_hours(ctx, "C", their_week)
    set_rules(ctx, **rules)
    return tmp, ctx


rules_st = st.fixed_dictionaries({
    "buffer_before": st.sampled_from([0, 300, 900]), "buffer_after": st.sampled_from([0, 600]),
    "min_notice": st.sampled_from([0, 3600, 86400]), "max_per_day": st.sampled_from([None, 1, 3]),
    "max_seconds_per_day": st.sampled_from([None, 3600, 4 * 3600])})
existing_st = st.lists(st.tuples(st.integers(0, 6 * 24 * 4), st.sampled_from([900, 1800, 3600, 5400]),
                                 st.booleans()), max_size=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(home=st.sampled_from(ZONES), theirs=st.sampled_from(ZONES), yours=st.sampled_from(WEEKS),
       their=st.sampled_from(WEEKS), rules=rules_st, existing=existing_st,
       duration=st.sampled_from([900, 1800, 3600, 5400]), step=st.sampled_from([None, 900, 1800]))
def test_every_suggested_slot_can_be_booked(home, theirs, yours, their, rules, existing, duration, step):
    from vakit.services.scheduling import book
    from vakit.services.slots import suggest

    tmp, ctx = _ledger(home, theirs, yours, their, rules)
    try:
        t = int(START.timestamp())
        for i, (quarter, length, busy) in enumerate(existing):  # appointments and busy times anywhere, rules or not
            start = t + 3600 + quarter * 900
            if busy:
                with ctx.ledger.write() as conn:
                    conn.execute("INSERT INTO busy_times (source, uid, start_utc, end_utc, tz, imported_utc) VALUES"
                                 " ('x.ics', ?, ?, ?, 'UTC', 0)", (str(i), start, start + length))
            else:
                book(ctx, "D", at(start), length, "E", tz="UTC", force=True, allow_conflict=True)
        s = suggest(ctx, "C", duration, within=5 * 86400, count=12, step=step)
        assert all(b - a == duration for a, b in s.slots)
        assert all(x[0] < y[0] for x, y in zip(s.slots, s.slots[1:]))
        event(f"{min(len(s.slots), 12)} slots")
        for n, (a, _) in enumerate(s.slots, 1):
            try:
                with ctx.ledger.write():
                    from vakit.services.slots import book_slot

                    got = book_slot(ctx, "C", n, "S")
                    assert got.appointment.start_utc == a
                    raise _Undo
            except _Undo:
                pass
    finally:
        ctx.ledger.close()
        tmp.cleanup()


attempts_st = st.lists(st.tuples(st.integers(0, 3 * 24 * 4), st.sampled_from([900, 1800, 3600]),
                                 st.sampled_from(["none", "force", "allow_conflict"])), min_size=1, max_size=14)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rules_st, yours=st.sampled_from(WEEKS), attempts=attempts_st)
def test_booked_appointments_never_overlap_unless_a_clash_was_allowed(rules, yours, attempts):
    from vakit.core.errors import VakitError
    from vakit.services.scheduling import book, list_appointments

    tmp, ctx = _ledger("Europe/London", "America/New_York", yours, [], rules)
    try:
        t = int(START.timestamp())
        how: dict[int, str] = {}
        for quarter, length, flag in attempts:
            start = t + 3600 + quarter * 900
            try:
                b = book(ctx, "C", at(start), length, "A", tz="UTC", force=flag == "force",
                         allow_conflict=flag == "allow_conflict")
            except VakitError:
                continue
            how[b.appointment.id] = flag
        appts = list_appointments(ctx, include_cancelled=False)
        gap = rules["buffer_before"] + rules["buffer_after"]
        for i, x in enumerate(appts):
            for y in appts[i + 1:]:
                later = max(x, y, key=lambda a: a.id)  # the one booked second was checked against the other
                if x.start_utc < y.end_utc and y.start_utc < x.end_utc:
                    assert how[later.id] == "allow_conflict", (x, y)
                elif how[later.id] == "none":
                    assert max(y.start_utc - x.end_utc, x.start_utc - y.end_utc) >= gap, (x, y)
    finally:
        ctx.ledger.close()
        tmp.cleanup()
