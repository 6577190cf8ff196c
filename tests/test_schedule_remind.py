"""``vakit schedule remind``: the coming appointments as messages to paste, their clock first, yours beside it."""

from __future__ import annotations


def test_remind_prints_each_coming_appointment_in_both_clocks(cli):
    cli.now = "2026-11-02T09:00:00+05:30"
    cli("init", "--name", "Asha VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN")
    cli("client", "add", "Northwind", "--tz", "America/New_York", "--currency", "USD")
    cli("client", "add", "Harbour", "--tz", "Europe/London", "--currency", "GBP")
    cli("schedule", "book", "Weekly sync", "--client", "Northwind", "--at", "2026-11-02 10:00", "--location",
        "https://meet.example/nw")
    cli("schedule", "book", "Review", "--client", "Harbour", "--at", "2026-11-04 15:30", "--duration", "45m")
    cli("schedule", "book", "Later", "--client", "Harbour", "--at", "2026-11-20 15:30")
    cli("schedule", "book", "Off", "--client", "Harbour", "--at", "2026-11-03 09:00")
    cli("schedule", "cancel", "4")
    out = cli("schedule", "remind", "--within", "3d").stdout
    assert out == (
        "#1 to Northwind:\n"
        "Hello Northwind,\n"
        "a reminder of \"Weekly sync\" on Monday 02 November 2026 at 10:00–10:30 EST (UTC-05:00), your time "
        "(America/New_York).\n"
        "For me that is Mon 02 Nov 2026 20:30 – 21:00 IST (UTC+05:30) (Asia/Kolkata).\n"
        "Where: https://meet.example/nw\n"
        "— Asha VA\n"
        "\n"
        "#2 to Harbour:\n"
        "Hello Harbour,\n"
        "a reminder of \"Review\" on Wednesday 04 November 2026 at 15:30–16:15 GMT (UTC+00:00), your time "
        "(Europe/London).\n"
        "For me that is Wed 04 Nov 2026 21:00 – 21:45 IST (UTC+05:30) (Asia/Kolkata).\n"
        "— Asha VA\n")
    assert cli("schedule", "remind").stdout.startswith("#1 to Northwind:")  # default: the next 24 hours
    assert "#2" not in cli("schedule", "remind").stdout
    bad = cli("schedule", "remind", "--within", "40d", ok=False)
    assert bad.exit_code == 1 and bad.stderr == "vakit: --within must be between 1 minute and 31 days\n"
