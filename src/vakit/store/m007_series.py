"""Migration 7: recurring appointments and appointment outcomes (``vakit schedule book --repeat``,
``schedule done`` / ``no-show``, issue 8).

- ``appointment_series``: one row per recurring series, the RRULE's parts (RFC 5545 §3.3.10): ``freq`` WEEKLY or
  MONTHLY, ``interval`` (2 for every other week), and its end, ``count`` occurrences or ``until_utc`` (the last
  occurrence's start, epoch seconds UTC; never both). ``dtstart_local`` is the first occurrence's wall time
  (``YYYY-MM-DDTHH:MM:SS``) in ``tz``, the zone the series is expanded in, so the wall time holds across DST;
  ``duration`` seconds. ``uid`` is the series' iCalendar UID; ``sequence`` its master's SEQUENCE; ``status``
  CANCELLED when the whole series is. Title, location and description are the master's.
- ``appointments`` gain ``series_id`` and ``recurrence_utc`` (the occurrence's original start, its
  RECURRENCE-ID, epoch seconds UTC), unique together: every occurrence of a series is stored as its own row,
  so listing, clash checks, rules, reminders and outcomes treat it as an appointment. A row whose start, end,
  zone or status differ from what the rule gives is an override (a moved or cancelled occurrence).
- ``appointments.outcome``: NULL (not recorded), ``done`` or ``no-show``; ``outcome_entry_id`` the time entry
  it made, if any.
"""

from __future__ import annotations

from sqlite_utils import Database


def m007_series(db: Database) -> None:
    """See the module docstring."""
    run = db.conn.execute
    run("""CREATE TABLE appointment_series (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            title TEXT NOT NULL,
            location TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            freq TEXT NOT NULL CHECK (freq IN ('WEEKLY', 'MONTHLY')),
            interval INTEGER NOT NULL DEFAULT 1 CHECK (interval BETWEEN 1 AND 12),
            count INTEGER CHECK (count > 0),
            until_utc INTEGER,
            dtstart_local TEXT NOT NULL,
            tz TEXT NOT NULL,
            duration INTEGER NOT NULL CHECK (duration > 0),
            status TEXT NOT NULL DEFAULT 'CONFIRMED' CHECK (status IN ('CONFIRMED', 'CANCELLED')),
            sequence INTEGER NOT NULL DEFAULT 0,
            created_utc INTEGER NOT NULL,
            modified_utc INTEGER NOT NULL,
            CHECK ((count IS NULL) <> (until_utc IS NULL)))""")
    run("ALTER TABLE appointments ADD COLUMN series_id INTEGER REFERENCES appointment_series(id)")
    run("ALTER TABLE appointments ADD COLUMN recurrence_utc INTEGER")
    run("ALTER TABLE appointments ADD COLUMN outcome TEXT CHECK (outcome IN ('done', 'no-show'))")
    run("ALTER TABLE appointments ADD COLUMN outcome_entry_id INTEGER")
    run("CREATE UNIQUE INDEX appointments_occurrence ON appointments(series_id, recurrence_utc)"
        " WHERE series_id IS NOT NULL")
