"""`vakit log import` on the other trackers' own files (shared/data/peers, written by Watson 2.1.0, Timewarrior
1.4.3 and in Clockify's documented layout): per-client seconds exactly as expected.json (issue 7)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

SHARED_PEERS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "peers"
#: the files as the tools wrote them: ../shared/data/peers beside the repository, else the byte-identical copy
#: in tests/data/peers that travels with it (checked against the original below whenever both are there)
PEERS = SHARED_PEERS if SHARED_PEERS.is_dir() else Path(__file__).resolve().parent / "data" / "peers"
EXPECTED = json.loads((PEERS / "expected.json").read_text()) if PEERS.is_dir() else {}
OCT = EXPECTED.get("watson_and_timewarrior_2026-10-12_to_31", {})
SEPT = EXPECTED.get("clockify_2026-09_both_files", {})
NOW = "2026-11-02T09:00:00+01:00"
WATSON_MAP = ["--map", "lumen-co=Lumen & Co", "--map", "casa-verde=Casa Verde", "--map",
              "fjord-analytics=Fjord Analytics"]
CREATE = ["--create-clients", "--client-tz", "Europe/Berlin", "--client-currency", "EUR"]



@pytest.mark.skipif(not SHARED_PEERS.is_dir(), reason="../shared/data/peers is not beside the repository")
def test_the_copy_in_tests_data_is_the_tools_own_files_byte_for_byte():
    copy = Path(__file__).resolve().parent / "data" / "peers"
    originals = sorted(p.relative_to(SHARED_PEERS) for p in SHARED_PEERS.rglob("*") if p.is_file())
    assert originals == sorted(p.relative_to(copy) for p in copy.rglob("*") if p.is_file())
    for rel in originals:
        assert (copy / rel).read_bytes() == (SHARED_PEERS / rel).read_bytes(), rel


@pytest.fixture
def db(tmp_path, cli) -> str:
    """A fresh ledger, VA in Berlin, no clients."""
    path = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", path, "init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_GB")
    return path


def per_client(db: str) -> dict[str, int]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT c.name, sum(e.end_utc - e.start_utc) FROM time_entries e JOIN clients c"
                        " ON c.id = e.client_id GROUP BY c.name").fetchall()
    conn.close()
    return dict(rows)


def stored(db: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT e.start_utc, e.end_utc, c.name, e.description, e.project, e.tags, e.billable,"
                        " e.source FROM time_entries e LEFT JOIN clients c ON c.id = e.client_id"
                        " ORDER BY e.start_utc").fetchall()
    conn.close()
    return rows


def test_watson_folder_gives_the_expected_seconds_per_client(db, cli):
    res = cli("--db", db, "log", "import", str(PEERS / "watson"), *WATSON_MAP, *CREATE)
    assert per_client(db) == OCT["seconds_by_client"]
    assert sum(per_client(db).values()) == OCT["total_seconds"]
    assert res.stdout.splitlines() == [
        "Imported 82 entries (72:03:09) from frames (watson): Casa Verde 27:12:44, Fjord Analytics 22:40:42, "
        "Lumen & Co 22:09:43; 0 already in the ledger.",
        "Created clients: Casa Verde, Fjord Analytics, Lumen & Co",
        "Open: state: fjord-analytics (email) running since Sat 31 Oct 2026 17:00 CET (UTC+01:00), not imported "
        "(stop it in Watson and import again)",
    ]
    assert res.stderr == ""
    rows = stored(db)
    assert len(rows) == OCT["intervals"] == 82
    assert {r[7] for r in rows} == {"import:watson"}
    # the first frame: fjord-analytics, tag email, 1791785700–1791786650 UTC
    assert rows[0][:7] == (1791785700, 1791786650, "Fjord Analytics", "", "", "email", 1)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT source_key FROM time_entries WHERE start_utc = 1791785700").fetchone() == (
        "watson:add7695fcefd4873ad430aed256c1ef4",)
    # the DST night (Sat 24 Oct 23:30 CEST → Sun 25 Oct 03:30 CET) is five real hours
    assert conn.execute("SELECT end_utc - start_utc FROM time_entries WHERE start_utc = 1792877400").fetchone() == (
        5 * 3600,)


def test_watson_frames_file_with_a_map_file(db, cli, tmp_path):
    mf = tmp_path / "clients.map"
    mf.write_text("# Watson project = vakit client\n\nlumen-co = Lumen & Co\nCASA-VERDE = Casa Verde\n"
                  "fjord-analytics=Fjord Analytics\n", encoding="utf-8")
    for name in ("Lumen & Co", "casa verde", "Fjord Analytics"):  # matched in any case
        cli("--db", db, "client", "add", name, "--tz", "Europe/Berlin")
    cli("--db", db, "log", "import", str(PEERS / "watson" / "frames"), "--map-file", str(mf))
    assert per_client(db) == {"Lumen & Co": 79783, "casa verde": 97964, "Fjord Analytics": 81642}


def test_an_unmapped_watson_project_is_the_client_name_as_is(db, cli):
    res = cli("--db", db, "log", "import", str(PEERS / "watson"), ok=False)
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == ("vakit: frames: 3 unknown clients: 'casa-verde', 'fjord-analytics', 'lumen-co' (add them "
                          "first, map them with --map, or pass --create-clients with --client-tz and "
                          "--client-currency)\n")
    for name in ("Casa-Verde", "Fjord-Analytics", "Lumen-Co"):
        cli("--db", db, "client", "add", name, "--tz", "Europe/Berlin")
    cli("--db", db, "log", "import", str(PEERS / "watson"))
    assert per_client(db) == {"Casa-Verde": 97964, "Fjord-Analytics": 81642, "Lumen-Co": 79783}


@pytest.mark.parametrize("where", ["timewarrior", "timewarrior/data", "timewarrior/data/2026-10.data"])
def test_timewarrior_gives_the_expected_seconds_per_client(db, cli, where):
    res = cli("--db", db, "log", "import", str(PEERS / where), *CREATE)
    assert per_client(db) == OCT["seconds_by_client"]
    lines = res.stdout.splitlines()
    source = "2026-10.data" if where.endswith(".data") else "timewarrior/data"
    assert lines[0] == (f"Imported 82 entries (72:03:09) from {source} (timewarrior): Casa Verde 27:12:44, "
                        "Fjord Analytics 22:40:42, Lumen & Co 22:09:43; 0 already in the ledger.")
    assert lines[2] == ("Open: 2026-10.data line 83: Fjord Analytics (email) running since Sat 31 Oct 2026 17:00 CET "
                        "(UTC+01:00), not imported (stop it in Timewarrior and import again)")
    rows = stored(db)
    assert len(rows) == 82 and {r[7] for r in rows} == {"import:timewarrior"}
    # line 5: "Fjord Analytics" calendar "data-entry": the client tag out, the other tags kept (quotes gone)
    assert rows[4][2:6] == ("Fjord Analytics", "", "", "calendar, data-entry")


def test_watson_and_timewarrior_store_the_same_intervals(tmp_path, cli):
    dbs = []
    for n, args in enumerate(([str(PEERS / "watson"), *WATSON_MAP], [str(PEERS / "timewarrior")])):
        path = str(tmp_path / f"l{n}.sqlite3")
        cli("--db", path, "init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", now=NOW)
        cli("--db", path, "log", "import", *args, *CREATE, now=NOW)
        dbs.append([(r[0], r[1], r[2], sorted(r[5].split(", "))) for r in stored(path)])  # timew sorts tags
    assert dbs[0] == dbs[1]


@pytest.mark.parametrize("name", ["clockify-detailed-2026-09-us.csv", "clockify-detailed-2026-09-eu.csv"])
def test_clockify_gives_the_expected_seconds_per_client(db, cli, name):
    res = cli("--db", db, "log", "import", str(PEERS / name), "--tz", SEPT["zone"], *CREATE)
    assert per_client(db) == SEPT["seconds_by_client"]
    assert sum(per_client(db).values()) == SEPT["total_seconds"]
    assert len(stored(db)) == SEPT["rows"] == 98
    assert res.stdout.splitlines()[0] == (
        f"Imported 98 entries (87:40:54) from {name} (clockify): Casa Verde 25:33:24, Fjord Analytics 32:21:17, "
        "Lumen & Co 29:46:13; 0 already in the ledger.")
    # line 99: 23:30 → 03:30 across the night the clocks go back, "04:00:00": the start and the duration are
    # what was recorded (the end was written by wall-clock arithmetic); said on stderr
    assert res.stderr == (f"vakit: note: {name} line 99: the Duration (h) 04:00:00 is the wall-clock time from "
                          "23:30:00 to 03:30:00 across a clock change in Europe/Lisbon: stored as the start plus "
                          "04:00:00, ending Sun 25 Oct 2026 02:30 WET (UTC+00:00)\n")


def test_clockify_us_and_eu_give_identical_entries(tmp_path, cli):
    got = []
    for region in ("us", "eu"):
        path = str(tmp_path / f"{region}.sqlite3")
        cli("--db", path, "init", "--name", "VA", "--tz", "Europe/Lisbon", "--currency", "EUR", now=NOW)
        cli("--db", path, "log", "import", str(PEERS / f"clockify-detailed-2026-09-{region}.csv"), *CREATE, now=NOW)
        got.append(stored(path))
    assert got[0] == got[1] and len(got[0]) == 98
    assert got[0][0] == (1788247800, 1788250209, "Lumen & Co", "Email for Lumen & Co", "VA support", "email", 1,
                         "import:clockify")
    # the same report in the other settings is the same rows: nothing new
    res = cli("--db", str(tmp_path / "us.sqlite3"), "log", "import", str(PEERS / "clockify-detailed-2026-09-eu.csv"),
              now=NOW)
    assert res.stdout.startswith("Imported 0 entries (0:00:00) from clockify-detailed-2026-09-eu.csv (clockify); "
                                 "98 already in the ledger.")


def test_importing_the_same_folder_twice_adds_nothing(db, cli):
    cli("--db", db, "log", "import", str(PEERS / "timewarrior"), *CREATE)
    before = stored(db)
    res = cli("--db", db, "log", "import", str(PEERS / "timewarrior"))
    assert res.stdout.splitlines()[0] == ("Imported 0 entries (0:00:00) from timewarrior/data (timewarrior); "
                                          "82 already in the ledger.")
    assert stored(db) == before


def test_a_dry_run_shows_totals_per_client_and_stores_nothing(db, cli):
    res = cli("--db", db, "log", "import", str(PEERS / "watson"), *WATSON_MAP, *CREATE, "--dry-run")
    assert res.stdout.splitlines()[:6] == [
        "Would import 82 entries (72:03:09) from frames (watson): Casa Verde 27:12:44, Fjord Analytics 22:40:42, "
        "Lumen & Co 22:09:43; 0 already in the ledger.",
        "  Casa Verde: 27:12:44 (97964 s)",
        "  Fjord Analytics: 22:40:42 (81642 s)",
        "  Lumen & Co: 22:09:43 (79783 s)",
        "  total: 72:03:09 (259389 s)",
        "Would create clients: Casa Verde, Fjord Analytics, Lumen & Co",
    ]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT (SELECT count(*) FROM time_entries), (SELECT count(*) FROM clients)").fetchone() \
        == (0, 0)


@pytest.mark.parametrize("where,fmt", [("watson", "watson"), ("watson/frames", "watson"),
                                       ("timewarrior", "timewarrior"), ("timewarrior/data/2026-10.data", "timewarrior"),
                                       ("clockify-detailed-2026-09-us.csv", "clockify")])
def test_the_format_is_told_from_the_file(db, cli, where, fmt):
    res = cli("--db", db, "log", "import", str(PEERS / where), "--tz", "Europe/Lisbon", *CREATE, "--dry-run")
    assert f" ({fmt}): " in res.stdout.splitlines()[0]


@pytest.mark.parametrize("where,fmt,message", [
    ("clockify-detailed-2026-09-eu.csv", "toggl", "vakit: clockify-detailed-2026-09-eu.csv is not a Toggl Track "
     "detailed export: this looks like a Clockify detailed report; use --format clockify"),
    ("watson/frames", "timewarrior", "vakit: frames is not Timewarrior data: this looks like Watson's frames file; "
     "use --format watson"),
    ("timewarrior/data/2026-10.data", "watson", "vakit: 2026-10.data is not Watson's frames file: this looks like "
     "Timewarrior data; use --format timewarrior"),
])
def test_a_file_given_as_another_format_is_named_for_what_it_is(db, cli, where, fmt, message):
    res = cli("--db", db, "log", "import", "--format", fmt, str(PEERS / where), ok=False)
    assert res.exit_code == 1 and res.stdout == "" and res.stderr == message + "\n"


def test_a_toggl_file_given_as_clockify_is_named(db, cli, csv_path):
    res = cli("--db", db, "log", "import", "--format", "clockify", str(csv_path), ok=False)
    assert res.exit_code == 1 and res.stderr == (f"vakit: {csv_path.name} is not a Clockify detailed report: this "
                                                 "looks like a Toggl Track detailed export; use --format toggl\n")


def test_a_map_to_a_client_that_does_not_exist_is_refused(db, cli):
    res = cli("--db", db, "log", "import", str(PEERS / "watson"), "--map", "lumen-co=Lumen and Co", ok=False)
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == ("vakit: --map lumen-co=Lumen and Co: no client named 'Lumen and Co' (add it first, or pass "
                          "--create-clients with --client-tz and --client-currency)\n")
    assert stored(db) == []


def test_undo_takes_back_the_whole_import_and_the_clients_it_made(db, cli):
    cli("--db", db, "client", "add", "Casa Verde", "--tz", "Europe/Berlin")
    cli("--db", db, "log", "import", str(PEERS / "watson"), *WATSON_MAP, *CREATE)
    assert len(stored(db)) == 82
    res = cli("--db", db, "log", "undo")
    assert res.stdout.startswith("Undid import frames (watson): 82 entries, 72:03:09 h, clients Fjord Analytics, "
                                 "Lumen & Co created")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM time_entries").fetchone() == (0,)
    assert [r[0] for r in conn.execute("SELECT name FROM clients")] == ["Casa Verde"]  # it was there before
    # and the same file imports again in full
    cli("--db", db, "log", "import", str(PEERS / "watson"), *WATSON_MAP, *CREATE)
    assert per_client(db) == OCT["seconds_by_client"]


@pytest.mark.parametrize("name", ["undo.data", "tags.data"])
@pytest.mark.parametrize("fmt", [[], ["--format", "timewarrior"]])
def test_timewarrior_files_that_hold_no_intervals_are_refused_in_one_line(db, cli, name, fmt):
    res = cli("--db", db, "log", "import", str(PEERS / "timewarrior" / "data" / name), *fmt, *CREATE, ok=False)
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.splitlines() == [
        f"vakit: {name} is not a Timewarrior data file: no line starts with 'inc' (Timewarrior keeps intervals in "
        "data/YYYY-MM.data)"]
    assert stored(db) == []
