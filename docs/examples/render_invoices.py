"""Render the example invoices of issue 9 to PDF and PNG, so anyone can look at them again.

    python docs/examples/render_invoices.py OUT_DIR

Builds a throw-away ledger in OUT_DIR/ledger (vakit's own commands, a fixed clock), writes each invoice as
OUT_DIR/<name>.pdf and its pages as OUT_DIR/<name>-<page>.png (``pdftoppm`` from poppler-utils, 70 dpi):

- ``one-page``: an hourly month in GBP;
- ``three-pages``: a month of 120 short entries, whose timesheet runs to a third page;
- ``gst-devanagari``: a GST tax invoice (CGST + SGST) to a client named in Devanagari, total in words;
- ``reverse-charge-de``: a German VA's invoice to a French business, de_DE, reverse charge;
- ``yen-ja``: a ja_JP client billed in yen;
- ``discount``: an invoice with a discount before VAT (C-18);
- ``expenses-discount``: an issued e-invoice (PDF/A-3B with Factur-X inside) with three expenses (one converted
  from dollars, one an untaxed disbursement) and a 5 % discount; ``expenses-receipts`` is the same with
  ``--attach-receipts`` (a hotel receipt as an image);
- ``day-rate`` and ``sterling``: a day rate (C-17), and a UK VA's dollar invoice with its VAT in sterling.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    home = out / "ledger"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir()
    env = {**os.environ, "VAKIT_HOME": str(home), "COLUMNS": "120"}

    def vakit(*args: str, now: str) -> str:
        res = subprocess.run([sys.executable, "-m", "vakit", *args], env={**env, "VAKIT_NOW": now},
                             capture_output=True, text=True)
        if res.returncode:
            raise SystemExit(f"vakit {' '.join(args)}: {res.stderr.strip()}")
        return res.stdout

    def pdf(ref: str, name: str, now: str, *extra: str) -> None:
        target = out / f"{name}.pdf"
        target.unlink(missing_ok=True)
        vakit("invoice", "pdf", ref, "-o", str(target), *extra, now=now)
        for old in out.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(target), str(out / name)], check=True)

    now = "2026-11-02T09:00:00+00:00"
    vakit("init", "--name", "Asha Rao VA", "--address", "12 Baner Road;Pune 411045", "--email", "asha@example.com",
          "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN", "--tax-id", "GSTIN=27AAKPD4821M1ZK",
          "--payment-details", "HDFC Bank · A/c 50100123456789 · IFSC HDFC0001234", "--number-pattern",
          "INV/{fy}/{seq:03}", now=now)
    vakit("client", "add", "श्री गणेश ट्रेडर्स", "--country", "IN", "--tax-id", "27AAHFG7412K1Z8", "--address",
          "Laxmi Road;Pune 411030", now=now)
    vakit("contract", "add", "--client", "श्री", "--rate", "600", "--tax", "CGST 9%", "--tax", "SGST 9%", "--sac",
          "998599", "--from", "2026-10-01", now=now)
    vakit("log", "add", "--client", "श्री", "--date", "2026-10-05", "--from", "10:00", "--to", "13:15",
          "खाते का मिलान (account reconciliation)", now=now)
    vakit("invoice", "create", "--client", "श्री", "--month", "2026-10", now=now)
    vakit("invoice", "issue", "#1", "--date", "2026-11-02", now=now)
    pdf("INV/2026-27/001", "gst-devanagari", now)

    vakit("client", "add", "Northwind Ltd", "--country", "GB", "--currency", "GBP", "--locale", "en_GB",
          "--tz", "Europe/London", now=now)
    vakit("contract", "add", "--client", "Northwind", "--rate", "25.00", "--rounding", "up:6m", "--from",
          "2026-10-01", now=now)
    for day, a, b, what in (("2026-10-06", "09:00", "11:30", "Inbox triage"), ("2026-10-12", "14:00", "15:10",
                                                                                "Travel booking")):
        vakit("log", "add", "--client", "Northwind", "--date", day, "--from", a, "--to", b, what, now=now)
    vakit("invoice", "create", "--client", "Northwind", "--month", "2026-10", now=now)
    pdf("#2", "one-page", now)

    vakit("client", "add", "Kiwi Studio", "--country", "NZ", "--currency", "NZD", "--locale", "en_NZ",
          "--tz", "Pacific/Auckland", now=now)
    vakit("contract", "add", "--client", "Kiwi", "--rate", "45.00", "--from", "2026-09-01", now=now)
    for i in range(72):  # three a day: the timesheet runs to a third page
        vakit("log", "add", "--client", "Kiwi", "--date", f"2026-09-{1 + i // 3:02}", "--from",
              f"{8 + 2 * (i % 3):02}:00", "--duration", "25m", f"Calendar and inbox, batch {i + 1}", now=now)
    vakit("invoice", "create", "--client", "Kiwi", "--month", "2026-09", now=now)
    pdf("#3", "three-pages", now)

    vakit("client", "add", "Sakura K.K.", "--country", "JP", "--currency", "JPY", "--locale", "ja_JP",
          "--tz", "Asia/Tokyo", now=now)
    vakit("contract", "add", "--client", "Sakura", "--rate", "5000", "--from", "2026-10-01", now=now)
    vakit("log", "add", "--client", "Sakura", "--date", "2026-10-07", "--from", "08:00", "--to", "09:30",
          "Research", now=now)
    vakit("invoice", "create", "--client", "Sakura", "--month", "2026-10", now=now)
    pdf("#4", "yen-ja", now)

    # a German VA for the EU examples, in a ledger of its own
    eu = out / "ledger-eu"
    if eu.exists():
        shutil.rmtree(eu)
    eu.mkdir()
    env["VAKIT_HOME"] = str(eu)
    vakit("init", "--name", "Eva Schmidt VA", "--address", "Torstraße 1;10119 Berlin", "--tz", "Europe/Berlin",
          "--currency", "EUR", "--locale", "de_DE", "--tax-id", "USt-IdNr.=DE136695976", "--number-pattern",
          "RE-{year}-{seq:04}", now=now)
    vakit("tax", "add", "VAT 19%", "--from", "2007-01-01", now=now)
    vakit("client", "add", "Atelier Lumière SARL", "--country", "FR", "--currency", "EUR", "--locale", "de_DE",
          "--tax-id", "FR 61 954 506 077", "--address", "8 rue de Rivoli;75004 Paris", "--tz", "Europe/Paris",
          now=now)
    vakit("contract", "add", "--client", "Atelier", "--rate", "55.00", "--from", "2026-10-01", now=now)
    vakit("log", "add", "--client", "Atelier", "--date", "2026-10-06", "--from", "09:00", "--to", "12:00",
          "Übersetzung – Prüfbericht „Q3“", now=now)
    vakit("invoice", "create", "--client", "Atelier", "--month", "2026-10", now=now)
    pdf("#1", "reverse-charge-de", now)
    vakit("client", "add", "Vega GmbH", "--country", "DE", "--currency", "EUR", "--locale", "en_IE",
          "--tax-id", "DE 298 475 114", "--tz", "Europe/Berlin", now=now)
    vakit("contract", "add", "--client", "Vega", "--rate", "250.00", "--tax", "VAT", "--from", "2026-10-01",
          now=now)
    for day in ("12", "13", "14"):
        vakit("log", "add", "--client", "Vega", "--date", f"2026-10-{day}", "--from", "08:00", "--to", "18:00",
              "Board pack", now=now)
    vakit("log", "add", "--client", "Vega", "--date", "2026-10-15", "--from", "08:00", "--to", "12:00",
          "Board pack", now=now)
    vakit("invoice", "create", "--client", "Vega", "--month", "2026-10", "--discount", "7500.00",
          "--discount-reason", "framework agreement", now=now)
    pdf("#2", "discount", now)
    vakit("client", "add", "Nordlicht AG", "--country", "DE", "--currency", "EUR", "--locale", "en_IE",
          "--address", "Hafenstraße 3;20457 Hamburg", "--tax-id", "DE 298 475 114", "--einvoice", now=now)
    vakit("contract", "add", "--client", "Nordlicht", "--rate", "48.00", "--tax", "VAT", "--from", "2026-10-01",
          now=now)
    vakit("log", "add", "--client", "Nordlicht", "--date", "2026-10-20", "--from", "09:00", "--to", "15:30",
          "Event logistics", now=now)
    receipt = out / "receipt-hotel.png"
    _receipt_image(receipt)
    vakit("expense", "add", "Hotel, Hamburg (1 night)", "-c", "Nordlicht", "-a", "142.00", "-d", "2026-10-20",
          "--receipt", str(receipt), now=now)
    vakit("expense", "add", "Conference tickets", "-c", "Nordlicht", "-a", "220.00", "--currency", "USD", "--rate",
          "0.8634", "-d", "2026-10-21", now=now)
    vakit("expense", "add", "Registry fee paid for the client", "-c", "Nordlicht", "-a", "25.00", "-d",
          "2026-10-22", "--untaxed", "disbursement", now=now)
    vakit("invoice", "create", "--client", "Nordlicht", "--month", "2026-10", "--discount", "5%",
          "--discount-reason", "loyalty", now=now)
    vakit("invoice", "issue", "#3", "--date", "2026-11-02", now=now)
    pdf("RE-2026-0001", "expenses-discount", now)
    pdf("RE-2026-0001", "expenses-receipts", now, "--attach-receipts")

    uk = out / "ledger-uk"
    if uk.exists():
        shutil.rmtree(uk)
    uk.mkdir()
    env["VAKIT_HOME"] = str(uk)
    vakit("init", "--name", "Lucy Hale VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB",
          "--tax-id", "VAT=GB 980 7806 84", now=now)
    vakit("client", "add", "Orbit", "--country", "GB", "--currency", "GBP", "--locale", "en_GB", now=now)
    vakit("contract", "add", "--client", "Orbit", "--kind", "daily", "--day-rate", "105.00", "--hours-per-day", "8",
          "--tax", "VAT 20%", "--from", "2026-10-01", now=now)
    vakit("log", "add", "--client", "Orbit", "--date", "2026-10-07", "--from", "09:00", "--to", "17:00",
          "Office move", now=now)
    vakit("log", "add", "--client", "Orbit", "--date", "2026-10-08", "--from", "09:00", "--to", "15:00",
          "Office move", now=now)
    vakit("invoice", "create", "--client", "Orbit", "--month", "2026-10", now=now)
    pdf("#1", "day-rate", now)
    vakit("client", "add", "Hudson LLC", "--country", "GB", "--currency", "USD", "--locale", "en_US", now=now)
    vakit("contract", "add", "--client", "Hudson", "--rate", "40.00", "--tax", "VAT 20%", "--from", "2026-10-01",
          now=now)
    vakit("log", "add", "--client", "Hudson", "--date", "2026-10-05", "--from", "09:00", "--to", "12:30",
          "Investor mailing", now=now)
    vakit("invoice", "create", "--client", "Hudson", "--month", "2026-10", "--fx-rate", "0.7912", "--fx-date",
          "2026-10-30", now=now)
    pdf("#2", "sterling", now)
    print("\n".join(sorted(str(p) for p in out.glob("*.png"))))


def _receipt_image(path: Path) -> None:
    """A stand-in scanned receipt (Pillow, which fpdf2 depends on)."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (500, 700), "white")
    draw = ImageDraw.Draw(im)
    draw.rectangle((10, 10, 490, 690), outline="black", width=3)
    for i, text in enumerate(("HOTEL HAFENBLICK", "Hamburg", "", "20.10.2026  1 night", "", "TOTAL EUR 142.00")):
        draw.text((40, 40 + 40 * i), text, fill="black")
    im.save(path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
