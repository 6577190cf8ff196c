"""``vakit log`` — the timer (start, stop, switch, resume, cancel, status), typed entries (add, edit, rm),
undo and settings; list/report and import/export register from :mod:`.log_reports` and :mod:`.log_io`."""

from __future__ import annotations

import inspect

import typer

from vakit.cli import timer
from vakit.cli.common import MAX_ID, console, context
from vakit.cli.helptext import DATE, FROM, JSON, MONTH, TO, examples
from vakit.cli.render import emit_json, iso_utc
from vakit.core.clock import fmt_hm
from vakit.core.errors import InvalidValue
from vakit.services import timesheet

app = typer.Typer(no_args_is_help=True)

_MONTH = typer.Option(None, "--month", help=MONTH)
_FROM = typer.Option(None, "--from", help=FROM)
_TO = typer.Option(None, "--to", help=TO)
_DATE = typer.Option(None, "--date", help=DATE)
_LAST = typer.Option(None, "--last", help="The last N days up to today, e.g. 7d.")


def typer_param(o: timer.Opt):
    """A :class:`vakit.cli.timer.Opt` as the Typer parameter default and its annotation."""
    if o.takes == "words":
        return typer.Argument(None, help=o.help, metavar=o.metavar), list[str]
    if o.takes == "flag":
        return typer.Option(False, *o.flags, help=o.help), bool
    return typer.Option(None, *o.flags, help=o.help, metavar=o.metavar), list[str] if o.takes == "values" else str


def typer_command(cmd: timer.TimerCommand) -> None:
    """Register ``vakit log NAME`` from its :class:`vakit.cli.timer.TimerCommand`: the parameters Typer reads
    are the command's own definitions, and the body is the one the fast path runs."""

    def command(**values) -> None:
        cmd.body(values)

    params = []
    for o in cmd.params:
        default, annotation = typer_param(o)
        params.append(inspect.Parameter(o.dest, inspect.Parameter.KEYWORD_ONLY, default=default,
                                        annotation=annotation))
    command.__signature__ = inspect.Signature(params)
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__name__ = cmd.name
    command.__doc__ = cmd.help
    app.command(cmd.name, epilog=examples(*cmd.examples) if cmd.examples else None)(command)


for _cmd in timer.COMMANDS.values():
    typer_command(_cmd)

_TZ = typer_param(timer.TZ)[0]
_OVERLAP, _FORCE = typer_param(timer.ALLOW_OVERLAP)[0], typer_param(timer.FORCE)[0]


@app.callback()
def _every_log_command(typer_ctx: typer.Context) -> None:
    """Every log command but status (which shows it itself) ends by naming a timer left running past the
    maximum, with the fix."""
    timer.add_closing_checks(typer_ctx.invoked_subcommand)


@app.command("resume", epilog=examples("vakit log resume", "vakit log resume 42 --at 9:30"))
def resume(
    entry_id: int = typer.Argument(None, min=1, max=MAX_ID, help="The entry to resume (default: the last one)."),
    at: str = typer.Option(None, "--at", help="Backdate the start: a time or date and time, e.g. '9:15' or '15m "
                           "ago'."),
    allow_overlap: bool = _OVERLAP,
) -> None:
    """Start the timer again with an entry's client, description and tags."""
    from vakit.services import timers

    ctx = context()
    timer.announce("Resumed", timers.resume(ctx, entry_id, at=at, allow_overlap=allow_overlap))


@app.command("cancel", epilog=examples("vakit log cancel"))
def cancel() -> None:
    """Discard the running timer (vakit log undo brings it back)."""
    from vakit.services import timers

    ctx = context()
    timer.announce("Cancelled", timers.cancel(ctx))


@app.command("edit", epilog=examples('vakit log edit 42 --to 17:45 --description "Inbox triage and replies"',
                                     "vakit log edit 42 --client Northwind --tag calls --non-billable"))
def edit(
    entry_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The entry's number (see log list)."),
    description: str = typer.Option(None, "--description", "-d", help="A new description, e.g. 'Inbox triage'."),
    from_: str = typer.Option(None, "--from", help="New start; a bare time is on the entry's own date."),
    to: str = typer.Option(None, "--to", help="New end; a bare time is the first such time after the start."),
    billable: bool = typer.Option(None, "--billable/--non-billable", help="Bill the entry's time to the client, or "
                                  "not."),
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
    timer.announce("Updated", v)
    timer.note_invoiced(ctx, v)


@app.command("rm", epilog=examples("vakit log rm 42"))
def rm(entry_id: int = typer.Argument(..., min=1, max=MAX_ID, help="The entry's number (see log list).")) -> None:
    """Delete an entry that is not on an invoice (vakit log undo brings it back)."""
    ctx = context()
    timer.announce("Deleted", timesheet.remove(ctx, entry_id))


@app.command("undo", epilog=examples("vakit log undo", "vakit log undo --list --limit 5"))
def undo(
    list_: bool = typer.Option(False, "--list", help="Show what can be undone, newest first."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="With --list: how many changes to show."),
    as_json: bool = typer.Option(False, "--json", help="With --list: " + JSON),
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


@app.command("settings", epilog=examples("vakit log settings", "vakit log settings --timer-max 10h"))
def settings(
    timer_max: str = typer.Option(None, "--timer-max", help="Warn about a timer running longer than this duration, "
                                  "e.g. 10h or 9h30m (default 12h)."),
) -> None:
    """Show or change the log settings."""
    from vakit.services import timers

    ctx = context()
    if timer_max is not None:
        timers.set_timer_max(ctx, timer_max)
    console().print(f"timer maximum: {fmt_hm(timers.timer_max(ctx))} (a running timer longer than this is named "
                    "by every log command)", markup=False)


from vakit.cli import log_export, log_io, log_reports  # noqa: E402,F401 - register list/report and import/export
