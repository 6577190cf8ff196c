"""The timer commands typed dozens of times a day — ``vakit log start``, ``stop``, ``switch``, ``status`` and
``add`` — as data and bodies that need neither Typer nor Rich (issue 11).

Each :class:`TimerCommand` names its options once (:class:`Opt`: spelling, what it takes, help); the Typer app
builds its ``log`` commands from them (:func:`vakit.cli.log.typer_command`) and the fast path parses them with the
standard library (:mod:`vakit.cli.fast`); both then call the same body, which prints through
:func:`vakit.cli.plain.say`. So the two paths cannot differ in what a command accepts or prints.
"""

from __future__ import annotations

from collections.abc import Callable

from vakit.cli.plain import STATE, context, say, say_err


class Opt:
    """One parameter of a timer command.

    ``takes`` is ``"value"`` (one text, the last given wins), ``"values"`` (repeatable, a list), ``"flag"`` (no
    value; true when given) or ``"words"`` (the positional ``[DESCRIPTION…]``, every argument that is not an
    option). ``dest`` is the body's key; ``flags`` the spellings (``("--client", "-c")``). (A plain class, not a
    dataclass: this module is on the timer commands' path, where each dataclass costs ≈ 0.5 ms to create.)"""

    __slots__ = ("dest", "takes", "flags", "help", "metavar")

    def __init__(self, dest: str, takes: str, flags: tuple[str, ...] = (), help: str = "",
                 metavar: str | None = None) -> None:
        self.dest, self.takes, self.flags, self.help, self.metavar = dest, takes, flags, help, metavar


class TimerCommand:
    """A ``vakit log`` command of the fast path: its name, help (first line: the purpose), parameters, the
    body, called with ``{dest: value}`` (None / False / [] for what was not given), and the example command
    lines its ``--help`` ends with (:func:`vakit.cli.helptext.examples`)."""

    __slots__ = ("name", "help", "params", "body", "examples")

    def __init__(self, name: str, help: str, params: tuple[Opt, ...], body: Callable[[dict], None],
                 examples: tuple[str, ...] = ()) -> None:
        self.name, self.help, self.params, self.body, self.examples = name, help, params, body, examples


WORDS = Opt("words", "words", help="What you are working on; words like +calls are tags.", metavar="[DESCRIPTION…]")
CLIENT = Opt("client", "value", ("--client", "-c"), "The client (name, unique prefix or #id); without it the time is "
             "your own, non-billable.")
TAG = Opt("tag", "values", ("--tag", "-t"), "A tag (repeat for several); '+calls' in the description does the same.")
TZ = Opt("tz", "value", ("--tz",), "IANA zone to read and show times in, e.g. Europe/London (default: your home "
         "zone).")
NON_BILLABLE = Opt("non_billable", "flag", ("--non-billable",), "Time for the client that is not billed.")
ALLOW_OVERLAP = Opt("allow_overlap", "flag", ("--allow-overlap",), "Allow deliberately parallel work.")
FORCE = Opt("force", "flag", ("--force",), "Allow an entry longer than 16:00 (or ending in the future).")


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


def announce(verb: str, v) -> None:
    """``Started #12 Acme  Tue 10 Nov 2026 14:00 GMT (UTC+00:00) – running …`` on stdout."""
    from vakit.cli.render import entry_line

    say(f"{verb} {entry_line(v)}")


def note_invoiced(ctx, v) -> None:
    """Say on stderr when the entry falls in a month already invoiced for its client (issue 6), or where none
    of the client's contracts covers it."""
    from vakit.services.late_time import entry_note

    e = v.entry
    note = entry_note(ctx, e.client_id, e.start_utc, e.end_utc, e.billable)
    if note:
        say_err(f"vakit: note: {note}")


def long_timer(ctx) -> str | None:
    """The closing note of every log command but ``status``: a timer left running past the maximum, with the
    fix (:func:`vakit.services.timers.long_timer_note`)."""
    from vakit.services.timers import long_timer_note

    return long_timer_note(ctx)


def add_closing_checks(command: str | None) -> None:
    """Register the closing checks of ``vakit log COMMAND`` (both paths call this before the body)."""
    if command != "status" and long_timer not in STATE.closing:
        STATE.closing.append(long_timer)


def _start(a: dict) -> None:
    from vakit.services import timers

    description, tags = words_and_tags(a["words"], a["tag"])
    v = timers.start(context(), a["client"], at=a["at"], description=description, tz=a["tz"], tags=tags,
                     billable=not a["non_billable"], allow_overlap=a["allow_overlap"])
    announce("Started", v)


def _stop(a: dict) -> None:
    from vakit.services import timers

    ctx = context()
    v = timers.stop(ctx, at=a["at"], force=a["force"], allow_overlap=a["allow_overlap"])
    announce("Stopped", v)
    note_invoiced(ctx, v)


