"""``vakit schedule done``: an appointment that happened becomes the client's time entry, once."""

from __future__ import annotations

import json

from conftest import entries


def test_done_logs_the_appointment_once_and_undo_takes_it_back(cli):
    cli.now = "2026-11-02T09:00:00+05:30"
    cli("init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN")
    cli("client", "add", "North", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "book", "Sync", "--client", "North", "--at", "2026-11-02 10:00", "--duration", "30m")
    cli("schedule", "book", "Later", "--client", "North", "--at", "2026-11-09 10:00")
    res = cli("schedule", "done", "1", ok=False)
    assert res.stderr == "vakit: appointment #1 starts Mon 02 Nov 2026 10:00 EST (UTC-05:00), still to come\n"
    cli.now = "2026-11-03T09:00:00+05:30"
    out = cli("schedule", "done", "1", "--duration", "45m").stdout
    assert out == "Logged #1 North  Mon 02 Nov 2026 10:00 – 10:45 EST (UTC-05:00) (0:45) Sync\n"
    [e] = entries(cli)
    assert (e["start"], e["end"], e["source"], e["billable"]) == ("2026-11-02T15:00:00Z", "2026-11-02T15:45:00Z",
                                                                  "appointment", True)
    res = cli("schedule", "done", "1", ok=False)
    assert res.stderr == ("vakit: appointment #1 is recorded already as done, time entry #1 (change it with "
                          "'vakit log edit 1')\n")
    assert cli("log", "undo").stdout.startswith("Undid done #1 North")
    assert entries(cli) == []
    cli("schedule", "cancel", "2")
    res = cli("schedule", "done", "2", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("vakit: appointment #2 was cancelled")
    assert json.loads(cli("log", "undo", "--list", "--json").stdout)["data"] == []
