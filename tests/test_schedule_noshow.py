"""``vakit schedule no-show``: an appointment the client did not come to, billed as the contract's no-show term
says (none / booked / a fixed length); the outcome of ``done`` and ``no-show`` recorded with the appointment and
taken back by ``vakit log undo``."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import entries

BEFORE = "2026-11-02T09:00:00+05:30"  # 03:30Z: the 10:00 EST (15:00Z) call is still to come
AFTER = "2026-11-03T09:00:00+05:30"  # the next morning in Kolkata


@pytest.fixture
def acme(cli):
    """A VA in Kolkata; Acme in New York on 37.50 USD/h from 1 November; a 45-minute call on Mon 2 Nov 10:00 EST
    (15:00Z) booked the morning before. ``cli.contract(*options)`` adds Acme's contract."""
    cli.now = BEFORE
    cli("init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN")
    cli("client", "add", "Acme", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "book", "Sync", "--client", "Acme", "--at", "2026-11-02 10:00", "--duration", "45m")
    cli.contract = lambda *opts: cli("contract", "add", "--client", "Acme", "--rate", "37.50", "--billing-tz",
                                     "America/New_York", "--from", "2026-11-01", *opts)
    return cli


def ledger_dump(cli) -> str:
    """Every row of the ledger, to show that a refused command changed nothing."""
    conn = sqlite3.connect(cli("db", "path").stdout.splitlines()[0])
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def source_key(cli, entry_id: int) -> str:
    conn = sqlite3.connect(cli("db", "path").stdout.splitlines()[0])
    try:
        return conn.execute("SELECT source_key FROM time_entries WHERE id = ?", (entry_id,)).fetchone()[0]
    finally:
        conn.close()


def appointment(cli, ref: str = "1") -> dict:
    return json.loads(cli("schedule", "show", ref, "--json").stdout)["data"]


def draft(cli) -> dict:
    [d] = json.loads(cli("invoice", "create", "--client", "Acme", "--month", "2026-11", "--dry-run",
                         "--json").stdout)["data"]
    return d


def test_a_no_show_billed_for_the_booked_length_is_invoiced_at_the_rate(acme):
    cli = acme
    cli.contract("--no-show", "booked")
    cli.now = AFTER
    out = cli("schedule", "no-show", "1").stdout
    assert out == ("Recorded #1 'Sync' with Acme as a no-show; billed 0:45 per the contract with Acme "
                   "(no-show: booked), time entry #1\n")
    [e] = entries(cli)
    assert {k: e[k] for k in ("id", "client", "start", "end", "tz", "seconds", "description", "tags", "billable",
                              "source")} == {
        "id": 1, "client": "Acme", "start": "2026-11-02T15:00:00Z", "end": "2026-11-02T15:45:00Z",
        "tz": "America/New_York", "seconds": 2700, "description": "No-show: Sync", "tags": ["no-show"],
        "billable": True, "source": "appointment"}
    a = appointment(cli)
    assert source_key(cli, 1) == f"no-show:{a['uid']}"
    assert (a["status"], a["outcome"], a["outcome_entry_id"], a["outcome_note"]) == ("CONFIRMED", "no-show", 1, "")
    # the next invoice bills it like any entry: 0.75 h × 37.50 = 28.125, half up to 28.13 USD
    d = draft(cli)
    [line] = d["lines"]
    assert (line["quantity"], line["unit_price"], line["amount"]["amount"]) == ("0.75", "37.50", "28.13")
    assert (d["total"]["minor"], d["billed_seconds"]) == (2813, 2700)
    assert [(t["description"], t["start"], t["end"]) for t in d["timesheet"]] == [("No-show: Sync", "10:00", "10:45")]
    show = cli("schedule", "show", "1").stdout.splitlines()
    assert "  outcome:    no-show (billed 0:45, time entry #1)" in show
    listed = cli("schedule", "list", "--month", "2026-11").stdout
    assert "│ no-show │" in listed and "confirmed" not in listed


