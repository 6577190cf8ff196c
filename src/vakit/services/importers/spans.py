"""Which rows of one import share time with which earlier rows of it, found in memory: the rows are all known
before the first is stored, so :func:`.storing.store` checks a row against the rows the import keeps before
it without a query per row (the ledger's own entries are still probed through its indexes), and the kept rows
are inserted in batches.
"""

from __future__ import annotations

from bisect import bisect_left

from vakit.services.importers.rows import ImportRow


class FileSpans:
    """The intervals ``[start_utc, end_utc)`` (epoch seconds UTC) of ``rows`` (one import's rows, in file order),
    sorted by start, with the latest end reached so far at each position (``reach``), so the rows sharing time
    with one row are found by walking back from its end only as far as an end can still reach its start: a few
    steps per row when rows seldom overlap, at most every row when all of them do."""

    def __init__(self, rows: list[ImportRow]) -> None:
        self.rows = rows
        starts = [r.start_utc for r in rows]
        self.order = sorted(range(len(rows)), key=starts.__getitem__)  # stable: by start, then file order
        self.starts = [starts[i] for i in self.order]
        self.reach: list[int] = []
        top = None
        for i in self.order:
            end = rows[i].end_utc
            top = end if top is None or end > top else top
            self.reach.append(top)

    def earlier(self, i: int, kept: list[int]) -> list[int]:
        """Indexes ``j < i`` of the rows kept (``kept[j]`` true: an entry id) that share time with row ``i``
        (half-open intervals: one ending when row ``i`` starts does not), latest start first."""
        row = self.rows[i]
        start = row.start_utc
        out = []
        k = bisect_left(self.starts, row.end_utc) - 1  # every row at or before k starts before row i ends
        while k >= 0 and self.reach[k] > start:
            j = self.order[k]
            if j < i and kept[j] and self.rows[j].end_utc > start:
                out.append(j)
            k -= 1
        return out
