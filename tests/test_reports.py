"""``vakit log report`` and ``log list`` (issue 7, "Reports"): groupings, weeks, the billed column, precision,
the chart, the client's timesheet (text, CSV, PDF) and the refusals — through the CLI."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest

from vakit.cli.app import get_app
from vakit.core.clock import fmt_hms


def rows_of(out: str) -> list[list[str]]:
    """The body rows of a Rich table as lists of stripped cells (title and header left out)."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines() if line.startswith("│")]


def seconds_of(text: str) -> int:
    """``"1:30"`` or ``"1:30:15"`` → seconds."""
    parts = [int(p) for p in text.split(":")]
    h, m, s = (parts + [0])[:3]
    return h * 3600 + m * 60 + s


def report(cli, *args: str, now: str | None = None) -> dict:
    return json.loads(cli("log", "report", *args, "--json", now=now).stdout)["data"]


@pytest.fixture
def va(cli):
    """A London VA; Acme hourly 40 GBP rounded up to 15 min per entry, Birch hourly without rounding."""
    cli.now = "2025-01-01T09:00:00+00:00"
    cli("init", "--name", "Test VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB")
    cli("client", "add", "Acme", "--tz", "Europe/London")
    cli("client", "add", "Birch", "--tz", "Europe/London")
    cli("contract", "add", "--client", "Acme", "--rate", "40.00", "--rounding", "up:15m", "--from", "2025-01-01")
    cli("contract", "add", "--client", "Birch", "--rate", "30.00", "--from", "2025-01-01")
    cli.now = "2025-12-01T09:00:00+00:00"
    return cli


# --- the field cases, as printed ---------------------------------------------------------------------------


def test_c05_by_day_table_prints_one_hour_each_side_of_midnight(va):
    cli = va
    cli("log", "add", "--client", "Acme", "--from", "yesterday 11pm", "--to", "1am", "Launch support",
        now="2025-05-14T09:00:00+01:00")
    out = cli("log", "report", "--from", "2025-05-13", "--to", "2025-05-14", "--by-day").stdout
    assert [r[:2] for r in rows_of(out)] == [["Tue 2025-05-13", "1:00"], ["Wed 2025-05-14", "1:00"],
                                             ["total", "2:00"], ["worked (overlaps once)", "2:00"]]
    assert cli("log", "report", "--from", "2025-05-13", "--to", "2025-05-14", "--by", "day").stdout == out


def test_c07_seven_rows_across_spring_forward_exactly(cli):
    cli("init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", now="2025-01-01T09:00:00+00:00")
    cli("client", "add", "Acme", "--tz", "Europe/Berlin", now="2025-01-01T09:00:00+00:00")
    cli.now = "2025-03-31T16:50:00+02:00"
    cli("log", "add", "--client", "Acme", "--date", "2025-03-31", "--from", "16:16", "--to", "16:46")
    rows = rows_of(cli("log", "report", "--last", "7d", "--by-day").stdout)
    assert [r[0] for r in rows] == ["Tue 2025-03-25", "Wed 2025-03-26", "Thu 2025-03-27", "Fri 2025-03-28",
                                    "Sat 2025-03-29", "Sun 2025-03-30", "Mon 2025-03-31", "total",
                                    "worked (overlaps once)"]
    assert [r[1] for r in rows] == ["0:00"] * 6 + ["0:30", "0:30", "0:30"]


def test_c14_billable_per_client_worked_once(va):
    cli = va
    cli.now = "2025-04-05T09:00:00+01:00"
    cli("log", "add", "--client", "Acme", "--date", "2025-04-03", "--from", "08:00", "--to", "12:00")
    cli("log", "add", "--client", "Birch", "--date", "2025-04-03", "--from", "11:00", "--to", "16:00",
        "--allow-overlap")
    rows = rows_of(cli("log", "report", "--date", "2025-04-03", "--by-client").stdout)
    assert rows == [["Acme", "4:00", "4:00", "4:00", "1"], ["Birch", "5:00", "5:00", "5:00", "1"],
                    ["total", "9:00", "9:00", "9:00", "2"], ["worked (overlaps once)", "8:00", "", "", ""]]


