"""Migration 10: indexes for what every ``vakit log`` command asks of a long history (issue 11).

- ``invoices_contract (contract_id, period_start)``: logging time into a month already invoiced says so on the
  spot (issue 6), which looks up the invoices of one contract covering that month; before, SQLite read every
  invoice row, documents included, on each ``log stop`` and ``log add`` (≈ 4–8 ms at 1,200 invoices).
- ``time_entries_client`` grows from ``(client_id, start_utc)`` to ``(client_id, start_utc, end_utc, billable,
  origin_start_utc)``: a report sums each client's entries of a stretch of time from the index alone
  (:mod:`vakit.services.report_sums`), without reading the rows.
- ``time_entries_start`` grows from ``(start_utc)`` to ``(start_utc, end_utc)``: the overlap checks and worked
  time read start and end from the index alone.
"""

from __future__ import annotations

from sqlite_utils import Database


def m010_lookups(db: Database) -> None:
    """See the module docstring."""
    run = db.conn.execute
    run("CREATE INDEX invoices_contract ON invoices(contract_id, period_start)")
    run("DROP INDEX time_entries_client")
    run("CREATE INDEX time_entries_client ON time_entries(client_id, start_utc, end_utc, billable, origin_start_utc)")
    run("DROP INDEX time_entries_start")
    run("CREATE INDEX time_entries_start ON time_entries(start_utc, end_utc)")
