"""A day rate (field case C-17): a full day of work bills the day rate; part days bill pro rata, at the day
rate's hourly equivalent carried to six decimals, never through an hourly rate rounded to cents (105.00 for
8 h → 13.125 per hour, not 13.13)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from vakit.core.models import Contract

#: Places of a day rate's hourly equivalent: exact for every day rate and length that divide evenly in six
#: decimals, and within half a millionth of the currency unit per hour otherwise
RATE_PLACES = Decimal("0.000001")


def hourly_equivalent(k: Contract) -> Decimal:
    """The day rate per hour of a full day (``day_rate`` × 3600 / ``day_seconds``), half-up to six decimals and
    without trailing zeros beyond two: 105.00 per 8 h → ``Decimal("13.125")``."""
    rate = (k.day_rate or Decimal(0)) * 3600 / Decimal(k.day_seconds or 1)
    q = rate.quantize(RATE_PLACES, rounding=ROUND_HALF_UP).normalize()
    return q if q.as_tuple().exponent < -2 else q.quantize(Decimal("0.01"))  # type: ignore[operator]


def split_days(per_day: list[int], day_seconds: int) -> tuple[int, int]:
    """``(full days, other seconds)`` of the billed seconds worked on each date: a date with at least a full
    day's time is one full day, and what it has beyond that joins the part days' seconds."""
    full = sum(1 for s in per_day if s >= day_seconds)
    rest = sum(s - day_seconds if s >= day_seconds else s for s in per_day)
    return full, rest
