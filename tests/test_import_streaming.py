"""Imports read one row at a time and store rows in batches (issue 11): the lines an export is cut into are
exactly those ``io.StringIO(newline="")`` gives the csv module (``\\r\\n``, ``\\r`` or ``\\n``), the undo
journal of an import written in chunks holds every row's after-image, as one written row by row did, and the
overlaps found in memory are those a pairwise check finds."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vakit.services import changes
from vakit.services.importers import storing
from vakit.services.importers.reading import _lines
from vakit.services.importers.rows import ImportRow
from vakit.services.importers.spans import FileSpans


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='a,"\r\n é', max_size=60))
def test_lines_are_those_stringio_gives(text):
    assert list(_lines(text)) == list(io.StringIO(text, newline=""))


def test_journal_in_chunks_holds_every_row(cli, tmp_path, monkeypatch):
    """With chunks of 3, an import of 8 rows journals 8 after-images equal to the stored rows, in order."""
    monkeypatch.setattr(changes, "CHUNK", 3)
    cli.now = "2026-11-10T15:00:00+00:00"
    cli("init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP")
    csv = tmp_path / "t.csv"
    rows = ["User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags"]
    for n in range(8):
        rows.append(f"A,a@x,Acme,,,Task {n},Yes,2026-11-0{n + 1},09:00:00,2026-11-0{n + 1},10:00:00,01:00:00,")
    csv.write_text("\n".join(rows) + "\n")
    cli("log", "import", str(csv), "--format", "toggl", "--create-clients", "--client-tz", "Europe/London",
        "--client-currency", "GBP")
    from vakit.cli.common import ledger_path

    conn = sqlite3.connect(ledger_path())
    conn.row_factory = sqlite3.Row
    journal = conn.execute("SELECT seq, tbl, row_id, before, after FROM log_change_rows ORDER BY seq").fetchall()
    assert [(r["tbl"], r["before"]) for r in journal] == [("clients", None)] + [("time_entries", None)] * 8
    for r in journal[1:]:
        stored = dict(conn.execute("SELECT * FROM time_entries WHERE id = ?", (r["row_id"],)).fetchone())
        assert json.loads(r["after"]) == stored
    assert [r["row_id"] for r in journal[1:]] == list(range(1, 9))
    conn.close()
    assert "Undid import" in cli("log", "undo").stdout
    assert sqlite3.connect(ledger_path()).execute("SELECT count(*) FROM time_entries").fetchone() == (0,)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)), max_size=30), st.data())
def test_file_spans_find_what_a_pairwise_check_finds(spans, data):
    """``FileSpans.earlier`` = every kept earlier row sharing time with the row (half-open), latest start first."""
    rows = [ImportRow(line=n + 2, client="", start_utc=s, end_utc=s + d, tz="UTC", key=str(n))
            for n, (s, d) in enumerate(spans)]
    kept = [int(data.draw(st.booleans())) for _ in rows]
    found = FileSpans(rows, long_from=data.draw(st.sampled_from([None, 6])))  # 6: rows over 6 s walked apart
    for i, r in enumerate(rows):
        expected = [j for j in range(i)
                    if kept[j] and rows[j].start_utc < r.end_utc and rows[j].end_utc > r.start_utc]
        got = found.earlier(i, kept)
        assert sorted(got) == expected
        assert [rows[j].start_utc for j in got] == sorted((rows[j].start_utc for j in got), reverse=True)


def _toggl(path, rows):
    head = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags"
    path.write_text("\n".join([head] + [f"A,a@x,Acme,,,{d},Yes,2026-11-{day},{s},2026-11-{day},{e},,"
                                        for d, day, s, e in rows]) + "\n")


def test_batched_inserts_keep_ids_overlaps_and_undo(cli, tmp_path, monkeypatch):
    """Inserted 3 at a time: ids continue above an id deleted before (never reused), an overlap with a row of
    an earlier batch is refused naming its line, allowed with --allow-overlap (counted as in the file), and
    undo removes every row."""
    monkeypatch.setattr(storing, "_BATCH", 3)
    cli.now = "2026-11-20T15:00:00+00:00"
    cli("init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP")
    cli("client", "add", "Acme", "--tz", "Europe/London", "--currency", "GBP")
    cli("log", "add", "--client", "Acme", "--from", "2026-11-19 09:00", "--to", "10:00")
    cli("log", "add", "--client", "Acme", "--from", "2026-11-19 11:00", "--to", "12:00")
    cli("log", "rm", "2")
    csv = tmp_path / "t.csv"
    rows = [(f"Task {n}", f"0{n + 1}", "09:00:00", "10:00:00") for n in range(7)]
    _toggl(csv, rows + [("Late", "02", "09:30:00", "09:45:00")])
    refused = cli("log", "import", str(csv), "--format", "toggl", ok=False)
    assert refused.exit_code == 1 and refused.output.strip().splitlines()[0] == (
        "vakit: t.csv line 9: the entry of Mon 02 Nov 2026 09:30 – 09:45 GMT (UTC+00:00) overlaps line 3 of this"
        " file (Acme Mon 02 Nov 2026 09:00 – 10:00 GMT (UTC+00:00)) (pass --allow-overlap to import it anyway)")
    from vakit.cli.common import ledger_path

    conn = sqlite3.connect(ledger_path())
    assert conn.execute("SELECT id FROM time_entries").fetchall() == [(1,)]
    out = cli("log", "import", str(csv), "--format", "toggl", "--allow-overlap").stdout
    assert "Imported 8 entries" in out and "1 entry overlaps only other rows of this import" in out
    assert conn.execute("SELECT id, overlap_ok FROM time_entries WHERE id > 1 ORDER BY id").fetchall() == [
        (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 1)]
    journal = conn.execute("SELECT row_id, after FROM log_change_rows WHERE change_id = (SELECT max(id) FROM"
                           " log_changes) ORDER BY seq").fetchall()
    assert [r[0] for r in journal] == list(range(3, 11))
    conn.row_factory = sqlite3.Row
    for row_id, after in journal:
        assert json.loads(after) == dict(conn.execute("SELECT * FROM time_entries WHERE id = ?", (row_id,)).fetchone())
    assert "Undid import" in cli("log", "undo").stdout
    assert [tuple(r) for r in conn.execute("SELECT id FROM time_entries")] == [(1,)]


def test_a_long_row_does_not_make_the_rows_inside_it_walk_back_to_it(monkeypatch):
    """A vakit export's year-long ``--force`` entry with 2,000 ten-minute rows inside it: each row's overlap
    search reads a few candidates (its neighbour and the long row), not every row since the long one."""
    from vakit.services.importers import spans

    year = ImportRow(line=2, client="", start_utc=0, end_utc=365 * 86400, tz="UTC", key="y", long_ok=True,
                     overlap_ok=True)
    rows = [year] + [ImportRow(line=n + 3, client="", start_utc=3600 + n * 1800, end_utc=3600 + n * 1800 + 600,
                               tz="UTC", key=str(n)) for n in range(2000)]
    read = []
    walk = spans._Sorted.walk

    def counted(self, start, end):
        for j in walk(self, start, end):
            read.append(j)
            yield j

    monkeypatch.setattr(spans._Sorted, "walk", counted)
    found = FileSpans(rows)
    kept = [1] * len(rows)
    assert all(found.earlier(i, kept) == [0] for i in range(1, len(rows)))
    assert len(read) <= 3 * len(rows)


def test_a_row_a_second_over_the_maximum_says_so_to_the_second():
    from vakit.services.importers.rows import RowError
    from vakit.services.importers.walltime import check_span

    with pytest.raises(RowError) as err:
        check_span(1_700_000_000, 1_700_000_000 + 16 * 3600 + 1)
    assert str(err.value) == "an entry of 16:00:01 is longer than the 16:00 maximum"
