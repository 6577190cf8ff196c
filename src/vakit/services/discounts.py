"""An invoice discount, taken from the subtotal before tax (field case C-18): a percentage or an amount, on a
draft when it is made (``invoice create --discount``) or later (``invoice edit --discount``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from vakit.core.errors import InvalidValue
from vakit.core.invoices import Invoice
from vakit.core.money import MAX_AMOUNT, format_money, from_minor, parse_decimal, to_minor
from vakit.core.text import clean_text
from vakit.services.invoice_math import tax_lines


@dataclass(frozen=True)
class Discount:
    """A discount as typed: ``percent`` (0 < p ≤ 100) or ``amount`` (text in the invoice's currency, e.g.
    ``"7500.00"``), and the ``reason`` printed beside it (may be empty)."""

    percent: Decimal | None = None
    amount: str | None = None
    reason: str = ""


def parse_discount(text: str, reason: str = "") -> Discount | None:
    """``"10%"`` → a percentage, ``"7500.00"`` (or ``"7500.00 EUR"``) → an amount, ``"none"`` → None (no
    discount). Raises InvalidValue for a percentage outside (0, 100] (an amount of zero is refused when it is
    applied), or a reason with ``none``."""
    t = text.strip()
    if t.lower() == "none":
        if reason.strip():
            raise InvalidValue("--discount-reason goes with a discount, not with --discount none")
        return None
    reason = clean_text(reason, "reason")
    if t.endswith("%"):
        p = parse_decimal(t[:-1].strip(), "discount percentage")
        if not 0 < p <= 100:
            raise InvalidValue(f"a discount of {t} is out of range", "give a percentage above 0 and at most 100")
        return Discount(percent=p, reason=reason)
    return Discount(amount=t, reason=reason)


def apply_discount(inv: Invoice, discount: Discount | None) -> Invoice:
    """``inv`` with ``discount`` taken from its subtotal (None: with none), its taxes computed again on the net
    amount (each tax once on the base, half-up) and its total = net + taxes. A percentage is rounded half-up
    to the minor unit. Raises InvalidValue: a discount above the subtotal, an amount in another currency or
    not exact in its minor unit."""
    from vakit.services.receivables import parse_amount

    cur, loc = inv.currency, inv.locale
    minor, label = 0, ""
    if discount is not None:
        if discount.percent is not None:
            minor = to_minor(from_minor(inv.subtotal_minor, cur) * discount.percent / Decimal(100), cur)
            label = f"Discount {discount.percent.normalize():f}%"
        else:
            minor = parse_amount(discount.amount or "", None, cur, what="a discount")
            label = "Discount"
        if discount.reason:
            label += f": {discount.reason}"
        if minor > inv.subtotal_minor:
            raise InvalidValue(f"a discount of {format_money(minor, cur, loc)} is more than the subtotal of "
                               f"{format_money(inv.subtotal_minor, cur, loc)}")
    net = inv.subtotal_minor - minor
    taxes = tax_lines(inv.taxes, net, cur)
    total = net + sum(t.amount_minor for t in taxes)
    if abs(from_minor(total, cur)) >= MAX_AMOUNT:  # pragma: no cover - a discount only lowers the total
        raise InvalidValue(f"the invoice would total more than {MAX_AMOUNT:,} {cur}")
    return replace(inv, discount_minor=minor, discount_label=label, taxes=taxes, total_minor=total)
