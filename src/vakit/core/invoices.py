"""Invoices, credit notes and statements as plain data (units as in :mod:`vakit.core.models`: money in integer
minor units with its currency, rates and quantities as Decimal, dates in the billing zone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from vakit.core.models import Client, TaxId
from vakit.core.rollover import Roll

#: The PDF layout new documents are made with. 1: the first layout; 2: PDF/A-3B with deterministic XMP metadata,
#: a Producer, a subset name per font style, and a Factur-X XML for e-invoice clients. A document keeps the
#: number it was made with (``Invoice.renderer``), so an issued invoice renders to the bytes it was issued with.
RENDERER = 2


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

    ``unit`` is ``"h"`` for hours, ``"month"`` for a retainer fee, or what a line typed by hand counts
    (``manual``: ``vakit invoice line add``), ``item`` for an expense (``expense_id``). A line with an
    ``untaxed`` reason is outside the invoice's taxes and its discount. The invariant
    ``to_minor(quantity * unit_price) == amount_minor`` holds on every line.
    """

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount_minor: int
    manual: bool = False
    expense_id: int | None = None  # the expense this line bills (``vakit expense``)
    untaxed: str = ""  # why the line carries none of the invoice's taxes (a disbursement, exempt); '' if it does
    line_discount: bool = False  # a discount of the line before it (``vakit invoice line discount``), negative
    credits: int | None = None  # on a credit note: the number of the invoice's line it credits (``--lines``)


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

    Money is in minor units of ``currency``; ``subtotal_minor`` is the sum of the lines, ``discount_minor`` an
    invoice discount taken from it before tax (``discount_label`` says which, e.g. ``"Discount 10%"``),
    ``net_minor`` = subtotal − discount the base of every tax line, ``total_minor`` = net + every tax line
    (field case C-18).
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
    discount_minor: int = 0
    discount_label: str = ""
    discount_percent: Decimal | None = None  # a percentage discount, taken again when the lines change
    rollover: Roll | None = None  # a rollover retainer's carried hours in and out of the month
    fx_rate: Decimal | None = None  # GBP per unit of ``currency``, typed for the VAT in sterling (UK)
    fx_date: date | None = None  # the date of that rate
    in_words: bool = False  # the total is printed in words too (INR; set when the draft is made)
    renderer: int = 1  # the PDF layout it was made with (RENDERER): an issued document keeps its bytes
    einvoice: bool = False  # its PDF carries a Factur-X XML (EN 16931) for a client that asked for e-invoices
    tax_inclusive: bool = False  # line prices include the taxes; the tax lines say what part of them is tax

    def total_in_words(self) -> str | None:
        """The total in words (:func:`vakit.core.words.amount_in_words`) when the invoice prints it, else None."""
        if not self.in_words:
            return None
        from vakit.core.words import amount_in_words

        return amount_in_words(self.total_minor, self.currency)

    @property
    def tax_minor(self) -> int:
        """Sum of all tax lines, minor units."""
        return sum(t.amount_minor for t in self.taxes)

    @property
    def net_minor(self) -> int:
        """The amount before tax, minor units: the subtotal less the invoice discount (and, when the prices
        include the taxes, less the taxes they contain). net + taxes = total either way."""
        return self.subtotal_minor - self.discount_minor - (self.tax_minor if self.tax_inclusive else 0)

    @property
    def tax_word(self) -> str:
        """``"incl. "`` before a tax row's label when the prices include the taxes, else ''."""
        return "incl. " if self.tax_inclusive else ""

    @property
    def tax_in_gbp_minor(self) -> int | None:
        """The VAT in pence at ``fx_rate`` (half-up), for a UK VAT-registered supplier's invoice in another
        currency (HMRC VAT Notice 700, 16.3); None without a rate."""
        if self.fx_rate is None:
            return None
        from vakit.core.money import from_minor, to_minor

        return to_minor(from_minor(self.tax_minor, self.currency) * self.fx_rate, "GBP")

    def sterling_label(self) -> str:
        """``"VAT in GBP at 1 USD = 0.79 GBP (2025-05-31)"``, or "" without a rate."""
        if self.fx_rate is None:
            return ""
        return f"VAT in GBP at 1 {self.currency} = {self.fx_rate.normalize():f} GBP ({self.fx_date})"

    def discount_rows(self) -> list[tuple[str, int]]:
        """The rows an invoice discount adds between the subtotal and the taxes, ``(label, minor units)``:
        ``[("Discount 10%", -85000), ("Net amount", 765000)]``, or none without a discount. The discount is
        taken from the lines the taxes apply to, so with untaxed expenses on the invoice a percentage's label names
        its base: ``"Discount 10% of €321.61"``."""
        if not self.discount_minor:
            return []
        label = self.discount_label or "Discount"
        if self.discount_percent is not None and any(li.untaxed for li in self.lines):
            from vakit.core.money import format_money

            base = format_money(sum(li.amount_minor for li in self.lines if not li.untaxed), self.currency,
                                self.locale)
            head = label.split(":", 1)[0]
            label = label.replace(head, f"{head} of {base}", 1)
        if self.tax_inclusive:  # the total follows; a net amount including tax would only repeat it
            return [(label, -self.discount_minor)]
        return [(label, -self.discount_minor), ("Net amount", self.net_minor)]


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