# --- weeks and DST -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("week,hours,short", [("2026-W13", 167, "2026-03-29"), ("2026-W43", 169, "2026-10-25")])
def test_a_dst_week_has_seven_days_and_167_or_169_hours(va, week, hours, short):
    """A week that holds a clock change is 7 local dates, and 167 (spring) or 169 (autumn) hours long: an entry
    covering it from Monday 00:00 to the next Monday 00:00 fills each date, 23 or 25 h on the Sunday."""
    cli = va
    cli.now = "2026-11-10T09:00:00+00:00"
    from vakit.core.periods import Period
    from vakit.core.report_time import parse_week
    from vakit.services.report_buckets import buckets

    monday = parse_week(week)
    period = Period(monday, monday.fromordinal(monday.toordinal() + 6), "Europe/London")
    assert period.end_utc - period.start_utc == hours * 3600
    assert sum(b.end_utc - b.start_utc for b in buckets(period, "day")) == hours * 3600
    nxt = monday.fromordinal(monday.toordinal() + 7)
    cli("log", "add", "--client", "Birch", "--from", f"{monday} 00:00", "--to", f"{nxt} 00:00", "--force", "Week")
    data = report(cli, "--week", week, "--by", "day")
    assert [r["key"] for r in data["rows"]] == [monday.fromordinal(monday.toordinal() + i).isoformat()
                                                for i in range(7)]
    assert {r["key"]: r["seconds"] // 3600 for r in data["rows"]} == {
        r["key"]: (hours - 144 if r["key"] == short else 24) for r in data["rows"]}
    assert data["total_seconds"] == hours * 3600
    weekly = report(cli, "--week", week, "--by", "week")
    assert [(r["key"], r["seconds"]) for r in weekly["rows"]] == [(week, hours * 3600)]


def test_entry_across_midnight_into_the_spring_forward_day(va):
    cli = va
    cli.now = "2026-04-01T09:00:00+01:00"
    # Sat 28 Mar 23:00 GMT → Sun 29 Mar 03:00 BST: 3 h, 1 h on Saturday and 2 h on Sunday (01:00–02:00 never was)
    cli("log", "add", "--client", "Birch", "--from", "2026-03-28 23:00", "--to", "03:00", "Night shift")
    data = report(cli, "--week", "2026-W13", "--by", "day")
    assert {r["key"]: r["seconds"] for r in data["rows"] if r["seconds"]} == {"2026-03-28": 3600, "2026-03-29": 7200}
    assert data["total_seconds"] == 3 * 3600
    week = report(cli, "--week", "2026-W13", "--by", "week")
    assert [(r["key"], r["seconds"]) for r in week["rows"]] == [("2026-W13", 3 * 3600)]


def test_this_week_last_week_and_the_week_start(va):
    cli = va
    cli.now = "2026-11-05T12:00:00+00:00"  # Thursday of 2026-W45
    cli("log", "add", "--client", "Birch", "--date", "2026-11-01", "--from", "09:00", "--to", "10:00")  # a Sunday
    cli("log", "add", "--client", "Birch", "--date", "2026-11-02", "--from", "09:00", "--to", "11:00")
    this = report(cli, "--this-week", "--by", "day")
    assert (this["from"], this["to"], this["total_seconds"]) == ("2026-11-02", "2026-11-08", 7200)
    last = report(cli, "--last-week")
    assert (last["from"], last["to"], last["total_seconds"]) == ("2026-10-26", "2026-11-01", 3600)
    sunday = report(cli, "--this-week", "--week-start", "sunday", "--by", "week")
    assert (sunday["from"], sunday["to"], sunday["week_start"]) == ("2026-11-01", "2026-11-07", "sunday")
    assert [(r["key"], r["seconds"]) for r in sunday["rows"]] == [("2026-11-01", 3 * 3600)]
    from vakit.core.report_time import first_weekday

    assert first_weekday("locale", "en_US") == 6 and first_weekday("locale", "en_GB") == 0
    month = report(cli, "--month", "2026-11", "--by", "week")
    assert [r["key"] for r in month["rows"]] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48",
                                                 "2026-W49"]
    assert [r["partial"] for r in month["rows"]] == [True, False, False, False, False, True]
    assert month["rows"][0]["label"] == "2026-W44 Sun 01 Nov 2026 (part)"


# --- groupings ---------------------------------------------------------------------------------------------


