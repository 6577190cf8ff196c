"""Invoices: drafts from a month's unbilled billable time, issuing with gap-free numbers, PDFs.

- A draft covers one client's contract in force and one calendar month *in the contract's
  billing zone*; an entry crossing the period boundary is split at it (design.md §5).
- Drafts have no number. ``issue`` allocates the next number of the profile's pattern
  inside one ``BEGIN IMMEDIATE`` transaction from a per-series counter; ``UNIQUE(number)``
  and ``UNIQUE(series, seq)`` back it up. An issued invoice is frozen (triggers refuse
  UPDATE/DELETE) and locks its entries.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from shlex import quote

from vakit.core.clock import fmt_local, zone
from vakit.core.errors import Conflict, InvalidValue, Locked, NotFound
from vakit.core.invoices import RENDERER, Invoice, Party, TaxLine, TimesheetRow
from vakit.core.models import Client, Contract, Profile, TaxId
from vakit.core.periods import Period, month_end, month_period
from vakit.core.rollover import roll
from vakit.core.tax_ids import EU, gstin
from vakit.core.text import clean_text
from vakit.core.validate import country_name
from vakit.core.words import WORDS_FOR
from vakit.services.client_lookup import find_client
from vakit.services.context import Context, writes
from vakit.services.contract_terms import check_line_detail
from vakit.services.contracts import contracts_in_force
from vakit.services.discounts import Discount, apply_discount
from vakit.services.documents import get_by_id, get_document
from vakit.services.draft_lines import totals
from vakit.services.draft_rows import (
    billed,
    carried_lots,
    earlier_time,
    line_groups,
    month_usage,
    per_day,
    refuse_if_carried_on,
    split_at,
    unbilled_rows,
    window_of,
)
from vakit.services.expenses import hold, release, waiting_lines
from vakit.services.gst import place_of_supply
from vakit.services.invoice_math import contract_lines, included_seconds, late_line
from vakit.services.late_time import billing_invoice
from vakit.services.rounding_units import Rounder
from vakit.services.tax_rates import resolve
from vakit.services.vat import REVERSE_CHARGE, needs_sterling, reverse_charged
from vakit.store.invoice_codecs import invoice_document_json


def tax_id_label(country: str) -> str:
    """How a client's tax id is labelled on an invoice: GSTIN (India), VAT ID (EU), VAT reg. no. (UK), else Tax ID."""
    code = country.strip().upper()
    if code in ("IN", "INDIA"):
        return "GSTIN"
    if code in EU:
        return "VAT ID"
    if code in ("GB", "UK"):
        return "VAT reg. no."
    return "Tax ID"


def _parties(profile: Profile, client: Client) -> tuple[Party, Party]:
    supplier = Party(profile.business_name, profile.address, profile.email, profile.country, profile.tax_ids)
    label = tax_id_label(client.country)
    customer = Party(client.name, client.address, client.email, client.country,
                     (TaxId(label, client.tax_id),) if client.tax_id else ())
    return supplier, customer


