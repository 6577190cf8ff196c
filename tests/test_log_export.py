"""``vakit log export`` (CSV, JSON, timeclock) and re-import of vakit's own export (issue 7, "Moving out";
field cases C-30 and C-31)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vakit.core.clock import FixedClock
from vakit.core.errors import InvalidValue
from vakit.core.models import Profile
from vakit.core.tags import join_tags
from vakit.exporters.entries import CSV_COLUMNS, entries_csv, entries_json, neutralise, unneutralise
from vakit.services.context import Context
from vakit.services.entry_export import entries_to_export
from vakit.services.importers.native import looks_like, parse_csv, parse_json, read_csv, read_json
from vakit.services.importers.rows import ImportOptions, ImportRow, Parsed
from vakit.services.importers.storing import store
from vakit.services.ledger import add_client as add_client_to
from vakit.services.ledger import save_profile
from vakit.store.db import open_ledger

NOW = "2026-10-20T12:00:00+02:00"
FIELDS = ("client", "start", "end", "tz", "description", "project", "tags", "billable")


def epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


def ctx_for(db: str | Path) -> Context:
    return Context(open_ledger(Path(db)), FixedClock(datetime.fromisoformat(NOW)))


@pytest.fixture
def ledger(tmp_path, cli) -> str:
    """A ledger whose VA lives in Berlin (no entries yet)."""
    db = str(tmp_path / "a.sqlite3")
    cli.now = NOW
    cli("--db", db, "init", "--name", "Test VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE")
    return db


def add_client(cli, db: str, name: str, tz: str = "Europe/Berlin", currency: str = "EUR") -> None:
    cli("--db", db, "client", "add", name, "--tz", tz, "--currency", currency)


def insert(db: str, *, client: str | None, start: str, end: str, tz: str, description: str = "", project: str = "",
           tags: str = "", billable: bool = True, source: str = "manual", source_key: str | None = None) -> int:
    """An entry written straight into the ledger (``log add`` has no --project/--tag), times ISO with offset."""
    ctx = ctx_for(db)
    try:
        with ctx.ledger.write() as conn:
            cid = conn.execute("SELECT id FROM clients WHERE name = ?", (client,)).fetchone()[0] if client else None
            return conn.execute(
                "INSERT INTO time_entries (client_id, start_utc, end_utc, tz, description, project, tags, billable,"
                " source, source_key, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (cid, epoch(start), epoch(end), tz, description, project, tags, int(billable), source, source_key,
                 epoch(NOW))).lastrowid
    finally:
        ctx.ledger.close()


def listed(cli, db: str) -> list[dict]:
    """Every entry of a ledger (``log list --json``), the fields a round trip must keep."""
    out = cli("--db", db, "log", "list", "--from", "2000-01-01", "--to", "2099-12-31", "--json").stdout
    return [{k: e[k] for k in FIELDS} for e in json.loads(out)["data"]]


def import_file(cli, db: str, path: Path, fmt: str, *flags: str):
    """``vakit log import FILE --format csv|json [flags]``, which must succeed."""
    return cli("--db", db, "log", "import", str(path), "--format", fmt, *flags)


def one_line_refusal(res, expect: str) -> None:
    assert res.exit_code == 1, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vakit: ") and expect in lines[0], res.stderr
    assert "Traceback" not in res.output


# ---------------------------------------------------------------------------------------------------- C-30, C-31


def test_c30_excel_bom_and_reimport_round_trips_turkish_text(ledger, cli, tmp_path):
    name, note = "Çağrı Öztürk Danışmanlık", "İş görüşmesi – şubat"
    add_client(cli, ledger, name, tz="Europe/Istanbul", currency="TRY")
    cli("--db", ledger, "log", "add", note, "-c", name, "--from", "2026-10-12 09:15", "--to", "10:40")
    # `vakit log export --format csv --excel > out.csv`
    res = cli("--db", ledger, "log", "export", "--format", "csv", "--excel")
    assert res.stdout_bytes.startswith(b"\xef\xbb\xbf")
    out = tmp_path / "out.csv"
    out.write_bytes(res.stdout_bytes)
    # -o writes the same bytes; without --excel there is no byte-order mark
    cli("--db", ledger, "log", "export", "--format", "csv", "--excel", "-o", str(tmp_path / "o.csv"))
    assert (tmp_path / "o.csv").read_bytes() == out.read_bytes()
    assert not cli("--db", ledger, "log", "export", "--format", "csv").stdout_bytes.startswith(b"\xef\xbb\xbf")
    # the mark is there for Excel, and no reader that skips it sees it in the first header
    assert out.read_bytes().decode("utf-8").startswith("\ufeffid,")
    header = next(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert header[0] == "id" and not header[0].startswith("\ufeff")
    # the import reads every field unchanged
    [row] = parse_csv(out, ImportOptions(tz="UTC")).rows
    assert (row.client, row.description, row.tz, row.start_utc, row.end_utc, row.billable) == (
        name, note, "Europe/Berlin", epoch("2026-10-12T09:15:00+02:00"), epoch("2026-10-12T10:40:00+02:00"), True)
    # `vakit log import out.csv --dry-run` into a ledger that has the client: would add it, stores nothing
    fresh = str(tmp_path / "b.sqlite3")
    cli("--db", fresh, "init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE")
    add_client(cli, fresh, name, tz="Europe/Istanbul", currency="TRY")
    res = cli("--db", fresh, "log", "import", str(out), "--dry-run")  # the format is told from the file
    assert res.stdout.splitlines()[0] == (f"Would import 1 entry (1:25:00) from out.csv (csv): {name} 1:25:00; "
                                          "0 already in the ledger.")
    assert res.stderr == "" and listed(cli, fresh) == []
    import_file(cli, fresh, out, "csv")
    assert listed(cli, fresh) == listed(cli, ledger)


def test_c31_formula_cells_neutralised_numbers_plain(ledger, cli, tmp_path):
    # C-31's invoice export (a credit line of -25.00 in `vakit invoice export`) is another command's: out of
    # scope here. Hours are written to 4 places (0.5000, not C-31's 0.50): see vakit.exporters.entries.
    notes = ['=HYPERLINK("http://example.invalid/?x="&A1,"open")', "+1 call with client", "@channel update",
             "- follow-up email"]
    add_client(cli, ledger, "Acme")
    for day, note in enumerate(notes, start=12):
        cli("--db", ledger, "log", "add", "-c", "Acme", "--from", f"2026-10-{day} 09:00", "--duration", "30m", "--",
            note)
    raw = cli("--db", ledger, "log", "export", "--format", "csv").stdout_bytes.decode("utf-8")
    assert '"\'=HYPERLINK(""http://example.invalid/?x=""&A1,""open"")"' in raw  # RFC 4180 quoting kept
    rows = list(csv.reader(io.StringIO(raw, newline=""), strict=True))
    assert rows[0] == list(CSV_COLUMNS) and all(len(r) == len(CSV_COLUMNS) for r in rows)
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert [r["description"] for r in body] == ["'" + n for n in notes]
    for r in body:  # numbers stay numbers
        assert (r["seconds"], r["hours"]) == ("1800", "0.5000")
        assert r["id"].isdigit() and r["client"] == "Acme" and r["billable"] == "yes"
    assert raw.endswith("\r\n") and raw.count("\r\n") == 5 and "\n" not in raw.replace("\r\n", "")
    # the JSON export carries the text as it is
    js = json.loads(cli("--db", ledger, "log", "export", "--format", "json").stdout)
    assert [e["description"] for e in js["data"]["entries"]] == notes
    # and the import takes exactly the added apostrophe off again
    assert [r.description for r in read_csv(raw.encode(), "out.csv").rows] == notes


def test_apostrophe_rule_is_exactly_undone():
    for text in ("=1+1", "'=1+1", "''@x", "'plain'", "plain", "", "-", "'", "\t=x", "\rx", "a=b", "''"):
        assert unneutralise(neutralise(text)) == text
    assert neutralise("'quoted'") == "'quoted'"  # an apostrophe before a harmless character is left as it is
    assert neutralise("'=x") == "''=x" and unneutralise("'=x") == "=x"


# --------------------------------------------------------------------------------------- exact output, small ledger


@pytest.fixture
def small(ledger, cli) -> str:
    """Three entries: one with project and tags; one without a client, in New York, ending after midnight; one
    across the night Berlin's clocks go back (25 Oct 2026, 03:00 CEST → 02:00 CET): 2 h worked."""
    add_client(cli, ledger, "Acme", tz="America/New_York", currency="USD")
    insert(ledger, client="Acme", start="2026-10-12T09:15:00+02:00", end="2026-10-12T10:40:00+02:00",
           tz="Europe/Berlin", description="Weekly sync", project="Website", tags="calls, email")
    insert(ledger, client=None, start="2026-10-13T23:30:00-04:00", end="2026-10-14T00:45:00-04:00",
           tz="America/New_York", description="Inbox; triage", billable=False, source="timer")
    insert(ledger, client="Acme", start="2026-10-25T01:30:00+02:00", end="2026-10-25T02:30:00+01:00",
           tz="Europe/Berlin", description="Night: migration", source_key="toggl:abc123")
    return ledger


