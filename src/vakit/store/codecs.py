"""Row ↔ model codecs. Rows are ``sqlite3.Row``; JSON columns hold lists of plain values."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal

from vakit.core.models import Client, Contract, Profile, Rounding, Tax, TaxId, TimeEntry


def dec(text: str | None) -> Decimal | None:
    """TEXT decimal column → Decimal (None stays None)."""
    return None if text is None else Decimal(text)


def profile_from_row(row: sqlite3.Row) -> Profile:
    """``profile`` row → :class:`Profile`."""
    return Profile(
        business_name=row["business_name"], address=row["address"], email=row["email"],
        tax_ids=tuple(TaxId(**t) for t in json.loads(row["tax_ids"])), home_tz=row["home_tz"],
        currency=row["currency"], locale=row["locale"], number_pattern=row["number_pattern"],
        payment_details=row["payment_details"], pdf_font=row["pdf_font"], country=row["country"],
    )


def client_from_row(row: sqlite3.Row) -> Client:
    """``clients`` row → :class:`Client`."""
    return Client(
        id=row["id"], name=row["name"], email=row["email"], address=row["address"], country=row["country"],
        tz=row["tz"], currency=row["currency"], locale=row["locale"], tax_id=row["tax_id"], notes=row["notes"],
        archived=bool(row["archived"]), einvoice=bool(row["einvoice"]),
    )


def contract_from_row(row: sqlite3.Row) -> Contract:
    """``contracts`` row → :class:`Contract`."""
    return Contract(
        id=row["id"], client_id=row["client_id"], kind=row["kind"], currency=row["currency"],
        rate=dec(row["rate"]), monthly_fee_minor=row["monthly_fee_minor"], included_seconds=row["included_seconds"],
        overage_rate=dec(row["overage_rate"]),
        rounding=Rounding(row["rounding_increment"], row["rounding_direction"], row["rounding_scope"]),
        billing_tz=row["billing_tz"], terms_days=row["terms_days"],
        taxes=tuple(Tax(t["name"], None if t["percent"] is None else Decimal(t["percent"]))
                    for t in json.loads(row["taxes"])),
        legends=tuple(json.loads(row["legends"])), description=row["description"],
        start_date=date.fromisoformat(row["start_date"]), sac=row["sac"],
        end_date=date.fromisoformat(row["end_date"]) if row["end_date"] else None,
        no_show=row["no_show"], no_show_seconds=row["no_show_seconds"], day_rate=dec(row["day_rate"]),
        day_seconds=row["day_seconds"], fee_minor=row["fee_minor"],
        instalments=tuple((date.fromisoformat(i["date"]), i["amount_minor"]) for i in json.loads(row["instalments"])),
        rollover_cap_seconds=row["rollover_cap_seconds"], rollover_months=row["rollover_months"],
        line_detail=row["line_detail"], tax_inclusive=bool(row["tax_inclusive"]),
    )


def entry_from_row(row: sqlite3.Row) -> TimeEntry:
    """``time_entries`` row → :class:`TimeEntry`."""
    return TimeEntry(
        id=row["id"], client_id=row["client_id"], start_utc=row["start_utc"], end_utc=row["end_utc"], tz=row["tz"],
        description=row["description"], project=row["project"], tags=row["tags"], billable=bool(row["billable"]),
        source=row["source"], invoice_id=row["invoice_id"],
    )