@writes
def create_drafts(ctx: Context, client_ref: str, month: str, *, dry_run: bool = False, include_earlier: bool = False,
                  supplementary: bool = False, discount: Discount | None = None, detail: str | None = None,
                  fx: tuple[Decimal, date | None] | None = None) -> list[Invoice]:
    """Make one draft per contract of the client in force during ``month`` (``YYYY-MM``).

    Each draft covers the days of the month on which its contract was in force, as calendar dates in the
    contract's billing zone, and the unbilled billable entries within them; entries crossing those edges are
    split there. A retainer bills its fee (prorated by days in force) and any overage.

    ``include_earlier`` adds the contract's unbilled time from before the month (late entries, parts, released
    time) as a line of its own with its dates. ``supplementary`` bills, for a month already invoiced, the time
    that missed that invoice, as an invoice referring to it. With ``dry_run`` the drafts are computed and
    returned (id 0) but nothing is stored. ``discount`` is taken from each draft's subtotal before tax
    (:func:`vakit.services.discounts.apply_discount`); an amount goes on one draft only. ``fx`` is the
    exchange rate (GBP per unit of the invoice's currency) and its date (None: the period's last day) that a UK
    VAT-registered VA's invoice in another currency needs to show its VAT in sterling (:func:`with_fx`).

    Raises InvalidValue (a discount above a subtotal; an amount discount while two contracts make two drafts),
    NotFound (client, no contract in force, nothing to bill), Conflict (the contract already has an
    invoice for those days; a timer still runs across the period's end).
    """
    profile = ctx.profile()
    client = find_client(ctx, client_ref)
    whole = month_period(month, profile.home_tz)
    contracts = contracts_in_force(ctx, client, whole.first, whole.last)
    if not contracts:
        later = ctx.ledger.conn.execute("SELECT id, start_date FROM contracts WHERE client_id = ? AND start_date > ?"
                                        " ORDER BY start_date LIMIT 1", (client.id, whole.last.isoformat())).fetchone()
        hint = (f"contract #{later[0]} starts {later[1]}; to bill {whole.label()} on it, move its start: vakit "
                f"contract edit {later[0]} --from {whole.first}" if later else
                f"add one: vakit contract add --client {quote(client.name)} --from {whole.first} ...")
        raise NotFound(f"{client.name} has no contract in force in {whole.label()}", hint)
    for k in contracts if detail is not None else ():
        check_line_detail(detail, k.kind)
    if discount is not None and discount.amount is not None and len(contracts) > 1:
        raise InvalidValue(f"{client.name} has {len(contracts)} contracts in force in {whole.label()}, so this "
                           "makes one draft for each; an amount discount belongs on one of them",
                           "make the drafts, then: vakit invoice edit '#ID' --discount AMOUNT")
    made: list[Invoice] = []
    taken: set[int] = set()
    try:
        with ctx.ledger.write() as conn:
            for contract in contracts:
                period = window_of(month_period(month, contract.billing_tz), contract)
                invoice = _draft_for(ctx, conn, profile, client, contract, period, dry_run=dry_run,
                                     include_earlier=include_earlier, supplementary=supplementary,
                                     discount=discount, detail=detail, fx=fx, taken=taken)
                if invoice is not None:
                    made.append(invoice)
            if not made:
                raise NotFound(f"no unbilled billable time for {client.name} in {whole.label()}",
                               "'vakit invoice unbilled' lists what is not billed yet")
            if dry_run:
                raise _Rollback(made)
    except _Rollback as rb:
        return rb.invoices
    return [get_by_id(ctx, inv.id) for inv in made]


@writes
def create_drafts_for_all(ctx: Context, month: str, *, dry_run: bool = False, include_earlier: bool = False
                          ) -> tuple[list[Invoice], list[str]]:
    """Month end for every client: :func:`create_drafts` for each, in one transaction, skipping clients
    with nothing to bill or already invoiced. Returns the drafts and one line per skipped client."""
    made: list[Invoice] = []
    skipped: list[str] = []
    from vakit.services.client_lookup import list_clients

    try:
        with ctx.ledger.write():
            for client in list_clients(ctx):
                try:
                    made += create_drafts(ctx, f"#{client.id}", month, dry_run=dry_run,
                                          include_earlier=include_earlier)
                except _Rollback as rb:  # pragma: no cover - dry runs roll back below, once
                    made += rb.invoices
                except (NotFound, Conflict, InvalidValue) as exc:
                    skipped.append(f"{client.name}: {exc.message}")
            if dry_run:
                raise _Rollback(made)
    except _Rollback as rb:
        return rb.invoices, skipped
    return made, skipped


def _refuse_running(ctx: Context, conn, client: Client, period: Period) -> None:
    """A period is billed only when its time is complete: a timer of the client that started before the
    period's end is still counting time into it (its earlier part would miss the invoice)."""
    row = conn.execute("SELECT id, start_utc FROM time_entries WHERE client_id = ? AND end_utc IS NULL AND"
                       " start_utc < ?", (client.id, period.end_utc)).fetchone()
    if row is not None:
        since = fmt_local(row["start_utc"], period.tz)
        raise Conflict(f"a timer for {client.name} has run since {since} (entry #{row['id']}), into the period "
                       f"{period.label()} being billed", "stop it first: vakit log stop; then make the invoice")


