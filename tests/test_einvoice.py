"""E-invoices and PDF renderer 2 (issue 9): a client with --einvoice gets PDF/A-3B invoices and credit notes with a
Factur-X XML (EN 16931) inside, valid against the schema the factur-x library ships, whose figures equal the PDF's;
deterministic bytes, a Producer and a subset name per font style; documents made before keep renderer 1."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from tests.test_late_time import pdf_text

pytest.importorskip("facturx", reason="the factur-x library (vakit[einvoice], in the test extra) is not installed")

NOW = "2026-12-01T09:00:00+01:00"
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
REVERSE = "Reverse charge: VAT to be accounted for by the customer (Council Directive 2006/112/EC, Art. 196)"


@pytest.fixture
def eu(cli):
    """A German VA (VAT DE136695976): Kiwi GmbH in Germany (VAT 19 %), Lumière SARL in France (reverse charge),
    both asking for e-invoices."""
    cli.now = NOW
    cli("init", "--name", "Ana VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_IE",
        "--tax-id", "VAT=DE136695976", "--address", "Hauptstr. 1;10115 Berlin", "--number-pattern",
        "INV-{year}-{seq:04}", "--payment-details", "Deutsche Bank · IBAN DE89 3704 0044 0532 0130 00")
    cli("client", "add", "Kiwi GmbH", "--country", "DE", "--currency", "EUR", "--locale", "en_IE", "--einvoice",
        "--address", "Ring 5;50667 Köln")
    cli("contract", "add", "--client", "Kiwi", "--rate", "50.00", "--tax", "VAT 19%", "--from", "2026-11-01")
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-03", "--from", "09:00", "--to", "13:00", "Inbox")
    cli("expense", "add", "Train ticket", "-c", "Kiwi", "-a", "84.20", "-d", "2026-11-04")
    cli("expense", "add", "Court fee paid for the client", "-c", "Kiwi", "-a", "35.00", "-d", "2026-11-05",
        "--untaxed", "disbursement")
    cli("client", "add", "Lumière SARL", "--country", "FR", "--tax-id", "FR40303265045", "--currency", "EUR",
        "--locale", "fr_FR", "--einvoice")
    cli("contract", "add", "--client", "Lumi", "--rate", "60.00", "--from", "2026-11-01")
    cli("log", "add", "--client", "Lumi", "--date", "2026-11-10", "--from", "09:00", "--to", "11:30", "Calendar")
    return cli


def _pdf(cli, ref, path):
    cli("invoice", "pdf", ref, "-o", str(path))
    return path.read_bytes()


def _xml(data: bytes) -> bytes:
    from pypdf import PdfReader

    files = PdfReader(BytesIO(data)).attachments
    assert list(files) == ["factur-x.xml"]
    return files["factur-x.xml"][0]


def _sums(root) -> dict[str, str]:
    s = root.find(f".//{RAM}SpecifiedTradeSettlementHeaderMonetarySummation")
    return {child.tag.removeprefix(RAM): child.text for child in s}


def _check(xml: bytes) -> None:
    import facturx

    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True


def test_an_eu_invoice_carries_factur_x_valid_against_en16931_with_the_pdfs_totals(eu, cli, tmp_path):
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11", "--discount", "10%")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    data = _pdf(cli, "INV-2026-0001", tmp_path / "kiwi.pdf")
    xml = _xml(data)
    _check(xml)
    root = ET.fromstring(xml)
    assert root.find(f".//{RAM}TypeCode").text == "380"
    inv = json.loads(cli("invoice", "show", "INV-2026-0001", "--json").stdout)["data"]
    # lines 200.00 + 84.20 (taxed) + 35.00 (disbursement); discount 10 % of 284.20 = 28.42; VAT 19 % of 255.78 =
    # 48.5982 → 48.60; total 319.20 − 28.42 + 48.60 = 339.38
    assert (inv["subtotal"]["amount"], inv["discount"]["amount"]["amount"], inv["net"]["amount"],
            inv["taxes"][0]["amount"]["amount"], inv["total"]["amount"]) == (
        "319.20", "28.42", "290.78", "48.60", "339.38")
    assert _sums(root) == {"LineTotalAmount": "319.20", "AllowanceTotalAmount": "28.42",
                           "TaxBasisTotalAmount": "290.78", "TaxTotalAmount": "48.60", "GrandTotalAmount": "339.38",
                           "DuePayableAmount": "339.38"}
    breakdown = [(t.findtext(f"{RAM}CategoryCode"), t.findtext(f"{RAM}RateApplicablePercent"),
                  t.findtext(f"{RAM}BasisAmount"), t.findtext(f"{RAM}CalculatedAmount"),
                  t.findtext(f"{RAM}ExemptionReason"))
                 for t in root.find(f".//{RAM}ApplicableHeaderTradeSettlement").findall(f"{RAM}ApplicableTradeTax")]
    assert breakdown == [("S", "19", "255.78", "48.60", None), ("E", "0", "35.00", "0.00", "disbursement")]
    assert [n.text for n in root.iter(f"{RAM}LineTotalAmount")][:3] == ["200.00", "84.20", "35.00"]
    assert [(n.text, n.get("unitCode")) for n in root.iter(f"{RAM}BilledQuantity")] == [
        ("4.00", "HUR"), ("1", "C62"), ("1", "C62")]
    seller = root.find(f".//{RAM}SellerTradeParty")
    assert (seller.findtext(f"{RAM}Name"), seller.findtext(f".//{RAM}CountryID"),
            seller.findtext(f".//{RAM}SpecifiedTaxRegistration/{RAM}ID")) == ("Ana VA", "DE", "DE136695976")
    assert root.find(f".//{RAM}DueDateDateTime")[0].text == "20261215"
    # the IBAN in the payment details is where the client's software pays: a SEPA credit transfer (type 58)
    means = root.find(f".//{RAM}SpecifiedTradeSettlementPaymentMeans")
    assert (means.findtext(f"{RAM}TypeCode"), means.findtext(f".//{RAM}IBANID")) == ("58", "DE89370400440532013000")
    # the PDF a person reads has the same figures
    text = " ".join(pdf_text(tmp_path / "kiwi.pdf").split())
    assert ("Subtotal €319.20 Discount 10% of €284.20 -€28.42 Net amount €290.78 VAT 19% on €255.78 €48.60 "
            "Total (EUR) €339.38") in text
    # PDF/A-3B, its Factur-X properties, a Producer and deterministic metadata
    meta = re.search(rb"<x:xmpmeta.*?</x:xmpmeta>", data, re.S).group().decode()
    for part in ("<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
                 "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
                 "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>",
                 "<xmp:ModifyDate>2026-12-01T00:00:00+00:00</xmp:ModifyDate>",
                 "<pdf:Producer>vakit (PDF renderer 2)</pdf:Producer>"):
        assert part in meta, part
    assert b"/AFRelationship /Alternative" in data and b"/OutputIntents" in data


def test_a_credit_note_is_type_381_refers_to_its_invoice_and_validates(eu, cli, tmp_path):
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    cli("invoice", "credit", "INV-2026-0001", "--lines", "2", "--reason", "ticket refunded", "--date", "2026-12-01")
    note = json.loads(cli("invoice", "list", "--json").stdout)["data"]
    number = next(d["number"] for d in note if d["kind"] == "credit_note")
    data = _pdf(cli, number, tmp_path / "cn.pdf")
    xml = _xml(data)
    _check(xml)
    root = ET.fromstring(xml)
    assert root.find(f".//{RAM}TypeCode").text == "381"
    ref = root.find(f".//{RAM}InvoiceReferencedDocument")
    assert ref.findtext(f"{RAM}IssuerAssignedID") == "INV-2026-0001"
    # line 2, 84.20, and its VAT 19 % = 15.998 → 16.00: 100.20, as the credit note's PDF says
    assert _sums(root) == {"LineTotalAmount": "84.20", "TaxBasisTotalAmount": "84.20", "TaxTotalAmount": "16.00",
                           "GrandTotalAmount": "100.20", "DuePayableAmount": "100.20"}
    text = " ".join(pdf_text(tmp_path / "cn.pdf").split())
    assert "Subtotal €84.20 VAT 19% on €84.20 €16.00 Total credited (EUR) €100.20" in text


def test_a_reverse_charged_e_invoice_is_category_ae_with_both_vat_ids(eu, cli, tmp_path):
    cli("invoice", "create", "--client", "Lumi", "--month", "2026-11")
    cli("invoice", "line", "discount", "#1", "1", "10%")  # 150.00 − 15.00: a negative line in the XML
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    xml = _xml(_pdf(cli, "INV-2026-0001", tmp_path / "fr.pdf"))
    _check(xml)
    root = ET.fromstring(xml)
    tax = root.find(f".//{RAM}ApplicableHeaderTradeSettlement/{RAM}ApplicableTradeTax")
    assert (tax.findtext(f"{RAM}CategoryCode"), tax.findtext(f"{RAM}BasisAmount"),
            tax.findtext(f"{RAM}CalculatedAmount"), tax.findtext(f"{RAM}ExemptionReason")) == (
        "AE", "135.00", "0.00", "Reverse charge")
    # EN 16931 BR-27: no negative price; the discount line is −1 × 15.00
    assert [(q.text, p.text, t.text) for q, p, t in zip(root.iter(f"{RAM}BilledQuantity"),
                                                         root.iter(f"{RAM}ChargeAmount"),
                                                         root.iter(f"{RAM}LineTotalAmount"))] == [
        ("2.50", "60.00", "150.00"), ("-1", "15.00", "-15.00")]
    assert [n.text for n in root.iter(f"{RAM}ID") if n.get("schemeID") == "VA"] == ["DE136695976", "FR40303265045"]
    assert [n.text for n in root.iter(f"{RAM}Content")] == [REVERSE]


def test_an_e_invoice_with_a_tax_other_than_one_vat_rate_is_refused_at_issue(eu, cli):
    from vakit.cli.common import ledger_path

    cli("contract", "edit", "1", "--tax", "VAT 19%", "--tax", "Levy 1%")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    before = list(sqlite3.connect(ledger_path()).iterdump())
    res = cli("invoice", "issue", "#1", "--date", "2026-12-01", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: a Factur-X e-invoice carries one VAT rate; this document has "
                                              "VAT 19%, Levy 1% (give the contract one tax, or stop e-invoices for "
                                              "the client: vakit client edit NAME --no-einvoice)\n")
    assert list(sqlite3.connect(ledger_path()).iterdump()) == before
    # the way out the message names works: the draft is issued as a plain PDF/A invoice
    cli("client", "edit", "Kiwi", "--no-einvoice")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    from pypdf import PdfReader

    assert PdfReader(BytesIO(_pdf(cli, "INV-2026-0001", Path(ledger_path()).parent / "k.pdf"))).attachments == {}


def test_one_tax_of_any_name_is_the_vat_of_an_e_invoice(eu, cli, tmp_path):
    cli("contract", "edit", "1", "--tax", "USt 19%")  # the German statutory name
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    xml = _xml(_pdf(cli, "INV-2026-0001", tmp_path / "ust.pdf"))
    _check(xml)
    tax = ET.fromstring(xml).find(f".//{RAM}ApplicableHeaderTradeSettlement/{RAM}ApplicableTradeTax")
    assert (tax.findtext(f"{RAM}CategoryCode"), tax.findtext(f"{RAM}RateApplicablePercent"),
            tax.findtext(f"{RAM}CalculatedAmount")) == ("S", "19", "54.00")


def test_an_e_invoice_client_needs_a_country_code_and_the_library(eu, cli, monkeypatch):
    res = cli("client", "add", "Nowhere Ltd", "--einvoice", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: an e-invoice names the client's country as an ISO 3166 "
                                              "two-letter code (EN 16931, BR-11), not nothing (give it with "
                                              "--country, e.g. --country FR)\n")
    res = cli("client", "add", "Nowhere Ltd", "--country", "ZZ", "--einvoice", ok=False)
    assert res.exit_code == 1 and res.stderr.endswith("not ZZ (give it with --country, e.g. --country FR)\n")
    import sys

    monkeypatch.setitem(sys.modules, "facturx", None)  # as if vakit[einvoice] were not installed
    res = cli("client", "add", "Nowhere Ltd", "--country", "BE", "--einvoice", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: e-invoices need the factur-x library, which is not installed "
                                              "(install the e-invoice extra: pip install 'vakit[einvoice]' (or pipx "
                                              "inject vakit factur-x))\n")
    assert "Nowhere" not in cli("client", "list").stdout


def test_a_va_without_a_vat_number_cannot_take_e_invoice_clients(cli):
    cli.now = NOW
    cli("init", "--name", "Small VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--tax-id",
        "St.-Nr.=12/345/67890")
    res = cli("client", "add", "Kiwi GmbH", "--country", "DE", "--einvoice", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: an e-invoice names your country, read from your EU or UK VAT "
                                              "number or your profile's country, and your profile has neither (add "
                                              "it: vakit init --country DE)\n")


def test_a_va_not_registered_for_vat_sends_e_invoices_naming_the_profiles_country(cli, tmp_path):
    cli.now = NOW
    cli("init", "--name", "Small VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--country", "DE")
    cli("client", "add", "Kiwi GmbH", "--country", "DE", "--einvoice")
    cli("contract", "add", "--client", "Kiwi", "--rate", "50.00", "--from", "2026-11-01")
    cli("log", "add", "--client", "Kiwi", "--date", "2026-11-03", "--from", "09:00", "--to", "11:00", "Inbox")
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    xml = _xml(_pdf(cli, "INV-2026-0001", tmp_path / "o.pdf"))
    _check(xml)
    root = ET.fromstring(xml)
    seller = root.find(f".//{RAM}SellerTradeParty")
    assert (seller.findtext(f"{RAM}Name"), seller.findtext(f"{RAM}PostalTradeAddress/{RAM}CountryID")) == (
        "Small VA", "DE")
    assert seller.find(f"{RAM}SpecifiedTaxRegistration") is None  # no VAT number to name (BR-O-02)
    tax = root.find(f".//{RAM}ApplicableHeaderTradeSettlement/{RAM}ApplicableTradeTax")
    assert (tax.findtext(f"{RAM}CategoryCode"), tax.findtext(f"{RAM}BasisAmount"),
            tax.findtext(f"{RAM}ExemptionReason")) == ("O", "100.00", "Not subject to VAT")


def test_an_e_invoice_carries_its_receipts_as_attached_files(eu, cli, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    Image.new("RGB", (50, 50), "white").save(tmp_path / "r.png")
    cli("expense", "add", "Taxi", "-c", "Kiwi", "-a", "12.00", "-d", "2026-11-06", "--receipt",
        str(tmp_path / "r.png"))
    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    out = tmp_path / "out"
    out.mkdir()
    cli("invoice", "pdf", "INV-2026-0001", "-o", str(out), "--attach-receipts")
    data = (out / "INV-2026-0001+receipts.pdf").read_bytes()
    reader = PdfReader(BytesIO(data))
    # still one page of PDF/A-3B with its XML; the receipt beside it, as PDF/A-3 allows (AFRelationship Supplement)
    assert (len(reader.pages), sorted(reader.attachments)) == (1, ["factur-x.xml", "receipt-1-r.png"])
    assert reader.attachments["receipt-1-r.png"][0] == (tmp_path / "r.png").read_bytes()
    assert b"<pdfaid:part>3</pdfaid:part>" in data and b"/AFRelationship /Supplement" in data
    _check(reader.attachments["factur-x.xml"][0])


def test_renderer_2_bytes_are_deterministic_and_name_each_font_style(eu, cli, tmp_path):
    cli("invoice", "create", "--client", "Lumi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    first = _pdf(cli, "INV-2026-0001", tmp_path / "a.pdf")
    cli.now = "2027-03-04T17:45:00+01:00"  # another day, another clock: the same bytes
    again = _pdf(cli, "INV-2026-0001", tmp_path / "b.pdf")
    assert first == again
    fonts = set(re.findall(rb"/BaseFont /MPDFAA\+([\w-]+)", first))
    assert {b"NotoSans-Bold", b"NotoSans-Regular"} <= fonts and b"NotoSans" not in fonts, fonts
    from vakit.cli.common import ledger_path

    stored = sqlite3.connect(ledger_path()).execute("SELECT pdf_sha256 FROM invoices").fetchone()[0]
    import hashlib

    assert hashlib.sha256(first).hexdigest() == stored


def test_a_document_made_before_renderer_2_renders_as_it_was_issued(eu, cli):
    from vakit.exporters.pdf import render_invoice_pdf
    from vakit.services.documents import get_document

    cli("invoice", "create", "--client", "Kiwi", "--month", "2026-11")
    cli("invoice", "issue", "#1", "--date", "2026-12-01")
    from vakit.cli.common import context

    inv = get_document(context(), "INV-2026-0001")
    assert (inv.renderer, inv.einvoice) == (2, True)
    old = render_invoice_pdf(replace(inv, renderer=1))  # a document whose JSON has no "renderer" reads as 1
    assert b"pdfaid" not in old and b"/EmbeddedFile" not in old and b"/Producer" not in old
    fonts = set(re.findall(rb"/BaseFont /MPDFAA\+([\w-]+)", old))
    assert b"NotoSans" in fonts and b"NotoSans-Bold" not in fonts  # regular and bold under one name, as before
    # 200.00 + 84.20 + 35.00, and VAT 19 % of 284.20 = 53.998 → 54.00
    assert Decimal(inv.total_minor) / 100 == Decimal("319.20") + Decimal("54.00")
