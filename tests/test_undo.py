"""``vakit log undo``: every kind of log change is reverted exactly (a full dump of the ledger before the change
equals the dump after the undo), repeated undos walk back, and invoiced time cannot be undone (issue 7)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from vakit.cli.common import ledger_path

#: the journal itself and SQLite's id counter change by design (ids are never reused)
_SKIP = ("log_changes", "log_change_rows", "sqlite_sequence")


def dump() -> dict[str, list[tuple]]:
    """Every row of every ledger table (the journal and the id counter aside), in id order."""
    conn = sqlite3.connect(ledger_path())
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables if t not in _SKIP}
    conn.close()
    return out


TOGGL = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags\n"
         "VA,va@x,Acme,P,,Inbox,Yes,2025-04-01,09:00:00,2025-04-01,10:00:00,01:00:00,email\n"
         "VA,va@x,Zephyr Ltd,P,,Calls,Yes,2025-04-01,10:00:00,2025-04-01,10:30:00,00:30:00,\"calls, phone\"\n")


@pytest.fixture
def day(london):
    cli = london
    cli.now = "2025-04-02T10:00:00+01:00"
    cli("log", "add", "--client", "Acme", "--date", "2025-04-01", "--from", "14:00", "--to", "15:00", "Report",
        "+docs")
    return cli


def _start(cli):
    cli("log", "start", "--client", "Birch", "Calls")


def _stop(cli):
    cli("log", "stop")


def _switch(cli):
    cli("log", "switch", "--client", "Acme", "Inbox")


def _cancel(cli):
    cli("log", "cancel")


def _resume(cli):
    cli("log", "resume", "1")


@pytest.mark.parametrize("kind, prepare, change", [
    ("add", None, lambda c: c("log", "add", "--client", "Birch", "--from", "08:00", "--to", "09:00")),
    ("edit", None, lambda c: c("log", "edit", "1", "--from", "13:30", "--to", "15:15", "-d", "Report v2",
                               "--tag", "x", "--client", "Birch")),
    ("rm", None, lambda c: c("log", "rm", "1")),
    ("start", None, _start),
    ("stop", _start, _stop),
    ("switch", _start, _switch),
    ("cancel", _start, _cancel),
    ("resume", None, _resume),
])
def test_undo_reverts_each_kind_of_change_exactly(day, kind, prepare, change):
    cli = day
    if prepare:
        prepare(cli)
        cli.now = "2025-04-02T10:40:00+01:00"
    before = dump()
    change(cli)
    assert dump() != before
    out = cli("log", "undo")
    assert out.stdout.startswith(f"Undid {kind}"), out.stdout
    assert dump() == before


def test_undo_of_a_whole_import_removes_its_entries_and_the_clients_it_created(day, tmp_path):
    cli = day
    f = tmp_path / "toggl.csv"
    f.write_text(TOGGL, encoding="utf-8")
    before = dump()
    cli("log", "import", str(f), "--format", "toggl", "--tz", "Europe/London", "--create-clients",
        "--client-tz", "Europe/London", "--client-currency", "GBP")
    assert len(dump()["time_entries"]) == 3 and len(dump()["clients"]) == 3
    out = cli("log", "undo")
    assert out.stdout.startswith("Undid import toggl.csv (toggl): 2 entries, 1:30 h, clients Zephyr Ltd created")
    assert dump() == before


def test_repeated_undo_walks_back_and_list_shows_what_can_be_undone(day):
    cli = day
    before = dump()
    cli("log", "add", "--client", "Birch", "--from", "08:00", "--to", "09:00")
    cli("log", "edit", "2", "--to", "09:30")
    cli("log", "rm", "1")
    listed = cli("log", "undo", "--list").stdout.splitlines()
    assert [line.split("  ", 1)[1].split(" #")[0] for line in listed] == ["rm", "edit", "add", "add"]
    assert not any("cannot be undone" in line for line in listed)  # a later change is undone first
    assert json.loads(cli("log", "undo", "--list", "--json").stdout)["data"][0]["command"] == "rm"
    for verb in ("rm", "edit", "add"):
        assert cli("log", "undo").stdout.startswith(f"Undid {verb} ")
    assert dump() == before
    cli("log", "undo")  # the fixture's own add
    assert dump()["time_entries"] == []
    res = cli("log", "undo", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("vakit: nothing to undo")


def test_invoiced_time_cannot_be_undone_and_nothing_changes(day):
    cli = day
    cli.now = "2025-05-02T10:00:00+01:00"
    cli("invoice", "create", "--client", "Acme", "--month", "2025-04")
    before = dump()
    res = cli("log", "undo", ok=False)
    assert res.exit_code == 1
    assert res.stderr == ("vakit: cannot undo 'add #1 Acme Tue 01 Apr 2025 14:00 BST (UTC+01:00) (1:00)': time entry "
                          "#1 is on draft invoice #1 (delete the draft first: vakit invoice delete '#1') (nothing was "
                          "changed)\n")
    cli("invoice", "issue", "#1")
    before = dump()
    res = cli("log", "undo", ok=False)
    assert "time entry #1 is billed on issued invoice INV-2025-0001, which has locked it" in res.stderr
    assert dump() == before


def test_undo_steps_past_changes_an_issued_invoice_locked_and_lists_them(day):
    cli = day  # change 1: add #1 (Acme, 1 Apr)
    cli("log", "add", "--client", "Birch", "--from", "08:00", "--to", "09:00")  # change 2: add #2 (2 Apr)
    cli.now = "2025-05-02T10:00:00+01:00"
    cli("log", "add", "--client", "Acme", "--date", "2025-04-03", "--from", "10:00", "--to", "11:00")  # 3: #3
    cli("invoice", "create", "--client", "Acme", "--month", "2025-04")
    cli("invoice", "issue", "#1")
    listed = cli("log", "undo", "--list").stdout.splitlines()
    assert "add #3 Acme" in listed[0] and "(cannot be undone: time entry #3 is billed on issued invoice " \
        "INV-2025-0001, which has locked it)" in listed[0]
    assert "add #2 Birch" in listed[1] and "cannot be undone" not in listed[1]
    out = cli("log", "undo").stdout
    assert out.splitlines()[0].startswith("Skipped add #3 Acme Thu 03 Apr 2025 10:00 BST (UTC+01:00) (1:00): time "
                                          "entry #3 is billed on issued invoice INV-2025-0001")
    assert out.splitlines()[1].startswith("Undid add #2 Birch")
    res = cli("log", "undo", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("vakit: nothing can be undone: the 2 change(s) left are "
                                                        "locked by issued invoices")


def test_undo_refuses_to_put_back_an_entry_into_time_taken_since(day):
    cli = day
    cli("log", "rm", "1")
    cli("log", "add", "--client", "Birch", "--date", "2025-04-01", "--from", "14:30", "--to", "15:30")
    cli("invoice", "create", "--client", "Birch", "--month", "2025-04", now="2025-05-02T10:00:00+01:00")
    cli("invoice", "issue", "#1", now="2025-05-02T10:00:00+01:00")
    before = dump()
    res = cli("log", "undo", ok=False)  # steps past the locked add, then the rm would overlap it
    assert res.exit_code == 1 and res.stderr == ("vakit: cannot undo 'rm #1 Acme Tue 01 Apr 2025 14:00 BST (UTC+01:00)"
                                                 " (1:00)': time entry #1 would overlap entry #2, added since "
                                                 "(nothing was changed)\n")
    assert dump() == before


def test_edit_says_what_it_changed_and_refuses_an_unknown_tag(day):
    cli = day
    cli("log", "edit", "1", "--to", "15:30", "-d", "Report v2")
    assert cli("log", "undo", "--list").stdout.splitlines()[0].endswith("(1:30): end, description")
    res = cli("log", "edit", "1", "--untag", "nope", ok=False)
    assert res.exit_code == 1 and res.stderr == "vakit: entry #1 has no tag 'nope' (its tags: docs)\n"
