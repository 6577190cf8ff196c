"""The terms of a contract and the one path that checks them, for a new contract and an edited one alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from vakit.core.clock import check_zone, zone
from vakit.core.errors import InvalidValue
from vakit.core.instalments import allocate
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
    day_rate: Decimal | None = None
    day_seconds: int | None = None
    instalments: tuple[tuple[date, Decimal | None], ...] = ()
    rollover_cap_seconds: int | None = None
    rollover_months: int | None = None
    line_detail: str = "summary"
    tax_inclusive: bool = False


#: The lines an invoice may have: one for the month, one per date, per task (description) or per entry
LINE_DETAILS = ("summary", "per-day", "per-task", "per-entry")


#: The terms that belong to each kind of contract: required, then optional
KIND_TERMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hourly": (("rate",), ()),
    "retainer": (("monthly_fee", "included_seconds", "overage_rate"), ("rollover_cap_seconds", "rollover_months")),
    "daily": (("day_rate", "day_seconds"), ()),
    "fixed": (("monthly_fee",), ("instalments",)),
}
#: How each kind-specific term is typed on the command line
OPTION_OF = {"rate": "--rate", "monthly_fee": "--fee", "included_seconds": "--included-hours",
             "overage_rate": "--overage-rate", "rollover_cap_seconds": "--rollover-cap",
             "rollover_months": "--rollover-months", "day_rate": "--day-rate", "day_seconds": "--hours-per-day",
             "instalments": "--instalment"}


TERM_NAMES = frozenset(f.name for f in fields(ContractTerms))


def today_in(ctx: Context, tz: str) -> date:
    """Today's calendar date in zone ``tz``."""
    return ctx.clock.now().astimezone(zone(tz)).date()


def terms_of(k: Contract) -> ContractTerms:
    """A stored contract's terms, in the shape :func:`add_contract` takes."""
    return ContractTerms(
        kind=k.kind, rate=k.rate, included_seconds=k.included_seconds, overage_rate=k.overage_rate,
        monthly_fee=next((from_minor(m, k.currency) for m in (k.monthly_fee_minor, k.fee_minor) if m is not None),
                         None),
        rounding=k.rounding, billing_tz=k.billing_tz, terms_days=k.terms_days, taxes=k.taxes, legends=k.legends,
        currency=k.currency, description=k.description, start_date=k.start_date, sac=k.sac, end_date=k.end_date,
        no_show=k.no_show, no_show_seconds=k.no_show_seconds, day_rate=k.day_rate, day_seconds=k.day_seconds,
        instalments=tuple((d, from_minor(m, k.currency)) for d, m in k.instalments),
        rollover_cap_seconds=k.rollover_cap_seconds, rollover_months=k.rollover_months, line_detail=k.line_detail,
        tax_inclusive=k.tax_inclusive)


def without_kind_terms(t: ContractTerms) -> ContractTerms:
    """``t`` with every kind-specific term cleared, and one invoice line (a contract changing its kind keeps none
    of the old kind's terms)."""
    from dataclasses import replace

    return replace(t, line_detail="summary", **{name: (() if name == "instalments" else None) for name in OPTION_OF})


def _check_kind(terms: ContractTerms) -> None:
    """Each kind's required terms are given and no other kind's are. Raises InvalidValue."""
    if terms.kind not in KIND_TERMS:
        raise InvalidValue(f"unknown contract kind {terms.kind!r}", "use hourly, retainer, daily or fixed")
    required, optional = KIND_TERMS[terms.kind]
    missing = [OPTION_OF[n] for n in required if getattr(terms, n) is None]
    if missing:
        raise InvalidValue(f"a{'n' if terms.kind == 'hourly' else ''} {terms.kind} contract needs {', '.join(missing)}")
    for name, option in OPTION_OF.items():
        if name not in required and name not in optional and getattr(terms, name) not in (None, ()):
            owners = [k for k, (r, o) in KIND_TERMS.items() if name in r or name in o]
            raise InvalidValue(f"{option} belongs to {' and '.join(owners)} contracts, not {terms.kind}")


def check_line_detail(detail: str, kind: str) -> None:
    """``detail`` is one of :data:`LINE_DETAILS`, and other than ``summary`` only for an hourly contract (a
    retainer bills its fee and overage, a day rate its days, a fixed fee its instalments). Raises InvalidValue."""
    if detail not in LINE_DETAILS:
        raise InvalidValue(f"unknown line detail {detail!r}", f"use {', '.join(LINE_DETAILS)}")
    if detail != "summary" and kind != "hourly":
        raise InvalidValue(f"line detail {detail} applies to hourly contracts, not {kind}")


