"""Issuing invoices and credit notes from many processes at once (acceptance 7 of the receivables issue).

20 processes on one ledger, released together at a barrier: 10 run ``invoice issue '#ID'`` on drafts and 10
run ``invoice credit NUMBER --amount 1.00`` on issued invoices. Each is a separate OS process with its own
SQLite connection (forked from the test, see racing.py) and renders its PDF for real, outside the lock. All
succeed; the invoice series and the credit-note series each run on without a gap or a duplicate; each
process's reported number is the one stored; ``vakit db check`` finds nothing.
"""

from __future__ import annotations

import re
import sqlite3

from racing import Racers, seeded_ledger
from vakit.services import billing, issuing, timesheet
from vakit.services.checkup import check_ledger
from vakit.services.context import Context
from vakit.store.db import open_ledger

NOW = "2026-11-03T10:00:00+00:00"
ISSUED, DRAFTS = 10, 10  # clients C0..C9 have an issued October invoice; C10..C19 a draft


def _prepare(tmp_path, monkeypatch) -> tuple[str, list[str], list[int]]:
    """The ledger: ``ISSUED`` issued invoices (numbers 2026-0001…) and ``DRAFTS`` drafts, one per client."""
    db = tmp_path / "l.sqlite3"
    ctx = seeded_ledger(db, clients=ISSUED + DRAFTS, now=NOW)
    drafts = []
    for i in range(ISSUED + DRAFTS):
        timesheet.add(ctx, f"C{i}", start_text=f"2026-10-{i + 1:02d} 09:00", duration=3600)
        drafts += billing.create_drafts(ctx, f"C{i}", "2026-10")
    with monkeypatch.context() as m:  # set-up only: a stub PDF (~0.3 s each otherwise); the racers render for real
        import vakit.exporters.pdf as pdf

        m.setattr(pdf, "render_invoice_pdf", lambda inv, font="": b"%PDF-stub " + (inv.number or "").encode())
        numbers = [issuing.issue_draft(ctx, f"#{d.id}")[0].number for d in drafts[:ISSUED]]
    ctx.ledger.close()
    return str(db), numbers, [d.id for d in drafts[ISSUED:]]


def _series(db: str, kind: str) -> list[tuple[str, int, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT series, seq, number FROM invoices WHERE kind = ? AND status = 'issued'"
                            " ORDER BY series, seq", (kind,)).fetchall()
    finally:
        conn.close()


def test_twenty_processes_issuing_and_crediting_at_once_number_both_series_without_gaps(tmp_path, monkeypatch):
    db, numbers, draft_ids = _prepare(tmp_path, monkeypatch)
    assert numbers == [f"2026-{n:04d}" for n in range(1, ISSUED + 1)]
    commands = [["--db", db, "invoice", "issue", f"#{i}"] for i in draft_ids] + \
               [["--db", db, "invoice", "credit", n, "--amount", "1.00"] for n in numbers]
    with Racers(len(commands)) as racers:
        outs = racers.race(*commands, env={"VAKIT_NOW": NOW})

    for cmd, o in zip(commands, outs):
        assert "Traceback" not in o.stdout + o.stderr, (cmd, o)
        assert o.code == 0 and o.stderr == "", (cmd, o)
    # each process says which number it took ...
    got_inv = [re.fullmatch(r"Issued (\S+) to C\d+: .*\n", o.stdout).group(1) for o in outs[:DRAFTS]]
    got_cn = [re.match(r"Issued credit note (\S+) against (\S+): ", o.stdout).groups() for o in outs[DRAFTS:]]
    assert [against for _, against in got_cn] == numbers

    # ... and the two series run on 1, 2, 3 … with no gap and no duplicate, each number stored once
    invoices = _series(db, "invoice")
    assert [(s, q) for s, q, _ in invoices] == [("2026-{seq}", n) for n in range(1, ISSUED + DRAFTS + 1)]
    assert sorted(got_inv) == [n for _, q, n in invoices if q > ISSUED]
    notes = _series(db, "credit_note")
    assert [(s, q) for s, q, _ in notes] == [("CN-2026-{seq}", n) for n in range(1, ISSUED + 1)]
    assert sorted(n for n, _ in got_cn) == [n for _, _, n in notes]
    assert len({n for _, _, n in invoices + notes}) == len(invoices) + len(notes)

    conn = sqlite3.connect(db)
    counters = dict(conn.execute("SELECT series, last_seq FROM invoice_counters"))
    assert counters == {"2026-{seq}": ISSUED + DRAFTS, "CN-2026-{seq}": ISSUED}
    # every credit note took 1.00 off a different invoice; every draft was issued exactly once
    rows = conn.execute("SELECT refers_to, total_minor FROM invoices WHERE kind = 'credit_note'").fetchall()
    assert sorted(t for _, t in rows) == [100] * ISSUED and len({r for r, _ in rows}) == ISSUED
    assert conn.execute("SELECT count(*) FROM invoices WHERE status = 'draft'").fetchone()[0] == 0
    conn.close()
    ledger = open_ledger(tmp_path / "l.sqlite3", create=False)
    try:
        assert check_ledger(Context(ledger)).problems == []
    finally:
        ledger.close()
