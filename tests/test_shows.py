"""``contract show``, ``client show`` and ``invoice show`` print the terms the way they were typed: money with its
currency code in the client's locale, rounding as ``--rounding`` takes it, payment terms in days, zones with their
UTC offset now, the terms of each kind of contract; ``contract show CLIENT`` also lists the client's other
contracts."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def books(tmp_path, cli):
    """A VA in London on 2 Nov 2026 (winter: New York UTC-05:00, Kolkata UTC+05:30) with four clients, one
    contract of each kind from 1 Oct 2026."""
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-02T09:00:00+00:00"

    def run(*args: str, now: str | None = None):
        return cli("--db", db, *args, now=now)

    run("init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB")
    run("client", "add", "Northwind Analytics", "--tz", "America/New_York", "--currency", "USD", "--locale", "en_US",
        "--email", "ap@northwind.example", "--address", "1 Main St;New York, NY 10001", "--country", "US")
    run("client", "add", "Harbour & Finch", "--currency", "GBP")
    run("client", "add", "Müller & Söhne GmbH", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE")
    run("client", "add", "Ganesh Traders", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN",
        "--country", "IN", "--notes", "Prefers WhatsApp;after 10:00 IST")
    run("contract", "add", "--client", "Northwind", "--rate", "25", "--rounding", "nearest:15m", "--terms", "15",
        "--billing-tz", "America/New_York", "--from", "2026-10-01")
    run("contract", "add", "--client", "Harbour", "--kind", "retainer", "--fee", "800", "--included-hours", "20",
        "--overage-rate", "24", "--rollover-cap", "10", "--rollover-months", "3", "--tax", "VAT 20%", "--legend",
        "Thank you for your business.", "--from", "2026-10-01")
    run("contract", "add", "--client", "Müller", "--kind", "fixed", "--fee", "3000", "--instalment", "2026-10-31",
        "--instalment", "2026-11-30=1200", "--instalment", "2026-12-31", "--tax", "VAT 19%", "--terms", "30",
        "--from", "2026-10-01")
    run("contract", "add", "--client", "Ganesh", "--kind", "daily", "--day-rate", "4000", "--hours-per-day", "8",
        "--rounding", "up:15m:per-day", "--terms", "1", "--no-show", "booked", "--from", "2026-10-01")
    return run


def test_an_hourly_contract(books):
    assert books("contract", "show", "1").stdout.splitlines() == [
        "     contract: #1",
        "       client: Northwind Analytics",
        "         kind: hourly",
        "         rate: USD 25.00/h",
        "     rounding: nearest:15m per entry",
        "invoice lines: summary",
        " billing zone: America/New_York (UTC-05:00)",
        "payment terms: net 15 days",
        "        taxes: none",
        "      legends: none",
        "          SAC: none",
        "     no-shows: none (recorded, not billed)",
        "     in force: 2026-10-01 – open",
        "     invoices: none",
    ]


def test_a_retainer_with_a_rollover(books):
    assert books("contract", "show", "Harbour").stdout.splitlines() == [
        "     contract: #2",
        "       client: Harbour & Finch",
        "         kind: retainer",
        "  monthly fee: GBP 800.00",
        "     includes: 20:00 h a month",
        "      overage: GBP 24.00/h",
        "     rollover: unused hours carry over, at most 10:00 h, expiring after 3 months",
        "     rounding: none",
        " billing zone: Europe/London (UTC+00:00)",
        "payment terms: net 14 days",
        "        taxes: VAT 20%",
        "       legend: Thank you for your business.",
        "          SAC: none",
        "     no-shows: none (recorded, not billed)",
        "     in force: 2026-10-01 – open",
        "     invoices: none",
    ]


def test_a_fixed_fee_in_instalments_in_the_clients_digits(books):
    # no rounding, no-shows or invoice lines: a fixed fee bills no time
    assert books("contract", "show", "müller").stdout.splitlines() == [
        "     contract: #3",
        "       client: Müller & Söhne GmbH",
        "         kind: fixed",
        "    fixed fee: EUR 3.000,00",
        "  instalments: 2026-10-31 EUR 900,00",
        "               2026-11-30 EUR 1.200,00",
        "               2026-12-31 EUR 900,00",
        " billing zone: Europe/London (UTC+00:00)",
        "payment terms: net 30 days",
        "        taxes: VAT 19%",
        "      legends: none",
        "          SAC: none",
        "     in force: 2026-10-01 – open",
        "     invoices: none",
    ]


def test_a_day_rate(books):
    assert books("contract", "show", "GANESH").stdout.splitlines()[2:8] == [
        "         kind: daily",
        "     day rate: INR 4,000.00/day of 8:00 h",
        "    part days: INR 500.00/h, pro rata",
        "     rounding: up:15m per day",
        " billing zone: Europe/London (UTC+00:00)",
        "payment terms: net 1 day",
    ]
    assert "     no-shows: booked (the booked length is billed)" in books("contract", "show", "4").stdout.splitlines()


def test_the_json_keeps_its_keys(books):
    k = json.loads(books("contract", "show", "Harbour", "--json").stdout)["data"]
    assert (k["monthly_fee"], k["rounding"], k["terms_days"], k["billing_tz"], k["rollover"]) == (
        {"amount": "800.00", "minor": 80000, "currency": "GBP"},
        {"increment_seconds": 0, "direction": "up", "scope": "entry"}, 14, "Europe/London",
        {"cap_seconds": 36000, "months": 3})


def test_contract_show_by_client_lists_its_other_contracts(books):
    books("contract", "add", "--client", "Northwind", "--rate", "30", "--from", "2026-11-01")
    books("contract", "add", "--client", "Northwind", "--rate", "32.5", "--from", "2027-01-01")
    out = books("contract", "show", "north").stdout.splitlines()
    # the contract in force today first, in full; then the others, latest first
    assert out[:4] == ["     contract: #5", "       client: Northwind Analytics", "         kind: hourly",
                       "         rate: USD 30.00/h"]
    assert out[12:] == [
        "     in force: 2026-11-01 – 2026-12-31",
        "     invoices: none",
        "",
        "Other contracts of Northwind Analytics (vakit contract show ID):",
        "  #6 hourly, USD 32.50/h, 2027-01-01 – open",
        "  #1 hourly, USD 25.00/h, 2026-10-01 – 2026-10-31",
    ]
    # a contract id shows that contract alone; --json the one in force
    assert books("contract", "show", "#1").stdout.splitlines()[-1] == "     invoices: none"
    assert json.loads(books("contract", "show", "Northwind Analytics", "--json").stdout)["data"]["id"] == 5


def test_client_show(books):
    assert books("client", "show", "north").stdout.splitlines() == [
        "   client: #1",
        "     name: Northwind Analytics",
        "    email: ap@northwind.example",
        "  address: 1 Main St",
        "           New York, NY 10001",
        "  country: US",
        "     zone: America/New_York (UTC-05:00)",
        " currency: USD",
        "   locale: en_US",
        "   tax ID: none",
        "    notes: none",
        " contract: #1 hourly, USD 25.00/h, 2026-10-01 – open",
    ]
    out = books("client", "show", "Ganesh Traders").stdout.splitlines()
    assert out[5:] == ["     zone: Asia/Kolkata (UTC+05:30)", " currency: INR", "   locale: en_IN", "   tax ID: none",
                       "    notes: Prefers WhatsApp;after 10:00 IST",
                       " contract: #4 daily, INR 4,000.00/day, 2026-10-01 – open"]
    # the offset is the one at the moment (NZ daylight time in November, standard time in July); a client
    # without a contract is told how to add one
    books("client", "add", "Kiwi Design Co.", "--tz", "Pacific/Auckland", "--currency", "NZD")
    out = books("client", "show", "kiwi").stdout.splitlines()
    assert (out[5], out[-1]) == ("     zone: Pacific/Auckland (UTC+13:00)",
                                 " contract: none (add one: vakit contract add --client 'Kiwi Design Co.' --rate RATE)")
    assert books("client", "show", "kiwi", now="2026-07-01T09:00:00+00:00").stdout.splitlines()[5] == (
        "     zone: Pacific/Auckland (UTC+12:00)")
    assert json.loads(books("client", "show", "north", "--json").stdout)["data"]["tz"] == "America/New_York"


def test_invoice_show(books):
    # 1:10 rounded to the nearest 15 minutes: 1.25 h × 25.00 = 31.25
    books("log", "add", "--client", "Northwind", "--from", "2026-10-05 09:00", "--to", "10:10", "Inbox")
    books("invoice", "create", "--client", "Northwind", "--month", "2026-10")
    books("invoice", "edit", "#1", "--note", "PO [7731]")
    assert books("invoice", "show", "#1").stdout.splitlines()[-4:] == [
        "       status: draft (issue it with: vakit invoice issue '#1')",
        "payment terms: net 15 days",
        "        total: USD 31.25",
        "         note: PO [7731]",
    ]
    books("invoice", "issue", "#1", "--date", "2026-11-02")
    assert books("invoice", "show", "INV-2026-0001").stdout.splitlines()[-8:] == [
        "  status: issued",
        "  issued: 2026-11-02",
        "     due: 2026-11-17 (net 15 days)",
        "   total: USD 31.25",
        "    paid: USD 0.00",
        "credited: USD 0.00",
        " balance: USD 31.25",
        "    note: PO [7731]",
    ]
    books("invoice", "credit", "INV-2026-0001", "--amount", "10", "--reason", "Goodwill", "--date", "2026-11-02")
    assert books("invoice", "show", "CN-2026-0001").stdout.splitlines()[-5:] == [
        "   status: credit note",
        "refers to: INV-2026-0001 of 2026-11-02",
        "   reason: Goodwill",
        "   issued: 2026-11-02",
        "    total: USD 10.00",
    ]
    assert books("invoice", "show", "INV-2026-0001", now="2026-11-20T09:00:00+00:00").stdout.splitlines()[-8:-5] == [
        "  status: issued, 3 days overdue", "  issued: 2026-11-02", "     due: 2026-11-17 (net 15 days)"]