def test_by_tag_counts_an_entry_in_each_of_its_tags_and_says_so(va):
    cli = va
    cli.now = "2025-04-10T09:00:00+01:00"
    cli("log", "add", "--client", "Birch", "--date", "2025-04-01", "--from", "09:00", "--to", "10:00", "-t", "calls",
        "-t", "email")
    cli("log", "add", "--client", "Birch", "--date", "2025-04-01", "--from", "10:00", "--to", "10:30", "-t", "Calls")
    cli("log", "add", "--client", "Birch", "--date", "2025-04-01", "--from", "11:00", "--to", "11:45")
    out = cli("log", "report", "--date", "2025-04-01", "--by", "tag").stdout
    assert rows_of(out) == [["calls", "1:30", "1:30", "1:30", "2"], ["email", "1:00", "1:00", "1:00", "1"],
                            ["(no tag)", "0:45", "0:45", "0:45", "1"], ["total", "2:15", "2:15", "2:15", "3"],
                            ["worked (overlaps once)", "2:15", "", "", ""]]
    assert ("Note: 1 entry has several tags and counts in each tag's row, so the tag rows add up to more than the "
            "total.") in out
    data = report(cli, "--date", "2025-04-01", "--by", "tag")
    assert data["notes"] and data["total_seconds"] == 8100


def test_by_contract_and_by_month_follow_the_contract_in_force(va):
    cli = va
    cli.now = "2025-05-20T09:00:00+01:00"
    cli("contract", "add", "--client", "Birch", "--rate", "35.00", "--rounding", "up:6m", "--from", "2025-05-01")
    # 23:30 on 30 April → 00:20 on 1 May: 30 min under the old contract, 20 under the new
    cli("log", "add", "--client", "Birch", "--from", "2025-04-30 23:30", "--to", "00:20")
    cli("log", "add", "--client", "Birch", "--date", "2025-05-02", "--from", "09:00", "--to", "09:05")
    cli("log", "add", "--date", "2025-05-02", "--from", "12:00", "--to", "12:30", "Own admin")
    out = cli("log", "report", "--from", "2025-04-30", "--to", "2025-05-02", "--by", "contract").stdout
    assert rows_of(out) == [
        ["#2 Birch · 30.00 GBP/h · no rounding", "0:30", "0:30", "0:30", "1"],
        ["#3 Birch · 35.00 GBP/h · up to 6 min per entry", "0:25", "0:25", "0:30", "2"],
        ["(no contract)", "0:30", "0:00", "0:00", "1"], ["total", "1:25", "0:55", "1:00", "3"],
        ["worked (overlaps once)", "1:25", "", "", ""]]
    # the split entry: 50 min rounded up to 54 (whole entry); 30 billed before the edge, 24 after; 5 → 6
    by_month = report(cli, "--from", "2025-04-30", "--to", "2025-05-02", "--by", "month")
    assert [(r["key"], r["seconds"], r["billed_seconds"], r["partial"]) for r in by_month["rows"]] == [
        ("2025-04", 1800, 1800, True), ("2025-05", 3300, 1800, True)]


def test_billed_column_rounds_each_entry_as_the_invoice_does(va):
    cli = va
    cli.now = "2025-05-10T09:00:00+01:00"
    for a, b in (("09:00", "09:07"), ("11:20", "11:27"), ("16:05", "16:12")):  # C-16: 3 × 7 min, up to 15 each
        cli("log", "add", "--client", "Acme", "--date", "2025-04-02", "--from", a, "--to", b)
    # 23:50 → 00:10: 20 min → 30 billed; the cumulative rule puts 15 on each date
    cli("log", "add", "--client", "Acme", "--from", "2025-04-02 23:50", "--to", "00:10")
    cli("log", "add", "--client", "Acme", "--date", "2025-04-04", "--from", "10:00", "--to", "10:30", "--non-billable")
    out = cli("log", "report", "--from", "2025-04-02", "--to", "2025-04-04", "--by", "day").stdout
    assert rows_of(out)[:4] == [["Wed 2025-04-02", "0:31", "0:31", "1:00", "4"],
                                ["Thu 2025-04-03", "0:10", "0:10", "0:15", "1"],
                                ["Fri 2025-04-04", "0:30", "0:00", "0:00", "1"],
                                ["total", "1:11", "0:41", "1:15", "5"]]
    month = report(cli, "--month", "2025-04", "--client", "Acme")
    draft = json.loads(cli("invoice", "create", "--client", "Acme", "--month", "2025-04", "--dry-run",
                           "--json").stdout)["data"][0]
    assert month["billed_seconds"] == sum(r["billed_seconds"] for r in draft["timesheet"]) == 75 * 60
    assert draft["lines"][0]["quantity"] == "1.25"


