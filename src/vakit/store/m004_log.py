"""Migration 4: time entries whose ids are never reused, tags and sources in one shape, and the journal
that ``vakit log undo`` walks back (issue 7).

- ``time_entries`` is rebuilt with ``INTEGER PRIMARY KEY AUTOINCREMENT`` (SQLite hands out a rowid above
  every one ever used, https://sqlite.org/autoinc.html), keeping every row, index and trigger as it was;
  the counter starts at the highest id stored.
- ``source`` ``toggl`` becomes ``import:toggl`` (sources are ``timer``, ``manual``, ``import:<format>``).
- ``tags`` are rewritten in the one stored shape, ``"calls, email"`` (:mod:`vakit.core.tags`).
- ``log_changes`` / ``log_change_rows``: one change per ``log`` command (or whole import), with each touched
  row as JSON before and after, so an undo can put back exactly what was there.
"""

from __future__ import annotations

from sqlite_utils import Database

_ENTRY_COLUMNS = ("id", "client_id", "start_utc", "end_utc", "tz", "description", "project", "tags", "billable",
                  "source", "source_key", "invoice_id", "origin_start_utc", "created_utc", "overlap_ok", "long_ok")


def m004_time_tracking(db: Database) -> None:
    """See the module docstring."""
    from vakit.core.tags import join_tags, split_tags

    run = db.conn.execute
    kept = run("SELECT type, sql FROM sqlite_master WHERE tbl_name = 'time_entries' AND sql IS NOT NULL"
               " AND type IN ('index', 'trigger')").fetchall()
    run("""CREATE TABLE time_entries_v4 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            client_id INTEGER REFERENCES clients(id),
            start_utc INTEGER NOT NULL,
            end_utc INTEGER,
            tz TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            project TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '',
            billable INTEGER NOT NULL DEFAULT 1,
            source TEXT NOT NULL DEFAULT 'manual',
            source_key TEXT UNIQUE,
            invoice_id INTEGER REFERENCES invoices(id),
            origin_start_utc INTEGER,
            created_utc INTEGER NOT NULL,
            overlap_ok INTEGER NOT NULL DEFAULT 0,
            long_ok INTEGER NOT NULL DEFAULT 0,
            CHECK (end_utc IS NULL OR end_utc > start_utc))""")
    cols = ", ".join(_ENTRY_COLUMNS)
    run(f"INSERT INTO time_entries_v4 ({cols}) SELECT {cols} FROM time_entries")
    # reshaped before the triggers come back: billed entries are frozen by them
    run("UPDATE time_entries_v4 SET source = 'import:toggl' WHERE source = 'toggl'")
    for eid, tags in run("SELECT id, tags FROM time_entries_v4 WHERE tags <> ''").fetchall():
        shaped = join_tags(split_tags(tags))
        if shaped != tags:
            run("UPDATE time_entries_v4 SET tags = ? WHERE id = ?", (shaped, eid))
    run("DROP TABLE time_entries")
    run("ALTER TABLE time_entries_v4 RENAME TO time_entries")
    for _kind, sql in sorted(kept, key=lambda k: k[0] != "index"):  # indexes first, then triggers
        run(sql)
    top = run("SELECT max(id) FROM time_entries").fetchone()[0]
    if top is not None:
        run("INSERT INTO sqlite_sequence (name, seq) VALUES ('time_entries', ?)", (top,))
    run("""CREATE TABLE log_changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            command TEXT NOT NULL,
            summary TEXT NOT NULL,
            created_utc INTEGER NOT NULL,
            undone_utc INTEGER)""")
    run("""CREATE TABLE log_change_rows (
            change_id INTEGER NOT NULL REFERENCES log_changes(id),
            seq INTEGER NOT NULL,
            tbl TEXT NOT NULL CHECK (tbl IN ('time_entries', 'clients')),
            row_id INTEGER NOT NULL,
            before TEXT,
            after TEXT,
            PRIMARY KEY (change_id, seq))""")
    run("CREATE INDEX log_changes_open ON log_changes(undone_utc, id)")
    # the few entries longer than the maximum on purpose, for the overlap check (timesheet.overlapping)
    run("CREATE INDEX time_entries_long ON time_entries(start_utc) WHERE long_ok = 1")
