"""Money: Decimal arithmetic, integer minor units, ISO 4217 currencies.

Amounts are stored as integer *minor units* (cents, paise; yen have none) plus an
ISO 4217 code. Arithmetic is in :class:`~decimal.Decimal` built from strings or
integers, never floats. Rounding is half-up (away from zero) to the currency's
minor unit (design.md §5 "Money and tax"). Babel supplies the currency table and
the locale-aware formatting; it rounds half-even, so callers format only values
that are already rounded here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from vakit.core.errors import InvalidValue

#: amounts and rates must stay below this (so minor units always fit SQLite's 64-bit integers)
MAX_AMOUNT = Decimal(10) ** 12
MAX_PLACES = 10
_AMOUNT = re.compile(r"^[+-]?([0-9]+)(\.[0-9]+)?$")


@lru_cache(maxsize=None)
def known_currencies() -> frozenset[str]:
    """The ISO 4217 codes Babel knows, upper case."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def check_currency(code: str) -> str:
    """Return ``code`` upper-cased if it is an ISO 4217 currency. Raises InvalidValue otherwise."""
    norm = (code or "").strip().upper()
    if norm not in known_currencies() or norm in ("XXX", "XTS"):
        raise InvalidValue(f"unknown currency {code!r}", "use an ISO 4217 code such as USD, EUR, INR")
    return norm


@lru_cache(maxsize=None)
def minor_digits(currency: str) -> int:
    """Number of decimal digits of the currency's minor unit (JPY 0, USD 2, KWD 3), from CLDR via Babel."""
    from babel.numbers import get_currency_precision

    return get_currency_precision(currency)


def parse_decimal(text: str, what: str = "amount", *, allow_negative: bool = False) -> Decimal:
    """Read a plain decimal number such as ``"25"`` or ``"13.125"``.

    Only ``.`` is a decimal separator; ``"1,234"`` is refused as ambiguous.
    Raises InvalidValue naming ``what`` for anything else, and for a negative
    value unless ``allow_negative``.
    """
    s = str(text).strip()
    if "," in s:
        raise InvalidValue(f"{what} {text!r} is ambiguous: use '.' as the decimal separator and no thousands separator")
    if not _AMOUNT.match(s):
        raise InvalidValue(f"{what} {text!r} is not a number")
    try:
        value = Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise InvalidValue(f"{what} {text!r} is not a number") from exc
    if value < 0 and not allow_negative:
        raise InvalidValue(f"{what} must not be negative (got {text})")
    if abs(value) >= MAX_AMOUNT:
        raise InvalidValue(f"{what} {text} is too large (at most {MAX_AMOUNT - 1:,})")
    if -value.as_tuple().exponent > MAX_PLACES:  # type: ignore[operator]
        raise InvalidValue(f"{what} {text} has more than {MAX_PLACES} decimal places")
    return value


def quantize_money(value: Decimal, currency: str) -> Decimal:
    """Round ``value`` half-up (away from zero) to the currency's minor unit."""
    exp = Decimal(1).scaleb(-minor_digits(currency))
    return value.quantize(exp, rounding=ROUND_HALF_UP)


def check_exact(value: Decimal, currency: str, what: str = "amount") -> Decimal:
    """``value`` if it has no more decimals than ``currency``'s minor unit; raises InvalidValue otherwise
    (a fee of 800.005 USD cannot be charged)."""
    if quantize_money(value, currency) != value:
        raise InvalidValue(f"{what} {value} has more decimals than {currency} allows ({minor_digits(currency)})")
    return value


def to_minor(value: Decimal, currency: str) -> int:
    """Round half-up to the minor unit and return integer minor units (``Decimal("14.425")`` USD → 1443)."""
    q = quantize_money(value, currency)
    return int(q.scaleb(minor_digits(currency)))


def from_minor(minor: int, currency: str) -> Decimal:
    """Integer minor units → exact Decimal in major units (1443 USD → ``Decimal("14.43")``)."""
    return Decimal(int(minor)).scaleb(-minor_digits(currency))


def format_money(minor: int, currency: str, locale: str) -> str:
    """Format minor units with the currency symbol in ``locale``'s style (Babel, CLDR data).

    ``format_money(1455000, "INR", "en_IN")`` → ``"₹14,550.00"``. The value is exact,
    so Babel's half-even rounding never applies.
    """
    from babel.numbers import format_currency

    return format_currency(from_minor(minor, currency), currency, locale=locale)


def format_plain(value: Decimal, places: int = 2) -> str:
    """A Decimal as plain text with a fixed number of places, half-up (``Decimal("1.5")`` → ``"1.50"``)."""
    exp = Decimal(1).scaleb(-places)
    return str(value.quantize(exp, rounding=ROUND_HALF_UP))


def _trim(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form (``Decimal("800.00")`` → ``800``)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value  # type: ignore[operator]


#: the units vakit names itself, given a plural "s" (a unit typed by the VA is printed as typed)
OWN_UNITS = frozenset({"month", "day", "item", "instalment"})


def format_quantity(quantity: Decimal, unit: str, locale: str) -> str:
    """``"39.20 h"`` (hours: always 2 decimals, as billed) or ``"1 month"`` (other units: as many as needed)."""
    from babel.numbers import format_decimal

    if unit == "h":
        return f"{format_decimal(quantity, format='#,##0.00', locale=locale, decimal_quantization=False)} h"
    num = format_decimal(_trim(quantity), locale=locale, decimal_quantization=False)
    plural = f"{unit}s" if unit in OWN_UNITS and quantity != 1 else unit  # a unit the VA typed prints as typed
    return f"{num} {plural}"


def format_rate(rate: Decimal, currency: str, locale: str) -> str:
    """A unit price, unrounded but with at least the currency's digits: 13.125 → ``"$13.125"``, 25 → ``"$25.00"``."""
    from babel.numbers import format_currency

    return format_currency(_trim(rate), currency, locale=locale, decimal_quantization=False)


def format_percent(percent: Decimal, locale: str) -> str:
    """A tax rate in percent as printed: ``Decimal("9.00")`` → ``"9%"``, ``Decimal("7.5")`` in de_DE → ``"7,5%"``."""
    from babel.numbers import format_decimal

    return f"{format_decimal(_trim(percent), locale=locale, decimal_quantization=False)}%"
