"""The time entry rows a draft bills: split at the period's edges, chosen, and measured in billed seconds
(:mod:`vakit.services.rounding_units`) per month, date and invoice line; a retainer's usage of a month and
the hours it carries from earlier ones. Used inside :func:`vakit.services.billing.create_drafts`' write
transaction (``conn``)."""

from __future__ import annotations

from datetime import datetime

from vakit.core.clock import zone
from vakit.core.errors import InvalidValue
from vakit.core.models import Client, Contract
from vakit.core.periods import Period, month_end
from vakit.core.text import one_line
from vakit.services.invoice_math import included_seconds
from vakit.services.late_time import billing_invoice, contract_span, month_of, month_pieces
from vakit.services.rounding_units import Rounder, line_group


def split_at(conn, bound: int, client_id: int) -> None:
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


def window_of(month: Period, contract: Contract) -> Period:
    """The days of ``month`` on which ``contract`` is in force."""
    first = max(month.first, contract.start_date)
    last = month.last if contract.end_date is None else min(month.last, contract.end_date)
    return Period(first, last, month.tz)


def unbilled_rows(conn, client_id: int, lo: int, hi: int) -> list:
    """The client's finished billable entries on no invoice within ``[lo, hi)`` (UTC epoch seconds), by start."""
    return conn.execute(
        "SELECT * FROM time_entries WHERE client_id = ? AND billable = 1 AND invoice_id IS NULL AND"
        " end_utc IS NOT NULL AND start_utc >= ? AND end_utc <= ? ORDER BY start_utc, id",
        (client_id, lo, hi)).fetchall()


def billed(r, contract: Contract, rd: Rounder) -> int:
    """Billed seconds of entry row ``r`` under ``contract`` (:mod:`vakit.services.rounding_units`)."""
    return rd.billed(contract, r["id"], r["start_utc"], r["origin_start_utc"], r["start_utc"], r["end_utc"])


def month_usage(conn, client: Client, contract: Contract, month: Period, late: list, rd: Rounder
                 ) -> tuple[int, int, int]:
    """``(late, already billed, included)`` billed seconds of ``contract`` in ``month`` (see ``late_line``).
    A retainer month with no invoice of its own is refused: its fee was never billed. A rollover retainer's
    month counts the hours carried into it and not those it carried forward (a later month has them), as its
    invoice recorded."""
    late_s = sum(billed(r, contract, rd) for r in late)
    if contract.kind != "retainer":
        return late_s, 0, 0
    if not covering_any(conn, contract, month):
        raise InvalidValue(f"{client.name}'s retainer has no invoice for {month.first:%B %Y} yet, so late time "
                           "cannot be weighed against its included hours",
                           f"make that month's invoice first: vakit invoice create --client {client.name!r} "
                           f"--month {month.first:%Y-%m}")
    rows = conn.execute(f"SELECT * FROM time_entries WHERE client_id = ? AND start_utc >= ? AND end_utc <= ? AND"
                        f" invoice_id IN (SELECT id FROM invoices WHERE contract_id = ? AND {billing_invoice()})",
                        (client.id, month.start_utc, month.end_utc, contract.id)).fetchall()
    days = window_of(month, contract)
    included = included_seconds(contract, (days.last - days.first).days + 1, month_end(month.first).day)
    if contract.rollover_cap_seconds is not None:
        from vakit.store.invoice_codecs import invoice_from_row

        own = conn.execute(f"SELECT * FROM invoices WHERE contract_id = ? AND refers_to IS NULL AND"
                           f" {billing_invoice()} AND period_start <= ? AND period_end >= ? ORDER BY id LIMIT 1",
                           (contract.id, month.last.isoformat(), month.first.isoformat())).fetchone()
        rolled = invoice_from_row(own).rollover if own is not None else None
        if rolled is not None:
            included += rolled.carried_in_seconds - rolled.carried_out_seconds
    return late_s, sum(billed(r, contract, rd) for r in rows), included


def covering_any(conn, contract: Contract, month: Period) -> bool:
    """Whether an issued invoice or draft of ``contract`` (not void) covers a day of ``month``."""
    return conn.execute(f"SELECT 1 FROM invoices WHERE contract_id = ? AND {billing_invoice()} AND"
                        " period_start <= ? AND period_end >= ?",
                        (contract.id, month.last.isoformat(), month.first.isoformat())).fetchone() is not None


def earlier_time(conn, client: Client, contract: Contract, before: int, rd: Rounder
             ) -> tuple[list, list[tuple[int, int, int]], str]:
    """The contract's unbilled time before instant ``before``: its rows (split at the contract's first day and
    at month edges), the usage per month, and the dates it spans as a label."""
    k_lo, _ = contract_span(contract)
    if k_lo >= before:
        return [], [], ""
    split_at(conn, k_lo, client.id)
    found = unbilled_rows(conn, client.id, k_lo, before)
    if not found:
        return [], [], ""
    for m, _s, e in month_pieces(found[0]["start_utc"], before, contract.billing_tz):
        split_at(conn, e, client.id)
    rows = unbilled_rows(conn, client.id, k_lo, before)
    by_month: dict = {}
    for r in rows:
        by_month.setdefault(month_of(r["start_utc"], contract.billing_tz), []).append(r)
    usage = [month_usage(conn, client, contract, m, rs, rd) for m, rs in sorted(by_month.items(),
                                                                                  key=lambda kv: kv[0].first)]
    tz = zone(contract.billing_tz)
    first = datetime.fromtimestamp(rows[0]["start_utc"], tz).date()
    last = datetime.fromtimestamp(max(r["end_utc"] for r in rows) - 1, tz).date()
    span = f"{first:%d %b %Y}" if first == last else f"{first:%d %b %Y} – {last:%d %b %Y}"
    return rows, usage, span


