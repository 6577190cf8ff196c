"""Time entries: typed entries (add, edit, rm) and what the timer commands share (:mod:`.timers`).

Intervals are half-open ``[start, end)`` in epoch seconds UTC; overlapping entries are
refused naming the clash unless ``allow_overlap`` (design.md §5 "Time"; C-13, C-14).
No entry longer than :data:`MAX_ENTRY_SECONDS` is stored without ``force`` (C-01).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from vakit.core.clock import UTC, fmt_hm, fmt_local, fmt_range, fmt_span, to_local, zone
from vakit.core.errors import Conflict, InvalidValue, Locked, NotFound
from vakit.core.models import Client, TimeEntry
from vakit.core.periods import overlap
from vakit.core.tags import check_tags, join_tags, split_tags
from vakit.core.text import clean_text
from vakit.core.timeparse import has_date, parse_date, parse_end, parse_when
from vakit.services.changes import Change
from vakit.services.client_lookup import active_client
from vakit.services.context import Context, writes
from vakit.store.codecs import entry_from_row

MAX_ENTRY_SECONDS = 16 * 3600


@dataclass(frozen=True)
class EntryView:
    """A time entry with its client's name (None for time without a client)."""

    entry: TimeEntry
    client_name: str | None


def entry_view(row: sqlite3.Row) -> EntryView:
    """A ``time_entries`` row joined with ``client_name`` (see ENTRY_SELECT) → :class:`EntryView`."""
    return EntryView(entry_from_row(row), row["client_name"])


ENTRY_SELECT = "SELECT e.*, c.name AS client_name FROM time_entries e LEFT JOIN clients c ON c.id = e.client_id"


def running(ctx: Context) -> EntryView | None:
    """The running timer, whatever day it started on (C-06), or None."""
    row = ctx.ledger.conn.execute(f"{ENTRY_SELECT} WHERE e.end_utc IS NULL").fetchone()
    return None if row is None else entry_view(row)


def overlapping(conn: sqlite3.Connection, start: int, end: int | None) -> list[int]:
    """Ids of stored entries sharing time with ``[start, end)`` (epoch seconds UTC; ``end`` None: open-ended),
    by start. A running timer is open-ended too: it holds every moment from its start on (as ``vakit db check``
    counts it), so nothing can be logged into the time it is still counting.

    Every probe is indexed, so the cost does not grow with the history: an entry is at most
    :data:`MAX_ENTRY_SECONDS` long unless it was stored so on purpose (``long_ok``), so ordinary entries are
    looked for in the window ``(start - MAX_ENTRY_SECONDS, end)`` of the start index, the few long ones and
    the running timer through their partial indexes."""
    return [r[0] for r in overlapping_spans(conn, start, end)]


#: SQL condition on ``e`` (a time_entries row): finished and sharing time with ``[?1, ?2)`` (epoch seconds UTC),
#: found through two bounded index ranges (begun less than MAX_ENTRY_SECONDS before ``?1``, or allowed longer)
#: instead of ``start_utc < ?2``, which reads every earlier entry
FINISHED_IN = ("e.id IN (SELECT id FROM time_entries WHERE start_utc > ?1 - {max} AND start_utc < ?2 AND end_utc > ?1"
               " UNION SELECT id FROM time_entries WHERE long_ok = 1 AND start_utc < ?2 AND end_utc > ?1)"
               ).format(max=MAX_ENTRY_SECONDS)


def overlapping_spans(conn: sqlite3.Connection, start: int, end: int | None) -> list[tuple[int, int, int | None]]:
    """(id, start_utc, end_utc) of the stored entries sharing time with ``[start, end)`` (epoch seconds UTC;
    ``end`` None: open-ended; a running timer's ``end_utc`` is None), by start, in three indexed probes (see
    :func:`overlapping`)."""
    hi = end if end is not None else 1 << 62
    return conn.execute(
        "SELECT id, start_utc, end_utc FROM time_entries WHERE start_utc < ?1 AND start_utc > ?3 AND end_utc > ?2"
        " UNION SELECT id, start_utc, end_utc FROM time_entries WHERE long_ok = 1 AND start_utc < ?1 AND end_utc > ?2"
        " UNION SELECT id, start_utc, end_utc FROM time_entries WHERE end_utc IS NULL AND start_utc < ?1"
        " ORDER BY 2, 1", (hi, start, start - MAX_ENTRY_SECONDS)).fetchall()


