"""Invoice arithmetic: line items from billed seconds and contract terms, document-level taxes.

Rules (design.md §5 "Money and tax"; field cases C-15, C-19):
- hours are quantised to the printed 2 decimals (half-up) *before* multiplying, so that the
  printed quantity × printed unit price, rounded half-up to the minor unit, is the printed amount;
- each tax is computed once, on the sum of the lines it applies to, and rounded half-up;
- total = subtotal + every tax line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from vakit.core.clock import fmt_hm, fmt_span
from vakit.core.day_rate import hourly_equivalent, split_days
from vakit.core.invoices import InvoiceLine, TaxLine
from vakit.core.models import Contract
from vakit.core.money import from_minor, to_minor
from vakit.core.rollover import Roll
from vakit.core.terms_text import plain_amount

HOURS_PLACES = Decimal("0.01")


def hours(seconds: int) -> Decimal:
    """Seconds → hours quantised to 2 decimals, half-up (1500 s → ``Decimal("0.42")``)."""
    return (Decimal(seconds) / Decimal(3600)).quantize(HOURS_PLACES, rounding=ROUND_HALF_UP)


def line(description: str, quantity: Decimal, unit: str, unit_price: Decimal, currency: str) -> InvoiceLine:
    """A line item whose amount is ``quantity × unit_price`` rounded half-up to the minor unit."""
    return InvoiceLine(description, quantity, unit, unit_price, to_minor(quantity * unit_price, currency))


PRORATA_PLACES = Decimal("0.000001")


def included_seconds(contract: Contract, days: int, month_days: int) -> int:
    """Seconds a retainer's fee covers in a month in which it is in force on ``days`` of ``month_days``: the
    included hours, prorated by days (whole seconds, half-up) when it is in force on only some of them."""
    included = contract.included_seconds or 0
    if days >= month_days:
        return included
    return int((Decimal(included) * days / month_days).to_integral_value(rounding=ROUND_HALF_UP))


def late_line(contract: Contract, label: str, months: list[tuple[int, int, int]]) -> InvoiceLine | None:
    """The line billing time that missed its month's invoice (late entries, parts of entries, time released
    from a void invoice). ``months``: one ``(late_seconds, already_billed_seconds, included_seconds)`` per
    month the time was worked in, billed seconds after rounding.

    Hourly: the late hours × the rate. Retainer: only the overage the late time adds in each month,
    max(0, billed + late − included) − max(0, billed − included), at the overage rate; time that falls
    within a month's included hours costs nothing more, and the line says so.
    Daily: the late hours pro rata at the day rate's hourly equivalent (a late entry is not weighed against its
    date's other time). Fixed: None, the fee covers the time.
    """
    late = sum(m[0] for m in months)
    if contract.kind == "fixed":
        return None
    if contract.kind in ("hourly", "daily"):
        rate = contract.rate if contract.kind == "hourly" else hourly_equivalent(contract)
        return line(label, hours(late), "h", rate, contract.currency)
    extra = sum(max(0, b + x - inc) - max(0, b - inc) for x, b, inc in months)
    return line(f"{label} (worked {fmt_hm(late)} h; beyond the included hours {fmt_hm(extra)} h)", hours(extra), "h",
                contract.overage_rate, contract.currency)


def contract_lines(contract: Contract, billed_seconds: int, period_label: str, *, days: int = 1,
                   month_days: int = 1, per_day: Sequence[int] = (), window: tuple[date, date] | None = None,
                   groups: Sequence[tuple[str, int]] = (), rollover: Roll | None = None) -> list[InvoiceLine]:
    """The line items of one contract for a period in which ``billed_seconds`` (after rounding) were worked.

    Hourly: one line, hours × rate (no line for zero hours); or, with ``groups`` (``(label, billed seconds)``
    per date, task or entry: the invoice's line detail), one such line per group, each quantised to the printed
    hours before it is multiplied (C-15, C-19). Retainer: the monthly fee
    line, plus an overage line for the hours beyond those included. A retainer in force on
    only ``days`` of the month's ``month_days`` is prorated: the fee is billed as ``days`` ×
    the daily fee (fee ÷ month_days, 6 decimals, printed as it is multiplied), and the
    included hours shrink in the same proportion (to whole seconds, half-up).

    Daily (C-17): ``per_day`` holds the billed seconds of each date worked; full days bill the day rate, the
    part days' time (and any beyond a full day) bills pro rata at :func:`~vakit.core.day_rate.hourly_equivalent`.
    Fixed: one line per instalment dated within ``window`` (first and last date billed).

    A rollover retainer's ``rollover`` (:func:`vakit.core.rollover.roll` of the month) adds the carried hours to
    the included ones, and the fee line names them, any that expired, and what is carried forward.
    """
    cur = contract.currency
    if contract.kind == "hourly":
        if groups:
            return [line(label, hours(secs), "h", contract.rate, cur) for label, secs in groups]
        if billed_seconds <= 0:
            return []
        return [line(f"Virtual assistance, {period_label}", hours(billed_seconds), "h", contract.rate, cur)]
    if contract.kind == "daily":
        return _day_rate_lines(contract, list(per_day), period_label)
    if contract.kind == "fixed":
        return _instalment_lines(contract, window)
    included = included_seconds(contract, days, month_days)
    fee = from_minor(contract.monthly_fee_minor or 0, cur)
    carried = rollover.carried_in_seconds if rollover is not None else 0
    terms = f"includes {fmt_span(included)} h" + (f" + carried {fmt_span(carried)} h" if carried else "")
    if rollover is not None and rollover.expired:
        terms += f" ({fmt_span(rollover.expired)} h expired)"
    terms += f"; worked {fmt_span(billed_seconds)} h"
    if rollover is not None:
        terms += f"; carried forward {fmt_span(rollover.carried_out_seconds)} h"
    if days < month_days:
        daily = (fee / month_days).quantize(PRORATA_PLACES, rounding=ROUND_HALF_UP)
        out = [line(f"Monthly retainer, {period_label}, prorated {days} of {month_days} days ({terms})",
                    Decimal(days), "day", daily, cur)]
    else:
        out = [line(f"Monthly retainer, {period_label} ({terms})", Decimal(1), "month", fee, cur)]
    over = billed_seconds - included - carried
    if over > 0:
        beyond = fmt_span(included + carried)
        out.append(line(f"Overage beyond {beyond} h, {period_label}", hours(over), "h", contract.overage_rate, cur))
    return out


def _day_rate_lines(k: Contract, per_day: list[int], period_label: str) -> list[InvoiceLine]:
    day = k.day_seconds or 1
    full, rest = split_days(per_day, day)
    out = []
    if full:
        out.append(line(f"Day rate, {period_label}: full days of {fmt_hm(day)} h", Decimal(full), "day",
                        k.day_rate or Decimal(0), k.currency))
    if rest > 0:
        what = "part days" if all(s <= day for s in per_day) else "part days and time beyond a full day"
        per = f"{plain_amount(k.day_rate or Decimal(0), k.currency)} per {fmt_hm(day)} h"
        out.append(line(f"Day rate pro rata, {period_label}: {what} ({per})", hours(rest), "h", hourly_equivalent(k),
                        k.currency))
    return out


def _instalment_lines(k: Contract, window: tuple[date, date] | None) -> list[InvoiceLine]:
    if window is None:
        return []
    what = k.description or "Fixed fee"
    n = len(k.instalments)
    out = []
    for i, (on, amount) in enumerate(k.instalments, 1):
        if window[0] <= on <= window[1]:
            label = what if n == 1 else f"{what}, instalment {i} of {n} ({on})"
            out.append(line(label, Decimal(1), "instalment" if n > 1 else "fee", from_minor(amount, k.currency),
                            k.currency))
    return out


def taxed_base(lines) -> int:
    """The sum of the lines the invoice's taxes (and its discount) apply to: every line but those with an
    ``untaxed`` reason (an expense passed on as a disbursement, an exempt supply), minor units."""
    return sum(li.amount_minor for li in lines if not li.untaxed)


def tax_lines(taxes, base_minor: int, currency: str, inclusive: bool = False) -> tuple[TaxLine, ...]:
    """Each tax of ``taxes`` (anything with ``name`` and ``percent``: a contract's taxes, or an invoice's tax
    lines) on ``base_minor``, rounded half-up once per tax (design.md §5, C-19; CGST and SGST each on the full
    base). ``base_minor`` is the amount before tax, or with ``inclusive`` the amount the taxes are part of: each
    tax is then base × rate / (100 + the sum of the rates), half-up, and every line names as its base what is
    left after them all (100.00 including VAT 19 % → VAT 15.97 on 84.03)."""
    base = from_minor(base_minor, currency)
    if not inclusive:
        return tuple(TaxLine(t.name, t.percent, base_minor, to_minor(base * t.percent / Decimal(100), currency))
                     for t in taxes)
    whole = Decimal(100) + sum((t.percent for t in taxes), Decimal(0))
    amounts = [to_minor(base * t.percent / whole, currency) for t in taxes]
    net = base_minor - sum(amounts)
    return tuple(TaxLine(t.name, t.percent, net, a) for t, a in zip(taxes, amounts))


def grand_total(subtotal_minor: int, discount_minor: int, taxes, inclusive: bool) -> int:
    """A document's total, minor units: subtotal − discount, + its taxes unless the prices include them."""
    return subtotal_minor - discount_minor + (0 if inclusive else sum(t.amount_minor for t in taxes))