def _switch(a: dict) -> None:
    from vakit.services import timers

    description, tags = words_and_tags(a["words"], a["tag"])
    ctx = context()
    r = timers.switch(ctx, a["client"], at=a["at"], description=description, tags=tags,
                      billable=not a["non_billable"], force=a["force"], allow_overlap=a["allow_overlap"])
    announce("Stopped", r.stopped)
    announce("Started", r.started)
    note_invoiced(ctx, r.stopped)


def _status(a: dict) -> None:
    from vakit.core.clock import fmt_hm, fmt_span
    from vakit.services import timers

    s = timers.status(context())
    if a["as_json"]:
        from vakit.cli.render import emit_json, entry_json

        emit_json("status", {"running": entry_json(s.running) if s.running else None, "elapsed_seconds": s.elapsed,
                             "today_seconds": s.today_seconds, "today_worked_seconds": s.today_worked, "tz": s.tz,
                             "warning": s.long_note})
        return
    if s.running:
        from vakit.cli.render import entry_line

        say(f"Running: {entry_line(s.running)} — {fmt_hm(s.elapsed)} so far")
    else:
        say("No timer is running.")
    worked = "" if s.today_worked == s.today_seconds else \
        f" ({fmt_span(s.today_worked)} worked: parallel work counted once)"
    say(f"Today ({s.tz}): {fmt_span(s.today_seconds)}{worked}")
    if s.long_note:
        say(f"Warning: {s.long_note}")


def _add(a: dict) -> None:
    from vakit.core.durations import parse_duration
    from vakit.services import timesheet

    description, tags = words_and_tags(a["words"], a["tag"])
    seconds = parse_duration(a["duration"]) if a["duration"] is not None else None
    ctx = context()
    v = timesheet.add(ctx, a["client"], start_text=a["from_"], end_text=a["to"], duration=seconds,
                      on_date=a["on_date"], description=description, tz=a["tz"], tags=tags,
                      billable=not a["non_billable"], allow_overlap=a["allow_overlap"], force=a["force"])
    announce("Added", v)
    note_invoiced(ctx, v)


COMMANDS: dict[str, TimerCommand] = {c.name: c for c in (
    TimerCommand("start", "Start the timer (for a client, or your own time).", (
        WORDS, CLIENT, TAG,
        Opt("at", "value", ("--at",), "Backdate the start: a time or date and time, e.g. '9:15', '15m ago', "
            "'yesterday 23:00'."),
        TZ, NON_BILLABLE, ALLOW_OVERLAP), _start,
        ('vakit log start --client "Northwind Analytics" "Inbox triage"',
         'vakit log start --at "15m ago" "Planning the week" +admin')),
    TimerCommand("stop", "Stop the running timer (also one started before midnight).", (
        Opt("at", "value", ("--at",), "Stop at this time, e.g. '17:30' or '10m ago'; a bare time is the first "
            "such time after the start."),
        FORCE, ALLOW_OVERLAP), _stop,
        ("vakit log stop", 'vakit log stop --at "10m ago"')),
    TimerCommand("switch", "Stop the running timer and start the next at the same instant: no gap, no overlap.", (
        WORDS, CLIENT, TAG,
        Opt("at", "value", ("--at",), "Switch at this time instead of now, e.g. '14:05' or '5m ago' (a bare "
            "time: the first after the running entry's start)."),
        NON_BILLABLE, FORCE, ALLOW_OVERLAP), _switch,
        ('vakit log switch --client Northwind "Call prep" +calls',)),
    TimerCommand("status", "Show the running timer and today's total.", (
        Opt("as_json", "flag", ("--json",), "Print JSON instead: times as UTC ISO 8601 (…Z), durations in "
            "seconds."),), _status,
        ("vakit log status", "vakit log status --json")),
    TimerCommand("add", "Record finished work (for a client, or your own time).", (
        WORDS, CLIENT, TAG,
        Opt("from_", "value", ("--from",), "Start: a time or date and time, e.g. '14:00', 'yesterday 11pm', "
            "'2026-10-05 09:30'."),
        Opt("to", "value", ("--to",), "End, in the same forms; a bare time is the first such time after the start."),
        Opt("duration", "value", ("--duration",), "Duration instead of --to (or --from): 2h30m, 90m, 1.5h or 1:30 "
            "(h:mm)."),
        Opt("on_date", "value", ("--date",), "Date of bare --from/--to times: YYYY-MM-DD, today, yesterday or a "
            "weekday."),
        TZ, NON_BILLABLE, ALLOW_OVERLAP, FORCE), _add,
        ('vakit log add --client "Northwind Analytics" --from "yesterday 9:00" --to 10:30 "Inbox triage"',
         'vakit log add --date 2026-10-05 --from 16:00 --duration 45m "Bookkeeping" +admin')),
)}
