"""Month end in one command: pre-flight checks, drafts for every client, and (``--issue``) issuing them all.

The run issues everything or nothing: drafts are made and numbered inside one ``BEGIN IMMEDIATE``. To keep
the slow PDF rendering outside that lock, the run is first done and rolled back to learn exactly what would
be stored, the PDFs are rendered from that, and the run is then done for real; a document that came out
different (another command wrote in between) is rendered again after the commit.

All documents of one run take today's date in the VA's home zone and consecutive numbers in client-name
order, so dates and numbers stay monotonic whatever the billing zones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from vakit.core.clock import fmt_hm, fmt_local, zone
from vakit.core.errors import Conflict, InvalidValue
from vakit.core.invoices import Invoice
from vakit.core.periods import month_period
from vakit.services.billing import create_drafts_for_all
from vakit.services.context import Context
from vakit.services.documents import get_by_id, pdf_filename
from vakit.services.issuing import plan_number, store_issued_draft
from vakit.services.late_time import unbilled
from vakit.services.numbering import take_number
from vakit.store.invoice_codecs import invoice_from_row


@dataclass
class Preflight:
    """What a month end should know first: ``blockers`` stop the run; ``warnings`` are worth a look."""

    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def preflight(ctx: Context, month: str) -> Preflight:
    """Check the month (``YYYY-MM``) before billing it: running timers that started before its end (blockers);
    unbilled time from earlier months, overlapping entries allowed on purpose, clients without a tax id where
    their contract's taxes or legends need one, entries on days a clock changed for DST (warnings)."""
    conn = ctx.ledger.conn
    home = ctx.profile().home_tz
    whole = month_period(month, home)
    out = Preflight()
    end = whole.end_utc + 14 * 3600  # the latest a month can end in any billing zone (UTC+14)
    for name, start, eid in conn.execute("SELECT c.name, e.start_utc, e.id FROM time_entries e JOIN clients c ON"
                                         " c.id = e.client_id WHERE e.end_utc IS NULL AND e.start_utc < ?", (end,)):
        out.blockers.append(f"a timer for {name} has run since {fmt_local(start, home)} (entry #{eid}); stop it "
                            "first: vakit log stop")
    earlier: dict[str, int] = {}
    for g in unbilled(ctx, before=whole.start_utc - 14 * 3600):
        if g.month.first < whole.first:
            earlier[g.client_name] = earlier.get(g.client_name, 0) + g.seconds
    uncovered: dict[str, int] = {}
    for g in unbilled(ctx, before=whole.end_utc + 14 * 3600):
        if g.contract_id is None and g.month.first <= whole.first:
            uncovered[g.client_name] = uncovered.get(g.client_name, 0) + g.seconds
    for name, secs in uncovered.items():
        out.warnings.append(f"{fmt_hm(secs)} h of {name}'s billable time fall on days no contract covers, so no "
                            "invoice can bill them ('vakit invoice unbilled'; a contract from those days covers them)")
    for name, secs in earlier.items():
        out.warnings.append(f"{name} has {fmt_hm(secs)} h of unbilled time from before {whole.first:%B %Y} "
                            "('vakit invoice unbilled'; --include-earlier bills it)")
    lo, hi = whole.start_utc - 14 * 3600, whole.end_utc + 14 * 3600
    pairs = conn.execute("SELECT count(*) FROM time_entries a JOIN time_entries b ON b.id > a.id AND b.start_utc <"
                         " a.end_utc AND b.end_utc > a.start_utc AND a.client_id = b.client_id WHERE a.start_utc < ?"
                         " AND a.end_utc > ?", (hi, lo)).fetchone()[0]
    if pairs:
        out.warnings.append(f"{pairs} pair{'s' if pairs != 1 else ''} of one client's entries overlap (allowed on "
                            "purpose); both are billed")
    for name, taxes, legends in conn.execute(
            "SELECT c.name, k.taxes, k.legends FROM contracts k JOIN clients c ON c.id = k.client_id WHERE"
            " c.tax_id = '' AND k.start_date <= ? AND (k.end_date IS NULL OR k.end_date >= ?)",
            (whole.last.isoformat(), whole.first.isoformat())):
        if "reverse charge" in legends.lower() or any(x in taxes.upper() for x in ("IGST", "CGST", "SGST")):
            out.warnings.append(f"{name} has no tax id, but its contract's taxes or legends need one (vakit client "
                                f"edit {name!r} --tax-id ...)")
    if not ctx.profile().tax_ids:
        for name, taxes in conn.execute(
                "SELECT c.name, k.taxes FROM contracts k JOIN clients c ON c.id = k.client_id WHERE k.taxes <> '[]'"
                " AND k.start_date <= ? AND (k.end_date IS NULL OR k.end_date >= ?)",
                (whole.last.isoformat(), whole.first.isoformat())):
            out.warnings.append(f"{name}'s contract charges tax, but your profile has no tax id to print on the "
                                "invoice (vakit init --tax-id LABEL=VALUE)")
    dst_days = _dst_days(conn, lo, hi)
    if dst_days:
        out.warnings.append(f"entries on days a clock changed (DST): {', '.join(dst_days)}; check their times")
    return out


