"""Time entries: the running timer, manual entries, listing and reports.

Intervals are half-open ``[start, end)`` in epoch seconds UTC; overlapping entries are
refused naming the clash unless ``allow_overlap`` (design.md §5 "Time"; C-13, C-14).
No entry longer than :data:`MAX_ENTRY_SECONDS` is stored without ``force`` (C-01).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from vakit.core.clock import UTC, fmt_hm, fmt_local, zone
from vakit.core.errors import Conflict, InvalidValue, Locked, NotFound
from vakit.core.models import Client, TimeEntry
from vakit.core.periods import local_midnight_utc, overlap, union_seconds
from vakit.core.text import clean_text
from vakit.core.timeparse import has_date, parse_end, parse_when
from vakit.services.context import Context, writes
from vakit.services.ledger import active_client
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


def clashes(ctx: Context, start: int, end: int | None, *, exclude: int | None = None) -> list[EntryView]:
    """Stored entries sharing time with ``[start, end)`` (``end`` None: open-ended). A running timer is
    open-ended too: it holds every moment from its start on (as ``vakit db check`` counts it), so nothing can
    be logged into the time it is still counting."""
    hi = end if end is not None else 2**62
    rows = ctx.ledger.conn.execute(
        f"{ENTRY_SELECT} WHERE e.start_utc < ? AND coalesce(e.end_utc, 1 << 62) > ? AND e.id IS NOT ?",
        (hi, start, exclude),
    ).fetchall()
    return [entry_view(r) for r in rows]


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
    shown_end = fmt_local(e.end_utc, tz, date=False) if e.end_utc is not None else "now (running)"
    shared = overlap(start, end if end is not None else 2**62, e.start_utc,
                     e.end_utc if e.end_utc is not None else max(ctx.clock.now_utc(), e.start_utc + 1))
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    raise Conflict(
        f"overlaps entry #{e.id} ({c.client_name or 'no client'} {fmt_local(e.start_utc, tz)}–{shown_end},"
        f" {_minutes(shared)} overlap){more}",
        "use --allow-overlap for deliberately parallel work",
    )


def _minutes(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    return fmt_hm(seconds)


def _check_length(seconds: int, force: bool) -> bool:
    """Whether an entry of ``seconds`` is longer than the maximum (allowed only with ``force``).
    Raises InvalidValue for a non-positive length or a long one without ``force``."""
    if seconds <= 0:
        raise InvalidValue("the end must be after the start")
    if seconds > MAX_ENTRY_SECONDS and not force:
        raise InvalidValue(f"an entry of {fmt_hm(seconds)} is longer than the {fmt_hm(MAX_ENTRY_SECONDS)} maximum",
                           "check the times, or pass --force")
    return seconds > MAX_ENTRY_SECONDS


def _insert(conn: sqlite3.Connection, client: Client | None, start: int, end: int | None, tz: str, description: str,
            *, project: str = "", tags: str = "", billable: bool = True, source: str = "manual",
            source_key: str | None = None, created: int, overlap_ok: bool = False, long_ok: bool = False) -> int:
    """Insert one entry; ``overlap_ok``/``long_ok`` record that an overlap or a length beyond the maximum
    was allowed on purpose (``--allow-overlap``, ``--force``), so ``vakit db check`` can tell it from damage."""
    cur = conn.execute(
        "INSERT INTO time_entries (client_id, start_utc, end_utc, tz, description, project, tags, billable, source,"
        " source_key, created_utc, overlap_ok, long_ok) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (client.id if client else None, start, end, tz, description, project, tags, int(billable), source,
         source_key, created, int(overlap_ok), int(long_ok)),
    )
    return cur.lastrowid


def get_entry(ctx: Context, entry_id: int) -> EntryView:
    """One entry by id. Raises NotFound."""
    row = ctx.ledger.conn.execute(f"{ENTRY_SELECT} WHERE e.id = ?", (entry_id,)).fetchone()
    if row is None:
        raise NotFound(f"no time entry #{entry_id}")
    return entry_view(row)


@writes
def start(ctx: Context, client_ref: str, *, at: str | None = None, description: str = "", tz: str | None = None,
          billable: bool = True, allow_overlap: bool = False) -> EntryView:
    """Start the timer for a client now, or at ``at`` (backdated, read in ``tz`` or the home zone).

    Raises Conflict if a timer runs already, the start falls inside another entry or the client is archived;
    InvalidValue for unreadable or future times.
    """
    tz = tz or ctx.profile().home_tz
    zone(tz)
    description = clean_text(description, "description")
    client = active_client(ctx, client_ref)
    now = ctx.clock.now()
    begin = parse_when(at, tz=tz, now=now, direction="past") if at else now
    t0 = int(begin.timestamp())
    if t0 > int(now.timestamp()):
        raise InvalidValue(f"the start {fmt_local(t0, tz)} is in the future")
    with ctx.ledger.write() as conn:  # the checks and the insert in one BEGIN IMMEDIATE: no race
        current = running(ctx)
        if current is not None:
            raise Conflict(f"a timer is already running for {current.client_name} since "
                           f"{fmt_local(current.entry.start_utc, tz)}", "stop it first with 'vakit log stop'")
        overlapped = _refuse_overlap(ctx, t0, None, tz, allow=allow_overlap)
        new_id = _insert(conn, client, t0, None, tz, description, billable=billable, created=ctx.clock.now_utc(),
                         overlap_ok=overlapped)
    return get_entry(ctx, new_id)


@writes
def stop(ctx: Context, *, at: str | None = None, force: bool = False, allow_overlap: bool = False) -> EntryView:
    """Stop the running timer now or at ``at``; it may have started on an earlier day (C-06).

    Raises NotFound if no timer runs; InvalidValue if the end is not after the start or
    the entry would exceed the maximum without ``force``; Conflict for an overlap.
    """
    with ctx.ledger.write() as conn:
        current = running(ctx)
        if current is None:
            raise NotFound("no timer is running", "start one with 'vakit log start --client NAME'")
        e = current.entry
        now = ctx.clock.now()
        end = parse_when(at, tz=e.tz, now=now, direction="past") if at else now
        t1 = int(end.timestamp())
        if t1 > int(now.timestamp()):
            raise InvalidValue(f"the end {fmt_local(t1, e.tz)} is in the future")
        long = _check_length(t1 - e.start_utc, force)
        overlapped = _refuse_overlap(ctx, e.start_utc, t1, e.tz, exclude=e.id, allow=allow_overlap)
        conn.execute("UPDATE time_entries SET end_utc = ?, long_ok = ?, overlap_ok = max(overlap_ok, ?) WHERE id = ?"
                     " AND end_utc IS NULL", (t1, int(long), int(overlapped), e.id))
    return get_entry(ctx, e.id)


@dataclass(frozen=True)
class Status:
    """The running timer (or None) and today's total in seconds in the home zone, running time included."""

    running: EntryView | None
    elapsed: int
    today_seconds: int
    tz: str


