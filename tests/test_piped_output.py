"""Output that goes to a pipe or a file keeps every character (issue 10): without a terminal and without
``COLUMNS``, tables print their rows at full length, never cut to 80 columns, so ``vakit invoice list | grep``
finds every row. A terminal (or ``COLUMNS``) keeps its width and wraps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


@pytest.fixture
def issued(london):
    """Acme's January 2025 invoice, issued: INV-2025-0001, 2 h at £40.00."""
    london.now = "2025-02-03T09:00:00+00:00"
    london("log", "add", "--client", "Acme", "--from", "2025-01-06 09:00", "--to", "2025-01-06 11:00", "Inbox")
    london("invoice", "create", "--client", "Acme", "--month", "2025-01")
    london("invoice", "issue", "#1")
    return london


def test_dash_o_dash_writes_the_pdf_to_standard_output(issued, tmp_path):
    piped = issued("invoice", "pdf", "INV-2025-0001", "-o", "-")
    issued("invoice", "pdf", "INV-2025-0001", "-o", str(tmp_path / "inv.pdf"))
    assert piped.stdout_bytes == (tmp_path / "inv.pdf").read_bytes() and piped.stdout_bytes.startswith(b"%PDF-1.7")
    assert not (tmp_path / "-").exists() and not Path("-").exists()
    statement = issued("invoice", "statement", "--client", "Acme", "-o", "-")
    issued("invoice", "statement", "--client", "Acme", "-o", str(tmp_path / "st.pdf"))
    assert statement.stdout_bytes == (tmp_path / "st.pdf").read_bytes()


def test_a_credit_note_to_standard_output_says_what_it_did_on_stderr(issued):
    res = issued("invoice", "credit", "INV-2025-0001", "--amount", "10.00", "-o", "-")
    assert res.stdout_bytes.startswith(b"%PDF-1.7") and res.stdout_bytes.rstrip().endswith(b"%%EOF")
    assert res.stderr == ("Issued credit note CN-2025-0001 against INV-2025-0001: GBP 10.00; INV-2025-0001 now has a "
                          "balance of GBP 70.00 (issued)\n")


def test_dash_o_dash_is_refused_where_several_files_are_written(issued):
    res = issued("invoice", "run", "--month", "2025-01", "-o", "-", ok=False)
    assert (res.exit_code, res.stdout, res.stderr) == (
        1, "", "vakit: -o - cannot take one PDF per invoice (give a folder, e.g. -o invoices/)\n")


def test_a_credit_note_whose_pdf_cannot_be_written_says_it_was_issued(issued, tmp_path):
    with open("/dev/full", "wb") as full:
        res = subprocess.run([sys.executable, "-m", "vakit", "invoice", "credit", "INV-2025-0001", "--amount", "10.00",
                              "-o", "-"], stdout=full, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "VAKIT_NOW": issued.now})
    assert (res.returncode, res.stderr) == (1, "vakit: credit note CN-2025-0001 was issued, but its PDF could not "
                                               "be written (No space left on device) (write it with: vakit invoice "
                                               "pdf CN-2025-0001 -o FILE; do not credit again)\n")
    refused = issued("invoice", "credit", "INV-2025-0001", "--amount", "10.00", "-o", "-", "--json", ok=False)
    assert (refused.exit_code, refused.stderr) == (1, "vakit: --json and -o - both write to standard output "
                                                      "(choose one: the JSON or the PDF)\n")
    assert "CN-2025-0002" not in issued("invoice", "list").stdout
