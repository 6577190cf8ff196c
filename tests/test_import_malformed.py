"""`vakit log import` on broken files, written here into tmp_path: each bad row reported with its line and
reason (the good rows still imported), each bad file or option refused in one line with nothing changed."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

import pytest

from test_bad_input import dump, refused

NOW = "2026-11-02T09:00:00+01:00"
TOGGL = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,"
         "Amount ()")
CLOCKIFY = ('"Project","Client","Description","Task","User","Group","Email","Tags","Billable","Start Date",'
            '"Start Time","End Date","End Time","Duration (h)","Duration (decimal)","Billable Rate (EUR)",'
            '"Billable Amount (EUR)"')


def utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=timezone.utc).timestamp())


def clockify_row(start_date: str, start: str, end_date: str, end: str, dur: str, client: str = "Acme",
                 desc: str = "Work", tags: str = "") -> str:
    return (f'"VA","{client}","{desc}","","Demo VA","","va@example.org","{tags}","Yes","{start_date}","{start}",'
            f'"{end_date}","{end}","{dur}","1.00","0.00","0.00"')


@pytest.fixture
def db(tmp_path, cli) -> str:
    """A ledger in Berlin with the client Acme and one entry (so "unchanged" is checked on a non-empty ledger)."""
    path = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", path, "init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_GB")
    cli("--db", path, "client", "add", "Acme", "--tz", "Europe/Berlin")
    cli("--db", path, "log", "add", "--client", "Acme", "--from", "2026-11-01 10:00", "--to", "11:00", "Inbox")
    return path


def rows(db: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    out = conn.execute("SELECT e.start_utc, e.end_utc, coalesce(c.name, ''), e.description, e.tags FROM time_entries e"
                       " LEFT JOIN clients c ON c.id = e.client_id WHERE e.source LIKE 'import:%'"
                       " ORDER BY e.start_utc").fetchall()
    conn.close()
    return out


def imported(cli, db: str, *args: str):
    """Run an import that must succeed; returns (stdout lines, stderr lines)."""
    res = cli("--db", db, "log", "import", *args)
    return res.stdout.splitlines(), res.stderr.splitlines()


# ---------------------------------------------------------------------------------------------------------
# rows rejected with their line; the others imported


def test_a_fold_hour_row_is_rejected_without_fold_and_settled_with_it(db, cli, tmp_path):
    f = tmp_path / "fold.csv"
    f.write_text(TOGGL + "\nU,u@x,Acme,P,,Evening,Yes,2026-10-24,18:00:00,2026-10-24,19:00:00,01:00:00,,\n"
                 "U,u@x,Acme,P,,Night shift,Yes,2026-10-25,02:10:00,2026-10-25,02:40:00,00:30:00,,\n", encoding="utf-8")
    before = rows(db)
    out, err = imported(cli, db, str(f))
    assert err == ["vakit: warning: fold.csv line 3: 2026-10-25 02:10:00 happens twice in Europe/Berlin (the clocks "
                   "go back); pass --fold earlier or --fold later",
                   "vakit: warning: 1 row of fold.csv not imported (listed above)"]
    assert out == ["Imported 1 entry (1:00:00) from fold.csv (toggl): Acme 1:00:00; 0 already in the ledger."]
    assert rows(db) == before + [(utc(2026, 10, 24, 16), utc(2026, 10, 24, 17), "Acme", "Evening", "")]
    # the same file with --fold: the good row is there already, the night row lands on the chosen hour
    out, err = imported(cli, db, str(f), "--fold", "later")
    assert out[0].startswith("Imported 1 entry (0:30:00)") and "1 already in the ledger" in out[0] and err == []
    assert rows(db)[-1] == (utc(2026, 10, 25, 1, 10), utc(2026, 10, 25, 1, 40), "Acme", "Night shift", "")


def test_fold_earlier_is_the_first_of_the_two_hours(db, cli, tmp_path):
    f = tmp_path / "fold.csv"
    f.write_text(TOGGL + "\nU,u@x,Acme,P,,Night shift,Yes,2026-10-25,02:10:00,2026-10-25,02:40:00,00:30:00,,\n",
                 encoding="utf-8")
    imported(cli, db, str(f), "--fold", "earlier")
    assert rows(db) == [(utc(2026, 10, 25, 0, 10), utc(2026, 10, 25, 0, 40), "Acme", "Night shift", "")]


def test_a_duration_that_settles_the_fold_hour_needs_no_fold(db, cli, tmp_path):
    # 02:30 (twice) → 03:30 CET with Duration 1:00: only the later 02:30 gives an hour
    f = tmp_path / "settled.csv"
    f.write_text(TOGGL + "\nU,u@x,Acme,P,,x,Yes,2026-10-25,02:30:00,2026-10-25,03:30:00,01:00:00,,\n",
                 encoding="utf-8")
    imported(cli, db, str(f))
    assert rows(db) == [(utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 2, 30), "Acme", "x", "")]


def test_toggl_tags_are_kept_and_bad_rows_are_named(db, cli, tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_text(TOGGL + "\n"
                 "U,u@x,Acme,P,,Calls,Yes,2026-10-01,09:00:00,2026-10-01,10:00:00,01:00:00,\"calls, Email,calls\",\n"
                 "U,u@x,Acme,P,,Too long,Yes,2026-10-02,06:00:00,2026-10-02,23:00:00,17:00:00,,\n"
                 "U,u@x,Acme,P,,Bad date,Yes,2026-13-01,09:00:00,2026-13-01,10:00:00,,,\n"
                 "U,u@x,,P,,No client,Yes,2026-10-03,09:00:00,2026-10-03,10:00:00,,,\n"
                 "U,u@x,,P,,Own admin,No,2026-10-04,09:00:00,2026-10-04,09:30:00,,admin,\n"
                 "U,u@x,Acme,P,,Backwards,Yes,2026-10-05,10:00:00,2026-10-05,09:00:00,01:00:00,,\n"
                 "U,u@x,Acme,P,,Gap,Yes,2026-03-29,02:30:00,2026-03-29,03:30:00,,,\n"
                 "U,u@x,Acme,P\n", encoding="utf-8")
    out, err = imported(cli, db, str(f))
    assert err == [
        "vakit: warning: mixed.csv line 3: an entry of 17:00 is longer than the 16:00 maximum",
        "vakit: warning: mixed.csv line 4: could not read date/time '2026-13-01' '09:00:00' (expected YYYY-MM-DD and "
        "HH:MM:SS)",
        "vakit: warning: mixed.csv line 5: billable time without a client",
        "vakit: warning: mixed.csv line 7: the end is not after the start",
        "vakit: warning: mixed.csv line 8: 2026-03-29 02:30:00 does not exist in Europe/Berlin (the clocks skip it)",
        "vakit: warning: mixed.csv line 9: 4 fields where the header has 14",
        "vakit: warning: 6 rows of mixed.csv not imported (listed above)",
    ]
    assert out == ["Imported 2 entries (1:30:00) from mixed.csv (toggl): (own time) 0:30:00, Acme 1:00:00; "
                   "0 already in the ledger; 1 without a client kept as non-billable."]
    assert rows(db) == [(utc(2026, 10, 1, 7), utc(2026, 10, 1, 8), "Acme", "Calls", "calls, Email"),
                        (utc(2026, 10, 4, 7), utc(2026, 10, 4, 7, 30), "", "Own admin", "admin")]


def test_clockify_bad_dates_and_times_are_named(db, cli, tmp_path):
    f = tmp_path / "cl.csv"
    f.write_text("\n".join([
        CLOCKIFY,
        clockify_row("09/14/2026", "08:30:00 AM", "09/14/2026", "09:00:00 AM", "00:30:00", tags="calls, email"),
        clockify_row("09/31/2026", "08:30:00 AM", "09/31/2026", "09:00:00 AM", "00:30:00"),
        clockify_row("09/15/2026", "0:30:00 PM", "09/15/2026", "01:00:00 PM", "00:30:00"),
        clockify_row("09/16/2026", "01:00:00 PM", "09/16/2026", "02:00:00 PM", "00:45:00"),
        clockify_row("09/17/2026", "12:00:00 AM", "09/17/2026", "12:45:00 AM", "00:45:00"),
    ]) + "\n", encoding="utf-8")
    out, err = imported(cli, db, str(f))
    assert err == [
        "vakit: warning: cl.csv line 3: could not read the date '09/31/2026' (expected MM/DD/YYYY)",
        "vakit: warning: cl.csv line 4: could not read the time '0:30:00 PM' (expected HH:MM:SS or HH:MM:SS AM/PM)",
        "vakit: warning: cl.csv line 5: the Duration (h) 00:45:00 does not match the start and end times",
        "vakit: warning: 3 rows of cl.csv not imported (listed above)",
    ]
    assert out[0].startswith("Imported 2 entries (1:15:00) from cl.csv (clockify)")
    # 12:00 AM is midnight; times in the home zone (Berlin, CEST)
    assert rows(db) == [(utc(2026, 9, 14, 6, 30), utc(2026, 9, 14, 7), "Acme", "Work", "calls, email"),
                        (utc(2026, 9, 16, 22), utc(2026, 9, 16, 22, 45), "Acme", "Work", "")]


def test_a_duplicated_row_is_imported_once(db, cli, tmp_path):
    f = tmp_path / "2026-10.data"
    line = 'inc 20261012T061500Z - 20261012T063050Z # Acme email\n'
    f.write_text(line + line + "inc 20261012T070000Z - 20261012T080000Z # acme calls\n", encoding="utf-8")
    out, err = imported(cli, db, str(f))
    assert out == ["Imported 2 entries (1:15:50) from 2026-10.data (timewarrior): Acme 1:15:50; 0 already in the "
                   "ledger; 1 repeated in the file (imported once)."]
    assert err == []
    assert rows(db) == [(utc(2026, 10, 12, 6, 15), utc(2026, 10, 12, 6, 30, 50), "Acme", "", "email"),
                        (utc(2026, 10, 12, 7), utc(2026, 10, 12, 8), "Acme", "", "calls")]


def test_an_open_interval_is_reported_not_imported(db, cli, tmp_path):
    f = tmp_path / "2026-10.data"
    f.write_text("inc 20261012T061500Z - 20261012T063050Z # Acme email\n"
                 "\n"
                 "inc 20261031T160000Z # Acme calls\n", encoding="utf-8")
    out, err = imported(cli, db, str(f))
    assert out == ["Imported 1 entry (0:15:50) from 2026-10.data (timewarrior): Acme 0:15:50; 0 already in the "
                   "ledger.",
                   "Open: 2026-10.data line 3: Acme (calls) running since Sat 31 Oct 2026 17:00 CET (UTC+01:00), not "
                   "imported (stop it in Timewarrior and import again)"]
    assert err == [] and len(rows(db)) == 1


def test_timewarrior_quotes_escapes_annotations_and_the_client_rule(db, cli, tmp_path):
    cli("--db", db, "client", "add", "Birch & Sons", "--tz", "Europe/Berlin")
    f = tmp_path / "2026-10.data"
    f.write_text(
        # a tag naming a client is the client, wherever it stands
        'inc 20261012T060000Z - 20261012T070000Z # "a \\"quoted\\" tag" "birch & sons" \'x-y\' # Called "them"\n'
        # no tag names a client: the first tag (timew sorts them: capitals first)
        'inc 20261012T070000Z - 20261012T080000Z # Acme email\n'
        # --map decides first
        'inc 20261012T080000Z - 20261012T090000Z # Acme "proj-7"\n'
        # bad lines
        'inc 20261012T090000Z - 20261012T100000Z # "never closed\n'
        'inc 2026-10-12T10:00 - 20261012T110000Z # Acme\n'
        'exc monday 09:00-10:00\n'
        'inc 20261012T110000Z - 20261012T100000Z # Acme\n'
        # no tags: no client, non-billable
        'inc 20261012T120000Z - 20261012T123000Z\n', encoding="utf-8")
    out, err = imported(cli, db, str(f), "--map", "proj-7=Birch & Sons")
    assert err == [
        "vakit: warning: 2026-10.data line 4: a quote (\") is not closed",
        "vakit: warning: 2026-10.data line 5: could not read the time '2026-10-12T10:00' (expected YYYYMMDDTHHMMSSZ)",
        "vakit: warning: 2026-10.data line 6: not a Timewarrior interval (a line starts with 'inc')",
        "vakit: warning: 2026-10.data line 7: the end is not after the start",
        "vakit: warning: 4 rows of 2026-10.data not imported (listed above)",
    ]
    assert out[0] == ("Imported 4 entries (3:30:00) from 2026-10.data (timewarrior): (own time) 0:30:00, Acme 1:00:00,"
                      " Birch & Sons 2:00:00; 0 already in the ledger; 1 without a client kept as non-billable.")
    assert rows(db) == [
        (utc(2026, 10, 12, 6), utc(2026, 10, 12, 7), "Birch & Sons", 'Called "them"', 'a "quoted" tag, x-y'),
        (utc(2026, 10, 12, 7), utc(2026, 10, 12, 8), "Acme", "", "email"),
        (utc(2026, 10, 12, 8), utc(2026, 10, 12, 9), "Birch & Sons", "", "Acme"),
        (utc(2026, 10, 12, 12), utc(2026, 10, 12, 12, 30), "", "", ""),
    ]


def test_watson_bad_frames_are_named_with_their_line(db, cli, tmp_path):
    frames = [[1791785700, 1791786650, "acme", "a1", ["email"], 1796095909],
              ["09:00", 1791786650, "acme", "a2", [], 1796095909],
              [1791790000, 1791790000 + 17 * 3600, "acme", "a3", [], 1796095909],
              [1791785700, 1791786650, "", "a4", [], 1796095909],
              {"start": 1},
              [1791800000, 1791803600, "ACME", "a5", ["calls", 7], 1796095909]]
    f = tmp_path / "frames"
    f.write_text(json.dumps(frames, indent=1), encoding="utf-8")  # as Watson writes it: one value a line
    out, err = imported(cli, db, str(f))
    assert err == [
        "vakit: warning: frames line 12: the start and stop are not epoch seconds",
        "vakit: warning: frames line 20: an entry of 17:00 is longer than the 16:00 maximum",
        "vakit: warning: frames line 28: the frame has no project",
        "vakit: warning: frames line 36: not a Watson frame ([start, stop, project, id, tags, updated_at])",
        "vakit: warning: frames line 39: the tags are not a list of text",
        "vakit: warning: 5 rows of frames not imported (listed above)",
    ]
    assert out == ["Imported 1 entry (0:15:50) from frames (watson): Acme 0:15:50; 0 already in the ledger."]


# ---------------------------------------------------------------------------------------------------------
# files and options refused whole, in one line, nothing changed


def test_an_unknown_client_is_listed_and_refused(db, cli, tmp_path):
    f = tmp_path / "frames"
    f.write_text(json.dumps([[1791785700, 1791786650, "Nobody Ltd", "n1", [], 1796095909],
                             [1791786650, 1791787650, "acme", "n2", [], 1796095909]]), encoding="utf-8")
    refused(cli, db, "log", "import", str(f), expect="frames: 1 unknown client: 'Nobody Ltd' (add it first, map it "
            "with --map, or pass --create-clients with --client-tz and --client-currency)")
    refused(cli, db, "log", "import", str(f), "--create-clients",
            expect="--create-clients needs --client-tz and --client-currency for the new clients")
    out, _ = imported(cli, db, str(f), "--create-clients", "--client-tz", "Europe/London", "--client-currency", "gbp")
    assert out[1] == "Created clients: Nobody Ltd"
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT tz, currency FROM clients WHERE name = 'Nobody Ltd'").fetchone() == (
        "Europe/London", "GBP")


def test_clockify_missing_columns(db, cli, tmp_path):
    f = tmp_path / "cols.csv"
    f.write_text(CLOCKIFY.replace('"End Time",', '"Ende",') + "\n", encoding="utf-8")
    refused(cli, db, "log", "import", "--format", "clockify", str(f),
            expect="cols.csv is not a Clockify detailed report: missing column 'End Time'")
    # without --format the file cannot be told apart any more
    refused(cli, db, "log", "import", str(f), expect="cannot tell which tracker wrote cols.csv: it is not a file in a "
            "format vakit knows (pass --format toggl, clockify, watson, timewarrior, csv or json)")


def test_an_ambiguous_date_order_is_refused_until_given(db, cli, tmp_path):
    f = tmp_path / "amb.csv"
    f.write_text("\n".join([CLOCKIFY, clockify_row("09/01/2026", "08:30:00", "09/01/2026", "09:00:00", "00:30:00"),
                            clockify_row("10/01/2026", "08:30:00", "10/01/2026", "09:00:00", "00:30:00")]) + "\n",
                 encoding="utf-8")
    refused(cli, db, "log", "import", str(f),
            expect="amb.csv: dates like 09/01/2026 could be 1 Sep or 9 Jan; pass --date-format mdy or dmy")
    imported(cli, db, str(f), "--date-format", "dmy")
    assert [r[0] for r in rows(db)] == [utc(2026, 1, 9, 7, 30), utc(2026, 1, 10, 7, 30)]  # CET in January


def test_dates_written_both_ways_are_refused(db, cli, tmp_path):
    f = tmp_path / "both.csv"
    f.write_text("\n".join([CLOCKIFY, clockify_row("25/09/2026", "08:30:00", "25/09/2026", "09:00:00", "00:30:00"),
                            clockify_row("09/26/2026", "08:30:00", "09/26/2026", "09:00:00", "00:30:00")]) + "\n",
                 encoding="utf-8")
    refused(cli, db, "log", "import", str(f), expect="both.csv: dates are written both ways: line 2 has 25/09/2026 "
            "(day first), line 3 has 09/26/2026 (month first)")


def test_a_file_in_another_encoding_is_refused_naming_the_line(db, cli, tmp_path):
    f = tmp_path / "latin1.csv"
    f.write_bytes((TOGGL + "\nU,u@x,Acme,P,,Calls,Yes,2026-10-01,09:00:00,2026-10-01,10:00:00,,,\n"
                   "U,u@x,Acme,P,,Caf\u00e9 order,Yes,2026-10-02,09:00:00,2026-10-02,10:00:00,,,\n").encode("latin-1"))
    refused(cli, db, "log", "import", str(f), expect="latin1.csv line 3 is not UTF-8 text (byte 0xE9 cannot be read) "
            "(export it again as UTF-8)")


@pytest.mark.parametrize("args,expect", [
    (["--format", "harvest"], "unknown import format 'harvest' (use one of: toggl, clockify, watson, timewarrior, "
                              "csv, json)"),
    (["--fold", "sideways"], "unknown --fold 'sideways' (use earlier or later)"),
    (["--date-format", "dd/mm/yyyy"], "unknown --date-format 'dd/mm/yyyy' (use mdy, dmy or ymd)"),
    (["--map", "acme"], "--map 'acme' is not SOURCE=CLIENT (e.g. --map lumen-co='Lumen & Co')"),
    (["--map", "=Acme"], "--map '=Acme' is not SOURCE=CLIENT"),
    (["--map", "a=Acme", "--map", "A=Birch"], "--map 'A=Birch': 'A' is mapped to both 'Acme' and 'Birch'"),
    (["--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (["--map-file", "/nonexistent-vakit/map.txt"], "cannot read /nonexistent-vakit/map.txt"),
])
def test_bad_options_are_refused(db, cli, tmp_path, args, expect):
    f = tmp_path / "ok.csv"
    f.write_text(TOGGL + "\nU,u@x,Acme,P,,Calls,Yes,2026-10-01,09:00:00,2026-10-01,10:00:00,,,\n", encoding="utf-8")
    refused(cli, db, "log", "import", str(f), *args, expect=expect)


def test_a_bad_map_file_line_is_named(db, cli, tmp_path):
    mf = tmp_path / "m.txt"
    mf.write_text("# projects\nacme = Acme\nbirch: Birch\n", encoding="utf-8")
    f = tmp_path / "ok.csv"
    f.write_text(TOGGL + "\nU,u@x,Acme,P,,Calls,Yes,2026-10-01,09:00:00,2026-10-01,10:00:00,,,\n", encoding="utf-8")
    refused(cli, db, "log", "import", str(f), "--map-file", str(mf), expect="m.txt line 3 is not SOURCE=CLIENT")


def test_unreadable_and_unknown_files(db, cli, tmp_path):
    refused(cli, db, "log", "import", str(tmp_path / "nope.csv"), expect="cannot read")
    (tmp_path / "notes.txt").write_text("just some notes\n", encoding="utf-8")
    refused(cli, db, "log", "import", str(tmp_path / "notes.txt"), expect="cannot tell which tracker wrote notes.txt")
    (tmp_path / "empty").mkdir()
    refused(cli, db, "log", "import", str(tmp_path / "empty"), expect="cannot tell which tracker wrote empty: it is "
            "not a folder that holds a format vakit knows")
    bad = tmp_path / "frames"
    bad.write_text('[[1791785700, 1791786650, "acme", "a1", [], 1]\n[', encoding="utf-8")
    refused(cli, db, "log", "import", "--format", "watson", str(bad), expect="frames line 2: not valid JSON")


def test_a_file_whose_every_row_is_rejected_changes_nothing(db, cli, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(TOGGL + "\nU,u@x,Acme,P,,x,Yes,2026-10-01,09:00:00,2026-10-01,08:00:00,,,\n", encoding="utf-8")
    before = dump(db)
    res = cli("--db", db, "log", "import", str(f), ok=False)
    assert res.exit_code == 1 and res.stdout == "" and dump(db) == before
    assert res.stderr.splitlines() == [
        "vakit: warning: bad.csv line 2: the end is not after the start",
        "vakit: bad.csv: no row could be imported (1 rejected, listed above); nothing was changed"]


def test_text_from_files_is_stored_cleaned_and_printed_literally(db, cli, tmp_path):
    f = tmp_path / "frames"
    f.write_text(json.dumps([[1791785700, 1791786650, "[bold]Acme\x1b[31m", "h1", ["a\tb"], 1]]), encoding="utf-8")
    res = cli("--db", db, "log", "import", str(f), "--create-clients", "--client-tz", "UTC", "--client-currency",
              "EUR")
    assert "Created clients: [bold]Acme [31m" in res.stdout and "\x1b" not in res.stdout
    assert rows(db) == [(1791785700, 1791786650, "[bold]Acme [31m", "", "a b")]


# ---------------------------------------------------------------------------------------------------------
# many bad rows: the first 10 printed, the rest counted, --rejected FILE writes them all

def many_bad_rows(tmp_path, bad: int = 25):
    f = tmp_path / "many.csv"
    rows = [f"U,u@x,Acme,P,,Row {i},Yes,2026-10-{1 + i % 28:02d},10:00:00,2026-10-{1 + i % 28:02d},09:00:00,,,"
            for i in range(bad)]
    rows.append("U,u@x,Acme,P,,Good,Yes,2026-10-30,09:00:00,2026-10-30,10:00:00,,,")
    f.write_text(TOGGL + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return f


def test_only_the_first_ten_rejected_rows_are_printed(db, cli, tmp_path):
    f = many_bad_rows(tmp_path)
    out, err = imported(cli, db, str(f))
    assert err == [f"vakit: warning: many.csv line {n}: the end is not after the start" for n in range(2, 12)] + [
        "vakit: warning: 15 more rows were not imported; run with --rejected FILE to write them all",
        "vakit: warning: 25 rows of many.csv not imported (the first 10 listed above)"]
    assert out == ["Imported 1 entry (1:00:00) from many.csv (toggl): Acme 1:00:00; 0 already in the ledger."]


def test_rejected_writes_every_rejected_row(db, cli, tmp_path):
    f = many_bad_rows(tmp_path)
    rej = tmp_path / "rej.csv"
    out, err = imported(cli, db, str(f), "--rejected", str(rej), "--dry-run")
    assert err[10:] == [f"vakit: warning: 15 more rows were not imported; all 25 are listed in {rej}",
                        f"vakit: warning: 25 rows of many.csv not imported (the first 10 listed above, all in {rej})"]
    assert out[0] == "Would import 1 entry (1:00:00) from many.csv (toggl): Acme 1:00:00; 0 already in the ledger."
    assert rej.read_bytes().decode("utf-8") == "file,line,reason\r\n" + "".join(
        f"many.csv,{n},the end is not after the start\r\n" for n in range(2, 27))
    # an existing file is refused before anything is imported
    refused(cli, db, "log", "import", str(f), "--rejected", str(rej),
            expect=f"vakit: --rejected {rej} exists already (choose another name, or remove it first)")
    refused(cli, db, "log", "import", str(f), "--rejected", "-", expect="vakit: --rejected needs a file name, not '-'")
    assert rows(db) == []
    # a few rejected rows: all printed, and written too; a file where no row could be imported still gets them
    few = tmp_path / "few.csv"
    few.write_text(TOGGL + "\nU,u@x,Acme,P,,x,Yes,2026-10-01,09:00:00,2026-10-01,08:00:00,,,\n", encoding="utf-8")
    res = cli("--db", db, "log", "import", str(few), "--rejected", str(tmp_path / "few-rej.csv"), ok=False)
    assert res.exit_code == 1 and res.stderr.splitlines() == [
        "vakit: warning: few.csv line 2: the end is not after the start",
        f"vakit: few.csv: no row could be imported (1 rejected, listed above and in {tmp_path / 'few-rej.csv'}); "
        "nothing was changed"]
    assert (tmp_path / "few-rej.csv").read_text(encoding="utf-8") == (
        "file,line,reason\n" "few.csv,2,the end is not after the start\n")
    # formula-like text is guarded as the export guards it
    (tmp_path / "=x.csv").write_bytes(few.read_bytes())
    cli("--db", db, "log", "import", str(tmp_path / "=x.csv"), "--rejected", str(tmp_path / "r2.csv"), ok=False)
    written = (tmp_path / "r2.csv").read_text(encoding="utf-8").splitlines()
    assert written[1] == "'=x.csv,2,the end is not after the start"


def test_a_timewarrior_overlap_names_the_other_file(db, cli, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "2026-09.data").write_text("inc 20260930T220000Z - 20261001T010000Z # Acme\n", encoding="utf-8")
    (data / "2026-10.data").write_text("inc 20261001T000000Z - 20261001T003000Z # Acme\n", encoding="utf-8")
    (data / "2026-11.data").write_text("inc 20261101T093000Z - 20261101T100000Z # Acme\n", encoding="utf-8")
    refused(cli, db, "log", "import", str(data),
            expect="vakit: 2026-10.data line 1: the entry of Thu 01 Oct 2026 02:00 – 02:30 CEST (UTC+02:00) overlaps "
                   "2026-09.data line 1 (Acme Thu 01 Oct 2026 00:00 – 03:00 CEST (UTC+02:00)) (pass --allow-overlap "
                   "to import it anyway)")
    out, err = imported(cli, db, str(data), "--allow-overlap")
    assert err == [] and out == [
        "Imported 3 entries (4:00:00) from tmp_path/data (timewarrior): Acme 4:00:00; 0 already in the ledger."
        .replace("tmp_path", tmp_path.name),
        "1 entry overlaps stored entries, 1 entry overlaps only other rows of this import (imported with "
        "--allow-overlap)."]
