"""The schema version this vakit writes; the migrations themselves live in :mod:`vakit.store.migrations`.

``PRAGMA user_version`` mirrors the number of applied migrations, so opening an
up-to-date ledger needs no sqlite-utils import (the hot path of ``vakit log``).
"""

SCHEMA_VERSION = 13


def schema_of(conn) -> int | None:
    """The schema version of the vakit ledger open on ``conn`` (an ``sqlite3.Connection``), or None when
    the database is not a vakit ledger (no ``_sqlite_migrations`` table: another program's, or empty).
    The one place that tells a vakit ledger from any other SQLite file. Raises ``sqlite3.Error``."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "_sqlite_migrations" not in tables:
        return None
    return conn.execute("PRAGMA user_version").fetchone()[0]
