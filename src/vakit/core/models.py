"""Plain data models of the ledger's parties, terms and time, shared by the store, the services and the
exporters; appointments are in :mod:`vakit.core.appointments`, invoices in :mod:`vakit.core.invoices`.

Units used everywhere:
- instants are integer epoch seconds in UTC (``*_utc``), with the IANA zone name
  kept beside them where wall-clock intent matters (``tz``);
- durations are integer seconds;
- money is integer minor units plus an ISO 4217 ``currency``; rates and quantities
  that need more precision are :class:`~decimal.Decimal`;
- calendar dates (issue date, due date, billing period) are :class:`datetime.date`
  in the contract's billing zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class TaxId:
    """A labelled tax identifier, e.g. ``TaxId("GSTIN", "27AABCD1234F1Z6")``."""

    label: str
    value: str


@dataclass(frozen=True)
class Profile:
    """The VA's own business profile (one per ledger)."""

    business_name: str
    address: str
    email: str
    tax_ids: tuple[TaxId, ...]
    home_tz: str
    currency: str
    locale: str
    number_pattern: str
    payment_details: str = ""
    pdf_font: str = ""  # a font file the VA added (absolute path), the PDFs' last fallback; "" none
    country: str = ""  # ISO 3166 two-letter code, "" not given


@dataclass(frozen=True)
class Client:
    """A client. ``tz`` is an IANA zone, ``currency`` ISO 4217, ``locale`` a CLDR locale such as ``en_IN``."""

    id: int
    name: str
    email: str
    address: str
    country: str
    tz: str
    currency: str
    locale: str
    tax_id: str
    notes: str
    archived: bool = False
    einvoice: bool = False  # their invoices carry a Factur-X XML (EN 16931) in a PDF/A-3 file


@dataclass(frozen=True)
class Rounding:
    """Duration rounding of a contract: ``increment`` seconds (0 = none), ``direction`` up|nearest|down,
    ``scope`` entry (each time entry rounded), day (each date's time, in the billing zone) or line (each invoice
    line's time); see :mod:`vakit.services.rounding_units`."""

    increment: int = 0
    direction: str = "up"
    scope: str = "entry"

    def describe(self) -> str:
        """Human text such as ``"up to 6 min per entry"`` or ``"none"``."""
        if not self.increment:
            return "none"
        return f"{self.direction} to {self.increment // 60} min per {SCOPE_WORDS.get(self.scope, self.scope)}"


#: How each rounding scope is named to people
SCOPE_WORDS = {"entry": "entry", "day": "day", "line": "invoice line"}


@dataclass(frozen=True)
class Tax:
    """A named tax rate applied to a contract's lines, e.g. ``Tax("CGST", Decimal("9"))`` (percent); percent
    None names a dated tax whose rate each invoice takes from the ledger (:mod:`vakit.services.tax_rates`)."""

    name: str
    percent: Decimal | None

    def label(self) -> str:
        """``"CGST 9%"``, or ``"VAT (dated rate)"`` for a dated tax."""
        if self.percent is None:
            return f"{self.name} (dated rate)"
        return f"{self.name} {self.percent.normalize():f}%"


@dataclass(frozen=True)
class Contract:
    """Terms between the VA and a client.

    ``kind`` is ``hourly`` (``rate`` per hour), ``retainer`` (``monthly_fee_minor``
    covering ``included_seconds``, with ``overage_rate`` per hour beyond), ``daily`` (``day_rate`` for a
    full day of ``day_seconds``, part days pro rata) or ``fixed`` (``fee_minor`` billed in ``instalments``,
    ``(date, amount_minor)`` pairs in date order summing to the fee).
    ``billing_tz`` is the zone whose calendar dates bound periods and date invoices.
    The contract is in force from ``start_date`` to ``end_date`` (inclusive; None: open),
    dates in the billing zone; a later contract for the same client ends it.
    ``no_show`` is whether a no-show is billed: ``none``, ``booked`` (its booked length) or ``fixed``
    (``no_show_seconds``, see :mod:`vakit.core.no_show`).
    """

    id: int
    client_id: int
    kind: str
    currency: str
    rate: Decimal | None
    monthly_fee_minor: int | None
    included_seconds: int | None
    overage_rate: Decimal | None
    rounding: Rounding
    billing_tz: str
    terms_days: int
    taxes: tuple[Tax, ...]
    legends: tuple[str, ...]
    start_date: date = date(1970, 1, 1)
    end_date: date | None = None
    description: str = ""
    sac: str = ""
    no_show: str = "none"
    no_show_seconds: int | None = None
    day_rate: Decimal | None = None
    day_seconds: int | None = None
    fee_minor: int | None = None
    instalments: tuple[tuple[date, int], ...] = ()
    rollover_cap_seconds: int | None = None
    rollover_months: int | None = None
    line_detail: str = "summary"
    tax_inclusive: bool = False  # prices include the taxes (the tax is the part of the price it makes up)

    @property
    def active(self) -> bool:
        """True while no later contract has replaced this one."""
        return self.end_date is None

    def covers(self, first: date, last: date) -> bool:
        """Whether the contract is in force on any day of ``first`` … ``last`` (dates in the billing zone)."""
        return self.start_date <= last and (self.end_date is None or self.end_date >= first)


@dataclass(frozen=True)
class TimeEntry:
    """A span of work ``[start_utc, end_utc)`` (epoch seconds, half-open); ``end_utc`` None while the timer runs.

    ``tz`` is the zone the entry was recorded in. ``invoice_id`` is set once a draft
    or issued invoice covers it.
    """

    id: int
    client_id: int | None
    start_utc: int
    end_utc: int | None
    tz: str
    description: str
    project: str
    tags: str
    billable: bool
    source: str
    invoice_id: int | None = None

    @property
    def seconds(self) -> int:
        """Duration in seconds (0 for a running timer)."""
        return 0 if self.end_utc is None else self.end_utc - self.start_utc
