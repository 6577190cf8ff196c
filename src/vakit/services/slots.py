"""Suggested times for an appointment with a client, and booking one of them (``vakit schedule suggest``,
``vakit schedule book --slot N``; issue 8, field case C-09).

The free time is worked out as intervals: the search range (``on`` a date of the client, or ``within`` a span
from now), from the minimum notice on, inside both parties' working hours (each local date on its own, so
summer and winter time are both right), without the VA's blocks and without every appointment and busy time
widened by the buffers. In each free interval a slot starts at its beginning (rounded up to a quarter hour)
and then every ``step`` (default: the duration). Each candidate is then put through the very checks
``book`` makes (:func:`vakit.services.booking_rules.breaches` and the clash check), so a suggested slot is
always bookable at the instant it was suggested.

The last suggestion for a client is kept in ``meta`` (key ``suggestion:<client id>``) with the instant it was
made; ``book --slot N`` books its slot N, through ``book`` and all its checks, while it is under an hour old.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from shlex import quote

from vakit.core.clock import fmt_local, zone
from vakit.core.errors import Conflict, InvalidValue, NotFound
from vakit.core.models import Client
from vakit.core.periods import local_midnight_utc
from vakit.core.timeparse import parse_date
from vakit.core.weekly_hours import Interval, intersect, merge, subtract, working_intervals
from vakit.services.booking_rules import booked_on_day, breaches, limits_for
from vakit.services.client_lookup import active_client
from vakit.services.context import Context, writes
from vakit.services.scheduling import MAX_APPOINTMENT_SECONDS, Booking, book, clashes

#: how long a suggestion can be booked by its number
SUGGESTION_TTL = 3600
MAX_WITHIN = 92 * 86400
MAX_COUNT = 100
DEFAULT_WITHIN = 14 * 86400


@dataclass(frozen=True)
class Suggestion:
    """Free slots ``[(start_utc, end_utc), …]`` for ``client``, searched in ``[start_utc, end_utc)``;
    ``on`` is the client's date asked for (None: a span from now); ``made_utc`` when it was worked out."""

    client: Client
    home_tz: str
    duration: int
    step: int
    start_utc: int
    end_utc: int
    on: str | None
    slots: list[tuple[int, int]]
    made_utc: int


def _key(client: Client) -> str:
    return f"suggestion:{client.id}"


