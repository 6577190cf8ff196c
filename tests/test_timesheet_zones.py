"""A client's timesheet in the client's zone, beside an invoice that counts the dates of its billing zone."""

from __future__ import annotations


def test_a_timesheet_that_would_not_match_the_invoice_says_so_and_how_to_match_it(cli):
    cli.now = "2026-11-01T09:00:00+08:00"
    cli("init", "--name", "VA", "--tz", "Asia/Manila", "--currency", "PHP", "--locale", "en_PH")
    cli("client", "add", "Northwind", "--tz", "America/Los_Angeles", "--currency", "USD")
    cli("contract", "add", "--client", "Northwind", "--rate", "25.00", "--from", "2026-11-01")
    cli.now = "2026-12-02T09:00:00+08:00"
    cli("log", "add", "--client", "Northwind", "--from", "2026-11-10 09:00", "--to", "11:00")
    # Mon 30 Nov 18:00 in Los Angeles is Tue 1 Dec 10:00 in Manila: November there, December here
    cli("log", "add", "--client", "Northwind", "--tz", "America/Los_Angeles", "--from", "2026-11-30 18:00",
        "--to", "18:30")
    res = cli("log", "report", "--client", "Northwind", "--month", "2026-11", "--format", "text")
    assert "Period total: 2:30 (2 entries)" in res.stdout
    assert res.stderr == ("vakit: note: invoices for Northwind count Asia/Manila dates, and 2026-11-01 – 2026-11-30 "
                          "there bills 2:00 against this timesheet's 2:30 (America/Los_Angeles dates); to send it "
                          "with an invoice, pass --tz Asia/Manila\n")
    res = cli("log", "report", "--client", "Northwind", "--month", "2026-11", "--format", "text", "--tz",
              "Asia/Manila")
    assert "Period total: 2:00 (1 entry)" in res.stdout and res.stderr == ""
    draft = cli("invoice", "create", "--client", "Northwind", "--month", "2026-11").stdout
    assert "2.00 h" in draft
