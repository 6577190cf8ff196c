"""Migration 6: working hours, unavailable blocks and booking rules (``vakit schedule hours / block / rules``,
issue 8).

- ``working_hours``: one row per range of a weekday; ``client_id`` NULL for the VA's own hours, else the
  client's (deleted with the client). ``weekday`` 0 = Monday; ``start_min`` / ``end_min`` are wall-clock minutes
  after local midnight (``end_min`` 1440 = 24:00) in ``tz``, the zone they were typed in (the owner's zone
  unless ``--tz`` said otherwise). A range never crosses midnight; an owner with no rows has no limits.
- ``schedule_blocks``: times the VA is not available, ``[start_utc, end_utc)`` with the zone they were typed in;
  ``all_day`` for whole local days off (``--date``); ``reason`` free text.
- ``booking_rules``: one row (id 1) of the VA's rules; no row, or a NULL / 0, is no rule. Buffers and the
  minimum notice in seconds; ``max_per_day`` appointments and ``max_seconds_per_day`` booked per local day of
  the VA's home zone.
"""

from __future__ import annotations

from sqlite_utils import Database


def m006_availability(db: Database) -> None:
    """See the module docstring."""
    run = db.conn.execute
    run("""CREATE TABLE working_hours (
            id INTEGER PRIMARY KEY,
            client_id INTEGER REFERENCES clients(id) ON DELETE CASCADE,
            weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
            start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
            end_min INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
            tz TEXT NOT NULL,
            CHECK (end_min > start_min))""")
    run("CREATE INDEX working_hours_owner ON working_hours(client_id, weekday)")
    run("""CREATE TABLE schedule_blocks (
            id INTEGER PRIMARY KEY,
            start_utc INTEGER NOT NULL,
            end_utc INTEGER NOT NULL,
            tz TEXT NOT NULL,
            all_day INTEGER NOT NULL DEFAULT 0,
            reason TEXT NOT NULL DEFAULT '',
            created_utc INTEGER NOT NULL,
            CHECK (end_utc > start_utc))""")
    run("CREATE INDEX schedule_blocks_start ON schedule_blocks(start_utc)")
    run("""CREATE TABLE booking_rules (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            buffer_before INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before >= 0),
            buffer_after INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after >= 0),
            min_notice INTEGER NOT NULL DEFAULT 0 CHECK (min_notice >= 0),
            max_per_day INTEGER CHECK (max_per_day > 0),
            max_seconds_per_day INTEGER CHECK (max_seconds_per_day > 0))""")
