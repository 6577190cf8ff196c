"""Output of ``vakit schedule import`` (the summary, the health report, warnings on stderr) and of
``vakit schedule busy``; the commands themselves are registered in :mod:`vakit.cli.schedule`."""

from __future__ import annotations

from datetime import timedelta

from rich.table import Table

from vakit.cli.common import console, err_console
from vakit.cli.render import iso_utc
from vakit.core.clock import fmt_local, fmt_range, to_local
from vakit.core.errors import InvalidValue
from vakit.core.text import one_line

#: warnings printed on stderr; the report (--report, --dry-run) lists every one
SHOWN_WARNINGS = 10


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def show_import(r, *, report: bool) -> None:
    """Print an import's warnings (stderr), its health report (``report``) and its summary line; exit 1 when
    the file had events and none could be read."""
    warn = err_console()
    every = [*r.reading.warnings, *r.warnings]
    for text in every[:SHOWN_WARNINGS]:
        warn.print(one_line(f"vakit: warning: {text}"), soft_wrap=True)
    if len(every) > SHOWN_WARNINGS:
        more = len(every) - SHOWN_WARNINGS
        where = "listed in the report above" if report or r.dry_run else "--report lists them all"
        warn.print(f"vakit: warning: {more} more warning{'s' if more > 1 else ''} ({where})", soft_wrap=True)
    for text in r.reading.notes:
        warn.print(one_line(f"vakit: note: {text}"), soft_wrap=True)
    out = console()
    if report or r.dry_run:
        for line in report_lines(r):
            out.print(one_line(line) if not line.startswith("  ") else "  " + one_line(line[2:]), soft_wrap=True)
    rd = r.reading
    if rd.events and rd.skipped == rd.events:
        raise InvalidValue(one_line(f"{r.source}: no event could be read ({_n(rd.skipped, 'event')} skipped, listed "
                                    "above); nothing was changed"))
    out.print(one_line(summary(r)), soft_wrap=True)


def summary(r) -> str:
    """``Imported 6 busy times from work.ics …`` (or ``Would import`` for a dry run)."""
    rd = r.reading
    what = f"appointments with {r.client}" if r.client else "busy times"
    verb = "Would import" if r.dry_run else "Imported"
    w = r.window
    counts = [f"{r.added} added", f"{r.updated} updated", f"{r.unchanged} unchanged"]
    for n, text in ((r.cancelled, "cancelled"), (r.removed, "removed (no longer in the series)"),
                    (r.older, "older SEQUENCE ignored"), (r.transparent, "free (TRANSP:TRANSPARENT), not imported"),
                    (r.not_stored, "not stored")):
        if n:
            counts.append(f"{n} {text}")
    own = ""
    if r.own:
        own = (f"; {len(r.own)} event{'s are' if len(r.own) > 1 else ' is'} vakit's own appointment"
               f"{'s' if len(r.own) > 1 else ''}: left out")
        if r.own_removed:
            own += f" ({_n(r.own_removed, 'busy time')} an earlier import made of them removed)"
    tail = "; nothing was stored (dry run)" if r.dry_run else ""
    return (f"{verb} {what} from {r.source}: {_n(rd.events, 'event')}, {_n(len(rd.occurrences), 'occurrence')} "
            f"in {w.first} – {w.last} ({w.home_tz}); {', '.join(counts)}{own}{tail}.")


def report_lines(r) -> list[str]:
    """The health report: the file, the window, events and occurrences, zones and how each was read, warnings."""
    rd = r.reading
    w = r.window
    lines = [f"Calendar file: {r.source}",
             f"Window: {w.first:%a %d %b %Y} – {w.last:%a %d %b %Y} ({w.home_tz}; --from/--to to change)"]
    parts = [f"{_n(rd.events, 'VEVENT')} in {_n(rd.series, 'series', 'series')}", f"{rd.skipped} skipped"]
    if rd.outside:
        parts.append(f"{_n(rd.outside, 'series', 'series')} with no occurrence in the window")
    others = ", ".join(f"{n} {kind}" for kind, n in sorted(rd.others.items()))
    if others:
        parts.append(f"not events, ignored: {others}")
    lines.append("Events: " + "; ".join(parts))
    cancelled = sum(o.status == "CANCELLED" for o in rd.occurrences)
    all_day = sum(o.all_day for o in rd.occurrences)
    extra = [t for n, t in ((cancelled, f"{cancelled} cancelled"), (all_day, f"{all_day} all-day, as whole days in "
                                                                             f"{w.home_tz}")) if n]
    lines.append(f"Occurrences in the window: {len(rd.occurrences)}" + (f" ({', '.join(extra)})" if extra else ""))
    if r.no_duration:
        lines.append(f"Without a duration (DTSTART only): {r.no_duration}" + (
            "; not imported as appointments" if r.client else "; kept, they block nothing"))
    if r.own:
        shown = ", ".join(r.own[:5]) + (f" and {len(r.own) - 5} more" if len(r.own) > 5 else "")
        lines.append(f"vakit's own appointments, left out: {len(r.own)} (UID {shown})")
    lines.append("Zones:" if rd.zones else "Zones: none (UTC and dates only)")
    lines += [f"  {z}" for z in rd.zones]
    warnings = [*rd.warnings, *r.warnings, *rd.notes]
    lines.append(f"Warnings: {len(warnings)}" if warnings else "Warnings: none")
    lines += [f"  {text}" for text in warnings]
    return lines


def busy_table(items, home_tz: str, extra_tz: str | None = None) -> Table:
    """Busy times in your time (and ``extra_tz``): all-day ones as dates, the rest as ranges."""
    t = Table(title=f"Busy times from imported calendars (your time: {home_tz}"
                    + (f"; also {extra_tz}" if extra_tz else "") + ")")
    for col in ["when", *([extra_tz] if extra_tz else []), "what", "file", "status"]:
        t.add_column(col, overflow="fold")
    for b in items:
        cells = [_when(b, home_tz)] + ([_when(b, extra_tz)] if extra_tz else [])
        t.add_row(*cells, b.summary or "busy", b.source, b.status.lower())
    return t


def _when(b, tz: str) -> str:
    if b.all_day:
        first = to_local(b.start_utc, b.tz).date()
        last = to_local(b.end_utc, b.tz).date() - timedelta(days=1)
        days = f"{first:%a %d %b %Y}" if last <= first else f"{first:%a %d %b} – {last:%a %d %b %Y}"
        return f"{days} (all day, {b.tz})"
    if b.end_utc == b.start_utc:
        return f"{fmt_local(b.start_utc, tz)} (no duration)"
    return fmt_range(b.start_utc, b.end_utc, tz)


def busy_json(b) -> dict:
    """A busy time as JSON."""
    return {"id": b.id, "source": b.source, "uid": b.uid, "occurrence": b.occurrence, "start": iso_utc(b.start_utc),
            "end": iso_utc(b.end_utc), "tz": b.tz, "all_day": b.all_day, "summary": b.summary,
            "location": b.location, "description": b.description, "status": b.status, "sequence": b.sequence,
            "imported": iso_utc(b.imported_utc)}
