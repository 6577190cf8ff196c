"""Generate a realistic vakit ledger of any size, cached under ``benchmarks/.cache/ledgers/``.

Run (in the project's virtualenv)::

    python benchmarks/ledger_gen.py                       # the default: 10 years, 100,000 entries
    python benchmarks/ledger_gen.py --entries 1000 --years 0.25 --clients 8 --invoices 16 --appointments 50
    python benchmarks/ledger_gen.py --out /tmp/big.sqlite3  # a copy of the cached ledger there

The history (:mod:`history`) is stored in one write transaction: profile, clients and contracts through
vakit's services (so they pass its checks), time entries and appointments by SQL following the schema
(``src/vakit/store/m001…m009``), and the invoices through vakit's own ``create_drafts`` and numbering, issued
without rendering their PDFs (the one PDF a benchmark needs is rendered when it is asked for). The result
passes ``vakit db check``; its only notes are the PDF hashes not stored.

A ledger is cached in a folder named after its parameters, vakit's schema version and a digest of this
generator's source, beside ``meta.json``: the facts the benchmarks need (the fixed clock, the month with
about 850 entries, the open month for ``invoice run``, a 3-page invoice …).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import time
from dataclasses import asdict, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from history import History, Spec, plan_history

from vakit.core.clock import FixedClock
from vakit.core.models import Profile, Rounding, Tax
from vakit.core.periods import month_end
from vakit.services.billing import create_drafts
from vakit.services.context import Context
from vakit.services.contract_terms import ContractTerms
from vakit.services.contracts import add_contract
from vakit.services.issuing import plan_number
from vakit.services.ledger import add_client, save_profile
from vakit.services.numbering import take_number
from vakit.services.series import occurrence_uid
from vakit.store.db import open_ledger
from vakit.store.invoice_codecs import invoice_document_json
from vakit.store.schema import SCHEMA_VERSION
from vakit.store.seals import invoice_seal

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
#: the font cache every benchmark process uses (warm after the first PDF), so the user's own is never touched
FONT_CACHE = CACHE / "vakit-cache"
#: the 1,000-entry ledger: about six weeks of a VA's time, at the same density as the big one
SMALL = Spec(entries=1000, years=0.25, clients=8, current=8, invoices=16, appointments=50)
LIST_ENTRIES = 850
PDF_PAGES = 3


def cache_folder(spec: Spec) -> Path:
    """The cache folder of ``spec``: its sizes in the name, then the schema version and a digest of the spec,
    of the source that makes the ledger and its exports (``history.py``, ``ledger_gen.py``, ``formats.py``) and
    of vakit's migrations (``store/migrations.py``, ``store/m0*.py``: a migration changed without a new schema
    version, as during development, must not leave a ledger with the old tables or indexes), so any change
    makes a new one."""
    import vakit.store

    digest = hashlib.sha256(json.dumps(asdict(spec), sort_keys=True).encode())
    for src in ("history.py", "ledger_gen.py", "formats.py"):
        digest.update((HERE / src).read_bytes())
    store = Path(vakit.store.__file__).parent
    for src in [store / "migrations.py", *sorted(store.glob("m0*.py"))]:
        digest.update(src.read_bytes())
    return CACHE / "ledgers" / f"{spec.entries}e-{spec.years:g}y-schema{SCHEMA_VERSION}-{digest.hexdigest()[:10]}"


def cached_ledger(spec: Spec, *, log=print) -> tuple[Path, dict]:
    """The cached ledger of ``spec`` and its facts, generated first if missing (older ledgers of the same size
    are removed then). Returns (folder, meta)."""
    folder = cache_folder(spec)
    if not (folder / "meta.json").is_file():
        for old in folder.parent.glob(f"{folder.name.split('-schema')[0]}-schema*"):
            shutil.rmtree(old, ignore_errors=True)
        tmp = folder.with_name(f".{folder.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        t0 = time.perf_counter()
        try:
            meta = build(spec, tmp / "ledger.sqlite3")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
        log(f"generated {folder.name} in {time.perf_counter() - t0:.1f} s")
    return folder, json.loads((folder / "meta.json").read_text(encoding="utf-8"))


def build(spec: Spec, path: Path) -> dict:
    """Write the ledger of ``spec`` at ``path`` (a new file) and return its facts (see :func:`facts`)."""
    os.environ.setdefault("VAKIT_CACHE_DIR", str(FONT_CACHE))
    h = plan_history(spec)
    ledger = open_ledger(path)
    ctx = Context(ledger, FixedClock(datetime.fromtimestamp(h.start, ZoneInfo("UTC"))))
    try:
        with ledger.write() as conn:
            ids = _clients_and_contracts(ctx, h)
            _entries(conn, h, ids)
            _appointments(conn, h, ids)
            issued = _invoices(ctx, h, ids)
        if issued != spec.invoices:
            raise SystemExit(f"made {issued} invoices instead of {spec.invoices}")
        return facts(ctx, h)
    finally:
        ledger.close()
        shutil.rmtree(Path(f"{path}-backups"), ignore_errors=True)


def _clients_and_contracts(ctx: Context, h: History) -> list[int]:
    save_profile(ctx, Profile("Asha Rao Virtual Assistance", "12 Quay Street\nBristol BS1 4DJ", "asha@example.com",
                              (), h.spec.home_tz, "GBP", "en_GB", "{year}-{seq:04}",
                              "Sort code 12-34-56, account 12345678"))
    ids = []
    for i, c in enumerate(h.clients):
        ids.append(add_client(ctx, c.name, email=f"accounts{i}@example.com", address="1 Main Street",
                              country=c.country, tz=c.tz, currency=c.currency, locale=c.locale).id)
        if c.last < c.first:
            continue  # a client who never had work: no contract
        rounding = (Rounding(360, "up"), Rounding(900, "nearest"), Rounding())[i % 3]
        taxes = (Tax("VAT", Decimal("20")),) if c.country == "GB" else ()
        end = month_end(h.months[c.last]) if c.last < len(h.months) - 1 else None
        for first, rate in ((c.first, c.rate), (c.raise_at, (c.rate * Decimal("1.1")).quantize(Decimal("1")))):
            if first is None:
                continue
            fee = {} if c.kind == "hourly" else {"monthly_fee": rate * 20, "included_seconds": 20 * 3600,
                                                 "overage_rate": rate}
            add_contract(ctx, f"#{ids[-1]}", ContractTerms(
                kind=c.kind, rate=rate if c.kind == "hourly" else None, rounding=rounding, billing_tz=c.billing_tz,
                terms_days=(14, 30)[i % 2], taxes=taxes, start_date=h.months[first],
                end_date=end if first == (c.raise_at or c.first) else None, **fee))
    return ids


def _entries(conn, h: History, ids: list[int]) -> None:
    conn.executemany(
        "INSERT INTO time_entries (client_id, start_utc, end_utc, tz, description, project, tags, billable, source,"
        " created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'manual', ?)",
        [(None if e.client is None else ids[e.client], e.start, e.end, h.spec.home_tz, e.description, e.project,
          e.tags, int(e.billable), e.end) for e in h.entries])


def _appointments(conn, h: History, ids: list[int]) -> None:
    rows = []
    for s in h.series:
        made = s.starts[0] - 14 * 86400
        sid = conn.execute(
            "INSERT INTO appointment_series (uid, client_id, title, freq, interval, count, until_utc, dtstart_local,"
            " tz, duration, created_utc, modified_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (s.uid, ids[s.client], s.title, s.rule.freq, s.rule.interval, s.rule.count, s.rule.until_utc,
             s.dtstart_local, s.tz, s.duration, made, made)).lastrowid
        for k, t in enumerate(s.starts):
            gone = k in s.cancelled
            rows.append((occurrence_uid(s.uid, t), ids[s.client], s.title, t, t + s.duration, s.tz,
                         "CANCELLED" if gone else "CONFIRMED", int(gone), made, made, sid, t))
    for a in h.singles:
        made = a.start - 7 * 86400
        rows.append((a.uid, ids[a.client], a.title, a.start, a.end, a.tz, "CANCELLED" if a.cancelled else "CONFIRMED",
                     int(a.cancelled), made, made, None, None))
    conn.executemany(
        "INSERT INTO appointments (uid, client_id, title, start_utc, end_utc, tz, status, sequence, created_utc,"
        " modified_utc, series_id, recurrence_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _invoices(ctx: Context, h: History, ids: list[int]) -> int:
    """Invoice every active client-month before the open month, month by month, issued on the first weekday
    of the next month (home zone) with vakit's numbering, without rendering PDFs. Returns how many."""
    home = ZoneInfo(h.spec.home_tz)
    conn, made = ctx.ledger.conn, 0
    for m in range(len(h.months) - 2):
        day = h.months[m + 1]
        while day.weekday() >= 5:
            day += timedelta(days=1)
        ctx.clock.set(datetime(day.year, day.month, day.day, 9, tzinfo=home))
        for i, c in enumerate(h.clients):
            if not c.first <= m <= c.last:
                continue
            for draft in create_drafts(ctx, f"#{ids[i]}", f"{h.months[m]:%Y-%m}"):
                plan = plan_number(ctx, draft, ctx.profile().number_pattern, None, not_before=draft.period_start,
                                   not_before_what="the billing period starts")
                take_number(conn, plan.series, plan.seq)
                conn.execute("UPDATE invoices SET status = 'issued', number = ?, series = ?, seq = ?, issue_date = ?,"
                             " due_date = ?, document = ?, issued_utc = ? WHERE id = ?",
                             (plan.invoice.number, plan.series, plan.seq, plan.invoice.issue_date.isoformat(),
                              plan.invoice.due_date.isoformat(), invoice_document_json(plan.invoice),
                              ctx.clock.now_utc(),
                              draft.id))
                conn.execute("UPDATE invoices SET content_sha256 = ? WHERE id = ?",
                             (invoice_seal(conn, draft.id), draft.id))
                made += 1
    return made


