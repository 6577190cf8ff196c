"""No billable second lost or billed twice (acceptance 1 of the late-time issue; design.md §5 "Invoices").

Hypothesis drives random sequences of ``log add/start/stop/edit/rm`` and ``invoice create/delete/issue/void/
credit`` across month ends in two billing zones (Pacific/Auckland and America/Chicago, for a VA in Asia/Manila)
and after every step checks, per client, in seconds, exactly:

    billable seconds logged (the test's own model) = seconds on issued invoices + on drafts + unbilled

read from the invoices' frozen documents and from ``late_time.unbilled``, and again from the ledger's rows;
that the rows cover exactly the model's time (splitting at month edges neither adds nor drops a second); and
that ``vakit db check`` finds nothing. A third client, billed in Manila with per-entry rounding up to 15 min,
checks the same for *billed* seconds: the parts of an entry split at a month edge bill its rounded whole once.

The model (``Model.iv``: finished entries as intervals, pairwise disjoint since overlaps are refused) changes
only when a service call succeeds. Where the model can tell, a call must succeed or be refused exactly as
predicted (overlap → Conflict, on an invoice → Locked, …); a refused call must change nothing.

An operation is ``(name, client, flag, flag, duration, offset, pick)``: ``pick`` chooses a row or an invoice
among those that exist at that moment, so sequences shrink well.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vakit.core.clock import FixedClock
from vakit.core.errors import Conflict, InvalidValue, Locked, NotFound, VakitError
from vakit.core.models import Profile, Rounding
from vakit.core.rounding import billed_seconds
from vakit.services import billing, credit_notes, issuing, receivables, timers, timesheet
from vakit.services.checkup import check_ledger
from vakit.services.context import Context
from vakit.services.contracts import ContractTerms, add_contract
from vakit.services.late_time import unbilled
from vakit.services.ledger import add_client, save_profile
from vakit.store.db import open_ledger

UTC = timezone.utc
HOME = "Asia/Manila"  # UTC+8 all year: typed wall times are never in a gap nor ambiguous
#: (name, billing zone, rounding increment in seconds; 0 = none)
CLIENTS = (("Kiwi", "Pacific/Auckland", 0), ("Windy", "America/Chicago", 0), ("Roundup", HOME, 900))
MONTHS = ("2026-09", "2026-10", "2026-11", "2026-12", "2027-01")
T_LO = int(datetime(2026, 10, 1, tzinfo=ZoneInfo(HOME)).timestamp())  # entries start on 1 Oct (Manila) or later
T_START = int(datetime(2026, 11, 20, 9, 0, tzinfo=UTC).timestamp())  # the clock starts here ...
T_END = int(datetime(2027, 1, 25, tzinfo=UTC).timestamp())  # ... and moved by days only until this
#: month edges (local midnight on the 1st) of every billing zone, Oct 2026 to Feb 2027, in UTC epoch seconds
EDGES = sorted({int(datetime(y, m, 1, tzinfo=ZoneInfo(tz)).timestamp())
                for _, tz, _ in CLIENTS for y, m in ((2026, 10), (2026, 11), (2026, 12), (2027, 1), (2027, 2))})
MAX = 16 * 3600  # timesheet.MAX_ENTRY_SECONDS
TABLES = ("time_entries", "invoices", "invoice_events", "invoice_counters", "payments")
HOUR = 3600


def typed(t: int) -> str:
    """Instant ``t`` as the VA types it: a wall time in the home zone, to the second."""
    return datetime.fromtimestamp(t, ZoneInfo(HOME)).strftime("%Y-%m-%d %H:%M:%S")


def rounded_up(seconds: int, inc: int) -> int:
    return -(-seconds // inc) * inc if inc else seconds


def merged(spans) -> list[tuple]:
    """``(client, billable, start, end)`` spans with touching ones of the same client and flag joined: the time
    itself, however it is cut into rows."""
    out: list[list] = []
    for c, b, s, e in sorted(spans):
        if out and out[-1][0] == c and out[-1][1] == b and out[-1][3] >= s:
            out[-1][3] = max(out[-1][3], e)
        else:
            out.append([c, b, s, e])
    return [tuple(x) for x in out]


class Model:
    """A fresh ledger, the operations on it, the model of what was logged, and the invariant."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="vakit-inv-"))
        self.clock = FixedClock(datetime.fromtimestamp(T_START, UTC))
        self.ctx = Context(open_ledger(self.dir / "ledger.sqlite3"), self.clock)
        save_profile(self.ctx, Profile("Test VA", "", "", (), HOME, "USD", "en_US", "INV-{year}-{seq:04}"))
        self.cids = []
        for name, tz, inc in CLIENTS:
            self.cids.append(add_client(self.ctx, name).id)
            add_contract(self.ctx, name, ContractTerms(kind="hourly", rate=Decimal("10.00"), billing_tz=tz,
                                                        rounding=Rounding(inc, "up", "entry") if inc else Rounding(),
                                                        start_date=date(2026, 9, 1)))
        #: logged, finished time: [client index, start, end, billable]
        self.iv: list[list] = []
        self.timer: tuple[int, int, bool] | None = None  # (client index, start, billable)
        self.voided: set[int] = set()
        self.released: set[int] = set()  # credited in full with --rebill
        self.rounding_exact = True  # until a part of a split Roundup entry is edited or removed (see cut())
        self.done: list[str] = []  # what succeeded (for the failure report)

    def close(self) -> None:
        self.ctx.ledger.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # ---- helpers ---------------------------------------------------------------------------------------

    @property
    def now(self) -> int:
        return self.clock.now_utc()

    def move_to(self, t: int) -> None:
        self.clock.set(datetime.fromtimestamp(t, UTC))

    def today(self) -> date:
        return datetime.fromtimestamp(self.now, ZoneInfo(HOME)).date()

    def rows(self, where: str = "1") -> list:
        return self.ctx.ledger.conn.execute(f"SELECT * FROM time_entries WHERE {where} ORDER BY id").fetchall()  # noqa: S608

    def invoices(self, where: str = "1") -> list:
        return self.ctx.ledger.conn.execute(f"SELECT * FROM invoices WHERE {where} ORDER BY id").fetchall()  # noqa: S608

    def snapshot(self) -> list:
        conn = self.ctx.ledger.conn
        return [[tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLES]  # noqa: S608

    def call(self, expect, fn, *args, **kwargs):
        """Run a service. ``expect``: None (must succeed), an error class (must raise it), or a tuple of error
        classes and/or None (any of them). A refusal must change nothing. Returns the result (None if refused)."""
        allowed = expect if isinstance(expect, tuple) else (expect,)
        before = self.snapshot()
        what = f"{fn.__name__}{args[1:]}{kwargs}"
        try:
            result = fn(*args, **kwargs)
        except VakitError as exc:
            assert any(a is not None and isinstance(exc, a) for a in allowed), \
                f"{what}: expected {expect}, got {type(exc).__name__}: {exc}"
            assert self.snapshot() == before, f"{what} was refused ({exc}) but changed the ledger"
            return None
        assert None in allowed, f"{what}: expected {expect}, but it succeeded"
        self.done.append(what)
        return result

    def clashes(self, a: int, b: int, skip: tuple[int, int] | None = None) -> bool:
        """Whether [a, b) shares time with logged time (less the part ``skip``) or the running timer."""
        for _, s, e, _ in self.iv:
            for x, y in ((s, e),) if skip is None else ((s, min(e, skip[0])), (max(s, skip[1]), e)):
                if x < y and x < b and y > a:
                    return True
        if self.timer is not None:
            ts = self.timer[1]
            return ts < b and max(self.now, ts + 1) > a
        return False

    def cut(self, row) -> list:
        """Take the part ``row`` (a ledger row) out of the model entry holding it; returns that entry."""
        k = self.cids.index(row["client_id"])
        holders = [m for m in self.iv if m[0] == k and m[3] == bool(row["billable"])
                   and m[1] <= row["start_utc"] and row["end_utc"] <= m[2]]
        assert len(holders) == 1, (dict(row), self.iv)
        m = holders[0]
        if CLIENTS[k][2] and (m[1], m[2]) != (row["start_utc"], row["end_utc"]):
            # a part of a split entry changed: its sibling parts still bill relative to where the whole began,
            # so "the rounded wholes" no longer describes the ledger (the ledger-side billed check still runs)
            self.rounding_exact = False
        self.iv.remove(m)
        for x, y in ((m[1], row["start_utc"]), (row["end_utc"], m[2])):
            if x < y:
                self.iv.append([m[0], x, y, m[3]])
        return m

    def supplemented(self, inv) -> bool:
        """Whether a supplementary invoice or draft that counts bills time on top of issued invoice ``inv``."""
        return any(r["id"] not in self.voided | self.released
                   for r in self.invoices(f"kind = 'invoice' AND refers_to = {inv['id']}"))

    def credited(self, inv) -> int:
        return self.ctx.ledger.conn.execute("SELECT coalesce(sum(total_minor), 0) FROM invoices WHERE kind ="
                                            " 'credit_note' AND refers_to = ?", (inv["id"],)).fetchone()[0]

    # ---- the clock -----------------------------------------------------------------------------------

    def advance(self, client, b1, b2, dur, off, pick):
        if b1:  # to just before the next month edge of some zone, so that timers and entries cross it
            ahead = [e for e in EDGES if e > self.now]
            if ahead:
                self.move_to(max(self.now, ahead[pick % len(ahead)] - dur // 4))
        else:
            self.move_to(self.now + dur + (86400 * (pick % 7) if b2 and self.now < T_END else 0))

    # ---- time entries --------------------------------------------------------------------------------

    def log_add(self, client, near_edge, billable, dur, off, pick):
        past = [e for e in EDGES if e < self.now]
        if near_edge and past:
            start = past[pick % len(past)] + off
        else:
            start = T_LO + pick * 997 % max(1, self.now - 60 - T_LO)
        self.add_entry(client, max(T_LO, start), dur, billable)

    def add_entry(self, client: int, start: int, duration: int, billable: bool) -> None:
        end = start + duration
        if self.now < end <= self.now + 60:
            return  # accepted (a minute's grace for clock skew) but ahead of now: see test_time_ahead_... below
        expect = InvalidValue if end > self.now + 60 else Conflict if self.clashes(start, end) else None
        view = self.call(expect, timesheet.add, self.ctx, CLIENTS[client][0], start_text=typed(start),
                         duration=duration, tz=HOME, billable=billable)
        if view is not None:
            assert (view.entry.start_utc, view.entry.end_utc, view.entry.billable) == (start, end, billable)
            self.iv.append([client, start, end, billable])

    def log_start(self, client, billable, b2, dur, off, pick):
        now = self.now
        expect = Conflict if self.timer is not None or self.clashes(now, now + 1) else None
        view = self.call(expect, timers.start, self.ctx, CLIENTS[client][0], billable=billable)
        if view is not None:
            assert view.entry.start_utc == now and view.entry.end_utc is None
            self.timer = (client, now, billable)

    def log_stop(self, client, force, b2, dur, off, pick):
        self.move_to(self.now + dur)
        now = self.now
        if self.timer is None:
            expect = NotFound
        else:
            c, ts, b = self.timer
            self.timer = None  # clashes() below is about other time
            expect = InvalidValue if now - ts > MAX and not force else Conflict if self.clashes(ts, now) else None
            self.timer = (c, ts, b)
        view = self.call(expect, timers.stop, self.ctx, force=force)
        if view is not None:
            c, ts, b = self.timer
            assert (view.entry.start_utc, view.entry.end_utc) == (ts, now)
            self.iv.append([c, ts, now, b])
            self.timer = None

    def log_edit(self, client, flip, b2, dur, off, pick):
        rows = self.rows("end_utc IS NOT NULL")
        if not rows:
            self.call(NotFound, timesheet.edit, self.ctx, 99999, billable=True)
            return
        row = rows[pick % len(rows)]
        if flip:
            kwargs = {"billable": not row["billable"]}
            a, b = row["start_utc"], row["end_utc"]
            expect = Locked if row["invoice_id"] is not None else None
        else:
            a = max(T_LO, row["start_utc"] + off // 2)
            b = a + dur
            if b > self.now:  # edit does not refuse times ahead of now; they are kept out (see below)
                a, b = a - (b - self.now), self.now
            kwargs = {"start_text": typed(a), "end_text": typed(b)}
            expect = Locked if row["invoice_id"] is not None else \
                Conflict if self.clashes(a, b, skip=(row["start_utc"], row["end_utc"])) else None
        view = self.call(expect, timesheet.edit, self.ctx, row["id"], **kwargs)
        if view is not None:
            assert (view.entry.start_utc, view.entry.end_utc) == (a, b)
            m = self.cut(row)
            self.iv.append([m[0], a, b, kwargs.get("billable", m[3])])

    def log_rm(self, client, b1, b2, dur, off, pick):
        rows = self.rows()
        if not rows:
            self.call(NotFound, timesheet.remove, self.ctx, 99999)
            return
        row = rows[pick % len(rows)]
        view = self.call(Locked if row["invoice_id"] is not None else None, timesheet.remove, self.ctx, row["id"])
        if view is not None:
            if row["end_utc"] is None:
                assert self.timer is not None and self.timer[1] == row["start_utc"]
                self.timer = None
            else:
                self.cut(row)

    # ---- invoices ------------------------------------------------------------------------------------

    def invoice_create(self, client, earlier, supplementary, dur, off, pick):
        waiting = sorted({f"{g.month.first:%Y-%m}" for g in unbilled(self.ctx, self.cids[client])})
        supplementary = supplementary and pick % 3 == 0
        month = waiting[pick % len(waiting)] if waiting and pick % 4 else MONTHS[pick % len(MONTHS)]
        # time waiting in a month can always be billed: on a new draft, or refused for the one that exists
        expect = (None, Conflict) if month in waiting and not supplementary else (None, NotFound, Conflict)
        drafts = self.call(expect, billing.create_drafts, self.ctx, CLIENTS[client][0], month,
                           include_earlier=earlier and not supplementary, supplementary=supplementary)
        for d in drafts or []:
            assert d.status == "draft" and d.number is None and d.client_id == self.cids[client]

    def invoice_delete(self, client, b1, b2, dur, off, pick):
        found = self.invoices("status = 'draft'") if b1 else self.invoices()
        if not found:
            return
        inv = found[pick % len(found)]
        ref = f"#{inv['id']}" if inv["status"] == "draft" else inv["number"]
        self.call(None if inv["status"] == "draft" else Locked, billing.delete_draft, self.ctx, ref)

    def invoice_issue(self, client, b1, b2, dur, off, pick):
        found = self.invoices("status = 'draft'") or self.invoices()
        if not found:
            return
        inv = found[pick % len(found)]
        if inv["status"] != "draft":
            expect = Locked
        elif self.today() < date.fromisoformat(inv["period_start"]):
            expect = InvalidValue  # never before the billing period starts
        else:
            expect = None
        out = self.call(expect, issuing.issue_draft, self.ctx, f"#{inv['id']}")
        if out is not None:
            issued, pdf = out
            assert issued.status == "issued" and issued.issue_date == self.today()
            assert pdf == b"%PDF-stub" + issued.number.encode()

    def _issued(self, pick, invoices_only: bool):
        found = self.invoices("status = 'issued' AND kind = 'invoice'" if invoices_only else "status = 'issued'")
        return found[pick % len(found)] if found else None

    def invoice_void(self, client, b1, b2, dur, off, pick):
        inv = self._issued(pick, not b1)
        if inv is None:
            return
        if inv["kind"] == "credit_note":
            expect = InvalidValue
        elif inv["id"] in self.voided:
            expect = Locked
        elif self.credited(inv) or self.supplemented(inv):
            expect = Conflict
        else:
            expect = None
        if self.call(expect, receivables.void, self.ctx, inv["number"], "a test") is not None:
            self.voided.add(inv["id"])

    def invoice_credit(self, client, whole, b2, dur, off, pick):
        inv = self._issued(pick, not b2)
        if inv is None:
            return
        rest = inv["total_minor"] - self.credited(inv)  # no taxes, no payments: what is left to credit
        if inv["kind"] == "credit_note":
            expect = InvalidValue
        elif inv["id"] in self.voided:
            expect = Locked
        elif rest <= 0:
            expect = InvalidValue  # credited in full already
        elif whole:  # all that is left, and the time goes back to unbilled
            expect = Conflict if self.supplemented(inv) else None
        else:
            expect = InvalidValue if rest < 100 else None
        out = self.call(expect, credit_notes.issue_credit_note, self.ctx, inv["number"],
                        amount=None if whole else "1.00", rebill=whole)
        if out is not None:
            note, _pdf = out
            assert note.kind == "credit_note" and note.refers_to == inv["id"]
            if whole:
                self.released.add(inv["id"])

    # ---- the invariant -------------------------------------------------------------------------------

    def check(self) -> None:
        conn = self.ctx.ledger.conn
        events = {(r[0], r[1]) for r in conn.execute("SELECT invoice_id, event FROM invoice_events")}
        assert events == {(i, "void") for i in self.voided} | {(i, "released") for i in self.released}
        counting = [r for r in self.invoices("kind = 'invoice'") if r["id"] not in self.voided | self.released]
        docs = {r["id"]: json.loads(r["document"])["timesheet"] for r in counting}
        # every billed row lies on an invoice that counts, and is finished, billable and of that invoice's client
        owners = {r["id"]: r["client_id"] for r in counting}
        for row in self.rows("invoice_id IS NOT NULL"):
            assert owners.get(row["invoice_id"]) == row["client_id"], dict(row)
            assert row["end_utc"] is not None and row["billable"] == 1, dict(row)
        running = self.rows("end_utc IS NULL")
        assert [(self.cids.index(r["client_id"]), r["start_utc"], bool(r["billable"])) for r in running] == \
            ([self.timer] if self.timer else [])
        # the ledger's rows hold exactly the model's time, however they were split
        stored = [(self.cids.index(r["client_id"]), bool(r["billable"]), r["start_utc"], r["end_utc"])
                  for r in self.rows("end_utc IS NOT NULL")]
        assert merged(stored) == merged((c, b, s, e) for c, s, e, b in self.iv)

        for k, cid in enumerate(self.cids):
            name, _tz, inc = CLIENTS[k]
            logged = sum(e - s for c, s, e, b in self.iv if c == k and b)
            mine = [r for r in counting if r["client_id"] == cid]
            issued_doc = sum(x["seconds"] for r in mine if r["status"] == "issued" for x in docs[r["id"]])
            draft_doc = sum(x["seconds"] for r in mine if r["status"] == "draft" for x in docs[r["id"]])
            later = sum(g.seconds for g in unbilled(self.ctx, cid))
            assert logged == issued_doc + draft_doc + later, (name, logged, issued_doc, draft_doc, later)
            # the same three sums from the ledger's rows
            held = {r["id"]: self.rows(f"invoice_id = {r['id']}") for r in mine}
            issued_rows = sum(x["end_utc"] - x["start_utc"] for r in mine if r["status"] == "issued"
                              for x in held[r["id"]])
            draft_rows = sum(x["end_utc"] - x["start_utc"] for r in mine if r["status"] == "draft"
                             for x in held[r["id"]])
            free = self.rows(f"client_id = {cid} AND billable = 1 AND end_utc IS NOT NULL AND invoice_id IS NULL")
            assert (issued_rows, draft_rows, sum(x["end_utc"] - x["start_utc"] for x in free)) == \
                (issued_doc, draft_doc, later), name
            for r in mine:  # each document lists exactly the rows it holds
                assert sorted(x["seconds"] for x in docs[r["id"]]) == \
                    sorted(x["end_utc"] - x["start_utc"] for x in held[r["id"]]), (name, r["id"])
            if inc:  # billed seconds: the parts of a split entry bill its rounded whole, once
                rnd = Rounding(inc, "up", "entry")
                billed_doc = sum(x["billed_seconds"] for r in mine for x in docs[r["id"]])
                billed_rows = sum(billed_seconds(x["start_utc"], x["end_utc"], x["origin_start_utc"], rnd)
                                  for r in mine for x in held[r["id"]])
                billed_free = sum(billed_seconds(x["start_utc"], x["end_utc"], x["origin_start_utc"], rnd)
                                  for x in free)
                assert billed_doc == billed_rows, name
                if self.rounding_exact:
                    wholes = sum(rounded_up(e - s, inc) for c, s, e, b in self.iv if c == k and b)
                    assert wholes == billed_doc + billed_free, (name, wholes, billed_doc, billed_free)
        assert check_ledger(self.ctx).problems == []


#: operation names, repeated to weigh them
OPS = (["log_add"] * 5 + ["log_start"] * 2 + ["log_stop"] * 3 + ["advance"] * 2 + ["log_edit", "log_rm"] * 2
       + ["invoice_create"] * 4 + ["invoice_issue"] * 3 + ["invoice_delete", "invoice_void"] + ["invoice_credit"] * 2)
OP = st.tuples(st.sampled_from(OPS), st.integers(0, len(CLIENTS) - 1), st.booleans(), st.booleans(),
               st.integers(60, 10 * HOUR), st.integers(-10 * HOUR, 10 * HOUR), st.integers(0, 10**6))
SEED = st.tuples(st.integers(0, len(CLIENTS) - 1), st.sampled_from(EDGES[:6]), st.integers(-10 * HOUR, 10 * HOUR),
                 st.integers(60, 10 * HOUR), st.booleans())


@pytest.fixture
def fast_pdf(monkeypatch):
    """Rendering a real PDF takes ~0.3 s; issuing here needs only bytes to hash, so a stub naming the number
    stands in for it (the PDF itself is tested in test_pdf_export.py and test_receivables.py)."""
    import vakit.exporters.pdf as pdf

    monkeypatch.setattr(pdf, "render_invoice_pdf", lambda inv, font="": b"%PDF-stub" + (inv.number or "").encode())


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(seed=st.lists(SEED, max_size=8), ops=st.lists(OP, min_size=15, max_size=50))
def test_billable_time_logged_equals_issued_plus_drafts_plus_unbilled(fast_pdf, seed, ops):
    m = Model()
    try:
        for client, edge, offset, duration, billable in seed:  # some time around the first month ends to bill
            m.add_entry(client, max(T_LO, edge + offset), duration, billable)
        m.check()
        for name, *args in ops:
            getattr(m, name)(*args)
            m.check()
    finally:
        m.close()


@pytest.mark.parametrize("timer_first", [False, True])
def test_time_ahead_of_now_and_a_timer_never_leave_an_overlap_for_db_check(timer_first):
    """``log add`` accepts an entry ending up to a minute ahead (clock skew); a running timer holds every moment
    from its start on, for the clash check as for ``db check``, so ``log add --from 17:00:20 --to 17:01`` at
    17:00:00 and ``log start`` (either order) never both succeed and leave an overlap behind."""
    m = Model()
    try:
        m.move_to(int(datetime(2026, 11, 20, 17, 0, tzinfo=ZoneInfo(HOME)).timestamp()))
        steps = [lambda: timesheet.add(m.ctx, "Kiwi", start_text="2026-11-20 17:00:20", end_text="17:01"),
                 lambda: timers.start(m.ctx, "Kiwi")]
        for step in reversed(steps) if timer_first else steps:
            try:
                step()
            except Conflict:
                break
        assert check_ledger(m.ctx).problems == []
    finally:
        m.close()
