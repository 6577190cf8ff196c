"""Test isolation: every test gets its own VAKIT_HOME, no colour and a pinned width."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vakit.cli.app import get_app
from vakit.cli.common import STATE
from vakit.core.clock import FixedClock
from vakit.services.context import Context
from vakit.services.demo import DEMO_NOW, run_demo
from vakit.store.db import open_ledger

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TOGGL_CSV = SHARED / "data" / "month" / "toggl-detailed-2026-10.csv"
PACKAGED_CSV = Path(__file__).resolve().parents[1] / "src" / "vakit" / "data" / "toggl-detailed-2026-10.csv"


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    monkeypatch.setenv("VAKIT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("VAKIT_DB", raising=False)
    monkeypatch.delenv("VAKIT_NOW", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    STATE.db = None
    STATE.debug = False
    yield


@pytest.fixture
def csv_path() -> Path:
    """The October 2026 Toggl export (shared data when present, else the packaged copy)."""
    return TOGGL_CSV if TOGGL_CSV.exists() else PACKAGED_CSV


class Cli:
    """Runs vakit commands in-process with a fixed clock (``VAKIT_NOW``)."""

    def __init__(self) -> None:
        self.runner = CliRunner()
        self.now: str | None = None

    def __call__(self, *args: str, now: str | None = None, ok: bool = True):
        env = {"VAKIT_NOW": now or self.now} if (now or self.now) else {}
        result = self.runner.invoke(get_app(), list(args), env=env, catch_exceptions=False)
        if ok and result.exit_code != 0:
            raise AssertionError(f"vakit {' '.join(args)} failed ({result.exit_code}): {result.output}")
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


def make_ctx(tmp_path: Path, now: datetime) -> Context:
    """A migrated ledger in ``tmp_path`` with a fixed clock."""
    return Context(open_ledger(tmp_path / "ledger.sqlite3"), FixedClock(now))


@pytest.fixture
def london(cli) -> Cli:
    """A ledger whose VA lives in London, with clients Acme and Birch on hourly contracts."""
    cli("init", "--name", "Test VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB",
        now="2025-01-01T09:00:00+00:00")
    for name in ("Acme", "Birch"):
        cli("client", "add", name, "--tz", "Europe/London", now="2025-01-01T09:00:00+00:00")
        cli("contract", "add", "--client", name, "--rate", "40.00", now="2025-01-01T09:00:00+00:00")
    return cli


def entries(cli: Cli) -> list[dict]:
    """All entries via ``log list --json`` over a wide range."""
    import json

    out = cli("log", "list", "--from", "2000-01-01", "--to", "2099-12-31", "--json")
    return json.loads(out.stdout)["data"]


# derived font instances are cached across the whole run (never the user's cache dir)
os.environ.setdefault("VAKIT_CACHE_DIR", str(Path(tempfile.gettempdir()) / "vakit-test-cache"))


@pytest.fixture(scope="session")
def month(tmp_path_factory):
    """The demo month built once in a temp ledger: (ledger path, out dir, DemoResult)."""
    base = tmp_path_factory.mktemp("month")
    ctx = make_ctx(base, DEMO_NOW)
    result = run_demo(ctx, base / "out")
    ctx.ledger.close()
    return base / "ledger.sqlite3", base / "out", result