def test_csv_export_exact(small, cli):
    out = cli("--db", small, "log", "export").stdout_bytes  # csv is the default format
    assert out.decode("utf-8") == (
        "id,client,start,end,zone,seconds,hours,billable,tags,project,description,source,invoice,source_key,"
        "long_ok,overlap_ok\r\n"
        "1,Acme,2026-10-12T09:15:00+02:00,2026-10-12T10:40:00+02:00,Europe/Berlin,5100,1.4167,yes,"
        '"calls, email",Website,Weekly sync,manual,,,no,no\r\n'
        "2,,2026-10-13T23:30:00-04:00,2026-10-14T00:45:00-04:00,America/New_York,4500,1.2500,no,,,Inbox; triage,"
        "timer,,,no,no\r\n"
        "3,Acme,2026-10-25T01:30:00+02:00,2026-10-25T02:30:00+01:00,Europe/Berlin,7200,2.0000,yes,,,"
        "Night: migration,manual,,toggl:abc123,no,no\r\n")


def test_json_export_exact(small, cli):
    out = cli("--db", small, "log", "export", "--format", "json").stdout
    expected = {"vakit": "1", "kind": "time_entries_export", "data": {
        "format_version": 1, "exported": "2026-10-20T10:00:00Z", "period": None, "client": None, "entries": [
            {"id": 1, "client": "Acme", "start": "2026-10-12T07:15:00Z", "end": "2026-10-12T08:40:00Z",
             "tz": "Europe/Berlin", "local_start": "2026-10-12T09:15:00+02:00",
             "local_end": "2026-10-12T10:40:00+02:00", "seconds": 5100, "billable": True, "project": "Website",
             "tags": ["calls", "email"], "description": "Weekly sync", "source": "manual", "source_key": None,
             "invoice": None, "long_ok": False, "overlap_ok": False},
            {"id": 2, "client": None, "start": "2026-10-14T03:30:00Z", "end": "2026-10-14T04:45:00Z",
             "tz": "America/New_York", "local_start": "2026-10-13T23:30:00-04:00",
             "local_end": "2026-10-14T00:45:00-04:00", "seconds": 4500, "billable": False, "project": "",
             "tags": [], "description": "Inbox; triage", "source": "timer", "source_key": None, "invoice": None,
             "long_ok": False, "overlap_ok": False},
            {"id": 3, "client": "Acme", "start": "2026-10-24T23:30:00Z", "end": "2026-10-25T01:30:00Z",
             "tz": "Europe/Berlin", "local_start": "2026-10-25T01:30:00+02:00",
             "local_end": "2026-10-25T02:30:00+01:00", "seconds": 7200, "billable": True, "project": "",
             "tags": [], "description": "Night: migration", "source": "manual", "source_key": "toggl:abc123",
             "invoice": None, "long_ok": False, "overlap_ok": False}]}}
    assert out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    # a period and a client are recorded; an entry belongs to the period its start falls in
    js = json.loads(cli("--db", small, "log", "export", "--format", "json", "--month", "2026-10", "--tz",
                        "America/New_York", "-c", "Acme").stdout)["data"]
    assert js["period"] == {"from": "2026-10-01", "to": "2026-10-31", "tz": "America/New_York"}
    assert js["client"] == "Acme" and [e["id"] for e in js["entries"]] == [1, 3]
    js = json.loads(cli("--db", small, "log", "export", "--format", "json", "--date", "2026-10-13",
                        "--tz", "America/New_York").stdout)["data"]
    assert [e["id"] for e in js["entries"]] == [2]


