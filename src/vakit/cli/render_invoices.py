"""Invoices, credit notes, receivables and statements as Rich tables and JSON (envelope: see ``render``).

Wherever amounts of different currencies can meet (lists, aging, unbilled time), each amount carries its
ISO 4217 code (``USD 1,422.50``), so NZD and USD are never both just "$".
"""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from vakit.cli.render import money_json
from vakit.core.clock import fmt_hm
from vakit.core.invoices import Invoice, Statement
from vakit.core.money import format_money, format_percent, format_quantity, format_rate
from vakit.services.accounts import BUCKETS, AgingRow
from vakit.services.late_time import UnbilledGroup
from vakit.services.receivables import Standing

_SPACES = " \u00a0\u202f\u200e\u200f\u061c"


def _with_code(text: str, currency: str, locale: str) -> str:
    """Babel's ``$1,422.50`` (or ``1.422,50 €``) → ``USD 1,422.50`` (``EUR 1.422,50``)."""
    from babel.numbers import get_currency_symbol

    return f"{currency} {text.replace(get_currency_symbol(currency, locale), '', 1).strip(_SPACES)}"


def coded(minor: int, currency: str, locale: str) -> str:
    """An amount with its ISO 4217 code instead of a symbol, digits in the locale's style: ``USD 1,422.50``,
    ``NZD 1,422.50``, ``EUR 369,90``, ``INR 14,550.00`` (symbols such as "$" are shared by many currencies)."""
    return _with_code(format_money(minor, currency, locale), currency, locale)


def coded_rate(rate: Decimal, currency: str, locale: str) -> str:
    """A rate as :func:`coded` prints an amount, unrounded but with at least the currency's digits:
    ``USD 13.125``, ``USD 1,200.00``, ``JPY 3,000``."""
    return _with_code(format_rate(rate, currency, locale), currency, locale)


def title_of(inv: Invoice) -> str:
    """``INV/2026-27/001``, ``credit note CN/2026-27/001``, ``draft #7`` or ``draft (not stored)``."""
    if inv.number:
        return f"credit note {inv.number}" if inv.kind == "credit_note" else inv.number
    return f"draft #{inv.id}" if inv.id else "draft (not stored)"


def invoice_json(inv: Invoice, st: Standing | None = None) -> dict:
    """A document as JSON: lines, taxes and totals in money shape, hours as 2-decimal strings; with its
    standing (status, paid, credited, balance, days overdue) when given."""
    cur = inv.currency
    out = {
        "id": inv.id, "kind": inv.kind, "status": inv.status, "number": inv.number, "client": inv.customer.name,
        "currency": cur, "period": {"from": inv.period_start.isoformat(), "to": inv.period_end.isoformat(),
                                    "tz": inv.billing_tz},
        "issue_date": inv.issue_date.isoformat() if inv.issue_date else None,
        "due_date": inv.due_date.isoformat() if inv.due_date else None, "terms_days": inv.terms_days,
        "refers_to": {"number": inv.refers_number, "issue_date": inv.refers_date.isoformat() if inv.refers_date
                      else None} if inv.refers_number else None,
        "reason": inv.reason or None,
        "lines": [{"description": li.description, "quantity": str(li.quantity), "unit": li.unit,
                   "unit_price": str(li.unit_price), "amount": money_json(li.amount_minor, cur),
                   "expense": li.expense_id, "untaxed": li.untaxed or None} for li in inv.lines],
        "subtotal": money_json(inv.subtotal_minor, cur),
        "discount": {"label": inv.discount_label, "amount": money_json(inv.discount_minor, cur)}
        if inv.discount_minor else None,
        "net": money_json(inv.net_minor, cur), "tax_inclusive": inv.tax_inclusive,
        "vat_in_gbp": None if inv.tax_in_gbp_minor is None else {
            "amount": money_json(inv.tax_in_gbp_minor, "GBP"), "rate": str(inv.fx_rate),
            "date": inv.fx_date.isoformat() if inv.fx_date else None},
        "amount_in_words": inv.total_in_words(),
        "taxes": [{"name": t.name, "percent": str(t.percent), "base": money_json(t.base_minor, cur),
                   "amount": money_json(t.amount_minor, cur)} for t in inv.taxes],
        "total": money_json(inv.total_minor, cur), "legends": list(inv.legends), "note": inv.note,
        "timesheet": [{"date": r.day.isoformat(), "start": r.start, "end": r.end, "description": r.description,
                       "seconds": r.seconds, "billed_seconds": r.billed_seconds} for r in inv.timesheet],
        "billed_seconds": sum(r.billed_seconds for r in inv.timesheet), "pdf_sha256": inv.pdf_sha256,
    }
    if st is not None:
        out["standing"] = {"status": st.status, "paid": money_json(st.paid_minor, cur),
                           "credited": money_json(st.credited_minor, cur),
                           "balance": money_json(st.balance_minor, cur), "days_overdue": st.days_overdue,
                           "sent_date": st.sent_date.isoformat() if st.sent_date else None,
                           "void_reason": st.void_reason or None}
    return out


