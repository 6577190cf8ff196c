"""Contracts as people read them: money with its currency code, rounding as it was typed, the billing zone with
its offset, one ``label: value`` per line with the terms of the contract's kind (``vakit contract show``), and
the same contract as JSON."""

from __future__ import annotations

from decimal import Decimal

from vakit.cli.render import contract_json, label_lines
from vakit.cli.render_invoices import coded, coded_rate
from vakit.core.clock import fmt_hm, fmt_offset
from vakit.core.models import SCOPE_WORDS, Client, Contract
from vakit.core.no_show import describe_no_show
from vakit.core.periods import month_end
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


def rounding_text(k: Contract) -> str:
    """The rounding as ``contract add --rounding`` takes it, with its scope in words: ``"up:6m per entry"``,
    ``"nearest:15m per day"``, ``"up:15m per invoice line"`` or ``"none"``."""
    r = k.rounding
    if not r.increment:
        return "none"
    return f"{r.direction}:{r.increment // 60}m per {SCOPE_WORDS.get(r.scope, r.scope)}"


def zone_text(tz: str, now_utc: int) -> str:
    """A zone with its UTC offset at ``now_utc`` (epoch seconds): ``"America/New_York (UTC-05:00)"``."""
    return f"{tz} ({fmt_offset(now_utc, tz)})"


def _kind_rows(k: Contract, locale: str) -> list[tuple[str, str]]:
    """The money terms of ``k``'s kind as ``(label, value)`` rows, amounts with the currency code in
    ``locale``'s digits (:func:`vakit.cli.render_invoices.coded`)."""
    cur = k.currency

    def rate(value: Decimal | None) -> str:
        return coded_rate(value or Decimal(0), cur, locale)

    if k.kind == "hourly":
        return [("rate", f"{rate(k.rate)}/h")]
    if k.kind == "daily":
        from vakit.core.day_rate import hourly_equivalent

        return [("day rate", f"{rate(k.day_rate)}/day of {fmt_hm(k.day_seconds or 0)} h"),
                ("part days", f"{rate(hourly_equivalent(k))}/h, pro rata")]
    if k.kind == "fixed":
        rows = [("fixed fee", coded(k.fee_minor or 0, cur, locale))]
        return rows + [("instalments" if i == 0 else "", f"{d} {coded(m, cur, locale)}")
                       for i, (d, m) in enumerate(k.instalments)]
    rows = [("monthly fee", coded(k.monthly_fee_minor or 0, cur, locale)),
            ("includes", f"{fmt_hm(k.included_seconds or 0)} h a month"), ("overage", f"{rate(k.overage_rate)}/h")]
    if k.rollover_cap_seconds is None:
        return rows + [("rollover", "none (unused hours lapse at the month's end)")]
    months = f"{k.rollover_months} month{'s' if k.rollover_months != 1 else ''}"
    return rows + [("rollover", f"unused hours carry over, at most {fmt_hm(k.rollover_cap_seconds)} h, "
                                f"expiring after {months}")]


def contract_rows(k: Contract, client: Client, billed: list[Billed], now_utc: int) -> list[tuple[str, str]]:
    """The contract as ``(label, value)`` rows, the terms as they were typed and the ones that matter for its
    kind: money with the currency code (in the client's locale), rounding as ``--rounding`` takes it (not for
    a fixed fee, which bills no time, unless one was given), payment terms in days, the billing zone with its
    UTC offset at ``now_utc`` (epoch seconds), dates YYYY-MM-DD. A row with an empty label continues the one
    above it."""
    timed = k.kind != "fixed"
    rows = [("contract", f"#{k.id}"), ("client", client.name), ("kind", k.kind), *_kind_rows(k, client.locale)]
    if timed or k.rounding.increment:
        rows.append(("rounding", rounding_text(k)))
    if k.kind == "hourly":
        rows.append(("invoice lines", k.line_detail))
    rows += [("billing zone", zone_text(k.billing_tz, now_utc)),
             ("payment terms", f"net {k.terms_days} day{'s' if k.terms_days != 1 else ''}"),
             ("taxes", taxes_text(k))]
    rows += [("legend", x) for x in k.legends] or [("legends", "none")]
    rows.append(("SAC", k.sac or "none"))
    if timed or k.no_show != "none":
        rows.append(("no-shows", no_show_text(k)))
    if k.description:
        rows.append(("description", k.description))
    rows += [("in force", f"{k.start_date} – {k.end_date or 'open'}"), ("invoices", billed_text(billed))]
    return rows


def contract_lines(k: Contract, client: Client, billed: list[Billed], now_utc: int) -> list[str]:
    """:func:`contract_rows` as ``label: value`` lines (:func:`label_lines`)."""
    return label_lines(contract_rows(k, client, billed, now_utc))


def contract_summary(k: Contract, client: Client) -> str:
    """A contract in one line, money with its currency code in the client's locale: ``"#2 hourly, USD 30.00/h,
    2026-10-01 – 2026-10-31"``, ``"#4 retainer, GBP 800.00/month, 2026-10-01 – open"``, ``"#5 daily, INR
    4,000.00/day, …"``, ``"#3 fixed, EUR 3.000,00, …"``."""
    cur, loc = k.currency, client.locale
    money = {"hourly": lambda: f"{coded_rate(k.rate or Decimal(0), cur, loc)}/h",
             "daily": lambda: f"{coded_rate(k.day_rate or Decimal(0), cur, loc)}/day",
             "fixed": lambda: coded(k.fee_minor or 0, cur, loc),
             "retainer": lambda: f"{coded(k.monthly_fee_minor or 0, cur, loc)}/month"}[k.kind]()
    return f"#{k.id} {k.kind}, {money}, {k.start_date} – {k.end_date or 'open'}"


def contract_detail_json(k: Contract, client: Client, billed: list[Billed]) -> dict:
    """:func:`vakit.cli.render.contract_json` plus the description, the SAC code and the invoices that bill it
    (``{"id", "status", "number", "period": {"from", "to"}}``, number null for a draft)."""
    return {**contract_json(k, client), "description": k.description, "sac": k.sac,
            "invoices": [{"id": b.id, "status": b.status, "number": b.number,
                          "period": {"from": b.period_start.isoformat(), "to": b.period_end.isoformat()}}
                         for b in billed]}