def _prior(conn, contract: Contract, period: Period):
    return conn.execute(
        f"SELECT id, status, number FROM invoices WHERE contract_id = ? AND refers_to IS NULL AND"
        f" {billing_invoice()} AND period_start <= ? AND period_end >= ? ORDER BY id",
        (contract.id, period.last.isoformat(), period.first.isoformat())).fetchone()


def _draft_for(ctx: Context, conn, profile: Profile, client: Client, contract: Contract, period: Period, *,
               dry_run: bool, include_earlier: bool, supplementary: bool, discount: Discount | None = None,
               detail: str | None = None, fx: tuple[Decimal, date | None] | None = None, taken: set[int]
               ) -> Invoice | None:
    """Split entries at the period's edges, then store (or, dry, just compute) one contract's draft, with the
    client's expenses waiting in its currency up to the period's last day (:mod:`vakit.services.expenses`) that
    no earlier draft of this run (``taken``, expense ids, updated) took.

    The contract's dated taxes take the rates in force on the period's last day (:mod:`vakit.services.tax_rates`),
    and a reverse-charged supply carries its legend (:mod:`vakit.services.vat`)."""
    lo, hi = period.start_utc, period.end_utc
    contract = _as_billed(conn, profile, client, contract, period)
    _refuse_running(ctx, conn, client, period)
    prior = _prior(conn, contract, period)
    label = _label(period)
    if prior is not None and not supplementary:
        what = f"invoice {prior['number']}" if prior["status"] == "issued" else f"draft #{prior['id']}"
        raise Conflict(f"{client.name} already has {what} for {period.label()}",
                       "time it does not hold is listed by 'vakit invoice unbilled'; bill it with --supplementary "
                       "or next month with --include-earlier")
    if supplementary and (prior is None or prior["status"] != "issued"):
        what = "no issued invoice" if prior is None else f"only draft #{prior['id']}"
        raise NotFound(f"{client.name} has {what} for {period.label()} to supplement",
                       "a supplementary invoice bills time that missed an issued invoice")
    split_at(conn, lo, client.id)
    split_at(conn, hi, client.id)
    rows = unbilled_rows(conn, client.id, lo, hi)
    rd = Rounder(conn, detail)
    earlier, usage, span = earlier_time(conn, client, contract, lo, rd) if include_earlier else ([], [], "")
    refers: dict = {}
    rolled = None
    expenses = [] if supplementary else [li for li in waiting_lines(conn, client.id, contract.currency, period.last,
                                                                     client.locale, bool(contract.taxes))
                                         if li.expense_id not in taken]
    taken.update(li.expense_id for li in expenses)
    if supplementary:
        if not rows:
            return None
        number = prior["number"]
        extra = late_line(contract, f"Additional time, {label} (supplementary to {number})",
                          [month_usage(conn, client, contract, period, rows, rd)])
        lines = [] if extra is None else [extra]
        original = get_by_id(ctx, prior["id"])
        refers = {"refers_to": original.id, "refers_number": number, "refers_date": original.issue_date}
    else:
        if not rows and not earlier and not expenses and contract.kind in ("hourly", "daily"):
            return None
        worked = sum(billed(r, contract, rd) for r in rows)
        days, month_days = (period.last - period.first).days + 1, month_end(period.first).day
        if contract.kind == "retainer" and contract.rollover_cap_seconds is not None:
            ends = contract.end_date is not None and contract.end_date <= period.last  # nothing carries on
            rolled = roll(carried_lots(ctx, conn, client, contract, period), period.first,
                          included_seconds(contract, days, month_days), worked,
                          0 if ends else contract.rollover_cap_seconds, contract.rollover_months or 1)
        lines = contract_lines(contract, worked, label, days=days, month_days=month_days,
                               per_day=per_day(rows, contract, rd), window=(period.first, period.last),
                               groups=line_groups(rows, contract, rd, detail or contract.line_detail),
                               rollover=rolled)
    if earlier:
        extra = late_line(contract, f"Earlier time, {span}", usage)
        lines += [] if extra is None else [extra]
    lines += expenses
    if not lines and (contract.kind == "fixed" or not rows):
        return None  # (an hourly month whose time rounds to nothing still takes its entries: 0:00 billed)
    invoice = replace(_compute(profile, client, contract, period, [*earlier, *rows], lines, rd), rollover=rolled,
                      **refers)
    if discount is not None:
        invoice = apply_discount(invoice, discount)
    invoice = with_fx(invoice, profile, fx)
    if dry_run:
        return invoice
    cur = conn.execute(
        "INSERT INTO invoices (status, client_id, contract_id, currency, period_start, period_end,"
        " subtotal_minor, tax_minor, total_minor, document, created_utc, refers_to) VALUES ('draft', ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?)",
        (client.id, contract.id, contract.currency, period.first.isoformat(), period.last.isoformat(),
         invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor, invoice_document_json(invoice),
         ctx.clock.now_utc(), invoice.refers_to))
    conn.executemany("UPDATE time_entries SET invoice_id = ? WHERE id = ?",
                     [(cur.lastrowid, r["id"]) for r in [*earlier, *rows]])
    hold(conn, cur.lastrowid, invoice.lines)
    return replace(invoice, id=cur.lastrowid)


