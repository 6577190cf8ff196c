"""Where the ledger and the config file live: the ledger by ``--db``, then ``VAKIT_DB``, then the ``ledger``
setting of ``config.toml``, then ``VAKIT_HOME``, then platformdirs; the config file by ``VAKIT_CONFIG``, then
``VAKIT_HOME``, then platformdirs.

Cheap on purpose (the timer commands' fast path runs it): the config file is read only when neither ``--db`` nor
``VAKIT_DB`` decides, and only when it exists (one ``stat``); TOML and the settings are imported only then."""

from __future__ import annotations

import os
from pathlib import Path

LEDGER_NAME = "ledger.sqlite3"
CONFIG_NAME = "config.toml"


def config_path() -> Path:
    """The config file: ``$VAKIT_CONFIG``, else ``$VAKIT_HOME/config.toml``, else
    ``platformdirs.user_config_path("vakit")/config.toml``. It need not exist."""
    if os.environ.get("VAKIT_CONFIG"):
        return Path(os.environ["VAKIT_CONFIG"]).expanduser()
    if os.environ.get("VAKIT_HOME"):
        return Path(os.environ["VAKIT_HOME"]).expanduser() / CONFIG_NAME
    import platformdirs

    return platformdirs.user_config_path("vakit") / CONFIG_NAME


def default_ledger_path() -> Path:
    """The built-in ledger path: ``$VAKIT_HOME/ledger.sqlite3``, else
    ``platformdirs.user_data_path("vakit")/ledger.sqlite3``."""
    if os.environ.get("VAKIT_HOME"):
        return Path(os.environ["VAKIT_HOME"]).expanduser() / LEDGER_NAME
    import platformdirs

    return platformdirs.user_data_path("vakit") / LEDGER_NAME


def resolve_ledger_path(flag: str | Path | None = None) -> Path:
    """The ledger file path, by precedence: the ``--db`` flag, ``$VAKIT_DB``, the ``ledger`` setting of the
    config file (:mod:`vakit.store.config_file`), then :func:`default_ledger_path`. Raises
    :class:`~vakit.store.config_file.ConfigDamaged` when the config file must be read and cannot be."""
    if flag is not None and not str(flag).strip():
        from vakit.core.errors import InvalidValue

        raise InvalidValue("--db is empty", "give the ledger file, or leave --db out")
    if flag:
        return Path(flag).expanduser()
    if os.environ.get("VAKIT_DB"):
        return Path(os.environ["VAKIT_DB"]).expanduser()
    config = config_path()
    if os.path.lexists(config):
        from vakit.store.config_file import resolve

        return resolve("ledger").value
    return default_ledger_path()
