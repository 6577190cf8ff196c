"""Which rows of one import share time with which earlier rows of it, found in memory: the rows are all known
before the first is stored, so :func:`.storing.store` checks a row against the rows the import keeps before
it without a query per row (the ledger's own entries are still probed through its indexes), and the kept rows
are inserted in batches.
"""

from __future__ import annotations

from bisect import bisect_left

from vakit.services.importers.rows import ImportRow


class _Sorted:
    """Rows ``members`` (indexes into ``rows``) sorted by start, with the latest end reached so far at each
    position (``reach``): the rows sharing time with an interval are found by walking back from its end only as
    far as an end can still reach its start."""

    def __init__(self, rows: list[ImportRow], members: list[int]) -> None:
        self.order = sorted(members, key=lambda i: rows[i].start_utc)  # stable: by start, then file order
        self.starts = [rows[i].start_utc for i in self.order]
        self.reach: list[int] = []
        top = None
        for i in self.order:
            end = rows[i].end_utc
            top = end if top is None or end > top else top
            self.reach.append(top)

    def walk(self, start: int, end: int):
        """Indexes of the members that start before ``end`` and may end after ``start``, latest start first."""
        k = bisect_left(self.starts, end) - 1  # every member at or before k starts before ``end``
        while k >= 0 and self.reach[k] > start:
            yield self.order[k]
            k -= 1


class FileSpans:
    """The intervals ``[start_utc, end_utc)`` (epoch seconds UTC) of ``rows`` (one import's rows, in file order).

    Rows up to ``long_from`` seconds long (:data:`vakit.services.timesheet.MAX_ENTRY_SECONDS`: every row but those
    a file allows longer on purpose) are walked apart from the longer ones: among them an end reaches at most
    that far past its start, so finding a row's overlaps reads only the rows starting in the ``long_from`` before
    it, as the ledger's own overlap probe does. The few longer rows are walked on their own, so one of them
    covering a year of rows does not make every row inside it walk back to it (issue 11)."""

    def __init__(self, rows: list[ImportRow], long_from: int | None = None) -> None:
        from vakit.services.timesheet import MAX_ENTRY_SECONDS

        limit = MAX_ENTRY_SECONDS if long_from is None else long_from
        self.rows = rows
        short = [i for i, r in enumerate(rows) if r.end_utc - r.start_utc <= limit]
        long = [i for i, r in enumerate(rows) if r.end_utc - r.start_utc > limit]
        self._parts = [_Sorted(rows, short), _Sorted(rows, long)] if long else [_Sorted(rows, short)]

    def earlier(self, i: int, kept: list[int]) -> list[int]:
        """Indexes ``j < i`` of the rows kept (``kept[j]`` true: an entry id) that share time with row ``i``
        (half-open intervals: one ending when row ``i`` starts does not), latest start first."""
        row = self.rows[i]
        start = row.start_utc
        found = [j for part in self._parts for j in part.walk(start, row.end_utc)
                 if j < i and kept[j] and self.rows[j].end_utc > start]
        if len(self._parts) > 1:
            found.sort(key=lambda j: (self.rows[j].start_utc, j), reverse=True)
        return found
