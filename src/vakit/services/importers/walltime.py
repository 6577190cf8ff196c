"""Local times settled in the file's zone: a wall time without an offset (Toggl, Clockify) → epoch seconds UTC,
never guessed. A time in a spring-forward gap is refused; one that happens twice (fall-back) is settled by
the file itself where it can be (a stated duration that only one reading matches), else by ``--fold``, else
refused. :func:`check_span` is the check every importer makes of an interval, however its times were read.
"""

from __future__ import annotations

from datetime import datetime

from vakit.core.clock import UTC, fmt_hm, fmt_local, fmt_span, zone
from vakit.core.timeparse import MAX_YEAR, MIN_YEAR
from vakit.services.importers.rows import FOLDS, RowError
from vakit.services.timesheet import MAX_ENTRY_SECONDS


def readings(naive: datetime, tz: str) -> tuple[int, ...]:
    """A wall time in ``tz`` → its instants, epoch seconds UTC: one, or two (earlier first) for a wall time
    that happens twice (fall-back). Raises :class:`RowError` for one in a spring-forward gap."""
    zi = zone(tz)
    a, b = naive.replace(tzinfo=zi, fold=0), naive.replace(tzinfo=zi, fold=1)
    ta, tb = int(a.timestamp()), int(b.timestamp())
    if ta == tb:  # both folds agree only on a wall time that happens once (PEP 495): the common case, settled
        return (ta,)
    if a.astimezone(UTC).astimezone(zi).replace(tzinfo=None) != naive:
        raise RowError(f"{naive:%Y-%m-%d %H:%M:%S} does not exist in {tz} (the clocks skip it)")
    return (min(ta, tb), max(ta, tb))


#: the first and last instants vakit keeps (epoch seconds UTC)
_FIRST = int(datetime(MIN_YEAR, 1, 1, tzinfo=UTC).timestamp())
_LAST = int(datetime(MAX_YEAR, 12, 31, tzinfo=UTC).timestamp())


def _twice(naive: datetime, tz: str) -> RowError:
    return RowError(f"{naive:%Y-%m-%d %H:%M:%S} happens twice in {tz} (the clocks go back); "
                    "pass --fold earlier or --fold later")


def settle_wall(naive: datetime, tz: str, fold: str | None) -> int:
    """A wall time in ``tz`` → epoch seconds UTC.

    A time in a spring-forward gap raises :class:`RowError` ("does not exist"); one that happens twice
    (fall-back) is settled by ``fold`` (``"earlier"``/``"later"``), else raises :class:`RowError` saying
    so. Rule: RFC 5545 §3.3.5 leaves such times to the application; vakit never guesses.
    """
    r = readings(naive, tz)
    if len(r) == 1:
        return r[0]
    if fold in FOLDS:
        return r[0] if fold == "earlier" else r[1]
    raise _twice(naive, tz)


def settle_interval(start: datetime, end: datetime, tz: str, fold: str | None, duration: int | None = None,
                    duration_label: str = "Duration", note=None) -> tuple[int, int]:
    """Wall times ``start``–``end`` in ``tz`` → ``(start_utc, end_utc)`` epoch seconds.

    A wall time that happens twice is settled by the file itself when only one reading gives an end after
    the start and (where the file has one) the stated ``duration`` in seconds; otherwise by ``fold``, else
    the row is rejected. Raises :class:`RowError`: a time in a gap, an end not after the start, a ``duration``
    (named ``duration_label`` in messages) that no reading matches, an unsettled repeated wall time, an entry
    longer than the maximum (:func:`check_span`).

    One mismatch is read, not rejected: a ``duration`` equal to the *wall-clock* difference of an interval
    that spans a clock change (23:30 → 03:30 on the night the clocks go back, "4:00:00", where 5 hours
    passed). The exporter wrote the end as the start plus the duration on the wall clock, so the start and
    the duration are what was recorded: the row is stored as start + duration and ``note(text)`` says so.
    """
    ss, es = readings(start, tz), readings(end, tz)
    if len(ss) == 1 == len(es) and es[0] > ss[0] and (duration is None or es[0] - ss[0] == duration):
        check_span(ss[0], es[0])  # the common row: each time happens once and the duration agrees
        return ss[0], es[0]
    cands = sorted({(s, e) for s in ss for e in es if e > s})
    if not cands and (duration is None or end <= start):
        raise RowError("the end is not after the start")
    if duration is not None:
        cands = [c for c in cands if c[1] - c[0] == duration]
        if not cands:
            if duration > 0 and int((end - start).total_seconds()) == duration:
                s = _settle_one(start, ss, tz, fold)
                check_span(s, s + duration)
                if note is not None:
                    note(f"the {duration_label} {_hms(duration)} is the wall-clock time from {start:%H:%M:%S} to "
                         f"{end:%H:%M:%S} across a clock change in {tz}: stored as the start plus "
                         f"{_hms(duration)}, ending {fmt_local(s + duration, tz)}")
                return s, s + duration
            raise RowError(f"the {duration_label} {_hms(duration)} does not match the start and end times")
    if len(cands) > 1:
        if fold not in FOLDS:
            raise _twice(start if len(ss) > 1 else end, tz)
        pick = (ss[0] if fold == "earlier" else ss[-1], es[0] if fold == "earlier" else es[-1])
        cands = [pick] if pick in cands else cands[:1] if fold == "earlier" else cands[-1:]
    check_span(*cands[0])
    return cands[0]


def _settle_one(naive: datetime, found: tuple[int, ...], tz: str, fold: str | None) -> int:
    if len(found) == 1:
        return found[0]
    if fold in FOLDS:
        return found[0] if fold == "earlier" else found[-1]
    raise _twice(naive, tz)


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def check_span(start_utc: int, end_utc: int, long_ok: bool = False) -> None:
    """Refuse (``RowError``) an interval ``[start_utc, end_utc)`` (epoch seconds UTC) whose end is not after its
    start, one outside the years vakit keeps, or one longer than ``timesheet.MAX_ENTRY_SECONDS`` (16 h; C-01: a
    typo, not a day's work) unless ``long_ok`` (the file records that length as allowed on purpose, as vakit's
    own export does for an entry stored with ``--force``)."""
    if not (_FIRST <= start_utc <= _LAST and _FIRST <= end_utc <= _LAST):
        raise RowError(f"the time is outside the years vakit keeps ({MIN_YEAR}–{MAX_YEAR})")
    if end_utc <= start_utc:
        raise RowError("the end is not after the start")
    if end_utc - start_utc > MAX_ENTRY_SECONDS and not long_ok:
        raise RowError(f"an entry of {fmt_span(end_utc - start_utc)} is longer than the {fmt_hm(MAX_ENTRY_SECONDS)} "
                       "maximum")
