"""Schema migrations through ``sqlite_utils.Migrations("vakit")`` — append-only.

A migration is never edited after it has shipped; add a new one and raise
``SCHEMA_VERSION`` in :mod:`vakit.store.schema`. Before pending migrations run on a
ledger that already holds data, a copy is taken with ``VACUUM INTO`` beside it
(design.md §4).

Storage rules: instants are INTEGER epoch seconds UTC (``*_utc``) with the IANA
zone beside them; money is INTEGER minor units + TEXT ISO 4217 code; rates and
quantities that need more precision are TEXT decimals; durations INTEGER seconds;
dates TEXT ``YYYY-MM-DD``.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database, Migrations

from vakit.store.schema import SCHEMA_VERSION

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


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply pending migrations to ``conn`` (after a ``VACUUM INTO`` backup if the ledger has data),
    then set ``PRAGMA user_version`` to the schema version."""
    db = Database(conn)
    pending = migrations.pending(db)
    if pending and db.table_names() and path.exists() and path.stat().st_size > 0:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        backup = path.with_name(f"{path.name}.pre-migration-{stamp}.bak")
        conn.execute("VACUUM INTO ?", (str(backup),))
    migrations.apply(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
