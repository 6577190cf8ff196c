"""The schema version this vakit writes; the migrations themselves live in :mod:`vakit.store.migrations`.

``PRAGMA user_version`` mirrors the number of applied migrations, so opening an
up-to-date ledger needs no sqlite-utils import (the hot path of ``vakit log``).
"""

SCHEMA_VERSION = 2
