"""The journal of ``vakit log`` changes, and ``vakit log undo`` that walks it back.

Each ``log`` command that changes the ledger (add, edit, rm, start, stop, switch, cancel, resume, a whole
import; and ``schedule done`` / ``no-show``) records one *change*: its command, a one-line summary, and every
row it touched (a time entry, a client an import created, the appointment whose outcome it recorded) as JSON
before and after. The journal is written in the command's own write
transaction, so a change and its record are stored together or not at all.

Undo takes the newest change not yet undone and, in one write transaction, checks that every row it touched
is still exactly as the change left it, then puts back the ``before`` of each (deleting what the change
inserted, re-inserting what it deleted with its own id: ids are never reused, so the id is still free).
A row that something else has changed since (an invoice draft or an issued invoice took the entry, a later
change that was not undone) makes the undo refuse, naming it; nothing is changed then.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from vakit.core.errors import Locked, NotFound
from vakit.services.context import Context, writes

#: the tables a change may touch, and the columns compared and restored
TABLES = ("time_entries", "clients", "appointments")
#: how a row of each table is named in a refusal
_NAMES = {"time_entries": "time entry", "clients": "client", "appointments": "appointment"}
#: how many changes the journal keeps; older ones are pruned when a new one is recorded
KEEP_CHANGES = 200
#: rows whose after-images :meth:`Change.finish` reads at a time
CHUNK = 2000


def _row(conn: sqlite3.Connection, table: str, row_id: int) -> dict | None:
    assert table in TABLES
    cur = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    row = cur.fetchone()
    if row is None:
        return None
    return {d[0]: row[i] for i, d in enumerate(cur.description)}


class Change:
    """One ``log`` change being recorded inside an open write transaction (``conn``).

    Call :meth:`before` with a row's table and id *before* updating or deleting it, :meth:`inserted` after
    inserting one, then :meth:`finish` (still inside the transaction) to store the rows' after-images.
    """

    def __init__(self, conn: sqlite3.Connection, command: str, created_utc: int) -> None:
        self.conn = conn
        self.command = command
        self.created_utc = created_utc
        self.rows: dict[tuple[str, int], dict | None] = {}
        self._cid: int | None = None  # the log_changes row, stored by finish once a row has changed

    def before(self, table: str, row_id: int) -> None:
        """Remember ``table`` row ``row_id`` as it is now (first call per row wins)."""
        self.rows.setdefault((table, row_id), _row(self.conn, table, row_id))

    def inserted(self, table: str, row_id: int) -> None:
        """Remember that the change inserted ``table`` row ``row_id``."""
        self.rows.setdefault((table, row_id), None)

    def finish(self, summary: str) -> int | None:
        """Store the change with ``summary`` (one line, e.g. ``"add #12 Acme Tue 10 Nov 09:00–10:30"``) and
        the after-image of every remembered row that changed, each at its place in the order remembered (its
        ``seq``). Returns the change id, or None when no row changed.

        Rows are taken :data:`CHUNK` at a time, so an import of 100,000 entries never holds every image at
        once; the after-image of a row the change inserted is written by SQLite itself (``json_object``, one
        statement per chunk) rather than read into Python and dumped again (issue 11)."""
        items = list(self.rows.items())
        for base in range(0, len(items), CHUNK):
            part = list(enumerate(items[base:base + CHUNK], start=base))
            for table in sorted({t for _n, ((t, _r), old) in part if old is None}):
                self._store_inserted(table, [[n, r] for n, ((t, r), old) in part if old is None and t == table],
                                     summary)
            now = self._images([key for _n, (key, old) in part if old is not None])
            changed = [(n, t, r, _dump(old), _dump(now.get((t, r))))
                       for n, ((t, r), old) in part if old is not None and old != now.get((t, r))]
            if changed:
                cid = self._open(summary)
                self.conn.executemany("INSERT INTO log_change_rows (change_id, seq, tbl, row_id, before, after)"
                                      " VALUES (?, ?, ?, ?, ?, ?)", [(cid, *c) for c in changed])
        if self._cid is not None:
            self._prune()
        return self._cid

    def _open(self, summary: str) -> int:
        """The id of this change's ``log_changes`` row, stored on first use."""
        if self._cid is None:
            self._cid = self.conn.execute("INSERT INTO log_changes (command, summary, created_utc) VALUES (?, ?, ?)",
                                          (self.command, summary, self.created_utc)).lastrowid
        return self._cid

    def _store_inserted(self, table: str, places: list[list[int]], summary: str) -> None:
        """Journal the rows of ``table`` the change inserted (``places``: ``[seq, id]`` pairs) that still exist,
        their after-images built as JSON objects by SQLite (the keys sorted, as :func:`_dump` writes them)."""
        assert table in TABLES
        pairs = json.dumps(places)
        if self._cid is None and self.conn.execute(
                f"SELECT 1 FROM {table} WHERE id IN (SELECT json_extract(value, '$[1]') FROM json_each(?)) LIMIT 1",
                (pairs,)).fetchone() is None:
            return
        cid = self._open(summary)
        columns = sorted(r[1] for r in self.conn.execute(f"PRAGMA table_info({table})"))
        image = ", ".join(f"'{c}', e.\"{c}\"" for c in columns)
        self.conn.execute(
            "INSERT INTO log_change_rows (change_id, seq, tbl, row_id, before, after) SELECT ?,"
            f" json_extract(j.value, '$[0]'), ?, e.id, NULL, json_object({image}) FROM json_each(?) j"
            f" JOIN {table} e ON e.id = json_extract(j.value, '$[1]')", (cid, table, pairs))

    def _images(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], dict]:
        """``{(table, id): row as a dict}`` of the rows ``keys`` that exist now, one query per table."""
        now: dict[tuple[str, int], dict] = {}
        for table in {t for t, _r in keys}:
            assert table in TABLES
            ids = json.dumps([r for t, r in keys if t == table])
            cur = self.conn.execute(f"SELECT * FROM {table} WHERE id IN (SELECT value FROM json_each(?))", (ids,))
            names = [d[0] for d in cur.description]
            for row in cur:
                image = dict(zip(names, row))
                now[(table, image["id"])] = image
        return now

    def _prune(self) -> None:
        """Keep the newest :data:`KEEP_CHANGES` changes; older ones can no longer be undone."""
        cut = self.conn.execute("SELECT id FROM log_changes ORDER BY id DESC LIMIT 1 OFFSET ?",
                                (KEEP_CHANGES,)).fetchone()
        if cut is not None:
            self.conn.execute("DELETE FROM log_change_rows WHERE change_id <= ?", (cut[0],))
            self.conn.execute("DELETE FROM log_changes WHERE id <= ?", (cut[0],))