def _as_billed(conn, profile: Profile, client: Client, contract: Contract, period: Period) -> Contract:
    """``contract`` with the taxes and legends its invoice for ``period`` carries: each dated tax at its rate on
    the period's last day, the reasons of zero-rated and exempt rates, and the reverse-charge legend where the
    customer accounts for the VAT. Raises NotFound (a dated tax without a rate that day)."""
    taxes, legends = resolve(conn, contract.taxes, period.last)
    charged = any(t.percent for t in taxes)  # a VAT kept with --force is charged, and then no legend says otherwise
    if reverse_charged(profile.tax_ids, client.country, client.tax_id) and not charged and \
            REVERSE_CHARGE not in contract.legends:
        legends += (REVERSE_CHARGE,)
    return replace(contract, taxes=taxes, legends=contract.legends + legends)


class _Rollback(Exception):
    """Raised inside the write transaction to roll a dry run back, carrying what it computed."""

    def __init__(self, invoices: list[Invoice]) -> None:
        super().__init__("dry run")
        self.invoices = invoices


def _label(period: Period) -> str:
    if period.label() == f"{period.first:%Y-%m}":
        return f"{period.first:%B %Y}"
    return f"{period.first:%d %b} – {period.last:%d %b %Y}"


def _compute(profile: Profile, client: Client, contract: Contract, period: Period, rows, lines, rd: Rounder
             ) -> Invoice:
    tz = contract.billing_tz
    sheet = []
    for r in rows:
        s, e = (datetime.fromtimestamp(t, zone(tz)) for t in (r["start_utc"], r["end_utc"]))
        sheet.append(TimesheetRow(s.date(), f"{s:%H:%M}", f"{e:%H:%M}", r["description"], r["end_utc"] - r["start_utc"],
                                  billed(r, contract, rd)))
    if contract.sac:
        lines = [replace(li, description=f"{li.description} · SAC {contract.sac}") if li.expense_id is None else li
                 for li in lines]
    gst = gstin(profile.tax_ids) is not None
    pos = place_of_supply(client.country, client.tax_id, country_name(client.country)) if gst else ""
    supplier, customer = _parties(profile, client)
    return totals(Invoice(
        id=0, status="draft", number=None, client_id=client.id, contract_id=contract.id, currency=contract.currency,
        locale=client.locale, billing_tz=tz, period_start=period.first, period_end=period.last, issue_date=None,
        due_date=None, terms_days=contract.terms_days, supplier=supplier, customer=customer, lines=tuple(lines),
        taxes=tuple(TaxLine(t.name, t.percent, 0, 0) for t in contract.taxes), subtotal_minor=0, total_minor=0,
        legends=contract.legends, timesheet=tuple(sheet), payment_details=profile.payment_details,
        place_of_supply=pos, in_words=contract.currency in WORDS_FOR, renderer=RENDERER, einvoice=client.einvoice,
        tax_inclusive=contract.tax_inclusive))


