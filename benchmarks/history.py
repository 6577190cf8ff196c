"""A VA's working history as plain data: clients with their active months, time entries and appointments.

Nothing here touches a ledger; :mod:`ledger_gen` stores what :func:`plan_history` returns. Everything is
drawn from one seeded ``random.Random``, so the same :class:`Spec` gives the same history, byte for byte.

Shape (units: instants are epoch seconds UTC, durations seconds, months indexes into ``History.months``):

- clients are active for a span of whole months *in their contract's billing zone*; the last two months
  are special: month ``M-2`` (the "open" month) has exactly ``spec.current`` clients and stays unbilled, for
  ``vakit invoice run``; month ``M-1`` is the current month up to ``spec.now``. Every active month before
  the open month is billed by exactly one invoice, so the spans add up to ``spec.invoices`` months;
- entries are a VA's days in the home zone: weekdays full, weekends light, a sequence without overlaps,
  some evenings running past midnight, and on the Saturday night before every DST change of the home zone
  an entry across the change. No entry of a client crosses the edge of one of its billing months (so
  invoicing splits nothing and the entry count stays exact);
- appointments: recurring series (weekly, fortnightly, monthly) expanded with vakit's own rule, and single
  ones, on a half-hour grid without clashes.
"""

from __future__ import annotations

import bisect
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from vakit.core.recurrence import Rule, occurrences

UTC = ZoneInfo("UTC")

#: (zone, currency, locale, country) the clients are spread over
PLACES = (
    ("Europe/London", "GBP", "en_GB", "GB"),
    ("America/New_York", "USD", "en_US", "US"),
    ("Europe/Berlin", "EUR", "de_DE", "DE"),
    ("Australia/Sydney", "AUD", "en_AU", "AU"),
    ("Asia/Kolkata", "INR", "en_IN", "IN"),
    ("America/Toronto", "CAD", "en_CA", "CA"),
    ("Europe/Paris", "EUR", "fr_FR", "FR"),
    ("America/Los_Angeles", "USD", "en_US", "US"),
)
NAMES = (
    "Northwind Analytics", "Harbour & Finch Ltd", "Müller & Söhne GmbH", "Kookaburra Media", "श्री गणेश ट्रेडर्स",
    "Maple Leaf Dental", "Atelier Lumière", "Redwood Coaching", "Lumen & Co", "Fjord Analytics", "Brightside Bakery",
    "Castlegate Lettings", "Hoffmann Architektur", "Bondi Surf School", "Mumbai Spice Exports", "Lakeshore Physio",
    "Maison Delacroix", "Sierra Wellness", "Oakridge Legal", "Pinecrest Podcasts", "Thistle & Rose Events",
    "Schwarzwald Reisen", "Coral Coast Realty", "Bangalore Code Works", "Niagara Print Co", "Chez Camille",
    "Sunset Yoga Studio", "Kensington Tutors", "Elbe Logistics", "Wattle Tree Consulting",
)
DESCRIPTIONS = ("Inbox triage", "Calendar management", "Travel booking", "Invoice chasing", "Customer support inbox",
                "Social media scheduling", "Research", "Meeting notes", "Bookkeeping", "Newsletter draft",
                "Call with supplier", "CRM updates", "Data entry", "Expense reports", "Website updates")
PROJECTS = ("", "", "Executive support", "Back office", "Marketing", "Customer support")
TAGS = ("email", "calls", "research", "admin", "urgent", "travel")
TITLES = ("Weekly sync", "Planning call", "Onboarding call", "Quarterly review", "Check-in", "Strategy session")
#: the working day's window for regular entries, local hours in the home zone
DAY_START, DAY_END = 8.5, 18.5


@dataclass(frozen=True)
class Spec:
    """What to generate. ``now`` is the fixed clock (ISO with offset); the history covers ``years`` before it.
    ``entries`` time entries over ``clients`` clients, of which ``current`` are active in the last two months;
    ``invoices`` issued invoices; ``appointments`` appointment rows (occurrences of series included)."""

    entries: int = 100_000
    years: float = 10.0
    clients: int = 30
    current: int = 8
    invoices: int = 1200
    appointments: int = 5000
    home_tz: str = "Europe/London"
    now: str = "2026-11-16T10:00:00+00:00"
    seed: int = 11

    def now_dt(self) -> datetime:
        """``now`` as an aware datetime."""
        return datetime.fromisoformat(self.now)


@dataclass(frozen=True)
class ClientPlan:
    """One client: where it is, how it is billed, and its active months ``first``..``last`` (inclusive).
    ``raise_at`` is the month a second contract (rate +10 %) starts, or None; ``rate`` major units per hour
    (for a retainer, the overage rate); ``weight`` its share of the VA's time."""

    name: str
    tz: str
    currency: str
    locale: str
    country: str
    billing_tz: str
    kind: str
    rate: Decimal
    first: int
    last: int
    weight: float
    raise_at: int | None


