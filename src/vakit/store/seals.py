"""Seals computed from stored rows (the case-insensitive client name key is
:func:`vakit.core.text.name_key`).

- :func:`invoice_seal` — a SHA-256 over an issued invoice's stored figures, its frozen
  document and the time entries it bills. It is stored at issue (``content_sha256``);
  ``vakit db check`` and ``vakit invoice pdf`` recompute it, so an invoice altered
  behind vakit's back is named, never printed as if it were unchanged.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

_SEALED_COLUMNS = ("number", "series", "seq", "status", "client_id", "contract_id", "currency", "period_start",
                   "period_end", "issue_date", "due_date", "subtotal_minor", "tax_minor", "total_minor")


def invoice_seal(conn: sqlite3.Connection, invoice_id: int, *, schema: int = 3) -> str:
    """SHA-256 (hex) of invoice ``invoice_id``'s sealed columns, its document (as parsed JSON, keys sorted)
    and its billed entries (id, client, start, end, billable), in a canonical JSON form. Entries released
    when the invoice was voided or re-billed count as they were recorded at that moment (``invoice_events``);
    the document kind and reference (schema 3) count when they differ from a plain invoice.

    ``schema`` 2 seals a ledger being migrated to schema 2 (no kinds, no events yet); a plain
    invoice's seal is the same under both. Raises KeyError if there is no such invoice.
    """
    cols = ", ".join(_SEALED_COLUMNS)
    row = conn.execute(f"SELECT {cols}, document FROM invoices WHERE id = ?", (invoice_id,)).fetchone()
    if row is None:
        raise KeyError(invoice_id)
    try:
        document = json.loads(row[-1])
    except ValueError:
        document = row[-1]
    entries = conn.execute("SELECT id, client_id, start_utc, end_utc, billable FROM time_entries WHERE invoice_id = ?"
                           " ORDER BY id", (invoice_id,)).fetchall()
    payload = {"invoice": dict(zip(_SEALED_COLUMNS, tuple(row)[:-1])), "document": document,
               "entries": [list(e) for e in entries]}
    if schema < 3:
        return _digest(payload)
    extra = conn.execute("SELECT kind, refers_to FROM invoices WHERE id = ?", (invoice_id,)).fetchone()
    if tuple(extra) != ("invoice", None):  # schema 3; left out when default, so seals made before stay valid
        payload["invoice"].update(kind=extra[0], refers_to=extra[1])
    released = [json.loads(d) for (d,) in conn.execute(
        "SELECT detail FROM invoice_events WHERE invoice_id = ? AND event IN ('void', 'released')", (invoice_id,))]
    if released:  # entries let go to be billed again are sealed as they were when released
        payload["entries"] = sorted(payload["entries"] + [e for group in released for e in group])
    return _digest(payload)


def _digest(payload: dict) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