def invoice_table(inv: Invoice) -> Table:
    """A document's lines, subtotal, taxes and total, amounts in the client's locale."""
    cur, loc = inv.currency, inv.locale
    t = Table(title=f"{title_of(inv)} — {inv.customer.name} — {inv.period_start} – {inv.period_end}")
    for col, just in (("description", "left"), ("qty", "right"), ("unit price", "right"), ("amount", "right")):
        t.add_column(col, justify=just)
    for li in inv.lines:
        t.add_row(li.description, format_quantity(li.quantity, li.unit, loc), format_rate(li.unit_price, cur, loc),
                  format_money(li.amount_minor, cur, loc))
    t.add_section()
    t.add_row("Subtotal", "", "", format_money(inv.subtotal_minor, cur, loc))
    for label, minor in inv.discount_rows():
        t.add_row(label, "", "", format_money(minor, cur, loc))
    for x in inv.taxes:
        t.add_row(f"{inv.tax_word}{x.name} {format_percent(x.percent, loc)} on {format_money(x.base_minor, cur, loc)}",
                  "", "",
                  format_money(x.amount_minor, cur, loc))
    t.add_row("Total" if inv.kind == "invoice" else "Total credited", "", "", format_money(inv.total_minor, cur, loc))
    if inv.tax_in_gbp_minor is not None:
        t.add_row(inv.sterling_label(), "", "", format_money(inv.tax_in_gbp_minor, "GBP", loc))
    return t


def invoice_rows(inv: Invoice, st: Standing) -> list[tuple[str, str]]:
    """What ``vakit invoice show`` prints under a document's table, as ``(label, value)`` rows: where it stands,
    its dates (YYYY-MM-DD) and payment terms in days, amounts with the currency code (:func:`coded`), the
    invoice it credits, its note and legends."""
    cur, loc = inv.currency, inv.locale
    net = f"net {inv.terms_days} day{'s' if inv.terms_days != 1 else ''}"
    status = st.status + (f", {st.days_overdue} days overdue" if st.days_overdue else "")
    rows = [("status", status if inv.status != "draft" else f"draft (issue it with: vakit invoice issue '#{inv.id}')"
             if inv.id else "draft")]
    if inv.refers_number:
        rows.append(("refers to", f"{inv.refers_number} of {inv.refers_date}"))
        if inv.reason:
            rows.append(("reason", inv.reason))
    if inv.issue_date:
        rows.append(("issued", str(inv.issue_date)))
    if inv.kind == "invoice":
        rows.append(("due", f"{inv.due_date} ({net})") if inv.due_date else ("payment terms", net))
    rows.append(("total", coded(inv.total_minor, cur, loc)))
    if inv.status == "issued" and inv.kind == "invoice":
        rows += [("paid", coded(st.paid_minor, cur, loc)), ("credited", coded(st.credited_minor, cur, loc)),
                 ("balance", coded(st.balance_minor, cur, loc))]
        if st.void_reason:
            rows.append(("void", st.void_reason))
    if inv.note:
        rows.append(("note", inv.note))
    rows += [("legend", x) for x in inv.legends]
    return rows


def standings_table(rows: list[Standing], title: str = "Invoices") -> Table:
    """A list of documents with status, total, balance and days overdue; amounts with currency codes."""
    t = Table(title=title)
    for col in ("#", "number", "status", "client", "period", "issued", "due", "total", "balance", "overdue"):
        t.add_column(col, justify="right" if col in ("#", "total", "balance", "overdue") else "left",
                     no_wrap=col not in ("client", "status"))
    for s in rows:
        inv = s.invoice
        cur, loc = inv.currency, inv.locale
        total = coded(-inv.total_minor if inv.kind == "credit_note" else inv.total_minor, cur, loc)
        balance = "" if inv.status == "draft" or inv.kind == "credit_note" else coded(s.balance_minor, cur, loc)
        t.add_row(f"#{inv.id}", inv.number or "—", s.status, inv.customer.name, f"{inv.period_start:%Y-%m}",
                  str(inv.issue_date or "—"), str(inv.due_date or "—"), total, balance,
                  f"{s.days_overdue} d" if s.days_overdue else "")
    return t