def _align(t: int, step: int) -> int:
    """``t`` rounded up to a quarter hour (5 minutes, or a minute, when the step is not made of those)."""
    unit = 900 if step % 900 == 0 else 300 if step % 300 == 0 else 60
    return -(-t // unit) * unit


def free_intervals(ctx: Context, client: Client, start: int, end: int) -> list[Interval]:
    """Where an appointment with ``client`` may lie within ``[start, end)``: from the notice on, inside both
    parties' working hours, outside blocks and the buffered appointments and busy times (caps not applied)."""
    from vakit.services.availability import blocks_between

    lim = limits_for(ctx, client)
    r = lim.rules
    free = [(max(start, ctx.clock.now_utc() + r.min_notice), end)]
    for hours in (lim.yours, lim.theirs):
        if hours.week:
            free = intersect(merge(free), working_intervals(hours.week, hours.tz, start, end))
    gap = r.buffer_before + r.buffer_after
    holes = [(b.start_utc, b.end_utc) for b in blocks_between(ctx, start, end)]
    holes += [(a.start_utc - gap, a.end_utc + gap) for a in clashes(ctx, start - gap, end + gap)
              if a.end_utc > a.start_utc]
    return subtract(merge(free), holes)


@writes
def suggest(ctx: Context, client_ref: str, duration: int, *, on: str | None = None, within: int | None = None,
            count: int = 10, step: int | None = None) -> Suggestion:
    """The first ``count`` free slots of ``duration`` seconds with the client: on the client's date ``on``, or
    within ``within`` seconds from now (default 14 days), ``step`` apart (default: the duration). Stores the
    suggestion for ``book --slot``. Raises NotFound, Conflict (archived client), InvalidValue."""
    client = active_client(ctx, client_ref)
    if not 0 < duration <= MAX_APPOINTMENT_SECONDS:
        raise InvalidValue("an appointment lasts more than 0 and at most 24 hours")
    step = step or duration
    if not 60 <= step <= 86400:
        raise InvalidValue("--step is 1 minute to 24 hours")
    if not 1 <= count <= MAX_COUNT:
        raise InvalidValue(f"--count is 1 to {MAX_COUNT}")
    if on and within:
        raise InvalidValue("give --on or --within, not both")
    now = ctx.clock.now_utc()
    if on:
        d = parse_date(on, today=ctx.clock.now().astimezone(zone(client.tz)).date(), direction="future")
        lo, hi, label = local_midnight_utc(d, client.tz), local_midnight_utc(d + timedelta(days=1), client.tz), str(d)
    else:
        within = within or DEFAULT_WITHIN
        if not 0 < within <= MAX_WITHIN:
            raise InvalidValue(f"--within is at most {MAX_WITHIN // 86400} days")
        lo, hi, label = now, now + within, None
    lim = limits_for(ctx, client)
    caps = lim.rules.max_per_day or lim.rules.max_seconds_per_day
    slots: list[tuple[int, int]] = []
    full_days: set[date] = set()
    for s, e in free_intervals(ctx, client, max(lo, now), hi):
        t = _align(s, step)
        while t + duration <= e and len(slots) < count:
            if caps:
                day = _local_date(t, lim.home_tz)
                if day in full_days:
                    t += step
                    continue
                n, seconds = booked_on_day(ctx, t, lim.home_tz)
                if (lim.rules.max_per_day and n >= lim.rules.max_per_day) or (
                        lim.rules.max_seconds_per_day and seconds + duration > lim.rules.max_seconds_per_day):
                    full_days.add(day)
                    t += step
                    continue
            if not clashes(ctx, t, t + duration) and not breaches(ctx, client, t, t + duration, limits=lim,
                                                                   first_only=True):
                slots.append((t, t + duration))
            t += step
        if len(slots) >= count:
            break
    result = Suggestion(client, lim.home_tz, duration, step, lo, hi, label, slots, now)
    with ctx.ledger.write() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value ="
                     " excluded.value", (_key(client), json.dumps({"made_utc": now, "duration": duration,
                                                                    "slots": slots})))
    return result


def _local_date(t: int, tz: str) -> date:
    return datetime.fromtimestamp(t, zone(tz)).date()


def stored_slot(ctx: Context, client: Client, n: int) -> tuple[int, int]:
    """Slot ``n`` (from 1) of the last suggestion for ``client``. Raises NotFound (none made), Conflict (older
    than an hour), InvalidValue (no slot ``n``)."""
    row = ctx.ledger.conn.execute("SELECT value FROM meta WHERE key = ?", (_key(client),)).fetchone()
    again = f"vakit schedule suggest --client {quote(client.name)}"
    if row is None:
        raise NotFound(f"no suggestion for {client.name} to book slot {n} of", f"run {again} first")
    data = json.loads(row[0])
    age = ctx.clock.now_utc() - data["made_utc"]
    if age > SUGGESTION_TTL:
        made = fmt_local(data["made_utc"], ctx.profile().home_tz)
        raise Conflict(f"the suggestion for {client.name} was made {made}, over an hour ago, and may be out of date",
                       f"run {again} again")
    slots = data["slots"]
    if not 1 <= n <= len(slots):
        which = f"slots 1 to {len(slots)}" if slots else "no slots"
        raise InvalidValue(f"the last suggestion for {client.name} has {which}, not {n}")
    return slots[n - 1][0], slots[n - 1][1]


@writes
def book_slot(ctx: Context, client_ref: str, n: int, title: str, *, location: str = "", description: str = "",
              allow_conflict: bool = False, force: bool = False) -> Booking:
    """Book slot ``n`` of the last suggestion for the client, in the client's zone, with every check of
    :func:`vakit.services.scheduling.book` (a slot taken since is refused as a clash or a broken rule)."""
    client = active_client(ctx, client_ref)
    t0, t1 = stored_slot(ctx, client, n)
    local = datetime.fromtimestamp(t0, zone(client.tz))
    when = f"{local:%Y-%m-%d %H:%M:%S%z}"  # with its offset: the right reading on a night the clocks go back
    return book(ctx, client.name, when, t1 - t0, title, location=location, description=description,
                tz=client.tz, allow_conflict=allow_conflict, force=force)
