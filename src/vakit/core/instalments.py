"""A fixed fee split into instalments on dates, to the minor unit (issue 9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from vakit.core.errors import InvalidValue
from vakit.core.money import check_exact, format_plain, from_minor, minor_digits, to_minor


def allocate(fee_minor: int, wanted: list[tuple[date, Decimal | None]], currency: str) -> list[tuple[date, int]]:
    """Instalments ``(date, amount_minor)`` in date order that sum exactly to ``fee_minor``.

    ``wanted`` pairs a date with an amount in major units, or None for a share of what the given amounts leave:
    that rest is split equally in whole minor units, the remainder on the last of them (1,000.00 in three →
    333.33, 333.33, 333.34). Amounts must be exact in the currency's minor unit.

    Raises InvalidValue: two instalments on one date; a negative amount; given amounts above the fee, or every
    amount given and their sum short of it; an instalment of nothing.
    """
    if not wanted:
        return []
    dates = [d for d, _a in wanted]
    if len(set(dates)) != len(dates):
        twice = next(d for d in dates if dates.count(d) > 1)
        raise InvalidValue(f"two instalments on {twice}", "give each instalment its own date")
    given = {d: to_minor(check_exact(a, currency, "instalment"), currency) for d, a in wanted if a is not None}
    if any(m < 0 for m in given.values()):
        raise InvalidValue("an instalment must not be negative")
    def text(minor: int) -> str:
        return f"{format_plain(from_minor(minor, currency), minor_digits(currency))} {currency}"

    total = sum(given.values())
    if total > fee_minor:
        raise InvalidValue(f"the instalments add up to {text(total)}, more than the fee of {text(fee_minor)}")
    open_dates = sorted(d for d, a in wanted if a is None)
    if not open_dates:
        if total != fee_minor:
            raise InvalidValue(f"the instalments add up to {text(total)}, less than the fee of {text(fee_minor)}",
                               "leave one instalment's amount out to give it the rest")
        return sorted(given.items())
    share, rest = divmod(fee_minor - total, len(open_dates))
    shares = {d: share for d in open_dates}
    shares[open_dates[-1]] += rest
    out = sorted({**given, **shares}.items())
    empty = next((d for d, m in out if m == 0), None)
    if empty is not None:
        raise InvalidValue(f"the instalment on {empty} would be {text(0)}: a fee of {text(fee_minor)} cannot be "
                           f"split into {len(out)} instalments", "give fewer instalments")
    return out