def test_timeclock_export_exact(small, cli, tmp_path):
    out = cli("--db", small, "log", "export", "--format", "timeclock").stdout
    assert out == (
        "; vakit time entries, times in Europe/Berlin (hledger and Ledger read them as local times)\n"
        "i 2026/10/12 09:15:00 Acme:Website  Weekly sync\n"
        "o 2026/10/12 10:40:00\n"
        "i 2026/10/14 05:30:00 no client  Inbox, triage\n"
        "o 2026/10/14 06:45:00\n"
        "; entry #3 crosses a clock change in Europe/Berlin: 2:00:00 worked, the local times span 1:00:00\n"
        "i 2026/10/25 01:30:00 Acme  Night: migration\n"
        "o 2026/10/25 02:30:00\n")
    utc = cli("--db", small, "log", "export", "--format", "timeclock", "--tz", "UTC", "-o",
              str(tmp_path / "t.timeclock"))
    assert utc.stdout == f"Exported 3 entries (4:40 h) to {tmp_path / 't.timeclock'}\n"
    text = (tmp_path / "t.timeclock").read_text()
    assert text.splitlines()[0] == "; vakit time entries, times in UTC (hledger and Ledger read them as local times)"
    assert "i 2026/10/24 23:30:00 Acme  Night: migration\no 2026/10/25 01:30:00\n" in text and "crosses" not in text
    hledger = shutil.which("hledger")
    if hledger:  # an independent reader, when installed: 5100 + 4500 + 7200 s = 4.67 h
        res = subprocess.run([hledger, "-f", str(tmp_path / "t.timeclock"), "balance", "--flat"],
                             capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        assert "1.42h  Acme:Website" in res.stdout and "1.25h  no client" in res.stdout
        assert res.stdout.strip().splitlines()[-1].strip() == "4.67h"


def test_timeclock_account_names_are_sanitised(ledger, cli):
    add_client(cli, ledger, "Birch: UK  Ltd", tz="Europe/London", currency="GBP")
    insert(ledger, client="Birch: UK  Ltd", start="2026-10-12T09:00:00+02:00", end="2026-10-12T09:30:00+02:00",
           tz="Europe/Berlin", project=" Q4:  launch ", description="Plan  the   launch")
    out = cli("--db", ledger, "log", "export", "--format", "timeclock").stdout
    assert out.splitlines()[1] == "i 2026/10/12 09:00:00 Birch UK Ltd:Q4 launch  Plan the launch"


def test_timeclock_parallel_entries_stay_pairs(ledger, cli, tmp_path):
    add_client(cli, ledger, "Acme")
    add_client(cli, ledger, "Birch")
    cli("--db", ledger, "log", "add", "-c", "Acme", "--from", "2026-10-12 09:00", "--to", "10:00", "Call")
    cli("--db", ledger, "log", "add", "-c", "Birch", "--from", "2026-10-12 09:30", "--to", "10:30", "Mail",
        "--allow-overlap")
    path = tmp_path / "p.timeclock"
    cli("--db", ledger, "log", "export", "--format", "timeclock", "-o", str(path))
    assert path.read_text().splitlines()[1:] == [
        "i 2026/10/12 09:00:00 Acme  Call", "o 2026/10/12 10:00:00",
        "i 2026/10/12 09:30:00 Birch  Mail", "o 2026/10/12 10:30:00"]
    hledger = shutil.which("hledger")
    if hledger:  # each clock-in is closed before the next one, as every hledger version wants
        res = subprocess.run([hledger, "-f", str(path), "balance"], capture_output=True, text=True)
        assert res.returncode == 0 and res.stdout.strip().splitlines()[-1].strip() == "2.00h", res.stderr


def test_invoice_number_only_once_issued(ledger, cli):
    add_client(cli, ledger, "Acme")
    cli("--db", ledger, "contract", "add", "--client", "Acme", "--rate", "40.00", "--from", "2026-09-01")
    cli("--db", ledger, "log", "add", "Inbox", "-c", "Acme", "--from", "2026-09-10 09:00", "--to", "10:00")

    def invoice_cell() -> str:
        rows = list(csv.DictReader(io.StringIO(cli("--db", ledger, "log", "export").stdout, newline="")))
        return rows[0]["invoice"]

    assert invoice_cell() == ""
    cli("--db", ledger, "invoice", "create", "-c", "Acme", "--month", "2026-09")
    assert invoice_cell() == ""  # a draft shows nothing
    cli("--db", ledger, "invoice", "issue", "1")
    number = json.loads(cli("--db", ledger, "invoice", "show", "#1", "--json").stdout)["data"]["number"]
    assert number and invoice_cell() == number


# ------------------------------------------------------------------------------------------------------ round trip


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_into_a_fresh_ledger(small, cli, tmp_path, fmt):
    insert(small, client="Acme", start="2026-10-26T08:00:00+01:00", end="2026-10-26T08:00:30+01:00",
           tz="Asia/Kolkata", description="@channel ='x'", project="-ops", tags="+1, 'quoted", billable=False)
    path = tmp_path / f"all.{fmt}"
    cli("--db", small, "log", "export", "--format", fmt, "-o", str(path))
    fresh = str(tmp_path / "fresh.sqlite3")
    cli("--db", fresh, "init", "--name", "VA", "--tz", "Asia/Manila", "--currency", "PHP", "--locale", "en_PH")
    add_client(cli, fresh, "Acme", tz="America/New_York", currency="USD")
    import_file(cli, fresh, path, fmt)
    before = listed(cli, small)
    assert listed(cli, fresh) == before and len(before) == 4
    import_file(cli, fresh, path, fmt)  # importing twice adds nothing
    assert listed(cli, fresh) == before
    # the import fingerprint travels with the entry; the other format's keys are the same ones
    other = tmp_path / f"again.{'json' if fmt == 'csv' else 'csv'}"
    cli("--db", small, "log", "export", "--format", other.suffix[1:], "-o", str(other))
    import_file(cli, fresh, other, other.suffix[1:])
    assert listed(cli, fresh) == before
    ctx = ctx_for(fresh)
    keys = [r[0] for r in ctx.ledger.conn.execute("SELECT source_key FROM time_entries ORDER BY start_utc")]
    ctx.ledger.close()
    assert keys[2] == "toggl:abc123" and all(k.startswith("vakit:") for i, k in enumerate(keys) if i != 2)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_imported_into_the_same_ledger_is_already_there(small, cli, tmp_path, fmt):
    # C-30's last step run in the ledger the file came from: every row is an entry the ledger holds (the
    # Toggl one by its import fingerprint, the others as identical entries), none an overlap
    insert(small, client="Acme", start="2026-10-26T08:00:00+01:00", end="2026-10-26T09:00:00+01:00",
           tz="Europe/Berlin", description="Twin")
    insert(small, client="Acme", start="2026-10-26T08:00:00+01:00", end="2026-10-26T09:00:00+01:00",
           tz="Europe/Berlin", description="Twin")  # two identical parallel entries: two rows, both there
    out = tmp_path / f"out.{fmt}"
    cli("--db", small, "log", "export", "--format", fmt, "-o", str(out))

    def table() -> list[tuple]:
        ctx = ctx_for(small)
        try:
            return [tuple(r) for r in ctx.ledger.conn.execute("SELECT * FROM time_entries ORDER BY id")]
        finally:
            ctx.ledger.close()

    before, entries = table(), listed(cli, small)
    res = cli("--db", small, "log", "import", str(out), "--dry-run")
    assert res.stdout.splitlines() == [f"Would import 0 entries (0:00:00) from out.{fmt} ({fmt}); "
                                       "5 already in the ledger."]
    assert res.stderr == ""
    res = cli("--db", small, "log", "import", str(out))
    assert res.stdout.splitlines() == [f"Imported 0 entries (0:00:00) from out.{fmt} ({fmt}); 5 already in the ledger."]
    assert res.stderr == "" and table() == before and listed(cli, small) == entries
    one_line_refusal(cli("--db", small, "log", "undo", ok=False), "")  # the import recorded no change to undo


def test_an_identical_entry_stands_for_one_row_only(ledger, cli):
    add_client(cli, ledger, "Acme")
    insert(ledger, client="Acme", start="2026-10-12T09:00:00+02:00", end="2026-10-12T10:00:00+02:00",
           tz="Europe/Berlin", description="Call")
    t0, t1 = epoch("2026-10-12T09:00:00+02:00"), epoch("2026-10-12T10:00:00+02:00")
    row = ImportRow(line=2, client="Acme", start_utc=t0, end_utc=t1, tz="Europe/Berlin", key="vakit:a",
                    description="Call")
    ctx = ctx_for(ledger)
    try:
        twice = Parsed(rows=[row, replace(row, line=3, key="vakit:b")])
        with pytest.raises(InvalidValue) as refused:
            store(ctx, twice, "csv", "x.csv", ImportOptions())
        assert str(refused.value) == ("x.csv line 3: the entry of Mon 12 Oct 2026 09:00 – 10:00 CEST (UTC+02:00) "
                                      "overlaps entry #1 (Acme Mon 12 Oct 2026 09:00 – 10:00 CEST (UTC+02:00)) "
                                      "(pass --allow-overlap to import it anyway)")
        r = store(ctx, twice, "csv", "x.csv", ImportOptions(allow_overlap=True, dry_run=True))
        assert (r.duplicates, r.added, r.overlaps) == (1, 1, 1)
        # another description, another client or other times: not the stored entry
        for other in (replace(row, description="Call!"), replace(row, client=""), replace(row, end_utc=t1 + 1)):
            r = store(ctx, Parsed(rows=[other]), "csv", "x.csv", ImportOptions(allow_overlap=True, dry_run=True))
            assert (r.duplicates, r.added, r.overlaps) == (0, 1, 1)
    finally:
        ctx.ledger.close()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_forced_long_entry_round_trips(ledger, cli, tmp_path, fmt):
    add_client(cli, ledger, "Acme")
    cli("--db", ledger, "log", "add", "Conference", "-c", "Acme", "--from", "2026-10-12 06:00", "--to",
        "2026-10-13 00:00", "--force")  # 18 h, over the 16 h maximum on purpose
    cli("--db", ledger, "log", "add", "Inbox", "-c", "Acme", "--from", "2026-10-13 09:00", "--to", "10:00")
    path = tmp_path / f"all.{fmt}"
    cli("--db", ledger, "log", "export", "--format", fmt, "-o", str(path))
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(path.read_text(), newline="")))
        assert [(r["seconds"], r["long_ok"]) for r in rows] == [("64800", "yes"), ("3600", "no")]
    else:
        entries = json.loads(path.read_text())["data"]["entries"]
        assert [(e["seconds"], e["long_ok"]) for e in entries] == [(64800, True), (3600, False)]
    fresh = str(tmp_path / "fresh.sqlite3")
    cli("--db", fresh, "init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR")
    add_client(cli, fresh, "Acme")
    res = import_file(cli, fresh, path, fmt)
    assert res.stdout.startswith("Imported 2 entries (19:00:00)") and res.stderr == ""
    assert listed(cli, fresh) == listed(cli, ledger)
    ctx = ctx_for(fresh)
    try:
        assert [tuple(r) for r in ctx.ledger.conn.execute("SELECT end_utc - start_utc, long_ok FROM time_entries"
                                                          " ORDER BY id")] == [(64800, 1), (3600, 0)]
    finally:
        ctx.ledger.close()
    check = cli("--db", fresh, "db", "check")
    assert check.exit_code == 0 and ": ok (" in check.stdout, check.output
    # and in a file that does not say so, the same entry is still refused
    if fmt == "csv":
        bad = path.read_bytes().replace(b",yes,no\r\n", b",no,no\r\n")
        parsed = read_csv(bad, "x.csv")
    else:
        doc = json.loads(path.read_text())
        del doc["data"]["entries"][0]["long_ok"]
        parsed = read_json(json.dumps(doc).encode(), "x.json")
    assert [(r.line, r.reason) for r in parsed.rejected] == [
        (2 if fmt == "csv" else 1, "an entry of 18:00 is longer than the 16:00 maximum")]