def clashes(ctx: Context, start: int, end: int | None, *, exclude: int | None = None) -> list[EntryView]:
    """Stored entries (but ``exclude``) sharing time with ``[start, end)``: see :func:`overlapping`."""
    return [get_entry(ctx, i) for i in overlapping(ctx.ledger.conn, start, end) if i != exclude]


def _refuse_overlap(ctx: Context, start: int, end: int | None, tz: str, exclude: int | None = None,
                    allow: bool = False) -> bool:
    """Whether ``[start, end)`` overlaps a stored entry and that is ``allow``-ed; raises Conflict naming the
    clash if it overlaps and is not allowed."""
    found = clashes(ctx, start, end, exclude=exclude)
    if not found:
        return False
    if allow:
        return True
    c = found[0]
    e = c.entry
    shown = fmt_range(e.start_utc, e.end_utc, tz) if e.end_utc is not None else \
        f"{fmt_local(e.start_utc, tz)} – now (running)"
    shared = overlap(start, end if end is not None else 2**62, e.start_utc,
                     e.end_utc if e.end_utc is not None else max(ctx.clock.now_utc(), e.start_utc + 1))
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    raise Conflict(
        f"overlaps entry #{e.id} ({c.client_name or 'own time'} {shown},"
        f" {_minutes(shared)} overlap){more}",
        "use --allow-overlap for deliberately parallel work",
    )


def _minutes(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    return fmt_hm(seconds)


def check_span(t0: int, t1: int, tz: str, force: bool) -> bool:
    """Whether an entry ``[t0, t1)`` (epoch seconds UTC) is longer than the maximum (allowed only with
    ``force``). Raises InvalidValue naming both times as understood (in ``tz``) when the end is not after
    the start, or the length when it is over :data:`MAX_ENTRY_SECONDS` without ``force``."""
    if t1 <= t0:
        rel = "is the same instant as the start" if t1 == t0 else "is before the start"
        raise InvalidValue(f"the end {fmt_local(t1, tz)} {rel} {fmt_local(t0, tz)}")
    seconds = t1 - t0
    if seconds > MAX_ENTRY_SECONDS and not force:
        raise InvalidValue(f"{fmt_local(t0, tz)} – {fmt_local(t1, tz)} is {fmt_span(seconds)}, longer than the "
                           f"{fmt_hm(MAX_ENTRY_SECONDS)} maximum", "check the times, or pass --force")
    return seconds > MAX_ENTRY_SECONDS


def insert_entry(conn: sqlite3.Connection, client: Client | None, start: int, end: int | None, tz: str,
                 description: str, *, tags: tuple[str, ...] = (), project: str = "", billable: bool = True,
                 source: str = "manual", created: int, overlap_ok: bool = False, long_ok: bool = False) -> int:
    """Insert one entry and return its id (never one used before: AUTOINCREMENT). Time without a client is
    never billable. ``overlap_ok``/``long_ok`` record that an overlap or a length beyond the maximum was
    allowed on purpose (``--allow-overlap``, ``--force``), so ``vakit db check`` can tell it from damage."""
    cur = conn.execute(
        "INSERT INTO time_entries (client_id, start_utc, end_utc, tz, description, project, tags, billable, source,"
        " created_utc, overlap_ok, long_ok) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (client.id if client else None, start, end, tz, description, project, join_tags(tags),
         int(billable and client is not None), source, created, int(overlap_ok), int(long_ok)),
    )
    return cur.lastrowid


def get_entry(ctx: Context, entry_id: int) -> EntryView:
    """One entry by id. Raises NotFound."""
    row = ctx.ledger.conn.execute(f"{ENTRY_SELECT} WHERE e.id = ?", (entry_id,)).fetchone()
    if row is None:
        raise NotFound(f"no time entry #{entry_id}")
    return entry_view(row)


def summary(verb: str, v: EntryView) -> str:
    """One line naming a change for the undo journal: ``"add #12 Acme Tue 10 Nov 2026 09:00 CET (UTC+01:00)
    (1:30)"``."""
    e = v.entry
    dur = f" ({fmt_span(e.seconds)})" if e.end_utc is not None else " (running)"
    return f"{verb} #{e.id} {v.client_name or '(own time)'} {fmt_local(e.start_utc, e.tz)}{dur}"


def client_or_own(ctx: Context, client_ref: str | None) -> Client | None:
    """The active client named by ``client_ref``, or None (no ``--client``) for own, non-client time. An empty or
    blank name is refused rather than read as own time (``--client "$CLIENT"`` with the variable unset). Raises
    InvalidValue, NotFound, Conflict (archived)."""
    if client_ref is None:
        return None
    if not client_ref.strip():
        raise InvalidValue("the client name is empty", "name a client, or leave --client out for your own time")
    return active_client(ctx, client_ref)


