"""EU and UK VAT rules an invoice must follow (issue 9).

- **Reverse charge** (Council Directive 2006/112/EC): a supply of services from a VAT-registered supplier in
  one member state to a VAT-registered business customer in another takes place where the customer is
  established (Art. 44) and the customer accounts for the VAT (Art. 196). The invoice carries no VAT, both VAT
  numbers (Art. 226(3)–(4)) and the words "Reverse charge" (Art. 226(11a)). A domestic supply carries the
  contract's rate.
- **VAT in sterling** (HMRC VAT Notice 700, section 16.3): a UK VAT-registered supplier's invoice in another
  currency shows the VAT in sterling too, at a stated exchange rate; vakit takes the rate as typed
  (``--fx-rate``), never from the network, and keeps it and its date on the invoice.
"""

from __future__ import annotations

from collections.abc import Iterable

from vakit.core.models import Tax, TaxId
from vakit.core.tax_ids import EU

REVERSE_CHARGE = ("Reverse charge: VAT to be accounted for by the customer (Council Directive 2006/112/EC, "
                  "Art. 196)")


def supplier_vat(tax_ids: Iterable[TaxId]) -> tuple[str, str] | None:
    """``(country, number)`` of the first of the VA's tax ids that is a valid EU or UK VAT number (Greece's
    ``EL`` prefix read as ``GR``), or None: a supplier without one is not VAT-registered as far as vakit
    knows."""
    from stdnum.eu import vat as eu_vat
    from stdnum.gb import vat as gb_vat
    from stdnum.util import clean

    for t in tax_ids:
        number = clean(t.value, " -./,").upper()
        if number[:2] in ("GB", "XI") and gb_vat.is_valid(number[2:]):
            return "GB", number
        if number[:2].isalpha() and eu_vat.is_valid(number):
            return ("GR" if number[:2] == "EL" else number[:2]), number
    return None


def reverse_charged(tax_ids: Iterable[TaxId], client_country: str, client_tax_id: str) -> bool:
    """Whether a supply from the VA (``tax_ids``) to a client in ``client_country`` with VAT number
    ``client_tax_id`` is reverse charged: an EU supplier, a customer VAT-registered in another member state."""
    ours = supplier_vat(tax_ids)
    theirs = client_country.strip().upper()
    return ours is not None and ours[0] in EU and theirs in EU and theirs != ours[0] and bool(client_tax_id.strip())


def contract_vat_conflict(tax_ids: Iterable[TaxId], client_country: str, client_tax_id: str,
                          taxes: tuple[Tax, ...]) -> str | None:
    """Why ``taxes`` on a contract with this client break the reverse-charge rule (a tax above 0 % on a reverse
    charged supply), or None."""
    if not reverse_charged(tax_ids, client_country, client_tax_id):
        return None
    charged = [t for t in taxes if t.percent is None or t.percent > 0]
    if not charged:
        return None
    ours = supplier_vat(tax_ids)
    return (f"{', '.join(t.label() for t in charged)} on services from {ours[0] if ours else '?'} to a business "
            f"VAT-registered in {client_country.strip().upper()}: the customer accounts for the VAT (reverse charge, "
            "Council Directive 2006/112/EC, Art. 44 and 196), so the invoice carries none")


def needs_sterling(tax_ids: Iterable[TaxId], currency: str, tax_minor: int) -> bool:
    """Whether an invoice in ``currency`` with ``tax_minor`` of tax, from the VA (``tax_ids``), must show its VAT
    in sterling too (a UK VAT-registered supplier, another currency, some VAT)."""
    ours = supplier_vat(tax_ids)
    return ours is not None and ours[0] == "GB" and currency != "GBP" and tax_minor > 0
