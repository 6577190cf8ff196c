"""``vakit schedule sync`` — push appointments to a CalDAV calendar and pull its busy times (issue 8)."""

from __future__ import annotations

import os
import sys

import typer

from vakit.cli.common import console, context, err_console
from vakit.cli.helptext import examples
from vakit.cli.schedule import app
from vakit.core.text import one_line

#: the environment variable that holds the CalDAV password (never an option: it would land in shell history)
PASSWORD_ENV = "VAKIT_CALDAV_PASSWORD"
#: warnings printed on stderr before "… and N more"
SHOWN_WARNINGS = 10


def _password(user: str) -> str | None:
    """From the environment, else asked for (hidden) when stdin is a terminal, else None (no authentication)."""
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        return typer.prompt(f"CalDAV password for {user}", hide_input=True, default="", show_default=False) or None
    return None


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


@app.command("sync", epilog=examples(
    "vakit schedule sync --url https://dav.example.com/calendars/asha/work/ --user asha --dry-run",
    "vakit schedule sync --url https://dav.example.com/calendars/asha/work/ --user asha --no-pull"))
def sync(
    url: str = typer.Option(..., "--url", help="The calendar collection's URL, e.g. "
                            "https://dav.example.com/calendars/me/work/ (no password in it)."),
    user: str = typer.Option(..., "--user", help=f"User name on the server; the password comes from {PASSWORD_ENV} "
                             "or is asked for."),
    client: str = typer.Option(None, "--client", "-c", help="Push only this client's appointments: its name, "
                               "a unique prefix of it, or #ID."),
    from_: str = typer.Option(None, "--from", help="First date pulled, YYYY-MM-DD (default: 30 days ago)."),
    to: str = typer.Option(None, "--to", help="Last date pulled, YYYY-MM-DD (default: a year from today)."),
    tz: str = typer.Option(None, "--tz", help="IANA zone for floating times and unknown zone names in pulled events "
                           "(default: your home zone)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would be pushed and pulled; change nothing "
                                 "on the server or in the ledger."),
    no_push: bool = typer.Option(False, "--no-push", help="Only pull busy times."),
    no_pull: bool = typer.Option(False, "--no-pull", help="Only push appointments."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace events changed on the server since vakit "
                                   "pushed them with vakit's version, and create again those deleted there."),
) -> None:
    """Push appointments to a CalDAV calendar and pull its other events as busy times.

    New appointments are created there, changed ones updated, cancelled ones marked cancelled. Running it again
    sends and stores only what changed."""
    from vakit.services.caldav_sync import sync as run_sync

    ctx = context()
    r = run_sync(ctx, url, user, _password(user), client=client, push=not no_push, pull=not no_pull, from_=from_,
                 to=to, tz=tz, dry_run=dry_run, overwrite=overwrite)
    warn = err_console()
    notes = [*(r.pushed.conflicts if r.pushed else []), *(r.pushed.gone if r.pushed else []),
             *(r.pulled.stored.reading.warnings if r.pulled else []),
             *(r.pulled.stored.warnings if r.pulled else [])]
    for text in notes[:SHOWN_WARNINGS]:
        warn.print(one_line(f"vakit: warning: {text}"), soft_wrap=True)
    if len(notes) > SHOWN_WARNINGS:
        warn.print(f"vakit: warning: … and {len(notes) - SHOWN_WARNINGS} more", soft_wrap=True)
    for text in (r.pulled.stored.reading.notes if r.pulled else [])[:SHOWN_WARNINGS]:
        warn.print(one_line(f"vakit: note: {text}"), soft_wrap=True)
    out = console()
    say = lambda text: out.print(one_line(text), markup=False, soft_wrap=True)  # noqa: E731
    would = "would be " if r.dry_run else ""
    say(f"Calendar {r.url} (user {user})")
    if r.pushed:
        p = r.pushed
        counts = [f"{p.created} new", f"{p.updated} updated", f"{p.cancelled} cancelled", f"{p.unchanged} unchanged"]
        if p.recreated:
            counts.append(f"{p.recreated} re-created (gone from the server)")
        if p.conflicts:
            counts.append(f"{len(p.conflicts)} not pushed (changed on the server)")
        if p.gone:
            counts.append(f"{len(p.gone)} not pushed (gone from the server)")
        if p.left_out:
            counts.append(f"{p.left_out} cancelled and not on the server, left out")
        replaced = f"; {p.overwritten} replaced what the server had (--overwrite)" if p.overwritten else ""
        say(f"Appointments {would}pushed: {', '.join(counts)}{replaced}.")
    if r.pulled:
        s, w = r.pulled.stored, r.window
        counts = [f"{s.added} added", f"{s.updated} updated", f"{s.unchanged} unchanged"]
        for n, text in ((s.cancelled, "cancelled"), (s.removed + r.pulled.gone, "removed"),
                        (s.older, "older SEQUENCE ignored"), (s.transparent, "free (TRANSP:TRANSPARENT), not stored")):
            if n:
                counts.append(f"{n} {text}")
        own = f"; {r.pulled.own} of them vakit's own, left out" if r.pulled.own else ""
        say(f"Busy times {would}pulled from {r.source}: {', '.join(counts)} "
            f"({_n(r.pulled.resources, 'event')} on the server in {w.first} – {w.last}, {w.home_tz}{own}).")
    if r.dry_run:
        say("Nothing was sent or stored (dry run).")