def test_long_ok_must_be_yes_or_no(tmp_path):
    head = ("id,client,start,end,zone,seconds,hours,billable,tags,project,description,source,invoice,source_key,"
            "long_ok\r\n")
    row = "1,Acme,2026-10-12T00:00:00+02:00,2026-10-12T20:00:00+02:00,Europe/Berlin,,,yes,,,,,,,{}\r\n"
    parsed = read_csv((head + row.format("maybe") + row.format("") + row.format("YES")).encode(), "x.csv")
    assert [(r.line, r.reason) for r in parsed.rejected] == [
        (2, "long_ok 'maybe' is neither yes nor no"), (3, "an entry of 20:00 is longer than the 16:00 maximum")]
    assert [(r.line, r.long_ok) for r in parsed.rows] == [(4, True)]
    doc = {"vakit": "1", "kind": "time_entries_export", "data": {"format_version": 1, "entries": [
        {"start": "2026-10-12T00:00:00Z", "end": "2026-10-12T01:00:00Z", "tz": "UTC", "long_ok": "yes"}]}}
    assert [r.reason for r in read_json(json.dumps(doc).encode(), "x.json").rejected] == [
        "long_ok is neither true nor false"]


# ------------------------------------------------------------------------------------- entries parallel on purpose


def stored_flags(db: str) -> list[tuple]:
    ctx = ctx_for(db)
    try:
        return [tuple(r) for r in ctx.ledger.conn.execute(
            "SELECT c.name, e.start_utc, e.overlap_ok FROM time_entries e JOIN clients c ON c.id = e.client_id"
            " ORDER BY e.start_utc")]
    finally:
        ctx.ledger.close()