def unbilled_table(groups: list[UnbilledGroup]) -> Table:
    """Unbilled billable time per client, contract and month."""
    t = Table(title="Unbilled billable time")
    for col in ("client", "month", "contract", "entries", "dates", "hours", "month invoiced on"):
        t.add_column(col, justify="right" if col in ("entries", "hours") else "left")
    for g in groups:
        dates = f"{g.first:%d %b}" if g.first == g.last else f"{g.first:%d %b} – {g.last:%d %b}"
        t.add_row(g.client_name, f"{g.month.first:%Y-%m}", f"#{g.contract_id} {g.currency}" if g.contract_id else
                  "none in force", str(g.entries), dates, fmt_hm(g.seconds), g.invoiced or "—")
    return t


def unbilled_json(groups: list[UnbilledGroup]) -> list[dict]:
    """Unbilled groups as JSON (seconds unrounded)."""
    return [{"client": g.client_name, "client_id": g.client_id, "contract_id": g.contract_id,
             "currency": g.currency or None, "month": f"{g.month.first:%Y-%m}", "tz": g.month.tz,
             "first": g.first.isoformat(), "last": g.last.isoformat(), "entries": g.entries, "seconds": g.seconds,
             "invoiced_on": g.invoiced or None} for g in groups]


def aging_table(rows: list[AgingRow]) -> Table:
    """Receivables per client and currency in the aging buckets."""
    t = Table(title="Receivables by age (days past due)")
    t.add_column("client")
    t.add_column("currency")
    for label, _lo, _hi in BUCKETS:
        t.add_column(label, justify="right")
    t.add_column("total", justify="right")
    t.add_column("client credit", justify="right")
    for r in rows:
        t.add_row(r.client, r.currency, *(format_money(r.buckets[b[0]], r.currency, r.locale) if r.buckets[b[0]]
                                          else "—" for b in BUCKETS), format_money(r.total, r.currency, r.locale),
                  format_money(r.credit, r.currency, r.locale) if r.credit else "—")
    return t


def aging_json(rows: list[AgingRow]) -> list[dict]:
    """Aging rows as JSON."""
    return [{"client": r.client, "currency": r.currency, "invoices": r.invoices,
             "buckets": {b[0]: money_json(r.buckets[b[0]], r.currency) for b in BUCKETS},
             "total": money_json(r.total, r.currency), "client_credit": money_json(r.credit, r.currency)}
            for r in rows]


def statement_table(st: Statement) -> Table:
    """A statement: one line per document or payment with the running balance, then the totals."""
    cur, loc = st.currency, st.locale
    since = f"{st.first}" if st.first else "the beginning"
    t = Table(title=f"Statement — {st.client.name} — {cur} — {since} to {st.last}")
    for col in ("date", "document", "number", "details", "amount", "balance"):
        t.add_column(col, justify="right" if col in ("amount", "balance") else "left")
    t.add_row("", "opening balance", "", "", "", format_money(st.opening_minor, cur, loc))
    for li in st.lines:
        t.add_row(str(li.day), li.kind, li.ref, li.description, format_money(li.amount_minor, cur, loc),
                  format_money(li.balance_minor, cur, loc))
    t.add_section()
    for label, value in (("invoiced", st.invoiced_minor), ("credited", -st.credited_minor),
                         ("received", -st.received_minor)):
        t.add_row("", label, "", "", format_money(value, cur, loc), "")
    t.add_row("", "closing balance", "", "", "", format_money(st.closing_minor, cur, loc))
    return t


def statement_json(st: Statement) -> dict:
    """A statement as JSON."""
    cur = st.currency
    return {"client": st.client.name, "currency": cur, "from": st.first.isoformat() if st.first else None,
            "to": st.last.isoformat(), "opening": money_json(st.opening_minor, cur),
            "lines": [{"date": li.day.isoformat(), "kind": li.kind, "number": li.ref or None,
                       "details": li.description, "amount": money_json(li.amount_minor, cur),
                       "balance": money_json(li.balance_minor, cur)} for li in st.lines],
            "invoiced": money_json(st.invoiced_minor, cur), "credited": money_json(st.credited_minor, cur),
            "received": money_json(st.received_minor, cur), "closing": money_json(st.closing_minor, cur)}
