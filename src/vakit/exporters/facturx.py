"""Factur-X (EN 16931 profile) XML of an issued invoice or credit note: ``facturx_xml(invoice) -> bytes``.

The XML is UN/CEFACT Cross Industry Invoice D16B as Factur-X 1.0 (EN 16931 profile) restricts it, and carries the
same parties, lines, discount, VAT breakdown and totals as the PDF it is embedded in (the PDF is the document a
person reads; the XML is the same invoice for the customer's software). Element order follows the schema
(``Factur-X_EN16931.xsd``, shipped by the ``factur-x`` library, which checks it: :func:`check_xsd`).

How vakit's figures map onto EN 16931 (business terms BT-…, rules BR-…):

- document type (BT-3): 380 commercial invoice, 381 credit note (UNTDID 1001); a credit note refers to the
  invoice it corrects (BT-25/26) and its amounts are positive, as the standard wants;
- lines (BG-25): quantity with its UN/ECE Rec. 20 unit (h → HUR, day → DAY, month → MON, anything else → C62
  "one"), net price, line amount; a line of negative amount (a credit typed on a draft) is a negative quantity
  at a positive price (BR-27: a price is never negative);
- VAT categories (BT-151, BT-118): a line under the invoice's VAT rate is S (standard) at that rate, or Z at 0 %;
  a reverse-charged supply is AE with its exemption reason (BR-AE-*); an untaxed expense line is E (exempt) with
  its reason; an invoice with no tax from a VA with no VAT number is O (not subject to VAT, BR-O-*), from a VA
  with one, E with the invoice's legend as the reason;
- the invoice discount is a document-level allowance (BG-20) in the taxed lines' category (BT-95);
- an IBAN in the VA's payment details is the payee's account of a credit transfer (BG-16/17: type 58, SEPA, in
  euros; 30 otherwise), so the client's software can pay it;
- totals (BG-22): line total = subtotal (BT-106), allowances = discount (BT-107), tax basis = net (BT-109), VAT
  (BT-110), grand total (BT-112) and amount due (BT-115) = total; the VAT breakdown's basis per category is its
  lines less its allowance (BR-S-08), its amount the invoice's tax line (rounded once, design.md §5).

An e-invoice carries one tax, as VAT (its name is the VA's: VAT, USt, TVA, BTW …); a document with more than one
tax line (CGST + SGST, or VAT and a levy) is refused.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree as ET

from vakit.core.errors import InvalidValue
from vakit.core.invoices import Invoice, InvoiceLine, Party
from vakit.core.money import from_minor

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
#: the EN 16931 profile's guideline id (BT-24), as Factur-X 1.0 names it
GUIDELINE = "urn:cen.eu:en16931:2017"
#: UN/ECE Recommendation 20 unit codes for vakit's units
UNIT_CODES = {"h": "HUR", "day": "DAY", "days": "DAY", "month": "MON"}
FILENAME = "factur-x.xml"

for _prefix, _uri in (("rsm", RSM), ("ram", RAM), ("udt", UDT), ("qdt", QDT)):
    ET.register_namespace(_prefix, _uri)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    ns, name = tag.split(":")
    node = ET.SubElement(parent, f"{{{RSM if ns == 'rsm' else RAM if ns == 'ram' else UDT}}}{name}", attrs)
    if text is not None:
        node.text = text
    return node


def _date(parent: ET.Element, tag: str, d: date) -> None:
    _el(_el(parent, tag), "udt:DateTimeString", d.strftime("%Y%m%d"), format="102")


def _amount(minor: int, currency: str) -> str:
    return f"{from_minor(minor, currency):f}"


def _decimal(value: Decimal) -> str:
    return f"{value:f}"


class _Category:
    """One VAT breakdown group (BG-23): category code, rate, exemption reason, basis and VAT, minor units."""

    def __init__(self, code: str, percent: Decimal, reason: str = "") -> None:
        self.code, self.percent, self.reason = code, percent, reason
        self.basis = 0
        self.tax = 0

    def tax_element(self, parent: ET.Element, tag: str) -> None:
        """The category as ``ApplicableTradeTax``/``CategoryTradeTax`` on a line or an allowance (no amounts)."""
        node = _el(parent, tag)
        _el(node, "ram:TypeCode", "VAT")
        _el(node, "ram:CategoryCode", self.code)
        _el(node, "ram:RateApplicablePercent", _decimal(self.percent))


def _categories(inv: Invoice) -> tuple[_Category, _Category]:
    """The taxed lines' category and the untaxed lines' (E, one group whatever the reasons, BR-E-01; the same
    group when the taxed lines are E or O too)."""
    from vakit.services.vat import REVERSE_CHARGE, supplier_vat

    if inv.tax_inclusive:
        raise InvalidValue("a Factur-X e-invoice states net prices, and this document's prices include the tax",
                           "bill the client with taxes on top (a contract without --tax-inclusive), or stop "
                           "e-invoices: vakit client edit NAME --no-einvoice")
    if len(inv.taxes) > 1:
        names = ", ".join(f"{t.name} {t.percent.normalize():f}%" for t in inv.taxes)
        raise InvalidValue(f"a Factur-X e-invoice carries one VAT rate; this document has {names}",
                           "give the contract one tax, or stop e-invoices for the client: vakit client edit NAME "
                           "--no-einvoice")
    reasons = list(OrderedDict.fromkeys(li.untaxed for li in inv.lines if li.untaxed))
    if inv.taxes:
        t = inv.taxes[0]
        main = _Category("S" if t.percent > 0 else "Z", t.percent)
    elif REVERSE_CHARGE in inv.legends:
        main = _Category("AE", Decimal(0), "Reverse charge")
    elif supplier_vat(inv.supplier.tax_ids) is None:
        return (main := _Category("O", Decimal(0), "Not subject to VAT")), main
    else:
        main = _Category("E", Decimal(0), "; ".join([*inv.legends, *reasons]) or "Exempt from VAT")
        return main, main
    return main, _Category("E", Decimal(0), "; ".join(reasons))


def _party(parent: ET.Element, tag: str, party: Party, country: str) -> None:
    node = _el(parent, tag)
    _el(node, "ram:Name", party.name)
    address = _el(node, "ram:PostalTradeAddress")
    lines = [ln.strip() for ln in party.address.splitlines() if ln.strip()]
    for name, text in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), lines[:2] + [", ".join(lines[2:])]):
        if text:
            _el(address, name, text)
    _el(address, "ram:CountryID", country)
    if party.email:
        _el(_el(node, "ram:URIUniversalCommunication"), "ram:URIID", party.email, schemeID="EM")
    from vakit.services.vat import supplier_vat

    vat = supplier_vat(party.tax_ids)  # the first valid EU or UK VAT number, whatever its label
    if vat is not None:
        _el(_el(node, "ram:SpecifiedTaxRegistration"), "ram:ID", vat[1], schemeID="VA")


def find_iban(text: str) -> str | None:
    """The first valid IBAN (ISO 13616, checked by python-stdnum) in the VA's payment details, compact
    (``DE89370400440532013000``), or None."""
    import re

    from stdnum import iban

    for match in re.finditer(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}\b", text.upper()):
        if iban.is_valid(match.group()):
            return iban.compact(match.group())
    return None


def countries(inv: Invoice) -> tuple[str, str]:
    """The ISO 3166 codes of the supplier (from the VA's VAT number, else the country on the profile when the
    document was made) and the customer (their country), which EN 16931 requires (BR-09, BR-11). Raises
    InvalidValue naming the one missing."""
    from vakit.services.vat import supplier_vat

    vat = supplier_vat(inv.supplier.tax_ids)
    ours = vat[0] if vat is not None else inv.supplier.country.strip().upper()
    if len(ours) != 2:
        raise InvalidValue("a Factur-X e-invoice names your country, read from your VAT number or your profile's "
                           "country", "add it: vakit init --country DE")
    theirs = inv.customer.country.strip().upper()
    if len(theirs) != 2 or not theirs.isalpha():
        raise InvalidValue(f"a Factur-X e-invoice names the client's country as a two-letter code, and "
                           f"{inv.customer.name}'s is {inv.customer.country or 'not set'}",
                           "vakit client edit NAME --country FR")
    return ours, theirs


def _line(parent: ET.Element, n: int, li: InvoiceLine, cat: _Category, cur: str) -> None:
    item = _el(parent, "ram:IncludedSupplyChainTradeLineItem")
    _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(n))
    _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", li.description)
    negative = li.unit_price < 0
    price = _el(_el(item, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice")
    _el(price, "ram:ChargeAmount", _decimal(-li.unit_price if negative else li.unit_price))
    _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity",
        _decimal(-li.quantity if negative else li.quantity), unitCode=UNIT_CODES.get(li.unit, "C62"))
    settle = _el(item, "ram:SpecifiedLineTradeSettlement")
    cat.tax_element(settle, "ram:ApplicableTradeTax")
    _el(_el(settle, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount",
        _amount(li.amount_minor, cur))


def facturx_xml(inv: Invoice) -> bytes:
    """The Factur-X EN 16931 XML of issued document ``inv`` (UTF-8 bytes, deterministic). Raises InvalidValue for
    a draft, a document with a tax other than one VAT rate, or parties without countries."""
    if inv.number is None or inv.issue_date is None:
        raise InvalidValue("a draft has no number yet, so it carries no e-invoice", "issue it first")
    main, untaxed = _categories(inv)
    seller_country, buyer_country = countries(inv)
    cur = inv.currency
    root = ET.Element(f"{{{RSM}}}CrossIndustryInvoice")
    _el(_el(_el(root, "rsm:ExchangedDocumentContext"), "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID",
        GUIDELINE)
    doc = _el(root, "rsm:ExchangedDocument")
    _el(doc, "ram:ID", inv.number)
    _el(doc, "ram:TypeCode", "381" if inv.kind == "credit_note" else "380")
    _date(doc, "ram:IssueDateTime", inv.issue_date)
    for text in (*inv.legends, inv.reason and f"Reason: {inv.reason}", inv.note):
        if text:
            _el(_el(doc, "ram:IncludedNote"), "ram:Content", text)
    trade = _el(root, "rsm:SupplyChainTradeTransaction")
    for n, li in enumerate(inv.lines, 1):
        cat = untaxed if li.untaxed else main
        cat.basis += li.amount_minor
        _line(trade, n, li, cat, cur)
    agreement = _el(trade, "ram:ApplicableHeaderTradeAgreement")
    _party(agreement, "ram:SellerTradeParty", inv.supplier, seller_country)
    _party(agreement, "ram:BuyerTradeParty", inv.customer, buyer_country)
    _el(trade, "ram:ApplicableHeaderTradeDelivery")
    settlement = _el(trade, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", cur)
    iban = find_iban(inv.payment_details) if inv.kind != "credit_note" else None
    if iban is not None:  # BG-16: paid by credit transfer to this account (SEPA in euros)
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "58" if cur == "EUR" else "30")
        _el(_el(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", iban)
    main.basis -= inv.discount_minor
    main.tax = sum(t.amount_minor for t in inv.taxes)
    for cat in (main,) if untaxed is main or not untaxed.basis else (main, untaxed):
        node = _el(settlement, "ram:ApplicableTradeTax")
        _el(node, "ram:CalculatedAmount", _amount(cat.tax, cur))
        _el(node, "ram:TypeCode", "VAT")
        if cat.reason:
            _el(node, "ram:ExemptionReason", cat.reason)
        _el(node, "ram:BasisAmount", _amount(cat.basis, cur))
        _el(node, "ram:CategoryCode", cat.code)
        _el(node, "ram:RateApplicablePercent", _decimal(cat.percent))
    period = _el(settlement, "ram:BillingSpecifiedPeriod")
    _date(period, "ram:StartDateTime", inv.period_start)
    _date(period, "ram:EndDateTime", inv.period_end)
    if inv.discount_minor:
        allowance = _el(settlement, "ram:SpecifiedTradeAllowanceCharge")
        _el(_el(allowance, "ram:ChargeIndicator"), "udt:Indicator", "false")
        _el(allowance, "ram:ActualAmount", _amount(inv.discount_minor, cur))
        _el(allowance, "ram:Reason", inv.discount_label or "Discount")
        main.tax_element(allowance, "ram:CategoryTradeTax")
    terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
    if inv.kind == "credit_note":
        _el(terms, "ram:Description", f"Credit note to invoice {inv.refers_number}")
    else:
        _el(terms, "ram:Description", f"Net {inv.terms_days} days")
        if inv.due_date is not None:
            _date(terms, "ram:DueDateDateTime", inv.due_date)
    sums = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(sums, "ram:LineTotalAmount", _amount(inv.subtotal_minor, cur))
    if inv.discount_minor:
        _el(sums, "ram:AllowanceTotalAmount", _amount(inv.discount_minor, cur))
    _el(sums, "ram:TaxBasisTotalAmount", _amount(inv.net_minor, cur))
    _el(sums, "ram:TaxTotalAmount", _amount(inv.tax_minor, cur), currencyID=cur)
    _el(sums, "ram:GrandTotalAmount", _amount(inv.total_minor, cur))
    _el(sums, "ram:DuePayableAmount", _amount(inv.total_minor, cur))
    if inv.kind == "credit_note" and inv.refers_number:
        ref = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(ref, "ram:IssuerAssignedID", inv.refers_number)
        if inv.refers_date is not None:
            node = _el(ref, "ram:FormattedIssueDateTime")
            q = ET.SubElement(node, f"{{{QDT}}}DateTimeString", {"format": "102"})
            q.text = inv.refers_date.strftime("%Y%m%d")
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def check_xsd(xml: bytes) -> None:
    """Check ``xml`` against the Factur-X EN 16931 schema the ``factur-x`` library ships (the ``einvoice`` extra).
    Raises InvalidValue naming the first error, or when the library is not installed."""
    from vakit.services.einvoice import require_facturx

    facturx = require_facturx()
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as exc:  # the library raises bare Exceptions with the schema's message
        raise InvalidValue(f"the Factur-X XML does not match the EN 16931 schema: {exc}") from None