def test_billable_time_without_a_contract_is_billed_unrounded_and_said_so(cli):
    cli("init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP", now="2025-01-01T09:00:00+00:00")
    cli("client", "add", "Acme", now="2025-01-01T09:00:00+00:00")
    cli("log", "add", "--client", "Acme", "--date", "2025-04-02", "--from", "09:00", "--to", "09:07",
        now="2025-04-05T09:00:00+01:00")
    out = cli("log", "report", "--date", "2025-04-02", now="2025-04-05T09:00:00+01:00").stdout
    assert rows_of(out)[0] == ["Acme", "0:07", "0:07", "0:07", "1"]
    assert "Note: 1 billable entry has no contract in force; billed shows that time unrounded." in out


# --- precision: printed rows add up to the printed total ---------------------------------------------------


def test_rows_with_seconds_print_to_the_second_and_add_up(va):
    """The old bug: 11:10 + 11:32 + 55:30 printed with a total of 78:13. With seconds in the data every
    figure is printed h:mm:ss, so the printed rows add up to the printed total."""
    cli = va
    cli("client", "add", "Cobalt", now="2025-01-01T09:00:00+00:00")
    plan = {"Acme": [("2025-04-01 08:00:20", "15:00:50"), ("2025-04-02 08:00:00", "12:10:10")],  # 11:10:40
            "Birch": [("2025-04-03 08:00:10", "19:33:00")],  # 11:32:50
            "Cobalt": [(f"2025-04-{d:02d} 06:00:05", "19:52:07") for d in (7, 8, 9)] + [
                ("2025-04-10 06:00:00", "19:54:04")]}  # 3 × 13:52:02 + 13:54:04 = 55:30:10
    for client, spans in plan.items():
        for a, b in spans:
            cli("log", "add", "--client", client, "--from", a, "--to", b, now="2025-05-01T09:00:00+01:00")
    out = cli("log", "report", "--month", "2025-04").stdout
    rows = rows_of(out)
    assert [r[:2] for r in rows] == [["Acme", "11:10:40"], ["Birch", "11:32:50"], ["Cobalt", "55:30:10"],
                                     ["total", "78:13:40"], ["worked (overlaps once)", "78:13:40"]]
    for col in (1, 2, 3):
        assert sum(seconds_of(r[col]) for r in rows[:3]) == seconds_of(rows[3][col])
    data = report(cli, "--month", "2025-04")
    assert data["precision"] == "h:mm:ss" and data["total_duration"] == "78:13:40"
    days = rows_of(cli("log", "report", "--month", "2025-04", "--by", "day").stdout)
    assert sum(seconds_of(r[1]) for r in days[:-2]) == seconds_of(days[-2][1]) == data["total_seconds"]
    assert fmt_hms(data["total_seconds"]) == "78:13:40"


def test_whole_minutes_print_as_h_mm(va):
    cli = va
    cli("log", "add", "--client", "Birch", "--date", "2025-04-01", "--from", "09:00", "--to", "10:30",
        now="2025-04-05T09:00:00+01:00")
    assert report(cli, "--date", "2025-04-01")["precision"] == "h:mm"


# --- log list agrees with the by-day report ----------------------------------------------------------------


def test_list_day_total_equals_the_by_day_report(va):
    cli = va
    cli.now = "2025-05-14T09:00:00+01:00"
    cli("log", "add", "--client", "Acme", "--from", "2025-05-13 23:00", "--to", "01:30", "Launch support")
    cli("log", "add", "--client", "Birch", "--date", "2025-05-14", "--from", "08:00", "--to", "08:40")
    for day, want in (("2025-05-13", "1:00"), ("2025-05-14", "2:10")):
        listed = rows_of(cli("log", "list", "--date", day).stdout)
        by_day = report(cli, "--date", day, "--by", "day")
        assert listed[-1][2:4] == ["total", want]
        assert seconds_of(want) == by_day["rows"][0]["seconds"] == by_day["total_seconds"]
    out = cli("log", "list", "--from", "2025-05-13", "--to", "2025-05-14").stdout
    assert "Time entries (Europe/London; BST = UTC+01:00)" in out  # the title says what BST means, once
    listed = rows_of(out)
    assert listed[0][:4] == ["1", "Tue 13 May", "23:00 – 01:30 (+1d) BST", "1:00 of 2:30"]
    assert listed[1][2:4] == ["day total", "1:00"]
    assert listed[2][:4] == ["1", "Wed 14 May", "23:00 (-1d) – 01:30 BST", "1:30 of 2:30"]
    assert listed[-1][2:5] == ["total", "3:10", "2 entries"]


