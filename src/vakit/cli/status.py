"""``vakit`` with no command, and ``vakit status``: the home screen (see :mod:`vakit.services.home`)."""

from __future__ import annotations

import typer
from rich.table import Table

from vakit.cli.common import console, context, ledger_path
from vakit.core.clock import fmt_clock, fmt_local, fmt_range, fmt_span, fmt_zone, to_local
from vakit.core.text import one_line

#: what a VA types first, shown before there is a ledger (and in ``--json`` as ``next``)
FIRST_STEPS = (
    ("vakit demo", "a whole example month in a throw-away ledger, to look around"),
    ("vakit init", "set up your business profile, step by step"),
    ("vakit --help", "every command; vakit COMMAND --help shows examples"),
)


def _first_steps(as_json: bool, why: str) -> None:
    path = str(ledger_path())
    if as_json:
        from vakit.cli.render import emit_json

        emit_json("home", {"ready": False, "ledger": path, "reason": why,
                           "next": [cmd for cmd, _ in FIRST_STEPS]})
        return
    out = console()
    out.print(one_line(f"Welcome to vakit. {why} ({path})."), soft_wrap=True)
    out.print("Start here:")
    width = max(len(cmd) for cmd, _ in FIRST_STEPS)
    for cmd, what in FIRST_STEPS:
        out.print(f"  {cmd.ljust(width)}   {what}")


def _standing_line(s) -> str:
    from vakit.cli.render_invoices import coded, title_of

    inv = s.invoice
    money = coded(s.balance_minor or inv.total_minor, inv.currency, inv.locale)
    who = inv.customer.name
    if inv.status == "draft":
        return f"{title_of(inv)} {who}, {inv.period_start:%Y-%m}: {money} (vakit invoice issue '#{inv.id}')"
    due = f"overdue {s.days_overdue} day{'s' if s.days_overdue != 1 else ''}" if s.days_overdue else \
        f"due {inv.due_date}"
    left = " left" if s.paid_minor or s.credited_minor else ""
    return f"{inv.number} {who}: {money}{left}, {due}"


#: the most drafts or unpaid invoices the home screen lists; the rest are counted
LISTED = 8


def _capped(lines: list[str], more: str) -> list[str]:
    """At most :data:`LISTED` lines, then how many more and where to see them all."""
    if len(lines) <= LISTED:
        return lines
    return [*lines[:LISTED], f"… and {len(lines) - LISTED} more ({more})"]


def _rows(h) -> list[tuple[str, list[str]]]:
    t = h.timer
    if t.running:
        e = t.running.entry
        what = " · ".join(x for x in (t.running.client_name or "no client", e.description) if x)
        same_day = to_local(e.start_utc, h.tz).date() == to_local(h.now, h.tz).date()
        since = fmt_clock(e.start_utc, h.tz) if same_day else fmt_local(e.start_utc, h.tz)
        timer = [f"running {fmt_span(max(0, t.elapsed))}: {what} (since {since})"]
    else:
        timer = ["no timer running"]
    worked = "" if t.today_worked == t.today_seconds else f" ({fmt_span(t.today_worked)} worked)"
    hours = [f"today {fmt_span(t.today_seconds)}{worked} · this week {fmt_span(h.week_seconds)}"
             f" (from {h.week_first:%a %d %b})"]
    nxt = []
    for a, their_tz in h.next:
        line = f"{fmt_range(a.start_utc, a.end_utc, h.tz)} {a.client_name}: {a.title}"
        if their_tz != h.tz:
            line += f" — their time {fmt_range(a.start_utc, a.end_utc, their_tz)} {their_tz}"
        nxt.append(line)
    clients = []
    for c in h.clients:
        parts = []
        if c.unbilled:
            parts.append(f"{fmt_span(c.unbilled)} unbilled ({', '.join(c.months)})")
        for r in c.retainers:
            parts.append(f"retainer {fmt_span(r.used)} of {fmt_span(r.included + r.carried)} used in "
                         f"{r.month:%b %Y}")
        clients.append(f"{c.name}: {'; '.join(parts)}")
    rows = [("Timer", timer), ("Hours", hours), ("Next", nxt or ["no appointments in the next two weeks"]),
            ("Clients", clients or ["no unbilled time"]),
            ("Drafts", _capped([_standing_line(s) for s in h.drafts], "vakit invoice list --status draft")
             or ["none waiting to be issued"]),
            ("Unpaid", _capped([_standing_line(s) for s in sorted(h.unpaid, key=lambda s: -s.days_overdue)],
                               "vakit invoice list --status unpaid") or ["nothing outstanding"])]
    if h.warnings:
        rows.append(("Warnings", list(h.warnings)))
    return rows