def status(ctx: Context) -> Status:
    """What runs now and how much was logged today (local day in the home zone)."""
    tz = ctx.profile().home_tz
    now = ctx.clock.now_utc()
    today = datetime.fromtimestamp(now, zone(tz)).date()
    lo, hi = local_midnight_utc(today, tz), local_midnight_utc(today + timedelta(days=1), tz)
    rows = ctx.ledger.conn.execute(
        "SELECT start_utc, coalesce(end_utc, ?) AS e FROM time_entries WHERE start_utc < ? AND"
        " coalesce(end_utc, ?) > ?", (now, hi, now, lo)).fetchall()
    total = union_seconds([(max(r[0], lo), min(r[1], hi)) for r in rows if r[1] > r[0]])
    cur = running(ctx)
    return Status(cur, (now - cur.entry.start_utc) if cur else 0, total, tz)


@writes
def add(ctx: Context, client_ref: str, *, start_text: str | None = None, end_text: str | None = None,
        duration: int | None = None, on_date: str | None = None, description: str = "", tz: str | None = None,
        billable: bool = True, allow_overlap: bool = False, force: bool = False) -> EntryView:
    """Record finished work. Give ``start_text`` and ``end_text``, ``start_text`` and ``duration`` (seconds),
    or ``duration`` alone (ending now). ``on_date`` supplies the date for bare times. An end without a date
    is the first such time after the start (C-05).

    Raises InvalidValue, NotFound, Conflict (also for an archived client); nothing is stored on error.
    """
    tz = tz or ctx.profile().home_tz
    zone(tz)
    description = clean_text(description, "description")
    client = active_client(ctx, client_ref)
    now = ctx.clock.now()
    default_date = None
    if on_date:
        from vakit.core.timeparse import parse_date

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
    long = _check_length(t1 - t0, force)
    if t1 > int(now.timestamp()) + 60 and not force:
        raise InvalidValue(f"the entry ends in the future ({fmt_local(t1, tz)})", "check the date, or pass --force")
    with ctx.ledger.write() as conn:
        overlapped = _refuse_overlap(ctx, t0, t1, tz, allow=allow_overlap)
        new_id = _insert(conn, client, t0, t1, tz, description, billable=billable, created=ctx.clock.now_utc(),
                         overlap_ok=overlapped, long_ok=long)
    return get_entry(ctx, new_id)


