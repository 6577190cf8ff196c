"""Output that goes to a pipe or a file keeps every character (issue 10): without a terminal and without
``COLUMNS``, tables print their rows at full length, never cut to 80 columns, so ``vakit invoice list | grep``
finds every row. A terminal (or ``COLUMNS``) keeps its width and wraps."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

NOW = "2026-12-01T09:00:00+01:00"
LONG = "Northwind Analytics and Research Cooperative of the Greater Wellington Region, Accounts Payable Department"
TASK = "Inbox triage for the quarterly board pack, including the investor letter drafts and the audit follow-ups"


@pytest.fixture
def piped(cli, monkeypatch):
    monkeypatch.delenv("COLUMNS")  # as in `vakit … | cat`: no terminal, no COLUMNS
    cli.now = NOW
    cli("init", "--name", "Ana VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_IE",
        "--number-pattern", "INVOICE-FOR-NORTHWIND-ANALYTICS-{year}-{seq:05}")
    cli("client", "add", LONG, "--email", "accounts.payable@northwind-analytics-cooperative.example")
    cli("contract", "add", "--client", "Northwind", "--rate", "50", "--from", "2026-11-01")
    cli("log", "add", "--client", "Northwind", "--date", "2026-11-03", "--from", "09:00", "--to", "13:00", TASK)
    cli("invoice", "create", "--client", "Northwind", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    return cli


def _row(out: str, *parts: str) -> str:
    """The one line of ``out`` holding every part."""
    lines = [ln for ln in out.splitlines() if all(p in ln for p in parts)]
    assert len(lines) == 1, out
    return lines[0]


def test_piped_lists_keep_every_character_of_every_row(piped, cli):
    _row(cli("client", "list").stdout, LONG, "accounts.payable@northwind-analytics-cooperative.example")
    _row(cli("invoice", "list").stdout, "INVOICE-FOR-NORTHWIND-ANALYTICS-2026-00001", LONG, "EUR 200.00")
    _row(cli("log", "list", "--month", "2026-11").stdout, LONG, TASK, "4:00")


def test_a_real_pipe_gets_full_rows_and_a_terminal_width_still_wraps(piped, cli, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    out = subprocess.run([sys.executable, "-m", "vakit", "invoice", "list"], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert len(_row(out, "INVOICE-FOR-NORTHWIND-ANALYTICS-2026-00001", LONG)) > 200
    narrow = subprocess.run([sys.executable, "-m", "vakit", "invoice", "list"], env={**env, "COLUMNS": "80"},
                            capture_output=True, text=True, check=True).stdout
    assert max(len(ln) for ln in narrow.splitlines()) <= 80 and LONG not in narrow
