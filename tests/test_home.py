"""The home screen (``vakit``, ``vakit status``): on the demo ledger a week later, before init, as JSON; the
text is the block docs/getting-started.md shows, so the page cannot drift from the code."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "getting-started.md"
NOW = "2026-11-10T10:00:00+05:30"

#: the commands the page shows before the home screen (run on a copy of the demo ledger)
STEPS = [
    ("log", "add", "--client", "Northwind", "--from", "2026-11-09 19:00", "--to", "2026-11-09 21:30", "Inbox triage"),
    ("log", "add", "--client", "Harbour", "--from", "2026-11-10 08:00", "--to", "2026-11-10 09:00", "Board pack"),
    ("log", "start", "--client", "Harbour", "--at", "09:20", "Travel booking for the offsite"),
    ("schedule", "book", "Offsite planning", "--client", "Northwind", "--at", "2026-11-11 09:00", "--duration", "45m"),
    ("invoice", "pay", "INV/2026-27/002", "--amount", "400.00"),
    ("invoice", "pay", "INV/2026-27/004", "--amount", "369.90"),
    ("invoice", "create", "--client", "Northwind", "--month", "2026-11"),
]


@pytest.fixture
def week_later(cli, month, tmp_path):
    ledger = tmp_path / "demo.sqlite3"
    shutil.copy(month[0], ledger)
    for step in STEPS:
        cli("--db", str(ledger), *step, now=NOW)
    return ledger


def _doc_block(marker: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- {marker} -->\n```text\n(.*?)```", text, re.S)
    assert m, f"docs/getting-started.md has no block marked <!-- {marker} -->"
    return m.group(1)


def test_the_home_screen_on_the_demo_ledger_is_the_one_the_docs_show(cli, week_later):
    out = cli("--db", str(week_later), now=NOW).stdout
    assert out == cli("--db", str(week_later), "status", now=NOW).stdout
    assert out == _doc_block("home-screen")
    assert out.splitlines()[1:4] == [
        "Timer    running 0:40: Harbour & Finch Ltd · Travel booking for the offsite (since 09:20)",
        "Hours    today 1:40 · this week 4:10 (from Mon 09 Nov)",
        "Next     Wed 11 Nov 2026 19:30 – 20:15 IST (UTC+05:30) Northwind Analytics: Offsite planning — their time"
        " Wed 11 Nov 2026 09:00 – 09:45 EST (UTC-05:00) America/New_York",
    ]


def test_the_home_screen_as_json_gives_the_same_figures(cli, week_later):
    data = json.loads(cli("--db", str(week_later), "status", "--json", now=NOW).stdout)["data"]
    assert data["ready"] is True
    assert data["timer"]["elapsed_seconds"] == 40 * 60
    assert data["timer"]["running"]["client"] == "Harbour & Finch Ltd"
    # today: the Board pack hour and the running 40 minutes; this week adds Monday's 2:30 of Inbox triage
    assert data["today_seconds"] == 100 * 60
    assert data["week"] == {"first": "2026-11-09", "seconds": 250 * 60}
    assert [(a["title"], a["start"], a["client_tz"]) for a in data["next"]] == [
        ("Offsite planning", "2026-11-11T14:00:00Z", "America/New_York")]
    harbour = next(c for c in data["clients"] if c["name"] == "Harbour & Finch Ltd")
    assert harbour["unbilled_seconds"] == 3600 and harbour["unbilled_months"] == ["2026-11"]
    assert harbour["retainers"] == [{"contract_id": 2, "month": "2026-11", "used_seconds": 3600,
                                     "included_seconds": 25 * 3600, "carried_seconds": 0}]
    assert [(d["id"], d["total"]["amount"]) for d in data["drafts"]] == [(5, "75.00")]
    assert [(u["number"], u["balance"]["amount"], u["days_overdue"]) for u in data["unpaid"]] == [
        ("INV/2026-27/001", "1422.50", 0), ("INV/2026-27/002", "496.96", 0), ("INV/2026-27/003", "17169.00", 1)]
    assert data["warnings"] == []


def test_before_init_the_home_screen_says_how_to_start(cli, tmp_path):
    r = cli()
    assert r.exit_code == 0
    assert r.stdout == (f"Welcome to vakit. There is no ledger yet ({tmp_path / 'home' / 'ledger.sqlite3'}).\n"
                        "Start here:\n"
                        "  vakit demo     a whole example month in a throw-away ledger, to look around\n"
                        "  vakit init     set up your business profile, step by step\n"
                        "  vakit --help   every command; vakit COMMAND --help shows examples\n")
    assert not (tmp_path / "home" / "ledger.sqlite3").exists()  # looking creates nothing
    data = json.loads(cli("status", "--json").stdout)["data"]
    assert data == {"ready": False, "ledger": str(tmp_path / "home" / "ledger.sqlite3"),
                    "reason": "There is no ledger yet", "next": ["vakit demo", "vakit init", "vakit --help"]}


def test_a_timer_past_its_maximum_is_a_warning(cli):
    cli("init", "--name", "VA", "--tz", "UTC", "--currency", "EUR", now="2026-03-02T08:00:00+00:00")
    cli("log", "start", now="2026-03-02T08:00:00+00:00")
    data = json.loads(cli("status", "--json", now="2026-03-03T08:00:00+00:00").stdout)["data"]
    assert data["warnings"] == [
        "the timer #1 (own time) has run 24:00 since Mon 02 Mar 2026 08:00 UTC, more than the 12:00 maximum; if it"
        " was forgotten: 'vakit log stop --at TIME' (or 'vakit log cancel')"]
    cli("log", "cancel", now="2026-03-03T08:00:00+00:00")
    cli("db", "backup", "--keep", "0", now="2026-03-03T08:00:00+00:00")
    out = cli("status", now="2026-03-03T08:00:00+00:00").stdout
    assert out.splitlines()[-1] == "Warnings  daily backups are off (vakit db backup --keep 14 turns them on)"