def per_day(rows, contract: Contract, rd: Rounder) -> list[int]:
    """Billed seconds per date worked, in the billing zone (an entry counts on the date it starts: a night's
    work is one day's), in date order."""
    tz = zone(contract.billing_tz)
    days: dict = {}
    for r in rows:
        d = datetime.fromtimestamp(r["start_utc"], tz).date()
        days[d] = days.get(d, 0) + billed(r, contract, rd)
    return [days[d] for d in sorted(days)]


def line_groups(rows, contract: Contract, rd: Rounder, detail: str) -> list[tuple[str, int]]:
    """``(label, billed seconds)`` per invoice line of an hourly contract whose invoice has one line per date,
    task or entry (:func:`vakit.services.rounding_units.line_group`), in order of first entry; none for a
    summary."""
    if detail == "summary":
        return []
    tz = zone(contract.billing_tz)
    out: dict[object, list] = {}
    for r in rows:
        s, e = (datetime.fromtimestamp(t, tz) for t in (r["start_utc"], r["end_utc"]))
        key = line_group(detail, s.date(), r["description"], r["id"])
        if key not in out:
            text = one_line(r["description"]) or "(no description)"
            label = {"per-day": f"{s:%a %d %b %Y}", "per-task": text,
                     "per-entry": f"{s:%d %b %Y} {s:%H:%M}–{e:%H:%M} {text}"}[detail]
            out[key] = [label, 0]
        out[key][1] += billed(r, contract, rd)
    return [(label, secs) for label, secs in out.values()]




def _previous(conn, contract: Contract, first) -> object:
    """The invoice of ``contract`` (not void, not supplementary) ending last before date ``first``, or None."""
    return conn.execute(f"SELECT id, period_end FROM invoices WHERE contract_id = ? AND refers_to IS NULL AND"
                        f" {billing_invoice()} AND period_end < ? ORDER BY period_end DESC, id DESC LIMIT 1",
                        (contract.id, first.isoformat())).fetchone()


def carried_lots(ctx, conn, client: Client, contract: Contract, period: Period) -> tuple[tuple[str, int], ...]:
    """The lots of unused included hours a rollover retainer carries into ``period``: those its invoice for the
    month before passed on (stored on that invoice, so a later correction never re-prices an issued month).
    None before the contract's first month. Raises InvalidValue when an earlier month of the contract has no
    invoice yet (its carried hours are not known until it has)."""
    from datetime import timedelta

    from vakit.services.documents import get_by_id

    if period.first <= contract.start_date:
        return ()
    row = _previous(conn, contract, period.first)
    day_before = period.first - timedelta(days=1)
    if row is None or row["period_end"] != day_before.isoformat():
        missing = contract.start_date if row is None else \
            datetime.fromisoformat(row["period_end"]).date() + timedelta(days=1)
        raise InvalidValue(f"{client.name}'s retainer carries unused hours from month to month, and "
                           f"{missing:%B %Y} has no invoice yet, so what it carries into {period.first:%B %Y} is "
                           "not known", f"make that month's invoice first: vakit invoice create --client "
                           f"{client.name!r} --month {missing:%Y-%m}")
    prev = get_by_id(ctx, row["id"])
    return prev.rollover.carried_out if prev.rollover is not None else ()


def carried_into(ctx, contract: Contract, first) -> int:
    """Seconds a rollover retainer carries into the month starting ``first`` and may still use there (after
    expiry), as its invoice for the month before passed them on; 0 when that month has no invoice yet (a
    report does not refuse) or the contract does not roll over."""
    from datetime import timedelta

    from vakit.core.rollover import months_between
    from vakit.services.documents import get_by_id

    if contract.rollover_cap_seconds is None:
        return 0
    row = _previous(ctx.ledger.conn, contract, first)
    if row is None or row["period_end"] != (first - timedelta(days=1)).isoformat():
        return 0
    prev = get_by_id(ctx, row["id"])
    lots = prev.rollover.carried_out if prev.rollover is not None else ()
    return sum(s for m, s in lots if months_between(m, f"{first:%Y-%m}") <= (contract.rollover_months or 0))


def refuse_if_carried_on(conn, inv, undo: str) -> None:
    """Refuse to ``undo`` (delete, void, release) invoice or draft ``inv`` of a rollover retainer while a later
    invoice or draft of the contract exists: the later one took the unused hours this one carried forward, and
    would keep them. The latest is named, to be undone first. Raises Conflict."""
    from vakit.core.errors import Conflict

    row = conn.execute("SELECT rollover_cap_seconds FROM contracts WHERE id = ?", (inv.contract_id,)).fetchone()
    if row is None or row[0] is None:
        return
    later = conn.execute(f"SELECT id, status, number, period_start FROM invoices WHERE contract_id = ? AND"
                         f" refers_to IS NULL AND {billing_invoice()} AND period_start > ? ORDER BY period_start DESC,"
                         f" id DESC LIMIT 1", (inv.contract_id, inv.period_end.isoformat())).fetchone()
    if later is None:
        return
    name = f"invoice {later['number']}" if later["status"] == "issued" else f"draft #{later['id']}"
    how = "void it" if later["status"] == "issued" else "delete it"
    raise Conflict(f"{name} ({later['period_start'][:7]}) took the retainer hours this month carried forward, so "
                   f"this one cannot be {undo} before it", f"{how} first")
