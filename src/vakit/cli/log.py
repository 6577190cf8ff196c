"""``vakit log`` — the timer (start, stop, switch, resume, cancel, status), typed entries (add, edit, rm),
undo and settings; list/report and import/export register from :mod:`.log_reports` and :mod:`.log_io`."""

from __future__ import annotations

import typer

from vakit.cli.common import MAX_ID, STATE, console, context, err_console
from vakit.cli.render import emit_json, entry_json, entry_line, iso_utc
from vakit.core.clock import fmt_hm, fmt_span
from vakit.core.durations import parse_duration
from vakit.core.errors import InvalidValue
from vakit.services import timesheet

app = typer.Typer(no_args_is_help=True)

_MONTH = typer.Option(None, "--month", help="YYYY-MM.")
_FROM = typer.Option(None, "--from", help="First date (YYYY-MM-DD, yesterday, monday …).")
_TO = typer.Option(None, "--to", help="Last date, included.")
_DATE = typer.Option(None, "--date", help="One date.")
_LAST = typer.Option(None, "--last", help="The last N days up to today, e.g. 7d.")
_TZ = typer.Option(None, "--tz", help="Zone to read and show times in (default: your home zone).")


_WORDS = typer.Argument(None, help="What you are working on; words like +calls are tags.", metavar="[DESCRIPTION…]")
_CLIENT = typer.Option(None, "--client", "-c", help="The client (name, unique prefix or #id); without it the "
                       "time is your own, non-billable.")
_TAG = typer.Option(None, "--tag", "-t", help="A tag (repeat for several); '+calls' in the description does "
                    "the same.")
_OVERLAP = typer.Option(False, "--allow-overlap", help="Allow deliberately parallel work.")
_FORCE = typer.Option(False, "--force", help="Allow an entry longer than 16:00 (or ending in the future).")


def words_and_tags(words: list[str] | None, tags: list[str] | None) -> tuple[str, tuple[str, ...]]:
    """Arguments → (description, tags): an argument that is one word starting with ``+`` is a tag
    (``+calls``); the rest, joined by spaces, is the description. ``--tag`` values are added."""
    text, found = [], list(tags or [])
    for w in words or []:
        if w.startswith("+") and len(w) > 1 and not any(ch.isspace() for ch in w):
            found.append(w[1:])
        else:
            text.append(w)
    return " ".join(text), tuple(found)


def _say(verb: str, v) -> None:
    console().print(f"{verb} {entry_line(v)}", markup=False, soft_wrap=True)


def _long_timer(ctx) -> str | None:
    from vakit.services.timers import long_timer_note

    return long_timer_note(ctx)


@app.callback()
def _every_log_command(typer_ctx: typer.Context) -> None:
    """Every log command but status (which shows it itself) ends by naming a timer left running past the
    maximum, with the fix."""
    if typer_ctx.invoked_subcommand != "status" and _long_timer not in STATE.closing:
        STATE.closing.append(_long_timer)


@app.command("start")
def start(
    words: list[str] = _WORDS,
    client: str = _CLIENT,
    tag: list[str] = _TAG,
    at: str = typer.Option(None, "--at", help="Backdate the start: '9:15', '15m ago', 'yesterday 23:00'."),
    tz: str = _TZ,
    non_billable: bool = typer.Option(False, "--non-billable"),
    allow_overlap: bool = _OVERLAP,
) -> None:
    """Start the timer (for a client, or your own time)."""
    from vakit.services import timers

    description, tags = words_and_tags(words, tag)
    ctx = context()
    v = timers.start(ctx, client, at=at, description=description, tz=tz, tags=tags, billable=not non_billable,
                     allow_overlap=allow_overlap)
    _say("Started", v)


@app.command("stop")
def stop(
    at: str = typer.Option(None, "--at", help="Stop at this time: a bare time is the first such time after "
                           "the start."),
    force: bool = _FORCE,
    allow_overlap: bool = _OVERLAP,
) -> None:
    """Stop the running timer (also one started before midnight)."""
    from vakit.services import timers

    ctx = context()
    v = timers.stop(ctx, at=at, force=force, allow_overlap=allow_overlap)
    _say("Stopped", v)
    _note_invoiced(ctx, v)


