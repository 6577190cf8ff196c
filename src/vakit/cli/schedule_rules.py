"""``vakit schedule hours / block / rules / suggest`` — when the VA and a client can meet (issue 8)."""

from __future__ import annotations

import typer
from rich.table import Table

from vakit.cli.common import console, context, err_console
from vakit.cli.helptext import CLIENT, JSON, examples
from vakit.cli.render import emit_json, iso_utc
from vakit.cli.schedule import app
from vakit.core.clock import fmt_hm, fmt_local, fmt_range, fmt_span, to_local
from vakit.core.durations import parse_duration
from vakit.core.errors import InvalidValue
from vakit.core.text import one_line
from vakit.services import availability as av


def _say(text: str) -> None:
    console().print(text, markup=False, soft_wrap=True)


def _show_hours(h: av.Hours, changed: bool = False) -> None:
    whose = "your working hours" if h.client_id is None else f"working hours of {h.owner}"
    if not h.week:
        who = "You have" if h.client_id is None else f"{h.owner} has"
        _say(f"{who} no working hours set: every time is within them.")
        return
    _say(f"Set {whose} ({h.tz}):" if changed else f"{whose[0].upper()}{whose[1:]} ({h.tz}):")
    for line in h.lines():
        _say(f"  {line}")
    if h.tz != h.owner_tz:
        zone_of = "your home zone" if h.client_id is None else f"{h.owner}'s zone"
        err_console().print(one_line(f"vakit: note: they are in {h.tz}, and {zone_of} is {h.owner_tz}; set them again "
                                     "to move them"), soft_wrap=True)


@app.command("hours", epilog=examples("vakit schedule hours --set 'Mon-Fri 09:00-17:00'",
                                      "vakit schedule hours -c Northwind --set 'Mon-Thu 09:00-12:00,13:00-17:00'"))
def hours(
    client: str = typer.Option(None, "--client", "-c", help="A client's working hours (default: yours): its name, a "
                               "unique prefix of it, or #ID."),
    set_: list[str] = typer.Option(None, "--set", help="Replace the week: 'Mon-Fri 09:00-17:00', "
                                   "'Mon-Fri 09:00-12:00,13:00-17:00', 'Sat 10:00-12:00' (repeatable)."),
    clear: bool = typer.Option(False, "--clear", help="Remove them: every time is within them again."),
    tz: str = typer.Option(None, "--tz", help="The IANA zone the hours are in (default: the owner's "
                           "zone)."),
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """Show or set working hours (yours, or a client's with --client); times are wall times in the owner's zone."""
    ctx = context()
    if set_ and clear:
        raise InvalidValue("give --set or --clear, not both")
    if tz and not set_:
        raise InvalidValue("--tz goes with --set")
    if clear:
        before = av.clear_hours(ctx, client)
        who = "your" if before.client_id is None else f"{before.owner}'s"
        _say(f"Cleared {who} working hours: every time is within them." if before.week
             else f"{who.capitalize()} working hours were not set.")
        return
    h = av.set_hours(ctx, client, list(set_), tz=tz) if set_ else av.get_hours(ctx, client)
    if as_json:
        emit_json("working_hours", {"owner": h.owner, "client_id": h.client_id, "tz": h.tz,
                                    "days": {d: [{"start": f"{s // 60:02d}:{s % 60:02d}",
                                                  "end": f"{e // 60:02d}:{e % 60:02d}"} for s, e in h.week.get(i, [])]
                                             for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}})
        return
    _show_hours(h, bool(set_))


block_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)
app.add_typer(block_app, name="block", help="Block time you are not available (or a whole day off); list, rm.")


@block_app.callback(epilog=examples('vakit schedule block --from "friday 14:00" --to 16:00 --reason Dentist',
                                   "vakit schedule block --date 2026-12-24 --days 3 --reason Holidays"))
