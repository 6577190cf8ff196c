"""A client's timesheet for a period, to send as it is (``vakit log report --client X --format text|csv|pdf``).

Times are shown in the summary's zone (by default the client's); an entry crossing midnight there is shown on
each date it covers, so each date's rows add up to its total and the dates to the period's. For a retainer, the
month's use of the included hours is given up to the period's last day, as the invoice will count it (billed,
i.e. rounded, seconds against the prorated included seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from vakit.core.clock import fmt_span, zone
from vakit.core.invoices import Party
from vakit.core.models import Client, Contract
from vakit.core.periods import Period, month_end
from vakit.core.report_time import week_key
from vakit.services.context import Context
from vakit.services.contracts import contracts_in_force
from vakit.services.draft_rows import carried_into
from vakit.services.invoice_math import included_seconds
from vakit.services.report_buckets import pieces
from vakit.services.reports import EntryDay, day_totals, entry_days


@dataclass(frozen=True)
class RetainerUse:
    """A retainer's month: ``month`` (its first date, billing zone), counted ``through`` that date; ``used``
    billed seconds of the month so far, ``included`` seconds the fee covers that month (prorated), ``carried``
    seconds carried into it from earlier months (a rollover retainer)."""

    contract_id: int
    month: date
    through: date
    used: int
    included: int
    carried: int = 0

    @property
    def whole_month(self) -> bool:
        """Whether the count runs to the month's last day."""
        return self.through == month_end(self.month)


@dataclass(frozen=True)
class ClientSummary:
    """What the summary shows: the ``client``, the VA (``supplier``: business name, address, e-mail), the
    ``period`` (its zone is the zone times are shown in), one row per entry and date, the totals per date
    (dates with time only), the period's ``total``/``billable``/``billed`` seconds, the contracts' rounding
    (``"up to 15 min per entry"``, empty when none rounds) and the retainer months. ``week`` is ``2026-W45``
    when the period is one ISO week."""

    client: Client
    supplier: Party
    period: Period
    rows: tuple[EntryDay, ...]
    days: tuple[tuple[date, int], ...]
    total: int
    billable: int
    billed: int
    rounding: str
    retainer: tuple[RetainerUse, ...]
    week: str = ""
    notes: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        """Every free text it prints (names, descriptions, tags): for font checks."""
        out = [self.client.name, self.client.address, self.supplier.name, self.supplier.address, self.period.tz]
        for r in self.rows:
            out += [r.view.entry.description, r.view.entry.tags]
        return out


def _local_date(t: int, tz: str) -> date:
    return datetime.fromtimestamp(t, zone(tz)).date()


def retainer_use(ctx: Context, client: Client, period: Period) -> list[RetainerUse]:
    """For each retainer of ``client`` and each month (in its billing zone) that ``period`` touches: the billed
    seconds under it from the month's first day through the period's last day, and the month's included
    seconds (prorated by the days the retainer is in force)."""
    out: list[RetainerUse] = []
    for k in _contracts(ctx, client, period):
        if k.kind != "retainer":
            continue
        tz = k.billing_tz
        # the period's own dates, read as dates of the billing zone (as the invoice reads its month), so the
        # count runs to the date the timesheet ends on
        first, last = period.first, period.last
        m = first.replace(day=1)
        while m <= last:
            through = min(month_end(m), last)
            k_first = max(m, k.start_date)
            k_last = month_end(m) if k.end_date is None else min(month_end(m), k.end_date)
            if k_first <= k_last and k_first <= through:
                used = sum(p.billed for p in pieces(ctx, Period(m, through, tz), client.id)
                           if p.contract is not None and p.contract.id == k.id)
                days = (k_last - k_first).days + 1
                out.append(RetainerUse(k.id, m, through, used, included_seconds(k, days, month_end(m).day),
                                       carried_into(ctx, k, m)))
            m = month_end(m) + timedelta(days=1)
    return out


def _contracts(ctx: Context, client: Client, period: Period) -> list[Contract]:
    """The client's contracts in force on any day near the period (dates read loosely, a day either side, since
    a contract's dates are in its own billing zone)."""
    return contracts_in_force(ctx, client, period.first - timedelta(days=1), period.last + timedelta(days=1))


def client_summary(ctx: Context, client: Client, period: Period) -> ClientSummary:
    """The timesheet of ``client`` for ``period`` (see the module docstring)."""
    parts = pieces(ctx, period, client.id)
    rows = entry_days(parts)
    roundings = sorted({p.contract.rounding.describe() for p in parts if p.contract is not None
                        and p.contract.rounding.increment and p.view.entry.billable})
    week = ""
    if (period.last - period.first).days == 6 and period.first.weekday() == 0:
        week = week_key(period.first)
    profile = ctx.profile()
    supplier = Party(profile.business_name, profile.address, profile.email, "", profile.tax_ids)
    billed = sum(r.billed for r in rows)
    return ClientSummary(client, supplier, period, tuple(rows), tuple(day_totals(rows).items()),
                         sum(r.seconds for r in rows), sum(r.billable for r in rows), billed,
                         "; ".join(roundings), tuple(retainer_use(ctx, client, period)), week,
                         tuple(_invoice_zone_notes(ctx, client, period, billed)))


def _invoice_zone_notes(ctx: Context, client: Client, period: Period, billed: int) -> list[str]:
    """A note for each billing zone of the client's contracts that is not the timesheet's zone and, read in
    it, gives the same dates another billed total: an invoice counts the dates of its billing zone, so the
    timesheet would not match it (``--tz`` of the billing zone makes them agree)."""
    out = []
    for tz in sorted({k.billing_tz for k in _contracts(ctx, client, period)} - {period.tz}):
        there = sum(p.billed for p in pieces(ctx, Period(period.first, period.last, tz), client.id))
        if there != billed:
            out.append(f"invoices for {client.name} count {tz} dates, and {period.first} – {period.last} there "
                       f"bills {fmt_span(there)} against this timesheet's {fmt_span(billed)} ({period.tz} dates);"
                       f" to send it with an invoice, pass --tz {tz}")
    return out