@app.command("switch")
def switch(
    words: list[str] = _WORDS,
    client: str = _CLIENT,
    tag: list[str] = _TAG,
    at: str = typer.Option(None, "--at", help="Switch at this time instead of now (relative to the running "
                           "entry)."),
    non_billable: bool = typer.Option(False, "--non-billable"),
    force: bool = _FORCE,
    allow_overlap: bool = _OVERLAP,
) -> None:
    """Stop the running timer and start the next at the same instant: no gap, no overlap."""
    from vakit.services import timers

    description, tags = words_and_tags(words, tag)
    ctx = context()
    r = timers.switch(ctx, client, at=at, description=description, tags=tags, billable=not non_billable,
                      force=force, allow_overlap=allow_overlap)
    _say("Stopped", r.stopped)
    _say("Started", r.started)
    _note_invoiced(ctx, r.stopped)


@app.command("resume")
def resume(
    entry_id: int = typer.Argument(None, min=1, max=MAX_ID, help="The entry to resume (default: the last one)."),
    at: str = typer.Option(None, "--at", help="Backdate the start."),
    allow_overlap: bool = _OVERLAP,
) -> None:
    """Start the timer again with an entry's client, description and tags."""
    from vakit.services import timers

    ctx = context()
    _say("Resumed", timers.resume(ctx, entry_id, at=at, allow_overlap=allow_overlap))


@app.command("cancel")
def cancel() -> None:
    """Discard the running timer (vakit log undo brings it back)."""
    from vakit.services import timers

    ctx = context()
    _say("Cancelled", timers.cancel(ctx))


@app.command("status")
def status(as_json: bool = typer.Option(False, "--json")) -> None:
    """Show the running timer and today's total."""
    from vakit.services import timers

    s = timers.status(context())
    if as_json:
        emit_json("status", {"running": entry_json(s.running) if s.running else None, "elapsed_seconds": s.elapsed,
                             "today_seconds": s.today_seconds,
                             "today_worked_seconds": s.today_worked, "tz": s.tz, "warning": s.long_note})
        return
    out = console()
    if s.running:
        out.print(f"Running: {entry_line(s.running)} — {fmt_hm(s.elapsed)} so far", markup=False, soft_wrap=True)
    else:
        out.print("No timer is running.")
    worked = "" if s.today_worked == s.today_seconds else \
        f" ({fmt_span(s.today_worked)} worked: parallel work counted once)"
    out.print(f"Today ({s.tz}): {fmt_span(s.today_seconds)}{worked}", markup=False)
    if s.long_note:
        out.print(f"Warning: {s.long_note}", markup=False, soft_wrap=True)


@app.command("add")
def add(
    words: list[str] = _WORDS,
    client: str = _CLIENT,
    tag: list[str] = _TAG,
    from_: str = typer.Option(None, "--from", help="Start: '14:00', 'yesterday 11pm', '2026-10-05 09:30'."),
    to: str = typer.Option(None, "--to", help="End; a bare time is the first such time after the start."),
    duration: str = typer.Option(None, "--duration", help="2h30m, 90m, 1.5h or 1:30 (h:mm)."),
    on_date: str = typer.Option(None, "--date", help="Date for bare --from/--to times."),
    tz: str = _TZ,
    non_billable: bool = typer.Option(False, "--non-billable"),
    allow_overlap: bool = _OVERLAP,
    force: bool = _FORCE,
) -> None:
    """Record finished work (for a client, or your own time)."""
    description, tags = words_and_tags(words, tag)
    seconds = parse_duration(duration) if duration is not None else None
    ctx = context()
    v = timesheet.add(ctx, client, start_text=from_, end_text=to, duration=seconds, on_date=on_date,
                      description=description, tz=tz, tags=tags, billable=not non_billable,
                      allow_overlap=allow_overlap, force=force)
    _say("Added", v)
    _note_invoiced(ctx, v)


