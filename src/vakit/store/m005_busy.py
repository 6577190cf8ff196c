"""Migration 5: busy times read from calendar files (``vakit schedule import``, issue 8).

``busy_times`` holds one row per occurrence of an imported event: the file it came from (``source``, the file
name), the event's ``uid`` and ``occurrence`` (its RECURRENCE-ID: ``YYYYMMDDTHHMMSSZ`` in UTC, ``YYYYMMDDTHHMMSS``
for floating time, ``YYYYMMDD`` for a date; empty for an event that does not repeat), unique together, so
importing the same file again updates rows instead of adding them. ``[start_utc, end_utc)`` is the busy
interval (equal ends: an event without a duration, which blocks nothing), ``tz`` the IANA zone it is shown in,
``all_day`` whether it came from DATE values (local dates in the VA's zone), ``status`` CONFIRMED, TENTATIVE or
CANCELLED (a cancelled one blocks nothing), ``sequence`` the event's SEQUENCE (a lower one never replaces a
higher one).
"""

from __future__ import annotations

from sqlite_utils import Database


def m005_busy_times(db: Database) -> None:
    """See the module docstring."""
    run = db.conn.execute
    run("""CREATE TABLE busy_times (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            uid TEXT NOT NULL,
            occurrence TEXT NOT NULL DEFAULT '',
            start_utc INTEGER NOT NULL,
            end_utc INTEGER NOT NULL,
            tz TEXT NOT NULL,
            all_day INTEGER NOT NULL DEFAULT 0,
            summary TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'CONFIRMED' CHECK (status IN ('CONFIRMED', 'TENTATIVE', 'CANCELLED')),
            sequence INTEGER NOT NULL DEFAULT 0,
            imported_utc INTEGER NOT NULL,
            CHECK (end_utc >= start_utc),
            UNIQUE (source, uid, occurrence))""")
    run("CREATE INDEX busy_times_start ON busy_times(start_utc)")
