"""Schema migrations through ``sqlite_utils.Migrations("vakit")`` — append-only.

A migration is never edited after it has shipped; add a new one and raise
``SCHEMA_VERSION`` in :mod:`vakit.store.schema`. Before pending migrations run on a
ledger that already holds data, a backup is taken (:mod:`vakit.store.backups`); the
migrations then run in one ``BEGIN IMMEDIATE`` transaction that re-reads the schema
version, so two vakit processes opening an old ledger at once migrate it once
(design.md §4). Migrations after the first never use ``executescript`` (it commits).

Storage rules: instants are INTEGER epoch seconds UTC (``*_utc``) with the IANA
zone beside them; money is INTEGER minor units + TEXT ISO 4217 code; rates and
quantities that need more precision are TEXT decimals; durations INTEGER seconds;
dates TEXT ``YYYY-MM-DD``.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from sqlite_utils import Database, Migrations

from vakit.store.m004_log import m004_time_tracking
from vakit.store.m005_busy import m005_busy_times
from vakit.store.m006_availability import m006_availability
from vakit.store.m007_series import m007_series
from vakit.store.m008_no_show import m008_no_show
from vakit.store.m009_caldav import m009_caldav
from vakit.store.m010_lookups import m010_lookups
from vakit.store.m011_terms import m011_terms
from vakit.store.m012_expenses import m012_expenses
from vakit.store.m013_profile_country import m013_profile_country
from vakit.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:  # pragma: no cover
    from vakit.store.db import Ledger

migrations = Migrations("vakit")


@migrations()
def m001_initial(db: Database) -> None:
    """Profile, clients, contracts, time entries, appointments, invoices and their counters."""
    db.executescript(
        """
        CREATE TABLE profile (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            business_name TEXT NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            tax_ids TEXT NOT NULL DEFAULT '[]',
            home_tz TEXT NOT NULL,
            currency TEXT NOT NULL,
            locale TEXT NOT NULL,
            number_pattern TEXT NOT NULL,
            payment_details TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE clients (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            tz TEXT NOT NULL,
            currency TEXT NOT NULL,
            locale TEXT NOT NULL,
            tax_id TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            archived INTEGER NOT NULL DEFAULT 0,
            created_utc INTEGER NOT NULL
        );
        CREATE TABLE contracts (
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            kind TEXT NOT NULL CHECK (kind IN ('hourly', 'retainer')),
            currency TEXT NOT NULL,
            rate TEXT,
            monthly_fee_minor INTEGER,
            included_seconds INTEGER,
            overage_rate TEXT,
            rounding_increment INTEGER NOT NULL DEFAULT 0,
            rounding_direction TEXT NOT NULL DEFAULT 'up',
            rounding_scope TEXT NOT NULL DEFAULT 'entry',
            billing_tz TEXT NOT NULL,
            terms_days INTEGER NOT NULL,
            taxes TEXT NOT NULL DEFAULT '[]',
            legends TEXT NOT NULL DEFAULT '[]',
            description TEXT NOT NULL DEFAULT '',
            sac TEXT NOT NULL DEFAULT '',
            start_date TEXT NOT NULL,
            end_date TEXT,
            created_utc INTEGER NOT NULL
        );
        CREATE INDEX contracts_client ON contracts(client_id);
        CREATE TABLE invoices (
            id INTEGER PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ('draft', 'issued')),
            number TEXT UNIQUE,
            series TEXT,
            seq INTEGER,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            contract_id INTEGER NOT NULL REFERENCES contracts(id),
            currency TEXT NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            issue_date TEXT,
            due_date TEXT,
            subtotal_minor INTEGER NOT NULL,
            tax_minor INTEGER NOT NULL,
            total_minor INTEGER NOT NULL,
            document TEXT NOT NULL,
            pdf_sha256 TEXT,
            created_utc INTEGER NOT NULL,
            issued_utc INTEGER,
            UNIQUE (series, seq)
        );
        CREATE INDEX invoices_client ON invoices(client_id, period_start);
        CREATE TABLE invoice_counters (
            series TEXT PRIMARY KEY,
            last_seq INTEGER NOT NULL
        );
        CREATE TABLE time_entries (
            id INTEGER PRIMARY KEY,
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
            CHECK (end_utc IS NULL OR end_utc > start_utc)
        );
        CREATE INDEX time_entries_start ON time_entries(start_utc);
        CREATE INDEX time_entries_end ON time_entries(end_utc);
        CREATE INDEX time_entries_client ON time_entries(client_id, start_utc);
        CREATE INDEX time_entries_invoice ON time_entries(invoice_id);
        CREATE UNIQUE INDEX time_entries_one_running ON time_entries((end_utc IS NULL)) WHERE end_utc IS NULL;
        CREATE TABLE appointments (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            title TEXT NOT NULL,
            location TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            start_utc INTEGER NOT NULL,
            end_utc INTEGER NOT NULL,
            tz TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'CONFIRMED' CHECK (status IN ('CONFIRMED', 'CANCELLED')),
            sequence INTEGER NOT NULL DEFAULT 0,
            created_utc INTEGER NOT NULL,
            modified_utc INTEGER NOT NULL,
            CHECK (end_utc > start_utc)
        );
        CREATE INDEX appointments_start ON appointments(start_utc);
        CREATE TRIGGER issued_invoice_frozen BEFORE UPDATE ON invoices
            WHEN OLD.status = 'issued'
            BEGIN SELECT RAISE(ABORT, 'issued invoice is frozen'); END;
        CREATE TRIGGER billed_entry_frozen BEFORE UPDATE ON time_entries
            WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) = 'issued'
            BEGIN SELECT RAISE(ABORT, 'time entry is on an issued invoice'); END;
        CREATE TRIGGER billed_entry_kept BEFORE DELETE ON time_entries
            WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) = 'issued'
            BEGIN SELECT RAISE(ABORT, 'time entry is on an issued invoice'); END;
        CREATE TRIGGER issued_invoice_kept BEFORE DELETE ON invoices
            WHEN OLD.status = 'issued'
            BEGIN SELECT RAISE(ABORT, 'issued invoice is frozen'); END;
        """
    )



#: the maximum length of a time entry without --force when migration 2 ran (timesheet.MAX_ENTRY_SECONDS)
_V2_MAX_ENTRY = 16 * 3600
_INVOICE_COLUMNS = ("status", "number", "series", "seq", "client_id", "contract_id", "currency", "period_start",
                    "period_end", "issue_date", "due_date", "subtotal_minor", "tax_minor", "total_minor", "document",
                    "created_utc", "issued_utc")


@migrations()
def m002_reliability(db: Database) -> None:
    """Settings and maintenance dates (``meta``); client names unique whatever their case (``name_key``);
    overlaps and long entries that were allowed on purpose (``overlap_ok``, ``long_ok``); a seal over each
    issued invoice's stored figures (``content_sha256``), and a frozen-invoice trigger that lets the two
    hashes be filled in once."""
    from vakit.core.text import name_key
    from vakit.store.seals import invoice_seal

    run = db.conn.execute
    run("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    run("ALTER TABLE clients ADD COLUMN name_key TEXT NOT NULL DEFAULT ''")
    taken: set[str] = set()
    for cid, name in run("SELECT id, name FROM clients ORDER BY id").fetchall():
        key = name_key(name)
        if key in taken:  # 'Dup' and 'DUP' stored by an older vakit: keep both, the later one keyed by id
            key = f"{key}\x1f{cid}"
        taken.add(key)
        run("UPDATE clients SET name_key = ? WHERE id = ?", (key, cid))
    run("CREATE UNIQUE INDEX clients_name_key ON clients(name_key)")
    billed_trigger = run("SELECT sql FROM sqlite_master WHERE name = 'billed_entry_frozen'").fetchone()[0]
    run("DROP TRIGGER billed_entry_frozen")  # the flags below are set on billed entries too; restored after
    run("ALTER TABLE time_entries ADD COLUMN overlap_ok INTEGER NOT NULL DEFAULT 0")
    run("ALTER TABLE time_entries ADD COLUMN long_ok INTEGER NOT NULL DEFAULT 0")
    # what an older vakit stored was allowed on purpose (it refused anything else)
    run("UPDATE time_entries SET overlap_ok = 1 WHERE EXISTS (SELECT 1 FROM time_entries o"
        " WHERE o.id <> time_entries.id AND o.start_utc < coalesce(time_entries.end_utc, 1 << 62)"
        " AND coalesce(o.end_utc, 1 << 62) > time_entries.start_utc)")
    run("UPDATE time_entries SET long_ok = 1 WHERE end_utc - coalesce(origin_start_utc, start_utc) > ?",
        (_V2_MAX_ENTRY,))
    run(billed_trigger)
    run("ALTER TABLE invoices ADD COLUMN content_sha256 TEXT")
    run("DROP TRIGGER issued_invoice_frozen")
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _INVOICE_COLUMNS)
    run(f"""CREATE TRIGGER issued_invoice_frozen BEFORE UPDATE ON invoices
            WHEN OLD.status = 'issued' AND NOT ({same}
                AND (NEW.pdf_sha256 IS OLD.pdf_sha256 OR OLD.pdf_sha256 IS NULL)
                AND (NEW.content_sha256 IS OLD.content_sha256 OR OLD.content_sha256 IS NULL))
            BEGIN SELECT RAISE(ABORT, 'issued invoice is frozen'); END""")
    for (iid,) in run("SELECT id FROM invoices WHERE status = 'issued'").fetchall():
        run("UPDATE invoices SET content_sha256 = ? WHERE id = ?", (invoice_seal(db.conn, iid, schema=2), iid))


#: invoice columns that never change once an invoice is issued (schema 3 adds the document kind and reference)
_INVOICE_COLUMNS_V3 = (*_INVOICE_COLUMNS, "kind", "refers_to")


@migrations()
def m003_receivables(db: Database) -> None:
    """What happens to an invoice after it is issued, and numbering that starts where another tool stopped.

    - ``invoices.kind`` (``invoice`` | ``credit_note``) and ``refers_to`` (a credit note's invoice; a
      supplementary invoice's original), both frozen at issue like the other figures;
    - ``invoice_events``: an issued document marked sent, voided (keeping its number) or whose time was
      released to be billed again; ``detail`` keeps the released entries as they were, so the seal still holds;
    - ``payments``: money received against an invoice (``invoice_id``) or held as the client's credit
      (``invoice_id`` NULL; applying credit is a negative credit row plus a payment);
    - ``invoice_counters.first_seq``: the number a series started at (``--start-at``);
    - the billed-entry trigger lets a voided or released invoice's entries go back to unbilled, nothing else.
    """
    run = db.conn.execute
    run("ALTER TABLE invoices ADD COLUMN kind TEXT NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice',"
        " 'credit_note'))")
    run("ALTER TABLE invoices ADD COLUMN refers_to INTEGER REFERENCES invoices(id)")
    run("CREATE INDEX invoices_refers_to ON invoices(refers_to)")
    run("""CREATE TABLE invoice_events (
            id INTEGER PRIMARY KEY,
            invoice_id INTEGER NOT NULL REFERENCES invoices(id),
            event TEXT NOT NULL CHECK (event IN ('sent', 'void', 'released')),
            event_date TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '[]',
            created_utc INTEGER NOT NULL,
            UNIQUE (invoice_id, event))""")
    run("""CREATE TABLE payments (
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            invoice_id INTEGER REFERENCES invoices(id),
            currency TEXT NOT NULL,
            amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
            paid_date TEXT NOT NULL,
            method TEXT NOT NULL DEFAULT '',
            reference TEXT NOT NULL DEFAULT '',
            created_utc INTEGER NOT NULL,
            CHECK (invoice_id IS NULL OR amount_minor > 0))""")
    run("CREATE INDEX payments_invoice ON payments(invoice_id)")
    run("CREATE INDEX payments_client ON payments(client_id, currency)")
    run("ALTER TABLE invoice_counters ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 1")
    for table, event in (("invoice_events", "UPDATE"), ("invoice_events", "DELETE")):
        run(f"""CREATE TRIGGER {table}_kept_{event.lower()} BEFORE {event} ON {table}
                BEGIN SELECT RAISE(ABORT, 'a recorded invoice event is final'); END""")
    run("DROP TRIGGER issued_invoice_frozen")
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _INVOICE_COLUMNS_V3)
    run(f"""CREATE TRIGGER issued_invoice_frozen BEFORE UPDATE ON invoices
            WHEN OLD.status = 'issued' AND NOT ({same}
                AND (NEW.pdf_sha256 IS OLD.pdf_sha256 OR OLD.pdf_sha256 IS NULL)
                AND (NEW.content_sha256 IS OLD.content_sha256 OR OLD.content_sha256 IS NULL))
            BEGIN SELECT RAISE(ABORT, 'issued invoice is frozen'); END""")
    run("DROP TRIGGER billed_entry_frozen")
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in ("client_id", "start_utc", "end_utc", "billable",
                                                             "origin_start_utc"))
    run(f"""CREATE TRIGGER billed_entry_frozen BEFORE UPDATE ON time_entries
            WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) = 'issued'
                AND NOT (NEW.invoice_id IS NULL AND {unchanged} AND EXISTS (SELECT 1 FROM invoice_events
                         WHERE invoice_id = OLD.invoice_id AND event IN ('void', 'released')))
            BEGIN SELECT RAISE(ABORT, 'time entry is on an issued invoice'); END""")


migrations()(m004_time_tracking)
migrations()(m005_busy_times)
migrations()(m006_availability)
migrations()(m007_series)
migrations()(m008_no_show)
migrations()(m009_caldav)
migrations()(m010_lookups)
migrations()(m011_terms)
migrations()(m012_expenses)
migrations()(m013_profile_country)


def migrate(ledger: Ledger, *, fresh: bool) -> None:
    """Bring ``ledger`` to :data:`SCHEMA_VERSION`.

    A ``fresh`` ledger (a private temporary file nobody else sees yet) is migrated directly.
    An existing one is first backed up (if it holds data), then migrated inside one
    ``BEGIN IMMEDIATE`` that re-reads ``PRAGMA user_version``, so concurrent openers
    migrate once. Raises the store's faults (disk full, busy, damaged) as VakitError.

    Foreign keys are off while migrations run, so that one may rebuild a table others refer to (SQLite's
    documented procedure for a change ALTER TABLE cannot make, https://sqlite.org/lang_altertable.html §7);
    ``PRAGMA foreign_key_check`` must find nothing before the migration commits.
    """

    conn = ledger.conn
    db = Database(conn)
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: none is open here
    try:
        _migrate(ledger, db, fresh=fresh)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _migrate(ledger: Ledger, db: Database, *, fresh: bool) -> None:
    from vakit.store.faults import sqlite_fault

    conn = ledger.conn
    try:
        if fresh:
            conn.execute("PRAGMA journal_mode = WAL")  # persistent: set once, when the ledger is made
            migrations.apply(db)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return
        if conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'profile'").fetchone()[0]:
            from vakit.store.backups import take_backup

            take_backup(ledger, reason="pre-migration")
        ledger.begin_immediate()
    except sqlite3.Error as exc:
        raise sqlite_fault(exc, ledger.path) from exc
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            migrations.apply(db)
            broken = conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken is not None:
                raise sqlite3.IntegrityError(f"FOREIGN KEY constraint failed in table {broken[0]}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if conn.in_transaction:
            conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise sqlite_fault(exc, ledger.path) from exc
        raise
