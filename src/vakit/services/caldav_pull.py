"""The pull half of ``vakit schedule sync``: a CalDAV calendar's events become busy times (issue 8).

Each calendar object resource the server returns for the window (RFC 4791 §7.8 calendar-query with a
time-range, §9.9) is read like a calendar file by ``vakit schedule import`` (:mod:`vakit.services.ics_reading`,
:mod:`vakit.services.calendar_events`: zones, recurrence, a bad event reported and skipped) and stored the same
way (:func:`vakit.services.calendar_import._plan_busy`: keyed by source, UID and RECURRENCE-ID; a lower
SEQUENCE never replaces a higher one), with the source ``caldav:host/path``.

Left out: events whose UID is vakit's own (an appointment or series of this ledger, or anything vakit pushed to
a CalDAV calendar) — they would clash with themselves. An event no longer on the server, or no longer with an
occurrence in the window, loses its busy times in the window (``gone``); one the server still holds but vakit
cannot read keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vakit.services.busy import own_uids
from vakit.services.caldav_server import CalendarServer
from vakit.services.calendar_import import CalendarImport, _latest, _plan_busy
from vakit.services.calendar_types import Reading, Window
from vakit.services.context import Context


@dataclass
class Pull:
    """What a pull stored (or, dry, would store): ``stored`` holds the import counters (added, updated,
    unchanged, cancelled, removed, older, transparent) and the reading (events, skipped, warnings);
    ``resources`` the calendar objects read, ``own`` those left out as vakit's, ``gone`` busy times removed
    because their event left the server or the window."""

    stored: CalendarImport
    resources: int = 0
    own: int = 0
    gone: int = 0
    notes: list[str] = field(default_factory=list)


def pull(ctx: Context, server: CalendarServer, source: str, window: Window, *, tz: str | None = None,
         dry_run: bool) -> Pull:
    """Read the events of ``server``'s calendar within ``window`` and store them as busy times from ``source``
    (``tz``: the zone of floating times and unknown zone names, as ``schedule import --tz``), in one write
    transaction after every request has been answered; nothing when ``dry_run``.
    Raises VakitError (one line) when the server cannot be read; nothing is changed then."""
    from vakit.services.calendar_events import read_events
    from vakit.services.ics_reading import parse_blocks, split_components

    fetched = server.events(window.start_utc, window.end_utc)
    reading = Reading()
    result = Pull(CalendarImport(source, window, reading, dry_run), resources=len(fetched))
    mine = own_uids(ctx)
    protected: set[str] = set()  # on the server but unreadable: their busy times stay as they were
    occurrences = []
    for res in fetched:
        cal = split_components(res.text, res.href)
        uids = {b.uid for b in cal.blocks if b.kind == "VEVENT" and b.uid}
        if uids & mine:
            result.own += 1
            continue
        parse_blocks(cal)
        rd = read_events(cal, window, tz=tz)
        if rd.skipped:
            protected |= uids
        reading.events += rd.events
        reading.series += rd.series
        reading.skipped += rd.skipped
        reading.warnings.extend(rd.warnings)
        reading.notes.extend(rd.notes)
        reading.occurrences.extend(rd.occurrences)
        occurrences.extend(rd.occurrences)

    def plan() -> list[tuple[str, tuple]]:
        chosen = _latest(occurrences)
        plans = _plan_busy(ctx, result.stored, chosen)
        busy = {o.uid for o in chosen if not o.transparent}
        for rid, uid in ctx.ledger.conn.execute(
                "SELECT id, uid FROM busy_times WHERE source = ? AND start_utc < ? AND (end_utc > ?"
                " OR end_utc = start_utc AND start_utc >= ?)",
                (source, window.end_utc, window.start_utc, window.start_utc)).fetchall():
            if uid not in busy and uid not in protected:
                result.gone += 1
                plans.append(("DELETE FROM busy_times WHERE id = ?", (rid,)))
        return plans

    if dry_run:
        plan()
    else:
        with ctx.ledger.write():  # what is read and what is written on it, in one transaction
            for sql, args in plan():
                ctx.ledger.conn.execute(sql, args)
    return result