def fresh_ledger(cli, tmp_path, name: str = "fresh.sqlite3") -> str:
    fresh = str(tmp_path / name)
    cli("--db", fresh, "init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_GB")
    return fresh


NEW_CLIENTS = ("--create-clients", "--client-tz", "Europe/London", "--client-currency", "GBP")
#: the pair as ``vakit log add`` stores it, in either order: the one added second carries --allow-overlap
PAIRS = {"later-second": [("A", "09:00", "11:00"), ("B", "10:00", "12:00")],
         "earlier-second": [("B", "10:00", "12:00"), ("A", "09:00", "11:00")]}


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("order", list(PAIRS))
def test_parallel_entries_round_trip_into_a_fresh_ledger(ledger, cli, tmp_path, fmt, order):
    add_client(cli, ledger, "A")
    add_client(cli, ledger, "B")
    for i, (client, start, end) in enumerate(PAIRS[order]):
        cli("--db", ledger, "log", "add", "--client", client, "--from", f"2026-10-12 {start}", "--to", end,
            *(["--allow-overlap"] if i else []))
    path = tmp_path / f"x.{fmt}"
    cli("--db", ledger, "log", "export", "--format", fmt, "-o", str(path))
    flag = {"A": order == "earlier-second", "B": order == "later-second"}  # by start: A, then B
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(path.read_text(), newline="")))
        assert list(rows[0])[-2:] == ["long_ok", "overlap_ok"]
        assert [(r["client"], r["overlap_ok"]) for r in rows] == [(c, "yes" if flag[c] else "no") for c in "AB"]
    else:
        entries = json.loads(path.read_text())["data"]["entries"]
        assert [(e["client"], e["overlap_ok"]) for e in entries] == [(c, flag[c]) for c in "AB"]
    fresh = fresh_ledger(cli, tmp_path)
    res = cli("--db", fresh, "log", "import", str(path), *NEW_CLIENTS)  # no --allow-overlap needed
    assert res.stdout.splitlines() == [
        f"Imported 2 entries (4:00:00) from x.{fmt} ({fmt}): A 2:00:00, B 2:00:00; 0 already in the ledger.",
        "Created clients: A, B"]
    assert res.stderr == ""
    assert stored_flags(fresh) == [("A", epoch("2026-10-12T09:00:00+02:00"), int(flag["A"])),
                                   ("B", epoch("2026-10-12T10:00:00+02:00"), int(flag["B"]))]
    check = cli("--db", fresh, "db", "check")
    assert check.exit_code == 0 and ": ok (" in check.stdout, check.output
    # exported again, the fresh ledger says the same (ids, sources and keys aside)
    again = tmp_path / f"again.{fmt}"
    cli("--db", fresh, "log", "export", "--format", fmt, "-o", str(again))
    if fmt == "json":
        def same(p: Path) -> list[tuple]:
            return [(e["client"], e["start"], e["end"], e["long_ok"], e["overlap_ok"])
                    for e in json.loads(p.read_text())["data"]["entries"]]
        assert same(again) == same(path)
    # and importing it again adds nothing
    res = cli("--db", fresh, "log", "import", str(path))
    assert res.stdout == f"Imported 0 entries (0:00:00) from x.{fmt} ({fmt}); 2 already in the ledger.\n"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_without_overlap_ok_names_the_row_it_overlaps(ledger, cli, tmp_path, fmt):
    add_client(cli, ledger, "Acme")
    add_client(cli, ledger, "Birch")
    cli("--db", ledger, "log", "add", "--client", "Acme", "--from", "2026-10-12 09:00", "--to", "11:00")
    cli("--db", ledger, "log", "add", "--client", "Birch", "--from", "2026-10-12 10:00", "--to", "12:00",
        "--allow-overlap")
    path = tmp_path / f"old.{fmt}"
    cli("--db", ledger, "log", "export", "--format", fmt, "-o", str(path))
    if fmt == "csv":  # an export from before the column: the last column cut off
        path.write_bytes(b"".join(line.rsplit(b",", 1)[0] + b"\r\n" for line in path.read_bytes().splitlines()))
    else:
        doc = json.loads(path.read_text())
        for e in doc["data"]["entries"]:
            del e["overlap_ok"]
        path.write_text(json.dumps(doc))
    fresh = fresh_ledger(cli, tmp_path)
    first, second = (2, 3) if fmt == "csv" else (1, 2)  # CSV: lines; JSON: entry numbers
    one_line_refusal(cli("--db", fresh, "log", "import", str(path), *NEW_CLIENTS, ok=False),
                     f"vakit: old.{fmt} line {second}: the entry of Mon 12 Oct 2026 10:00 – 12:00 CEST (UTC+02:00) "
                     f"overlaps line {first} of this file (Acme Mon 12 Oct 2026 09:00 – 11:00 CEST (UTC+02:00)) "
                     "(pass --allow-overlap to import it anyway)")
    assert stored_flags(fresh) == []
    res = cli("--db", fresh, "log", "import", str(path), *NEW_CLIENTS, "--allow-overlap")
    assert res.stdout.splitlines()[-1] == ("1 entry overlaps only other rows of this import (imported with "
                                           "--allow-overlap).")
    assert [f for *_, f in stored_flags(fresh)] == [0, 1]


