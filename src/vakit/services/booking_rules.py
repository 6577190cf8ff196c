"""Whether a time keeps the VA's rules: both parties' working hours, blocks, buffers, notice and daily caps.

``book`` and ``move`` call :func:`check_rules` inside their write transaction (``--force`` skips it) and
``suggest`` offers only times for which :func:`breaches` is empty, so every suggested slot can be booked.
Clashes (a shared minute with an appointment or a busy time) are not a rule: they stay with ``clashes`` and
``--allow-conflict``. The buffers keep ``before + after`` free between this time and every other appointment
or busy time (the one being moved excepted); the daily caps count confirmed appointments by the local date
of their start in the VA's home zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from vakit.core.clock import fmt_hm, fmt_local, fmt_range, zone
from vakit.core.errors import Conflict
from vakit.core.models import Client
from vakit.core.periods import local_midnight_utc, overlap
from vakit.core.weekly_hours import within, working_intervals
from vakit.services.availability import Hours, Rules, blocks_between, fmt_length, get_rules, hours_for
from vakit.services.context import Context

RULE_HINT = "pick another time: 'vakit schedule suggest' lists free ones; or pass --force"


class RuleBroken(Conflict):
    """A time that breaks one of the VA's rules; ``rule`` names it (``notice``, ``your working hours``,
    ``client working hours``, ``block``, ``buffer``, ``daily cap``)."""

    def __init__(self, rule: str, message: str, hint: str | None = RULE_HINT) -> None:
        super().__init__(message, hint)
        self.rule = rule


@dataclass(frozen=True)
class Breach:
    """One broken rule: its name and the sentence that says how."""

    rule: str
    message: str


@dataclass
class Limits:
    """Everything the checks read, fetched once (a suggestion checks many times against the same)."""

    rules: Rules
    home_tz: str
    yours: Hours
    theirs: Hours


def limits_for(ctx: Context, client: Client) -> Limits:
    """The rules, the VA's home zone and both parties' working hours."""
    return Limits(get_rules(ctx), ctx.profile().home_tz, hours_for(ctx, None), hours_for(ctx, client))


def both_clocks(t0: int, t1: int, client_tz: str, home_tz: str) -> str:
    """``Mon 10 Nov 2025 08:00 – 09:00 EST (UTC-05:00) their time, 13:00 – 14:00 GMT … your time``."""
    theirs = fmt_range(t0, t1, client_tz)
    if client_tz == home_tz:
        return f"{theirs} ({home_tz})"
    return f"{theirs} their time ({client_tz}), {fmt_range(t0, t1, home_tz)} your time ({home_tz})"


def _day_bounds(t: int, tz: str) -> tuple[int, int, str]:
    d = datetime.fromtimestamp(t, zone(tz)).date()
    return local_midnight_utc(d, tz), local_midnight_utc(d + timedelta(days=1), tz), f"{d:%a %d %b %Y}"


def booked_on_day(ctx: Context, t: int, tz: str, exclude: int | None = None) -> tuple[int, int]:
    """Confirmed appointments starting on the local date of ``t`` in ``tz``: how many, and their seconds."""
    lo, hi, _ = _day_bounds(t, tz)
    row = ctx.ledger.conn.execute(
        "SELECT count(*), coalesce(sum(end_utc - start_utc), 0) FROM appointments WHERE status = 'CONFIRMED'"
        " AND start_utc >= ? AND start_utc < ? AND id IS NOT ?", (lo, hi, exclude)).fetchone()
    return row[0], row[1]


def breaches(ctx: Context, client: Client, t0: int, t1: int, *, exclude: int | None = None, notice: bool = True,
             limits: Limits | None = None, first_only: bool = False) -> list[Breach]:
    """The rules ``[t0, t1)`` breaks for an appointment with ``client`` (``exclude``: the appointment being
    moved; ``notice`` False skips the minimum notice, for a past appointment recorded on purpose)."""
    from vakit.services.scheduling import clashes

    lim = limits or limits_for(ctx, client)
    r, home = lim.rules, lim.home_tz
    when = both_clocks(t0, t1, client.tz, home)
    out: list[Breach] = []

    def add(rule: str, message: str) -> bool:
        out.append(Breach(rule, f"{when} {message}"))
        return first_only

    now = ctx.clock.now_utc()
    if notice and r.min_notice and t0 < now + r.min_notice:
        ahead = f"starts in {fmt_hm(t0 - now)}" if t0 >= now else "has begun"
        if add("notice", f"{ahead}; your rules ask for {fmt_length(r.min_notice)} notice (the earliest start now is "
                         f"{fmt_local(now + r.min_notice, client.tz)})"):
            return out
    for hours, rule, whose in ((lim.yours, "your working hours", "your working hours"),
                               (lim.theirs, "client working hours", f"the working hours of {client.name}")):
        if hours.week and not within(working_intervals(hours.week, hours.tz, t0, t1), t0, t1):
            if add(rule, f"is outside {whose} ({hours.describe()})"):
                return out
    for b in blocks_between(ctx, t0, t1):
        reason = f" '{b.reason}'" if b.reason else ""
        if add("block", f"falls in your block #{b.id}{reason}: {b.when(home)}"):
            return out
    gap = r.buffer_before + r.buffer_after
    if gap:
        for a in clashes(ctx, t0 - gap, t1 + gap, exclude=exclude):
            if overlap(t0, t1, a.start_utc, a.end_utc) or a.end_utc == a.start_utc:
                continue  # a clash, not a buffer: --allow-conflict decides
            what = f"'{a.title}' for {a.client_name}" if a.client_id else f"'{a.title}' ({a.client_name})"
            if a.end_utc <= t0:
                apart = f"{fmt_length(t0 - a.end_utc)} after" if t0 > a.end_utc else "as soon as"
                near = f"starts {apart} {what} ends ({fmt_local(a.end_utc, home)})"
            else:
                apart = f"{fmt_length(a.start_utc - t1)} before" if a.start_utc > t1 else "just as"
                near = f"ends {apart} {what} starts ({fmt_local(a.start_utc, home)})"
            if add("buffer", f"{near}; your rules keep {fmt_length(gap)} between appointments "
                             f"({fmt_length(r.buffer_after)} after one, {fmt_length(r.buffer_before)} before the "
                             "next)"):
                return out
            break
    if r.max_per_day or r.max_seconds_per_day:
        n, seconds = booked_on_day(ctx, t0, home, exclude)
        day = f"{_day_bounds(t0, home)[2]} (your day, {home})"
        if r.max_per_day and n + 1 > r.max_per_day:
            if add("daily cap", f"would be appointment {n + 1} on {day}; your rules allow {r.max_per_day} a day"):
                return out
        if r.max_seconds_per_day and seconds + (t1 - t0) > r.max_seconds_per_day:
            add("daily cap", f"would make {fmt_hm(seconds + t1 - t0)} booked on {day}; your rules allow "
                             f"{fmt_hm(r.max_seconds_per_day)} a day")
    return out


def check_rules(ctx: Context, client: Client, t0: int, t1: int, *, exclude: int | None = None,
                notice: bool = True) -> None:
    """Raise :class:`RuleBroken` for the first rule ``[t0, t1)`` breaks, naming the others broken too."""
    found = breaches(ctx, client, t0, t1, exclude=exclude, notice=notice)
    if found:
        first = found[0]
        others = sorted({b.rule for b in found[1:]} - {first.rule})
        also = f" (it also breaks: {', '.join(others)})" if others else ""
        raise RuleBroken(first.rule, first.message + also)
