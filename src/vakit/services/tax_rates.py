"""Tax rates as dated data (issue 9): a rate is a row with a name, a percentage and the dates it is in force,
so a change of rate is a new row from a date and never an edit of what was invoiced before.

A contract names a dated tax (``--tax VAT``, no percentage); each invoice takes the rate in force on the last
day of the period it bills (when the supply of a month's services completes; Directive 2006/112/EC, Art.
63–64 for continuous supplies) and keeps the rate it used. A contract may still give a fixed rate
(``--tax "VAT 19%"``), as before.

One name has at most one rate on any date: adding a rate from a date ends the open-ended rate of that name
the day before (as a new contract ends the old one); a rate whose dates overlap another's is refused.
Zero-rated and exempt rates are 0 % with the reason printed on the invoice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from vakit.core.errors import InvalidValue, NotFound
from vakit.core.models import Tax
from vakit.core.text import clean_text
from vakit.core.validate import parse_tax
from vakit.services.context import Context, writes

TREATMENTS = ("standard", "zero", "exempt")
TREATMENT_WORDS = {"zero": "zero-rated", "exempt": "exempt"}


@dataclass(frozen=True)
class TaxRate:
    """A tax rate in force from ``valid_from`` to ``valid_to`` (inclusive; None: open). ``treatment``
    ``standard``, ``zero`` (zero-rated) or ``exempt``, the latter two at 0 % with their ``reason``."""

    id: int
    name: str
    percent: Decimal
    valid_from: date
    valid_to: date | None
    treatment: str = "standard"
    reason: str = ""

    def label(self) -> str:
        """``"VAT 19%"``, ``"VAT 0% (zero-rated: Export of services)"``."""
        text = f"{self.name} {self.percent.normalize():f}%"
        if self.treatment != "standard":
            text += f" ({TREATMENT_WORDS[self.treatment]}: {self.reason})"
        return text

    def covers(self, day: date) -> bool:
        """Whether the rate is in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _from_row(r) -> TaxRate:
    return TaxRate(r["id"], r["name"], Decimal(r["percent"]), date.fromisoformat(r["valid_from"]),
                   date.fromisoformat(r["valid_to"]) if r["valid_to"] else None, r["treatment"], r["reason"])


def rates_named(conn, name: str) -> list[TaxRate]:
    """Every rate of the tax ``name`` (any case), by first day."""
    return [_from_row(r) for r in conn.execute("SELECT * FROM tax_rates WHERE name = ? COLLATE NOCASE ORDER BY"
                                               " valid_from", (name.strip(),))]


def list_rates(ctx: Context) -> list[TaxRate]:
    """Every rate, by name and first day."""
    return [_from_row(r) for r in ctx.ledger.conn.execute("SELECT * FROM tax_rates ORDER BY name COLLATE NOCASE,"
                                                          " valid_from")]


@dataclass(frozen=True)
class AddedRate:
    """What :func:`add_rate` stored, and the open-ended rate of the same name it ended (if any)."""

    rate: TaxRate
    ended: TaxRate | None = None


