"""Storing what a parser read: :func:`import_file` (format chosen or detected, the file parsed before any lock
is taken) and :func:`store`, all ledger work in one write transaction: clients matched, duplicates skipped,
overlaps checked, one journal change for ``vakit log undo``. Nothing of a failed import is kept; a dry run
is checked and counted, then rolled back.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path

from vakit.core.clock import check_zone, fmt_local, fmt_range, fmt_span
from vakit.core.errors import InvalidValue
from vakit.core.tags import join_tags
from vakit.services.changes import Change
from vakit.services.context import Context
from vakit.services.importers.rows import ImportOptions, ImportResult, ImportRow, Parsed, check_options
from vakit.services.importers.spans import FileSpans

#: rows inserted at a time
_BATCH = 2000


def import_file(ctx: Context, path: Path, fmt: str | None = None, opts: ImportOptions | None = None
                ) -> ImportResult:
    """Import ``path`` in format ``fmt`` (a key of :data:`vakit.services.importers.PARSERS`; None: detected
    from the file, :func:`vakit.services.importers.detect.detect`) with ``opts``, and return what was done.

    The file is read and parsed before the write lock is taken; then :func:`store` keeps the good rows in one
    transaction. A ``--map`` target that names no client is refused unless ``create_clients``. Raises
    InvalidValue (an unknown format, an unreadable file, a file in another format than ``fmt``, bad options).
    """
    from vakit.services.client_lookup import find_client_by_name
    from vakit.services.importers import PARSERS
    from vakit.services.importers.detect import detect, mismatch

    opts = check_options(opts or ImportOptions())
    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in PARSERS:
            raise InvalidValue(f"unknown import format {fmt!r}", "use one of: " + ", ".join(PARSERS))
        mismatch(path, fmt)
    else:
        fmt = detect(path)
    if not opts.create_clients:
        for src, client in opts.mapping.items():
            if find_client_by_name(ctx, client) is None:
                raise InvalidValue(f"--map {src}={client}: no client named {client!r}",
                                   "add it first, or pass --create-clients with --client-tz and --client-currency")
    known = frozenset(r[0].casefold() for r in ctx.ledger.conn.execute("SELECT name FROM clients"))
    opts = replace(opts, tz=opts.tz or ctx.profile().home_tz, known_clients=known)
    module, func = PARSERS[fmt].split(":")
    try:
        parse = getattr(importlib.import_module(module), func)
    except ImportError as exc:
        raise InvalidValue(f"the {fmt} importer is not available in this version of vakit") from exc
    parsed = parse(path, opts)
    return store(ctx, parsed, fmt, parsed.source or path.name, opts)


def store(ctx: Context, parsed: Parsed, fmt: str, source: str, opts: ImportOptions) -> ImportResult:
    """Store ``parsed`` rows read from ``source`` (a file name, for messages) in one write transaction,
    recorded as one change for ``vakit log undo``. With ``opts.dry_run`` everything is checked and counted
    but rolled back.

    Clients are matched by exact name in any case (never a prefix); unknown ones are created only with
    ``create_clients`` (with ``client_tz`` and ``client_currency``), else the import is refused naming them
    all. A row is a duplicate and skipped (``duplicates``) when its ``key`` is stored already, or when the
    ledger holds an identical entry: same client, same ``start_utc`` and ``end_utc``, same description (so
    vakit's own export imported back into the ledger it came from adds nothing); each stored entry stands
    for one row only, so two identical parallel rows meet two identical entries. A row repeated in the file
    itself (same ``key``) counts as ``repeated``.

    A row overlapping a stored entry (or an earlier row) refuses the import unless ``allow_overlap``, naming
    the first entry it overlaps as vakit echoes it (client, times in the row's zone), or the line of the row
    that added it when this import did. Overlaps on purpose pass without ``allow_overlap``: a row whose
    ``overlap_ok`` is set (vakit's own export of a parallel entry; stored with ``overlap_ok`` = 1), and a row
    overlapping only such rows of the same import (its partner carries the flag, as in the ledger it came
    from). A row's ``long_ok`` is stored when it is longer than the maximum (``time_entries.long_ok``, as
    ``--force`` stores it). Raises InvalidValue.
    """
    from vakit.services.client_lookup import find_client_by_name
    from vakit.services.ledger import add_client
    from vakit.services.timesheet import MAX_ENTRY_SECONDS, overlapping_spans

    result = ImportResult(fmt=fmt, source=source, rows=len(parsed.rows) + len(parsed.rejected),
                          dry_run=opts.dry_run, rejected=list(parsed.rejected),
                          open_intervals=list(parsed.open_intervals), notes=list(parsed.notes))
    try:
        with ctx.ledger.write() as conn:
            change = Change(conn, "import", ctx.clock.now_utc())
            names = sorted({r.client for r in parsed.rows if r.client}, key=str.casefold)
            clients = {n: find_client_by_name(ctx, n) for n in names}
            unknown = [n for n, c in clients.items() if c is None]
            unknown = [n for i, n in enumerate(unknown) if n.casefold() not in {u.casefold() for u in unknown[:i]}]
            if unknown and not opts.create_clients:
                raise InvalidValue(f"{source}: {len(unknown)} unknown client{'s' if len(unknown) > 1 else ''}: "
                                   + ", ".join(repr(n) for n in unknown),
                                   f"add {'them' if len(unknown) > 1 else 'it'} first, map "
                                   f"{'them' if len(unknown) > 1 else 'it'} with --map, or pass --create-clients "
                                   "with --client-tz and --client-currency")
            if unknown and not (opts.client_tz and opts.client_currency):
                raise InvalidValue("--create-clients needs --client-tz and --client-currency for the new clients",
                                   "e.g. --client-tz America/New_York --client-currency USD")
            for n in unknown:
                new = add_client(ctx, n, tz=check_zone(opts.client_tz), currency=opts.client_currency)
                change.inserted("clients", new.id)
                result.created_clients.append(new.name)
            for n in names:  # every spelling of a new client's name finds it
                clients[n] = clients[n] or find_client_by_name(ctx, n)
            rows = parsed.rows
            seen: set[str] = set()
            matched: set[int] = set()  # stored entries a row has been found to be (or that this import added)
            added: list[int] = []  # the index of the row each entry this import added is from, in id order
            kept = [0] * len(rows)  # the entry id each row was added as (0: not added)
            spans = FileSpans(rows)  # the import's own overlaps are found in memory
            known_keys = _stored_keys(conn, rows)  # looked up before this import adds any
            lo = min((r.start_utc for r in rows), default=0)
            hi = max((r.end_utc for r in rows), default=0)
            # entries stored before this import that a row could be identical to, or overlap (none: no lookup
            # per row)
            any_before = bool(rows) and conn.execute(
                "SELECT 1 FROM time_entries WHERE start_utc >= ? AND start_utc <= ? LIMIT 1",
                (lo, max(r.start_utc for r in rows))).fetchone() is not None
            stored_near = bool(rows) and bool(overlapping_spans(conn, lo, hi))
            first_id = _next_entry_id(conn)  # ids are given here so rows are inserted in batches
            now = ctx.clock.now_utc()
            pending: list[tuple] = []
            for i, r in enumerate(rows):
                if r.key in seen:
                    result.repeated += 1
                    continue
                seen.add(r.key)
                client = clients.get(r.client) if r.client else None
                stored = (known_keys[r.key],) if r.key in known_keys else None
                if stored is None and any_before:
                    stored = next((row for row in conn.execute(
                        "SELECT id FROM time_entries WHERE start_utc = ? AND end_utc = ? AND client_id IS ?"
                        " AND coalesce(description, '') = ? ORDER BY id",
                        (r.start_utc, r.end_utc, client.id if client else None, r.description)).fetchall()
                        if row[0] not in matched), None)
                if stored is not None:
                    matched.add(stored[0])
                    result.duplicates += 1
                    continue
                # (start, id, end) of what the row overlaps: entries stored before this import, and rows it
                # added but those parallel on purpose (as the file says)
                clashes = [(s, eid, e) for eid, s, e in overlapping_spans(conn, r.start_utc, r.end_utc)
                           if eid < first_id] if stored_near else []
                clashes += [(rows[j].start_utc, kept[j], rows[j].end_utc) for j in spans.earlier(i, kept)
                            if not rows[j].overlap_ok]
                if clashes and not r.overlap_ok:
                    if not opts.allow_overlap:
                        def added_row(eid: int) -> ImportRow | None:
                            return rows[added[eid - first_id]] if eid >= first_id else None

                        raise InvalidValue(f"{r.file or source} line {r.line}: the entry of "
                                           f"{fmt_range(r.start_utc, r.end_utc, r.tz)} overlaps "
                                           + _clash_text(conn, sorted(clashes), r, added_row, clients, source),
                                           "pass --allow-overlap to import it anyway")
                    if all(c[1] >= first_id for c in clashes):
                        result.overlaps_in_file += 1
                    else:
                        result.overlaps += 1
                new_id = first_id + len(added)
                pending.append((new_id, client.id if client else None, r.start_utc, r.end_utc, r.tz, r.description,
                                r.project, join_tags(r.tags), int(r.billable and client is not None),
                                f"import:{fmt}", r.key, now, int(r.overlap_ok or bool(clashes)),
                                int(r.long_ok and r.end_utc - r.start_utc > MAX_ENTRY_SECONDS)))
                if len(pending) == _BATCH:
                    _insert(conn, pending)
                if any_before:  # an entry this import added is no stored entry a later row is identical to
                    matched.add(new_id)
                added.append(i)
                kept[i] = new_id
                change.inserted("time_entries", new_id)
                result.added += 1
                result.seconds += r.end_utc - r.start_utc
                label = client.name if client else "(own time)"
                result.per_client[label] = result.per_client.get(label, 0) + r.end_utc - r.start_utc
                result.no_client += 0 if client else 1
            _insert(conn, pending)
            summary = (f"import {source} ({fmt}): {result.added} entr{'y' if result.added == 1 else 'ies'}, "
                       f"{fmt_span(result.seconds)} h"
                       + (f", clients {', '.join(result.created_clients)} created" if result.created_clients else ""))
            result.change_id = change.finish(summary)
            if opts.dry_run:
                raise _DryRun()
    except _DryRun:
        result.change_id = None
    return result


def _stored_keys(conn, rows: list[ImportRow]) -> dict[str, int]:
    """``{source_key: entry id}`` of the rows' keys already in the ledger, looked up 2,000 at a time (one
    query each, not one per row)."""
    import json

    out: dict[str, int] = {}
    for i in range(0, len(rows), 2000):
        keys = json.dumps([r.key for r in rows[i:i + 2000]])
        out.update(conn.execute("SELECT source_key, id FROM time_entries WHERE source_key IN"
                                " (SELECT value FROM json_each(?))", (keys,)).fetchall())
    return out


def _next_entry_id(conn) -> int:
    """The id the next time entry gets (``AUTOINCREMENT``: above every id ever given, so none is reused)."""
    return conn.execute("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'time_entries'), 0),"
                        " coalesce((SELECT max(id) FROM time_entries), 0)) + 1").fetchone()[0]


def _insert(conn, pending: list[tuple]) -> None:
    """Insert the time entries in ``pending`` (rows of :func:`store`'s column tuple, ids given) and empty it."""
    conn.executemany(
        "INSERT INTO time_entries (id, client_id, start_utc, end_utc, tz, description, project, tags, billable,"
        " source, source_key, created_utc, overlap_ok, long_ok) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        pending)
    pending.clear()


def _clash_text(conn, clashes: list, row: ImportRow, added_row, clients: dict, source: str) -> str:
    """What ``row`` overlaps, as the refusal names it: ``entry #7 (Acme Mon 12 Oct 2026 09:00 – 11:00 CEST
    (UTC+02:00))``, or ``line 2 of this file (…)`` when this import added it (``2026-10.data line 2 (…)`` when
    from another of its files), and ``and 2 more``; times in the row's zone, as ``vakit log add`` names a
    clash. ``clashes`` are ``(start_utc, id, end_utc)``, first by start; ``added_row(id)`` is the row this
    import added an entry from (None for an entry stored before it); ``clients`` maps the file's client names
    to the clients they stand for."""
    start, eid, end = clashes[0]
    shown = fmt_range(start, end, row.tz) if end is not None else f"{fmt_local(start, row.tz)} – now (running)"
    other = added_row(eid)
    if other is None:
        what = f"entry #{eid}"
        client = conn.execute("SELECT c.name FROM time_entries e LEFT JOIN clients c ON c.id = e.client_id"
                              " WHERE e.id = ?", (eid,)).fetchone()[0]
    else:
        what = (f"line {other.line} of this file" if (other.file or source) == (row.file or source)
                else f"{other.file or source} line {other.line}")
        client = clients[other.client].name if other.client else None
    more = f" and {len(clashes) - 1} more" if len(clashes) > 1 else ""
    return f"{what} ({client or 'own time'} {shown}){more}"


class _DryRun(Exception):
    """Raised inside the write transaction to roll a dry run back."""

