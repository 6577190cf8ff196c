"""Expenses as plain data, and what one bills (issue 9).

An expense is money a VA spent for a client: ``amount_minor`` in ``currency`` on the local date ``spent_on``.
It is billed in ``bill_currency`` at cost, converted at ``rate`` when the currencies differ (units of
``bill_currency`` per unit of ``currency``, as the VA typed it: vakit never looks a rate up), with ``markup``
percent on top. The billed amount is rounded half-up to the bill currency's minor unit once, after the
conversion and the markup (design.md §5: round once, at the end).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from vakit.core.money import from_minor, to_minor


@dataclass(frozen=True)
class Expense:
    """One expense. Money in minor units of its currency; ``rate`` and ``markup`` (percent) exact decimals or None;
    ``untaxed`` the reason its invoice line carries none of the invoice's taxes ('' when it carries them);
    ``receipt`` a file path or ''; ``invoice_id`` the draft or invoice that bills it (None: not billed yet)."""

    id: int
    client_id: int
    client_name: str
    spent_on: date
    description: str
    amount_minor: int
    currency: str
    bill_currency: str
    rate: Decimal | None = None
    markup: Decimal | None = None
    untaxed: str = ""
    receipt: str = ""
    billable: bool = True
    invoice_id: int | None = None
    invoice_number: str | None = None

    def billed_minor(self) -> int:
        """What the expense bills, minor units of ``bill_currency``: amount × rate × (1 + markup/100), half-up."""
        return billed_amount(self.amount_minor, self.currency, self.bill_currency, self.rate, self.markup)


def billed_amount(amount_minor: int, currency: str, bill_currency: str, rate: Decimal | None,
                  markup: Decimal | None) -> int:
    """``amount_minor`` of ``currency`` billed in ``bill_currency``: × ``rate`` (None: the same currency), ×
    (1 + ``markup``/100) (None: at cost), rounded half-up once to ``bill_currency``'s minor unit.

    >>> billed_amount(12000, "USD", "EUR", Decimal("0.9213"), Decimal("10"))  # 120.00 × 0.9213 × 1.10 = 121.6116
    12161
    """
    value = from_minor(amount_minor, currency) * (rate if rate is not None else Decimal(1))
    if markup is not None:
        value = value * (Decimal(100) + markup) / Decimal(100)
    return to_minor(value, bill_currency)
