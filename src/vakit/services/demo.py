"""The example month: a Pune-based VA, four clients, October 2026 from a Toggl export,
a few appointments (one cancelled), the October invoices issued, PDFs and an .ics written.

The demo runs on a fixed clock (2 Nov 2026, 09:00 in Pune) so that its output is the
same on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path

from vakit.core.clock import FixedClock, zone
from vakit.core.errors import InvalidValue
from vakit.core.invoices import Invoice
from vakit.core.models import Profile, Rounding, Tax, TaxId
from vakit.services import billing, scheduling
from vakit.services.context import Context
from vakit.services.contracts import ContractTerms, add_contract
from vakit.services.documents import pdf_filename
from vakit.services.importers.rows import ImportResult
from vakit.services.importers.storing import import_file
from vakit.services.issuing import issue_draft
from vakit.services.ledger import add_client, save_profile

DEMO_NOW = datetime(2026, 11, 2, 9, 0, tzinfo=zone("Asia/Kolkata"))
MONTH = "2026-10"
#: SAC 998599: other support services n.e.c. (the GST services classification)
SAC = "998599"
CSV_NAME = "toggl-detailed-2026-10.csv"
LUT = ("Supply meant for export under LUT without payment of integrated tax (IGST). "
       "Country of destination: {country}.")

PROFILE = Profile(
    business_name="Asha Deshpande Virtual Assistance",
    address="Flat 12, Sai Residency\nBaner Road\nPune 411045, Maharashtra, India",
    email="asha@example.in",
    tax_ids=(TaxId("GSTIN", "27AAKPD4821M1ZK"), TaxId("PAN", "AAKPD4821M")),
    home_tz="Asia/Kolkata", currency="INR", locale="en_IN", number_pattern="INV/{fy}/{seq:03}",
    payment_details="HDFC Bank, Baner branch · A/c 50100123456789 · IFSC HDFC0001234 · SWIFT HDFCINBB\n"
                    "UPI: asha.va@hdfcbank · PayPal: asha@example.in",
)

CLIENTS = [
    dict(name="Northwind Analytics", email="ap@northwind.example", country="US", tz="America/New_York",
         currency="USD", locale="en_US", address="500 Congress Ave\nAustin, TX 78701"),
    dict(name="Harbour & Finch Ltd", email="accounts@harbourfinch.example", country="GB", tz="Europe/London",
         currency="GBP", locale="en_GB", address="14 Quayside\nBristol BS1 4RN",
         tax_id="GB 284 1937 34"),
    dict(name="श्री गणेश ट्रेडर्स", email="accounts@ganesh-traders.example", country="IN", tz="Asia/Kolkata",
         currency="INR", locale="en_IN", address="Shop 4, Laxmi Road\nPune 411030, Maharashtra",
         tax_id="27AAHFG7412K1Z8"),
    dict(name="Müller & Söhne GmbH", email="buchhaltung@mueller-soehne.example", country="DE", tz="Europe/Berlin",
         currency="EUR", locale="de_DE", address="Königstraße 21\n70173 Stuttgart",
         tax_id="DE 298 475 114"),
]

CONTRACTS = {
    "Northwind Analytics": ContractTerms(kind="hourly", rate=Decimal("25.00"), rounding=Rounding(360, "up"),
                                         terms_days=15, legends=(LUT.format(country="United States"),)),
    "Harbour & Finch Ltd": ContractTerms(kind="retainer", monthly_fee=Decimal("800.00"), included_seconds=25 * 3600,
                                         overage_rate=Decimal("24.00"), terms_days=30,
                                         legends=(LUT.format(country="United Kingdom"),)),
    "श्री गणेश ट्रेडर्स": ContractTerms(kind="hourly", rate=Decimal("600.00"), rounding=Rounding(900, "nearest"),
                                       terms_days=7, taxes=(Tax("CGST", Decimal("9")), Tax("SGST", Decimal("9")))),
    "Müller & Söhne GmbH": ContractTerms(kind="hourly", rate=Decimal("30.00"), terms_days=14,
                                         legends=(LUT.format(country="Germany"),
                                                  "Reverse charge: VAT to be accounted for by the recipient")),
}

APPOINTMENTS = [
    ("Northwind Analytics", "2026-11-03 10:00", 30 * 60, "Weekly executive sync", "https://meet.example/nw-sync"),
    ("Harbour & Finch Ltd", "2026-11-04 15:00", 45 * 60, "Monthly retainer review", "https://meet.example/hf"),
    ("Müller & Söhne GmbH", "2026-11-05 11:00", 60 * 60, "Quartalsplanung Q1", "Telefon"),
    ("श्री गणेश ट्रेडर्स", "2026-11-06 16:00", 30 * 60, "GST return review", "Laxmi Road office"),
]


@dataclass
class DemoResult:
    """What the demo made: import counts, invoices issued, files written, the cancelled appointment."""

    ledger: Path
    imported: ImportResult
    invoices: list[Invoice] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    ics: Path | None = None
    appointments: int = 0
    cancelled: str = ""


def demo_csv_bytes() -> bytes:
    """The October 2026 Toggl export shipped as package data."""
    return resources.files("vakit.data").joinpath(CSV_NAME).read_bytes()


#: the demo's ledger, kept in its output folder so one folder holds everything the demo made
LEDGER_NAME = "demo-ledger.sqlite3"


def clear_earlier_demo(ledger: Path) -> None:
    """Remove an earlier demo's ledger (with its WAL files and backups) before ``vakit demo --force`` writes a new
    one, refusing any file that is not a ledger of the demo's business. Raises InvalidValue."""
    import shutil
    import sqlite3

    if not ledger.exists():
        return
    try:
        conn = sqlite3.connect(f"{ledger.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT business_name FROM profile WHERE id = 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != PROFILE.business_name:
        raise InvalidValue(f"{ledger} is not an earlier demo's ledger; the demo leaves it alone",
                           "choose another --out")
    for extra in ("-wal", "-shm", "-journal"):
        Path(f"{ledger}{extra}").unlink(missing_ok=True)
    shutil.rmtree(ledger.with_name(f"{ledger.name}-backups"), ignore_errors=True)
    ledger.unlink()


def run_demo(ctx: Context, out_dir: Path, *, force: bool = False) -> DemoResult:
    """Build the example month in ``ctx``'s (empty) ledger and write PDFs and an .ics to ``out_dir``
    (made 0700 if new). Existing files there are replaced only with ``force``; raises InvalidValue otherwise."""
    from vakit.store.files import private_folder, write_file

    ctx.clock = FixedClock(DEMO_NOW)
    private_folder(out_dir)
    save_profile(ctx, PROFILE)
    for c in CLIENTS:
        add_client(ctx, **c)
    for name, terms in CONTRACTS.items():
        add_contract(ctx, name, replace(terms, start_date=date(2026, 10, 1), sac=SAC))
    csv_path = out_dir / CSV_NAME
    write_file(csv_path, demo_csv_bytes(), force=force, ledger=ctx.ledger.path)
    result = DemoResult(ledger=ctx.ledger.path, imported=import_file(ctx, csv_path, "toggl"))
    booked = [scheduling.book(ctx, c, when, secs, title, location=loc).appointment
              for c, when, secs, title, loc in APPOINTMENTS]
    cancelled = scheduling.cancel(ctx, str(booked[2].id))
    result.appointments, result.cancelled = len(booked), cancelled.title
    for c in CLIENTS:
        [draft] = billing.create_drafts(ctx, c["name"], MONTH)
        inv, data = issue_draft(ctx, f"#{draft.id}")
        path = write_file(out_dir / pdf_filename(inv), data, force=force, ledger=ctx.ledger.path)
        result.invoices.append(inv)
        result.pdfs.append(path)
    data, _ = scheduling.export_ics(ctx)
    result.ics = write_file(out_dir / "appointments.ics", data, force=force, ledger=ctx.ledger.path)
    return result