def block(
    tctx: typer.Context,
    from_: str = typer.Option(None, "--from", help="Start, in your home zone (or --tz): 'friday 14:00'."),
    to: str = typer.Option(None, "--to", help="End, read forward from --from: '16:00', 'monday 09:00'."),
    on: str = typer.Option(None, "--date", help="A whole day off: YYYY-MM-DD or a weekday, in your home zone."),
    days: int = typer.Option(1, "--days", help="With --date: how many days."),
    reason: str = typer.Option("", "--reason", help="Why (for you; shown when a booking is refused)."),
    tz: str = typer.Option(None, "--tz", help="Read the times in this IANA zone instead of your home zone."),
) -> None:
    """Block time: no appointment can be booked in it (unless --force). 'block list' and 'block rm ID' too."""
    if tctx.invoked_subcommand:
        if from_ or to or on or reason:
            raise InvalidValue(f"'block {tctx.invoked_subcommand}' takes no --from/--to/--date/--reason")
        return
    from vakit.services.scheduling import clashes

    ctx = context()
    b = av.add_block(ctx, from_=from_, to=to, on=on, days=days, reason=reason, tz=tz)
    home = ctx.profile().home_tz
    _say(f"Blocked #{b.id} {b.when(b.tz)}" + (f" '{b.reason}'" if b.reason else ""))
    if b.tz != home:
        _say(f"  your time: {fmt_range(b.start_utc, b.end_utc, home)} ({home})")
    for a in clashes(ctx, b.start_utc, b.end_utc):
        if a.id > 0:
            err_console().print(one_line(f"vakit: note: #{a.id} '{a.title}' with {a.client_name} "
                                         f"{fmt_range(a.start_utc, a.end_utc, home)} is inside this block (move or "
                                         "cancel it)"), soft_wrap=True)