@writes
def add_rate(ctx: Context, text: str, first: date, last: date | None = None, *, treatment: str = "standard",
             reason: str = "") -> AddedRate:
    """Store the rate ``text`` (``"VAT 19%"``) in force from ``first`` to ``last`` (inclusive; None: open).

    An open-ended rate of the same name that starts before ``first`` ends the day before; any other rate of the
    name sharing a date is a conflict. ``treatment`` ``zero`` or ``exempt`` needs 0 % and a ``reason``.
    Raises InvalidValue (the text, a rate above 100 %, dates in the wrong order, overlapping validity, a reason
    missing or given for a standard rate), Conflict (an invoice or draft already took this tax's rate on a day
    the new rate would cover)."""
    tax = parse_tax(text)
    if tax.percent is None:
        raise InvalidValue(f"give the rate with its percentage, e.g. \"{tax.name} 19%\"")
    if last is not None and last < first:
        raise InvalidValue(f"the rate would end on {last}, before it starts ({first})")
    if treatment not in TREATMENTS:
        raise InvalidValue(f"unknown tax treatment {treatment!r}", "standard, zero or exempt")
    reason = clean_text(reason, "reason")
    if treatment != "standard" and (tax.percent != 0 or not reason):
        raise InvalidValue(f"a {TREATMENT_WORDS[treatment]} tax is 0% with its reason, e.g. \"{tax.name} 0%\" "
                           "--zero-rated \"Export of services\"")
    if treatment == "standard" and reason:
        raise InvalidValue("a reason goes with --zero-rated or --exempt")
    with ctx.ledger.write() as conn:
        ended = None
        for r in rates_named(conn, tax.name):
            if r.valid_to is None and r.valid_from < first:
                ended = r
                continue
            if r.valid_from <= (last or date.max) and (r.valid_to or date.max) >= first:
                raise InvalidValue(f"{tax.name} {tax.percent.normalize():f}% from {first} would share dates with "
                                   f"{r.label()} in force {r.valid_from} – {r.valid_to or 'open'}; a tax has one "
                                   "rate on any date", "give dates that follow each other")
        _refuse_invoiced(conn, tax.name, first, last, f"{tax.name} {tax.percent.normalize():f}% from {first}")
        if ended is not None:
            conn.execute("UPDATE tax_rates SET valid_to = ? WHERE id = ?",
                         ((first - timedelta(days=1)).isoformat(), ended.id))
            ended = replace(ended, valid_to=first - timedelta(days=1))
        cur = conn.execute("INSERT INTO tax_rates (name, percent, valid_from, valid_to, treatment, reason,"
                           " created_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (tax.name, str(tax.percent), first.isoformat(), last.isoformat() if last else None,
                            treatment, reason, ctx.clock.now_utc()))
        stored = _from_row(conn.execute("SELECT * FROM tax_rates WHERE id = ?", (cur.lastrowid,)).fetchone())
    return AddedRate(stored, ended)


def _refuse_invoiced(conn, name: str, first: date, last: date | None, what: str) -> None:
    """Refuse a rate of the dated tax ``name`` in force ``first`` … ``last`` when an invoice or draft (not void)
    of a contract naming that tax bills a period ending within those days: it took its rate from the ledger
    as it was, and a rate change is never an edit of what was invoiced. Raises Conflict."""
    import json

    from vakit.core.errors import Conflict
    from vakit.services.late_time import billing_invoice

    rows = conn.execute(
        f"SELECT i.id, i.status, i.number, i.period_start, i.period_end, k.taxes FROM invoices i JOIN contracts k ON"
        f" k.id = i.contract_id WHERE {billing_invoice('i')} AND i.period_end >= ? AND i.period_end <= ? ORDER BY"
        f" i.period_end", (first.isoformat(), (last or date.max).isoformat())).fetchall()
    for r in rows:
        if any(t["percent"] is None and t["name"].casefold() == name.casefold() for t in json.loads(r["taxes"])):
            doc = f"invoice {r['number']}" if r["status"] == "issued" else f"draft #{r['id']}"
            raise Conflict(f"{what} would change the {name} rate of {doc} ({r['period_start']} – {r['period_end']}), "
                           "made with the rate then in the ledger",
                           f"start the new rate after {r['period_end']}" + (
                               "" if r["status"] == "issued" else ", or delete the draft first"))


def check_named(conn, taxes: tuple[Tax, ...]) -> None:
    """Each dated tax of a contract (a name without a percentage) has a rate in the ledger. Raises
    InvalidValue naming the first that has none."""
    for t in taxes:
        if t.percent is None and not rates_named(conn, t.name):
            raise InvalidValue(f"no tax rate named {t.name!r}",
                               f"add it first: vakit tax add \"{t.name} RATE%\" --from DATE; or give the rate: "
                               f"--tax \"{t.name} RATE%\"")


def resolve(conn, taxes: tuple[Tax, ...], day: date) -> tuple[tuple[Tax, ...], tuple[str, ...]]:
    """``taxes`` with each dated tax's rate in force on ``day`` filled in, and the legends its zero-rated or
    exempt rates print (``"VAT 0%: zero-rated, Export of services"``). Raises NotFound when a dated tax has no
    rate in force that day."""
    out, legends = [], []
    for t in taxes:
        if t.percent is not None:
            out.append(t)
            continue
        rate = next((r for r in rates_named(conn, t.name) if r.covers(day)), None)
        if rate is None:
            raise NotFound(f"no {t.name} rate is in force on {day}",
                           f"add one: vakit tax add \"{t.name} RATE%\" --from DATE")
        out.append(Tax(rate.name, rate.percent))
        if rate.treatment != "standard":
            legends.append(f"{rate.name} {rate.percent.normalize():f}%: {TREATMENT_WORDS[rate.treatment]}, "
                           f"{rate.reason}")
    return tuple(out), tuple(legends)