def _editable(ctx: Context, entry_id: int) -> EntryView:
    view = get_entry(ctx, entry_id)
    inv = view.entry.invoice_id
    if inv is not None:
        row = ctx.ledger.conn.execute("SELECT status, number FROM invoices WHERE id = ?", (inv,)).fetchone()
        if row["status"] == "issued":
            raise Locked(f"time entry #{entry_id} is billed on invoice {row['number']} and cannot be changed",
                         "an issued invoice is final")
        raise Locked(f"time entry #{entry_id} is on draft invoice #{inv}",
                     f"delete the draft first: vakit invoice delete {inv}")
    return view


@writes
def remove(ctx: Context, entry_id: int) -> EntryView:
    """Delete an entry that no invoice covers. Raises NotFound, Locked."""
    view = _editable(ctx, entry_id)
    with ctx.ledger.write() as conn:
        conn.execute("DELETE FROM time_entries WHERE id = ?", (entry_id,))
    return view


@writes
def edit(ctx: Context, entry_id: int, *, description: str | None = None, start_text: str | None = None,
         end_text: str | None = None, billable: bool | None = None, client_ref: str | None = None,
         allow_overlap: bool = False, force: bool = False) -> EntryView:
    """Change an entry that no invoice covers (times read in the entry's zone). Raises NotFound, Locked,
    InvalidValue, Conflict."""
    view = _editable(ctx, entry_id)
    e = view.entry
    if description is not None:
        description = clean_text(description, "description")
    now = ctx.clock.now()
    t0 = int(parse_when(start_text, tz=e.tz, now=now).timestamp()) if start_text else e.start_utc
    t1 = e.end_utc
    if end_text:
        t1 = int(parse_end(end_text, start=datetime.fromtimestamp(t0, UTC), tz=e.tz, now=now).timestamp())
    moved = t0 != e.start_utc or t1 != e.end_utc
    if moved and t1 is not None and t1 > int(now.timestamp()) + 60 and not force:
        raise InvalidValue(f"the entry would end in the future ({fmt_local(t1, e.tz)})",
                           "check the date, or pass --force")
    long = overlapped = False
    if t1 is not None and moved:
        long = _check_length(t1 - t0, force)
        overlapped = _refuse_overlap(ctx, t0, t1, e.tz, exclude=e.id, allow=allow_overlap)
    client_id = active_client(ctx, client_ref).id if client_ref else e.client_id
    with ctx.ledger.write() as conn:
        conn.execute(
            "UPDATE time_entries SET start_utc = ?, end_utc = ?, description = ?, billable = ?, client_id = ?,"
            " origin_start_utc = CASE WHEN ? THEN NULL ELSE origin_start_utc END,"
            " long_ok = CASE WHEN ? THEN ? ELSE long_ok END, overlap_ok = CASE WHEN ? THEN ? ELSE overlap_ok END"
            " WHERE id = ?",
            (t0, t1, e.description if description is None else description,
             int(e.billable if billable is None else billable), client_id,
             int(moved), int(moved), int(long), int(moved), int(overlapped), e.id))
    return get_entry(ctx, e.id)
