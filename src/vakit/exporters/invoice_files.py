"""Invoices as files for an accountant or a spreadsheet (``vakit invoice export``): one document's lines and
totals, or a register of documents with their totals and standing.

Amounts are plain decimals in the document's currency (``1190.00``, ``-7500.00``; no symbol, no grouping, ``.``
for decimals) so that any spreadsheet reads them as numbers; they are the figures stored on the document, the
same the CLI and the PDF print (field cases C-18, C-19). Text cells (descriptions, names) that a spreadsheet
would run as a formula are prefixed with ``'`` (OWASP's CSV-injection rule), as the time entry export does;
amounts are never (``-7500.00`` stays a number).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from vakit.core.invoices import Invoice
from vakit.core.money import format_plain, from_minor, minor_digits
from vakit.core.terms_text import plain_rate
from vakit.exporters.entries import neutralise

DOCUMENT_COLUMNS = ("row", "description", "quantity", "unit", "unit_price", "amount", "currency")
REGISTER_COLUMNS = ("number", "kind", "status", "issue_date", "due_date", "period_from", "period_to", "client",
                    "client_tax_id", "currency", "subtotal", "discount", "net", "taxes", "tax", "total", "paid",
                    "credited", "balance", "refers_to", "tax_inclusive")


def amount_text(minor: int, currency: str) -> str:
    """Minor units as a plain decimal with the currency's digits: 119000 EUR → ``"1190.00"``, 3000 JPY →
    ``"3000"``."""
    return format_plain(from_minor(minor, currency), minor_digits(currency))


#: the columns holding text typed by someone (neutralised); the others are numbers, dates and vakit's own words
TEXT_COLUMNS = frozenset({"description", "unit", "number", "client", "client_tax_id", "taxes", "refers_to"})


def _csv(header, rows, *, excel: bool) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    text = [h in TEXT_COLUMNS for h in header]
    for r in rows:
        w.writerow([neutralise(c) if t else c for c, t in zip(r, text)])
    return (("\ufeff" if excel else "") + buf.getvalue()).encode("utf-8")


def document_rows(inv: Invoice) -> list[tuple[str, str, str, str, str, str, str]]:
    """The document as rows of :data:`DOCUMENT_COLUMNS`: ``line`` per line item, then ``subtotal``, ``discount``
    and ``net`` (with a discount), ``tax`` per tax (its description ``VAT 19% on 1000.00``), ``total``, and
    ``vat_gbp`` (the VAT in sterling at the typed rate, for a UK VAT-registered supplier's foreign invoice)."""
    cur = inv.currency

    def amt(minor: int) -> str:
        return amount_text(minor, cur)

    rows = [("line", li.description, str(li.quantity), li.unit, plain_rate(li.unit_price, cur), amt(li.amount_minor),
             cur) for li in inv.lines]
    rows.append(("subtotal", "Subtotal", "", "", "", amt(inv.subtotal_minor), cur))
    for label, minor in inv.discount_rows():  # the rows the PDF prints: with prices incl. tax, no net amount
        rows.append(("discount" if minor < 0 else "net", label, "", "", "", amt(minor), cur))
    for t in inv.taxes:
        label = f"{inv.tax_word}{t.name} {Decimal(t.percent).normalize():f}% on {amt(t.base_minor)}"
        rows.append(("tax", label, "", "",
                     f"{Decimal(t.percent).normalize():f}", amt(t.amount_minor), cur))
    rows.append(("total", "Total credited" if inv.kind == "credit_note" else "Total", "", "", "",
                 amt(inv.total_minor), cur))
    if inv.tax_in_gbp_minor is not None:
        rows.append(("vat_gbp", inv.sterling_label(), "", "", f"{inv.fx_rate.normalize():f}" if inv.fx_rate else "",
                     amount_text(inv.tax_in_gbp_minor, "GBP"), "GBP"))
    return rows


def document_csv(inv: Invoice, *, excel: bool = False) -> bytes:
    """One document as CSV (:func:`document_rows`), UTF-8, CRLF line ends (RFC 4180)."""
    return _csv(DOCUMENT_COLUMNS, document_rows(inv), excel=excel)


def register_rows(standings) -> list[list]:
    """One row of :data:`REGISTER_COLUMNS` per document (``Standing``s from :mod:`vakit.services.receivables`),
    signed as they move the client's balance, as ``invoice list`` shows them: a credit note's amounts negative
    (``refers_to`` the invoice it corrects), a discount negative (it is taken off)."""
    out = []
    for s in standings:
        inv = s.invoice
        cur = inv.currency
        sign = -1 if inv.kind == "credit_note" else 1

        def amt(minor: int, cur: str = cur, sign: int = sign) -> str:
            return amount_text(sign * minor, cur)

        taxes = "; ".join(f"{t.name} {Decimal(t.percent).normalize():f}%={amt(t.amount_minor)}" for t in inv.taxes)
        out.append([inv.number or f"draft #{inv.id}", inv.kind.replace("_", " "), s.status,
                    inv.issue_date.isoformat() if inv.issue_date else "",
                    inv.due_date.isoformat() if inv.due_date else "", inv.period_start.isoformat(),
                    inv.period_end.isoformat(), inv.customer.name,
                    next((t.value for t in inv.customer.tax_ids), ""), cur, amt(inv.subtotal_minor),
                    amt(-inv.discount_minor), amt(inv.net_minor), taxes, amt(inv.tax_minor), amt(inv.total_minor),
                    amount_text(s.paid_minor, cur), amount_text(s.credited_minor, cur),
                    amount_text(s.balance_minor, cur), inv.refers_number, "yes" if inv.tax_inclusive else "no"])
    return out


def register_csv(standings, *, excel: bool = False) -> bytes:
    """The register of documents as CSV (:func:`register_rows`)."""
    return _csv(REGISTER_COLUMNS, register_rows(standings), excel=excel)


def register_json(standings) -> bytes:
    """The register as JSON: a list of objects keyed by :data:`REGISTER_COLUMNS`, amounts as decimal strings."""
    rows = [dict(zip(REGISTER_COLUMNS, r)) for r in register_rows(standings)]
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
