"""What a breaking session found in the log commands: ids, zones, hostile files, refusals, outputs, indexes."""

from __future__ import annotations

import os
import sqlite3

import pytest

from conftest import entries
from vakit.cli.common import ledger_path
from vakit.services.timesheet import overlapping


@pytest.fixture
def va(cli):
    cli.now = "2026-11-09T09:00:00+08:00"
    cli("init", "--name", "T", "--tz", "Asia/Manila", "--currency", "PHP", "--locale", "en_PH")
    cli("client", "add", "Acme", "--tz", "Europe/Berlin", "--currency", "EUR")
    return cli


def test_a_removed_clients_id_is_never_handed_out_again_so_undo_cannot_land_on_another(va):
    cli = va
    assert "#2" in cli("client", "add", "Temp", "--tz", "Europe/Berlin", "--currency", "EUR").stdout
    cli("log", "add", "--client", "Temp", "--from", "2026-11-02 10:00", "--to", "11:00", "temp work")
    cli("log", "rm", "1")
    cli("client", "rm", "Temp")
    assert "#3" in cli("client", "add", "Other", "--tz", "Europe/Berlin", "--currency", "EUR").stdout
    res = cli("log", "undo", ok=False)
    assert res.exit_code == 1 and res.stderr == (
        "vakit: cannot undo 'rm #1 Temp Mon 02 Nov 2026 10:00 PST (UTC+08:00) (1:00)': the client of time entry #1 "
        "has been removed since (nothing was changed)\n")
    assert entries(cli) == []


def test_own_time_given_to_a_client_becomes_billable(va):
    cli = va
    cli("log", "add", "--from", "2026-11-02 10:00", "--to", "11:00", "forgot the client")
    cli("log", "edit", "1", "--client", "Acme")
    [e] = entries(cli)
    assert (e["client"], e["billable"]) == ("Acme", True)
    cli("log", "edit", "1", "--own")
    cli("log", "edit", "1", "--client", "Acme", "--non-billable")
    assert entries(cli)[0]["billable"] is False


@pytest.mark.parametrize("name", ["right/Europe/Berlin", "posix/Europe/Berlin", "posixrules", "Factory",
                                  "localtime"])
def test_files_of_the_zone_database_that_are_not_zones_are_refused(va, name):
    res = va("log", "add", "--client", "Acme", "--tz", name, "--date", "2026-11-02", "--from", "10:00", "--to",
             "11:00", ok=False)
    assert res.exit_code == 1 and res.stderr == f"vakit: unknown time zone {name!r} (use an IANA name such as " \
                                                "Europe/London)\n"
    assert entries(va) == []


def test_a_watson_frame_with_nan_or_infinity_is_a_rejected_row(va, tmp_path):
    f = tmp_path / "frames"
    f.write_text('[[NaN, 1793523600, "Acme", "n1", [], 1], [1793520000, Infinity, "Acme", "n2", [], 1],\n'
                 ' [1793520000, 1793523600, "Acme", "n3", [], 1]]', encoding="utf-8")
    res = va("log", "import", str(f), "--format", "watson")
    assert "vakit: warning: frames line 1: the start and stop are not epoch seconds" in res.stderr
    assert "internal error" not in res.stderr and len(entries(va)) == 1


def test_a_refused_command_says_one_line_even_with_a_forgotten_timer(va):
    cli = va
    cli("log", "start", "--client", "Acme", "x")
    cli.now = "2026-11-09T22:00:00+08:00"
    res = cli("log", "edit", "99", "-d", "y", ok=False)
    assert res.stderr == "vakit: no time entry #99\n"
    assert "has run 13:00 since" in cli("log", "list").stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_an_output_that_is_not_a_regular_file_is_refused_at_once(va, tmp_path):
    cli = va
    cli("log", "add", "--client", "Acme", "--from", "2026-11-02 10:00", "--to", "11:00")
    pipe = tmp_path / "p"
    os.mkfifo(pipe)
    for args in (("log", "export", "-o", str(pipe)), ("log", "report", "--csv", "-o", str(pipe))):
        res = cli(*args, ok=False)
        assert res.exit_code == 1 and res.stderr == (f"vakit: {pipe} is not a regular file (a pipe, a device or a "
                                                     "socket) (give a file name; for standard output use -o -)\n")


def test_every_probe_of_the_overlap_check_uses_an_index(va):
    conn = sqlite3.connect(ledger_path())
    seen = []
    conn.set_trace_callback(seen.append)
    overlapping(conn, 1_700_000_000, 1_700_003_600)
    [sql] = [s for s in seen if s.startswith("SELECT")]
    plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    assert [p for p in plan if p.startswith(("SCAN", "SEARCH"))] == [
        "SEARCH time_entries USING COVERING INDEX time_entries_start (start_utc>? AND start_utc<?)",
        "SEARCH time_entries USING INDEX time_entries_long (start_utc<?)",
        "SEARCH time_entries USING INDEX time_entries_end (end_utc=?)"]