@writes
def delete_draft(ctx: Context, ref: str) -> Invoice:
    """Delete a draft and release its entries; it never had a number. Raises Locked for an issued invoice."""
    inv = get_document(ctx, ref)
    if inv.status != "draft":
        raise Locked(f"invoice {inv.number} is issued and cannot be deleted", "an issued invoice is final")
    with ctx.ledger.write() as conn:
        refuse_if_carried_on(conn, inv, "deleted")
        conn.execute("UPDATE time_entries SET invoice_id = NULL WHERE invoice_id = ?", (inv.id,))
        release(conn, inv.id)
        conn.execute("DELETE FROM invoices WHERE id = ?", (inv.id,))
    return inv


def with_fx(inv: Invoice, profile: Profile, fx: tuple[Decimal, date | None] | None) -> Invoice:
    """``inv`` with the exchange rate ``fx`` (GBP per unit of its currency, and the rate's date; None: the
    period's last day) its VAT is shown in sterling at, which a UK VAT-registered VA's invoice in another
    currency must show (HMRC VAT Notice 700, 16.3; :func:`vakit.services.vat.needs_sterling`). Without ``fx``
    the invoice keeps the rate it has. Raises InvalidValue: the rate is needed and missing, given where it is
    not needed, or not above zero."""
    need = needs_sterling(profile.tax_ids, inv.currency, inv.tax_minor)
    if fx is None:
        if need and inv.fx_rate is None:
            raise InvalidValue(f"an invoice in {inv.currency} from a UK VAT-registered business shows its VAT in "
                               "sterling too (HMRC VAT Notice 700, 16.3)",
                               f"give the rate: --fx-rate GBP_PER_{inv.currency} [--fx-date YYYY-MM-DD]")
        return inv if need else replace(inv, fx_rate=None, fx_date=None)
    rate, on = fx
    if not need:
        raise InvalidValue("--fx-rate shows the VAT in sterling on a UK VAT-registered business's invoice in another "
                           f"currency; this invoice ({inv.currency}, VAT {inv.tax_minor and 'charged' or 'none'}) "
                           "needs none")
    if rate <= 0:
        raise InvalidValue(f"an exchange rate must be above zero (got {rate})")
    return replace(inv, fx_rate=rate, fx_date=on or inv.period_end)


KEEP = object()  #: edit_draft's default: the draft's discount stays as it is


@writes
def edit_draft(ctx: Context, ref: str, *, note: str | None = None, discount: Discount | None | object = KEEP,
               fx: tuple[Decimal, date | None] | None = None) -> Invoice:
    """Change a draft: the free note printed on it (e.g. a PO number), and its invoice discount (None: remove
    it), the taxes and total following; its exchange rate for the VAT in sterling (:func:`with_fx`). Raises
    Locked for an issued invoice, InvalidValue (nothing to change, a discount above the subtotal, the rate)."""
    inv = get_document(ctx, ref)
    if inv.status != "draft":
        raise Locked(f"invoice {inv.number} is issued and cannot be edited", "an issued invoice is final")
    if note is None and discount is KEEP and fx is None:
        raise InvalidValue("nothing to change", "give --note, --discount or --fx-rate")
    updated = inv if note is None else replace(inv, note=clean_text(note, "note"))
    if discount is not KEEP:
        updated = apply_discount(updated, discount)  # type: ignore[arg-type]
    updated = with_fx(updated, ctx.profile(), fx)
    with ctx.ledger.write() as conn:
        conn.execute("UPDATE invoices SET document = ?, tax_minor = ?, total_minor = ? WHERE id = ? AND"
                     " status = 'draft'", (invoice_document_json(updated), updated.tax_minor, updated.total_minor,
                                           inv.id))
    return get_by_id(ctx, inv.id)
