"""Time that missed its invoice, so that no billable second is lost (design.md §5 "Invoices"; issue 6).

The invariant, for every client and contract: billable seconds logged = seconds on issued invoices +
on drafts + unbilled. Unbilled time is every finished billable entry (or part of one) on no invoice:
late entries for a month already invoiced, parts of entries, time released from a void or re-billed
invoice, months never invoiced. :func:`unbilled` lists it per client, contract and month (in the
contract's billing zone); time on days no contract covers is listed too, so nothing is out of sight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from vakit.core.clock import zone
from vakit.core.models import Contract
from vakit.core.periods import Period, local_midnight_utc, month_end
from vakit.services.context import Context
from vakit.store.codecs import contract_from_row


def billing_invoice(alias: str = "invoices") -> str:
    """SQL condition on the ``invoices`` row named ``alias``: its entries count as billed — an issued or draft
    invoice (not a credit note), neither void nor credited in full with its time released to be billed again.
    A condition on the row itself (not an ``id IN`` list, which SQLite builds by reading every invoice), so a
    query narrowed by an index stays narrow."""
    return (f"{alias}.kind = 'invoice' AND NOT EXISTS (SELECT 1 FROM invoice_events ev WHERE ev.invoice_id ="
            f" {alias}.id AND ev.event IN ('void', 'released'))")


def contract_span(contract: Contract) -> tuple[int, int | None]:
    """``[start, end)`` in UTC epoch seconds of the days ``contract`` is in force (its billing zone);
    end None while open-ended."""
    tz = contract.billing_tz
    end = None if contract.end_date is None else local_midnight_utc(contract.end_date + timedelta(days=1), tz)
    return local_midnight_utc(contract.start_date, tz), end


def month_of(t: int, tz: str) -> Period:
    """The calendar month (in zone ``tz``) holding instant ``t`` (epoch seconds)."""
    d = datetime.fromtimestamp(t, zone(tz)).date().replace(day=1)
    return Period(d, month_end(d), tz)


def month_pieces(start: int, end: int, tz: str) -> list[tuple[Period, int, int]]:
    """``[start, end)`` cut at month boundaries of zone ``tz``: ``(month, piece_start, piece_end)`` each."""
    out = []
    while start < end:
        m = month_of(start, tz)
        cut = min(end, m.end_utc)
        out.append((m, start, cut))
        start = cut
    return out


@dataclass(frozen=True)
class UnbilledGroup:
    """Unbilled billable time of one client, contract (None: no contract covers those days) and month.

    ``seconds`` are logged (unrounded) seconds; ``first``/``last`` the local dates of the time;
    ``invoiced`` names the issued invoice or draft that already covers the month for the contract ('' if none).
    """

    client_id: int
    client_name: str
    contract_id: int | None
    currency: str
    month: Period
    seconds: int
    entries: int
    first: date
    last: date
    invoiced: str


def unbilled(ctx: Context, client_id: int | None = None, *, before: int | None = None) -> list[UnbilledGroup]:
    """Every finished billable time entry on no invoice, grouped by client, contract and month; optionally of
    one client and only time before instant ``before``. Running timers are not listed (their time is billed
    once they stop). Sorted by client name, then month."""
    conn = ctx.ledger.conn
    sql = ("SELECT e.id, e.client_id, e.start_utc, e.end_utc, c.name FROM time_entries e JOIN clients c ON c.id ="
           " e.client_id WHERE e.billable = 1 AND e.invoice_id IS NULL AND e.end_utc IS NOT NULL")
    args: list = []
    if client_id is not None:
        sql += " AND e.client_id = ?"
        args.append(client_id)
    if before is not None:
        sql += " AND e.start_utc < ?"
        args.append(before)
    home = ctx.profile().home_tz
    contracts: dict[int, list[Contract]] = {}
    groups: dict[tuple, list] = {}
    for eid, cid, s, e, name in conn.execute(sql, args).fetchall():
        if before is not None:
            e = min(e, before)
        if cid not in contracts:
            contracts[cid] = [contract_from_row(r) for r in conn.execute(
                "SELECT * FROM contracts WHERE client_id = ? ORDER BY start_date", (cid,))]
        left = [(s, e)]
        for k in contracts[cid]:
            lo, hi = contract_span(k)
            a, b = max(s, lo), min(e, hi if hi is not None else e)
            if a < b:
                left = [p for x, y in left for p in ((x, min(y, a)), (max(x, b), y)) if p[0] < p[1]]
                for m, ps, pe in month_pieces(a, b, k.billing_tz):
                    groups.setdefault((name, cid, k.id, k.currency, m.first, m.tz), []).append((eid, ps, pe))
        for x, y in left:
            for m, ps, pe in month_pieces(x, y, home):
                groups.setdefault((name, cid, None, "", m.first, m.tz), []).append((eid, ps, pe))
    out = []
    for (name, cid, kid, cur, first, tz), pieces in sorted(groups.items(), key=lambda kv: (kv[0][0].casefold(),
                                                                                       kv[0][4], kv[0][2] or 0)):
        month = Period(first, month_end(first), tz)
        day = [datetime.fromtimestamp(t, zone(tz)).date() for t in (min(p[1] for p in pieces),
                                                                    max(p[2] for p in pieces) - 1)]
        out.append(UnbilledGroup(cid, name, kid, cur, month, sum(p[2] - p[1] for p in pieces),
                                 len({p[0] for p in pieces}), day[0], day[1], covering(ctx, kid, month)))
    return out


def covering(ctx: Context, contract_id: int | None, month: Period) -> str:
    """The issued invoice (its number) or draft (``draft #N``) of ``contract_id`` that covers any day of
    ``month``, not counting supplementary invoices, credit notes and void invoices; '' if none."""
    if contract_id is None:
        return ""
    row = ctx.ledger.conn.execute(
        f"SELECT id, number FROM invoices WHERE contract_id = ? AND refers_to IS NULL AND {billing_invoice()}"
        " AND period_start <= ? AND period_end >= ? ORDER BY status DESC, id LIMIT 1",
        (contract_id, month.last.isoformat(), month.first.isoformat())).fetchone()
    if row is None:
        return ""
    return row["number"] or f"draft #{row['id']}"


def _contracts_of(ctx: Context, client_id: int) -> list[Contract]:
    """The client's contracts by start date."""
    return [contract_from_row(r) for r in ctx.ledger.conn.execute(
        "SELECT * FROM contracts WHERE client_id = ? ORDER BY start_date", (client_id,)).fetchall()]


def entry_note(ctx: Context, client_id: int | None, start: int, end: int | None, billable: bool) -> str | None:
    """The note for billable time just logged or changed (``start``/``end`` epoch seconds UTC): that its month is
    already invoiced (:func:`invoiced_note`), else that no contract covers it (:func:`uncovered_note`); None
    when neither. The client's contracts are read once."""
    if client_id is None or end is None or not billable:
        return None
    ks = _contracts_of(ctx, client_id)
    return invoiced_note(ctx, client_id, start, end, billable, ks) or \
        uncovered_note(ctx, client_id, start, end, billable, ks)


def invoiced_note(ctx: Context, client_id: int | None, start: int, end: int | None, billable: bool,
                  contracts: list[Contract] | None = None) -> str | None:
    """A note for an entry just logged or changed inside a month its client was already invoiced for
    (``October is invoiced (INV/2026-27/005); this 1:00 will show in 'vakit invoice unbilled'``), or None.
    ``contracts``: the client's, when already read."""
    from vakit.core.clock import fmt_hm

    if client_id is None or end is None or not billable:
        return None
    for k in contracts if contracts is not None else _contracts_of(ctx, client_id):
        lo, hi = contract_span(k)
        a, b = max(start, lo), min(end, hi if hi is not None else end)
        for m, _ps, _pe in month_pieces(a, b, k.billing_tz) if a < b else []:
            where = covering(ctx, k.id, m)
            if where:
                what = f"{m.first:%B %Y} is on {where}" if where.startswith("draft") else \
                    f"{m.first:%B %Y} is invoiced ({where})"
                hint = ("delete and re-create the draft to include it" if where.startswith("draft") else
                        "it will show in 'vakit invoice unbilled' and can be billed with --include-earlier or "
                        "--supplementary")
                return f"{what}; this {fmt_hm(end - start)} is not on it: {hint}"
    return None


def uncovered_note(ctx: Context, client_id: int | None, start: int, end: int | None, billable: bool,
                   contracts: list[Contract] | None = None) -> str | None:
    """A note for billable time just logged for a client whose contracts do not cover it (a contract added
    "from today" before last month's work is logged), naming the contract that starts later and how to move its
    start; None when a contract covers any of it, or the client has no contract at all (its first contract is
    still to come). ``start``/``end`` epoch seconds UTC; ``contracts``: the client's by start date, when already
    read."""
    if client_id is None or end is None or not billable:
        return None
    ks = contracts if contracts is not None else _contracts_of(ctx, client_id)
    if not ks:
        return None
    for k in ks:
        lo, hi = contract_span(k)
        if max(start, lo) < min(end, hi if hi is not None else end):
            return None
    day = datetime.fromtimestamp(start, zone(ks[0].billing_tz)).date()
    later = [k for k in ks if k.start_date > day]
    if later:
        k = later[0]
        return (f"no contract covers this time ({day}), so no invoice will bill it: contract #{k.id} starts "
                f"{k.start_date}; to bill it, move that start: vakit contract edit {k.id} --from {day}")
    return f"no contract covers this time ({day}), so no invoice will bill it: the client's contracts have ended"