# --- output formats ----------------------------------------------------------------------------------------


def test_json_shape(va):
    cli = va
    cli("log", "add", "--client", "Acme", "--date", "2025-04-01", "--from", "09:00", "--to", "09:10",
        now="2025-04-05T09:00:00+01:00")
    env = json.loads(cli("log", "report", "--date", "2025-04-01", "--json").stdout)
    assert (env["vakit"], env["kind"]) == ("1", "report")
    data = env["data"]
    assert set(data) == {"from", "to", "tz", "by", "week_start", "precision", "rows", "total_seconds",
                         "total_duration", "billable_seconds", "billable_duration", "billed_seconds",
                         "billed_duration", "worked_seconds", "worked_duration", "entries", "unrounded_entries",
                         "notes"}
    assert data["rows"] == [{"key": "Acme", "label": "Acme", "first": None, "last": None, "partial": False,
                             "contract_id": None, "seconds": 600, "duration": "0:10", "billable_seconds": 600,
                             "billable_duration": "0:10", "billed_seconds": 900, "billed_duration": "0:15",
                             "entries": 1}]


def test_report_csv_parses_back_and_neutralises_text(va, tmp_path):
    cli = va
    cli("client", "add", "=cmd|' /C calc'!A0", now="2025-01-01T09:00:00+00:00")
    cli("log", "add", "--client", "=cmd", "--date", "2025-04-01", "--from", "09:00", "--to", "09:30",
        now="2025-04-05T09:00:00+01:00")
    cli("log", "add", "--client", "Acme", "--date", "2025-04-01", "--from", "10:00", "--to", "10:07",
        now="2025-04-05T09:00:00+01:00")
    text = cli("log", "report", "--date", "2025-04-01", "--csv").stdout_bytes.decode("utf-8")
    assert text.endswith("\r\n") and text.count("\r\n") == 5
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["key"] for r in rows] == ["'=cmd|' /C calc'!A0", "Acme", "total", "worked"]
    assert [int(r["billed_seconds"] or 0) for r in rows] == [1800, 900, 2700, 0]
    assert sum(int(r["seconds"]) for r in rows[:2]) == int(rows[2]["seconds"]) == 37 * 60
    target = tmp_path / "r.csv"
    cli("log", "report", "--date", "2025-04-01", "--csv", "-o", str(target))
    assert target.read_bytes().decode() == text
    again = cli("log", "report", "--date", "2025-04-01", "--csv", "-o", str(target), ok=False)
    assert again.exit_code == 1 and "exists already" in again.stderr


def test_chart_is_plain_bounded_and_adds_up(va):
    cli = va
    cli.now = "2026-11-09T09:00:00+00:00"
    for day, a, b in (("2026-11-02", "09:00", "17:00"), ("2026-11-03", "09:00", "10:30"),
                      ("2026-11-05", "13:00", "13:05")):
        cli("log", "add", "--client", "Birch", "--date", day, "--from", a, "--to", b)
    out = cli("log", "report", "--week", "2026-W45", "--chart").stdout
    lines = out.splitlines()
    assert lines[0] == "Hours per day, Mon 02 Nov 2026 – Sun 08 Nov 2026 (Europe/London)"
    assert [ln[:10] for ln in lines[1:8]] == ["Mon 02 Nov", "Tue 03 Nov", "Wed 04 Nov", "Thu 05 Nov", "Fri 06 Nov",
                                             "Sat 07 Nov", "Sun 08 Nov"]
    assert max(len(ln) for ln in lines) <= 200 and "\x1b" not in out
    hours = [ln.split()[-1] for ln in lines[1:9]]
    assert hours == ["8:00", "1:30", "0:00", "0:05", "0:00", "0:00", "0:00", "9:35"]
    assert sum(seconds_of(h) for h in hours[:7]) == seconds_of(hours[7])
    assert lines[1].count("█") > lines[2].count("█") > 0 and lines[4].split()[3] in "▏▎▍▌▋▊▉"
    assert lines[-1] == "█ = 0:10"
    narrow = cli.runner.invoke(get_app(), ["log", "report", "--week", "2026-W45", "--chart"],
                               env={"VAKIT_NOW": cli.now, "COLUMNS": "50"})
    assert max(len(ln) for ln in narrow.stdout.splitlines()[1:]) <= 50