@writes
def add(ctx: Context, client_ref: str | None, *, start_text: str | None = None, end_text: str | None = None,
        duration: int | None = None, on_date: str | None = None, description: str = "", tz: str | None = None,
        billable: bool = True, tags: tuple[str, ...] = (), allow_overlap: bool = False,
        force: bool = False) -> EntryView:
    """Record finished work (``client_ref`` None: own, non-billable time). Give ``start_text`` and
    ``end_text``, ``start_text`` and ``duration`` (seconds), or ``duration`` alone (ending now). ``on_date``
    supplies the date for bare times. An end without a date is the first such time after the start (C-05).

    Raises InvalidValue, NotFound, Conflict (also for an archived client); nothing is stored on error.
    """
    tz = tz or ctx.profile().home_tz
    zone(tz)
    description = clean_text(description, "description")
    tags = check_tags(tags)
    client = client_or_own(ctx, client_ref)
    now = ctx.clock.now()
    default_date = None
    if on_date:
        default_date = parse_date(on_date, today=now.astimezone(zone(tz)).date(), direction="past")
    if end_text is not None and duration is not None:
        raise InvalidValue("give either --to or --duration, not both")
    if start_text:
        if default_date is not None and has_date(start_text, now.astimezone(zone(tz)).date()):
            raise InvalidValue(f"--from {start_text!r} has a date of its own; drop --date or the date in --from")
        begin = parse_when(start_text, tz=tz, now=now, direction="past", default_date=default_date)
        if end_text:
            end = parse_end(end_text, start=begin, tz=tz, now=now)
        elif duration is not None:
            end = begin + timedelta(seconds=duration)
        else:
            raise InvalidValue("give --to or --duration with --from", "or use 'vakit log start' for a timer")
    elif duration is not None and not end_text:
        if default_date is not None:
            raise InvalidValue("with --date, give --from as well", "e.g. --date monday --from 9am --duration 1h")
        end = now
        begin = now - timedelta(seconds=duration)
    else:
        raise InvalidValue("give --from and --to, --from and --duration, or --duration")
    t0, t1 = int(begin.timestamp()), int(end.timestamp())
    long = check_span(t0, t1, tz, force)
    if t1 > int(now.timestamp()) + 60 and not force:
        raise InvalidValue(f"the end {fmt_local(t1, tz)} is in the future", "check the date, or pass --force")
    with ctx.ledger.write() as conn:
        overlapped = _refuse_overlap(ctx, t0, t1, tz, allow=allow_overlap)
        change = Change(conn, "add", ctx.clock.now_utc())
        new_id = insert_entry(conn, client, t0, t1, tz, description, tags=tags, billable=billable,
                              created=ctx.clock.now_utc(), overlap_ok=overlapped, long_ok=long)
        change.inserted("time_entries", new_id)
        view = get_entry(ctx, new_id)
        change.finish(summary("add", view))
    return view


def _editable(ctx: Context, entry_id: int) -> EntryView:
    view = get_entry(ctx, entry_id)
    inv = view.entry.invoice_id
    if inv is not None:
        row = ctx.ledger.conn.execute("SELECT status, number FROM invoices WHERE id = ?", (inv,)).fetchone()
        if row["status"] == "issued":
            raise Locked(f"time entry #{entry_id} is billed on invoice {row['number']} and cannot be changed",
                         "an issued invoice is final")
        raise Locked(f"time entry #{entry_id} is on draft invoice #{inv}",
                     f"delete the draft first: vakit invoice delete '#{inv}'")
    return view


@writes
def remove(ctx: Context, entry_id: int) -> EntryView:
    """Delete an entry that no invoice covers (``vakit log undo`` brings it back). Raises NotFound, Locked."""
    with ctx.ledger.write() as conn:
        view = _editable(ctx, entry_id)
        change = Change(conn, "rm", ctx.clock.now_utc())
        change.before("time_entries", entry_id)
        conn.execute("DELETE FROM time_entries WHERE id = ?", (entry_id,))
        change.finish(summary("rm", view))
    return view


def read_start(text: str, e: TimeEntry, now: datetime) -> int:
    """A new start typed for entry ``e``, in the entry's zone: a bare time is on the entry's own local date
    (``--from 22:15`` on an entry of Tue 10 Nov means Tue 10 Nov 22:15), a date or ``yesterday`` as written.
    Returns epoch seconds UTC. Raises InvalidValue."""
    own_day = to_local(e.start_utc, e.tz).date()
    return int(parse_when(text, tz=e.tz, now=now, default_date=own_day).timestamp())


