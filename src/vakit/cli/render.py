"""Turning service results into Rich tables and JSON. The JSON envelope is
``{"vakit": "1", "kind": KIND, "data": …}``; money appears as
``{"amount": "14550.00", "minor": 1455000, "currency": "INR"}``; instants as ISO-8601 UTC
(``…Z``) with the zone beside them; durations as seconds plus ``h:mm``."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from typing import Any

from rich.table import Table

from vakit.core.clock import fmt_hm, fmt_local, to_local
from vakit.core.models import Appointment, Client, Contract
from vakit.core.money import format_plain, from_minor
from vakit.services.reports import Report
from vakit.services.timesheet import EntryView

JSON_VERSION = "1"


def emit_json(kind: str, data: Any) -> None:
    """Print the JSON envelope to stdout."""
    sys.stdout.write(json.dumps({"vakit": JSON_VERSION, "kind": kind, "data": data}, ensure_ascii=False, indent=2))
    sys.stdout.write("\n")


def iso_utc(seconds: int | None) -> str | None:
    """Epoch seconds → ``2026-10-01T03:40:00Z``."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def money_json(minor: int, currency: str) -> dict:
    """Money in the JSON shape."""
    return {"amount": str(from_minor(minor, currency)), "minor": minor, "currency": currency}


def client_json(c: Client) -> dict:
    """A client as JSON."""
    return {"id": c.id, "name": c.name, "email": c.email, "address": c.address, "country": c.country, "tz": c.tz,
            "currency": c.currency, "locale": c.locale, "tax_id": c.tax_id, "notes": c.notes}


def contract_json(k: Contract, client: Client) -> dict:
    """A contract as JSON."""
    return {
        "id": k.id, "client": client.name, "kind": k.kind, "currency": k.currency,
        "rate": None if k.rate is None else str(k.rate),
        "monthly_fee": None if k.monthly_fee_minor is None else money_json(k.monthly_fee_minor, k.currency),
        "included_seconds": k.included_seconds, "overage_rate": None if k.overage_rate is None else str(k.overage_rate),
        "rounding": {"increment_seconds": k.rounding.increment, "direction": k.rounding.direction,
                     "scope": k.rounding.scope},
        "billing_tz": k.billing_tz, "terms_days": k.terms_days,
        "taxes": [{"name": t.name, "percent": str(t.percent)} for t in k.taxes], "legends": list(k.legends),
        "start_date": k.start_date.isoformat(), "end_date": k.end_date.isoformat() if k.end_date else None,
    }


def contract_terms_text(k: Contract) -> str:
    """One-line summary of a contract's money terms."""
    if k.kind == "hourly":
        return f"{k.rate} {k.currency}/h"
    return (f"{format_plain(from_minor(k.monthly_fee_minor or 0, k.currency))} {k.currency}/month incl. "
            f"{fmt_hm(k.included_seconds or 0)} h, overage {k.overage_rate}/h")


def entry_json(v: EntryView) -> dict:
    """A time entry as JSON."""
    e = v.entry
    return {"id": e.id, "client": v.client_name, "start": iso_utc(e.start_utc), "end": iso_utc(e.end_utc),
            "tz": e.tz, "seconds": e.seconds, "duration": fmt_hm(e.seconds), "description": e.description,
            "project": e.project, "tags": e.tags, "billable": e.billable, "source": e.source,
            "invoice_id": e.invoice_id}


def entry_line(v: EntryView, tz: str | None = None) -> str:
    """``#12 Northwind Analytics  Tue 06 May 2025 14:30 BST – 15:00 BST (0:30) Weekly sync``."""
    e = v.entry
    tz = tz or e.tz
    end = fmt_local(e.end_utc, tz, date=_same_day(e.start_utc, e.end_utc, tz)) if e.end_utc else "running"
    dur = f" ({fmt_hm(e.seconds)})" if e.end_utc else ""
    desc = f" {e.description}" if e.description else ""
    return f"#{e.id} {v.client_name or '(no client)'}  {fmt_local(e.start_utc, tz)} – {end}{dur}{desc}"


