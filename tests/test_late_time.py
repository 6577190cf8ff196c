"""No billable second is lost or billed twice (issue 6): each way time used to be stranded, where it is billed
now and that it is billed once; issuing across billing zones in one sitting; the month-end run.

The VA lives in Manila (UTC+8). Chicago is UTC−6 in November/December, Auckland UTC+13, London UTC+0.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import subprocess

import pytest

MANILA = "Asia/Manila"


def js(res):
    return json.loads(res.stdout)["data"]


def make_ledger(cli, db, clients=(("Chi", "USD", "America/Chicago"),), *, rate="60.00"):
    cli("--db", db, "init", "--name", "Ana VA", "--tz", MANILA, "--currency", "PHP", "--locale", "en_PH",
        "--number-pattern", "INV-{year}-{seq:04}")
    for name, cur, tz in clients:
        cli("--db", db, "client", "add", name, "--currency", cur, "--tz", tz)
        cli("--db", db, "contract", "add", "-c", name, "--rate", rate, "--billing-tz", tz, "--from", "2026-10-01")


def billed(cli, db, number) -> int:
    return js(cli("--db", db, "invoice", "show", number, "--json"))["billed_seconds"]


def unbilled(cli, db) -> list[tuple[str, str, int, str | None]]:
    return [(g["client"], g["month"], g["seconds"], g["invoiced_on"])
            for g in js(cli("--db", db, "invoice", "unbilled", "--json"))]


def logged_billable(db) -> int:
    return sqlite3.connect(db).execute("SELECT sum(end_utc - start_utc) FROM time_entries WHERE billable = 1 AND"
                                       " end_utc IS NOT NULL").fetchone()[0]


def check(cli, db):
    res = cli("--db", db, "db", "check")
    assert res.exit_code == 0 and ": ok (" in res.stdout, res.output


def test_a_timer_running_across_month_end_is_refused_then_billed_in_both_months(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-30T20:00:00-06:00"
    make_ledger(cli, db)
    cli("--db", db, "log", "add", "-c", "Chi", "--from", "2026-11-30 09:00", "--to", "12:00", "--tz",
        "America/Chicago")
    cli("--db", db, "log", "start", "-c", "Chi", "--at", "22:00", "--tz", "America/Chicago",
        now="2026-11-30T22:00:00-06:00")
    cli.now = "2026-12-01T09:00:00-06:00"
    before = sqlite3.connect(db).execute("SELECT * FROM time_entries").fetchall()
    res = cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-11", ok=False)
    assert res.exit_code == 1 and res.stderr == (
        "vakit: a timer for Chi has run since Mon 30 Nov 2026 22:00 CST (UTC-06:00) (entry #2), into the period "
        "2026-11 being billed (stop it first: vakit log stop; then make the invoice)\n")
    assert sqlite3.connect(db).execute("SELECT * FROM time_entries").fetchall() == before
    run = cli("--db", db, "invoice", "run", "--month", "2026-11", ok=False)
    assert run.exit_code == 1 and "month end for 2026-11 cannot run yet: a timer for Chi has run since" in run.stderr
    cli("--db", db, "log", "stop", "--at", "2026-12-01 01:30")
    cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-11")
    cli("--db", db, "invoice", "issue", "#1")
    assert billed(cli, db, "INV-2026-0001") == 3 * 3600 + 2 * 3600  # 09:00–12:00 and 22:00–24:00
    assert unbilled(cli, db) == [("Chi", "2026-12", 5400, None)]  # 00:00–01:30 waits for December
    cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-12", now="2027-01-01T09:00:00-06:00")
    cli("--db", db, "invoice", "issue", "#2", now="2027-01-01T09:00:00-06:00")
    assert billed(cli, db, "INV-2027-0001") == 5400
    assert logged_billable(db) == 3 * 3600 + 3.5 * 3600  # billed exactly once in all
    assert unbilled(cli, db) == []
    check(cli, db)


def test_a_late_entry_for_an_invoiced_month_is_named_listed_and_billed_next_month(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-12-02T08:00:00+08:00"
    make_ledger(cli, db)
    cli("--db", db, "log", "add", "-c", "Chi", "--from", "2026-11-10 09:00", "--duration", "2h", "--tz",
        "America/Chicago")
    cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-11")
    cli("--db", db, "invoice", "issue", "#1")
    late = cli("--db", db, "log", "add", "-c", "Chi", "--from", "2026-11-20 10:00", "--duration", "1h15m", "--tz",
               "America/Chicago")
    assert late.stderr == ("vakit: note: November 2026 is invoiced (INV-2026-0001); this 1:15 is not on it: it will "
                           "show in 'vakit invoice unbilled' and can be billed with --include-earlier or "
                           "--supplementary\n")
    assert unbilled(cli, db) == [("Chi", "2026-11", 4500, "INV-2026-0001")]
    res = cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-11", ok=False)
    assert "Chi already has invoice INV-2026-0001 for 2026-11" in res.stderr
    cli.now = "2027-01-02T08:00:00+08:00"
    cli("--db", db, "log", "add", "-c", "Chi", "--from", "2026-12-07 09:00", "--duration", "30m", "--tz",
        "America/Chicago")
    dry = cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-12", "--dry-run")
    assert "1:30 h" not in dry.stdout and "note: Chi has 1:15 h of unbilled time from before December 2026" in \
        dry.stderr
    [inv] = js(cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-12", "--include-earlier", "--json"))
    # December 0.50 h × 60 = 30.00; earlier 1.25 h × 60 = 75.00; total 105.00
    assert [(li["description"], li["quantity"], li["amount"]["amount"]) for li in inv["lines"]] == [
        ("Virtual assistance, December 2026", "0.50", "30.00"), ("Earlier time, 20 Nov 2026", "1.25", "75.00")]
    assert inv["total"]["amount"] == "105.00" and inv["billed_seconds"] == 1800 + 4500
    cli("--db", db, "invoice", "issue", f"#{inv['id']}")
    assert unbilled(cli, db) == []
    assert billed(cli, db, "INV-2026-0001") + billed(cli, db, "INV-2027-0001") == logged_billable(db) == 4 * 3600 - 900
    check(cli, db)


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_part_of_an_entry_in_an_invoiced_month_goes_on_a_supplementary_invoice(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-12-02T08:00:00+08:00"
    make_ledger(cli, db)
    cli("--db", db, "log", "add", "-c", "Chi", "--from", "2026-11-10 09:00", "--duration", "2h", "--tz",
        "America/Chicago")
    cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-11")
    cli("--db", db, "invoice", "issue", "#1")
    # logged afterwards: 30 Nov 23:00 – 1 Dec 01:00 Chicago, one hour on each side of the month's end
    cli("--db", db, "log", "add", "-c", "Chi", "--from", "2026-11-30 23:00", "--to", "01:00", "--tz",
        "America/Chicago")
    assert unbilled(cli, db) == [("Chi", "2026-11", 3600, "INV-2026-0001"), ("Chi", "2026-12", 3600, None)]
    [sup] = js(cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-11", "--supplementary", "--json"))
    assert [(li["description"], li["quantity"], li["amount"]["amount"]) for li in sup["lines"]] == [
        ("Additional time, November 2026 (supplementary to INV-2026-0001)", "1.00", "60.00")]
    cli("--db", db, "invoice", "issue", f"#{sup['id']}")
    shown = js(cli("--db", db, "invoice", "show", "INV-2026-0002", "--json"))
    assert shown["refers_to"] == {"number": "INV-2026-0001", "issue_date": "2026-12-02"}
    row = sqlite3.connect(db).execute("SELECT refers_to, subtotal_minor, total_minor FROM invoices WHERE number ="
                                      " 'INV-2026-0002'").fetchone()
    assert row == (1, 6000, 6000)
    cli("--db", db, "invoice", "pdf", "INV-2026-0002", "-o", f"{tmp_path}/")
    text = pdf_text(tmp_path / "INV-2026-0002.pdf")
    assert "SUPPLEMENTARY INVOICE" in text and "INV-2026-0001 of 2026-12-02" in text and "$60.00" in text
    assert unbilled(cli, db) == [("Chi", "2026-12", 3600, None)]
    res = cli("--db", db, "invoice", "create", "-c", "Chi", "--month", "2026-11", "--supplementary", ok=False)
    assert "no unbilled billable time for Chi in 2026-11" in res.stderr
    check(cli, db)


def test_late_time_on_a_retainer_bills_only_the_overage_it_adds(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-12-02T08:00:00+08:00"
    cli("--db", db, "init", "--name", "Ana VA", "--tz", MANILA, "--currency", "PHP", "--number-pattern",
        "INV-{year}-{seq:04}")
    cli("--db", db, "client", "add", "Ret", "--currency", "USD", "--tz", "America/Chicago")
    cli("--db", db, "contract", "add", "-c", "Ret", "--kind", "retainer", "--fee", "800", "--included-hours", "10",
        "--overage-rate", "50", "--billing-tz", "America/Chicago", "--from", "2026-11-01")
    cli("--db", db, "log", "add", "-c", "Ret", "--from", "2026-11-10 09:00", "--duration", "8h", "--tz",
        "America/Chicago")
    cli("--db", db, "invoice", "create", "-c", "Ret", "--month", "2026-11")
    cli("--db", db, "invoice", "issue", "#1")
    cli("--db", db, "log", "add", "-c", "Ret", "--from", "2026-11-12 09:00", "--duration", "3h", "--tz",
        "America/Chicago")
    [sup] = js(cli("--db", db, "invoice", "create", "-c", "Ret", "--month", "2026-11", "--supplementary", "--json"))
    # 8 h billed + 3 h late − 10 h included = 1 h of overage at 50.00
    assert [(li["quantity"], li["amount"]["amount"]) for li in sup["lines"]] == [("1.00", "50.00")]
    assert "worked 3:00 h; beyond the included hours 1:00 h" in sup["lines"][0]["description"]


@pytest.mark.parametrize("order", list(itertools.permutations(["Kiwi", "Brit", "Chi"])))
def test_drafts_from_three_billing_zones_issue_in_any_order_in_one_sitting(tmp_path, cli, order):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-12-02T07:30:00+08:00"  # Manila morning: 2 Dec in Auckland, still 1 Dec in Chicago and London
    make_ledger(cli, db, (("Kiwi", "NZD", "Pacific/Auckland"), ("Brit", "GBP", "Europe/London"),
                    ("Chi", "USD", "America/Chicago")))
    for i, name in enumerate(("Kiwi", "Brit", "Chi")):
        cli("--db", db, "log", "add", "-c", name, "--from", f"2026-11-1{i} 09:00", "--duration", "1h")
        cli("--db", db, "invoice", "create", "-c", name, "--month", "2026-11")
    ids = {"Kiwi": 1, "Brit": 2, "Chi": 3}
    got = []
    for name in order:
        out = cli("--db", db, "invoice", "issue", f"#{ids[name]}").stdout
        got.append(out.split()[1])
    assert got == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]
    dates = sqlite3.connect(db).execute("SELECT issue_date FROM invoices ORDER BY seq").fetchall()
    assert dates == [("2026-12-02",)] * 3


def test_month_end_run_issues_everything_in_one_go_or_nothing(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-12-02T07:30:00+08:00"
    make_ledger(cli, db, (("Kiwi", "NZD", "Pacific/Auckland"), ("Brit", "GBP", "Europe/London"),
                    ("Chi", "USD", "America/Chicago")))
    for i, name in enumerate(("Kiwi", "Brit", "Chi")):
        cli("--db", db, "log", "add", "-c", name, "--from", f"2026-11-1{i} 09:00", "--duration", "1h30m")
    out_dir = tmp_path / "pdfs"
    out_dir.mkdir()
    (out_dir / "INV-2026-0002.pdf").write_bytes(b"someone else's")
    before = [sqlite3.connect(db).execute(f"SELECT * FROM {t}").fetchall() for t in ("invoices", "time_entries")]  # noqa: S608
    res = cli("--db", db, "invoice", "run", "--month", "2026-11", "--issue", "-o", str(out_dir), ok=False)
    assert res.exit_code == 1 and f"{out_dir}/INV-2026-0002.pdf exists; nothing was issued" in res.stderr
    assert [sqlite3.connect(db).execute(f"SELECT * FROM {t}").fetchall() for t in ("invoices", "time_entries")] == \
        before  # noqa: S608
    (out_dir / "INV-2026-0002.pdf").unlink()
    dry = cli("--db", db, "invoice", "run", "--month", "2026-11").stdout  # drafts only
    assert "Pre-flight for 2026-11: all clear" in dry and "Made 3 drafts" in dry
    assert "NZD 90.00" in dry and "GBP 90.00" in dry and "USD 90.00" in dry
    out = cli("--db", db, "invoice", "run", "--month", "2026-11", "--issue", "-o", str(out_dir)).stdout
    assert "Issued 3 invoices dated 2026-12-02: INV-2026-0001 … INV-2026-0003" in out
    rows = sqlite3.connect(db).execute("SELECT number, status, pdf_sha256 IS NOT NULL, content_sha256 IS NOT NULL"
                                       " FROM invoices ORDER BY seq").fetchall()
    assert rows == [("INV-2026-0001", "issued", 1, 1), ("INV-2026-0002", "issued", 1, 1),
                    ("INV-2026-0003", "issued", 1, 1)]
    names = [js(cli("--db", db, "invoice", "show", n, "--json"))["client"] for n, *_ in rows]
    assert names == ["Brit", "Chi", "Kiwi"]  # client-name order
    assert sorted(p.name for p in out_dir.iterdir()) == ["INV-2026-0001.pdf", "INV-2026-0002.pdf",
                                                         "INV-2026-0003.pdf"]
    for n, *_ in rows:  # the files written are the ones sealed at issue
        import hashlib

        sha = sqlite3.connect(db).execute("SELECT pdf_sha256 FROM invoices WHERE number = ?", (n,)).fetchone()[0]
        assert hashlib.sha256((out_dir / f"{n}.pdf").read_bytes()).hexdigest() == sha
    check(cli, db)
