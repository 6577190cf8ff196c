"""Turning service results into text lines and JSON (no Rich here: the timer commands print through this module;
tables are in the ``render_*`` modules). The JSON envelope is
``{"vakit": "1", "kind": KIND, "data": …}``; money appears as
``{"amount": "14550.00", "minor": 1455000, "currency": "INR"}``; instants as ISO-8601 UTC
(``…Z``) with the zone beside them; durations as seconds plus ``h:mm``."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

from vakit.core.clock import fmt_local, fmt_range, fmt_span, to_local
from vakit.core.models import Client, Contract
from vakit.core.money import from_minor
from vakit.core.tags import split_tags
from vakit.services.timesheet import EntryView

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the timer commands' path
if TYPE_CHECKING:
    from vakit.core.appointments import Appointment

JSON_VERSION = "1"


def emit_json(kind: str, data: object) -> None:
    """Print the JSON envelope to stdout: characters as they are on a UTF-8 stream, ``\\u`` escapes on any other
    (``PYTHONIOENCODING=ascii``, a C locale), so the JSON stays exact and valid whatever the stream takes."""
    utf8 = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "") == "utf8"
    sys.stdout.write(json.dumps({"vakit": JSON_VERSION, "kind": kind, "data": data}, ensure_ascii=not utf8, indent=2))
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
        "taxes": [{"name": t.name, "percent": None if t.percent is None else str(t.percent)} for t in k.taxes],
        "tax_inclusive": k.tax_inclusive, "legends": list(k.legends),
        "start_date": k.start_date.isoformat(), "end_date": k.end_date.isoformat() if k.end_date else None,
        "no_show": {"kind": k.no_show, "seconds": k.no_show_seconds},
        "day_rate": None if k.day_rate is None else str(k.day_rate), "day_seconds": k.day_seconds,
        "fee": None if k.fee_minor is None else money_json(k.fee_minor, k.currency),
        "instalments": [{"date": d.isoformat(), "amount": money_json(m, k.currency)} for d, m in k.instalments],
        "rollover": None if k.rollover_cap_seconds is None else {"cap_seconds": k.rollover_cap_seconds,
                                                                 "months": k.rollover_months},
        "line_detail": k.line_detail,
    }


def label_lines(rows: list[tuple[str, str]], width: int | None = None) -> list[str]:
    """``(label, value)`` rows as ``label: value`` lines, labels right-aligned on the colon (at least ``width``
    wide); a value's line breaks and an empty label continue under the value."""
    width = max([width or 0, *(len(label) for label, _ in rows)])
    out = []
    for label, value in rows:
        first, *more = value.split("\n")
        out.append(f"{label:>{width}}: {first}" if label else f"{'':>{width}}  {first}")
        out += [f"{'':>{width}}  {x}" for x in more]
    return out


def entry_json(v: EntryView) -> dict:
    """A time entry as JSON."""
    e = v.entry
    return {"id": e.id, "client": v.client_name, "start": iso_utc(e.start_utc), "end": iso_utc(e.end_utc),
            "tz": e.tz, "seconds": e.seconds, "duration": fmt_span(e.seconds), "description": e.description,
            "project": e.project, "tags": list(split_tags(e.tags)), "billable": e.billable, "source": e.source,
            "invoice_id": e.invoice_id}


def entry_line(v: EntryView, tz: str | None = None) -> str:
    """``#12 Northwind Analytics  Tue 06 May 2025 14:30 – 15:00 BST (UTC+01:00) (0:30) Weekly sync [calls]``:
    times in ``tz`` (default the entry's own zone) as :func:`vakit.core.clock.fmt_range` echoes them."""
    e = v.entry
    tz = tz or e.tz
    when = fmt_range(e.start_utc, e.end_utc, tz) + f" ({fmt_span(e.seconds)})" if e.end_utc else \
        f"{fmt_local(e.start_utc, tz)} – running"
    desc = f" {e.description}" if e.description else ""
    tags = f" [{e.tags}]" if e.tags else ""
    return f"#{e.id} {v.client_name or '(own time)'}  {when}{desc}{tags}"


def appointment_json(a: Appointment) -> dict:
    """An appointment as JSON; an occurrence of a recurring call has ``series_id`` and ``recurrence_id`` (its
    original start, UTC), else both are null."""
    return {"id": a.id, "uid": a.uid, "client": a.client_name, "title": a.title, "location": a.location,
            "start": iso_utc(a.start_utc), "end": iso_utc(a.end_utc), "tz": a.tz, "status": a.status,
            "sequence": a.sequence, "local_start": to_local(a.start_utc, a.tz).isoformat(), "outcome": a.outcome,
            "outcome_entry_id": a.outcome_entry_id, "outcome_note": a.outcome_note, "series_id": a.series_id,
            "recurrence_id": iso_utc(a.recurrence_utc) if a.recurrence_utc is not None else None}
