"""``vakit init`` step by step: the profile's questions in order, sensible defaults read from the machine (time
zone, locale, and the currency and country they imply), and what a re-run changed. The answers are checked by
the profile's own checks (:data:`vakit.services.ledger.PROFILE_CHECKS`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from vakit.core.errors import InvalidValue
from vakit.core.models import Profile, TaxId


@dataclass(frozen=True)
class Question:
    """One answer of the profile: ``field`` of :class:`Profile`, the ``prompt`` shown, the ``option`` that gives
    it on the command line, whether it is ``required`` (asked until answered; without a terminal, named as
    missing)."""

    field: str
    prompt: str
    option: str
    required: bool = False


#: the questions ``vakit init`` asks on a terminal, in order
QUESTIONS = (
    Question("business_name", "Business name (printed on invoices)", "--name", True),
    Question("country", "Country (ISO code, e.g. IN, DE, US)", "--country"),
    Question("home_tz", "Home time zone (IANA, e.g. Asia/Kolkata)", "--tz", True),
    Question("currency", "Home currency (ISO 4217, e.g. INR)", "--currency", True),
    Question("locale", "Locale for dates and amounts (e.g. en_IN)", "--locale"),
    Question("email", "Email (printed on invoices; empty: none)", "--email"),
    Question("address", "Postal address (';' between lines; empty: none)", "--address"),
    Question("tax_ids", "Tax ids, LABEL=VALUE (e.g. GSTIN=27AAKPD4821M1ZK; ', ' between several; empty: none)",
             "--tax-id"),
    Question("payment_details", "How clients pay you (bank, IBAN, UPI …; ';' between lines; empty: none)",
             "--payment-details"),
    Question("number_pattern", "Invoice numbers ({year}, {fy}, {month}, {seq:04} …)", "--number-pattern"),
)

#: how each field reads in a sentence (``vakit init`` saying what changed)
FIELD_NAMES = {
    "business_name": "business name", "country": "country", "home_tz": "home zone", "currency": "currency",
    "locale": "locale", "email": "email", "address": "address", "tax_ids": "tax ids",
    "payment_details": "payment details", "number_pattern": "invoice numbers", "pdf_font": "PDF font",
}

DEFAULT_PATTERN = "INV-{year}-{seq:04}"


def system_zone() -> str | None:
    """The machine's IANA time zone: ``$TZ`` when it names one, else the zone ``/etc/localtime`` links to, else
    ``/etc/timezone``; None when none of them names a zone vakit knows."""
    from vakit.core.clock import check_zone

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    for name in candidates:
        if name and "/" in name:
            try:
                return check_zone(name)
            except InvalidValue:
                continue
    return None


def system_locale() -> str | None:
    """The machine's locale as a CLDR code (``LC_ALL``/``LC_MESSAGES``/``LANG`` = ``en_IN.UTF-8`` → ``en_IN``),
    or None for C/POSIX or one Babel does not know."""
    from vakit.core.validate import check_locale

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        raw = os.environ.get(var, "").split(".")[0].split("@")[0]
        if raw and raw not in ("C", "POSIX"):
            try:
                return check_locale(raw)
            except InvalidValue:
                return None
    return None


def country_zones(country: str) -> list[str]:
    """The IANA zones of a country (ISO 3166 code) by IANA's own names today (``IN`` → Asia/Kolkata, never
    CLDR's legacy Asia/Calcutta), from the ``zone.tab`` of the tzdata package vakit depends on, in its order
    (the most populous region first); [] when none is known."""
    from importlib.resources import files

    try:
        text = (files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return []
    code = (country or "").upper()
    return [cols[2] for line in text.splitlines() if not line.startswith("#")
            for cols in [line.split("\t")] if len(cols) >= 3 and cols[0] == code]


def zone_of_country(country: str, machine: str | None) -> str | None:
    """The time zone to offer for a VA in ``country`` (ISO 3166): the machine's when it is one of the country's
    (CLDR's territory zones), else the country's zone when it has one clock now (``DE`` → Europe/Berlin, whose
    twin Europe/Busingen keeps the same time), else none (``US``: the VA must say which). Without a country,
    the machine's zone."""
    if not country:
        return machine
    from datetime import datetime, timezone

    from vakit.core.clock import zone

    zones = country_zones(country)
    if machine in zones or not zones:
        return machine if machine in zones else None
    now = datetime.now(timezone.utc)
    try:
        offsets = {zone(z).utcoffset(now) for z in zones}
    except InvalidValue:
        return None
    return zones[0] if len(offsets) == 1 else None


def country_zone_hint(country: str) -> str | None:
    """For a misspelt zone once the country is known: the country's zones (CLDR), ``"the time zone of India:
    Asia/Kolkata"``; None when the country is not known or has more than six."""
    from vakit.core.validate import country_name, iso_country

    code = iso_country(country)
    zones = country_zones(code or "")
    if not zones or len(zones) > 6:
        return None
    return f"the time zone{'s' if len(zones) > 1 else ''} of {country_name(code)}: {', '.join(zones)}"


def country_of_locale(locale: str | None) -> str:
    """The territory of a locale (``en_IN`` → ``IN``), ``""`` when it names none."""
    if not locale or "_" not in locale:
        return ""
    from vakit.core.validate import iso_country

    return iso_country(locale.rsplit("_", 1)[1]) or ""


def currency_of_country(country: str) -> str | None:
    """The currency in use in a country today (ISO 4217, via Babel's CLDR data: ``IN`` → ``INR``), or None."""
    if not country:
        return None
    from babel.numbers import get_territory_currencies

    found = get_territory_currencies(country, tender=True, non_tender=False)
    return found[0] if found else None


def locale_of_country(country: str) -> str | None:
    """An English locale of the country when CLDR has one (``IN`` → ``en_IN``, ``DE`` → ``en_DE``), else None
    (:func:`vakit.core.validate.client_locale`, the rule a client abroad follows, for English)."""
    from vakit.core.validate import client_locale

    found = client_locale("en", country or "")
    return found if "_" in found else None


def default_answer(field: str, answers: dict) -> str | None:
    """The default offered for ``field`` given the ``answers`` so far (typed values of earlier questions)."""
    loc = system_locale()
    if field == "country":
        return country_of_locale(loc) or None
    if field == "home_tz":
        return zone_of_country(answers.get("country", "").strip().upper(), system_zone())
    if field == "currency":
        return currency_of_country(answers.get("country") or country_of_locale(loc))
    if field == "locale":
        country = answers.get("country") or ""
        if loc and (not country or country_of_locale(loc) == country):
            return loc
        return locale_of_country(country) or loc or "en_US"
    if field == "number_pattern":
        return DEFAULT_PATTERN
    return None


def read_answer(field: str, text: str):
    """A typed answer as the profile stores it, before its check: tax ids ``"A=1, B=2"`` → TaxIds; addresses
    and payment details with ``;`` or ``\\n`` between lines → lines. Raises InvalidValue."""
    if field == "tax_ids":
        from vakit.core.validate import parse_tax_id

        return tuple(parse_tax_id(t) for t in text.split(", ") if t.strip()) if text.strip() else ()
    if field in ("address", "payment_details"):
        from vakit.core.text import typed_lines

        return typed_lines(text)
    return text


def shown(field: str, value) -> str:
    """A stored profile value as the VA typed it (tax ids ``GSTIN=…``, lines joined with ``; ``)."""
    if field == "tax_ids":
        return ", ".join(f"{t.label}={t.value}" for t in value) if value else ""
    if isinstance(value, str):
        return "; ".join(line for line in value.splitlines())
    return str(value)


def changes(old: Profile, new: Profile) -> list[str]:
    """What differs between two profiles, one phrase each in :data:`FIELD_NAMES` order: ``"currency INR →
    USD"``, ``"email set to a@b.in"``, ``"address removed"``."""
    out = []
    for field, name in FIELD_NAMES.items():
        a, b = shown(field, getattr(old, field)), shown(field, getattr(new, field))
        if a == b:
            continue
        out.append(f"{name} set to {b}" if not a else f"{name} removed" if not b else f"{name} {a} → {b}")
    return out


def as_tax_ids(values: list[str] | None) -> tuple[TaxId, ...] | None:
    """``--tax-id`` options → TaxIds (None when none was given). Raises InvalidValue."""
    if not values:
        return None
    from vakit.core.validate import parse_tax_id

    return tuple(parse_tax_id(t) for t in values)
