"""Finding a client: by id, by exact or case-insensitive name, by a unique prefix of the name, or ``#id``; the
lookups every command that takes ``--client`` runs (kept apart from profile and client changes in
:mod:`vakit.services.ledger`, so the timer commands load no more than they use)."""

from __future__ import annotations

import re

from vakit.core.errors import Conflict, NotFound
from vakit.core.models import Client
from vakit.core.text import name_key
from vakit.services.context import Context
from vakit.store.codecs import client_from_row


def get_client(ctx: Context, client_id: int) -> Client:
    """The client with this id. Raises NotFound."""
    row = ctx.ledger.conn.execute("SELECT * FROM clients WHERE id = ?", (client_id,)).fetchone()
    if row is None:
        raise NotFound(f"no client with id {client_id}")
    return client_from_row(row)


def _find_row(ctx: Context, name: str):
    conn = ctx.ledger.conn
    row = conn.execute("SELECT * FROM clients WHERE name = ?", (name,)).fetchone()
    if row is None:
        row = conn.execute("SELECT * FROM clients WHERE name_key = ?", (name_key(name),)).fetchone()
    return row


def find_client_by_name(ctx: Context, name: str) -> Client | None:
    """The client with exactly this name, or this name in another case (``acme`` for ``Acme``); no
    prefixes, no ids. For names read from files, which must never land on another client. None if absent."""
    row = _find_row(ctx, (name or "").strip())
    return None if row is None else client_from_row(row)


def find_client(ctx: Context, ref: str) -> Client:
    """A client by exact name, case-insensitive name, unique name prefix, or ``#id``/numeric id.

    An archived client is found by its whole name (any case) or id, never by a prefix.
    Raises NotFound, naming close matches."""
    ref = (ref or "").strip()
    row = _find_row(ctx, ref)
    if row is None and ref:
        # a unique prefix is enough: "Northwind" for "Northwind Analytics"
        key = name_key(ref)
        rows = ctx.ledger.conn.execute("SELECT * FROM clients WHERE substr(name_key, 1, ?) = ? AND archived = 0"
                                       " LIMIT 2", (len(key), key)).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is None and re.fullmatch(r"#?[0-9]{1,18}", ref):
        row = ctx.ledger.conn.execute("SELECT * FROM clients WHERE id = ?", (int(ref.lstrip("#")),)).fetchone()
    if row is None:
        names = {r[0]: r[1] for r in ctx.ledger.conn.execute("SELECT name, archived FROM clients")}
        import difflib

        close = difflib.get_close_matches(ref, list(names), n=3, cutoff=0.5)
        hint = (f"did you mean {', '.join(repr(c) + (' (archived)' if names[c] else '') for c in close)}?"
                if close else "see 'vakit client list'")
        raise NotFound(f"no client named {ref!r}", hint)
    return client_from_row(row)


def active_client(ctx: Context, ref: str) -> Client:
    """:func:`find_client`, refusing an archived client (for new work: a timer, an entry, an appointment).
    Raises NotFound, Conflict."""
    client = find_client(ctx, ref)
    if client.archived:
        from shlex import quote

        raise Conflict(f"client {client.name} is archived",
                       f"bring it back first: vakit client unarchive {quote(client.name)}")
    return client


def list_clients(ctx: Context, *, include_archived: bool = False) -> list[Client]:
    """All clients by name."""
    sql = "SELECT * FROM clients" + ("" if include_archived else " WHERE archived = 0") + " ORDER BY name"
    return [client_from_row(r) for r in ctx.ledger.conn.execute(sql)]