def _dump(row: dict | None) -> str | None:
    return None if row is None else json.dumps(row, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class ChangeInfo:
    """A recorded change: id, command, summary, when (epoch seconds UTC) and how many rows it touched."""

    id: int
    command: str
    summary: str
    created_utc: int
    rows: int


def _rows(conn: sqlite3.Connection, change_id: int) -> list[tuple]:
    return conn.execute("SELECT tbl, row_id, before, after FROM log_change_rows WHERE change_id = ? ORDER BY seq DESC",
                        (change_id,)).fetchall()


def _lock(conn: sqlite3.Connection, change_id: int, later: set | frozenset = frozenset()) -> tuple[str, bool] | None:
    """Why change ``change_id`` cannot be undone now, and whether for good (an issued invoice has locked a
    row it touched); None when it can. Rows in ``later`` (``(table, id)`` touched by newer changes not yet
    undone) are expected to differ: undoing those first puts them back."""
    first = None
    for tbl, row_id, _before, after in _rows(conn, change_id):
        if (tbl, row_id) in later:
            now = _row(conn, tbl, row_id)
            inv = (now or {}).get("invoice_id") if tbl == "time_entries" else None
            row = conn.execute("SELECT status, number FROM invoices WHERE id = ?", (inv,)).fetchone() if inv else None
            if row and row[0] == "issued":
                return f"time entry #{row_id} is billed on issued invoice {row[1]}, which has locked it", True
            continue
        why = _blocker(conn, tbl, row_id, None if after is None else json.loads(after))
        if why and why.endswith("which has locked it"):
            return why, True
        first = first or why
    return (first, False) if first else None


def undoable(ctx: Context, limit: int = 20) -> list[tuple[ChangeInfo, str | None]]:
    """The newest changes not yet undone, newest first (at most ``limit``), each with the reason it cannot be
    undone now (None when it can)."""
    conn = ctx.ledger.conn
    rows = conn.execute(
        "SELECT c.id, c.command, c.summary, c.created_utc, (SELECT count(*) FROM log_change_rows r"
        " WHERE r.change_id = c.id) FROM log_changes c WHERE c.undone_utc IS NULL ORDER BY c.id DESC LIMIT ?",
        (limit,)).fetchall()
    out = []
    later: set[tuple[str, int]] = set()
    for r in rows:
        lock = _lock(conn, r[0], later)
        out.append((ChangeInfo(*r), lock[0] if lock else None))
        later |= {(t, i) for t, i, _b, _a in _rows(conn, r[0])}
    return out


def _blocker(conn: sqlite3.Connection, table: str, row_id: int, expected: dict | None) -> str | None:
    """Why ``table`` row ``row_id`` cannot be put back, or None: it must still be as the change left it."""
    now = _row(conn, table, row_id)
    if now == expected:
        return None
    what = _NAMES[table]
    inv = (now or {}).get("invoice_id") if table == "time_entries" else None
    if inv is not None:
        row = conn.execute("SELECT status, number FROM invoices WHERE id = ?", (inv,)).fetchone()
        if row and row[0] == "issued":
            return f"{what} #{row_id} is billed on issued invoice {row[1]}, which has locked it"
        return f"{what} #{row_id} is on draft invoice #{inv} (delete the draft first: vakit invoice delete '#{inv}')"
    if now is None:
        return f"{what} #{row_id} has been deleted since"
    if expected is None:
        return f"{what} #{row_id} exists again"
    changed = sorted(k for k in now if now.get(k) != expected.get(k))
    return f"{what} #{row_id} has changed since ({', '.join(changed)})"


@dataclass(frozen=True)
class Undone:
    """The change an undo reverted, and the newer ones it stepped past because issued invoices have locked
    them for good (each with the reason)."""

    change: ChangeInfo
    skipped: tuple[tuple[ChangeInfo, str], ...] = ()


@writes
def undo(ctx: Context) -> Undone:
    """Revert the newest change not yet undone, in one write transaction; returns what was reverted.

    A change that an issued invoice has since locked can never be undone: undo steps past it (and says so) to
    the next. Raises NotFound when there is nothing to undo; Locked when the change's rows have since been put
    on a draft or changed by something else, or putting them back would clash with what is stored now (an
    overlap, a second running timer, a client removed since); nothing is changed then.
    """
    with ctx.ledger.write() as conn:
        skipped: list[tuple[ChangeInfo, str]] = []
        for head in conn.execute("SELECT c.id, c.command, c.summary, c.created_utc, (SELECT count(*) FROM"
                                 " log_change_rows r WHERE r.change_id = c.id) FROM log_changes c WHERE"
                                 " c.undone_utc IS NULL ORDER BY c.id DESC").fetchall():
            info = ChangeInfo(*head)
            lock = _lock(conn, info.id)
            if lock and lock[1]:
                skipped.append((info, lock[0]))
                continue
            if lock:
                raise Locked(f"cannot undo '{info.summary}': {lock[0]}", "nothing was changed")
            rows = _rows(conn, info.id)
            mine = {r[1] for r in rows if r[0] == "time_entries"}
            again = [r[1] for r in rows if r[0] == "time_entries" and r[2] and json.loads(r[2])["end_utc"] is None]
            other = conn.execute("SELECT id FROM time_entries WHERE end_utc IS NULL").fetchone()
            if again and other and other[0] not in mine:
                raise Locked(f"cannot undo '{info.summary}': timer #{other[0]} is running, so time entry "
                             f"#{again[0]} cannot run again", "stop it first (nothing was changed)")
            back = {r[1] for r in rows if r[0] == "clients" and r[2]}
            for tbl, row_id, before, _after in rows:
                cid = json.loads(before)["client_id"] if tbl == "time_entries" and before else None
                if cid is not None and cid not in back and not conn.execute("SELECT 1 FROM clients WHERE id = ?",
                                                                            (cid,)).fetchone():
                    raise Locked(f"cannot undo '{info.summary}': the client of time entry #{row_id} has been "
                                 "removed since", "nothing was changed")
            # entries the change inserted go first (they may hold a client it created), entries it changed or
            # deleted come back last (they may need a client put back); an appointment's outcome any time
            order = ([r for r in rows if r[0] == "time_entries" and r[2] is None]
                     + [r for r in rows if r[0] == "clients"]
                     + [r for r in rows if r[0] == "time_entries" and r[2] is not None]
                     + [r for r in rows if r[0] == "appointments"])
            for tbl, row_id, before, _after in order:
                _restore(conn, tbl, row_id, None if before is None else json.loads(before))
            clash = _clash_after(conn, [r[1] for r in rows if r[0] == "time_entries" and r[2] is not None])
            if clash:
                raise Locked(f"cannot undo '{info.summary}': {clash}", "nothing was changed")
            conn.execute("UPDATE log_changes SET undone_utc = ? WHERE id = ?", (ctx.clock.now_utc(), info.id))
            return Undone(info, tuple(skipped))
        if skipped:
            raise Locked(f"nothing can be undone: the {len(skipped)} change(s) left are locked by issued invoices"
                         f" (newest: '{skipped[0][0].summary}': {skipped[0][1]})")
        raise NotFound("nothing to undo", "'vakit log undo --list' shows what can be undone")


def _clash_after(conn: sqlite3.Connection, entry_ids: list[int]) -> str | None:
    """Whether entries just put back overlap what is stored now (an overlap not allowed on purpose). Returns
    the reason, or None."""
    for eid in entry_ids:
        e = _row(conn, "time_entries", eid)
        if e is None:
            continue
        if not e["overlap_ok"]:
            from vakit.services.timesheet import overlapping

            other = [i for i in overlapping(conn, e["start_utc"], e["end_utc"]) if i != eid]
            if other:
                return f"time entry #{eid} would overlap entry #{other[0]}, added since"
    return None


def _restore(conn: sqlite3.Connection, table: str, row_id: int, image: dict | None) -> None:
    """Make ``table`` row ``row_id`` equal ``image`` (None: absent)."""
    assert table in TABLES
    if image is None:
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        return
    cols = list(image)
    if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone():
        sets = ", ".join(f"{c} = ?" for c in cols if c != "id")
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [image[c] for c in cols if c != "id"] + [row_id])
    else:
        conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                     [image[c] for c in cols])