def contract_columns(ctx: Context, client: Client, terms: ContractTerms) -> dict[str, object]:
    """The ``contracts`` columns for ``terms`` (client_id and created_utc aside), after every check a contract's
    terms must pass, for a new contract and an edited one alike. Raises InvalidValue."""
    currency = check_currency(terms.currency or client.currency)
    billing_tz = check_zone(terms.billing_tz or ctx.profile().home_tz)
    if terms.terms_days < 0 or terms.terms_days > 365:
        raise InvalidValue(f"payment terms of {terms.terms_days} days are out of range (0-365)")
    _check_kind(terms)
    fee_minor = None
    if terms.monthly_fee is not None:
        fee_minor = to_minor(check_exact(terms.monthly_fee, currency, "fee"), currency)
    if terms.day_seconds is not None and not 0 < terms.day_seconds <= 86400:
        raise InvalidValue("hours per day must be more than 0 and at most 24")
    if (terms.rollover_cap_seconds is None) != (terms.rollover_months is None):
        raise InvalidValue("a rollover needs both --rollover-cap and --rollover-months")
    if terms.rollover_months is not None and not 1 <= terms.rollover_months <= 120:
        raise InvalidValue(f"rolled-over hours expire after 1 to 120 months (got {terms.rollover_months})")
    for v, what in ((terms.rate, "rate"), (terms.monthly_fee, "fee"), (terms.overage_rate, "overage rate"),
                    (terms.day_rate, "day rate")):
        if v is not None and v < 0:
            raise InvalidValue(f"{what} must not be negative (got {v})")
    for secs, what in ((terms.included_seconds, "included hours"), (terms.rollover_cap_seconds, "rollover cap")):
        if secs is not None and secs < 0:
            raise InvalidValue(f"{what} must not be negative")
    names = [t.name.lower() for t in terms.taxes]
    if len(set(names)) != len(names):
        raise InvalidValue("each tax may be named once per contract")
    from vakit.services.tax_rates import check_named

    check_named(ctx.ledger.conn, terms.taxes)
    start = terms.start_date or today_in(ctx, billing_tz)
    if terms.end_date is not None and terms.end_date < start:
        raise InvalidValue(f"the contract would end on {terms.end_date}, before it starts ({start})")
    check_no_show(terms.no_show, terms.no_show_seconds)
    check_line_detail(terms.line_detail, terms.kind)
    if terms.tax_inclusive and not terms.taxes:
        raise InvalidValue("--tax-inclusive says the prices include the taxes, and the contract has none",
                           'give the tax too, e.g. --tax "VAT 19%"')
    instalments: list[tuple[date, int]] = []
    if terms.kind == "fixed":
        instalments = allocate(fee_minor or 0, list(terms.instalments) or [(start, None)], currency)
        outside = [d for d, _m in instalments if d < start or (terms.end_date is not None and d > terms.end_date)]
        if outside:
            raise InvalidValue(f"instalment date {outside[0]} is outside the contract's days ({start} – "
                               f"{terms.end_date or 'open'})")
    return {
        "kind": terms.kind, "currency": currency, "rate": None if terms.rate is None else str(terms.rate),
        "monthly_fee_minor": fee_minor if terms.kind == "retainer" else None,
        "fee_minor": fee_minor if terms.kind == "fixed" else None,
        "instalments": json.dumps([{"date": d.isoformat(), "amount_minor": m} for d, m in instalments]),
        "day_rate": None if terms.day_rate is None else str(terms.day_rate), "day_seconds": terms.day_seconds,
        "rollover_cap_seconds": terms.rollover_cap_seconds, "rollover_months": terms.rollover_months,
        "included_seconds": terms.included_seconds,
        "overage_rate": None if terms.overage_rate is None else str(terms.overage_rate),
        "rounding_increment": terms.rounding.increment, "rounding_direction": terms.rounding.direction,
        "rounding_scope": terms.rounding.scope, "billing_tz": billing_tz, "terms_days": terms.terms_days,
        "taxes": json.dumps([{"name": t.name, "percent": None if t.percent is None else str(t.percent)}
                             for t in terms.taxes], ensure_ascii=False),
        "legends": json.dumps([clean_text(x, "legend") for x in terms.legends], ensure_ascii=False),
        "description": clean_text(terms.description, "description"), "sac": clean_text(terms.sac, "SAC code"),
        "start_date": start.isoformat(), "end_date": None if terms.end_date is None else terms.end_date.isoformat(),
        "no_show": terms.no_show, "no_show_seconds": terms.no_show_seconds, "line_detail": terms.line_detail,
        "tax_inclusive": int(terms.tax_inclusive),
    }