def test_an_overlap_with_a_stored_entry_names_its_client_and_times(ledger, cli, tmp_path):
    add_client(cli, ledger, "Acme")
    cli("--db", ledger, "log", "add", "--client", "Acme", "--from", "2026-10-12 09:00", "--to", "11:00")
    cli("--db", ledger, "log", "add", "--client", "Acme", "--from", "2026-10-12 10:00", "--to", "12:00",
        "--allow-overlap")
    cli("--db", ledger, "log", "add", "--client", "Acme", "--from", "2026-10-13 09:00", "--to", "10:00")
    path = tmp_path / "x.csv"
    cli("--db", ledger, "log", "export", "-o", str(path))
    other = fresh_ledger(cli, tmp_path, "other.sqlite3")
    add_client(cli, other, "Acme")
    cli("--db", other, "log", "add", "Own admin", "--from", "2026-10-13 09:30", "--to", "09:45")
    cli("--db", other, "log", "add", "--client", "Acme", "--from", "2026-10-12 08:00", "--to", "08:30")
    before = stored_flags(other)
    one_line_refusal(cli("--db", other, "log", "import", str(path), ok=False),
                     "vakit: x.csv line 4: the entry of Tue 13 Oct 2026 09:00 – 10:00 CEST (UTC+02:00) overlaps "
                     "entry #1 (own time Tue 13 Oct 2026 09:30 – 09:45 CEST (UTC+02:00)) (pass --allow-overlap to "
                     "import it anyway)")
    assert stored_flags(other) == before
    # a row marked overlap_ok overlaps whatever it meets; the others need --allow-overlap, and are counted apart
    cli("--db", other, "log", "rm", "2")
    cli("--db", other, "log", "add", "--client", "Acme", "--from", "2026-10-12 11:30", "--to", "12:30")
    res = cli("--db", other, "log", "import", str(path), "--allow-overlap")
    assert res.stdout.splitlines() == [
        "Imported 3 entries (5:00:00) from x.csv (csv): Acme 5:00:00; 0 already in the ledger.",
        "1 entry overlaps stored entries (imported with --allow-overlap)."]
    # 09:00–11:00 no; 10:00–12:00 yes (the file's flag; it meets 11:30–12:30 too); 11:30–12:30 stored before, no;
    # 13 Oct yes (--allow-overlap; the own time it overlaps is not listed here)
    assert [f for *_, f in stored_flags(other)] == [0, 1, 0, 1]
    check = cli("--db", other, "db", "check")
    assert check.exit_code == 0 and ": ok (" in check.stdout, check.output


def test_an_overlap_with_a_running_timer_says_so(ledger, cli, tmp_path):
    add_client(cli, ledger, "Acme")
    cli("--db", ledger, "log", "add", "--client", "Acme", "--from", "2026-10-20 09:00", "--to", "10:00")
    path = tmp_path / "x.csv"
    cli("--db", ledger, "log", "export", "-o", str(path))
    other = fresh_ledger(cli, tmp_path, "other.sqlite3")
    add_client(cli, other, "Acme")
    cli("--db", other, "log", "start", "--client", "Acme", "--at", "2026-10-20 09:30", "Calls")
    one_line_refusal(cli("--db", other, "log", "import", str(path), ok=False),
                     "vakit: x.csv line 2: the entry of Tue 20 Oct 2026 09:00 – 10:00 CEST (UTC+02:00) overlaps "
                     "entry #1 (Acme Tue 20 Oct 2026 09:30 CEST (UTC+02:00) – now (running)) (pass --allow-overlap "
                     "to import it anyway)")


