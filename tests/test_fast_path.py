"""The timer commands' fast path (issue 11) and the Typer app accept, refuse and print the same for the same
arguments, and leave the same ledger.

The same command lines run step by step on two copies of one ledger: on one through
:func:`vakit.cli.fast.run` (the console script), on the other through the Typer app alone
(:func:`vakit.cli.app.run_app`). Each step's exit code, stdout and stderr must be equal, and so must the two
ledgers at the end (every row, ``iterdump``). Each step also states which path the console script takes, so a
case meant for the fast path cannot quietly fall back to Typer (which would make the comparison empty)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from vakit.cli import fast
from vakit.cli.app import run_app
from vakit.cli.plain import STATE

NOW = "2026-11-10T15:00:00+00:00"
ESC = "\x1b"

#: (argv after ``vakit``, the path the console script takes: "fast" or "typer"); ``{db}`` is the ledger's path
STEPS = [
    (["log", "status"], "fast"),
    (["log", "start", "--client", "Acme", "Inbox", "triage", "+email", "--at", "14:00"], "fast"),
    (["log", "status", "--json"], "fast"),
    (["log", "start", "-c", "Birch", "Second timer"], "fast"),  # refused: a timer is running
    (["--db", "{db}", "log", "status"], "fast"),
    (["--db={db}", "--debug", "log", "status", "--json", "--json"], "fast"),
    (["log", "switch", "--client=Birch", "--tag", "calls", "--at", "14:20", "--", "-5 minutes", "notes"], "fast"),
    (["log", "stop", "--at", "nonsense"], "fast"),  # refused: an unreadable time
    (["log", "stop", "--at", "14:45"], "fast"),
    (["log", "stop"], "fast"),  # refused: no timer is running
    (["log", "add", "--client", "Acme", "--from", "09:00", "--to", "10:00", "Call", "notes", "-t", "calls"], "fast"),
    (["log", "add", "--client", "acm", "--from", "09:30", "--to", "10:30"], "fast"),  # refused: overlap
    (["log", "add", "--client", "Nobody", "--from", "11:00", "--to", "11:30"], "fast"),  # refused: no such client
    (["log", "add", "-c", "Acme", "--date", "2026-11-09", "--from", "11:00", "--duration", "1h", "--non-billable",
      "--allow-overlap", "--tz", "America/New_York", "Prep"], "fast"),
    (["log", "add", "--client", "Acme", "--duration", "abc", "--from", "12:00"], "fast"),  # refused: duration
    (["log", "start", "--client", "Acme", f"{ESC}[31mred", "--at", "14:50"], "fast"),  # refused: a control character
    (["log", "start", "--client", "Acme", "[red]red[/] [bold]x :smile:", "+tag", "--at", "14:50"], "fast"),
    (["log", "status"], "fast"),
    (["log", "stop", "--at", "14:55", "--force", "--allow-overlap"], "fast"),
    (["log", "start", "--client", ""], "fast"),  # refused: an empty client name
    # what the fast path leaves to Typer: usage errors, help, forms it does not read
    (["log", "start", "--clint", "Acme"], "typer"),
    (["log", "stop", "--at"], "typer"),
    (["log", "status", "extra"], "typer"),
    (["log", "add", "--force=yes", "--from", "10:00", "--to", "11:00"], "typer"),
    (["log", "start", "--help"], "typer"),
    (["log", "start", "-cAcme", "Attached", "--at", "15:00"], "typer"),  # Click reads -cAcme as --client Acme
    (["log", "stop", "--at", "-1m"], "typer"),
    (["log", "start", "-", "--at", "15:01"], "typer"),
    (["log", "resume"], "typer"),
    (["--version"], "typer"),
    (["log"], "typer"),
    (["log", "start", "bad\udcffbytes"], "fast"),  # refused before either path reads it
    (["log", "start", "nul\x00byte"], "fast"),
]


def _ledger(cli, tmp_path):
    cli.now = NOW
    cli("init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP")
    for name in ("Acme", "Birch"):
        cli("client", "add", name, "--tz", "Europe/London")
        cli("contract", "add", "--client", name, "--rate", "40.00", "--from", "2026-01-01")
    from vakit.cli.common import ledger_path

    return ledger_path()


def _run(entry, argv, monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["vakit", *argv])
    STATE.db, STATE.debug, STATE.closing, STATE.opened = None, False, [], []
    try:
        entry(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out = capsys.readouterr()
    return code, out.out, out.err


def _dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_fast_path_and_typer_app_accept_refuse_and_print_the_same(cli, tmp_path, monkeypatch, capsys):
    source = _ledger(cli, tmp_path)
    dbs = {}
    for name in ("fast", "typer"):
        (tmp_path / name).mkdir()
        dbs[name] = tmp_path / name / "ledger.sqlite3"
        shutil.copy(source, dbs[name])
    monkeypatch.setenv("VAKIT_NOW", NOW)
    entries = {"fast": fast.run, "typer": lambda argv: run_app()}
    for argv, path in STEPS:
        results = {}
        for name, entry in entries.items():
            monkeypatch.setenv("VAKIT_DB", str(dbs[name]))
            args = [a.replace("{db}", str(dbs[name])) for a in argv]
            taken = "fast" if fast.fast_command(args) is not None else "typer"
            if not any(ch in "".join(args) for ch in "\udcff\x00"):
                assert taken == path, (argv, taken)
            code, out, err = _run(entry, args, monkeypatch, capsys)
            results[name] = (code, out.replace(str(dbs[name]), "{db}"), err.replace(str(dbs[name]), "{db}"))
        assert results["fast"] == results["typer"], argv
        assert "Traceback" not in results["fast"][2], argv
        assert ESC not in results["fast"][1] + results["fast"][2], argv
    assert _dump(dbs["fast"]) == _dump(dbs["typer"])


def test_the_steps_really_ran(cli, tmp_path, monkeypatch, capsys):
    """The comparison above is not empty: on the fast path the steps print what a person expects."""
    _ledger(cli, tmp_path)
    monkeypatch.setenv("VAKIT_NOW", NOW)
    seen = [_run(fast.run, argv, monkeypatch, capsys) for argv, path in STEPS if path == "fast" and "{db}" not in
            "".join(argv)]
    assert seen[0] == (0, "No timer is running.\nToday (Europe/London): 0:00\n", "")
    assert seen[1][0] == 0 and seen[1][1] == ("Started #1 Acme  Tue 10 Nov 2026 14:00 GMT (UTC+00:00) – running "
                                              "Inbox triage [email]\n")
    assert seen[3][0] != 0 and seen[3][1] == "" and len(seen[3][2].splitlines()) == 1
    assert seen[4][1] == ("Stopped #1 Acme  Tue 10 Nov 2026 14:00 – 14:20 GMT (UTC+00:00) (0:20) Inbox triage "
                          "[email]\nStarted #2 Birch  Tue 10 Nov 2026 14:20 GMT (UTC+00:00) – running -5 minutes "
                          "notes [calls]\n")
    assert seen[13] == (1, "", "vakit: description contains a control character (U+001B)\n")
    assert seen[14] == (0, "Started #5 Acme  Tue 10 Nov 2026 14:50 GMT (UTC+00:00) – running [red]red[/] [bold]x "
                           ":smile: [tag]\n", "")
    assert seen[17] == (1, "", "vakit: the client name is empty (name a client, or leave --client out for your own "
                               "time)\n")


@pytest.mark.parametrize("argv", [["log", "start", "--client"], ["--db"], ["--db", "log"], ["log", "add", "-t"]])
def test_incomplete_command_lines_go_to_typer(argv):
    assert fast.fast_command(argv) is None


def test_console_script_exit_codes_and_output(cli, tmp_path):
    """The real entry point, in its own process: a timer command leaves through ``leave()`` (no interpreter
    teardown) with its output flushed and its exit code, and its change is in the ledger afterwards."""
    import os
    import subprocess
    import sys

    db = _ledger(cli, tmp_path)
    env = {**os.environ, "VAKIT_DB": str(db), "VAKIT_NOW": NOW}

    def vakit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "vakit", *args], env=env, capture_output=True, text=True,
                              timeout=60)

    started = vakit("log", "start", "--client", "Acme", "--at", "14:00", "Inbox")
    assert (started.returncode, started.stdout, started.stderr) == (
        0, "Started #1 Acme  Tue 10 Nov 2026 14:00 GMT (UTC+00:00) – running Inbox\n", "")
    refused = vakit("log", "add", "--client", "Nobody", "--from", "09:00", "--to", "10:00")
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1, "", "vakit: no client named 'Nobody' (see 'vakit client list')\n")
    status = vakit("log", "status", "--json")
    assert status.returncode == 0 and '"id": 1,' in status.stdout and status.stdout.endswith("}\n")
    usage = vakit("log", "stop", "--at")  # left to Typer: its usage error and exit code 2
    assert (usage.returncode, usage.stderr) == (
        2, "vakit: log stop: option '--at' requires an argument (see vakit log stop --help)\n")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT id, start_utc, end_utc FROM time_entries").fetchall() == [(1, 1794319200, None)]
    conn.close()


def test_output_that_cannot_be_encoded_is_escaped_not_an_error(cli, tmp_path):
    """A stream that cannot encode a character (PYTHONIOENCODING=ascii) gets an escape: the command that
    stored the entry does not then fail with an internal error, and JSON stays exact (\\u escapes)."""
    import json
    import os
    import subprocess
    import sys

    db = _ledger(cli, tmp_path)
    env = {**os.environ, "VAKIT_DB": str(db), "VAKIT_NOW": NOW, "PYTHONIOENCODING": "ascii"}
    added = subprocess.run([sys.executable, "-m", "vakit", "log", "add", "-c", "Acme", "--from", "09:00", "--to",
                            "10:00", "Café"], env=env, capture_output=True, timeout=60)
    assert added.returncode == 0, added.stderr
    assert added.stdout == b"Added #1 Acme  Tue 10 Nov 2026 09:00 \\u2013 10:00 GMT (UTC+00:00) (1:00) Caf\\xe9\n"
    listed = subprocess.run([sys.executable, "-m", "vakit", "log", "list", "--json"], env=env, capture_output=True,
                            timeout=60)
    assert listed.returncode == 0 and json.loads(listed.stdout)["data"][0]["description"] == "Café"
    table = subprocess.run([sys.executable, "-m", "vakit", "log", "list"], env=env, capture_output=True, timeout=60)
    assert table.returncode == 0 and b"Caf\\xe9" in table.stdout and table.stdout.isascii()


def test_ctrl_c_says_one_line_on_either_path(capsys):
    from vakit.cli.plain import run_command

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(SystemExit) as exc:
        run_command(interrupted)
    assert exc.value.code == 130 and capsys.readouterr().err == "vakit: interrupted\n"


@pytest.mark.parametrize("guard_due", [False, True])
def test_ctrl_c_stops_a_wait_for_another_writer(cli, tmp_path, guard_due):
    """Another program holds SQLite's write lock: Ctrl-C stops vakit's wait at once (exit 130, one line),
    not after the 30 s busy timeout, and nothing is written; also when the wait is the daily guard's, which
    records its run in a transaction of its own (its last run set to an earlier day)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    db = _ledger(cli, tmp_path)
    holder = sqlite3.connect(db, isolation_level=None)
    if guard_due:
        holder.execute("UPDATE meta SET value = '2000-01-01' WHERE key = 'last_guard'")
    holder.execute("BEGIN IMMEDIATE")
    try:
        env = {**os.environ, "VAKIT_DB": str(db), "VAKIT_NOW": NOW}
        proc = subprocess.Popen([sys.executable, "-m", "vakit", "log", "add", "-c", "Acme", "--from", "09:00", "--to",
                                 "10:00"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                # Ctrl-C as at a terminal, also when the suite runs as a background job
                                # (which starts with SIGINT ignored, and children inherit that)
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        time.sleep(1.5)
        assert proc.poll() is None  # waiting for the lock
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = proc.communicate(timeout=20)
        assert time.monotonic() - sent < 2 and proc.returncode == 130 and err == "vakit: interrupted\n" and out == ""
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM time_entries").fetchone() == (0,)
    conn.close()
