"""The layering rules of design.md §3, checked on the real code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_services_import_no_cli_libraries():
    code = ("import sys, vakit.services.billing, vakit.services.scheduling, vakit.services.timesheet, "
            "vakit.services.importers.toggl, vakit.services.demo, vakit.exporters.ics, vakit.exporters.pdf\n"
            "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_hot_path_does_not_load_pdf_or_calendar_libraries():
    code = ("import sys\nsys.argv = ['vakit', 'log', '--help']\nimport vakit.cli.app as a\na.register('log')\n"
            "print(sorted(m for m in ('fpdf', 'icalendar', 'sqlite_utils', 'babel', 'fontTools') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_ruff_passes():
    ruff = shutil.which("ruff") or (Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (it comes with the [test] extra)")
    res = subprocess.run([str(ruff), "check", "src", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout
