"""The global options ``--quiet`` and ``--no-color``, on the Typer app and on the timer commands' fast path."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

NOW = "2026-11-10T10:00:00+05:30"


def _vakit(env, *args):
    return subprocess.run([sys.executable, "-m", "vakit", *args], env=env, capture_output=True, text=True)


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAKIT_") and k != "NO_COLOR"}
    env.update(VAKIT_HOME=str(tmp_path / "home"), VAKIT_NOW=NOW, **extra)
    return env


def test_quiet_prints_only_data_asked_for(tmp_path):
    env = _env(tmp_path)
    assert _vakit(env, "-q", "init", "--name", "Asha", "--tz", "Asia/Kolkata", "--currency", "INR").stdout == ""
    assert _vakit(env, "--quiet", "client", "add", "Acme").stdout == ""
    started = _vakit(env, "-q", "log", "start", "--client", "Acme", "--at", "09:00", "Inbox")  # the fast path
    assert (started.returncode, started.stdout, started.stderr) == (0, "", "")
    stopped = _vakit(env, "--quiet", "log", "stop", "--at", "09:30")
    assert (stopped.returncode, stopped.stdout) == (0, "")
    listed = json.loads(_vakit(env, "-q", "log", "list", "--json").stdout)["data"]
    assert [(e["client"], e["seconds"]) for e in listed] == [("Acme", 1800)]
    refused = _vakit(env, "-q", "log", "stop")
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1, "", "vakit: no timer is running (start one with 'vakit log start')\n")


def _on_terminal(env, *args) -> bytes:
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "vakit", *args], stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    os.close(master)
    return out


def test_no_color_turns_off_colour_and_bold_on_a_terminal(tmp_path):
    env = _env(tmp_path, TERM="xterm-256color", COLUMNS="120")
    _vakit(env, "init", "--name", "Asha", "--tz", "Asia/Kolkata", "--currency", "INR")
    coloured = _on_terminal(env, "status")
    assert b"\x1b[1mTimer" in coloured  # the home screen's labels are bold on a terminal
    plain = _on_terminal(env, "--no-color", "status")
    assert b"\x1b[" not in plain and b"Timer" in plain
    assert b"\x1b[" not in _on_terminal({**env, "NO_COLOR": "1"}, "status")


def test_quiet_silences_confirmations_not_what_a_command_shows(tmp_path):
    """--quiet is for scripts that change things; a list, a show or the timer's status still print (a new user
    took an empty `vakit -q log list` for an empty ledger)."""
    env = _env(tmp_path)
    _vakit(env, "init", "--name", "Asha", "--tz", "UTC", "--currency", "USD")
    assert _vakit(env, "-q", "log", "add", "--from", "01:00", "--to", "02:00", "Inbox").stdout == ""
    listed = _vakit(env, "log", "list").stdout
    assert "Inbox" in listed and _vakit(env, "-q", "log", "list").stdout == listed
    assert _vakit(env, "-q", "profile", "show").stdout == _vakit(env, "profile", "show").stdout
    assert _vakit(env, "-q", "log", "status").stdout == "No timer is running.\nToday (UTC): 1:00\n"  # the fast path


def test_an_empty_db_option_is_refused_not_ignored(tmp_path):
    env = _env(tmp_path)
    for args in (("--db", "", "status"), ("--db", "", "log", "status")):  # the Typer app and the fast path
        res = _vakit(env, *args)
        assert (res.returncode, res.stdout, res.stderr) == (
            1, "", "vakit: --db is empty (give the ledger file, or leave --db out)\n"), args
