"""``vakit db check``: SQLite's own checks plus vakit's invariants, each problem named.

Problems (the ledger is damaged or was changed behind vakit's back; exit 3):
- SQLite ``integrity_check`` findings and broken foreign keys;
- an issued invoice whose stored figures, document or billed entries no longer match the
  seal made at issue (:func:`vakit.store.seals.invoice_seal`);
- a gap, a duplicate or a counter behind the numbers in an invoice number series;
- two entries that overlap although neither was allowed to (``--allow-overlap``);
- an entry longer than the maximum that was not forced (``--force``).

Notes (worth knowing, not damage): a timer running longer than the maximum, an issued
invoice whose PDF hash is missing (issued by a process that stopped before storing it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from vakit.services.context import Context
from vakit.services.timesheet import MAX_ENTRY_SECONDS

COUNTED = ("clients", "contracts", "time_entries", "appointments", "invoices")


@dataclass
class CheckReport:
    """The outcome of :func:`check_ledger`: schema version, row counts, problems and notes (one line each)."""

    version: int
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: pairs of entries that overlap though neither was allowed to: for each entry, the entries starting inside it,
#: read as one range of the start index (a nested loop with the index inside, which SQLite would otherwise turn
#: round into a scan of every pair: ten minutes on 100,000 entries instead of 0.04 s)
OVERLAPS = ("SELECT a.id, b.id FROM time_entries a CROSS JOIN time_entries b INDEXED BY time_entries_start"
            " WHERE a.overlap_ok = 0 AND b.start_utc >= a.start_utc AND b.start_utc < coalesce(a.end_utc, 1 << 62)"
            " AND b.id <> a.id AND (b.start_utc > a.start_utc OR b.id > a.id) AND b.overlap_ok = 0 LIMIT 20")


def check_ledger(ctx: Context) -> CheckReport:
    """Run every check on the ledger (reads only). Returns a :class:`CheckReport`."""
    from vakit.store.seals import invoice_seal

    conn = ctx.ledger.conn
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    report = CheckReport(version, {})
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:  # damage bad enough to stop the check itself
        integrity = [f"the check stopped: {exc}"]
    if integrity != ["ok"]:
        report.problems += [f"SQLite integrity: {x}" for x in integrity]
        return report  # the rest would read damaged pages
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    report.problems += [f"{r[0]} row {r[1]} refers to a missing {r[2]} row" for r in fk]
    report.counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}  # noqa: S608

    for row in conn.execute("SELECT id, number, content_sha256, pdf_sha256 FROM invoices WHERE status = 'issued'"
                            " ORDER BY id").fetchall():
        if row["content_sha256"] is None or row["content_sha256"] != invoice_seal(conn, row["id"]):
            report.problems.append(f"invoice {row['number']} was altered after it was issued (its figures, "
                                   "document or billed entries no longer match its seal)")
        if row["pdf_sha256"] is None:
            report.notes.append(f"invoice {row['number']} has no PDF hash yet ('vakit invoice pdf "
                                f"{row['number']}' prints it)")

    for row in conn.execute("SELECT id FROM invoices WHERE status = 'draft' AND (number IS NOT NULL OR seq IS NOT"
                            " NULL OR issue_date IS NOT NULL OR issued_utc IS NOT NULL OR content_sha256 IS NOT NULL"
                            " OR pdf_sha256 IS NOT NULL)").fetchall():
        report.problems.append(f"draft #{row['id']} carries the number, dates or seal of an issued invoice (an issued "
                               "invoice was turned back into a draft)")
    for series, seqs in _series(conn).items():
        last = conn.execute("SELECT last_seq, first_seq FROM invoice_counters WHERE series = ?", (series,)).fetchone()
        first = last[1] if last else 1
        expected = list(range(first, first + len(seqs)))
        if seqs != expected:
            missing = sorted(set(range(first, max(seqs) + 1)) - set(seqs))
            what = f"number {missing[0]} is missing" if missing else "a number is used twice"
            report.problems.append(f"invoice series {series!r}: {what} (numbers must run {first}, {first + 1}, … "
                                   "without gaps)")
        if last is None or last[0] != max(seqs):
            report.problems.append(f"invoice series {series!r}: the counter is at {last[0] if last else 'nothing'} "
                                   f"but the last number issued is {max(seqs)}")

    report.problems += billed_time_problems(conn)
    for a, b in conn.execute(OVERLAPS).fetchall():
        report.problems.append(f"time entries #{a} and #{b} overlap, and neither was allowed to")
    for (eid,) in conn.execute("SELECT id FROM time_entries WHERE long_ok = 0 AND end_utc IS NOT NULL AND"
                               " end_utc - coalesce(origin_start_utc, start_utc) > ? LIMIT 20", (MAX_ENTRY_SECONDS,)):
        report.problems.append(f"time entry #{eid} is longer than the maximum and was not forced")
    now = ctx.clock.now_utc()
    for eid, start in conn.execute("SELECT id, start_utc FROM time_entries WHERE end_utc IS NULL").fetchall():
        if now - start > MAX_ENTRY_SECONDS:
            report.notes.append(f"the timer #{eid} has run for more than {MAX_ENTRY_SECONDS // 3600} h; stopping it "
                                "needs --force or --at")
    return report


def billed_time_problems(conn) -> list[str]:
    """Where the invariant "billable time logged = time on issued invoices + on drafts + unbilled" breaks:
    an entry on an invoice of another client, on a credit note or a void invoice, not billable or still
    running; an invoice whose document lists other seconds than the entries it holds. One line each."""
    from vakit.services.late_time import billing_invoice

    out = []
    for eid, num, iid, why in conn.execute(
            "SELECT e.id, i.number, i.id, CASE WHEN e.client_id IS NOT i.client_id THEN 'another client'"
            " WHEN e.end_utc IS NULL THEN 'a running timer' WHEN e.billable = 0 THEN 'non-billable time'"
            f" ELSE 'a credit note or void invoice' END FROM time_entries e JOIN invoices i ON i.id = e.invoice_id"
            f" WHERE e.client_id IS NOT i.client_id OR e.end_utc IS NULL OR e.billable = 0 OR NOT"
            f" ({billing_invoice('i')}) LIMIT 20"):
        out.append(f"time entry #{eid} is {why} yet on {num or f'draft #{iid}'}, so its time is billed wrongly")
    held = dict(conn.execute("SELECT invoice_id, sum(end_utc - start_utc) FROM time_entries WHERE invoice_id IS NOT"
                             " NULL AND end_utc IS NOT NULL GROUP BY invoice_id").fetchall())
    for iid, num, listed in conn.execute(
            f"SELECT i.id, i.number, (SELECT coalesce(sum(json_extract(r.value, '$.seconds')), 0) FROM"
            f" json_each(i.document, '$.timesheet') r) FROM invoices i WHERE {billing_invoice('i')}"):
        if listed != held.get(iid, 0):
            out.append(f"{num or f'draft #{iid}'} lists {listed} s of time but holds entries of {held.get(iid, 0)} s:"
                       " time was billed twice or lost")
    return out


def _series(conn) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for series, seq in conn.execute("SELECT series, seq FROM invoices WHERE status = 'issued' ORDER BY series, seq"):
        out.setdefault(series, []).append(seq)
    return out