def _dst_days(conn, lo: int, hi: int) -> list[str]:
    """Local dates (with zone) of entries in ``[lo, hi)`` on a day whose UTC offset changes in the entry's zone."""
    found = set()
    for start, tz in conn.execute("SELECT start_utc, tz FROM time_entries WHERE start_utc < ? AND end_utc > ?",
                                  (hi, lo)):
        day = datetime.fromtimestamp(start, zone(tz)).date()
        a = datetime.combine(day, datetime.min.time(), zone(tz))
        b = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone(tz))
        if a.utcoffset() != b.utcoffset():
            found.add(f"{day} ({tz})")
    return sorted(found)


@dataclass
class RunResult:
    """What a month-end run made: the drafts (or issued invoices), skipped clients, and the PDFs written."""

    preflight: Preflight
    invoices: list[Invoice]
    skipped: list[str]
    issued: bool
    pdfs: list[Path] = field(default_factory=list)


class _Planned(Exception):
    def __init__(self, docs: list[Invoice], skipped: list[str]) -> None:
        super().__init__("planned")
        self.docs, self.skipped = docs, skipped


def _issue_all(ctx: Context, month: str, include_earlier: bool) -> tuple[list[Invoice], list[str]]:
    """Inside a write transaction: make the month's drafts, then issue them and any earlier drafts of the month,
    ordered by client name, each with the next number and today's date. Returns the documents as stored
    (without PDF hash or seal) and the skipped clients."""
    made, skipped = create_drafts_for_all(ctx, month, include_earlier=include_earlier)
    conn = ctx.ledger.conn
    ids = {inv.id for inv in made}
    ids |= {r[0] for r in conn.execute("SELECT id FROM invoices WHERE status = 'draft' AND substr(period_start, 1, 7)"
                                       " = ?", (month,))}
    if not ids:
        done = [r[0] for r in conn.execute("SELECT number FROM invoices WHERE status = 'issued' AND kind = 'invoice'"
                                           " AND substr(period_start, 1, 7) = ? ORDER BY seq", (month,))]
        hint = (f"already issued for {month}: {', '.join(done)}; 'vakit invoice pdf NUMBER -o DIR' writes a missing "
                "PDF again, byte for byte") if done else ("; ".join(skipped) or None)
        raise InvalidValue(f"nothing to bill for {month}: no client has unbilled billable time or a retainer then",
                           hint)
    drafts = sorted((get_by_id(ctx, i) for i in ids), key=lambda d: (d.customer.name.casefold(), d.id))
    issuing_to = {d.customer.name for d in drafts}  # a client skipped for its waiting draft is not skipped here
    skipped = [s for s in skipped if s.split(": ", 1)[0] not in issuing_to]
    pattern = ctx.profile().number_pattern
    out = []
    for d in drafts:
        p = plan_number(ctx, d, pattern, None, not_before=d.period_start, not_before_what="its billing period starts")
        take_number(conn, p.series, p.seq)
        store_issued_draft(ctx, conn, p, None)
        out.append(p.invoice)
    return out, skipped


