"""Shell completion: Typer's entry point (``_VAKIT_COMPLETE``) completes client names and invoice numbers from the
ledger, and the bash script ``vakit --show-completion bash`` prints does so inside a real bash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NOW = "2026-11-02T09:00:00+05:30"
BIN = Path(sys.executable).parent


@pytest.fixture
def ledger(cli, tmp_path):
    cli.now = NOW
    cli("init", "--name", "Asha", "--tz", "Asia/Kolkata", "--currency", "INR")
    for name in ("Northwind Analytics", "Harbour & Finch Ltd", "Kiwi Design Co.", "Nord Stream Tours",
                 "Tick `id` Co; rm x"):
        cli("client", "add", name)
    cli("client", "archive", "Nord Stream Tours")
    cli("contract", "add", "--client", "Northwind Analytics", "--rate", "25.00", "--from", "2026-10-01")
    cli("log", "add", "--client", "Northwind", "--from", "2026-10-05 10:00", "--to", "2026-10-05 12:00", "Inbox")
    cli("invoice", "create", "--client", "Northwind", "--month", "2026-10")
    cli("invoice", "issue", "#1")
    cli("log", "add", "--client", "Northwind", "--from", "2026-11-02 07:00", "--to", "2026-11-02 08:00", "Inbox")
    cli("invoice", "create", "--client", "Northwind", "--month", "2026-11")
    return tmp_path / "home" / "ledger.sqlite3"


def _complete(ledger, words: str, shell: str = "bash") -> list[str]:
    env = {**os.environ, "VAKIT_DB": str(ledger), "_VAKIT_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
    res = subprocess.run([str(BIN / "vakit")], env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    return [line for line in res.stdout.splitlines() if line]


def test_client_names_complete_from_the_ledger_in_bash(ledger):
    # bash inserts a completion as given: each is one literal shell word
    assert _complete(ledger, "vakit log start --client Nor") == ["'Northwind Analytics'"]  # archived: not offered
    assert _complete(ledger, "vakit log start --client h") == ["'Harbour & Finch Ltd'"]
    assert _complete(ledger, "vakit invoice create --client ") == [
        "'Harbour & Finch Ltd'", "'Kiwi Design Co.'", "'Northwind Analytics'", "'Tick `id` Co; rm x'"]
    assert _complete(ledger, "vakit client show design") == ["'Kiwi Design Co.'"]  # a word of the name
    assert _complete(ledger, "vakit client unarchive N") == ["'Nord Stream Tours'"]
    assert _complete(ledger, "vakit client add N") == []  # a new name: nothing to offer


def test_invoice_numbers_and_drafts_complete(ledger):
    assert _complete(ledger, "vakit invoice pdf INV") == ["INV-2026-0001"]
    assert _complete(ledger, "vakit invoice issue ") == ["'#2'"]  # quoted: a bare # starts a comment


def test_a_damaged_config_file_completes_nothing_and_says_nothing(ledger, tmp_path, monkeypatch):
    monkeypatch.setenv("VAKIT_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("terms = 30\nterms = 31\n", encoding="utf-8")
    env = {**os.environ, "_VAKIT_COMPLETE": "complete_bash", "COMP_WORDS": "vakit log start --client ",
           "COMP_CWORD": "4"}
    res = subprocess.run([str(BIN / "vakit")], env=env, capture_output=True, text=True, timeout=60)
    assert (res.returncode, res.stdout.strip(), res.stderr) == (0, "", "")


def test_zsh_gets_the_names_unescaped(ledger):
    assert _complete(ledger, "vakit log start --client h", shell="zsh") == [
        """_arguments '*: :(("Harbour & Finch Ltd"))'"""]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_completion_script_completes_a_client_name_in_bash(ledger):
    script = subprocess.run([str(BIN / "vakit"), "--show-completion", "bash"], capture_output=True, text=True,
                            check=True, env={**os.environ, "VAKIT_DB": str(ledger)}).stdout
    probe = (script + '\nCOMP_WORDS=(vakit log start --client Nor); COMP_CWORD=4\n'
             '_vakit_completion vakit\nprintf "%s\\n" "${COMPREPLY[@]}"\n')
    env = {**os.environ, "VAKIT_DB": str(ledger), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.stdout == "'Northwind Analytics'\n", out.stderr
