"""Small validators for values typed by the user: locale, tax rates, tax ids, hours."""

from __future__ import annotations

import re
from decimal import Decimal

from vakit.core.errors import InvalidValue
from vakit.core.models import Tax, TaxId
from vakit.core.money import parse_decimal
from vakit.core.text import clean_text

_TAX = re.compile(r"^\s*(.+?)\s+([0-9]+(?:\.[0-9]+)?)\s*%\s*$")


def check_locale(code: str) -> str:
    """Return a CLDR locale identifier such as ``en_IN`` if Babel knows it; raises InvalidValue otherwise."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse((code or "").replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise InvalidValue(f"unknown locale {code!r}", "use a code such as en_US, en_IN, de_DE") from exc


def parse_tax(text: str) -> Tax:
    """Read ``"CGST 9%"`` → ``Tax("CGST", Decimal("9"))``; a name alone (``"VAT"``, no digits or ``%``) →
    ``Tax("VAT", None)``, a dated tax (:mod:`vakit.services.tax_rates`). The percent must be 0–100. Raises
    InvalidValue."""
    m = _TAX.match(text or "")
    if not m:
        name = (text or "").strip()
        if name and "%" not in name and not any(ch.isdigit() for ch in name.split()[-1]):
            return Tax(clean_text(name, "tax name"), None)
        raise InvalidValue(f"could not read tax {text!r}", "write it as NAME RATE%, e.g. \"VAT 19%\", or a tax "
                           "name from 'vakit tax list'")
    percent = Decimal(m.group(2))
    if percent > 100:
        raise InvalidValue(f"tax rate {percent}% is above 100%")
    return Tax(clean_text(m.group(1), "tax name"), percent)


def parse_tax_id(text: str) -> TaxId:
    """Read ``"GSTIN=27AAKPD4821M1ZK"`` (label=value). Raises InvalidValue."""
    label, sep, value = (text or "").partition("=")
    if not sep or not label.strip() or not value.strip():
        raise InvalidValue(f"could not read tax id {text!r}", "write it as LABEL=VALUE, e.g. GSTIN=27AAKPD4821M1ZK")
    return TaxId(label.strip(), value.strip())


def parse_hours(text: str, what: str = "hours") -> int:
    """Decimal hours (``"25"``, ``"7.5"``) → whole seconds.

    Raises InvalidValue for negatives or fractions of a second."""
    value = parse_decimal(text, what) * 3600
    if value != value.to_integral_value():
        raise InvalidValue(f"{what} {text!r} is not a whole number of seconds")
    return int(value)


def check_tax_ids(tax_ids) -> tuple[TaxId, ...]:
    """The profile's tax ids, cleaned: a GSTIN checked and made compact (:func:`vakit.core.tax_ids.check_gstin`:
    state code, PAN, check character; CGST Rules 2017, rule 10); other labels kept as typed. Raises
    InvalidValue."""
    out = []
    for t in tax_ids:
        label = clean_text(t.label, "tax id", label="tax id label")
        value = clean_text(t.value, "tax id", label=f"tax id {t.label}")
        if label.upper() == "GSTIN":
            from vakit.core.tax_ids import check_gstin

            value = check_gstin(value)
        out.append(TaxId(label, value))
    return tuple(out)


#: two-letter codes Babel names that are not countries an address can be in
NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO"})


def iso_country(text: str) -> str | None:
    """``text`` as an ISO 3166 alpha-2 country code (``" de"`` → ``"DE"``), or None when it is not one (Babel's
    territories, less :data:`NOT_COUNTRIES`)."""
    code = (text or "").strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha() or code in NOT_COUNTRIES:
        return None
    from babel import Locale

    return code if code in Locale("en").territories else None


def check_country(text: str) -> str:
    """The VA's country: ``""`` (not given) or an ISO 3166 alpha-2 code, upper case. Raises InvalidValue."""
    if not (text or "").strip():
        return ""
    code = iso_country(text)
    if code is None:
        raise InvalidValue(f"{text.strip()!r} is not an ISO 3166 country code",
                           "give two letters, e.g. IN for India, DE for Germany, US for the United States")
    return code


def client_locale(own_locale: str, country: str) -> str:
    """The locale a client's documents default to: the VA's language in the client's country when CLDR knows
    that locale (a VA in ``en_IN`` billing a Canadian client → ``en_CA``, so amounts are grouped as the client
    reads them, never in lakhs), else the VA's own locale."""
    code = iso_country(country)
    if code:
        try:
            return check_locale(f"{own_locale.split('_')[0]}_{code}")
        except InvalidValue:
            pass
    return own_locale


def country_name(code: str, locale: str = "en") -> str:
    """An ISO 3166 code as a name (``"US"`` → ``"United States"``, via Babel); other text unchanged."""
    if len(code.strip()) == 2 and code.strip().isalpha():
        from babel import Locale

        return Locale.parse(locale).territories.get(code.strip().upper(), code)
    return code