def test_overlap_ok_must_be_yes_or_no(tmp_path):
    head = ("id,client,start,end,zone,seconds,hours,billable,tags,project,description,source,invoice,source_key,"
            "long_ok,overlap_ok\r\n")
    row = "1,Acme,2026-10-12T09:00:00+02:00,2026-10-12T10:00:00+02:00,Europe/Berlin,,,yes,,,,,,,no,{}\r\n"
    parsed = read_csv((head + row.format("maybe") + row.format("") + row.format("Yes")).encode(), "x.csv")
    assert [(r.line, r.reason) for r in parsed.rejected] == [(2, "overlap_ok 'maybe' is neither yes nor no")]
    assert [(r.line, r.overlap_ok) for r in parsed.rows] == [(3, False), (4, True)]
    assert parsed.rows[0].key != parsed.rows[1].key  # two identical parallel rows stay two
    doc = {"vakit": "1", "kind": "time_entries_export", "data": {"format_version": 1, "entries": [
        {"start": "2026-10-12T00:00:00Z", "end": "2026-10-12T01:00:00Z", "tz": "UTC", "overlap_ok": 1},
        {"start": "2026-10-12T00:00:00Z", "end": "2026-10-12T01:00:00Z", "tz": "UTC", "overlap_ok": True}]}}
    parsed = read_json(json.dumps(doc).encode(), "x.json")
    assert [r.reason for r in parsed.rejected] == ["overlap_ok is neither true nor false"]
    assert [r.overlap_ok for r in parsed.rows] == [True]


# hypothesis: random entries in zones with and without DST, at any second, with any text, survive the trip
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029\u200b\ufeff"
_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters=_BIDI)
_PREFIX = st.sampled_from(["", "", "=", "+", "-", "@", "'", "'=", "''-", "' "])
_TEXT = st.tuples(_PREFIX, st.text(_CHARS, max_size=25)).map(lambda t: (t[0] + t[1]).strip())
_TAG = st.tuples(_PREFIX, st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"),
                                                exclude_characters=_BIDI + ","), max_size=8)
                 ).map(lambda t: (t[0] + t[1]).strip()).filter(bool)
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "UTC",
         "Pacific/Chatham", "Europe/Istanbul"]
CLIENTS = [None, "Acme", "=Evil Corp", "'+Quoted", "Çağrı Öztürk Danışmanlık"]
#: instants around clock changes (Berlin and New York, spring and autumn 2026; Lord Howe's half hour)
CHANGES = [epoch("2026-03-29T01:00:00+00:00"), epoch("2026-10-25T01:00:00+00:00"),
           epoch("2026-03-08T07:00:00+00:00"), epoch("2026-11-01T06:00:00+00:00"),
           epoch("2026-04-04T15:00:00+00:00")]
_START = st.one_of(st.integers(epoch("2000-01-01T00:00:00+00:00"), epoch("2035-01-01T00:00:00+00:00")),
                   st.sampled_from(CHANGES).flatmap(lambda t: st.integers(t - 3 * 3600, t + 3 * 3600)))
_ENTRY = st.fixed_dictionaries({
    "client": st.sampled_from(CLIENTS), "tz": st.sampled_from(ZONES), "start": _START,
    "seconds": st.integers(1, 16 * 3600), "description": _TEXT, "project": _TEXT,
    "tags": st.lists(_TAG, max_size=4).map(lambda ts: join_tags(ts)), "billable": st.booleans(),
    "source_key": st.one_of(st.none(), st.text("0123456789abcdef", min_size=8, max_size=8).map("toggl:".__add__)),
})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ENTRY, max_size=5, unique_by=lambda e: e["source_key"] or id(e)))
def test_export_then_import_is_exact(rows):
    with tempfile.TemporaryDirectory() as tmp:
        a, b = ctx_for(Path(tmp) / "a.sqlite3"), ctx_for(Path(tmp) / "b.sqlite3")
        try:
            for ctx in (a, b):
                save_profile(ctx, Profile("Test VA", "", "", (), "Europe/Berlin", "EUR", "de_DE", "{year}-{seq:04}"))
                ids = {name: add_client_to(ctx, name, tz="UTC", currency="EUR").id for name in CLIENTS[1:]}
            with a.ledger.write() as conn:
                for r in rows:
                    cid = ids[r["client"]] if r["client"] else None
                    conn.execute("INSERT INTO time_entries (client_id, start_utc, end_utc, tz, description, project,"
                                 " tags, billable, source, source_key, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                                 " 'manual', ?, 0)", (cid, r["start"], r["start"] + r["seconds"], r["tz"],
                                                      r["description"], r["project"], r["tags"], r["billable"],
                                                      r["source_key"]))
            exported = entries_to_export(a).entries
            data_csv, data_json = entries_csv(exported, excel=True), entries_json(exported, exported_utc=0)
            opts = ImportOptions(tz="UTC", allow_overlap=True)
            first = store(b, read_csv(data_csv, "x.csv"), "csv", "x.csv", opts)
            assert first.rejected == [] and first.added == len(rows)
            again = store(b, read_json(data_json, "x.json"), "json", "x.json", opts)  # same keys: nothing added
            assert (again.added, again.duplicates) == (0, len(rows))

            def shape(es):
                return sorted((e.client or "", e.start_utc, e.end_utc, e.tz, e.description, e.project, e.tags,
                               e.billable and e.client is not None) for e in es)

            got = entries_to_export(b).entries
            assert shape(got) == shape(exported)
            # an import fingerprint travels; entries without one get a "vakit:" key
            assert sorted(e.source_key for e in got if not e.source_key.startswith("vakit:")) == \
                sorted(e.source_key for e in exported if e.source_key)
            assert looks_like(data_csv) == "csv" and looks_like(data_json) == "json"
        finally:
            a.ledger.close()
            b.ledger.close()


# ------------------------------------------------------------------------------------------------------- bad input


def test_unknown_format_and_excel_outside_csv_are_refused(small, cli, tmp_path):
    one_line_refusal(cli("--db", small, "log", "export", "--format", "xlsx", ok=False),
                     "unknown export format 'xlsx' (choose csv, json or timeclock)")
    one_line_refusal(cli("--db", small, "log", "export", "--format", "json", "--excel", "-o",
                         str(tmp_path / "x.json"), ok=False), "--excel applies to --format csv only")
    assert not (tmp_path / "x.json").exists()


