"""When the VA and each client can meet: working hours, unavailable blocks and the VA's booking rules (issue 8).

- Working hours belong to the VA (``client`` None) or to a client: wall-clock ranges per weekday in one zone
  (the owner's: the VA's home zone, the client's zone; ``tz`` to type them in another). Setting them replaces
  the owner's whole week; an owner with none set has no limits.
- Blocks are times the VA is not available, ``[start, end)``; a day off is a block of whole local days.
- Rules: a buffer before and after every appointment, a minimum notice, and a daily cap of appointments and
  of booked time per local day of the VA. 0 or None is no rule.

The checks that use them are in :mod:`vakit.services.booking_rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta

from vakit.core.clock import fmt_local, fmt_range, zone
from vakit.core.durations import parse_duration
from vakit.core.errors import InvalidValue, NotFound
from vakit.core.models import Client
from vakit.core.periods import local_midnight_utc
from vakit.core.text import clean_text
from vakit.core.timeparse import parse_date, parse_when
from vakit.core.weekly_hours import Week, fmt_week, parse_week
from vakit.services.client_lookup import find_client
from vakit.services.context import Context, writes

MAX_BLOCK_SECONDS = 366 * 86400


@dataclass(frozen=True)
class Hours:
    """An owner's working hours: ``owner`` is ``"you"`` or the client's name, ``owner_tz`` the owner's own zone,
    ``tz`` the zone the hours are in, ``week`` the ranges (empty: none set, every time is within them)."""

    owner: str
    client_id: int | None
    owner_tz: str
    tz: str
    week: Week

    def lines(self) -> list[str]:
        """``["Mon-Fri 09:00-17:00"]``."""
        return fmt_week(self.week)

    def describe(self) -> str:
        """``"Mon-Fri 09:00-17:00 America/New_York"``."""
        return f"{'; '.join(self.lines())} {self.tz}"


def _owner(ctx: Context, client_ref: str | None) -> tuple[str, Client | None, str]:
    if client_ref is None:
        return "you", None, ctx.profile().home_tz
    client = find_client(ctx, client_ref)
    return client.name, client, client.tz


def hours_for(ctx: Context, client: Client | None) -> Hours:
    """The working hours of ``client`` (None: the VA's)."""
    owner, owner_tz = ("you", ctx.profile().home_tz) if client is None else (client.name, client.tz)
    rows = ctx.ledger.conn.execute(
        "SELECT weekday, start_min, end_min, tz FROM working_hours WHERE client_id IS ? ORDER BY weekday, start_min",
        (None if client is None else client.id,)).fetchall()
    week: Week = {}
    for r in rows:
        week.setdefault(r["weekday"], []).append((r["start_min"], r["end_min"]))
    return Hours(owner, None if client is None else client.id, owner_tz, rows[0]["tz"] if rows else owner_tz, week)


def get_hours(ctx: Context, client_ref: str | None = None) -> Hours:
    """The working hours of the client named ``client_ref``, or the VA's. Raises NotFound."""
    _, client, _ = _owner(ctx, client_ref)
    return hours_for(ctx, client)


@writes
def set_hours(ctx: Context, client_ref: str | None, specs: list[str], *, tz: str | None = None) -> Hours:
    """Replace the owner's week with ``specs`` (``"Mon-Fri 09:00-17:00"``, …) in ``tz`` or the owner's zone.
    Raises NotFound, InvalidValue (see :func:`vakit.core.weekly_hours.parse_week`, an unknown zone); nothing is
    changed then."""
    _, client, owner_tz = _owner(ctx, client_ref)
    tz = tz or owner_tz
    zone(tz)
    if not specs:
        raise InvalidValue("give the hours with --set, e.g. --set \"Mon-Fri 09:00-17:00\"")
    week = parse_week(specs)
    cid = None if client is None else client.id
    with ctx.ledger.write() as conn:
        conn.execute("DELETE FROM working_hours WHERE client_id IS ?", (cid,))
        conn.executemany("INSERT INTO working_hours (client_id, weekday, start_min, end_min, tz)"
                         " VALUES (?, ?, ?, ?, ?)",
                         [(cid, d, s, e, tz) for d, ranges in sorted(week.items()) for s, e in ranges])
    return hours_for(ctx, client)


@writes
def clear_hours(ctx: Context, client_ref: str | None = None) -> Hours:
    """Remove the owner's working hours (every time is within them again). Returns them as they were."""
    _, client, _ = _owner(ctx, client_ref)
    before = hours_for(ctx, client)
    with ctx.ledger.write() as conn:
        conn.execute("DELETE FROM working_hours WHERE client_id IS ?", (None if client is None else client.id,))
    return before


@dataclass(frozen=True)
class Block:
    """A time the VA is not available: ``[start_utc, end_utc)``, typed in ``tz``; ``all_day`` for whole days."""

    id: int
    start_utc: int
    end_utc: int
    tz: str
    all_day: bool
    reason: str

    def when(self, tz: str) -> str:
        """The block as echoed in ``tz``; whole days as dates (``Wed 12 Nov 2025 – Thu 13 Nov 2025, all day``)."""
        if self.all_day and tz == self.tz:
            from datetime import datetime

            first = datetime.fromtimestamp(self.start_utc, zone(tz)).date()
            last = datetime.fromtimestamp(self.end_utc - 1, zone(tz)).date()
            days = f"{first:%a %d %b %Y}" + (f" – {last:%a %d %b %Y}" if last != first else "")
            return f"{days}, all day ({tz})"
        return fmt_range(self.start_utc, self.end_utc, tz)


def _block(row) -> Block:
    return Block(row["id"], row["start_utc"], row["end_utc"], row["tz"], bool(row["all_day"]), row["reason"])


@writes
def add_block(ctx: Context, *, from_: str | None = None, to: str | None = None, on: str | None = None,
              days: int = 1, reason: str = "", tz: str | None = None) -> Block:
    """Block ``from_`` – ``to`` (read in ``tz`` or the home zone, looking forward; ``to`` from ``from_``: a bare
    time is the next such time after it), or ``days`` whole local days from the date ``on``. Raises
    InvalidValue (nothing or both given, an unreadable time, an end not after the start, a block over a year)."""
    tz = tz or ctx.profile().home_tz
    zone(tz)
    reason = clean_text(reason, "reason")
    now = ctx.clock.now()
    if on and (from_ or to):
        raise InvalidValue("give --date for whole days, or --from and --to, not both")
    if on:
        if not 1 <= days <= 366:
            raise InvalidValue(f"--days {days}: give 1 to 366 days")
        d = parse_date(on, today=now.astimezone(zone(tz)).date(), direction="future")
        start, end, all_day = local_midnight_utc(d, tz), local_midnight_utc(d + timedelta(days=days), tz), True
    elif from_ and to:
        begin = parse_when(from_, tz=tz, now=now, direction="future")
        start = int(begin.timestamp())
        end = int(parse_when(to, tz=tz, now=begin, direction="future").timestamp())
        all_day = False
        if end <= start:
            raise InvalidValue(f"--to {to!r} ({fmt_local(end, tz)}) is not after --from ({fmt_local(start, tz)})")
    else:
        raise InvalidValue("give --from and --to, or --date for a whole day off")
    if end - start > MAX_BLOCK_SECONDS:
        raise InvalidValue("a block lasts at most a year", "add another block for the time after")
    with ctx.ledger.write() as conn:
        cur = conn.execute("INSERT INTO schedule_blocks (start_utc, end_utc, tz, all_day, reason, created_utc)"
                           " VALUES (?, ?, ?, ?, ?, ?)", (start, end, tz, int(all_day), reason.strip(),
                                                          ctx.clock.now_utc()))
    return _block(ctx.ledger.conn.execute("SELECT * FROM schedule_blocks WHERE id = ?", (cur.lastrowid,)).fetchone())


def blocks_between(ctx: Context, start: int, end: int) -> list[Block]:
    """Blocks sharing time with ``[start, end)``, by start."""
    rows = ctx.ledger.conn.execute("SELECT * FROM schedule_blocks WHERE start_utc < ? AND end_utc > ?"
                                   " ORDER BY start_utc, id", (end, start))
    return [_block(r) for r in rows]


def list_blocks(ctx: Context, *, include_past: bool = False) -> list[Block]:
    """Blocks by start; only those not ended yet unless ``include_past``."""
    since = -(1 << 62) if include_past else ctx.clock.now_utc()
    return blocks_between(ctx, since, 1 << 62)


@writes
def remove_block(ctx: Context, ref: str) -> Block:
    """Delete block ``ref`` (``3`` / ``#3``). Raises NotFound."""
    ref = (ref or "").strip()
    row = None
    if re.fullmatch(r"#?[0-9]{1,18}", ref):
        row = ctx.ledger.conn.execute("SELECT * FROM schedule_blocks WHERE id = ?", (int(ref.lstrip("#")),)).fetchone()
    if row is None:
        raise NotFound(f"no block {ref!r}", "see 'vakit schedule block list'")
    with ctx.ledger.write() as conn:
        conn.execute("DELETE FROM schedule_blocks WHERE id = ?", (row["id"],))
    return _block(row)


@dataclass(frozen=True)
class Rules:
    """The VA's booking rules (seconds; None / 0: no rule)."""

    buffer_before: int = 0
    buffer_after: int = 0
    min_notice: int = 0
    max_per_day: int | None = None
    max_seconds_per_day: int | None = None


#: the most each rule may be: a buffer or a daily time cap of a day, a notice of a year, 1000 appointments a day
RULE_LIMITS = {"buffer_before": 86400, "buffer_after": 86400, "min_notice": 366 * 86400, "max_per_day": 1000,
               "max_seconds_per_day": 86400}


def get_rules(ctx: Context) -> Rules:
    """The stored rules (no row: none)."""
    row = ctx.ledger.conn.execute("SELECT * FROM booking_rules WHERE id = 1").fetchone()
    if row is None:
        return Rules()
    return Rules(row["buffer_before"], row["buffer_after"], row["min_notice"], row["max_per_day"],
                 row["max_seconds_per_day"])


@writes
def set_rules(ctx: Context, **changes: int | None) -> Rules:
    """Change the named rules (0 or None removes one); the others stay. Raises InvalidValue (an unknown rule, a
    negative value, one above :data:`RULE_LIMITS`)."""
    rules = get_rules(ctx)
    for name, value in changes.items():
        if name not in RULE_LIMITS:
            raise InvalidValue(f"unknown rule {name!r}")
        if value is not None and not 0 <= value <= RULE_LIMITS[name]:
            raise InvalidValue(f"{name.replace('_', ' ')} {value} is out of range (0 to {RULE_LIMITS[name]})")
    changes = {k: (v or (0 if k in ("buffer_before", "buffer_after", "min_notice") else None))
               for k, v in changes.items()}
    rules = replace(rules, **changes)
    with ctx.ledger.write() as conn:
        conn.execute("INSERT INTO booking_rules (id, buffer_before, buffer_after, min_notice, max_per_day,"
                     " max_seconds_per_day) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET buffer_before ="
                     " excluded.buffer_before, buffer_after = excluded.buffer_after, min_notice = excluded.min_notice,"
                     " max_per_day = excluded.max_per_day, max_seconds_per_day = excluded.max_seconds_per_day",
                     (rules.buffer_before, rules.buffer_after, rules.min_notice, rules.max_per_day,
                      rules.max_seconds_per_day))
    return rules


def fmt_length(seconds: int) -> str:
    """A rule's length in words: ``"10 min"``, ``"12 h"``, ``"1 h 30 min"``, ``"2 days"``."""
    if seconds and seconds % 86400 == 0:
        return f"{seconds // 86400} day{'s' if seconds != 86400 else ''}"
    h, rem = divmod(seconds, 3600)
    parts = [f"{h} h"] if h else []
    parts += [f"{rem // 60} min"] if rem // 60 else []
    parts += [f"{rem % 60} s"] if rem % 60 else []
    return " ".join(parts) or "0 min"


def parse_span(text: str, what: str) -> int:
    """A rule's length: ``10m``, ``1h30``, ``2d`` (days), or ``0`` / ``none`` / ``off`` (no rule) → seconds.
    Raises InvalidValue naming the option."""
    s = (text or "").strip().lower()
    if s in ("0", "none", "off", "0m", "0h"):
        return 0
    if s.endswith("d") and s[:-1].isascii() and s[:-1].isdigit():
        return int(s[:-1]) * 86400
    try:
        return parse_duration(s)
    except InvalidValue as exc:
        raise InvalidValue(f"{what}: {exc.message}", "e.g. 10m, 1h30, 2d, or 0 for none") from exc
