"""Contracts as people read them: money with its currency, rounding in the words it was typed in, one
``label: value`` per line (``vakit contract show``), and the same contract as JSON."""

from __future__ import annotations

from vakit.cli.render import contract_json
from vakit.core.clock import fmt_hm
from vakit.core.models import Client, Contract
from vakit.core.no_show import describe_no_show
from vakit.core.periods import month_end
from vakit.core.terms_text import rate_text
from vakit.services.contracts import Billed


def no_show_text(k: Contract) -> str:
    """The no-show term as typed and what it bills: ``"none (recorded, not billed)"``, ``"booked (the booked
    length is billed)"``, ``"30m (billed as 0:30 h)"``."""
    term = describe_no_show(k.no_show, k.no_show_seconds)
    if k.no_show == "fixed":
        return f"{term} (billed as {fmt_hm(k.no_show_seconds or 0)} h)"
    return f"{term} (the booked length is billed)" if k.no_show == "booked" else f"{term} (recorded, not billed)"


def billed_text(billed: list[Billed]) -> str:
    """``"INV/2026-27/001 (2026-10), draft #7 (2026-11-01 – 2026-11-14)"``, or ``"none"``."""
    def days(b: Billed) -> str:
        whole = b.period_start.day == 1 and b.period_end == month_end(b.period_start)
        return f"{b.period_start:%Y-%m}" if whole else f"{b.period_start} – {b.period_end}"

    return ", ".join(f"{b.number if b.status == 'issued' else f'draft #{b.id}'} ({days(b)})" for b in billed) or "none"


def taxes_text(k: Contract) -> str:
    """``"VAT 19%"``, ``"VAT 19%, included in the prices"`` or ``"none"``."""
    text = ", ".join(t.label() for t in k.taxes) or "none"
    return text + (", included in the prices" if k.tax_inclusive and k.taxes else "")


def contract_lines(k: Contract, client: Client, billed: list[Billed]) -> list[str]:
    """The contract as ``label: value`` lines, labels aligned on the colon."""
    rows = [("contract", f"#{k.id}"), ("client", client.name), ("kind", k.kind), ("rate", rate_text(k)),
            ("rounding", k.rounding.describe()), ("invoice lines", k.line_detail), ("billing zone", k.billing_tz),
            ("payment terms", f"net {k.terms_days}"),
            ("taxes", taxes_text(k))]
    rows += [("legend", x) for x in k.legends] or [("legends", "none")]
    rows.append(("SAC", k.sac or "none"))
    rows.append(("no-shows", no_show_text(k)))
    if k.description:
        rows.append(("description", k.description))
    rows += [("in force", f"{k.start_date} – {k.end_date or 'open'}"), ("invoices", billed_text(billed))]
    width = max(len(label) for label, _ in rows)
    return [f"{label:>{width}}: {value}" for label, value in rows]


def contract_detail_json(k: Contract, client: Client, billed: list[Billed]) -> dict:
    """:func:`vakit.cli.render.contract_json` plus the description, the SAC code and the invoices that bill it
    (``{"id", "status", "number", "period": {"from", "to"}}``, number null for a draft)."""
    return {**contract_json(k, client), "description": k.description, "sac": k.sac,
            "invoices": [{"id": b.id, "status": b.status, "number": b.number,
                          "period": {"from": b.period_start.isoformat(), "to": b.period_end.isoformat()}}
                         for b in billed]}