def test_refusals_are_one_line_and_change_nothing(va, tmp_path):
    cli = va
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    cases = [
        (("--week", "2026-W54"), "2026 has no week 54"),
        (("--week", "45"), "could not read week '45'"),
        (("--week", "2026-W45", "--month", "2026-11"), "choose one of --week and --month"),
        (("--this-week", "--last-week"), "choose one of --this-week and --last-week"),
        (("--json", "--csv"), "choose one of --json and --csv"),
        (("--by", "year"), "unknown grouping 'year'"),
        (("--by", "tag", "--by-day"), "choose one grouping, not day and tag"),
        (("--month", "2026-01", "--to", "2026-03-31", "--chart"), "choose one of --month and --from/--to"),
        (("--from", "2026-01-01", "--to", "2026-03-31", "--chart"), "--chart draws up to 62 days"),
        (("--format", "pdf"), "--format makes one client's timesheet; give --client"),
        (("--format", "docx", "--client", "Acme"), "unknown report format 'docx'"),
        (("-o", str(tmp_path / "x.txt")), "--output goes with --csv or --format"),
        (("--week-start", "someday"), "unknown week start 'someday'"),
    ]
    for args, message in cases:
        res = cli("log", "report", *args, ok=False)
        assert res.exit_code == 1, (args, res.output)
        assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1, (args, res.stderr)
    assert list(tmp_path.iterdir()) == []


# --- the client's timesheet --------------------------------------------------------------------------------


@pytest.fixture
def kestrel(va):
    """A client in New York, hourly up to 15 min; a week (2025-W44) across the US fall-back night."""
    cli = va
    cli("client", "add", "Kestrel Ltd", "--tz", "America/New_York", "--currency", "USD",
        now="2025-01-01T09:00:00+00:00")
    cli("contract", "add", "--client", "Kestrel", "--rate", "50.00", "--rounding", "up:15m", "--from", "2025-01-01",
        now="2025-01-01T09:00:00+00:00")
    cli.now = "2025-11-04T09:00:00+00:00"
    ny = ("--client", "Kestrel", "--tz", "America/New_York")
    cli("log", "add", *ny, "--date", "2025-10-27", "--from", "09:00", "--to", "10:20", "Inbox triage", "-t", "email")
    cli("log", "add", *ny, "--date", "2025-10-29", "--from", "23:00", "--to", "01:00", "Launch support")
    cli("log", "add", *ny, "--date", "2025-10-31", "--from", "10:00", "--to", "10:30", "Internal notes",
        "--non-billable")
    cli("log", "add", *ny, "--date", "2025-11-02", "--from", "00:30", "--to", "03:00", "Month-end close")
    cli("log", "add", "--client", "Acme", "--date", "2025-10-28", "--from", "09:00", "--to", "10:00", "Not Kestrel")
    return cli


SUMMARY = """\
Timesheet: Kestrel Ltd
From: Test VA
Period: Mon 27 Oct 2025 – Sun 02 Nov 2025 (week 2025-W44)
Times in America/New_York (the client's zone)

Mon 27 Oct 2025
  09:00 – 10:20 EDT (UTC-04:00)                  1:20  Inbox triage [email]
  Day total                                      1:20

Wed 29 Oct 2025
  23:00 – 24:00 EDT (UTC-04:00)                  1:00  Launch support
  Day total                                      1:00

Thu 30 Oct 2025
  00:00 – 01:00 EDT (UTC-04:00)                  1:00  Launch support
  Day total                                      1:00

Fri 31 Oct 2025
  10:00 – 10:30 EDT (UTC-04:00)                  0:30  Internal notes (non-billable)
  Day total                                      0:30

Sun 02 Nov 2025
  00:30 EDT (UTC-04:00) – 03:00 EST (UTC-05:00)  3:30  Month-end close
  Day total                                      3:30

Period total: 7:20 (4 entries)
Billable 6:50 · billed 7:00 (rounded up to 15 min per entry)
"""


def test_client_summary_text_exactly(kestrel):
    out = kestrel("log", "report", "--client", "Kestrel", "--week", "2025-W44", "--format", "text").stdout
    assert out == SUMMARY
    # the same with the zone given, to a file that is then never replaced silently
    assert kestrel("log", "report", "--client", "Kestrel", "--week", "2025-W44", "--tz", "America/New_York",
                   "--format", "text", "-o", "-").stdout == SUMMARY


