"""Working hours, blocks and booking rules (issue 8): each rule refuses with its own message, --force books
anyway, clashes stay with --allow-conflict, and bad input changes nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from vakit.core.errors import InvalidValue
from vakit.core.weekly_hours import fmt_week, parse_week, wall_instant

NOW = "2025-10-20T10:00:00-04:00"  # Monday, summer time on both sides of the Atlantic


@pytest.fixture
def va(cli):
    """A VA in London; Acme in New York, Birch in London."""
    cli.now = NOW
    cli("init", "--name", "Asha VA", "--tz", "Europe/London", "--currency", "GBP")
    cli("client", "add", "Acme", "--tz", "America/New_York", "--currency", "USD")
    cli("client", "add", "Birch", "--tz", "Europe/London")
    return cli


def appointments(cli) -> list[tuple[str, str, str]]:
    data = json.loads(cli("schedule", "list", "--all", "--json").stdout)["data"]
    return [(a["title"], a["start"], a["end"]) for a in data if a["status"] == "CONFIRMED"]


def refused(res, *parts: str) -> str:
    assert res.exit_code == 1, res.output
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("vakit: "), res.stderr
    for p in parts:
        assert p in lines[0], lines[0]
    return lines[0]


ON_10_NOV = "Mon 10 Nov 2025"
BOTH = ("their time (America/New_York)", "your time (Europe/London)")


# --- reading and showing working hours ---------------------------------------------------------------------


def test_a_week_is_read_grouped_and_refused_when_wrong():
    week = parse_week(["Mon-Fri 09:00-12:00,13:00-17:00", "Sat 10:00-12:00", "Sun 00:00-24:00"])
    assert week[0] == [(540, 720), (780, 1020)] and week[5] == [(600, 720)] and week[6] == [(0, 1440)]
    assert fmt_week(week) == ["Mon-Fri 09:00-12:00,13:00-17:00", "Sat 10:00-12:00", "Sun 00:00-24:00"]
    assert fmt_week(parse_week(["Mon,Wed 9:00-10:00", "Thu-Fri 09:00-10:00"])) == [
        "Mon 09:00-10:00", "Wed-Fri 09:00-10:00"]
    assert fmt_week(parse_week(["sat,sunday 10:00-11:00"])) == ["Sat,Sun 10:00-11:00"]
    for bad, said in (("Mon-Fri 17:00-09:00", "working hours 17:00-09:00 end before they start"),
                      ("Mon 09:00-09:00", "end before they start"),
                      ("Mon-Fri 09:00-12:00,11:00-13:00", "09:00-12:00 and 11:00-13:00 overlap on Mon"),
                      ("Mnd 09:00-17:00", "unknown weekday 'Mnd'"), ("Fri-Mon 09:00-17:00", "Fri-Mon runs backwards"),
                      ("Mon 9-17", "could not read time '9'"), ("Mon 09:00-24:30", "could not read time '24:30'"),
                      ("Mon", "could not read working hours 'Mon'"), ("Mon 09:00", "could not read '09:00'")):
        with pytest.raises(InvalidValue) as exc:
            parse_week([bad])
        assert said in exc.value.message
    with pytest.raises(InvalidValue, match="overlap on Tue"):
        parse_week(["Mon-Fri 09:00-12:00", "Tue 11:00-13:00"])


def test_wall_times_on_the_nights_the_clocks_change():
    def utc(t: int) -> str:
        return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%MZ")

    ny = "America/New_York"
    assert utc(wall_instant(date(2025, 3, 9), 150, ny)) == "2025-03-09 07:00Z"  # 02:30 skipped: the jump
    assert utc(wall_instant(date(2025, 3, 9), 180, ny)) == "2025-03-09 07:00Z"  # 03:00 EDT
    assert utc(wall_instant(date(2025, 11, 2), 90, ny)) == "2025-11-02 05:30Z"  # 01:30 twice: the first
    assert utc(wall_instant(date(2025, 11, 2), 1440, ny)) == "2025-11-03 05:00Z"  # 24:00 = next midnight
    assert utc(wall_instant(date(2025, 11, 10), 540, ny)) == "2025-11-10 14:00Z"  # C-09: 09:00 EST


def test_hours_set_show_json_and_clear(va):
    cli = va
    assert cli("schedule", "hours").stdout == "You have no working hours set: every time is within them.\n"
    out = cli("schedule", "hours", "--set", "Mon-Fri 09:00-12:00,13:00-17:30", "--set", "Sat 10:00-12:00").stdout
    assert out == ("Set your working hours (Europe/London):\n  Mon-Fri 09:00-12:00,13:00-17:30\n"
                   "  Sat 10:00-12:00\n")
    out = cli("schedule", "hours", "--client", "Acme", "--set", "Mon-Fri 09:00-17:00").stdout
    assert out == "Set working hours of Acme (America/New_York):\n  Mon-Fri 09:00-17:00\n"
    assert cli("schedule", "hours", "-c", "acme").stdout == ("Working hours of Acme (America/New_York):\n"
                                                             "  Mon-Fri 09:00-17:00\n")
    data = json.loads(cli("schedule", "hours", "--json").stdout)["data"]
    assert data["owner"] == "you" and data["tz"] == "Europe/London" and data["days"]["sun"] == []
    assert data["days"]["mon"] == [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:30"}]
    # setting again replaces the whole week
    cli("schedule", "hours", "--set", "Tue 08:00-09:00")
    assert cli("schedule", "hours").stdout.splitlines()[1:] == ["  Tue 08:00-09:00"]
    # hours typed in another zone say so
    res = cli("schedule", "hours", "--client", "Birch", "--set", "Mon 09:00-10:00", "--tz", "Europe/Paris")
    assert "Set working hours of Birch (Europe/Paris)" in res.stdout
    assert "they are in Europe/Paris, and Birch's zone is Europe/London" in res.stderr
    assert cli("schedule", "hours", "--clear").stdout == "Cleared your working hours: every time is within them.\n"
    assert cli("schedule", "hours", "--clear").stdout == "Your working hours were not set.\n"
    assert "Mon-Fri 09:00-17:00" in cli("schedule", "hours", "--client", "Acme").stdout  # Acme's stay


@pytest.mark.parametrize(("args", "said"), [
    (["--set", "Mon-Fri 17:00-09:00"], "working hours 17:00-09:00 end before they start"),
    (["--set", "Mon-Fri 09:00-12:00,11:00-13:00"], "overlap on Mon"),
    (["--set", "Mnd 09:00-17:00"], "unknown weekday 'Mnd'"),
    (["--set", "Mon-Fri 09:00-17:00", "--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["--client", "Nobody", "--set", "Mon 09:00-10:00"], "no client named 'Nobody'"),
    (["--set", "Mon 09:00-10:00", "--clear"], "give --set or --clear, not both"),
    (["--tz", "Europe/Paris"], "--tz goes with --set"),
])
def test_bad_working_hours_are_one_line_and_change_nothing(va, args, said):
    cli = va
    cli("schedule", "hours", "--client", "Acme", "--set", "Mon-Fri 09:00-17:00")
    before = cli("schedule", "hours", "--client", "Acme", "--json").stdout
    mine = cli("schedule", "hours", "--json").stdout
    refused(cli("schedule", "hours", *(args if "--client" in args else ["--client", "Acme", *args]), ok=False), said)
    assert cli("schedule", "hours", "--client", "Acme", "--json").stdout == before
    assert cli("schedule", "hours", "--json").stdout == mine


def test_a_removed_clients_hours_go_with_it(va, tmp_path):
    cli = va
    cli("client", "add", "Temp", "--tz", "Asia/Tokyo")
    cli("schedule", "hours", "--client", "Temp", "--set", "Mon-Fri 10:00-11:00")
    cli("schedule", "hours", "--set", "Mon-Fri 09:00-17:00")
    cli("client", "rm", "Temp")
    assert cli("db", "check").exit_code == 0
    assert cli("schedule", "hours").stdout.splitlines()[1:] == ["  Mon-Fri 09:00-17:00"]


# --- blocks and rules ----------------------------------------------------------------------------------------


def test_blocks_whole_days_across_dst_ranges_list_and_rm(va):
    cli = va
    out = cli("schedule", "block", "--date", "2025-10-26", "--reason", "Day off").stdout  # London: a 25-hour day
    assert out == "Blocked #1 Sun 26 Oct 2025, all day (Europe/London) 'Day off'\n"
    cli("schedule", "book", "Sync", "--client", "Acme", "--date", "2025-11-12", "--at", "09:30")
    res = cli("schedule", "block", "--from", "2025-11-12 14:00", "--to", "16:00", "--reason", "dentist")
    assert res.stdout == "Blocked #2 Wed 12 Nov 2025 14:00 – 16:00 GMT (UTC+00:00) 'dentist'\n"
    assert "#1 'Sync' with Acme Wed 12 Nov 2025 14:30 – 15:00 GMT (UTC+00:00) is inside this block" in res.stderr
    res = cli("schedule", "block", "--date", "2025-11-20", "--days", "2", "--tz", "Asia/Kolkata")
    assert res.stdout == ("Blocked #3 Thu 20 Nov 2025 – Fri 21 Nov 2025, all day (Asia/Kolkata)\n"
                          "  your time: Wed 19 Nov 2025 18:30 GMT (UTC+00:00) – Fri 21 Nov 2025 18:30 GMT (UTC+00:00)"
                          " (Europe/London)\n")
    data = json.loads(cli("schedule", "block", "list", "--json").stdout)["data"]
    assert [(b["id"], b["start"], b["end"], b["all_day"], b["reason"]) for b in data] == [
        (1, "2025-10-25T23:00:00Z", "2025-10-27T00:00:00Z", True, "Day off"),
        (2, "2025-11-12T14:00:00Z", "2025-11-12T16:00:00Z", False, "dentist"),
        (3, "2025-11-19T18:30:00Z", "2025-11-21T18:30:00Z", True, "")]
    table = cli("schedule", "block", "list").stdout
    assert "Sun 26 Oct 2025, all day (Europe/London)" in table and "dentist" in table
    assert cli("schedule", "block", "rm", "2").stdout == (
        "Removed block #2 Wed 12 Nov 2025 14:00 – 16:00 GMT (UTC+00:00) 'dentist'\n")
    assert "No blocks ahead" in cli("schedule", "block", "list", now="2025-12-01T00:00:00Z").stdout
    assert len(json.loads(cli("schedule", "block", "list", "--all", "--json",
                              now="2025-12-01T00:00:00Z").stdout)["data"]) == 2
    for args, said in ((["rm", "99"], "no block '99'"), ([], "give --from and --to, or --date"),
                       (["--date", "2025-11-13", "--from", "09:00"], "not both"),
                       (["--from", "2025-11-13 14:00", "--to", "2025-11-13 13:00"], "is not after --from"),
                       (["--from", "2025-11-13 14:00", "--to", "soon"], "could not parse 'soon'"),
                       (["--date", "2025-11-13", "--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
                       (["--date", "2025-11-13", "--days", "0"], "--days 0")):
        refused(cli("schedule", "block", *args, ok=False), said)
    assert len(json.loads(cli("schedule", "block", "list", "--all", "--json").stdout)["data"]) == 2


def test_rules_show_set_remove_and_refuse_bad_values(va):
    cli = va
    assert cli("schedule", "rules").stdout == ("Booking rules:\n  buffer before:     none\n  buffer after:      none\n"
                                               "  minimum notice:    none\n  max per day:       none\n"
                                               "  max hours per day: none\n")
    out = cli("schedule", "rules", "--buffer-before", "10m", "--buffer-after", "1h30", "--notice", "2d",
              "--max-per-day", "4", "--max-hours-per-day", "5h").stdout
    assert out == ("Booking rules:\n  buffer before:     10 min\n  buffer after:      1 h 30 min\n"
                   "  minimum notice:    2 days\n  max per day:       4 (days of your clock, Europe/London)\n"
                   "  max hours per day: 5:00 (days of your clock, Europe/London)\n")
    cli("schedule", "rules", "--buffer-after", "0", "--max-per-day", "0")
    data = json.loads(cli("schedule", "rules", "--json").stdout)["data"]
    assert data == {"buffer_before_seconds": 600, "buffer_after_seconds": 0, "min_notice_seconds": 172800,
                    "max_per_day": None, "max_seconds_per_day": 18000, "day_zone": "Europe/London"}
    for args, said in ((["--notice", "3x"], "--notice: unknown unit 'x'"), (["--max-per-day", "-1"], "out of range"),
                       (["--buffer-before", "25h"], "out of range"), (["--max-hours-per-day", "soon"], "--max-hours")):
        refused(cli("schedule", "rules", *args, ok=False), said)
    assert json.loads(cli("schedule", "rules", "--json").stdout)["data"] == data


# --- each rule refuses with its own message; --force books anyway -------------------------------------------

RULES = {
    "your working hours": (
        [["schedule", "hours", "--set", "Mon-Fri 09:00-17:00"]], "13:00", "30m",
        "Mon 10 Nov 2025 13:00 – 13:30 EST (UTC-05:00) their time (America/New_York), Mon 10 Nov 2025 18:00 – 18:30 "
        "GMT (UTC+00:00) your time (Europe/London) is outside your working hours (Mon-Fri 09:00-17:00 Europe/London)"),
    "client working hours": (
        [["schedule", "hours", "--client", "Acme", "--set", "Mon-Fri 09:00-17:00"]], "08:00", "1h",
        "08:00 – 09:00 EST (UTC-05:00) their time (America/New_York), Mon 10 Nov 2025 13:00 – 14:00 GMT (UTC+00:00) "
        "your time (Europe/London) is outside the working hours of Acme (Mon-Fri 09:00-17:00 America/New_York)"),
    "block": (
        [["schedule", "block", "--date", "2025-11-10", "--reason", "Day off"]], "09:00", "30m",
        "falls in your block #1 'Day off': Mon 10 Nov 2025, all day (Europe/London)"),
    "buffer after": (
        [["schedule", "rules", "--buffer-after", "15m"], ["schedule", "book", "First", "--client", "Acme",
                                                          "--date", "2025-11-10", "--at", "09:00"]], "09:40", "30m",
        "starts 10 min after 'First' for Acme ends (Mon 10 Nov 2025 14:30 GMT (UTC+00:00)); your rules keep 15 min "
        "between appointments (15 min after one, 0 min before the next)"),
    "buffer before": (
        [["schedule", "rules", "--buffer-before", "15m"], ["schedule", "book", "First", "--client", "Acme",
                                                           "--date", "2025-11-10", "--at", "09:00"]], "08:25", "30m",
        "ends 5 min before 'First' for Acme starts (Mon 10 Nov 2025 14:00 GMT (UTC+00:00)); your rules keep 15 min "
        "between appointments (0 min after one, 15 min before the next)"),
    "buffer of a busy time": (
        [["schedule", "rules", "--buffer-before", "30m"]], "10:45", "30m",
        "starts 15 min after 'Dentist' (busy time from personal.ics) ends (Mon 10 Nov 2025 15:30 GMT (UTC+00:00))"),
    "daily count": (
        [["schedule", "rules", "--max-per-day", "1"], ["schedule", "book", "First", "--client", "Birch",
                                                       "--date", "2025-11-10", "--at", "09:00"]], "11:00", "30m",
        "would be appointment 2 on Mon 10 Nov 2025 (your day, Europe/London); your rules allow 1 a day"),
    "daily hours": (
        [["schedule", "rules", "--max-hours-per-day", "1h"], ["schedule", "book", "First", "--client", "Birch",
                                                              "--date", "2025-11-10", "--at", "09:00",
                                                              "--duration", "45m"]], "11:00", "30m",
        "would make 1:15 booked on Mon 10 Nov 2025 (your day, Europe/London); your rules allow 1:00 a day"),
}


def add_busy(cli, start: str, end: str, summary: str = "Dentist") -> None:
    import sqlite3

    from vakit.cli.common import ledger_path

    cli("schedule", "list")  # the ledger exists and is migrated
    conn = sqlite3.connect(ledger_path())
    ts = lambda s: int(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp())  # noqa: E731
    conn.execute("INSERT INTO busy_times (source, uid, start_utc, end_utc, tz, summary, imported_utc) VALUES"
                 " ('personal.ics', ?, ?, ?, 'Europe/London', ?, 0)", (f"{start}@x", ts(start), ts(end), summary))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_refuses_with_its_own_message_and_force_books_anyway(va, rule):
    cli = va
    setup, at, duration, said = RULES[rule]
    if rule == "buffer of a busy time":
        add_busy(cli, "2025-11-10T15:00:00Z", "2025-11-10T15:30:00Z")
    for args in setup:
        cli(*args)
    before = appointments(cli)
    book = ["schedule", "book", "Call", "--client", "Acme", "--date", "2025-11-10", "--at", at, "--duration", duration]
    line = refused(cli(*book, ok=False), said, *BOTH)
    assert line.endswith("(pick another time: 'vakit schedule suggest' lists free ones; or pass --force)")
    assert appointments(cli) == before
    out = cli(*book, "--force").stdout
    assert out.startswith("Booked #") and f"their time: {ON_10_NOV} {at}" in out
    assert len(appointments(cli)) == len(before) + 1


def test_minimum_notice_and_a_past_appointment_recorded_on_purpose(va):
    cli = va
    cli("schedule", "rules", "--notice", "2d")
    book = ["schedule", "book", "Call", "--client", "Acme", "--at", "2025-10-21 10:00"]
    refused(cli(*book, ok=False), "Tue 21 Oct 2025 10:00 – 10:30 EDT (UTC-04:00) their time (America/New_York)",
            "starts in 24:00; your rules ask for 2 days notice (the earliest start now is Wed 22 Oct 2025 10:00 EDT "
            "(UTC-04:00))")
    assert appointments(cli) == []
    cli(*book, "--force")
    cli("schedule", "book", "Call", "--client", "Acme", "--at", "2025-10-22 10:00")  # exactly the notice
    # a past appointment recorded with --allow-past owes no notice
    cli("schedule", "book", "Earlier", "--client", "Acme", "--at", "2025-10-17 10:00", "--allow-past")
    assert len(appointments(cli)) == 3


def test_the_first_rule_is_named_and_the_others_listed(va):
    cli = va
    cli("schedule", "hours", "--set", "Mon-Fri 09:00-17:00")
    cli("schedule", "hours", "--client", "Acme", "--set", "Mon-Fri 09:00-17:00")
    cli("schedule", "rules", "--notice", "12h")
    line = refused(cli("schedule", "book", "Call", "--client", "Acme", "--at", "2025-10-20 20:00", ok=False),
                   "starts in 10:00; your rules ask for 12 h notice")
    assert "(it also breaks: client working hours, your working hours)" in line


def test_clashes_stay_with_allow_conflict_and_rules_with_force(va):
    cli = va
    cli("schedule", "rules", "--buffer-after", "10m")
    cli("schedule", "book", "A", "--client", "Acme", "--date", "2025-11-10", "--at", "09:00", "--duration", "1h")
    clash = ["schedule", "book", "B", "--client", "Birch", "--date", "2025-11-10", "--at", "14:30"]
    refused(cli(*clash, ok=False), "clashes with 'A' for Acme", "(30 min overlap)", "--allow-conflict")
    refused(cli(*clash, "--force", ok=False), "clashes with 'A' for Acme")
    cli(*clash, "--allow-conflict")  # an overlap is a clash, not a buffer
    near = ["schedule", "book", "C", "--client", "Birch", "--date", "2025-11-10", "--at", "15:05"]
    refused(cli(*near, "--allow-conflict", ok=False), "starts 5 min after 'A' for Acme ends")
    cli(*near, "--force")
    assert [t for t, _, _ in appointments(cli)] == ["A", "B", "C"]


def test_move_keeps_the_rules_but_not_against_itself(va):
    cli = va
    cli("schedule", "hours", "--client", "Acme", "--set", "Mon-Fri 09:00-17:00")
    cli("schedule", "rules", "--buffer-before", "30m", "--max-per-day", "1")
    cli("schedule", "book", "Sync", "--client", "Acme", "--date", "2025-11-10", "--at", "09:00")
    out = cli("schedule", "move", "1", "--at", "2025-11-10 09:15").stdout  # its own buffer and cap do not count
    assert "Moved #1 'Sync' with Acme" in out and "SEQUENCE 1" in out
    refused(cli("schedule", "move", "1", "--at", "2025-11-10 08:00", ok=False),
            "08:00 – 08:30 EST (UTC-05:00) their time (America/New_York)",
            "is outside the working hours of Acme (Mon-Fri 09:00-17:00 America/New_York)")
    assert appointments(cli) == [("Sync", "2025-11-10T14:15:00Z", "2025-11-10T14:45:00Z")]
    cli("schedule", "book", "Other", "--client", "Acme", "--date", "2025-11-11", "--at", "09:00")
    refused(cli("schedule", "move", "2", "--at", "2025-11-10 11:00", ok=False),
            "would be appointment 2 on Mon 10 Nov 2025 (your day, Europe/London)")
    out = cli("schedule", "move", "2", "--at", "2025-11-10 08:00", "--force").stdout
    assert "their time: Mon 10 Nov 2025 08:00 – 08:30 EST" in out


def test_with_no_rules_set_every_time_is_bookable(va):
    cli = va
    out = cli("schedule", "book", "Night", "--client", "Acme", "--at", "sunday 03:00").stdout
    assert "their time: Sun 26 Oct 2025 03:00 – 03:30 EDT (UTC-04:00)" in out
    cli("schedule", "book", "Next", "--client", "Birch", "--at", "2025-10-26 08:30")  # back to back, no buffer
    assert len(appointments(cli)) == 2


def test_rules_through_the_services_name_the_rule(tmp_path):
    from conftest import make_ctx
    from vakit.core.models import Profile
    from vakit.services.availability import add_block, set_hours, set_rules
    from vakit.services.booking_rules import RuleBroken
    from vakit.services.ledger import add_client, save_profile
    from vakit.services.rescheduling import move
    from vakit.services.scheduling import book

    ctx = make_ctx(tmp_path, datetime(2025, 10, 20, 14, tzinfo=timezone.utc))
    save_profile(ctx, Profile("VA", "", "", (), "Europe/Berlin", "EUR", "de_DE", "{year}-{seq:04}"))
    add_client(ctx, "Acme", tz="America/New_York", currency="USD")
    set_hours(ctx, None, ["Mon-Fri 09:00-18:00"])
    set_hours(ctx, "Acme", ["Mon-Fri 09:00-17:00"])
    add_block(ctx, on="2025-11-12")
    set_rules(ctx, buffer_before=600, min_notice=86400, max_per_day=2)
    ok = book(ctx, "Acme", "2025-11-10 09:00", 1800, "A")
    cases = {"your working hours": "2025-11-10 13:00", "client working hours": "2025-11-10 08:00",
             "block": "2025-11-12 09:00", "buffer": "2025-11-10 09:35", "notice": "2025-10-20 12:00"}
    for rule, when in cases.items():
        with pytest.raises(RuleBroken) as exc:
            book(ctx, "Acme", when, 1800, "X")
        assert exc.value.rule == rule, (rule, exc.value.message)
    book(ctx, "Acme", "2025-11-10 10:00", 1800, "B")
    with pytest.raises(RuleBroken) as exc:
        book(ctx, "Acme", "2025-11-10 11:00", 1800, "C")
    assert exc.value.rule == "daily cap"
    with pytest.raises(RuleBroken) as exc:
        move(ctx, str(ok.appointment.id), "2025-11-10 08:00")
    assert exc.value.rule == "client working hours"
    moved, _ = move(ctx, str(ok.appointment.id), "2025-11-10 08:00", force=True)
    assert moved.appointment.sequence == 1
