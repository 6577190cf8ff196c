"""Migration 13: the VA's country on the profile (issue 10).

``profile.country``: an ISO 3166 two-letter code (``IN``, ``DE``), ``''`` when not given. Invoices print it in
their "From" block, and an e-invoice names it as the seller's country when the VA has no VAT number to read it
from (a VA not registered for VAT, category O).
"""

from __future__ import annotations

from sqlite_utils import Database


def m013_profile_country(db: Database) -> None:
    """See the module docstring."""
    db.conn.execute("ALTER TABLE profile ADD COLUMN country TEXT NOT NULL DEFAULT ''")