def test_client_summary_csv_parses_back(kestrel, tmp_path):
    target = tmp_path / "kestrel.csv"
    kestrel("log", "report", "--client", "Kestrel", "--week", "2025-W44", "--format", "csv", "-o", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8"), newline="")))
    entries = [r for r in rows if r["kind"] == "entry"]
    assert [(r["date"], r["start"], r["end"], r["zone"], r["duration"]) for r in entries] == [
        ("2025-10-27", "09:00", "10:20", "EDT (UTC-04:00)", "1:20"),
        ("2025-10-29", "23:00", "24:00", "EDT (UTC-04:00)", "1:00"),
        ("2025-10-30", "00:00", "01:00", "EDT (UTC-04:00)", "1:00"),
        ("2025-10-31", "10:00", "10:30", "EDT (UTC-04:00)", "0:30"),
        ("2025-11-02", "00:30", "03:00", "EDT (UTC-04:00) – EST (UTC-05:00)", "3:30")]
    assert [r["billed_seconds"] for r in entries] == ["5400", "3600", "3600", "0", "12600"]
    assert entries[0]["tags"] == "email" and entries[0]["client"] == "Kestrel Ltd"
    days = [r for r in rows if r["kind"] == "day total"]
    assert [int(r["seconds"]) for r in days] == [4800, 3600, 3600, 1800, 12600]
    [total] = [r for r in rows if r["kind"] == "total"]
    assert int(total["seconds"]) == sum(int(r["seconds"]) for r in entries) == sum(int(r["seconds"]) for r in days)
    assert (total["billable_seconds"], total["billed_seconds"]) == ("24600", "25200")
    again = kestrel("log", "report", "--client", "Kestrel", "--week", "2025-W44", "--format", "csv", "-o",
                    str(target), ok=False)
    assert again.exit_code == 1 and "exists already" in again.stderr


def test_client_summary_pdf(kestrel, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; it is the independent reader of our PDFs")
    out = kestrel("log", "report", "--client", "Kestrel", "--week", "2025-W44", "--format", "pdf", "-o",
                  str(tmp_path) + "/").stdout
    target = tmp_path / "timesheet-3-2025-10-27-2025-11-02.pdf"
    assert out.strip() == f"Wrote {target}"
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    for want in ("TIMESHEET", "Test VA", "Kestrel Ltd", "2025-10-27 – 2025-11-02", "2025-W44", "America/New_York",
                 "Mon 2025-10-27", "09:00 – 10:20 EDT (UTC-04:00)", "Inbox triage", "email",
                 "00:30 EDT (UTC-04:00) –", "03:00 EST (UTC-05:00)", "Month-end close", "Internal notes (non-billable)",
                 "Total Sun 02 Nov", "Period total (4 entries)", "7:20",
                 "Billable 6:50 · billed 7:00 (rounded up to 15 min per entry)"):
        assert want in text, want
    again = tmp_path / "again.pdf"
    kestrel("log", "report", "--client", "Kestrel", "--week", "2025-W44", "--format", "pdf", "-o", str(again))
    assert again.read_bytes() == target.read_bytes()  # same timesheet, same bytes


def test_retainer_use_of_included_hours(cli):
    cli.now = "2026-11-01T09:00:00+00:00"
    cli("init", "--name", "Test VA", "--tz", "Europe/London", "--currency", "GBP")
    cli("client", "add", "Birch", "--tz", "Europe/London")
    cli("contract", "add", "--client", "Birch", "--kind", "retainer", "--fee", "800.00", "--included-hours", "25",
        "--overage-rate", "35.00", "--from", "2026-11-01")
    cli.now = "2026-11-25T09:00:00+00:00"
    for day, a, b in (("2026-11-02", "10:00", "14:00"), ("2026-11-10", "09:00", "17:30"),
                      ("2026-11-12", "09:00", "15:00"), ("2026-11-20", "09:00", "11:00")):
        cli("log", "add", "--client", "Birch", "--date", day, "--from", a, "--to", b)
    out = cli("log", "report", "--client", "Birch", "--week", "2026-W46", "--format", "text").stdout
    assert out.endswith("Period total: 14:30 (2 entries)\n"
                        "Retainer: used 18:30 of 25:00 included in November 2026 (to Sun 15 Nov)\n")
