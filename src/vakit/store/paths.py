"""Where the ledger lives: ``--db``, then ``VAKIT_DB``, then ``VAKIT_HOME``, then platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

LEDGER_NAME = "ledger.sqlite3"


def resolve_ledger_path(flag: str | Path | None = None) -> Path:
    """The ledger file path, by precedence: the ``--db`` flag, ``$VAKIT_DB``,
    ``$VAKIT_HOME/ledger.sqlite3``, then ``platformdirs.user_data_path("vakit")/ledger.sqlite3``."""
    if flag:
        return Path(flag).expanduser()
    if os.environ.get("VAKIT_DB"):
        return Path(os.environ["VAKIT_DB"]).expanduser()
    if os.environ.get("VAKIT_HOME"):
        return Path(os.environ["VAKIT_HOME"]).expanduser() / LEDGER_NAME
    import platformdirs

    return platformdirs.user_data_path("vakit") / LEDGER_NAME
