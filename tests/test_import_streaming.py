"""Imports read one row at a time (issue 11): the lines an export is cut into are exactly those
``io.StringIO(newline="")`` gives the csv module (``\\r\\n``, ``\\r`` or ``\\n``), and the undo journal of an
import written in chunks holds every row's after-image, as one written row by row did."""

from __future__ import annotations

import io
import json
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from vakit.services import changes
from vakit.services.importers.reading import _lines


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
