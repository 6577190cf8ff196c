"""``vakit schedule import``: a calendar file's events become busy times, or one client's appointments (issue 8).

Reading (zones, recurrence, bad events) is :mod:`vakit.services.calendar_events`; this module chooses the window,
stores what was read in one write transaction and counts what happened.

Busy times are keyed by (file name, UID, RECURRENCE-ID). Importing the same file again changes nothing; a later
version of the file updates each occurrence whose SEQUENCE is the same or higher (a lower one is ignored),
marks cancelled instances CANCELLED and removes, within the window, the occurrences a series no longer has
(an EXDATE added, an RRULE shortened). Events missing from the file are left alone: an invitation holds one event.

As appointments (``client``): an event keeps its UID and SEQUENCE; an occurrence of a recurring event becomes a
single appointment whose UID is ``<UID>#<RECURRENCE-ID>``. An occurrence a series no longer has is cancelled.

vakit's own appointments (:func:`vakit.services.busy.own_uids`, as ``schedule sync`` leaves them out) are left
out and counted in ``own``: as busy times they would clash with themselves. As appointments only those vakit
made count (``made_here``), so a client's calendar imported again still updates what its first import made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from vakit.core.clock import check_zone, zone
from vakit.core.errors import InvalidValue
from vakit.core.text import LIMITS
from vakit.core.timeparse import parse_date
from vakit.services.calendar_events import Occurrence, Reading, Window, read_events
from vakit.services.context import Context

#: the default window: from 30 days ago to a year ahead (local dates in the VA's home zone)
DAYS_BACK, DAYS_AHEAD = 30, 365
#: the longest window ``--from``/``--to`` may give
MAX_WINDOW_DAYS = 36600
#: busy times keep longer descriptions than typed ones (meeting invitations carry dial-in text)
BUSY_DESCRIPTION = 4000


@dataclass
class CalendarImport:
    """What an import did (or, with ``dry_run``, would do)."""

    source: str
    window: Window
    reading: Reading
    dry_run: bool
    client: str | None = None  # appointments of this client; None: busy times
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    removed: int = 0
    older: int = 0
    transparent: int = 0
    no_duration: int = 0
    not_stored: int = 0
    own: list[str] = field(default_factory=list)  # UIDs of vakit's own appointments in the file, left out
    own_removed: int = 0  # busy times an earlier import had made of them, removed
    warnings: list[str] = field(default_factory=list)

    @property
    def kept(self) -> int:
        """Occurrences in the window that this import stores (or keeps as they were)."""
        return self.added + self.updated + self.unchanged


def read_window(ctx: Context, from_: str | None, to: str | None) -> Window:
    """The window events are read in: local dates ``from_``–``to`` of the home zone, by default
    :data:`DAYS_BACK` days back to :data:`DAYS_AHEAD` ahead (``schedule import`` and ``schedule sync``). Raises
    InvalidValue for a date that cannot be read, an empty or a too long window."""
    home = ctx.profile().home_tz
    today = ctx.clock.now().astimezone(zone(home)).date()
    first = parse_date(from_, today=today) if from_ else today - timedelta(days=DAYS_BACK)
    last = parse_date(to, today=today) if to else today + timedelta(days=DAYS_AHEAD)
    if last < first:
        raise InvalidValue(f"--to {last} is before --from {first}")
    if (last - first).days > MAX_WINDOW_DAYS:
        raise InvalidValue(f"the window {first} – {last} is longer than 100 years", "give a shorter --from/--to")
    return Window(first, last, home)


def import_calendar(ctx: Context, path: Path, *, client: str | None = None, as_appointments: bool = False,
                    tz: str | None = None, from_: str | None = None, to: str | None = None,
                    dry_run: bool = False) -> CalendarImport:
    """Import ``path``. Raises InvalidValue for bad options or a file that cannot be read at all (nothing is
    changed then); a bad event or zone is a warning in the result and the rest is imported."""
    from vakit.services.client_lookup import active_client
    from vakit.services.ics_reading import parse_blocks, read_calendar

    if as_appointments and not client:
        raise InvalidValue("--as-appointments needs --client NAME", "e.g. --client Acme --as-appointments")
    the_client = active_client(ctx, client) if client else None
    if tz:
        check_zone(tz)
    window = read_window(ctx, from_, to)
    cal = read_calendar(path)
    parse_blocks(cal)
    reading = read_events(cal, window, tz=tz)
    source = _source_name(path.name)
    result = CalendarImport(source, window, reading, dry_run, the_client.name if the_client else None)
    chosen = _latest(reading.occurrences)

    def store() -> None:
        theirs, mine = _leave_out_own(ctx, result, chosen)
        if the_client is None:
            plans = _plan_busy(ctx, result, theirs)
            plans += _forget_own(ctx, result, mine, {args[0] for sql, args in plans if sql.startswith("DELETE")})
        else:
            plans = _plan_appointments(ctx, result, theirs, the_client)
        if not dry_run:
            for sql, args in plans:
                ctx.ledger.conn.execute(sql, args)

    if dry_run:
        store()
    else:
        with ctx.ledger.write():  # what is read and what is written on it, in one transaction
            store()
    return result


def _source_name(name: str) -> str:
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in name).strip() or "calendar.ics"
    return cleaned[:200]


def _latest(occurrences: list[Occurrence]) -> list[Occurrence]:
    """One occurrence per (UID, RECURRENCE-ID): the one with the highest SEQUENCE, the later in the file on a tie."""
    best: dict[tuple[str, str], Occurrence] = {}
    for o in occurrences:
        key = (o.uid, o.occurrence)
        if key not in best or o.sequence >= best[key].sequence:
            best[key] = o
    return sorted(best.values(), key=lambda o: (o.start_utc, o.uid, o.occurrence))


def _leave_out_own(ctx: Context, result: CalendarImport,
                   chosen: list[Occurrence]) -> tuple[list[Occurrence], list[Occurrence]]:
    """``chosen`` split into the others' events and vakit's own appointments (their UIDs in ``result.own``): as
    busy times these would clash with themselves (``schedule sync`` leaves them out too), and an import does not
    change them. As appointments (``--client``) only those vakit made count, so importing a client's calendar
    again still updates what the first import made of it."""
    from vakit.services.busy import is_own, own_uids

    own = own_uids(ctx, made_here=result.client is not None)
    theirs, mine = [], []
    for o in chosen:
        if is_own(o.uid, o.occurrence, own):
            mine.append(o)
            if o.uid not in result.own:
                result.own.append(o.uid)
        else:
            theirs.append(o)
    return theirs, mine


def _forget_own(ctx: Context, result: CalendarImport, mine: list[Occurrence],
                planned: set[int]) -> list[tuple[str, tuple]]:
    """Remove the busy times an earlier import made of vakit's own appointments ``mine`` (before vakit left
    them out, they were stored and clashed with the appointments themselves); ``planned``: ids already removed."""
    plans = []
    for o in mine:
        for (rid,) in ctx.ledger.conn.execute("SELECT id FROM busy_times WHERE source = ? AND uid = ? AND"
                                              " occurrence = ?", (result.source, o.uid, o.occurrence)).fetchall():
            if rid not in planned:
                result.own_removed += 1
                plans.append(("DELETE FROM busy_times WHERE id = ?", (rid,)))
    return plans


def _clip(text: str, limit: int, what: str, o: Occurrence, result: CalendarImport, *, multiline: bool) -> str:
    if not multiline:
        text = " ".join(text.split())
    if len(text) <= limit:
        return text
    result.warnings.append(f"{result.source} line {o.line} (UID {o.uid}): {what} longer than {limit} characters; "
                           "the rest was left out")
    return text[: limit - 1].rstrip() + "…"


def _plan_busy(ctx: Context, result: CalendarImport, chosen: list[Occurrence]) -> list[tuple[str, tuple]]:
    """The statements that store ``chosen`` as busy times, counted in ``result``."""
    conn = ctx.ledger.conn
    now = ctx.clock.now_utc()
    src = result.source
    window = result.window
    kept: dict[str, set[str]] = {}
    top_sequence: dict[str, int] = {}
    plans = []
    for o in chosen:
        if o.transparent:
            result.transparent += 1
            continue
        row = (o.start_utc, o.end_utc, o.tz, int(o.all_day),
               _clip(o.summary, LIMITS["title"][0], "SUMMARY", o, result, multiline=False),
               _clip(o.location, LIMITS["location"][0], "LOCATION", o, result, multiline=False),
               _clip(o.description, BUSY_DESCRIPTION, "DESCRIPTION", o, result, multiline=True), o.status, o.sequence)
        old = conn.execute("SELECT id, start_utc, end_utc, tz, all_day, summary, location, description, status,"
                           " sequence FROM busy_times WHERE source = ? AND uid = ? AND occurrence = ?",
                           (src, o.uid, o.occurrence)).fetchone()
        kept.setdefault(o.uid, set()).add(o.occurrence)
        top_sequence[o.uid] = max(top_sequence.get(o.uid, 0), o.sequence)
        if o.end_utc == o.start_utc and o.status != "CANCELLED":
            result.no_duration += 1
        if old is None:
            if o.status == "CANCELLED":
                result.cancelled += 1
            else:
                result.added += 1
            plans.append(("INSERT INTO busy_times (start_utc, end_utc, tz, all_day, summary, location, description,"
                          " status, sequence, source, uid, occurrence, imported_utc) VALUES"
                          " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*row, src, o.uid, o.occurrence, now)))
        elif old["sequence"] > o.sequence:
            result.older += 1
        elif tuple(old)[1:] == row:
            result.unchanged += 1
        else:
            result.updated += 1
            result.cancelled += o.status == "CANCELLED" and old["status"] != "CANCELLED"
            plans.append(("UPDATE busy_times SET start_utc = ?, end_utc = ?, tz = ?, all_day = ?, summary = ?,"
                          " location = ?, description = ?, status = ?, sequence = ?, imported_utc = ? WHERE id = ?",
                          (*row, now, old["id"])))
    for uid, occurrences in kept.items():
        # what a series no longer has within the window (an EXDATE added, an RRULE shortened)
        for rid, occurrence in conn.execute(
                "SELECT id, occurrence FROM busy_times WHERE source = ? AND uid = ? AND start_utc < ? AND (end_utc > ?"
                " OR end_utc = start_utc AND start_utc >= ?) AND sequence <= ?",
                (src, uid, window.end_utc, window.start_utc, window.start_utc, top_sequence[uid])).fetchall():
            if occurrence not in occurrences:
                result.removed += 1
                plans.append(("DELETE FROM busy_times WHERE id = ?", (rid,)))
    return plans


def _plan_appointments(ctx: Context, result: CalendarImport, chosen: list[Occurrence],
                       client) -> list[tuple[str, tuple]]:
    """The statements that store ``chosen`` as ``client``'s appointments, counted in ``result``."""
    conn = ctx.ledger.conn
    now = ctx.clock.now_utc()
    window = result.window
    plans = []
    series: dict[str, set[str]] = {}
    for o in chosen:
        if o.end_utc <= o.start_utc:
            result.no_duration += 1
            continue
        uid = f"{o.uid}#{o.occurrence}" if o.occurrence else o.uid
        if o.occurrence:
            series.setdefault(o.uid, set()).add(uid)
        status = "CANCELLED" if o.status == "CANCELLED" else "CONFIRMED"
        title = _clip(o.summary, LIMITS["title"][0], "SUMMARY", o, result, multiline=False) or "(no title)"
        row = (title, _clip(o.location, LIMITS["location"][0], "LOCATION", o, result, multiline=False),
               _clip(o.description, LIMITS["appointment description"][0], "DESCRIPTION", o, result, multiline=True),
               o.start_utc, o.end_utc, o.tz, status, o.sequence)
        old = conn.execute("SELECT a.id, a.title, a.location, a.description, a.start_utc, a.end_utc, a.tz, a.status,"
                           " a.sequence, a.client_id, c.name FROM appointments a JOIN clients c ON c.id = a.client_id"
                           " WHERE a.uid = ?", (uid,)).fetchone()
        if old is None:
            if status == "CANCELLED":
                result.not_stored += 1
                continue
            result.added += 1
            plans.append(("INSERT INTO appointments (title, location, description, start_utc, end_utc, tz, status,"
                          " sequence, uid, client_id, created_utc, modified_utc) VALUES"
                          " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*row, uid, client.id, now, now)))
        elif old["client_id"] != client.id:
            result.not_stored += 1
            result.warnings.append(f"{result.source} line {o.line} (UID {o.uid}): already an appointment with "
                                   f"{old['name']} (#{old['id']}); not changed")
        elif old["sequence"] > o.sequence:
            result.older += 1
        elif tuple(old)[1:9] == row:
            result.unchanged += 1
        else:
            result.updated += 1
            result.cancelled += status == "CANCELLED" and old["status"] != "CANCELLED"
            plans.append(("UPDATE appointments SET title = ?, location = ?, description = ?, start_utc = ?,"
                          " end_utc = ?, tz = ?, status = ?, sequence = ?, modified_utc = ? WHERE id = ?",
                          (*row, now, old["id"])))
    for uid, kept in series.items():
        prefix = f"{uid}#"
        for aid, auid in conn.execute(
                "SELECT id, uid FROM appointments WHERE client_id = ? AND substr(uid, 1, ?) = ? AND status ="
                " 'CONFIRMED' AND start_utc < ? AND end_utc > ?",
                (client.id, len(prefix), prefix, window.end_utc, window.start_utc)).fetchall():
            if auid not in kept:
                result.removed += 1
                plans.append(("UPDATE appointments SET status = 'CANCELLED', sequence = sequence + 1,"
                              " modified_utc = ? WHERE id = ?", (now, aid)))
    return plans
