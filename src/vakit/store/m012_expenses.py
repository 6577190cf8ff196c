"""Migration 12: expenses, clients who ask for e-invoices, tax-inclusive prices (issue 9).

- ``expenses``: money a VA spent for a client (``vakit expense add``), ``amount_minor`` in ``currency`` on the
  local date ``spent_on``. It is billed in ``bill_currency``: the same currency, or another one at ``rate``
  (TEXT decimal: units of ``bill_currency`` per unit of ``currency``, typed by the VA). ``markup`` (TEXT decimal
  percentage, NULL: at cost) is added on top. ``untaxed`` is the reason the line carries none of the invoice's
  taxes (a disbursement, an exempt supply), ``''`` when it carries them. ``receipt`` is a file path (``''``:
  none). A billable expense waits for the client's next invoice in ``bill_currency`` and then holds its id in
  ``invoice_id``, as a time entry does; a non-billable one is only recorded.
- ``clients.einvoice``: 1 when the client's invoices carry a Factur-X XML (EN 16931) in a PDF/A-3 file.
- ``contracts.tax_inclusive``: 1 when the contract's prices include its taxes (the tax is the part of the price
  it makes up); 0, as every contract before, when taxes are added on top.
"""

from __future__ import annotations

from sqlite_utils import Database


def m012_expenses(db: Database) -> None:
    """See the module docstring."""
    run = db.conn.execute
    run("""CREATE TABLE expenses (
            id INTEGER PRIMARY KEY,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            spent_on TEXT NOT NULL,
            description TEXT NOT NULL,
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            currency TEXT NOT NULL,
            bill_currency TEXT NOT NULL,
            rate TEXT,
            markup TEXT,
            untaxed TEXT NOT NULL DEFAULT '',
            receipt TEXT NOT NULL DEFAULT '',
            billable INTEGER NOT NULL DEFAULT 1 CHECK (billable IN (0, 1)),
            invoice_id INTEGER REFERENCES invoices(id),
            created_utc INTEGER NOT NULL,
            CHECK ((rate IS NULL) = (bill_currency = currency))
        )""")
    run("CREATE INDEX expenses_client ON expenses(client_id, invoice_id, spent_on)")
    run("CREATE INDEX expenses_invoice ON expenses(invoice_id)")
    run("ALTER TABLE clients ADD COLUMN einvoice INTEGER NOT NULL DEFAULT 0 CHECK (einvoice IN (0, 1))")
    run("ALTER TABLE contracts ADD COLUMN tax_inclusive INTEGER NOT NULL DEFAULT 0 CHECK (tax_inclusive IN (0, 1))")