def run_month(ctx: Context, month: str, *, issue: bool = False, include_earlier: bool = False,
              out_dir: Path | None = None, force: bool = False) -> RunResult:
    """Month end for every client (``month`` = ``YYYY-MM``): the pre-flight check, then drafts for every client
    with billable time or a retainer. With ``issue``, every draft of the month is issued in one transaction and
    its PDF written into ``out_dir`` (an existing folder; files never replaced unless ``force``).

    Raises Conflict (a blocker, e.g. a running timer; nothing is changed), InvalidValue (nothing to bill, a
    PDF file exists, characters no font can draw — nothing is issued), and what issuing raises.
    """
    from vakit.exporters.pdf import render_invoice_pdf
    from vakit.services.pdf_batch import render_pdfs
    from vakit.store.files import write_file
    from vakit.store.seals import invoice_seal

    pre = preflight(ctx, month)
    if pre.blockers:
        more = f" (and {len(pre.blockers) - 1} more)" if len(pre.blockers) > 1 else ""
        raise Conflict(f"month end for {month} cannot run yet: {pre.blockers[0]}{more}")
    if not issue:
        made, skipped = create_drafts_for_all(ctx, month, include_earlier=include_earlier)
        return RunResult(pre, made, skipped, issued=False)
    folder = out_dir or Path(".")
    if not folder.is_dir():
        raise InvalidValue(f"no such folder: {folder}")
    try:
        with ctx.ledger.write():
            raise _Planned(*_issue_all(ctx, month, include_earlier))
    except _Planned as planned:
        plan = {d.id: d for d in planned.docs}
    for d in plan.values():
        target = folder / pdf_filename(d)
        if (target.exists() or target.is_symlink()) and not force:
            raise InvalidValue(f"{target} exists; nothing was issued", "choose another --out folder or pass --force")
    pdfs = {}
    # slow, outside the lock, in parallel where the platform forks; refuses text no font can draw
    for (i, d), made in zip(plan.items(), render_pdfs(list(plan.values()), ctx.profile().pdf_font)):
        if isinstance(made, InvalidValue):
            raise InvalidValue(f"{d.customer.name}'s invoice cannot be made: {made.message}; nothing was issued",
                               made.hint)
        pdfs[i] = made
    with ctx.ledger.write() as conn:
        final, skipped = _issue_all(ctx, month, include_earlier)
        for d in final:
            if plan.get(d.id) == d:
                conn.execute("UPDATE invoices SET pdf_sha256 = ? WHERE id = ?",
                             (hashlib.sha256(pdfs[d.id]).hexdigest(), d.id))
            conn.execute("UPDATE invoices SET content_sha256 = ? WHERE id = ?", (invoice_seal(conn, d.id), d.id))
    result = RunResult(pre, [], skipped, issued=True)
    for d in final:
        data = pdfs[d.id] if plan.get(d.id) == d else None
        if data is None:
            data = render_invoice_pdf(d, ctx.profile().pdf_font)
            with ctx.ledger.write() as conn:
                conn.execute("UPDATE invoices SET pdf_sha256 = ? WHERE id = ? AND pdf_sha256 IS NULL",
                             (hashlib.sha256(data).hexdigest(), d.id))
        stored = invoice_from_row(ctx.ledger.conn.execute("SELECT * FROM invoices WHERE id = ?", (d.id,)).fetchone())
        result.invoices.append(stored)
        result.pdfs.append(write_file(folder / pdf_filename(stored), data, force=force, ledger=ctx.ledger.path))
    return result
