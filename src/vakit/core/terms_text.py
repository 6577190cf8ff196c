"""A contract's money terms as people read them, the one wording every listing, show and report file uses."""

from __future__ import annotations

from decimal import Decimal

from vakit.core.clock import fmt_hm
from vakit.core.models import Contract
from vakit.core.money import format_plain, from_minor, minor_digits


def plain_rate(value: Decimal, currency: str) -> str:
    """An amount or rate as a plain decimal with at least the currency's minor digits and any further digits it
    has: ``25`` USD → ``"25.00"``, ``13.125`` USD → ``"13.125"``, ``3000`` JPY → ``"3000"``."""
    places = max(minor_digits(currency), -min(0, value.normalize().as_tuple().exponent))  # type: ignore[operator]
    return format_plain(value, places)


def plain_amount(value: Decimal, currency: str) -> str:
    """:func:`plain_rate` with the currency's code: ``13.125`` USD → ``"13.125 USD"``."""
    return f"{plain_rate(value, currency)} {currency}"


def rate_text(k: Contract) -> str:
    """The money terms of ``k`` in one line, by kind:

    - hourly ``"25.00 USD/h"``;
    - retainer ``"fee 800.00 GBP/month, includes 20:00 h, overage 24.00 GBP/h"`` (and ``", unused hours roll
      over: at most 10:00 h, for 3 months"``);
    - daily ``"105.00 GBP/day of 8:00 h (part days 13.125 GBP/h)"``;
    - fixed ``"fixed fee 1000.00 EUR in 3 instalments: 2025-04-30 333.33, …"``.
    """
    cur = k.currency
    if k.kind == "hourly":
        return f"{plain_amount(k.rate or Decimal(0), cur)}/h"
    if k.kind == "daily":
        from vakit.core.day_rate import hourly_equivalent

        return (f"{plain_amount(k.day_rate or Decimal(0), cur)}/day of {fmt_hm(k.day_seconds or 0)} h (part days "
                f"{plain_amount(hourly_equivalent(k), cur)}/h)")
    if k.kind == "fixed":
        fee = plain_amount(from_minor(k.fee_minor or 0, cur), cur)
        if len(k.instalments) <= 1:
            on = f" billed {k.instalments[0][0]}" if k.instalments else ""
            return f"fixed fee {fee}{on}"
        parts = ", ".join(f"{d} {format_plain(from_minor(m, cur), minor_digits(cur))}" for d, m in k.instalments)
        return f"fixed fee {fee} in {len(k.instalments)} instalments: {parts}"
    fee = plain_amount(from_minor(k.monthly_fee_minor or 0, cur), cur)
    text = (f"fee {fee}/month, includes {fmt_hm(k.included_seconds or 0)} h, "
            f"overage {plain_amount(k.overage_rate or Decimal(0), cur)}/h")
    if k.rollover_cap_seconds is not None:
        text += (f", unused hours roll over: at most {fmt_hm(k.rollover_cap_seconds)} h, for {k.rollover_months} "
                 f"month{'s' if k.rollover_months != 1 else ''}")
    return text
