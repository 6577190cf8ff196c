"""Field cases from ../shared/cases/field-cases.md, in vakit's command shapes."""

from __future__ import annotations

import json

from conftest import entries


def test_c01_m_is_minutes_and_garbled_input_is_refused(london):
    cli = london
    cli.now = "2025-05-06T15:00:00+01:00"
    out = cli("log", "add", "--client", "Acme", "--duration", "30m", "Weekly sync")
    assert out.stdout == "Added #1 Acme  Tue 06 May 2025 14:30 – 15:00 BST (UTC+01:00) (0:30) Weekly sync\n"
    [e] = entries(cli)
    assert (e["start"], e["end"], e["seconds"]) == ("2025-05-06T13:30:00Z", "2025-05-06T14:00:00Z", 1800)

    bad = cli("log", "add", "--client", "Acme", "--duration", "30mo", "Weekly sync", ok=False)
    assert bad.exit_code == 1 and "unknown unit 'mo'" in bad.stderr
    bad = cli("log", "start", "--client", "Acme", "--at", "15 minutes aog", ok=False)
    assert bad.exit_code == 1 and "could not parse '15 minutes aog'" in bad.stderr
    assert "No timer is running" in cli("log", "status").stdout
    assert len(entries(cli)) == 1

    # invariant: nothing longer than 16:00 without --force
    long = cli("log", "add", "--client", "Acme", "--from", "2025-05-01 06:00", "--to", "2025-05-01 23:00", ok=False)
    assert long.exit_code == 1 and "longer than the 16:00 maximum" in long.stderr
    cli("log", "add", "--client", "Acme", "--from", "2025-05-01 06:00", "--to", "2025-05-01 23:00", "--force")
    assert len(entries(cli)) == 2


def test_c04_duration_shorthands(london):
    cli = london
    cli.now = "2025-05-06T15:00:00+01:00"
    for i, d in enumerate(["1h30", "1h30m", "90m", "1.5h", "1:30"]):
        day = f"2025-05-0{i + 1}"
        out = cli("log", "add", "--client", "Acme", "--date", day, "--from", "09:00", "--duration", d)
        assert "09:00 – 10:30 BST (UTC+01:00) (1:30)" in out.stdout
    assert [e["seconds"] for e in entries(cli)] == [5400] * 5
    bad = cli("log", "add", "--client", "Acme", "--date", "2025-04-01", "--from", "09:00", "--duration", "2h60m",
              ok=False)
    assert bad.exit_code == 1 and "minutes must be below 60" in bad.stderr
    assert len(entries(cli)) == 5


def test_c05_end_without_date_is_after_the_start(london):
    cli = london
    cli.now = "2025-05-14T09:00:00+01:00"
    out = cli("log", "add", "--client", "Acme", "--from", "yesterday 11pm", "--to", "1am", "Launch support")
    assert "Tue 13 May 2025 23:00 BST (UTC+01:00) – Wed 14 May 2025 01:00 BST (UTC+01:00) (2:00)" in out.stdout
    [e] = entries(cli)
    assert (e["start"], e["end"]) == ("2025-05-13T22:00:00Z", "2025-05-14T00:00:00Z")
    rep = json.loads(cli("log", "report", "--from", "2025-05-13", "--to", "2025-05-14", "--by-day", "--json").stdout)
    rows = {r["key"]: r["seconds"] for r in rep["data"]["rows"]}
    assert rows == {"2025-05-13": 3600, "2025-05-14": 3600}
    assert rep["data"]["total_seconds"] == 7200
    table = cli("log", "report", "--from", "2025-05-13", "--to", "2025-05-14", "--by-day").stdout
    assert "Tue 2025-05-13" in table and "Wed 2025-05-14" in table and "2:00" in table


def test_c06_stop_after_midnight(london):
    cli = london
    cli("log", "start", "--client", "Acme", now="2025-05-13T22:05:00+01:00")
    out = cli("log", "stop", now="2025-05-14T00:57:00+01:00")
    assert "Tue 13 May 2025 22:05 BST (UTC+01:00) – Wed 14 May 2025 00:57 BST (UTC+01:00) (2:52)" in out.stdout
    [e] = entries(cli)
    assert e["seconds"] == 2 * 3600 + 52 * 60
    assert "No timer is running" in cli("log", "status", now="2025-05-14T00:58:00+01:00").stdout


def test_c13_back_to_back_entries_do_not_overlap(london):
    cli = london
    cli("log", "start", "--client", "Acme", now="2025-04-02T10:00:00+01:00")
    cli("log", "stop", now="2025-04-02T12:32:00+01:00")
    cli("log", "start", "--client", "Birch", now="2025-04-02T12:32:00+01:00")
    cli("log", "stop", now="2025-04-02T12:40:00+01:00")
    birch = [e for e in entries(cli) if e["client"] == "Birch"][0]
    cli("log", "rm", str(birch["id"]))

    cli.now = "2025-04-02T15:00:00+01:00"
    cli("log", "add", "--client", "Birch", "--date", "2025-04-02", "--from", "12:32", "--to", "13:00")
    cli("log", "rm", str([e for e in entries(cli) if e["client"] == "Birch"][0]["id"]))
    bad = cli("log", "add", "--client", "Birch", "--date", "2025-04-02", "--from", "12:31", "--to", "13:00", ok=False)
    assert bad.exit_code == 1
    assert "Acme Wed 02 Apr 2025 10:00 – 12:32 BST (UTC+01:00), 1 min overlap" in bad.stderr
    assert [e["client"] for e in entries(cli)] == ["Acme"]