def facts(ctx: Context, h: History) -> dict:
    """What the benchmarks need to know about the ledger: sizes, the fixed clock and home zone, the periods to
    report on (recent and old month, last full year, everything), the month whose entry count is nearest
    850, the open month for ``invoice run`` and its clients, and an invoice whose PDF has 3 pages."""
    conn = ctx.ledger.conn
    now = h.spec.now_dt()
    home = ZoneInfo(h.spec.home_tz)
    full = h.months[1:-1]  # the first and the current month are partial

    def count(d: date) -> int:
        lo = int(datetime(d.year, d.month, 1, tzinfo=home).timestamp())
        nxt = month_end(d) + timedelta(days=1)
        hi = int(datetime(nxt.year, nxt.month, nxt.day, tzinfo=home).timestamp())
        return conn.execute("SELECT count(*) FROM time_entries WHERE start_utc >= ? AND start_utc < ?",
                            (lo, hi)).fetchone()[0]

    list_month = min(full, key=lambda d: (abs(count(d) - LIST_ENTRIES), -d.toordinal()))
    open_month = h.months[-2]
    totals = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
              for t in ("time_entries", "clients", "contracts", "invoices", "appointments", "appointment_series")}
    return {
        "spec": asdict(h.spec), "schema": SCHEMA_VERSION, "counts": totals, "now": h.spec.now,
        "home_tz": h.spec.home_tz, "first_date": datetime.fromtimestamp(h.start, home).date().isoformat(),
        "last_date": now.astimezone(home).date().isoformat(),
        "recent_month": f"{open_month:%Y-%m}", "old_month": f"{h.months[len(h.months) // 3]:%Y-%m}",
        "year": str(now.astimezone(home).year - 1),
        "list_month": f"{list_month:%Y-%m}", "list_month_entries": count(list_month),
        "open_month": f"{open_month:%Y-%m}",
        "open_clients": sum(1 for c in h.clients if c.first <= len(h.months) - 2 <= c.last),
        "timer_client": h.clients[max(range(len(h.clients)), key=lambda i: (h.clients[i].last, h.clients[i].weight))
                                   ].name,
        "pdf_invoice": _invoice_with_pages(ctx, PDF_PAGES) if totals["invoices"] else None,
    }


