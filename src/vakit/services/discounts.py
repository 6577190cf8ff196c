"""An invoice discount, taken from the subtotal before tax (field case C-18): a percentage or an amount, on a
draft when it is made (``invoice create --discount``) or later (``invoice edit --discount``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from vakit.core.errors import InvalidValue
from vakit.core.invoices import Invoice
from vakit.core.money import parse_decimal
from vakit.core.text import clean_text
from vakit.services.draft_lines import totals


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

    cur = inv.currency
    minor, label, percent = 0, "", None
    if discount is not None:
        if discount.percent is not None:
            percent = discount.percent
            label = f"Discount {discount.percent.normalize():f}%"
        else:
            minor = parse_amount(discount.amount or "", None, cur, what="a discount")
            label = "Discount"
        if discount.reason:
            label += f": {discount.reason}"
    return totals(replace(inv, discount_minor=minor, discount_label=label, discount_percent=percent))