@app.command("edit")
def edit(
    entry_id: int = typer.Argument(..., min=1, max=MAX_ID),
    description: str = typer.Option(None, "--description", "-d"),
    from_: str = typer.Option(None, "--from", help="New start; a bare time is on the entry's own date."),
    to: str = typer.Option(None, "--to", help="New end; a bare time is the first such time after the start."),
    billable: bool = typer.Option(None, "--billable/--non-billable"),
    client: str = typer.Option(None, "--client", "-c", help="Move the entry to another client."),
    own: bool = typer.Option(False, "--own", help="Make it your own, non-client time."),
    tag: list[str] = typer.Option(None, "--tag", "-t", help="Add a tag (repeatable)."),
    untag: list[str] = typer.Option(None, "--untag", help="Remove a tag (repeatable)."),
    clear_tags: bool = typer.Option(False, "--clear-tags", help="Remove every tag first."),
    allow_overlap: bool = _OVERLAP,
    force: bool = _FORCE,
) -> None:
    """Change an entry that is not on an invoice."""
    if all(v is None for v in (description, from_, to, billable, client)) and not (own or tag or untag or
                                                                                    clear_tags):
        raise InvalidValue("nothing to change", "give at least one option, e.g. --description")
    if own and client:
        raise InvalidValue("give --client or --own, not both")
    ctx = context()
    v = timesheet.edit(ctx, entry_id, description=description, start_text=from_, end_text=to, billable=billable,
                       client_ref=client, own_time=own, add_tags=tuple(tag or ()), remove_tags=tuple(untag or ()),
                       clear_tags=clear_tags, allow_overlap=allow_overlap, force=force)
    _say("Updated", v)
    _note_invoiced(ctx, v)


def _note_invoiced(ctx, v) -> None:
    """Say on the spot when the entry falls in a month already invoiced for its client (issue 6)."""
    from vakit.services.late_time import invoiced_note

    e = v.entry
    if e.client_id is None:
        return
    note = invoiced_note(ctx, e.client_id, e.start_utc, e.end_utc, e.billable)
    if note:
        err_console().print(f"vakit: note: {note}", soft_wrap=True)


@app.command("rm")
def rm(entry_id: int = typer.Argument(..., min=1, max=MAX_ID)) -> None:
    """Delete an entry that is not on an invoice (vakit log undo brings it back)."""
    ctx = context()
    _say("Deleted", timesheet.remove(ctx, entry_id))


@app.command("undo")
def undo(
    list_: bool = typer.Option(False, "--list", help="Show what can be undone, newest first."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="With --list: how many changes to show."),
    as_json: bool = typer.Option(False, "--json", help="With --list: as JSON."),
) -> None:
    """Revert the last change made by a log command; repeated, it walks further back."""
    from vakit.core.clock import fmt_local
    from vakit.services import changes

    ctx = context()
    if list_:
        items = changes.undoable(ctx, limit)
        if as_json:
            emit_json("log_changes", [{"id": c.id, "command": c.command, "summary": c.summary,
                                       "created": iso_utc(c.created_utc), "rows": c.rows, "locked": why}
                                      for c, why in items])
            return
        tz = ctx.profile().home_tz
        if not items:
            console().print("Nothing to undo.")
        for n, (c, why) in enumerate(items, start=1):
            note = f"  (cannot be undone: {why})" if why else ""
            console().print(f"{n:>2}. {fmt_local(c.created_utc, tz)}  {c.summary}{note}", markup=False,
                            soft_wrap=True)
        return
    r = changes.undo(ctx)
    for c, why in r.skipped:
        console().print(f"Skipped {c.summary}: {why}", markup=False, soft_wrap=True)
    console().print(f"Undid {r.change.summary}", markup=False, soft_wrap=True)


@app.command("settings")
def settings(
    timer_max: str = typer.Option(None, "--timer-max", help="Warn about a timer running longer than this "
                                  "(default 12h)."),
) -> None:
    """Show or change the log settings."""
    from vakit.services import timers

    ctx = context()
    if timer_max is not None:
        timers.set_timer_max(ctx, timer_max)
    console().print(f"timer maximum: {fmt_hm(timers.timer_max(ctx))} (a running timer longer than this is named "
                    "by every log command)", markup=False)


from vakit.cli import log_export, log_io, log_reports  # noqa: E402,F401 - register list/report and import/export
