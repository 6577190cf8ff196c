"""The running timer: start, stop, switch, resume, cancel, status, and the limit on how long one may run.

One timer runs at a time (a unique index on ``end_utc IS NULL``). A timer may have started on an earlier
day (C-06). ``switch`` stops the running timer and starts the next at the same instant, so the two entries
are back to back: no gap, no overlap (intervals are half-open, C-13). Every change is one journal change
for ``vakit log undo``. Timer entries record the source ``timer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from vakit.core.clock import fmt_hm, fmt_local, fmt_span, to_local, zone
from vakit.core.durations import parse_duration
from vakit.core.errors import Conflict, InvalidValue, NotFound
from vakit.core.models import Client
from vakit.core.periods import local_midnight_utc, union_seconds
from vakit.core.tags import check_tags, split_tags
from vakit.core.text import clean_text
from vakit.core.timeparse import has_date, parse_when
from vakit.services.changes import Change
from vakit.services.client_lookup import active_client
from vakit.services.context import Context, writes
from vakit.services.timesheet import (
    ENTRY_SELECT,
    MAX_ENTRY_SECONDS,
    EntryView,
    _refuse_overlap,
    check_span,
    client_or_own,
    entry_view,
    get_entry,
    insert_entry,
    read_end,
    running,
    summary,
)

#: a timer running longer than this is named by ``status`` and by the next ``log`` command (meta key below)
DEFAULT_TIMER_MAX = 12 * 3600
TIMER_MAX_KEY = "timer_max_seconds"


def timer_max(ctx: Context) -> int:
    """The configured timer maximum in seconds (default :data:`DEFAULT_TIMER_MAX`)."""
    row = ctx.ledger.conn.execute("SELECT value FROM meta WHERE key = ?", (TIMER_MAX_KEY,)).fetchone()
    return int(row[0]) if row else DEFAULT_TIMER_MAX


@writes
def set_timer_max(ctx: Context, text: str) -> int:
    """Set the timer maximum from a duration (``10h``, ``8:30``); 1 minute to the 16:00 entry maximum.
    Returns seconds. Raises InvalidValue."""
    seconds = parse_duration(text)
    if not 60 <= seconds <= MAX_ENTRY_SECONDS:
        raise InvalidValue(f"a timer maximum of {fmt_span(seconds)} is outside 0:01–{fmt_hm(MAX_ENTRY_SECONDS)}")
    with ctx.ledger.write() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value ="
                     " excluded.value", (TIMER_MAX_KEY, str(seconds)))
    return seconds


def long_timer_note(ctx: Context) -> str | None:
    """A line naming the running timer when it has run longer than the maximum, with the fix; else None."""
    cur = running(ctx)
    if cur is None:
        return None
    limit = timer_max(ctx)
    elapsed = ctx.clock.now_utc() - cur.entry.start_utc
    if elapsed <= limit:
        return None
    return (f"the timer #{cur.entry.id} ({cur.client_name or 'own time'}) has run {fmt_span(elapsed)} since "
            f"{fmt_local(cur.entry.start_utc, cur.entry.tz)}, more than the {fmt_hm(limit)} maximum; if it was "
            "forgotten: 'vakit log stop --at TIME' (or 'vakit log cancel')")


def _begin(ctx: Context, at: str | None, tz: str) -> int:
    """The start instant: now, or ``at`` read in ``tz`` looking back. Raises InvalidValue for the future."""
    now = ctx.clock.now()
    t0 = int((parse_when(at, tz=tz, now=now, direction="past") if at else now).timestamp())
    if t0 > int(now.timestamp()):
        raise InvalidValue(f"the start {fmt_local(t0, tz)} is in the future")
    return t0


def _refuse_second(ctx: Context, tz: str) -> None:
    current = running(ctx)
    if current is not None:
        raise Conflict(f"a timer is already running for {current.client_name or 'own time'} since "
                       f"{fmt_local(current.entry.start_utc, tz)}",
                       "'vakit log switch' stops it and starts the next at the same instant")


def _start_entry(ctx: Context, change: Change, client: Client | None, t0: int, tz: str, description: str,
                 tags: tuple[str, ...], billable: bool, allow_overlap: bool) -> int:
    overlapped = _refuse_overlap(ctx, t0, None, tz, allow=allow_overlap)
    new_id = insert_entry(ctx.ledger.conn, client, t0, None, tz, description, tags=tags, billable=billable,
                          source="timer", created=ctx.clock.now_utc(), overlap_ok=overlapped)
    change.inserted("time_entries", new_id)
    return new_id


@writes
def start(ctx: Context, client_ref: str | None, *, at: str | None = None, description: str = "",
          tz: str | None = None, tags: tuple[str, ...] = (), billable: bool = True,
          allow_overlap: bool = False) -> EntryView:
    """Start the timer for a client (``client_ref`` None: own, non-billable time) now, or at ``at``
    (backdated, read in ``tz`` or the home zone).

    Raises Conflict if a timer runs already, the start falls inside another entry or the client is archived;
    InvalidValue for unreadable or future times.
    """
    tz = tz or ctx.profile().home_tz
    zone(tz)
    description = clean_text(description, "description")
    tags = check_tags(tags)
    t0 = _begin(ctx, at, tz)
    with ctx.ledger.write() as conn:  # the checks and the insert in one BEGIN IMMEDIATE: no race
        _refuse_second(ctx, tz)
        change = Change(conn, "start", ctx.clock.now_utc())
        view = get_entry(ctx, _start_entry(ctx, change, client_or_own(ctx, client_ref), t0, tz, description, tags,
                                           billable, allow_overlap))
        change.finish(summary("start", view))
    return view


def _end(ctx: Context, e, at: str | None) -> int:
    """Where to stop the running entry ``e``: now, or ``at`` read relative to the entry — a bare time is the
    first such time after its start. Raises InvalidValue naming what was understood."""
    now = ctx.clock.now()
    if not at:
        t1 = int(now.timestamp())
        if t1 <= e.start_utc:  # stopped the second it started: there is nothing to log yet
            raise InvalidValue(f"the timer #{e.id} started at {fmt_local(e.start_utc, e.tz)} and has not run a "
                               "second yet", "stop it later, or drop it: vakit log cancel")
    elif has_date(at, now.astimezone(zone(e.tz)).date()):
        t1 = int(parse_when(at, tz=e.tz, now=now, direction="past").timestamp())
    else:
        t1 = read_end(at, e.start_utc, e.tz, now)
        if t1 > int(now.timestamp()):
            own_day = to_local(e.start_utc, e.tz).date()
            same_day = int(parse_when(at, tz=e.tz, now=now, default_date=own_day).timestamp())
            if same_day <= e.start_utc:
                raise InvalidValue(f"the end {fmt_local(same_day, e.tz)} is before the start "
                                   f"{fmt_local(e.start_utc, e.tz)}, and {fmt_local(t1, e.tz)} is in the future")
    if t1 > int(now.timestamp()):
        raise InvalidValue(f"the end {fmt_local(t1, e.tz)} is in the future")
    return t1


def _close(ctx: Context, change: Change, current: EntryView, t1: int, force: bool, allow_overlap: bool) -> None:
    e = current.entry
    long = check_span(e.start_utc, t1, e.tz, force)
    overlapped = _refuse_overlap(ctx, e.start_utc, t1, e.tz, exclude=e.id, allow=allow_overlap)
    change.before("time_entries", e.id)
    ctx.ledger.conn.execute("UPDATE time_entries SET end_utc = ?, long_ok = ?, overlap_ok = max(overlap_ok, ?)"
                            " WHERE id = ? AND end_utc IS NULL", (t1, int(long), int(overlapped), e.id))


def _running_or_refuse(ctx: Context) -> EntryView:
    current = running(ctx)
    if current is None:
        raise NotFound("no timer is running", "start one with 'vakit log start'")
    return current


@writes
def stop(ctx: Context, *, at: str | None = None, force: bool = False, allow_overlap: bool = False) -> EntryView:
    """Stop the running timer now or at ``at``; it may have started on an earlier day (C-06).

    Raises NotFound if no timer runs; InvalidValue if the end is not after the start or the entry would
    exceed the maximum without ``force`` (both naming the times as understood); Conflict for an overlap.
    """
    with ctx.ledger.write() as conn:
        current = _running_or_refuse(ctx)
        change = Change(conn, "stop", ctx.clock.now_utc())
        _close(ctx, change, current, _end(ctx, current.entry, at), force, allow_overlap)
        view = get_entry(ctx, current.entry.id)
        change.finish(summary("stop", view))
    return view


@dataclass(frozen=True)
class Switched:
    """The entry ``switch`` stopped and the one it started, back to back."""

    stopped: EntryView
    started: EntryView


@writes
def switch(ctx: Context, client_ref: str | None, *, at: str | None = None, description: str = "",
           tags: tuple[str, ...] = (), billable: bool = True, force: bool = False,
           allow_overlap: bool = False) -> Switched:
    """Stop the running timer and start another at the same instant (now, or ``at`` read relative to the
    running entry): no gap, no overlap. The new timer keeps the running one's zone.

    Raises NotFound when no timer runs; as :func:`stop` and :func:`start` otherwise.
    """
    description = clean_text(description, "description")
    tags = check_tags(tags)
    with ctx.ledger.write() as conn:
        current = _running_or_refuse(ctx)
        client = client_or_own(ctx, client_ref)
        e = current.entry
        t = _end(ctx, e, at)
        change = Change(conn, "switch", ctx.clock.now_utc())
        _close(ctx, change, current, t, force, allow_overlap)
        new_id = _start_entry(ctx, change, client, t, e.tz, description, tags, billable, allow_overlap)
        out = Switched(get_entry(ctx, e.id), get_entry(ctx, new_id))
        change.finish(f"switch: stop #{e.id}, {summary('start', out.started)}")
    return out


@writes
def resume(ctx: Context, entry_id: int | None = None, *, at: str | None = None,
           allow_overlap: bool = False) -> EntryView:
    """Start the timer again with the client, description, tags and billable flag of entry ``entry_id``, or
    of the last finished entry (the one that ended last). Raises NotFound, Conflict (a timer runs, the
    client is archived)."""
    with ctx.ledger.write() as conn:
        if entry_id is None:
            row = conn.execute(f"{ENTRY_SELECT} WHERE e.end_utc IS NOT NULL ORDER BY e.end_utc DESC, e.id DESC"
                               " LIMIT 1").fetchone()
            if row is None:
                raise NotFound("no entry to resume yet", "start one with 'vakit log start'")
            model = entry_view(row)
        else:
            model = get_entry(ctx, entry_id)
        m = model.entry
        tz = ctx.profile().home_tz
        _refuse_second(ctx, tz)
        t0 = _begin(ctx, at, tz)
        change = Change(conn, "resume", ctx.clock.now_utc())
        client = active_client(ctx, f"#{m.client_id}") if m.client_id is not None else None
        view = get_entry(ctx, _start_entry(ctx, change, client, t0, tz, m.description, split_tags(m.tags),
                                           m.billable, allow_overlap))
        change.finish(f"resume #{m.id}: {summary('start', view)}")
    return view


@writes
def cancel(ctx: Context) -> EntryView:
    """Discard the running timer (``vakit log undo`` brings it back). Raises NotFound."""
    with ctx.ledger.write() as conn:
        current = _running_or_refuse(ctx)
        change = Change(conn, "cancel", ctx.clock.now_utc())
        change.before("time_entries", current.entry.id)
        conn.execute("DELETE FROM time_entries WHERE id = ? AND end_utc IS NULL", (current.entry.id,))
        change.finish(f"cancel #{current.entry.id} {current.client_name or '(own time)'} since "
                      f"{fmt_local(current.entry.start_utc, current.entry.tz)}")
    return current


@dataclass(frozen=True)
class Status:
    """The running timer (or None), its elapsed seconds, today's logged seconds in the home zone (running time
    included; the sum ``log report --date today`` shows), the home zone, the note when the timer has run past
    the maximum, and today's worked seconds (parallel work counted once)."""

    running: EntryView | None
    elapsed: int
    today_seconds: int
    tz: str
    long_note: str | None = None
    today_worked: int = 0


def status(ctx: Context) -> Status:
    """What runs now and how much was logged today (local day in the home zone)."""
    tz = ctx.profile().home_tz
    now = ctx.clock.now_utc()
    today = datetime.fromtimestamp(now, zone(tz)).date()
    lo, hi = local_midnight_utc(today, tz), local_midnight_utc(today + timedelta(days=1), tz)
    from vakit.services.timesheet import overlapping_spans

    rows = [(r[1], now if r[2] is None else r[2]) for r in overlapping_spans(ctx.ledger.conn, lo, hi)]
    spans = [(max(a, lo), min(b, hi)) for a, b in rows if b > a and b > lo]
    cur = running(ctx)
    return Status(cur, (now - cur.entry.start_utc) if cur else 0, sum(b - a for a, b in spans if b > a), tz,
                  long_timer_note(ctx), union_seconds(spans))