def test_a_fixed_no_show_charge_bills_its_own_length(acme):
    cli = acme
    cli.contract("--no-show", "30m")
    k = json.loads(cli("contract", "show", "Acme", "--json").stdout)["data"]
    assert k["no_show"] == {"kind": "fixed", "seconds": 1800}
    assert "     no-shows: 30m (billed as 0:30 h)" in cli("contract", "show", "Acme").stdout.splitlines()
    cli.now = AFTER
    out = cli("schedule", "no-show", "1", "--note", "no answer on Zoom").stdout
    assert out == ("Recorded #1 'Sync' with Acme as a no-show; billed 0:30 per the contract with Acme (no-show: 30m), "
                   "time entry #1\n")
    [e] = entries(cli)
    assert (e["start"], e["end"], e["seconds"], e["billable"]) == ("2026-11-02T15:00:00Z", "2026-11-02T15:30:00Z",
                                                                   1800, True)
    [line] = draft(cli)["lines"]
    assert (line["quantity"], line["amount"]["amount"]) == ("0.50", "18.75")  # 0.50 h × 37.50
    assert appointment(cli)["outcome_note"] == "no answer on Zoom"
    assert "  outcome:    no-show (billed 0:30, time entry #1) — no answer on Zoom" in cli(
        "schedule", "show", "1").stdout.splitlines()


def test_the_no_show_term_is_edited_like_any_other(acme):
    cli = acme
    cli.contract()
    assert json.loads(cli("contract", "show", "1", "--json").stdout)["data"]["no_show"] == {"kind": "none",
                                                                                          "seconds": None}
    cli("contract", "edit", "1", "--no-show", "1h30m")
    assert "     no-shows: 1h30m (billed as 1:30 h)" in cli("contract", "show", "1").stdout.splitlines()
    cli("contract", "edit", "1", "--no-show", "booked")
    assert json.loads(cli("contract", "show", "1", "--json").stdout)["data"]["no_show"] == {"kind": "booked",
                                                                                          "seconds": None}
    for bad, why in (("sometimes", "could not read --no-show 'sometimes' (none, booked, or a duration such as 30m "
                                   "or 1h)"),
                     ("17h", "a no-show charge of '17h' is out of range (whole minutes, up to 16h)")):
        res = cli("contract", "edit", "1", "--no-show", bad, ok=False)
        assert (res.exit_code, res.stderr) == (1, f"vakit: {why}\n")


def test_a_no_show_the_contract_does_not_bill_is_recorded_only(acme):
    cli = acme
    cli.contract()
    cli("client", "add", "Birch", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "book", "Intro", "--client", "Birch", "--at", "2026-11-02 11:00", "--duration", "30m")
    cli.now = AFTER
    out = cli("schedule", "no-show", "1", "--note", "ill").stdout
    assert out == ("Recorded #1 'Sync' with Acme as a no-show; not billed: the contract with Acme does not bill "
                   "no-shows\n")
    out = cli("schedule", "no-show", "2").stdout
    assert out == ("Recorded #2 'Intro' with Birch as a no-show; not billed: Birch has no contract in force at "
                   "Mon 02 Nov 2026 11:00 EST (UTC-05:00)\n")
    assert entries(cli) == []
    a = appointment(cli)
    assert (a["outcome"], a["outcome_entry_id"], a["outcome_note"]) == ("no-show", None, "ill")
    assert "  outcome:    no-show (not billed) — ill" in cli("schedule", "show", "1").stdout.splitlines()


