"""Invoices: drafts from a month's unbilled billable time, issuing with gap-free numbers, PDFs.

- A draft covers one client's contract in force and one calendar month *in the contract's
  billing zone*; an entry crossing the period boundary is split at it (design.md §5).
- Drafts have no number. ``issue`` allocates the next number of the profile's pattern
  inside one ``BEGIN IMMEDIATE`` transaction from a per-series counter; ``UNIQUE(number)``
  and ``UNIQUE(series, seq)`` back it up. An issued invoice is frozen (triggers refuse
  UPDATE/DELETE) and locks its entries.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from vakit.core.clock import zone
from vakit.core.errors import Conflict, InvalidValue, Locked, NotFound
from vakit.core.models import Client, Contract, Invoice, Party, Profile, TaxId, TimesheetRow
from vakit.core.money import MAX_AMOUNT, from_minor
from vakit.core.periods import Period, month_end, month_period
from vakit.core.rounding import round_seconds
from vakit.core.text import clean_text
from vakit.core.timeparse import parse_date
from vakit.core.validate import country_name
from vakit.services.context import Context, writes
from vakit.services.gst import place_of_supply
from vakit.services.invoice_math import contract_lines, taxes_for
from vakit.services.ledger import contracts_in_force, find_client
from vakit.services.numbering import format_number, series_key
from vakit.store.codecs import invoice_document_json, invoice_from_row

#: EU member states (ISO 3166), whose VAT identification numbers an invoice labels "VAT ID" (Directive
#: 2006/112/EC, Art. 226(4))
EU = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())


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
    supplier = Party(profile.business_name, profile.address, profile.email, "", profile.tax_ids)
    label = tax_id_label(client.country)
    customer = Party(client.name, client.address, client.email, client.country,
                     (TaxId(label, client.tax_id),) if client.tax_id else ())
    return supplier, customer


def _split_at(conn, bound: int, client_id: int) -> None:
    """Split each of the client's unbilled finished entries that crosses instant ``bound`` into two rows.

    Both parts remember where the whole entry began (``origin_start_utc``), so that the contract's
    per-entry rounding applies to the whole entry once, not to each part (see :func:`billed_seconds`).
    """
    rows = conn.execute("SELECT * FROM time_entries WHERE client_id = ? AND invoice_id IS NULL AND start_utc < ?"
                        " AND end_utc > ?", (client_id, bound, bound)).fetchall()
    for r in rows:
        origin = r["origin_start_utc"] if r["origin_start_utc"] is not None else r["start_utc"]
        conn.execute("UPDATE time_entries SET end_utc = ?, origin_start_utc = ? WHERE id = ?",
                     (bound, origin, r["id"]))
        key = None if r["source_key"] is None else f"{r['source_key']}#{bound}"
        conn.execute(
            "INSERT INTO time_entries (client_id, start_utc, end_utc, tz, description, project, tags, billable,"
            " source, source_key, origin_start_utc, created_utc, overlap_ok, long_ok)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (r["client_id"], bound, r["end_utc"], r["tz"], r["description"], r["project"], r["tags"], r["billable"],
             r["source"], key, origin, r["created_utc"], r["overlap_ok"], r["long_ok"]))


@writes
def create_drafts(ctx: Context, client_ref: str, month: str, *, dry_run: bool = False) -> list[Invoice]:
    """Make one draft per contract of the client in force during ``month`` (``YYYY-MM``).

    Each draft covers the days of the month on which its contract was in force, as calendar
    dates in the contract's billing zone, and the unbilled billable entries within them;
    entries crossing those edges are split there. A retainer bills its fee for any month it
    is in force (no proration yet). Raises NotFound (client, no contract in force, nothing
    to bill), Conflict (the contract already has an invoice for those days). With
    ``dry_run`` the drafts are computed and returned (id 0) but nothing is stored.
    """
    profile = ctx.profile()
    client = find_client(ctx, client_ref)
    whole = month_period(month, profile.home_tz)
    contracts = contracts_in_force(ctx, client, whole.first, whole.last)
    if not contracts:
        raise NotFound(f"{client.name} has no contract in force in {whole.label()}",
                       f"add one: vakit contract add --client {client.name!r} --from {whole.first} ...")
    made: list[Invoice] = []
    try:
        with ctx.ledger.write() as conn:
            for contract in contracts:
                period = _window(month_period(month, contract.billing_tz), contract)
                prior = conn.execute(
                    "SELECT id, status, number FROM invoices WHERE contract_id = ? AND period_start <= ? AND"
                    " period_end >= ?", (contract.id, period.last.isoformat(), period.first.isoformat())).fetchone()
                if prior is not None:
                    what = f"invoice {prior['number']}" if prior["status"] == "issued" else f"draft #{prior['id']}"
                    raise Conflict(f"{client.name} already has {what} for {period.label()}")
                invoice = _draft_for(ctx, conn, profile, client, contract, period, dry_run)
                if invoice is not None:
                    made.append(invoice)
            if not made:
                raise NotFound(f"no unbilled billable time for {client.name} in {whole.label()}")
            if dry_run:
                raise _Rollback(made)
    except _Rollback as rb:
        return rb.invoices
    return [get_invoice(ctx, str(inv.id)) for inv in made]


@writes
def create_drafts_for_all(ctx: Context, month: str, *, dry_run: bool = False) -> tuple[list[Invoice], list[str]]:
    """Month end for every client: :func:`create_drafts` for each, in one transaction, skipping clients
    with nothing to bill or already invoiced. Returns the drafts and one line per skipped client."""
    made: list[Invoice] = []
    skipped: list[str] = []
    from vakit.services.ledger import list_clients

    try:
        with ctx.ledger.write():
            for client in list_clients(ctx):
                try:
                    made += create_drafts(ctx, f"#{client.id}", month, dry_run=dry_run)
                except _Rollback as rb:  # pragma: no cover - dry runs roll back below, once
                    made += rb.invoices
                except (NotFound, Conflict) as exc:
                    skipped.append(f"{client.name}: {exc.message}")
            if dry_run:
                raise _Rollback(made)
    except _Rollback as rb:
        return rb.invoices, skipped
    return made, skipped


def _window(month: Period, contract: Contract) -> Period:
    """The days of ``month`` on which ``contract`` is in force."""
    first = max(month.first, contract.start_date)
    last = month.last if contract.end_date is None else min(month.last, contract.end_date)
    return Period(first, last, month.tz)


def _draft_for(ctx: Context, conn, profile: Profile, client: Client, contract: Contract, period: Period,
               dry_run: bool) -> Invoice | None:
    """Split entries at the period's edges, then store (or, dry, just compute) one contract's draft."""
    lo, hi = period.start_utc, period.end_utc
    _split_at(conn, lo, client.id)
    _split_at(conn, hi, client.id)
    rows = conn.execute(
        "SELECT * FROM time_entries WHERE client_id = ? AND billable = 1 AND invoice_id IS NULL AND"
        " end_utc IS NOT NULL AND start_utc >= ? AND end_utc <= ? ORDER BY start_utc, id",
        (client.id, lo, hi)).fetchall()
    if not rows and contract.kind == "hourly":
        return None
    invoice = _compute(profile, client, contract, period, rows)
    if dry_run:
        return invoice
    cur = conn.execute(
        "INSERT INTO invoices (status, client_id, contract_id, currency, period_start, period_end,"
        " subtotal_minor, tax_minor, total_minor, document, created_utc) VALUES ('draft', ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?)",
        (client.id, contract.id, contract.currency, period.first.isoformat(), period.last.isoformat(),
         invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor, invoice_document_json(invoice),
         ctx.clock.now_utc()))
    conn.executemany("UPDATE time_entries SET invoice_id = ? WHERE id = ?", [(cur.lastrowid, r["id"]) for r in rows])
    return replace(invoice, id=cur.lastrowid)


class _Rollback(Exception):
    """Raised inside the write transaction to roll a dry run back, carrying what it computed."""

    def __init__(self, invoices: list[Invoice]) -> None:
        super().__init__("dry run")
        self.invoices = invoices


def billed_seconds(start: int, end: int, origin: int | None, rounding) -> int:
    """Billed seconds of the part ``[start, end)`` of an entry that began at ``origin`` (None: not split).

    Per-entry rounding applies to the whole entry: a part bills round(time up to its end) − round(time
    up to its start), so the parts of a split entry add up to the rounded whole (a 20-minute entry
    rounded up to 15 minutes bills 0:15 in all, not 0:15 in each month).
    """
    before = 0 if origin is None else start - origin
    return round_seconds(before + end - start, rounding) - round_seconds(before, rounding)


def _compute(profile: Profile, client: Client, contract: Contract, period: Period, rows) -> Invoice:
    tz = contract.billing_tz
    sheet = []
    billed = 0
    for r in rows:
        secs = r["end_utc"] - r["start_utc"]
        rounded = billed_seconds(r["start_utc"], r["end_utc"], r["origin_start_utc"], contract.rounding)
        billed += rounded
        s, e = (datetime.fromtimestamp(t, zone(tz)) for t in (r["start_utc"], r["end_utc"]))
        sheet.append(TimesheetRow(s.date(), f"{s:%H:%M}", f"{e:%H:%M}", r["description"], secs, rounded))
    label = f"{period.first:%B %Y}" if period.label() == f"{period.first:%Y-%m}" else \
        f"{period.first:%d %b} – {period.last:%d %b %Y}"
    month_days = month_end(period.first).day
    lines = contract_lines(contract, billed, label, days=(period.last - period.first).days + 1, month_days=month_days)
    if contract.sac:
        lines = [replace(li, description=f"{li.description} · SAC {contract.sac}") for li in lines]
    gst = any(t.label.upper() == "GSTIN" for t in profile.tax_ids)
    pos = place_of_supply(client.country, client.tax_id, country_name(client.country)) if gst else ""
    subtotal = sum(li.amount_minor for li in lines)
    taxes = taxes_for(contract, subtotal)
    total = subtotal + sum(t.amount_minor for t in taxes)
    if abs(from_minor(total, contract.currency)) >= MAX_AMOUNT:
        raise InvalidValue(f"the invoice for {client.name} would total more than {MAX_AMOUNT:,} {contract.currency}",
                           "check the contract's rate and the month's entries")
    supplier, customer = _parties(profile, client)
    return Invoice(
        id=0, status="draft", number=None, client_id=client.id, contract_id=contract.id, currency=contract.currency,
        locale=client.locale, billing_tz=tz, period_start=period.first, period_end=period.last, issue_date=None,
        due_date=None, terms_days=contract.terms_days, supplier=supplier, customer=customer, lines=tuple(lines),
        taxes=tuple(taxes), subtotal_minor=subtotal, total_minor=subtotal + sum(t.amount_minor for t in taxes),
        legends=contract.legends, timesheet=tuple(sheet), payment_details=profile.payment_details,
        place_of_supply=pos)


def get_invoice(ctx: Context, ref: str, *, draft: bool = False) -> Invoice:
    """An invoice by number (``INV/2026-27/001``) or id (``7``; ``#7`` is always an id).

    With ``draft`` (commands that act on drafts) a bare number is tried as a draft id first,
    so a pattern such as ``{seq}`` never hides draft #1 behind invoice number ``1``.
    Raises NotFound.
    """
    conn = ctx.ledger.conn
    by_id = "SELECT * FROM invoices WHERE id = ?"
    row = None
    if ref.startswith("#") or draft:
        if re.fullmatch(r"#?[0-9]{1,18}", ref):
            row = conn.execute(by_id + (" AND status = 'draft'" if draft and not ref.startswith("#") else ""),
                               (int(ref.lstrip("#")),)).fetchone()
    if row is None and not ref.startswith("#"):
        row = conn.execute("SELECT * FROM invoices WHERE number = ?", (ref,)).fetchone()
    if row is None and re.fullmatch(r"[0-9]{1,18}", ref):
        row = conn.execute(by_id, (int(ref),)).fetchone()
    if row is None:
        raise NotFound(f"no invoice {ref!r}", "see 'vakit invoice list'")
    return invoice_from_row(row)


def list_invoices(ctx: Context, client_ref: str | None = None, status: str | None = None) -> list[Invoice]:
    """Invoices in the order they were made, optionally of one client and/or status (draft, issued)."""
    sql, args = "SELECT * FROM invoices WHERE 1 = 1", []
    if client_ref:
        sql += " AND client_id = ?"
        args.append(find_client(ctx, client_ref).id)
    if status:
        if status not in ("draft", "issued"):
            raise InvalidValue(f"unknown invoice status {status!r}", "use draft or issued")
        sql += " AND status = ?"
        args.append(status)
    return [invoice_from_row(r) for r in ctx.ledger.conn.execute(sql + " ORDER BY id", args)]


@writes
def delete_draft(ctx: Context, ref: str) -> Invoice:
    """Delete a draft and release its entries; it never had a number. Raises Locked for an issued invoice."""
    inv = get_invoice(ctx, ref, draft=True)
    if inv.status != "draft":
        raise Locked(f"invoice {inv.number} is issued and cannot be deleted", "an issued invoice is final")
    with ctx.ledger.write() as conn:
        conn.execute("UPDATE time_entries SET invoice_id = NULL WHERE invoice_id = ?", (inv.id,))
        conn.execute("DELETE FROM invoices WHERE id = ?", (inv.id,))
    return inv


@writes
def edit_note(ctx: Context, ref: str, note: str) -> Invoice:
    """Set the free note printed on a draft (e.g. a PO number). Raises Locked for an issued invoice."""
    inv = get_invoice(ctx, ref, draft=True)
    if inv.status != "draft":
        raise Locked(f"invoice {inv.number} is issued and cannot be edited", "an issued invoice is final")
    updated = replace(inv, note=clean_text(note, "note"))
    with ctx.ledger.write() as conn:
        conn.execute("UPDATE invoices SET document = ? WHERE id = ?", (invoice_document_json(updated), inv.id))
    return get_invoice(ctx, str(inv.id))


def issue(ctx: Context, ref: str, *, on: str | None = None) -> Invoice:
    """Issue a draft; see :func:`issue_with_pdf`, which also returns the PDF bytes made at issue."""
    return issue_with_pdf(ctx, ref, on=on)[0]


@dataclass(frozen=True)
class _IssuePlan:
    invoice: Invoice  # as it will be stored: status issued, number, dates
    series: str
    seq: int


def _plan_issue(ctx: Context, ref: str, on: str | None) -> _IssuePlan:
    """What issuing draft ``ref`` now would store: the next number of its series and the dates.
    Raises NotFound, Locked (already issued), InvalidValue (dates, GST number rule)."""
    inv = get_invoice(ctx, ref, draft=True)
    if inv.status != "draft":
        raise Locked(f"invoice {inv.number} is already issued")
    profile = ctx.profile()
    today = ctx.clock.now().astimezone(zone(inv.billing_tz)).date()
    issue_date = parse_date(on, today=today, direction="past") if on else today
    if issue_date > today:
        raise InvalidValue(f"issue date {issue_date} is in the future (today is {today} in {inv.billing_tz})")
    if issue_date < inv.period_start:
        raise InvalidValue(f"issue date {issue_date} is before the billing period starts ({inv.period_start})")
    series = series_key(profile.number_pattern, issue_date)
    conn = ctx.ledger.conn
    latest = conn.execute("SELECT max(issue_date) FROM invoices WHERE series = ?", (series,)).fetchone()[0]
    if latest and issue_date.isoformat() < latest:
        raise InvalidValue(f"issue date {issue_date} is before the latest invoice of the series ({latest})",
                           "numbers must follow the dates")
    row = conn.execute("SELECT last_seq FROM invoice_counters WHERE series = ?", (series,)).fetchone()
    seq = (row[0] if row else 0) + 1
    gst = any(t.label.upper() == "GSTIN" for t in profile.tax_ids)
    number = format_number(profile.number_pattern, issue_date, seq, gst=gst)
    due = issue_date + timedelta(days=inv.terms_days)
    return _IssuePlan(replace(inv, status="issued", number=number, issue_date=issue_date, due_date=due), series, seq)


def issue_with_pdf(ctx: Context, ref: str, *, on: str | None = None) -> tuple[Invoice, bytes]:
    """Issue a draft: allocate the next number, set issue and due dates, freeze it and seal it.

    ``on`` is the issue date (default: today in the billing zone); it may not be before
    the period starts nor before the latest issue date in the same series. The PDF is
    rendered outside the write lock: first from what issuing would store, then the
    number is allocated in one ``BEGIN IMMEDIATE`` that re-checks everything; if another
    command issued in between, the PDF is rendered again after the commit. Its SHA-256
    and the seal of the stored figures (:func:`vakit.store.seals.invoice_seal`) are kept.
    Returns the issued invoice and its PDF bytes. Raises NotFound, Locked (already
    issued), InvalidValue (bad date or number, characters no font can draw).
    """
    from vakit.exporters.pdf import render_invoice_pdf
    from vakit.store.seals import invoice_seal

    planned = _plan_issue(ctx, ref, on)
    pdf = render_invoice_pdf(planned.invoice)  # slow: outside the lock; refuses unprintable text
    with ctx.ledger.write() as conn:
        plan = _plan_issue(ctx, ref, on)  # again, under the lock: the state the write is based on
        frozen = plan.invoice
        conn.execute("INSERT INTO invoice_counters (series, last_seq) VALUES (?, ?) ON CONFLICT(series) DO UPDATE"
                     " SET last_seq = excluded.last_seq", (plan.series, plan.seq))
        same = frozen == planned.invoice
        done = conn.execute(
            "UPDATE invoices SET status = 'issued', number = ?, series = ?, seq = ?, issue_date = ?, due_date = ?,"
            " document = ?, pdf_sha256 = ?, issued_utc = ? WHERE id = ? AND status = 'draft'",
            (frozen.number, plan.series, plan.seq, frozen.issue_date.isoformat(), frozen.due_date.isoformat(),
             invoice_document_json(frozen), hashlib.sha256(pdf).hexdigest() if same else None,
             ctx.clock.now_utc(), frozen.id))
        if done.rowcount != 1:  # pragma: no cover - the plan above found it a draft under the same lock
            raise Conflict(f"draft #{frozen.id} changed while it was being issued", "try again")
        conn.execute("UPDATE invoices SET content_sha256 = ? WHERE id = ?", (invoice_seal(conn, frozen.id), frozen.id))
    if not same:
        pdf = render_invoice_pdf(frozen)
        with ctx.ledger.write() as conn:
            conn.execute("UPDATE invoices SET pdf_sha256 = ? WHERE id = ? AND pdf_sha256 IS NULL",
                         (hashlib.sha256(pdf).hexdigest(), frozen.id))
    return get_invoice(ctx, f"#{frozen.id}"), pdf


def verify_seal(ctx: Context, inv: Invoice) -> None:
    """Refuse an issued invoice whose stored figures, document or billed entries no longer match the seal
    made at issue (altered behind vakit's back). Raises LedgerUnusable naming it."""
    from vakit.core.errors import LedgerUnusable
    from vakit.store.seals import invoice_seal

    if inv.status == "draft":
        return
    row = ctx.ledger.conn.execute("SELECT content_sha256 FROM invoices WHERE id = ?", (inv.id,)).fetchone()
    if row is None or row[0] is None or row[0] != invoice_seal(ctx.ledger.conn, inv.id):
        raise LedgerUnusable(f"invoice {inv.number} was altered after it was issued: its stored figures no longer "
                             "match their seal", "'vakit db check' lists every altered invoice; restore a backup")


def pdf_filename(inv: Invoice) -> str:
    """The PDF's file name, distinct for distinct numbers: ``/`` becomes ``_``; letters, digits, ``-`` and
    ``.`` stay; anything else (``_`` and ``%`` included) is percent-encoded, so ``INV/2026/0001`` →
    ``INV_2026_0001.pdf`` and ``INV-2026-0001`` → ``INV-2026-0001.pdf`` never share a file. A draft is
    ``draft#7.pdf`` (``#`` never occurs in a file name made from a number)."""
    if inv.number is None:
        return f"draft#{inv.id}.pdf"
    out = []
    for i, ch in enumerate(inv.number):
        if ch == "/":
            out.append("_")
        elif ch.isascii() and (ch.isalnum() or ch == "-" or (ch == "." and i > 0)):
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out) + ".pdf"


def render_pdf(ctx: Context, ref: str) -> tuple[Invoice, bytes, bool]:
    """The invoice, its PDF bytes, and whether the bytes match the SHA-256 stored at issue
    (always True for a draft). A mismatch means the renderer changed since; the frozen
    document itself never changes: an issued invoice whose seal does not match is refused
    (:func:`verify_seal`)."""
    from vakit.exporters.pdf import render_invoice_pdf

    inv = get_invoice(ctx, ref)
    verify_seal(ctx, inv)
    data = render_invoice_pdf(inv)
    same = not inv.pdf_sha256 or hashlib.sha256(data).hexdigest() == inv.pdf_sha256
    return inv, data, same
