"""Migration 11: contract kinds and terms beyond hourly and retainer (issue 9).

- ``contracts.kind`` may also be ``daily`` (``day_rate`` per ``day_seconds`` of work: a full day bills the day
  rate, a part day pro rata) or ``fixed`` (``fee_minor`` in ``instalments``).
- ``contracts.day_rate`` (TEXT decimal) and ``day_seconds`` (seconds in a full day, e.g. 28,800 for 8 h).
- ``contracts.fee_minor``: a fixed fee in minor units; ``instalments``: JSON ``[{"date": "YYYY-MM-DD",
  "amount_minor": n}, …]`` in date order, summing to the fee (one instalment on the first day when none is
  given).
- ``contracts.rollover_cap_seconds`` / ``rollover_months``: a retainer's unused included time carried to later
  months, at most the cap, for that many months (NULL: forfeit, as every retainer before this migration).
- ``contracts.rounding_scope`` may also be ``day`` (the day's billable time rounded once) or ``line`` (each
  invoice line's time rounded once).
- ``contracts.line_detail``: the lines an invoice of the contract has, ``summary`` (one, as before),
  ``per-day``, ``per-task`` (by description) or ``per-entry``.

- ``tax_rates``: tax rates as dated data, a name and percentage in force from ``valid_from`` to ``valid_to``
  (inclusive; NULL: open), ``standard``, ``zero``-rated or ``exempt`` with a ``reason``
  (:mod:`vakit.services.tax_rates`). A contract's tax given without a percentage names one of them
  (``{"name": "VAT", "percent": null}`` in ``contracts.taxes``).

- ``profile.pdf_font``: the path of a font the VA added for characters vakit's own fonts lack (``vakit init
  --pdf-font``; ``''``: none).

SQLite cannot change a CHECK in place, so the table is copied into its new shape; ``invoices.contract_id``
refers to it by id, which the copy keeps (foreign keys are off while migrations run and checked before they
commit: :func:`vakit.store.migrations.migrate`).
"""

from __future__ import annotations

from sqlite_utils import Database

COLUMNS = ("id, client_id, kind, currency, rate, monthly_fee_minor, included_seconds, overage_rate, rounding_increment,"
           " rounding_direction, rounding_scope, billing_tz, terms_days, taxes, legends, description, sac, start_date,"
           " end_date, created_utc, no_show, no_show_seconds")


def m011_terms(db: Database) -> None:
    """See the module docstring."""
    run = db.conn.execute
    run("""CREATE TABLE contracts_v11 (
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            kind TEXT NOT NULL CHECK (kind IN ('hourly', 'retainer', 'daily', 'fixed')),
            currency TEXT NOT NULL,
            rate TEXT,
            monthly_fee_minor INTEGER,
            included_seconds INTEGER,
            overage_rate TEXT,
            rounding_increment INTEGER NOT NULL DEFAULT 0,
            rounding_direction TEXT NOT NULL DEFAULT 'up',
            rounding_scope TEXT NOT NULL DEFAULT 'entry' CHECK (rounding_scope IN ('entry', 'day', 'line')),
            billing_tz TEXT NOT NULL,
            terms_days INTEGER NOT NULL,
            taxes TEXT NOT NULL DEFAULT '[]',
            legends TEXT NOT NULL DEFAULT '[]',
            description TEXT NOT NULL DEFAULT '',
            sac TEXT NOT NULL DEFAULT '',
            start_date TEXT NOT NULL,
            end_date TEXT,
            created_utc INTEGER NOT NULL,
            no_show TEXT NOT NULL DEFAULT 'none' CHECK (no_show IN ('none', 'booked', 'fixed')),
            no_show_seconds INTEGER CHECK ((no_show = 'fixed') = (no_show_seconds IS NOT NULL)
                                           AND coalesce(no_show_seconds, 1) > 0),
            day_rate TEXT,
            day_seconds INTEGER CHECK (coalesce(day_seconds, 1) BETWEEN 1 AND 86400),
            fee_minor INTEGER,
            instalments TEXT NOT NULL DEFAULT '[]',
            rollover_cap_seconds INTEGER CHECK (coalesce(rollover_cap_seconds, 0) >= 0),
            rollover_months INTEGER CHECK ((rollover_months IS NULL) = (rollover_cap_seconds IS NULL)
                                           AND coalesce(rollover_months, 1) BETWEEN 1 AND 120),
            line_detail TEXT NOT NULL DEFAULT 'summary'
                CHECK (line_detail IN ('summary', 'per-day', 'per-task', 'per-entry'))
        )""")
    run(f"INSERT INTO contracts_v11 ({COLUMNS}) SELECT {COLUMNS} FROM contracts")
    run("DROP TABLE contracts")
    run("ALTER TABLE contracts_v11 RENAME TO contracts")
    run("CREATE INDEX contracts_client ON contracts(client_id)")
    run("""CREATE TABLE tax_rates (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            percent TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_to TEXT CHECK (valid_to IS NULL OR valid_to >= valid_from),
            treatment TEXT NOT NULL DEFAULT 'standard' CHECK (treatment IN ('standard', 'zero', 'exempt')),
            reason TEXT NOT NULL DEFAULT '',
            created_utc INTEGER NOT NULL
        )""")
    run("ALTER TABLE profile ADD COLUMN pdf_font TEXT NOT NULL DEFAULT ''")
    run("CREATE INDEX tax_rates_name ON tax_rates(name COLLATE NOCASE, valid_from)")
