"""Plain data models shared by the store, the services and the exporters.

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

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class TaxId:
    """A labelled tax identifier, e.g. ``TaxId("GSTIN", "27ABCDE1234F1Z5")``."""

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


@dataclass(frozen=True)
class Rounding:
    """Duration rounding of a contract: ``increment`` seconds (0 = none), ``direction`` up|nearest|down,
    ``scope`` entry."""

    increment: int = 0
    direction: str = "up"
    scope: str = "entry"

    def describe(self) -> str:
        """Human text such as ``"up to 6 min per entry"`` or ``"none"``."""
        if not self.increment:
            return "none"
        return f"{self.direction} to {self.increment // 60} min per {self.scope}"


@dataclass(frozen=True)
class Tax:
    """A named tax rate applied to a contract's lines, e.g. ``Tax("CGST", Decimal("9"))`` (percent)."""

    name: str
    percent: Decimal

    def label(self) -> str:
        """``"CGST 9%"``."""
        return f"{self.name} {self.percent.normalize():f}%"


@dataclass(frozen=True)
class Contract:
    """Terms between the VA and a client.

    ``kind`` is ``hourly`` (``rate`` per hour) or ``retainer`` (``monthly_fee_minor``
    covering ``included_seconds``, with ``overage_rate`` per hour beyond).
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


@dataclass(frozen=True)
class Appointment:
    """A booked appointment ``[start_utc, end_utc)`` shown in zone ``tz``.

    ``uid`` is generated once and never changes (RFC 5545 §3.8.4.7); ``sequence``
    rises on each significant change (§3.8.7.4); ``status`` is CONFIRMED or CANCELLED.
    ``created_utc`` / ``modified_utc`` are epoch seconds. An occurrence of a recurring series has the
    ``series_id`` and its RECURRENCE-ID ``recurrence_utc`` (original start, epoch seconds UTC); ``outcome`` is
    None, ``done`` or ``no-show``, ``outcome_entry_id`` the time entry it made (None: none), ``outcome_note``
    what was noted about it.
    """

    id: int
    uid: str
    client_id: int
    client_name: str
    title: str
    location: str
    start_utc: int
    end_utc: int
    tz: str
    status: str
    sequence: int
    created_utc: int
    modified_utc: int
    description: str = ""
    series_id: int | None = None
    recurrence_utc: int | None = None
    outcome: str | None = None
    outcome_entry_id: int | None = None
    outcome_note: str = ""


@dataclass(frozen=True)
class Series:
    """A recurring appointment series (see :mod:`vakit.store.m007_series`): its iCalendar ``uid``, the master's
    title, location and description, the rule (``freq`` WEEKLY/MONTHLY, ``interval``, ``count`` or
    ``until_utc``), the first occurrence's wall time ``dtstart_local`` (``YYYY-MM-DDTHH:MM:SS``) in ``tz``,
    ``duration`` seconds, ``status`` and the master's ``sequence``; times in epoch seconds."""

    id: int
    uid: str
    client_id: int
    client_name: str
    title: str
    location: str
    description: str
    freq: str
    interval: int
    count: int | None
    until_utc: int | None
    dtstart_local: str
    tz: str
    duration: int
    status: str
    sequence: int
    created_utc: int
    modified_utc: int


@dataclass(frozen=True)
class Party:
    """A party block printed on an invoice (frozen with the invoice when issued)."""

    name: str
    address: str
    email: str
    country: str
    tax_ids: tuple[TaxId, ...] = ()


@dataclass(frozen=True)
class InvoiceLine:
    """One line item: ``quantity`` (Decimal, as printed) × ``unit_price`` → ``amount_minor``.

    ``unit`` is ``"h"`` for hours or ``"month"`` for a retainer fee. The invariant
    ``to_minor(quantity * unit_price) == amount_minor`` holds on every line.
    """

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount_minor: int


@dataclass(frozen=True)
class TaxLine:
    """Tax ``name`` at ``percent`` on ``base_minor`` (the sum of the lines it applies to) → ``amount_minor``."""

    name: str
    percent: Decimal
    base_minor: int
    amount_minor: int


@dataclass(frozen=True)
class TimesheetRow:
    """A time entry as listed on the invoice: local ``day`` in the billing zone, ``start``/``end`` as HH:MM text."""

    day: date
    start: str
    end: str
    description: str
    seconds: int
    billed_seconds: int


@dataclass(frozen=True)
class Invoice:
    """An invoice, draft or issued. ``number`` is None for drafts.

    Money is in minor units of ``currency``; ``subtotal_minor`` is the sum of the
    lines, ``total_minor`` = subtotal + every tax line.
    """

    id: int
    status: str
    number: str | None
    client_id: int
    contract_id: int
    currency: str
    locale: str
    billing_tz: str
    period_start: date
    period_end: date
    issue_date: date | None
    due_date: date | None
    terms_days: int
    supplier: Party
    customer: Party
    lines: tuple[InvoiceLine, ...]
    taxes: tuple[TaxLine, ...]
    subtotal_minor: int
    total_minor: int
    legends: tuple[str, ...]
    timesheet: tuple[TimesheetRow, ...] = field(default_factory=tuple)
    pdf_sha256: str | None = None
    note: str = ""
    payment_details: str = ""
    place_of_supply: str = ""
    kind: str = "invoice"  # or "credit_note"
    refers_to: int | None = None  # a credit note's invoice; a supplementary invoice's original (ids)
    refers_number: str = ""  # that document's number and issue date, printed on this one
    refers_date: date | None = None
    reason: str = ""  # why a credit note was issued

    @property
    def tax_minor(self) -> int:
        """Sum of all tax lines, minor units."""
        return sum(t.amount_minor for t in self.taxes)


@dataclass(frozen=True)
class StatementLine:
    """One document or payment on a statement: ``amount_minor`` raises (+) or lowers (−) the balance."""

    day: date
    kind: str  # invoice, credit note, void, payment, credit held, credit applied
    ref: str
    description: str
    amount_minor: int
    balance_minor: int


@dataclass
class Statement:
    """A client's statement of account in one currency over ``first``…``last`` (home-zone dates).

    closing = opening + invoiced − credited − received; a negative balance is the client's credit.
    """

    client: Client
    currency: str
    locale: str
    first: date | None
    last: date
    opening_minor: int = 0
    lines: list[StatementLine] = field(default_factory=list)
    invoiced_minor: int = 0
    credited_minor: int = 0
    received_minor: int = 0

    @property
    def closing_minor(self) -> int:
        """The balance at the end of the statement."""
        return self.opening_minor + self.invoiced_minor - self.credited_minor - self.received_minor