@pytest.mark.parametrize("setup, command, message", [
    ((), ("schedule", "no-show", "1"),
     "appointment #1 starts Mon 02 Nov 2026 10:00 EST (UTC-05:00), still to come"),
    ((("schedule", "cancel", "1"),), ("schedule", "no-show", "1"),
     "appointment #1 was cancelled (a cancelled appointment cannot be a no-show)"),
    ((("schedule", "no-show", "1"),), ("schedule", "no-show", "1"),
     "appointment #1 is recorded already as a no-show, time entry #1 (if it was a mistake: 'vakit log undo', "
     "while it is the latest change)"),
    ((("schedule", "no-show", "1"),), ("schedule", "done", "1"),
     "appointment #1 is recorded already as a no-show, time entry #1 (if it was a mistake: 'vakit log undo', "
     "while it is the latest change)"),
    ((("schedule", "done", "1"),), ("schedule", "no-show", "1"),
     "appointment #1 is recorded already as done, time entry #1 (change it with 'vakit log edit 1')"),
    ((("schedule", "done", "1"),), ("schedule", "done", "1"),
     "appointment #1 is recorded already as done, time entry #1 (change it with 'vakit log edit 1')"),
    ((("log", "add", "-c", "Acme", "--from", "2026-11-02 10:15", "--duration", "15m", "--tz", "America/New_York",
       "Report"),), ("schedule", "no-show", "1"),
     "overlaps entry #1 (Acme Mon 02 Nov 2026 10:15 – 10:30 EST (UTC-05:00), 15 min overlap) (use --allow-overlap "
     "for deliberately parallel work)"),
], ids=["future", "cancelled", "twice", "done-after-no-show", "no-show-after-done", "done-twice", "overlap"])
def test_refusals_are_one_line_and_change_nothing(acme, setup, command, message):
    cli = acme
    cli.contract("--no-show", "booked")
    if setup:
        cli.now = AFTER
    for args in setup:
        cli(*args)
    before = ledger_dump(cli)
    res = cli(*command, ok=False)
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", f"vakit: {message}\n")
    assert ledger_dump(cli) == before


def test_a_charge_that_would_end_in_the_future_waits_for_its_end(acme):
    cli = acme
    cli.contract("--no-show", "1h")
    before = ledger_dump(cli)
    res = cli("schedule", "no-show", "1", now="2026-11-02T20:45:00+05:30", ok=False)  # 15:15Z, 15 min in
    assert (res.exit_code, res.stderr) == (1, "vakit: the no-show charge Mon 02 Nov 2026 10:00 – 11:00 EST "
                                              "(UTC-05:00) would end in the future (record the no-show from "
                                              "Mon 02 Nov 2026 11:00 EST (UTC-05:00) on)\n")
    assert ledger_dump(cli) == before
    assert cli("schedule", "no-show", "1", now="2026-11-02T21:30:00+05:30").stdout.startswith(
        "Recorded #1 'Sync' with Acme as a no-show; billed 1:00 per")


@pytest.mark.parametrize("term, command", [("booked", "no-show"), ("none", "no-show"), ("booked", "done")])
def test_undo_clears_the_outcome_and_the_entry(acme, term, command):
    cli = acme
    cli.contract("--no-show", term)
    cli.now = AFTER
    before = appointment(cli)
    cli("schedule", command, "1")
    assert appointment(cli)["outcome"] == ("done" if command == "done" else "no-show")
    undone = cli("log", "undo").stdout
    assert undone.startswith(f"Undid {command}")
    assert appointment(cli) == before and before["outcome"] is None
    assert entries(cli) == []
    assert "outcome" not in cli("schedule", "show", "1").stdout
    # recorded again after the undo, as if the first had never been
    out = cli("schedule", command, "1").stdout
    assert out.startswith("Recorded #1" if command == "no-show" else "Logged #")


def test_undo_waits_while_a_draft_bills_the_no_show(acme):
    cli = acme
    cli.contract("--no-show", "booked")
    cli.now = AFTER
    cli("schedule", "no-show", "1")
    cli("invoice", "create", "--client", "Acme", "--month", "2026-11")
    before = ledger_dump(cli)
    res = cli("log", "undo", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith(
        "vakit: cannot undo 'no-show #1 Acme Mon 02 Nov 2026 10:00 EST (UTC-05:00) (0:45) from appointment #1': "
        "time entry #1 is on draft invoice #1")
    assert ledger_dump(cli) == before


def test_an_appointment_with_an_outcome_is_neither_moved_nor_cancelled(cli):
    cli.now = "2026-11-10T12:00:00+00:00"
    cli("init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP")
    cli("client", "add", "Acme", "--tz", "Europe/London", "--currency", "GBP")
    cli("schedule", "book", "Sync", "--client", "Acme", "--at", "2026-11-10 09:00", "--allow-past")
    cli("schedule", "done", "1")
    for args, verb in ((("move", "1", "--at", "2026-11-12 10:00"), "moved"), (("cancel", "1"), "cancelled")):
        res = cli("schedule", *args, ok=False)
        assert (res.exit_code, res.stderr) == (1, f"vakit: appointment #1 is recorded as done, so it cannot be "
                                                  f"{verb} (take the outcome back first with 'vakit log undo')\n")