def _invoice_with_pages(ctx: Context, pages: int) -> dict | None:
    """An issued invoice whose PDF has ``pages`` pages (the page count grows with the timesheet's rows:
    a binary search over the invoices ordered by rows), as ``{"number", "rows", "pages"}``; None if none."""
    from vakit.exporters.pdf import render_invoice_pdf
    from vakit.services.documents import get_by_id

    rows = ctx.ledger.conn.execute("SELECT id, json_array_length(document, '$.timesheet') AS n FROM invoices"
                                   " WHERE status = 'issued' ORDER BY n, id").fetchall()

    def count(k: int) -> int:
        return len(re.findall(rb"/Type\s*/Page\b", render_invoice_pdf(get_by_id(ctx, rows[k]["id"]))))

    lo, hi = 0, len(rows) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        n = count(mid)
        if n == pages:
            inv = get_by_id(ctx, rows[mid]["id"])
            return {"number": inv.number, "rows": rows[mid]["n"], "pages": n}
        lo, hi = (mid + 1, hi) if n < pages else (lo, mid - 1)
    return None


HELP = {"entries": "time entries", "years": "length of the history before --now, in years (0.25: three months)",
        "clients": "clients", "current": "clients active in the last two months (billed by 'invoice run')",
        "invoices": "issued invoices, one per active client-month before the last two",
        "appointments": "appointment rows, a fifth of them occurrences of recurring series",
        "home_tz": "the VA's home zone", "now": "the fixed clock (ISO 8601 with offset), the history's end",
        "seed": "random seed"}


def spec_from_args(argv: list[str] | None = None) -> tuple[Spec, argparse.Namespace]:
    """The :class:`Spec` of the command line (every field is an option) and the other options."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    for f in fields(Spec):
        ap.add_argument(f"--{f.name.replace('_', '-')}", type=type(f.default), default=f.default,
                        help=f"{HELP[f.name]} (default {f.default})")
    ap.add_argument("--small", action="store_true", help="the 1,000-entry ledger the benchmarks use")
    ap.add_argument("--out", type=Path, help="also copy the ledger to this file")
    ap.add_argument("--force", action="store_true", help="generate again even if cached")
    opts = ap.parse_args(argv)
    spec = SMALL if opts.small else Spec(**{f.name: getattr(opts, f.name) for f in fields(Spec)})
    return spec, opts


def main(argv: list[str] | None = None) -> None:
    spec, opts = spec_from_args(argv)
    if opts.force:
        shutil.rmtree(cache_folder(spec), ignore_errors=True)
    try:
        folder, meta = cached_ledger(spec)
    except ValueError as exc:
        raise SystemExit(f"ledger_gen: {exc}") from None
    print(f"{folder / 'ledger.sqlite3'}: {json.dumps(meta['counts'])}")
    if opts.out:
        shutil.copyfile(folder / "ledger.sqlite3", opts.out)
        print(f"copied to {opts.out}")


if __name__ == "__main__":
    sys.exit(main())