@block_app.command("list", epilog=examples("vakit schedule block list", "vakit schedule block list --all --json"))
def block_list(
    all_: bool = typer.Option(False, "--all", help="Past blocks too."),
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """Blocks that have not ended yet (--all: every one), by start, in your clock."""
    ctx = context()
    blocks = av.list_blocks(ctx, include_past=all_)
    if as_json:
        emit_json("blocks", [{"id": b.id, "start": iso_utc(b.start_utc), "end": iso_utc(b.end_utc), "tz": b.tz,
                              "all_day": b.all_day, "reason": b.reason} for b in blocks])
        return
    home = ctx.profile().home_tz
    if not blocks:
        _say("No blocks." if all_ else "No blocks ahead (--all shows past ones).")
        return
    t = Table(title=f"Blocks (your time: {home})")
    for col in ("#", "when", "reason"):
        t.add_column(col, justify="right" if col == "#" else "left")
    for b in blocks:
        t.add_row(str(b.id), b.when(home), b.reason)
    console().print(t)


@block_app.command("rm", epilog=examples("vakit schedule block rm 2"))
def block_rm(block_id: str = typer.Argument(..., help="The block's number (see 'block list').")) -> None:
    """Remove a block."""
    ctx = context()
    b = av.remove_block(ctx, block_id)
    _say(f"Removed block #{b.id} {b.when(ctx.profile().home_tz)}" + (f" '{b.reason}'" if b.reason else ""))


def _span(text: str | None, what: str) -> int | None:
    return None if text is None else av.parse_span(text, what)


@app.command("rules", epilog=examples("vakit schedule rules", "vakit schedule rules --buffer-after 10m --notice 12h "
                                      "--max-per-day 4"))
def rules(
    buffer_before: str = typer.Option(None, "--buffer-before", help="Free time before each appointment: 10m."),
    buffer_after: str = typer.Option(None, "--buffer-after", help="Free time after each appointment: 10m."),
    notice: str = typer.Option(None, "--notice", help="Minimum notice: 12h, 2d."),
    max_per_day: int = typer.Option(None, "--max-per-day", help="At most this many appointments a day (0: no cap)."),
    max_hours: str = typer.Option(None, "--max-hours-per-day", help="At most this much booked a day: 5h (0: none)."),
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """Show or change your booking rules (0 removes one); book and move refuse what breaks them unless --force."""
    ctx = context()
    changes = {k: v for k, v in (("buffer_before", _span(buffer_before, "--buffer-before")),
                                 ("buffer_after", _span(buffer_after, "--buffer-after")),
                                 ("min_notice", _span(notice, "--notice")),
                                 ("max_per_day", max_per_day),
                                 ("max_seconds_per_day", _span(max_hours, "--max-hours-per-day"))) if v is not None}
    r = av.set_rules(ctx, **changes) if changes else av.get_rules(ctx)
    home = ctx.profile().home_tz
    if as_json:
        emit_json("booking_rules", {"buffer_before_seconds": r.buffer_before, "buffer_after_seconds": r.buffer_after,
                                    "min_notice_seconds": r.min_notice, "max_per_day": r.max_per_day,
                                    "max_seconds_per_day": r.max_seconds_per_day, "day_zone": home})
        return
    none = "none"
    _say("Booking rules:")
    _say(f"  buffer before:     {av.fmt_length(r.buffer_before) if r.buffer_before else none}")
    _say(f"  buffer after:      {av.fmt_length(r.buffer_after) if r.buffer_after else none}")
    _say(f"  minimum notice:    {av.fmt_length(r.min_notice) if r.min_notice else none}")
    _say(f"  max per day:       {r.max_per_day or none}" + (f" (days of your clock, {home})" if r.max_per_day else ""))
    _say(f"  max hours per day: {fmt_hm(r.max_seconds_per_day) if r.max_seconds_per_day else none}"
         + (f" (days of your clock, {home})" if r.max_seconds_per_day else ""))


@app.command("suggest", epilog=examples('vakit schedule suggest --client "Northwind Analytics" --duration 45m',
                                        "vakit schedule suggest -c Northwind --date 2026-11-12 -n 3"))
def suggest(
    client: str = typer.Option(..., "--client", "-c", help=CLIENT),
    duration: str = typer.Option("30m", "--duration", help="How long, a duration: 30m, 1h, 1h30m."),
    on: str = typer.Option(None, "--on", "--date", help="Only this date (the client's): YYYY-MM-DD, today, tomorrow "
                           "or a weekday."),
    within: str = typer.Option(None, "--within", help="From now on, this far ahead: 5d, 36h (default 14d)."),
    count: int = typer.Option(10, "--count", "-n", help="How many slots at most."),
    step: str = typer.Option(None, "--step", help="Time between slot starts, e.g. 15m (default: the duration)."),
    as_json: bool = typer.Option(False, "--json", help=JSON),
) -> None:
    """The next free slots with a client, in both clocks.

    Both working hours, blocks, buffers, notice, daily caps, appointments and busy times are respected. Book one
    with 'vakit schedule book TITLE --client X --slot N'."""
    from vakit.services.slots import SUGGESTION_TTL
    from vakit.services.slots import suggest as run

    s = run(context(), client, parse_duration(duration), on=on, within=_span(within, "--within") if within else None,
            count=count, step=parse_duration(step) if step else None)
    their, home = s.client.tz, s.home_tz
    if as_json:
        emit_json("suggestion", {"client": s.client.name, "duration_seconds": s.duration, "made": iso_utc(s.made_utc),
                                 "slots": [{"slot": n, "start": iso_utc(a), "end": iso_utc(b),
                                            "their_time": fmt_range(a, b, their), "your_time": fmt_range(a, b, home)}
                                           for n, (a, b) in enumerate(s.slots, 1)]})
        return
    where = (f"on {to_local(s.start_utc, their):%a %d %b %Y} (their date)" if s.on
             else f"from {fmt_local(max(s.start_utc, s.made_utc), home)} to {fmt_local(s.end_utc, home)}")
    what = f"{s.duration // 60} min slot" if s.duration % 60 == 0 else f"{fmt_span(s.duration)} slot"
    if not s.slots:
        _say(f"No free {what} with {s.client.name} {where} (within both working hours, outside blocks, "
             "buffers and other appointments, with the notice and daily caps of your rules).")
        return
    clocks = f"their time ({their}) · your time ({home})" if their != home else f"in {home}"
    _say(f"Free {what}s with {s.client.name} {where}, {clocks}:")
    width = len(str(len(s.slots)))
    for n, (a, b) in enumerate(s.slots, 1):
        mine = f"  ·  {fmt_range(a, b, home)}" if their != home else ""
        _say(f"  {n:>{width}}  {fmt_range(a, b, their)}{mine}")
    within = "the hour" if SUGGESTION_TTL == 3600 else f"{SUGGESTION_TTL // 60} min"
    _say(f"Book one within {within}: vakit schedule book TITLE --client {_quote(s.client.name)} --slot N")


def _quote(name: str) -> str:
    from shlex import quote

    return quote(name)
