"""The terms of a contract and the one path that checks them, for a new contract and an edited one alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from vakit.core.clock import check_zone, zone
from vakit.core.errors import InvalidValue
from vakit.core.models import Client, Contract, Rounding, Tax
from vakit.core.money import check_currency, check_exact, from_minor, to_minor
from vakit.core.no_show import check_no_show
from vakit.core.text import clean_text
from vakit.services.context import Context


@dataclass(frozen=True)
class ContractTerms:
    """Terms typed for a contract, before validation. Money as Decimal major units, ``included_seconds`` in
    seconds, ``terms_days`` in days; dates in the billing zone (``start_date`` None: today there; ``end_date``
    None: open); ``no_show`` ``none``/``booked``/``fixed`` with ``no_show_seconds`` for ``fixed``
    (:mod:`vakit.core.no_show`)."""

    kind: str
    rate: Decimal | None = None
    monthly_fee: Decimal | None = None
    included_seconds: int | None = None
    overage_rate: Decimal | None = None
    rounding: Rounding = Rounding()
    billing_tz: str | None = None
    terms_days: int = 14
    taxes: tuple[Tax, ...] = ()
    legends: tuple[str, ...] = ()
    currency: str | None = None
    description: str = ""
    start_date: date | None = None
    sac: str = ""
    end_date: date | None = None
    no_show: str = "none"
    no_show_seconds: int | None = None


TERM_NAMES = frozenset(f.name for f in fields(ContractTerms))


def today_in(ctx: Context, tz: str) -> date:
    """Today's calendar date in zone ``tz``."""
    return ctx.clock.now().astimezone(zone(tz)).date()


def terms_of(k: Contract) -> ContractTerms:
    """A stored contract's terms, in the shape :func:`add_contract` takes."""
    return ContractTerms(
        kind=k.kind, rate=k.rate, included_seconds=k.included_seconds, overage_rate=k.overage_rate,
        monthly_fee=None if k.monthly_fee_minor is None else from_minor(k.monthly_fee_minor, k.currency),
        rounding=k.rounding, billing_tz=k.billing_tz, terms_days=k.terms_days, taxes=k.taxes, legends=k.legends,
        currency=k.currency, description=k.description, start_date=k.start_date, sac=k.sac, end_date=k.end_date,
        no_show=k.no_show, no_show_seconds=k.no_show_seconds)


def contract_columns(ctx: Context, client: Client, terms: ContractTerms) -> dict[str, object]:
    """The ``contracts`` columns for ``terms`` (client_id and created_utc aside), after every check a contract's
    terms must pass, for a new contract and an edited one alike. Raises InvalidValue."""
    currency = check_currency(terms.currency or client.currency)
    billing_tz = check_zone(terms.billing_tz or ctx.profile().home_tz)
    if terms.terms_days < 0 or terms.terms_days > 365:
        raise InvalidValue(f"payment terms of {terms.terms_days} days are out of range (0-365)")
    fee_minor = None
    if terms.kind == "hourly":
        if terms.rate is None:
            raise InvalidValue("an hourly contract needs --rate")
        if terms.monthly_fee is not None or terms.included_seconds is not None or terms.overage_rate is not None:
            raise InvalidValue("--fee, --included-hours and --overage-rate belong to retainer contracts")
    elif terms.kind == "retainer":
        missing = [n for n, v in (("--fee", terms.monthly_fee), ("--included-hours", terms.included_seconds),
                                  ("--overage-rate", terms.overage_rate)) if v is None]
        if missing:
            raise InvalidValue(f"a retainer contract needs {', '.join(missing)}")
        if terms.rate is not None:
            raise InvalidValue("a retainer contract takes --overage-rate, not --rate")
        fee_minor = to_minor(check_exact(terms.monthly_fee, currency, "fee"), currency)
    else:
        raise InvalidValue(f"unknown contract kind {terms.kind!r}", "use hourly or retainer")
    for v, what in ((terms.rate, "rate"), (terms.monthly_fee, "fee"), (terms.overage_rate, "overage rate")):
        if v is not None and v < 0:
            raise InvalidValue(f"{what} must not be negative (got {v})")
    if terms.included_seconds is not None and terms.included_seconds < 0:
        raise InvalidValue("included hours must not be negative")
    names = [t.name.lower() for t in terms.taxes]
    if len(set(names)) != len(names):
        raise InvalidValue("each tax may be named once per contract")
    start = terms.start_date or today_in(ctx, billing_tz)
    if terms.end_date is not None and terms.end_date < start:
        raise InvalidValue(f"the contract would end on {terms.end_date}, before it starts ({start})")
    check_no_show(terms.no_show, terms.no_show_seconds)
    return {
        "kind": terms.kind, "currency": currency, "rate": None if terms.rate is None else str(terms.rate),
        "monthly_fee_minor": fee_minor, "included_seconds": terms.included_seconds,
        "overage_rate": None if terms.overage_rate is None else str(terms.overage_rate),
        "rounding_increment": terms.rounding.increment, "rounding_direction": terms.rounding.direction,
        "rounding_scope": terms.rounding.scope, "billing_tz": billing_tz, "terms_days": terms.terms_days,
        "taxes": json.dumps([{"name": t.name, "percent": str(t.percent)} for t in terms.taxes], ensure_ascii=False),
        "legends": json.dumps([clean_text(x, "legend") for x in terms.legends], ensure_ascii=False),
        "description": clean_text(terms.description, "description"), "sac": clean_text(terms.sac, "SAC code"),
        "start_date": start.isoformat(), "end_date": None if terms.end_date is None else terms.end_date.isoformat(),
        "no_show": terms.no_show, "no_show_seconds": terms.no_show_seconds,
    }
