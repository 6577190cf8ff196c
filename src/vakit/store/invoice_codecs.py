"""Invoice ↔ row codecs: the invoice document is JSON (Decimals as strings, minor units as integers, dates as
ISO text)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal

from vakit.core.invoices import Invoice, InvoiceLine, Party, TaxLine, TimesheetRow
from vakit.core.models import TaxId
from vakit.core.rollover import Roll


def _party_json(p: Party) -> dict:
    return {"name": p.name, "address": p.address, "email": p.email, "country": p.country,
            "tax_ids": [{"label": t.label, "value": t.value} for t in p.tax_ids]}


def _party(d: dict) -> Party:
    return Party(d["name"], d["address"], d["email"], d["country"], tuple(TaxId(**t) for t in d["tax_ids"]))


def invoice_document_json(inv: Invoice) -> str:
    """The frozen document of an invoice (parties, lines, taxes, legends, timesheet) as JSON text.

    Decimals are written as strings, minor units as integers, dates as ISO text.
    """
    doc = {
        "locale": inv.locale, "billing_tz": inv.billing_tz, "terms_days": inv.terms_days,
        "supplier": _party_json(inv.supplier), "customer": _party_json(inv.customer),
        "lines": [{"description": li.description, "quantity": str(li.quantity), "unit": li.unit,
                   "unit_price": str(li.unit_price), "amount_minor": li.amount_minor,
                   **({"manual": True} if li.manual else {}),
                   **({"expense_id": li.expense_id} if li.expense_id is not None else {}),
                   **({"untaxed": li.untaxed} if li.untaxed else {}),
                   **({"line_discount": True} if li.line_discount else {}),
                   **({"credits": li.credits} if li.credits is not None else {})} for li in inv.lines],
        "taxes": [{"name": t.name, "percent": str(t.percent), "base_minor": t.base_minor,
                   "amount_minor": t.amount_minor} for t in inv.taxes],
        "legends": list(inv.legends), "note": inv.note, "payment_details": inv.payment_details,
        "place_of_supply": inv.place_of_supply,
        **({"refers_number": inv.refers_number, "refers_date": inv.refers_date.isoformat() if inv.refers_date else
            None} if inv.refers_number else {}),
        **({"reason": inv.reason} if inv.reason else {}),
        **({"discount": {"minor": inv.discount_minor, "label": inv.discount_label,
                         **({"percent": str(inv.discount_percent)} if inv.discount_percent is not None else {})}}
           if inv.discount_minor or inv.discount_percent is not None else {}),
        **({"rollover": _roll_json(inv.rollover)} if inv.rollover is not None else {}),
        **({"in_words": True} if inv.in_words else {}),
        **({"renderer": inv.renderer} if inv.renderer != 1 else {}),
        **({"einvoice": True} if inv.einvoice else {}),
        **({"tax_inclusive": True} if inv.tax_inclusive else {}),
        **({"fx": {"rate": str(inv.fx_rate), "date": inv.fx_date.isoformat() if inv.fx_date else None}}
           if inv.fx_rate is not None else {}),
        "timesheet": [{"day": r.day.isoformat(), "start": r.start, "end": r.end, "description": r.description,
                       "seconds": r.seconds, "billed_seconds": r.billed_seconds} for r in inv.timesheet],
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def _roll_json(r: Roll) -> dict:
    return {"month": r.month, "in": [list(x) for x in r.carried_in], "expired": r.expired,
            "out": [list(x) for x in r.carried_out], "overage": r.overage}


def _roll(d: dict | None) -> Roll | None:
    if d is None:
        return None
    return Roll(d["month"], tuple((m, s) for m, s in d["in"]), d["expired"], tuple((m, s) for m, s in d["out"]),
                d["overage"])


def invoice_from_row(row: sqlite3.Row) -> Invoice:
    """``invoices`` row (with its JSON ``document``) → :class:`Invoice`."""
    doc = json.loads(row["document"])
    return Invoice(
        id=row["id"], status=row["status"], number=row["number"], client_id=row["client_id"],
        contract_id=row["contract_id"], currency=row["currency"], locale=doc["locale"], billing_tz=doc["billing_tz"],
        period_start=date.fromisoformat(row["period_start"]), period_end=date.fromisoformat(row["period_end"]),
        issue_date=date.fromisoformat(row["issue_date"]) if row["issue_date"] else None,
        due_date=date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        terms_days=doc["terms_days"], supplier=_party(doc["supplier"]), customer=_party(doc["customer"]),
        lines=tuple(InvoiceLine(li["description"], Decimal(li["quantity"]), li["unit"], Decimal(li["unit_price"]),
                                li["amount_minor"], li.get("manual", False), li.get("expense_id"),
                                li.get("untaxed", ""), li.get("line_discount", False), li.get("credits"))
                    for li in doc["lines"]),
        taxes=tuple(TaxLine(t["name"], Decimal(t["percent"]), t["base_minor"], t["amount_minor"])
                    for t in doc["taxes"]),
        subtotal_minor=row["subtotal_minor"], total_minor=row["total_minor"], legends=tuple(doc["legends"]),
        timesheet=tuple(TimesheetRow(date.fromisoformat(r["day"]), r["start"], r["end"], r["description"],
                                     r["seconds"], r["billed_seconds"]) for r in doc["timesheet"]),
        pdf_sha256=row["pdf_sha256"], note=doc.get("note", ""), payment_details=doc.get("payment_details", ""),
        place_of_supply=doc.get("place_of_supply", ""), kind=row["kind"], refers_to=row["refers_to"],
        refers_number=doc.get("refers_number", ""),
        refers_date=date.fromisoformat(doc["refers_date"]) if doc.get("refers_date") else None,
        reason=doc.get("reason", ""), discount_minor=doc.get("discount", {}).get("minor", 0),
        discount_label=doc.get("discount", {}).get("label", ""), rollover=_roll(doc.get("rollover")),
        discount_percent=Decimal(doc["discount"]["percent"]) if "percent" in doc.get("discount", {}) else None,
        fx_rate=Decimal(doc["fx"]["rate"]) if "fx" in doc else None, in_words=doc.get("in_words", False),
        fx_date=date.fromisoformat(doc["fx"]["date"]) if doc.get("fx", {}).get("date") else None,
        renderer=doc.get("renderer", 1), einvoice=doc.get("einvoice", False),
        tax_inclusive=doc.get("tax_inclusive", False),
    )