def test_existing_output_file_is_kept_without_force(small, cli, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("precious")
    res = cli("--db", small, "log", "export", "-o", str(target), ok=False)
    one_line_refusal(res, f"{target} exists already")
    assert res.stdout == "" and target.read_text() == "precious"
    cli("--db", small, "log", "export", "-o", str(target), "--force")
    assert target.read_text().startswith("id,client,")
    # a folder gets the default name; - is stdout
    folder = tmp_path / "exports"
    folder.mkdir()
    cli("--db", small, "log", "export", "--format", "json", "-o", f"{folder}/")
    assert json.loads((folder / "vakit-entries.json").read_text())["kind"] == "time_entries_export"
    assert cli("--db", small, "log", "export", "-o", "-").stdout.startswith("id,client,")


def test_unreadable_import_file_is_refused(small, cli, tmp_path):
    missing = tmp_path / "nope.csv"
    one_line_refusal(cli("--db", small, "log", "import", str(missing), "--format", "csv", ok=False),
                     f"cannot read {missing}: No such file or directory")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,client,start\r\n")
    one_line_refusal(cli("--db", small, "log", "import", str(bad), "--format", "csv", ok=False),
                     "bad.csv is not a vakit CSV export: missing column 'end'")
    with pytest.raises(InvalidValue, match="cannot read .*nope.csv"):
        parse_csv(missing, ImportOptions(tz="UTC"))
    with pytest.raises(InvalidValue, match="is not a regular file"):
        parse_json(tmp_path, ImportOptions(tz="UTC"))


def test_running_timer_is_left_out_with_a_note(small, cli):
    cli.now = "2026-10-27T12:00:00+01:00"
    add_client(cli, small, "Birch")
    cli("--db", small, "log", "start", "-c", "Birch", "--at", "11:00", "Calls")
    res = cli("--db", small, "log", "export")
    assert res.stdout_bytes.count(b"\r\n") == 4  # header and the three finished entries
    assert res.stderr.startswith("vakit: note: the running timer is not exported (#4 Birch")
    assert "stop it and export again" in res.stderr
    assert cli("--db", small, "log", "export", "-c", "Acme").stderr == ""  # another client's timer: no note


def test_wrong_header_and_bad_rows(tmp_path):
    good = ("id,client,start,end,zone,seconds,hours,billable,tags,project,description,source,invoice,source_key\r\n"
            "1,Acme,2026-10-12T09:15:00+02:00,2026-10-12T10:40:00+02:00,Europe/Berlin,5100,1.4167,yes,,,,manual,,\r\n")
    with pytest.raises(InvalidValue, match="not a vakit CSV export: missing column 'zone'"):
        read_csv(good.replace(",zone,", ",tz,").encode(), "x.csv")
    bad_rows = [
        "2,Acme,2026-10-12T11:00:00+01:00,2026-10-12T12:00:00+02:00,Europe/Berlin,,,yes,,,,,,",  # offset off
        "3,Acme,2026-10-12T13:00:00+02:00,2026-10-12T12:00:00+02:00,Europe/Berlin,,,yes,,,,,,",  # end first
        "4,Acme,2026-10-12T13:00:00,2026-10-12T14:00:00,Europe/Berlin,,,yes,,,,,,",  # no offset
        "5,Acme,2026-10-12T13:00:00+02:00,2026-10-12T14:00:00+02:00,Mars/Olympus,,,yes,,,,,,",
        "6,Acme,2026-10-12T13:00:00+02:00,2026-10-12T14:00:00+02:00,Europe/Berlin,60,,yes,,,,,,",  # seconds
        "7,Acme,2026-10-12T13:00:00+02:00,2026-10-12T14:00:00+02:00,Europe/Berlin,,,maybe,,,,,,",
        "8,Acme,2026-10-12T13:00:00+02:00",  # too few fields
        "9,Acme,2026-10-12T00:00:00+02:00,2026-10-12T20:00:00+02:00,Europe/Berlin,,,yes,,,,,,",  # over 16 h
    ]
    parsed = read_csv((good + "\r\n".join(bad_rows) + "\r\n").encode(), "x.csv")
    assert len(parsed.rows) == 1
    assert [(r.line, r.reason.split(" ")[0]) for r in parsed.rejected] == [
        (3, "start"), (4, "the"), (5, "start"), (6, "unknown"), (7, "seconds"), (8, "billable"), (9, "3"), (10, "an")]
    assert "has an offset Europe/Berlin does not have" in parsed.rejected[0].reason
    assert parsed.rejected[-1].reason == "an entry of 20:00 is longer than the 16:00 maximum"


def test_json_that_is_not_a_vakit_export(tmp_path):
    with pytest.raises(InvalidValue, match="not valid JSON"):
        read_json(b"{", "x.json")
    with pytest.raises(InvalidValue, match="not a vakit time-entry export \\(its kind is 'time_entries'\\)"):
        read_json(json.dumps({"vakit": "1", "kind": "time_entries", "data": []}).encode(), "x.json")
    newer = {"vakit": "1", "kind": "time_entries_export", "data": {"format_version": 2, "entries": []}}
    with pytest.raises(InvalidValue, match="export format 2; this vakit reads format 1"):
        read_json(json.dumps(newer).encode(), "x.json")
    entries = [{"start": "2026-10-12T07:15:00Z", "end": "2026-10-12T08:40:00Z", "tz": "Europe/Berlin"},
               {"start": "2026-10-12T07:15:00Z", "tz": "Europe/Berlin"}, "nonsense",
               {"start": "2026-10-12T07:15:00Z", "end": "2026-10-12T08:40:00Z", "tz": "UTC", "tags": "a, b"}]
    parsed = read_json(json.dumps({"vakit": "1", "kind": "time_entries_export",
                                   "data": {"format_version": 1, "entries": entries}}).encode(), "x.json")
    assert [r.line for r in parsed.rows] == [1]
    assert [(r.line, r.reason) for r in parsed.rejected] == [
        (2, "end is missing or not text"), (3, "not an object"), (4, "tags is not a list of text")]
    assert looks_like(b"Client,Description\r\n") is None and looks_like(b'{"kind": "x"}') is None