def _json(h) -> dict:
    from vakit.cli.render import entry_json, iso_utc, money_json

    def standing(s):
        inv = s.invoice
        return {"id": inv.id, "number": inv.number, "client": inv.customer.name, "status": s.status,
                "total": money_json(inv.total_minor, inv.currency),
                "balance": money_json(s.balance_minor, inv.currency),
                "due_date": inv.due_date.isoformat() if inv.due_date else None, "days_overdue": s.days_overdue}

    t = h.timer
    return {
        "ready": True, "business_name": h.business_name, "now": iso_utc(h.now), "tz": h.tz,
        "timer": {"running": entry_json(t.running) if t.running else None, "elapsed_seconds": t.elapsed},
        "today_seconds": t.today_seconds, "today_worked_seconds": t.today_worked,
        "week": {"first": h.week_first.isoformat(), "seconds": h.week_seconds},
        "next": [{"id": a.id, "client": a.client_name, "title": a.title, "start": iso_utc(a.start_utc),
                  "end": iso_utc(a.end_utc), "client_tz": tz} for a, tz in h.next],
        "clients": [{"id": c.client_id, "name": c.name, "unbilled_seconds": c.unbilled, "unbilled_months": c.months,
                     "retainers": [{"contract_id": r.contract_id, "month": f"{r.month:%Y-%m}",
                                    "used_seconds": r.used, "included_seconds": r.included,
                                    "carried_seconds": r.carried} for r in c.retainers]} for c in h.clients],
        "drafts": [standing(s) for s in h.drafts],
        "unpaid": [standing(s) for s in h.unpaid],
        "warnings": list(h.warnings),
    }


def status(as_json: bool = typer.Option(False, "--json", help="Print the same as JSON (times UTC ISO 8601, "
                                                                  "durations in seconds, money as strings).")) -> None:
    """Show the home screen: timer, hours, next calls, unbilled time, drafts, unpaid invoices, warnings.

    Also what ``vakit`` alone prints. Before there is a ledger it says how to start.

    Examples:

    \b
      vakit status
      vakit status --json
    """
    from vakit.services.home import home

    if not ledger_path().exists():
        _first_steps(as_json, "There is no ledger yet")
        return
    ctx = context()
    if not ctx.has_profile():
        _first_steps(as_json, "The ledger has no business profile yet")
        return
    h = home(ctx)
    if as_json:
        from vakit.cli.render import emit_json

        emit_json("home", _json(h))
        return
    out = console()
    when = f"{to_local(h.now, h.tz):%a %d %b %Y %H:%M} {fmt_zone(h.now, h.tz)}"  # to the minute
    out.print(f"{h.business_name} — {when}", soft_wrap=True)
    rows = _rows(h)
    if not out.is_terminal:  # piped: plain lines, no padding after the text
        width = max(len(label) for label, _ in rows)
        for label, lines in rows:
            for i, line in enumerate(lines):
                out.print(f"{(label if i == 0 else '').ljust(width)}  {line}", soft_wrap=True)
        return
    grid = Table.grid(padding=(0, 2))  # a terminal: long lines wrap under their own column
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, lines in rows:
        for i, line in enumerate(lines):
            grid.add_row(label if i == 0 else "", line)
    out.print(grid)