def _same_day(a: int, b: int | None, tz: str) -> bool:
    """True when b falls on another local date than a (then the end shows its date too)."""
    return b is not None and to_local(a, tz).date() != to_local(b, tz).date()


def _end_text(start: int, end: int | None, tz: str) -> str:
    """``"12:32 BST"``, or ``"00:57 BST +1d"`` when the entry ends on a later local date."""
    if end is None:
        return "running"
    days = (to_local(end, tz).date() - to_local(start, tz).date()).days
    return fmt_local(end, tz, date=False) + (f" +{days}d" if days else "")


def entries_table(views: list[EntryView], tz: str) -> Table:
    """Time entries as a table, times in ``tz`` with zone abbreviations."""
    t = Table(title=f"Time entries ({tz})")
    for col in ("#", "date", "from", "to", "duration", "client", "description", "billed"):
        wrap = col in ("client", "description")
        t.add_column(col, justify="right" if col in ("#", "duration") else "left", no_wrap=not wrap,
                     min_width=24 if col == "description" else None)
    total = 0
    for v in views:
        e = v.entry
        total += e.seconds
        start = to_local(e.start_utc, tz)
        t.add_row(str(e.id), f"{start:%a %Y-%m-%d}", fmt_local(e.start_utc, tz, date=False),
                  _end_text(e.start_utc, e.end_utc, tz), fmt_hm(e.seconds), v.client_name or "(no client)",
                  e.description, "yes" if e.invoice_id else ("—" if not e.billable else ""))
    t.add_section()
    t.add_row("", "", "", "total", fmt_hm(total), f"{len(views)} {'entry' if len(views) == 1 else 'entries'}", "", "")
    return t


def report_json(r: Report) -> dict:
    """A report as JSON."""
    return {"from": r.period.first.isoformat(), "to": r.period.last.isoformat(), "tz": r.period.tz, "by": r.by,
            "rows": [{"key": x.key, "seconds": x.seconds, "duration": fmt_hm(x.seconds),
                      "billable_seconds": x.billable_seconds, "entries": x.entries} for x in r.rows],
            "total_seconds": r.total, "billable_seconds": r.billable, "worked_seconds": r.worked,
            "entries": r.entries}


def report_table(r: Report) -> Table:
    """A report as a table with total and worked (union) rows."""
    first = r.period.first
    t = Table(title=f"Report {first} – {r.period.last} ({r.period.tz}), by {r.by}")
    t.add_column("day" if r.by == "day" else "client")
    for col in ("hours", "billable", "entries"):
        t.add_column(col, justify="right")
    from datetime import date

    for x in r.rows:
        key = f"{date.fromisoformat(x.key):%a %Y-%m-%d}" if r.by == "day" else x.key
        t.add_row(key, fmt_hm(x.seconds), fmt_hm(x.billable_seconds), str(x.entries))
    t.add_section()
    t.add_row("total", fmt_hm(r.total), fmt_hm(r.billable), str(r.entries))
    t.add_row("worked (overlaps once)", fmt_hm(r.worked), "", "")
    return t


def appointment_json(a: Appointment) -> dict:
    """An appointment as JSON."""
    return {"id": a.id, "uid": a.uid, "client": a.client_name, "title": a.title, "location": a.location,
            "start": iso_utc(a.start_utc), "end": iso_utc(a.end_utc), "tz": a.tz, "status": a.status,
            "sequence": a.sequence, "local_start": to_local(a.start_utc, a.tz).isoformat()}


def appointments_table(appts: list[Appointment], tz: str | None) -> Table:
    """Appointments by instant; times in ``tz`` (default: each appointment's own zone)."""
    t = Table(title=f"Appointments{f' ({tz})' if tz else ''}")
    for col in ("#", "when", "until", "client", "title", "status"):
        t.add_column(col)
    for a in appts:
        z = tz or a.tz
        t.add_row(str(a.id), fmt_local(a.start_utc, z), fmt_local(a.end_utc, z, date=False), a.client_name, a.title,
                  a.status.lower())
    return t
