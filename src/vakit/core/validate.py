"""Small validators for values typed by the user: locale, tax rates, tax ids, hours."""

from __future__ import annotations

import re
from decimal import Decimal

from vakit.core.errors import InvalidValue
from vakit.core.models import Tax, TaxId
from vakit.core.money import parse_decimal

_TAX = re.compile(r"^\s*(.+?)\s+([0-9]+(?:\.[0-9]+)?)\s*%\s*$")


def check_locale(code: str) -> str:
    """Return a CLDR locale identifier such as ``en_IN`` if Babel knows it; raises InvalidValue otherwise."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse((code or "").replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise InvalidValue(f"unknown locale {code!r}", "use a code such as en_US, en_IN, de_DE") from exc


def parse_tax(text: str) -> Tax:
    """Read ``"CGST 9%"`` → ``Tax("CGST", Decimal("9"))``. The percent must be 0–100. Raises InvalidValue."""
    m = _TAX.match(text or "")
    if not m:
        raise InvalidValue(f"could not read tax {text!r}", "write it as NAME RATE%, e.g. \"VAT 19%\"")
    percent = Decimal(m.group(2))
    if percent > 100:
        raise InvalidValue(f"tax rate {percent}% is above 100%")
    return Tax(m.group(1).strip(), percent)


def parse_tax_id(text: str) -> TaxId:
    """Read ``"GSTIN=27ABCDE1234F1Z5"`` (label=value). Raises InvalidValue."""
    label, sep, value = (text or "").partition("=")
    if not sep or not label.strip() or not value.strip():
        raise InvalidValue(f"could not read tax id {text!r}", "write it as LABEL=VALUE, e.g. GSTIN=27ABCDE1234F1Z5")
    return TaxId(label.strip(), value.strip())


def parse_hours(text: str, what: str = "hours") -> int:
    """Decimal hours (``"25"``, ``"7.5"``) → whole seconds.

    Raises InvalidValue for negatives or fractions of a second."""
    value = parse_decimal(text, what) * 3600
    if value != value.to_integral_value():
        raise InvalidValue(f"{what} {text!r} is not a whole number of seconds")
    return int(value)


def nonempty(text: str | None, what: str) -> str:
    """``text`` stripped; raises InvalidValue if it is empty."""
    s = (text or "").strip()
    if not s:
        raise InvalidValue(f"{what} must not be empty")
    return s