@dataclass(frozen=True)
class Entry:
    """A time entry: ``client`` an index into ``History.clients`` or None (own time), ``[start, end)``."""

    client: int | None
    start: int
    end: int
    description: str
    project: str
    tags: str
    billable: bool


@dataclass(frozen=True)
class SeriesPlan:
    """A recurring appointment: its rule, first wall time ``dtstart_local`` in ``tz``, ``duration`` seconds and
    the occurrences' starts; ``cancelled`` indexes of occurrences cancelled on their own."""

    uid: str
    client: int
    title: str
    rule: Rule
    dtstart_local: str
    tz: str
    duration: int
    starts: list[int]
    cancelled: frozenset[int]


@dataclass(frozen=True)
class Single:
    """A single appointment ``[start, end)`` shown in ``tz``."""

    uid: str
    client: int
    title: str
    start: int
    end: int
    tz: str
    cancelled: bool


@dataclass
class History:
    """The generated history: ``months`` (first days, home zone) from the first to the current one; ``spans``
    each client's active ``[start, end)``; ``edges`` the month starts of each billing zone."""

    spec: Spec
    start: int
    months: list[date]
    clients: list[ClientPlan]
    entries: list[Entry] = field(default_factory=list)
    series: list[SeriesPlan] = field(default_factory=list)
    singles: list[Single] = field(default_factory=list)
    edges: dict[str, list[int]] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for c in self.clients:
            self.edges.setdefault(c.billing_tz, [local_midnight(m, c.billing_tz) for m in self.months])
        self.spans = [(self.month_bounds(c.first, c.billing_tz)[0], self.month_bounds(c.last, c.billing_tz)[1])
                      for c in self.clients]

    def month_bounds(self, i: int, tz: str) -> tuple[int, int]:
        """``[start, end)`` of month ``i`` in zone ``tz`` (the last month is open-ended)."""
        lo = local_midnight(self.months[i], tz)
        hi = local_midnight(next_month(self.months[i]), tz) if i + 1 < len(self.months) else 2**40
        return lo, hi

    def month_index(self, client: int, t: int) -> int:
        """The month (index) holding instant ``t`` in the client's billing zone (-1: before the first)."""
        return bisect.bisect_right(self.edges[self.clients[client].billing_tz], t) - 1

    def crosses_month(self, client: int, s: int, e: int) -> bool:
        """Whether ``[s, e)`` crosses the start of one of the client's billing months."""
        edges = self.edges[self.clients[client].billing_tz]
        return bisect.bisect_right(edges, s) != bisect.bisect_left(edges, e)


def local_midnight(d: date, tz: str) -> int:
    """Epoch seconds of local midnight starting ``d`` in ``tz``."""
    return int(datetime.combine(d, time(0), tzinfo=ZoneInfo(tz)).timestamp())


def next_month(d: date) -> date:
    """The first day of the month after ``d``'s."""
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def plan_history(spec: Spec) -> History:
    """The whole history of ``spec``. Raises ValueError for a spec that cannot be met."""
    rng = random.Random(spec.seed)
    now = spec.now_dt()
    start_dt = now - timedelta(days=round(spec.years * 365.25))
    home = ZoneInfo(spec.home_tz)
    months = [start_dt.astimezone(home).date().replace(day=1)]
    while months[-1] < now.astimezone(home).date().replace(day=1):
        months.append(next_month(months[-1]))
    h = History(spec, int(start_dt.timestamp()), months, _plan_clients(spec, rng, len(months)))
    h.entries = _entries(h, rng)
    _cover_billed_months(h, rng)
    _appointments(h, rng)
    return h


def _plan_clients(spec: Spec, rng: random.Random, n_months: int) -> list[ClientPlan]:
    """The clients: ``spec.current`` of them active to the end, the others for a span of months before the
    open month; the spans' months before the open month add up to ``spec.invoices``."""
    billable = n_months - 2  # months that can carry an invoice: all but the open and the current month
    if billable < 1:
        raise ValueError(f"{spec.years} years span {n_months} months; the history needs at least 3")
    if not 0 < spec.current <= spec.clients or spec.invoices > spec.clients * billable:
        raise ValueError(f"{spec.invoices} invoices do not fit {spec.clients} clients over {billable} billable months")
    current = set(rng.sample(range(spec.clients), spec.current))
    raw = [rng.uniform(0.4, 1.6) * (2.5 if i in current else 1.0) for i in range(spec.clients)]
    lengths = _share(spec.invoices, raw, billable)
    out = []
    for i, n in enumerate(lengths):
        tz, currency, locale, country = PLACES[i % len(PLACES)]
        name = NAMES[i] if i < len(NAMES) else f"Client {i + 1:02d}"
        if i in current:
            first, last = billable - n, n_months - 1
        else:
            first = rng.randint(0, billable - n) if n else billable - 1
            last = first + n - 1
        kind = "retainer" if i % 10 == 3 else "hourly"
        rate = Decimal(rng.choice((18, 22, 25, 30, 35, 45))) * (80 if currency == "INR" else 1)
        raise_at = first + (last - first) // 2 if last - first > 24 else None
        billing_tz = tz if i % len(PLACES) in (1, 3, 4) else spec.home_tz  # New York, Sydney, Kolkata: their own
        out.append(ClientPlan(name, tz, currency, locale, country, billing_tz, kind, rate, first, last,
                              rng.uniform(0.3, 3.0), raise_at))
    return out