def read_end(text: str, start: int, tz: str, now: datetime) -> int:
    """An end typed for an entry starting at ``start`` (epoch seconds UTC): a bare time is the first such
    wall time after the start (C-05); with a date, as written. Returns epoch seconds UTC. Raises InvalidValue."""
    return int(parse_end(text, start=datetime.fromtimestamp(start, UTC), tz=tz, now=now).timestamp())


@writes
def edit(ctx: Context, entry_id: int, *, description: str | None = None, start_text: str | None = None,
         end_text: str | None = None, billable: bool | None = None, client_ref: str | None = None,
         own_time: bool = False, add_tags: tuple[str, ...] = (), remove_tags: tuple[str, ...] = (),
         clear_tags: bool = False, allow_overlap: bool = False, force: bool = False) -> EntryView:
    """Change an entry that no invoice covers. Times are read in the entry's zone and relative to it: a bare
    ``start_text`` is on the entry's own date, a bare ``end_text`` the first such time after the start.
    ``own_time`` makes it non-client time. Raises NotFound, Locked, InvalidValue, Conflict."""
    if description is not None:
        description = clean_text(description, "description")
    add_tags, remove_tags = check_tags(add_tags), check_tags(remove_tags)
    with ctx.ledger.write() as conn:
        view = _editable(ctx, entry_id)
        e = view.entry
        now = ctx.clock.now()
        t0 = read_start(start_text, e, now) if start_text else e.start_utc
        t1 = e.end_utc
        if end_text:
            if t1 is None:
                raise InvalidValue(f"entry #{e.id} is the running timer", "stop it with 'vakit log stop --at TIME'")
            t1 = read_end(end_text, t0, e.tz, now)
        moved = t0 != e.start_utc or t1 != e.end_utc
        long = overlapped = False
        if moved and t1 is not None:
            long = check_span(t0, t1, e.tz, force)
            if t1 > int(now.timestamp()) + 60 and not force:
                raise InvalidValue(f"the end {fmt_local(t1, e.tz)} is in the future",
                                   "check the date, or pass --force")
        if moved and t1 is None and t0 > int(now.timestamp()):
            raise InvalidValue(f"the start {fmt_local(t0, e.tz)} is in the future")
        if moved:
            overlapped = _refuse_overlap(ctx, t0, t1, e.tz, exclude=e.id, allow=allow_overlap)
        client_id = None if own_time else (client_or_own(ctx, client_ref).id if client_ref is not None else e.client_id)
        if billable is None and e.client_id is None and client_id is not None:
            billable = True  # own time given to a client is billable, as typed client time is
        keep = () if clear_tags else split_tags(e.tags)
        dropped = {t.casefold() for t in remove_tags}
        missing = [t for t in remove_tags if t.casefold() not in {k.casefold() for k in keep}]
        if missing:
            raise InvalidValue(f"entry #{e.id} has no tag '{missing[0]}'",
                               f"its tags: {e.tags}" if e.tags else "it has no tags")
        tags = join_tags([t for t in keep if t.casefold() not in dropped] + list(add_tags))
        change = Change(conn, "edit", ctx.clock.now_utc())
        change.before("time_entries", e.id)
        conn.execute(
            "UPDATE time_entries SET start_utc = ?, end_utc = ?, description = ?, billable = ?, client_id = ?,"
            " tags = ?, origin_start_utc = CASE WHEN ? THEN NULL ELSE origin_start_utc END,"
            " long_ok = CASE WHEN ? THEN ? ELSE long_ok END, overlap_ok = CASE WHEN ? THEN ? ELSE overlap_ok END"
            " WHERE id = ?",
            (t0, t1, e.description if description is None else description,
             int((e.billable if billable is None else billable) and client_id is not None), client_id, tags,
             int(moved), int(moved), int(long), int(moved), int(overlapped), e.id))
        after = get_entry(ctx, e.id)
        what = [name for name, old, new in (("start", e.start_utc, t0), ("end", e.end_utc, t1),
                                            ("client", e.client_id, after.entry.client_id),
                                            ("description", e.description, after.entry.description),
                                            ("billable", e.billable, after.entry.billable),
                                            ("tags", e.tags, after.entry.tags)) if old != new]
        change.finish(summary("edit", after) + (f": {', '.join(what)}" if what else ""))
    return after
