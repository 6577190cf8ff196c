"""Correcting contracts and clients: contract show, edit, end, rm, the same-day replacement by contract add, and
client rm, archive and unarchive."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from decimal import Decimal

import pytest

from conftest import make_ctx
from vakit.core.clock import zone
from vakit.services.contracts import ContractTerms, add_contract, find_contract
from vakit.services.ledger import add_client, save_profile


@pytest.fixture
def acme(tmp_path, cli):
    """Acme (USD) on 25.00/h rounded up to 15 min from 1 Oct 2026, billing zone Europe/London, with two October
    entries: 1:10 (billed 1:15) on the 5th and 0:50 (billed 1:00) on the 20th — 2.25 h billed in all."""
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-02T09:00:00+00:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB")
    cli("--db", db, "client", "add", "Acme", "--tz", "America/New_York", "--currency", "USD", "--locale", "en_US")
    cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "25.00", "--rounding", "up:15m", "--from",
        "2026-10-01")
    cli("--db", db, "log", "add", "--client", "Acme", "--from", "2026-10-05 09:00", "--to", "10:10", "Inbox")
    cli("--db", db, "log", "add", "--client", "Acme", "--from", "2026-10-20 14:00", "--to", "14:50", "Calls")
    return db


def dry(cli, db, month="2026-10") -> list[dict]:
    """The drafts ``invoice create --dry-run`` would make for Acme."""
    return json.loads(cli("--db", db, "invoice", "create", "--client", "Acme", "--month", month, "--dry-run",
                          "--json").stdout)["data"]


def summary(d: dict) -> tuple:
    line = d["lines"][0]
    return d["period"]["from"], d["period"]["to"], line["quantity"], line["unit_price"], d["total"]["amount"]


def rows(db, table="contracts") -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        # the columns as before schema 8 added the no-show term, schema 11 the other kinds' terms and schema 12
        # tax-inclusive prices at the end (rows are read by position)
        later = ("no_show", "day_", "fee_minor", "instalments", "rollover_", "line_detail", "tax_inclusive")
        cols = [c[1] for c in conn.execute(f"PRAGMA table_info({table})") if not c[1].startswith(later)]
        return conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
    finally:
        conn.close()


def refused(cli, db, *args) -> str:
    """Run a command that must be refused: exit 1, one line on stderr; returns that line."""
    res = cli("--db", db, *args, ok=False)
    assert res.exit_code == 1, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vakit: "), res.stderr
    return lines[0]


# ---------------------------------------------------------------------------------------------------------
# contract show


def test_show_reads_like_the_terms_were_typed(acme, cli):
    db = acme
    cli("--db", db, "contract", "edit", "1", "--tax", "VAT 20%", "--tax", "Levy 2.5%", "--legend", "Reverse charge",
        "--sac", "998599", "--terms", "30")
    out = cli("--db", db, "contract", "show", "Acme").stdout
    assert out.splitlines() == [
        "     contract: #1",
        "       client: Acme",
        "         kind: hourly",
        "         rate: USD 25.00/h",
        "     rounding: up:15m per entry",
        "invoice lines: summary",
        " billing zone: Europe/London (UTC+00:00)",
        "payment terms: net 30 days",
        "        taxes: VAT 20%, Levy 2.5%",
        "       legend: Reverse charge",
        "          SAC: 998599",
        "     no-shows: none (recorded, not billed)",
        "     in force: 2026-10-01 – open",
        "     invoices: none",
    ]
    # the same contract by id and by #id; the invoices that bill it are named
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    assert cli("--db", db, "contract", "show", "#1").stdout.splitlines()[-1] == "     invoices: draft #1 (2026-10)"
    cli("--db", db, "invoice", "issue", "1", "--date", "2026-11-02")
    assert cli("--db", db, "contract", "show", "1").stdout.splitlines()[-1] == "     invoices: INV-2026-0001 (2026-10)"
    data = json.loads(cli("--db", db, "contract", "show", "1", "--json").stdout)
    assert data["kind"] == "contract"
    k = data["data"]
    assert (k["id"], k["client"], k["rate"], k["sac"], k["start_date"], k["end_date"]) == (
        1, "Acme", "25.00", "998599", "2026-10-01", None)
    assert k["invoices"] == [{"id": 1, "status": "issued", "number": "INV-2026-0001",
                              "period": {"from": "2026-10-01", "to": "2026-10-31"}}]


def test_show_a_retainer_and_no_rounding(acme, cli):
    db = acme
    cli("--db", db, "client", "add", "Harbour", "--currency", "GBP")
    cli("--db", db, "contract", "add", "--client", "Harbour", "--kind", "retainer", "--fee", "800",
        "--included-hours", "20", "--overage-rate", "24", "--rounding", "none", "--from", "2026-10-01")
    out = cli("--db", db, "contract", "show", "Harb").stdout.splitlines()
    assert out[3:8] == ["  monthly fee: GBP 800.00", "     includes: 20:00 h a month", "      overage: GBP 24.00/h",
                        "     rollover: none (unused hours lapse at the month's end)", "     rounding: none"]
    assert refused(cli, db, "contract", "show", "Nobody") == "vakit: no client named 'Nobody' (see 'vakit client list')"
    assert refused(cli, db, "contract", "show", "99") == "vakit: no contract with id 99 (see 'vakit contract list')"


def test_show_by_client_picks_the_contract_in_force_today_in_its_billing_zone(tmp_path):
    # 02:00 UTC on 1 Nov 2026: already 1 Nov in Kolkata, still 31 Oct in Los Angeles
    ctx = make_ctx(tmp_path, datetime(2026, 11, 1, 2, 0, tzinfo=zone("UTC")))
    from vakit.core.models import Profile

    save_profile(ctx, Profile("VA", "", "", (), "UTC", "USD", "en_US", "{year}-{seq:04}"))
    for name, tz in (("West", "America/Los_Angeles"), ("East", "Asia/Kolkata")):
        add_client(ctx, name)
        for rate, start in (("10", date(2026, 10, 1)), ("20", date(2026, 11, 1))):
            add_contract(ctx, name, ContractTerms(kind="hourly", rate=Decimal(rate), billing_tz=tz, start_date=start))
    assert find_contract(ctx, "West").rate == Decimal("10")
    assert find_contract(ctx, "East").rate == Decimal("20")


# ---------------------------------------------------------------------------------------------------------
# contract edit


def test_edit_changes_what_the_month_bills(acme, cli):
    db = acme
    assert summary(dry(cli, db)[0]) == ("2026-10-01", "2026-10-31", "2.25", "25.00", "56.25")
    out = cli("--db", db, "contract", "edit", "1", "--rate", "30.00").stdout.splitlines()
    assert out[0] == "Updated contract #1" and "         rate: USD 30.00/h" in out
    # 1:15 + 1:00 = 2.25 h × 30.00 = 67.50
    assert summary(dry(cli, db)[0]) == ("2026-10-01", "2026-10-31", "2.25", "30.00", "67.50")
    # without rounding: 1:10 + 0:50 = 2:00 h × 30.00 = 60.00
    cli("--db", db, "contract", "edit", "1", "--rounding", "none")
    assert summary(dry(cli, db)[0]) == ("2026-10-01", "2026-10-31", "2.00", "30.00", "60.00")
    # a change of kind: the hourly rate goes, the retainer's terms are required
    assert refused(cli, db, "contract", "edit", "1", "--kind", "retainer", "--fee", "500") == (
        "vakit: a retainer contract needs --included-hours, --overage-rate")
    cli("--db", db, "contract", "edit", "1", "--kind", "retainer", "--fee", "500", "--included-hours", "1.5",
        "--overage-rate", "40")
    fee, over = dry(cli, db)[0]["lines"]
    # 2:00 worked − 1:30 included = 0.50 h × 40.00 = 20.00
    assert (fee["amount"]["amount"], over["quantity"], over["amount"]["amount"]) == ("500.00", "0.50", "20.00")
    k = json.loads(cli("--db", db, "contract", "show", "1", "--json").stdout)["data"]
    assert (k["kind"], k["rate"], k["overage_rate"], k["included_seconds"]) == ("retainer", None, "40", 5400)


def test_edit_validates_like_add(acme, cli):
    db = acme
    before = rows(db)
    for args, msg in (
        (("--fee", "10"), "vakit: --fee belongs to retainer and fixed contracts, not hourly"),
        (("--currency", "XYZ"), "vakit: unknown currency 'XYZ' (use an ISO 4217 code such as USD, EUR, INR)"),
        (("--billing-tz", "Mars/Olympus"), "vakit: unknown time zone 'Mars/Olympus'"),
        (("--tax", "VAT 20%", "--tax", "vat 5%"), "vakit: each tax may be named once per contract"),
        (("--to", "2026-09-30"), "vakit: the contract would end on 2026-09-30, before it starts (2026-10-01)"),
        ((), "vakit: nothing to change (give at least one option, e.g. --rate)"),
    ):
        assert refused(cli, db, "contract", "edit", "1", *args).startswith(msg), args
    assert rows(db) == before
    # the same checks as add, from the same code
    assert refused(cli, db, "contract", "add", "--client", "Acme", "--rate", "5", "--fee", "10", "--from",
                   "2026-12-01") == (
        "vakit: --fee belongs to retainer and fixed contracts, not hourly")


def test_edited_dates_may_not_overlap_another_contract(acme, cli):
    db = acme
    cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "40", "--from", "2026-12-01")
    assert rows(db)[0][-2:-1] == ("2026-11-30",)  # #1 ended the day before
    assert refused(cli, db, "contract", "edit", "2", "--from", "2026-11-15") == (
        "vakit: Acme's contract #1 is in force from 2026-10-01 until 2026-11-30; contracts of one client may not "
        "share a day (end it first: vakit contract end 1 --on DATE)")
    assert refused(cli, db, "contract", "edit", "1", "--to", "open").startswith(
        "vakit: Acme's contract #2 is in force from 2026-12-01 with no end")
    cli("--db", db, "contract", "end", "1", "--on", "2026-11-14")
    cli("--db", db, "contract", "edit", "2", "--from", "2026-11-15")
    assert [(r[0], r[-3], r[-2]) for r in rows(db)] == [(1, "2026-10-01", "2026-11-14"), (2, "2026-11-15", None)]


def test_edit_is_refused_once_a_draft_or_an_issued_invoice_bills_the_contract(acme, cli):
    db = acme
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    before = rows(db)
    assert refused(cli, db, "contract", "edit", "1", "--rate", "30") == (
        "vakit: contract #1 is on draft #1 (delete it first: vakit invoice delete '#1')")
    cli("--db", db, "invoice", "issue", "1", "--date", "2026-11-02")
    assert refused(cli, db, "contract", "edit", "1", "--rate", "30") == (
        "vakit: contract #1 is billed on invoice INV-2026-0001 and its terms are final (new terms from a date: "
        "vakit contract add --client Acme --from DATE ...)")
    assert rows(db) == before


# ---------------------------------------------------------------------------------------------------------
# contract add --from: a new version, or a same-day replacement


def test_a_contract_starting_the_same_day_replaces_an_unbilled_one(acme, cli):
    db = acme
    out = cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "40.00", "--from", "2026-10-01").stdout
    assert out.splitlines() == [
        "Replaced contract #1 (nothing was billed on it)",
        "Added contract #2 for Acme from 2026-10-01: hourly, 40.00 USD/h, rounding none, net 14, taxes none, "
        "billed in Europe/London",
        "billing calendar: Europe/London, your zone (days and months of its invoices and timesheets); --billing-tz "
        "America/New_York to bill in the client's calendar"]
    assert [r[0] for r in rows(db)] == [2]
    # one draft for the whole month at the new rate: 1:10 + 0:50 = 2.00 h × 40.00
    [d] = dry(cli, db)
    assert summary(d) == ("2026-10-01", "2026-10-31", "2.00", "40.00", "80.00")


def test_a_billed_contract_is_not_replaced_but_continued(acme, cli):
    db = acme
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    before = rows(db)
    assert refused(cli, db, "contract", "add", "--client", "Acme", "--rate", "40", "--from", "2026-10-01") == (
        "vakit: Acme's contract #1 starts 2026-10-01 and draft #1 bills it; a new one must start later (give --from "
        "with a later date, or delete the draft first: vakit invoice delete '#1')")
    assert refused(cli, db, "contract", "add", "--client", "Acme", "--rate", "40", "--from", "2026-10-20") == (
        "vakit: draft #1 already bills Acme up to 2026-10-31; a new contract can start on 2026-11-01 at the "
        "earliest (delete the draft first)")
    assert rows(db) == before
    out = cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "40", "--from", "2026-11-01").stdout
    assert out.splitlines()[0] == "Contract #1 now ends 2026-10-31"
    assert [(r[0], r[-3], r[-2]) for r in rows(db)] == [(1, "2026-10-01", "2026-10-31"), (2, "2026-11-01", None)]


# ---------------------------------------------------------------------------------------------------------
# contract end, contract rm


def test_an_ended_contract_bills_only_its_days(acme, cli):
    db = acme
    out = cli("--db", db, "contract", "end", "1", "--on", "2026-10-15").stdout
    assert out == "Contract #1 for Acme is in force 2026-10-01 – 2026-10-15\n"
    # only the 5 October entry: 1:10 → 1:15 = 1.25 h × 25.00
    [d] = dry(cli, db)
    assert summary(d) == ("2026-10-01", "2026-10-15", "1.25", "25.00", "31.25")
    assert len(d["timesheet"]) == 1
    assert refused(cli, db, "contract", "end", "1", "--on", "2026-09-30") == (
        "vakit: contract #1 starts on 2026-10-01; it cannot end before that (2026-09-30)")
    assert refused(cli, db, "contract", "end", "1", "--on", "2026-10-32") == (
        "vakit: '2026-10-32' is not a calendar date")
    # the days after the end are billed by nobody until a contract covers them
    res = cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-11", ok=False)
    assert "Acme has no contract in force in 2026-11" in res.stderr


def test_a_contract_cannot_end_before_its_invoiced_days(acme, cli):
    db = acme
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    cli("--db", db, "invoice", "issue", "1", "--date", "2026-11-02")
    assert refused(cli, db, "contract", "end", "1", "--on", "2026-10-20") == (
        "vakit: invoice INV-2026-0001 bills contract #1 up to 2026-10-31; it can end on 2026-10-31 at the earliest "
        "(issued invoices are final)")
    cli("--db", db, "contract", "end", "1", "--on", "2026-10-31")
    assert rows(db)[0][-2:-1] == ("2026-10-31",)


def test_rm_only_an_unused_contract_and_the_older_stays_ended(acme, cli):
    db = acme
    cli("--db", db, "contract", "add", "--client", "Acme", "--rate", "40", "--from", "2026-12-01")
    assert cli("--db", db, "contract", "rm", "2").stdout == "Removed contract #2 for Acme\n"
    assert [(r[0], r[-2]) for r in rows(db)] == [(1, "2026-11-30")]  # not reopened
    cli("--db", db, "invoice", "create", "--client", "Acme", "--month", "2026-10")
    assert refused(cli, db, "contract", "rm", "1") == (
        "vakit: contract #1 is billed on draft #1; a billed contract is kept (end it instead: vakit contract end 1 "
        "--on DATE; or delete the draft first: vakit invoice delete '#1')")
    cli("--db", db, "invoice", "issue", "1", "--date", "2026-11-02")
    assert refused(cli, db, "contract", "rm", "1") == (
        "vakit: contract #1 is billed on invoice INV-2026-0001; a billed contract is kept (end it instead: vakit "
        "contract end 1 --on DATE)")
    assert refused(cli, db, "contract", "rm", "2") == "vakit: no contract with id 2 (see 'vakit contract list')"


# ---------------------------------------------------------------------------------------------------------
# client rm, archive, unarchive


def clients(cli, db, *flags) -> list[tuple[str, bool]]:
    return [(c["name"], c["archived"]) for c in
            json.loads(cli("--db", db, "client", "list", "--json", *flags).stdout)["data"]]


def test_client_rm_only_without_history(acme, cli):
    db = acme
    cli("--db", db, "client", "add", "Typo Ltd")
    cli("--db", db, "contract", "add", "--client", "Typo", "--rate", "10")
    assert cli("--db", db, "client", "rm", "Typo Ltd").stdout == "Removed client #2 Typo Ltd and its 1 contract\n"
    assert clients(cli, db) == [("Acme", False)] and [r[1] for r in rows(db)] == [1]
    assert refused(cli, db, "client", "rm", "Acme") == (
        "vakit: Acme has 2 time entries; a client with history is kept (hide it instead: vakit client archive Acme)")
    cli("--db", db, "client", "add", "Booked")
    cli("--db", db, "schedule", "book", "Call", "--client", "Booked", "--at", "2026-11-10 10:00")
    assert "Booked has 1 appointment;" in refused(cli, db, "client", "rm", "Booked")


def test_an_archived_client_is_hidden_but_reachable(acme, cli):
    db = acme
    cli("--db", db, "client", "add", "Birch")
    cli("--db", db, "client", "add", "Birchwood")
    cli("--db", db, "contract", "add", "--client", "Birch", "--rate", "10", "--from", "2026-10-01")
    cli("--db", db, "log", "add", "--client", "Birch", "--from", "2026-10-06 09:00", "--to", "10:00")
    res = cli("--db", db, "client", "archive", "Birch")
    assert res.stdout == "Archived client #2 Birch: hidden from lists and prefix matching, its history kept\n"
    assert res.stderr == ("vakit: note: Birch has 1:00 h of unbilled billable time (1 entry), which 'invoice create "
                          "--all' skips while the client is archived; bill it with vakit invoice create --client Birch "
                          "--month YYYY-MM\n")
    assert clients(cli, db) == [("Acme", False), ("Birchwood", False)]
    assert clients(cli, db, "--all") == [("Acme", False), ("Birch", True), ("Birchwood", False)]
    assert "│ 2 │ Birch (archived) │" in cli("--db", db, "client", "list", "--all").stdout
    # a prefix no longer finds it (here it finds the other Birch…); its whole name, any case, and its id do
    assert cli("--db", db, "client", "show", "Birc").stdout.splitlines()[1] == "     name: Birchwood"
    assert cli("--db", db, "client", "show", "birch").stdout.splitlines()[-1] == (
        " archived: yes (vakit client unarchive Birch)")
    assert cli("--db", db, "contract", "show", "Birch").stdout.splitlines()[1] == "       client: Birch"
    # no new work for it; its history is billed as before
    for args in (("log", "add", "--client", "Birch", "--from", "2026-10-07 09:00", "--to", "10:00"),
                 ("log", "start", "--client", "Birch"),
                 ("schedule", "book", "Call", "--client", "Birch", "--at", "2026-11-10 10:00")):
        assert refused(cli, db, *args) == (
            "vakit: client Birch is archived (bring it back first: vakit client unarchive Birch)"), args
    [d] = json.loads(cli("--db", db, "invoice", "create", "--client", "Birch", "--month", "2026-10", "--dry-run",
                         "--json").stdout)["data"]
    assert d["total"]["amount"] == "10.00"
    assert cli("--db", db, "client", "unarchive", "Birch").stdout == "Unarchived client #2 Birch\n"
    assert clients(cli, db) == [("Acme", False), ("Birch", False), ("Birchwood", False)]
    cli("--db", db, "log", "add", "--client", "Birch", "--from", "2026-10-07 09:00", "--to", "10:00")


def test_a_client_with_a_running_timer_is_not_archived(acme, cli):
    db = acme
    cli("--db", db, "log", "start", "--client", "Acme")
    assert refused(cli, db, "client", "archive", "Acme") == (
        "vakit: a timer is running for Acme (stop it first with 'vakit log stop')")
    assert clients(cli, db) == [("Acme", False)]


def test_time_before_a_clients_only_contract_is_named_with_the_fix(cli):
    """A new user adds a contract "from today", then logs last month's work (found by a new user)."""
    cli.now = "2026-12-02T09:00:00+01:00"
    cli("init", "--name", "Lena", "--tz", "Europe/Berlin", "--currency", "EUR")
    cli("client", "add", "Oakridge Dental Group", "--currency", "USD")
    cli("contract", "add", "--client", "Oak", "--rate", "35.00")
    res = cli("log", "add", "--client", "Oak", "--from", "2026-11-17 09:00", "--to", "10:50", "Inbox")
    assert res.stderr == ("vakit: note: no contract covers this time (2026-11-17), so no invoice will bill it: "
                          "contract #1 starts 2026-12-02; to bill it, move that start: vakit contract edit 1 --from "
                          "2026-11-17\n")
    res = cli("invoice", "create", "--client", "Oak", "--month", "2026-11", ok=False)
    assert res.stderr == ("vakit: Oakridge Dental Group has no contract in force in 2026-11 (contract #1 starts "
                          "2026-12-02; to bill 2026-11 on it, move its start: vakit contract edit 1 --from "
                          "2026-11-01)\n")
    cli("contract", "edit", "1", "--from", "2026-11-01")
    assert cli("log", "add", "--client", "Oak", "--from", "2026-11-18 09:00", "--to", "10:00", "Inbox").stderr == ""
    out = cli("invoice", "create", "--client", "Oak", "--month", "2026-11").stdout
    assert out.splitlines()[-1] == "Created draft #1: 2 entries, 2:50 h billed; issue it with: vakit invoice issue '#1'"
