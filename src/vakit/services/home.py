"""The home screen (``vakit``, ``vakit status``): one read of the ledger gathering what a VA checks first — the
running timer, today's and this week's hours, the next appointments, unbilled time and retainer use per client,
drafts waiting to be issued, unpaid and overdue invoices, and warnings. Reads only."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from vakit.core.appointments import Appointment
from vakit.core.clock import zone
from vakit.core.periods import Period, local_midnight_utc, month_end
from vakit.services.client_summary import RetainerUse, retainer_use
from vakit.services.context import Context
from vakit.services.late_time import UnbilledGroup, unbilled
from vakit.services.receivables import Standing, list_standings
from vakit.services.timers import Status, status
from vakit.services.timesheet import overlapping_spans

#: how many upcoming appointments the home screen lists, and how far ahead it looks (days)
NEXT_APPOINTMENTS = 3
LOOK_AHEAD_DAYS = 14
#: a backup older than this many days (while the ledger changed since) is a warning
BACKUP_AGE_DAYS = 7


@dataclass(frozen=True)
class ClientMonth:
    """One client's line of the home screen: unbilled billable seconds (``unbilled``: finished entries on no
    invoice, every month; ``months``: the months they fall in, ``YYYY-MM``) and the use of each retainer this
    month (billed seconds against included seconds, :class:`RetainerUse`)."""

    client_id: int
    name: str
    unbilled: int
    months: tuple[str, ...]
    retainers: tuple[RetainerUse, ...] = ()


@dataclass(frozen=True)
class Home:
    """Everything the home screen shows. ``now`` epoch seconds UTC; ``tz`` the VA's home zone; ``week_seconds``
    logged seconds of this week (Monday to Sunday, home zone; a running timer counts to now); ``next`` the next
    appointments (confirmed, starting after now, within :data:`LOOK_AHEAD_DAYS`) with their clients' zones;
    ``drafts`` drafts waiting to be issued; ``unpaid`` issued invoices with a balance (overdue ones have
    ``days_overdue`` > 0); ``warnings`` one sentence each."""

    business_name: str
    now: int
    tz: str
    timer: Status
    week_first: date
    week_seconds: int
    next: tuple[tuple[Appointment, str], ...]
    clients: tuple[ClientMonth, ...]
    drafts: tuple[Standing, ...]
    unpaid: tuple[Standing, ...]
    warnings: tuple[str, ...] = field(default=())


def _seconds_between(ctx: Context, lo: int, hi: int, now: int) -> int:
    """Logged seconds inside ``[lo, hi)`` (epoch seconds UTC), a running timer counting to ``now``."""
    total = 0
    for _id, s, e in overlapping_spans(ctx.ledger.conn, lo, hi):
        a, b = max(s, lo), min(now if e is None else e, hi)
        total += max(0, b - a)
    return total


def _next_appointments(ctx: Context, now: int) -> list[tuple[Appointment, str]]:
    from vakit.services.scheduling import list_appointments

    today = datetime.fromtimestamp(now, zone(ctx.profile().home_tz)).date()
    ahead = Period(today, today + timedelta(days=LOOK_AHEAD_DAYS), ctx.profile().home_tz)
    zones = dict(ctx.ledger.conn.execute("SELECT id, tz FROM clients").fetchall())
    found = [a for a in list_appointments(ctx, ahead, include_cancelled=False) if a.start_utc >= now
             and not a.outcome]
    return [(a, zones.get(a.client_id, a.tz)) for a in found[:NEXT_APPOINTMENTS]]


def _clients(ctx: Context, groups: list[UnbilledGroup], month: Period) -> list[ClientMonth]:
    from vakit.services.client_lookup import get_client

    by_client: dict[int, list[UnbilledGroup]] = {}
    for g in groups:
        by_client.setdefault(g.client_id, []).append(g)
    retainer_ids = [r[0] for r in ctx.ledger.conn.execute(
        "SELECT DISTINCT c.id FROM contracts k JOIN clients c ON c.id = k.client_id WHERE k.kind = 'retainer'"
        " AND c.archived = 0 AND k.start_date <= ? AND (k.end_date IS NULL OR k.end_date >= ?)",
        (month.last.isoformat(), month.first.isoformat()))]
    out = []
    for cid in sorted(set(by_client) | set(retainer_ids)):
        client = get_client(ctx, cid)
        gs = by_client.get(cid, [])
        uses = tuple(retainer_use(ctx, client, month)) if cid in retainer_ids else ()
        out.append(ClientMonth(cid, client.name, sum(g.seconds for g in gs),
                               tuple(sorted({f"{g.month.first:%Y-%m}" for g in gs})), uses))
    return sorted(out, key=lambda c: c.name.casefold())


def _backup_warning(ctx: Context) -> str | None:
    from vakit.store.backups import keep_count, list_backups

    path = ctx.ledger.path
    if path is None or not os.path.exists(path):
        return None
    if keep_count(ctx.ledger) == 0:
        return "daily backups are off (vakit db backup --keep 14 turns them on)"
    found = list_backups(path)
    changed = os.path.getmtime(path)
    if not found:
        return "the ledger has no backup yet (vakit db backup writes one)"
    age = changed - os.path.getmtime(found[-1])
    if age > BACKUP_AGE_DAYS * 86400:
        return (f"the newest backup is {int(age // 86400)} days older than the ledger's last change "
                f"(vakit db backup writes one)")
    return None


def _integrity_warning(ctx: Context) -> str | None:
    import sqlite3

    try:
        rows = [r[0] for r in ctx.ledger.conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows == ["ok"]:
        return None
    found = "; ".join(" ".join(str(r).split()) for r in rows)  # SQLite's own lines, on one line
    return f"the ledger failed SQLite's integrity check ({found}): run vakit db check"


def home(ctx: Context) -> Home:
    """Gather the home screen (see :class:`Home`). Reads only; money stays in each invoice's currency (minor
    units), durations in seconds."""
    profile = ctx.profile()
    tz = profile.home_tz
    now = ctx.clock.now_utc()
    today = datetime.fromtimestamp(now, zone(tz)).date()
    week_first = today - timedelta(days=today.weekday())
    week = _seconds_between(ctx, local_midnight_utc(week_first, tz),
                            local_midnight_utc(week_first + timedelta(days=7), tz), now)
    month = Period(today.replace(day=1), month_end(today), tz)
    standings = list_standings(ctx)
    drafts = tuple(s for s in standings if s.invoice.status == "draft")
    unpaid = tuple(s for s in standings if s.balance_minor > 0)
    timer = status(ctx)
    warnings = [w for w in (timer.long_note, _integrity_warning(ctx), _backup_warning(ctx)) if w]
    return Home(profile.business_name, now, tz, timer, week_first, week, tuple(_next_appointments(ctx, now)),
                tuple(_clients(ctx, unbilled(ctx, before=now), month)), drafts, unpaid, tuple(warnings))

