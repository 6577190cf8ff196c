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
    several = False
    if row is None and ref:
        # a unique prefix is enough: "Northwind" for "Northwind Analytics"
        key = name_key(ref)
        rows = ctx.ledger.conn.execute("SELECT * FROM clients WHERE substr(name_key, 1, ?) = ? AND archived = 0"
                                       " LIMIT 2", (len(key), key)).fetchall()
        row = rows[0] if len(rows) == 1 else None
        several = len(rows) > 1
    if row is None and re.fullmatch(r"#?[0-9]{1,18}", ref):
        row = ctx.ledger.conn.execute("SELECT * FROM clients WHERE id = ?", (int(ref.lstrip("#")),)).fetchone()
    if row is None:
        raise NotFound(f"more than one client starts with {ref!r}" if several else f"no client named {ref!r}",
                       suggestion_hint(ctx, ref))
    return client_from_row(row)


def suggestion_hint(ctx: Context, ref: str) -> str:
    """The hint of a refused client name: ``"did you mean 'Kiwi Design Co.', 'Kiwi Bakery' (archived)?"`` — at
    most 3 clients, best first, by :func:`vakit.core.name_match.suggest` (prefix of the name or of a word, or
    a typo or two; accents and case aside) — or ``"see 'vakit client list'"`` when none is close."""
    from vakit.core.name_match import suggest

    archived = {name: bool(flag) for name, flag in ctx.ledger.conn.execute("SELECT name, archived FROM clients")}
    close = suggest(ref, list(archived), second={n for n, flag in archived.items() if flag})
    if not close:
        return "see 'vakit client list'"
    return f"did you mean {', '.join(repr(c) + (' (archived)' if archived[c] else '') for c in close)}?"


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
