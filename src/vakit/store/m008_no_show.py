"""Migration 8: whether a contract bills a no-show (``vakit schedule no-show``, issue 8).

- ``contracts.no_show``: ``none`` (a no-show is recorded, not billed; the default, and what every contract
  made before this migration does), ``booked`` (bill the appointment's booked length) or ``fixed`` (bill
  ``no_show_seconds``, a flat charge as time, whatever the booked length). ``no_show_seconds`` is set for
  ``fixed`` only.
- ``appointments.outcome_note``: what ``schedule no-show --note`` said about it (``''``: nothing).
- ``log_change_rows.tbl`` may name ``appointments`` too: ``schedule done`` and ``no-show`` record the
  appointment row whose outcome they set in the same change as the entry they make, so ``vakit log undo`` puts
  both back. SQLite cannot change a CHECK in place, so the table is copied into its new shape.
- Appointments recorded by ``schedule done`` before schema 7 gave them an ``outcome`` (their entry has the
  source key ``appointment:<UID>``) get ``outcome = 'done'`` and the entry's id, so a second ``done`` or a
  ``no-show`` of them is refused like that of any other.
"""

from __future__ import annotations

from sqlite_utils import Database


def m008_no_show(db: Database) -> None:
    """See the module docstring."""
    run = db.conn.execute
    run("ALTER TABLE contracts ADD COLUMN no_show TEXT NOT NULL DEFAULT 'none'"
        " CHECK (no_show IN ('none', 'booked', 'fixed'))")
    run("ALTER TABLE contracts ADD COLUMN no_show_seconds INTEGER"
        " CHECK ((no_show = 'fixed') = (no_show_seconds IS NOT NULL) AND coalesce(no_show_seconds, 1) > 0)")
    run("ALTER TABLE appointments ADD COLUMN outcome_note TEXT NOT NULL DEFAULT ''")
    run("""CREATE TABLE log_change_rows_v8 (
            change_id INTEGER NOT NULL REFERENCES log_changes(id),
            seq INTEGER NOT NULL,
            tbl TEXT NOT NULL CHECK (tbl IN ('time_entries', 'clients', 'appointments')),
            row_id INTEGER NOT NULL,
            before TEXT,
            after TEXT,
            PRIMARY KEY (change_id, seq))""")
    run("INSERT INTO log_change_rows_v8 (change_id, seq, tbl, row_id, before, after)"
        " SELECT change_id, seq, tbl, row_id, before, after FROM log_change_rows")
    run("DROP TABLE log_change_rows")
    run("ALTER TABLE log_change_rows_v8 RENAME TO log_change_rows")
    run("UPDATE appointments SET outcome = 'done', outcome_entry_id = (SELECT e.id FROM time_entries e"
        " WHERE e.source_key = 'appointment:' || appointments.uid) WHERE outcome IS NULL AND EXISTS"
        " (SELECT 1 FROM time_entries e WHERE e.source_key = 'appointment:' || appointments.uid)")
