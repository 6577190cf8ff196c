"""Invoice PDF: content read back with pypdf, Unicode (Devanagari, ₹ €), errors, determinism."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from vakit.core.errors import InvalidValue
from vakit.core.invoices import Invoice, InvoiceLine, Party, TaxLine, TimesheetRow
from vakit.core.models import TaxId
from vakit.exporters.fonts import ensure_renderable, missing_glyphs
from vakit.exporters.pdf import render_invoice_pdf

CLIENT_HI = "श्री गणेश ट्रेडर्स"
REVERSE = "Reverse charge: VAT to be accounted for by the recipient"

SUPPLIER = Party(
    name="Priya Sharma Virtual Assistance",
    address="14 Lakshmi Road\nKothrud, Pune 411038\nMaharashtra",
    email="priya@example.in",
    country="India",
    tax_ids=(TaxId("GSTIN", "27AABCD1234F1Z6"),),
)


def _invoice(**kw: object) -> Invoice:
    base = dict(
        id=1,
        status="issued",
        number="PS/2026-27/0007",
        client_id=1,
        contract_id=1,
        currency="INR",
        locale="en_IN",
        billing_tz="Asia/Kolkata",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        issue_date=date(2026, 11, 1),
        due_date=date(2026, 11, 16),
        terms_days=15,
        supplier=SUPPLIER,
        customer=Party(
            name=CLIENT_HI,
            address="२१ मंडई रोड\nसदाशिव पेठ, पुणे 411030",
            email="accounts@ganesh-traders.example",
            country="India",
            tax_ids=(TaxId("GSTIN", "27AAAPG1234Q1ZQ"),),
        ),
        lines=(
            InvoiceLine(
                "Administrative support, October 2026 (inbox, calendar, vendor follow-ups)",
                Decimal("120.00"),
                "h",
                Decimal("1000"),
                12000000,
            ),
            InvoiceLine("Monthly retainer — social media", Decimal("1"), "month", Decimal("25000"), 2500000),
        ),
        taxes=(
            TaxLine("CGST", Decimal("9"), 14500000, 1305000),
            TaxLine("SGST", Decimal("9"), 14500000, 1305000),
        ),
        subtotal_minor=14500000,
        total_minor=17110000,
        legends=("SAC 998599 · Place of supply: Maharashtra (27)",),
        timesheet=(TimesheetRow(date(2026, 10, 1), "09:30", "12:00", "इनबॉक्स और कैलेंडर", 9000, 9000),),
    )
    base.update(kw)
    return Invoice(**base)  # type: ignore[arg-type]


def indian_invoice() -> Invoice:
    return _invoice()


def german_invoice() -> Invoice:
    return _invoice(
        number="2026-0042",
        currency="EUR",
        locale="de_DE",
        billing_tz="Europe/Berlin",
        supplier=replace(SUPPLIER, tax_ids=(TaxId("GSTIN", "27AABCD1234F1Z6"),)),
        customer=Party(
            "Müller & Söhne GmbH",
            "Königstraße 12\n70173 Stuttgart",
            "buchhaltung@mueller.example",
            "Germany",
            (TaxId("USt-IdNr.", "DE123456789"),),
        ),
        lines=(InvoiceLine("Assistenz, Oktober 2026", Decimal("30.00"), "h", Decimal("41.15"), 123450),),
        taxes=(),
        subtotal_minor=123450,
        total_minor=123450,
        legends=(REVERSE, "Export of services under LUT without payment of IGST; country of destination: Germany"),
        timesheet=(),
    )


def us_invoice() -> Invoice:
    rows = []
    for i in range(60):
        day = date(2026, 10, 1) + timedelta(days=i // 2)
        desc = f"Task {i + 1}: inbox triage and calendar"
        if i % 7 == 0:
            desc += " — long follow-up with three vendors about the offsite travel booking, hotel block and catering"
        rows.append(
            TimesheetRow(
                day,
                "09:00" if i % 2 == 0 else "13:00",
                "10:30" if i % 2 == 0 else "14:12",
                desc,
                5400 if i % 2 == 0 else 4320,
                5400 if i % 2 == 0 else 4320,
            )
        )
    return _invoice(
        number="INV-2026-0013",
        currency="USD",
        locale="en_US",
        billing_tz="America/New_York",
        customer=Party("Acme Corp.", "1 Main St\nSpringfield, IL 62701", "ap@acme.example", "United States"),
        lines=(InvoiceLine("Research (day rate $105.00 / 8 h)", Decimal("16.00"), "h", Decimal("13.125"), 21000),),
        taxes=(),
        subtotal_minor=21000,
        total_minor=21000,
        legends=(),
        timesheet=tuple(rows),
    )


def pages_text(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def indian_pdf() -> bytes:
    return render_invoice_pdf(indian_invoice())


def test_indian_invoice_text(indian_pdf: bytes) -> None:
    assert indian_pdf.startswith(b"%PDF-")
    text = pages_text(indian_pdf)[0]
    assert CLIENT_HI in text  # shaped Devanagari extracts exactly (ToUnicode fixed, no stray codes)
    assert "सदाशिव पेठ, पुणे 411030" in text  # pre-base ि reordered back
    assert not any(ord(c) < 32 and c != "\n" for c in text)  # no raw glyph codes
    assert "INVOICE" in text and "PS/2026-27/0007" in text
    assert "GSTIN: 27AABCD1234F1Z6" in text and "GSTIN: 27AAAPG1234Q1ZQ" in text
    assert "120.00 h" in text and "1 month" in text
    assert "₹1,20,000.00" in text  # Indian grouping (lakh)
    assert "CGST 9% on ₹1,45,000.00" in text and "SGST 9% on ₹1,45,000.00" in text
    assert text.count("₹13,050.00") == 2
    assert "₹1,71,100.00" in text
    assert "Payment terms: net 15 days, due 2026-11-16" in text
    assert "Place of supply: Maharashtra (27)" in text
    assert "Billing period" in text and "2026-10-01 – 2026-10-31" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reads_client_name(indian_pdf: bytes) -> None:
    out = subprocess.run(["pdftotext", "-", "-"], input=indian_pdf, capture_output=True, check=True).stdout
    assert CLIENT_HI in out.decode("utf-8")


def test_german_invoice_amounts_and_legend() -> None:
    # de_DE puts a no-break space before €; fpdf2's table cells turn it into a plain space
    text = "\n".join(pages_text(render_invoice_pdf(german_invoice()))).replace("\xa0", " ")
    assert "Müller & Söhne GmbH" in text
    assert "Total (EUR) 1.234,50 €" in text  # de_DE: '.' grouping, ',' decimals
    assert "30,00 h 41,15 € 1.234,50 €" in text
    assert REVERSE in text
    assert "country of destination: Germany" in text
    assert "USt-IdNr.: DE123456789" in text and "2026-0042" in text


def test_us_invoice_spans_pages_with_timesheet() -> None:
    pages = pages_text(render_invoice_pdf(us_invoice()))
    assert len(pages) >= 2
    assert "$13.125" in pages[0]  # unit price not rounded
    assert "$210.00" in pages[0]
    for i, page in enumerate(pages, 1):
        assert f"{i}/{len(pages)}" in page
    rest = "\n".join(pages[1:])
    assert "Date" in rest and "Duration" in rest  # header repeated on the next page
    assert "Task 60: inbox triage and calendar" in rest
    assert "Total (60 entries)" in rest and "81:00" in rest  # 30 × 1:30 + 30 × 1:12


def test_draft_title() -> None:
    rounded = (TimesheetRow(date(2026, 10, 2), "10:00", "10:07", "Call", 420, 900),)
    draft = _invoice(status="draft", number=None, issue_date=None, due_date=None, timesheet=rounded)
    text = pages_text(render_invoice_pdf(draft))[0]
    assert "DRAFT INVOICE — not valid for payment" in text
    assert "not issued" in text
    assert "Worked Billed" in text and "Total (1 entry) 0:07 0:15" in text  # rounding shown


def test_character_no_font_has_is_named() -> None:
    bad = _invoice(customer=Party("株式会社テスト", "Tokyo", "", "Japan"))
    with pytest.raises(InvalidValue) as err:
        render_invoice_pdf(bad)
    msg = str(err.value)
    assert "'株', '式'" in msg and "U+682A, U+5F0F" in msg and "no installed font has them" in msg


def test_missing_glyphs_and_currency_symbols() -> None:
    assert missing_glyphs("₹ € £ ¥ Müller श्री गणेश\n") == set()
    assert missing_glyphs("a株b") == {"株"}
    with pytest.raises(InvalidValue, match=r"U\+682A"):
        ensure_renderable("ok", "株")


def test_deterministic_bytes(indian_pdf: bytes) -> None:
    assert render_invoice_pdf(indian_invoice()) == indian_pdf
    later = render_invoice_pdf(_invoice(issue_date=date(2026, 11, 2)))
    assert later != indian_pdf  # creation date follows the issue date