def _share(total: int, weights: list[float], cap: int) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), no part above ``cap``."""
    parts = [0] * len(weights)
    left, open_ = total, set(range(len(weights)))
    while left and open_:
        w = sum(weights[i] for i in open_)
        exact = {i: left * weights[i] / w for i in open_}
        add = {i: min(int(exact[i]), cap - parts[i]) for i in open_}
        rest = left - sum(add.values())
        for i in sorted(open_, key=lambda i: exact[i] - int(exact[i]), reverse=True):
            if rest and parts[i] + add[i] < cap:
                add[i] += 1
                rest -= 1
        for i in open_:
            parts[i] += add[i]
        left = total - sum(parts)
        open_ = {i for i in open_ if parts[i] < cap}
    return parts


def _days(h: History) -> list[tuple[date, float]]:
    """Every local date of the history with its share of work (weekday 1, Saturday 0.2, Sunday 0.1; the
    current day 0.08: only the hour or so before ``now``)."""
    home = ZoneInfo(h.spec.home_tz)
    first = datetime.fromtimestamp(h.start, home).date()
    last = h.spec.now_dt().astimezone(home).date()
    out = []
    d = first
    while d <= last:
        out.append((d, 0.08 if d == last else (1.0, 1.0, 1.0, 1.0, 1.0, 0.2, 0.1)[d.weekday()]))
        d += timedelta(days=1)
    return out


def _entries(h: History, rng: random.Random) -> list[Entry]:
    spec, tz = h.spec, h.spec.home_tz
    days = _days(h)
    counts = _share(spec.entries, [w for _, w in days], 10**9)
    now = int(spec.now_dt().timestamp())
    out: list[Entry] = []
    for (d, _), n in zip(days, counts):
        if not n:
            continue
        today = d == days[-1][0]
        times = _day_times(d, n, tz, rng, until=now - 600 if today else None, late=not today,
                           dst_night=_dst_tomorrow(d, tz))
        active = [i for i, (lo, hi) in enumerate(h.spans) if lo < times[-1][1] and hi > times[0][0]]
        out += [_entry(h, rng, s, e, active) for s, e in times]
    return out


def _day_times(d: date, n: int, tz: str, rng: random.Random, *, until: int | None, late: bool,
               dst_night: bool) -> list[tuple[int, int]]:
    """``n`` intervals one after the other on local date ``d`` in ``tz``: a working day from 08:00–09:00 to
    about 18:30 (or to ``until``); with ``late``, one evening in six ends with an entry from 23:00–23:40
    past midnight, and the night before a DST change (``dst_night``) with one from 23:30 to 03:30 across it."""
    z = ZoneInfo(tz)

    def at(day: date, hh: int, mm: int = 0) -> int:
        return int(datetime.combine(day, time(hh, mm), tzinfo=z).timestamp())

    t = at(d, 8) + (0 if until else rng.randint(0, 3600))
    slot = ((until or at(d, 18, 30)) - t) / n * (0.7 if until else 1.0)  # before `now`: never past it
    out = []
    for _ in range(n):
        dur = max(60, int(slot * rng.uniform(0.45, 1.15)))
        out.append((t, t + dur))
        t += dur + int(slot * rng.uniform(0.0, 0.25))
    if until is not None and out[-1][1] > until:
        raise ValueError(f"{n} entries do not fit before now on {d}")
    if late and n > 1 and (dst_night or rng.random() < 1 / 6):
        nxt = d + timedelta(days=1)
        start = at(d, 23, 30) if dst_night else at(d, 23, rng.randint(0, 40))
        end = at(nxt, 3, 30) if dst_night else min(start + rng.randint(1800, 4800), at(nxt, 0, 59))
        if start > out[-2][1]:
            out[-1] = (start, end)
    return out


def _dst_tomorrow(d: date, tz: str) -> bool:
    """Whether zone ``tz`` changes its offset between noon of ``d`` and noon of the next day."""
    z = ZoneInfo(tz)
    noon = [datetime.combine(d + timedelta(days=k), time(12), tzinfo=z).utcoffset() for k in (0, 1)]
    return noon[0] != noon[1]


def _entry(h: History, rng: random.Random, s: int, e: int, active: list[int]) -> Entry:
    """One entry at ``[s, e)``: own time (3 %), else a client active over all of it whose billing months it
    does not cross, chosen by weight; 2 % of client time is not billable."""
    fit = [i for i in active if h.spans[i][0] <= s and e <= h.spans[i][1] and not h.crosses_month(i, s, e)]
    client = rng.choices(fit, [h.clients[i].weight for i in fit])[0] if fit and rng.random() >= 0.03 else None
    tags = ", ".join(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2))))
    billable = client is not None and rng.random() >= 0.02
    return Entry(client, s, e, rng.choice(DESCRIPTIONS), rng.choice(PROJECTS), tags, billable)


def _cover_billed_months(h: History, rng: random.Random) -> None:
    """Give every active client-month before the open month at least one billable entry (so it gets its
    invoice), taking an entry from a client with several in that month. Raises ValueError if none can."""
    counts: dict[tuple[int, int], int] = {}
    for e in h.entries:
        if e.billable:
            k = (e.client, h.month_index(e.client, e.start))
            counts[k] = counts.get(k, 0) + 1
    for ci, c in enumerate(h.clients):
        for m in range(c.first, min(c.last, len(h.months) - 3) + 1):
            if counts.get((ci, m)):
                continue
            lo, hi = h.month_bounds(m, c.billing_tz)
            donors = [j for j, e in enumerate(h.entries) if lo <= e.start and e.end <= hi and e.billable
                      and not h.crosses_month(ci, e.start, e.end)
                      and counts[(e.client, h.month_index(e.client, e.start))] > 1]
            if not donors:
                raise ValueError(f"no entry to give {c.name} in {h.months[m]:%Y-%m}: too few entries per month")
            j = rng.choice(donors)
            old = h.entries[j]
            counts[(old.client, h.month_index(old.client, old.start))] -= 1
            h.entries[j] = Entry(ci, old.start, old.end, old.description, old.project, old.tags, True)
            counts[(ci, m)] = 1


def _appointments(h: History, rng: random.Random) -> None:
    """``spec.appointments`` rows: a fifth as occurrences of series, the rest single, none clashing (a
    half-hour grid), starting on weekdays 09:00–16:30 in the home zone, from the start of the history to 90
    days after now, each for a client active then (any client where none is)."""
    spec, home = h.spec, ZoneInfo(h.spec.home_tz)
    taken: set[int] = set()
    horizon = int(spec.now_dt().timestamp()) + 90 * 86400

    def cells(t0: int, dur: int) -> range:
        return range(t0 // 1800, (t0 + dur - 1) // 1800 + 1)

    def slot() -> tuple[int, int]:
        d = datetime.fromtimestamp(rng.randint(h.start, horizon), home).date()
        while d.weekday() >= 5:
            d += timedelta(days=1)
        t0 = int(datetime.combine(d, time(9), tzinfo=home).timestamp()) + 1800 * rng.randint(0, 15)
        active = [i for i, (lo, hi) in enumerate(h.spans) if lo <= t0 < hi] or list(range(len(h.clients)))
        return t0, rng.choice(active)

    made, want_series = 0, spec.appointments // 5
    while made < want_series:
        t0, c = slot()
        freq, interval = rng.choice((("WEEKLY", 1), ("WEEKLY", 2), ("MONTHLY", 1)))
        dur, tz = rng.choice((1800, 2700, 3600)), h.clients[c].tz
        wall = datetime.fromtimestamp(t0, ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M:%S")
        rule = Rule(freq, interval, min(want_series - made, rng.randint(6, 40)), None)
        starts = occurrences(rule, wall, tz)
        if any(k in taken for t in starts for k in cells(t, dur)):
            continue
        taken.update(k for t in starts for k in cells(t, dur))
        cancelled = frozenset(i for i in range(len(starts)) if rng.random() < 0.05)
        h.series.append(SeriesPlan(_uid(rng), c, rng.choice(TITLES), rule, wall, tz, dur, starts, cancelled))
        made += len(starts)
    while made < spec.appointments:
        (t0, c), dur = slot(), rng.choice((1800, 2700, 3600, 5400))
        if any(k in taken for k in cells(t0, dur)):
            continue
        taken.update(cells(t0, dur))
        h.singles.append(Single(_uid(rng), c, rng.choice(TITLES), t0, t0 + dur, h.clients[c].tz, rng.random() < 0.05))
        made += 1


def _uid(rng: random.Random) -> str:
    return f"{uuid.UUID(int=rng.getrandbits(128), version=4)}@vakit"
