"""Recurring appointments: book a series, and cancel or move one occurrence, this and the following ones, or
the whole series.

A series is stored as its rule (:mod:`vakit.core.recurrence`) plus one ``appointments`` row per occurrence,
so everything that reads appointments (list, clashes, rules, suggestions, reminders, outcomes) sees each
occurrence. Calendars see one event with an RRULE (RFC 5545 §3.8.5.3) and, for each occurrence that was moved
or cancelled on its own, an override with its RECURRENCE-ID (§3.8.4.4) and a higher SEQUENCE (§3.8.7.4).
Changing "this and the following" occurrences ends the old series before that occurrence (UNTIL, SEQUENCE
raised) and starts a new series with a new UID, as calendar programs do; when "this" is the first occurrence
the series keeps its UID and is rewritten in place.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from vakit.core.appointments import Appointment, Series
from vakit.core.clock import UTC, fmt_local, fmt_range, zone
from vakit.core.errors import Conflict, InvalidValue, NotFound
from vakit.core.models import Client
from vakit.core.periods import local_midnight_utc, overlap
from vakit.core.recurrence import Rule, local_start, occurrences, rule_for
from vakit.core.text import clean_text, nonempty
from vakit.core.timeparse import parse_date, parse_when
from vakit.services.client_lookup import active_client, get_client
from vakit.services.context import Context, writes
from vakit.services.scheduling import MAX_APPOINTMENT_SECONDS, clashes, get_appointment, list_appointments

#: occurrences starting within this many seconds of booking are checked for the VA's rules (clashes: all)
HORIZON = 365 * 86400
_SELECT = "SELECT s.*, c.name AS client_name FROM appointment_series s JOIN clients c ON c.id = s.client_id"
#: how many problems a refusal names before it counts the rest
_NAMED = 3


def series_from_row(row: sqlite3.Row) -> Series:
    """An ``appointment_series`` row joined with the client's ``client_name`` → :class:`Series`."""
    return Series(**{k: row[k] for k in Series.__dataclass_fields__})


def get_series(ctx: Context, series_id: int) -> Series:
    """The series with this id. Raises NotFound."""
    row = ctx.ledger.conn.execute(f"{_SELECT} WHERE s.id = ?", (series_id,)).fetchone()
    if row is None:
        raise NotFound(f"no appointment series {series_id}")
    return series_from_row(row)


def series_by_id(ctx: Context, ids: set[int]) -> dict[int, Series]:
    """The series with these ids, by id (for exporting their occurrences as RRULE events)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = ctx.ledger.conn.execute(f"{_SELECT} WHERE s.id IN ({marks})", sorted(ids)).fetchall()
    return {r["id"]: series_from_row(r) for r in rows}


def rule_of(s: Series) -> Rule:
    """The series' rule."""
    return Rule(s.freq, s.interval, s.count, s.until_utc)


def occurrence_uid(series_uid: str, recurrence_utc: int) -> str:
    """The stored key of one occurrence: ``<series UID>#<RECURRENCE-ID in UTC>`` (the form calendar import uses
    for occurrences of recurring events)."""
    return f"{series_uid}#{datetime.fromtimestamp(recurrence_utc, UTC):%Y%m%dT%H%M%SZ}"


@dataclass(frozen=True)
class SeriesBooking:
    """A booked (or re-placed) series: the ``series``, its ``occurrences`` by start, the VA's ``home_tz`` and the
    client's ``client_tz``, and ``checked_until`` (epoch seconds): occurrences starting before it were checked
    for clashes and rules, later ones were not (they are checked when booked or moved onto)."""

    series: Series
    occurrences: list[Appointment]
    home_tz: str
    client_tz: str
    checked_until: int


def _until_bound(text: str | None, tz: str, ctx: Context) -> int | None:
    """``--until DATE`` as the last second of that local date in ``tz`` (epoch seconds UTC), or None."""
    if text is None:
        return None
    today = ctx.clock.now().astimezone(zone(tz)).date()
    d = parse_date(text, today=today, direction="future")
    return local_midnight_utc(d + timedelta(days=1), tz) - 1


def _check(ctx: Context, client: Client, starts: list[int], duration: int, tz: str, *, now: int,
           allow_conflict: bool, force: bool) -> int:
    """Check every occurrence for clashes with appointments and busy times (unless ``allow_conflict``), and
    those starting within :data:`HORIZON` of now for the VA's rules (unless ``force``: working hours and rules
    may change in a year). Returns the end of the horizon. Raises Conflict naming the first problems and how
    many occurrences have one."""
    from vakit.services.booking_rules import RULE_HINT, breaches, limits_for

    horizon = now + HORIZON
    lim = None if force else limits_for(ctx, client)
    problems: list[str] = []
    hints: set[str] = set()
    for t0 in starts:
        t1 = t0 + duration
        if not allow_conflict:
            found = clashes(ctx, t0, t1)
            if found:
                a = found[0]
                problems.append(f"{fmt_range(t0, t1, tz)} clashes with '{a.title}' for {a.client_name} "
                                f"({overlap(t0, t1, a.start_utc, a.end_utc) // 60} min overlap)")
                hints.add("--allow-conflict")
                continue
        if lim is not None and t0 < horizon:
            broken = breaches(ctx, client, t0, t1, notice=t0 >= now, limits=lim, first_only=True)
            if broken:
                problems.append(broken[0].message)
                hints.add("--force")
    if problems:
        more = f"; and {len(problems) - _NAMED} more" if len(problems) > _NAMED else ""
        n = len(starts)
        hint = RULE_HINT if hints == {"--force"} else f"move the series, or pass {' / '.join(sorted(hints))}"
        raise Conflict(f"{len(problems)} of the {n} occurrences checked cannot be booked: "
                       + "; ".join(problems[:_NAMED]) + more, hint)
    return horizon


def _place(ctx: Context, client: Client, rule: Rule, dtstart_local: str, tz: str, duration: int,
           text: tuple[str, str, str], *, now: int, allow_conflict: bool, force: bool,
           series_id: int | None = None, sequence: int = 0, ids: list[int] | None = None,
           keep_cancelled: list[int] | None = None, first: int | None = None) -> tuple[int, int]:
    """Expand, check and store a series (a new one, or ``series_id`` rewritten in place with ``sequence``)
    and its occurrences, inside the caller's write transaction. ``text`` is (title, location, description).
    ``first`` is the first occurrence's instant as typed (a wall time the zone repeats is refused when it is the
    second reading). ``ids`` (as many as the occurrences) are the appointment ids to store them under;
    the occurrences at the indexes ``keep_cancelled`` are stored cancelled. Returns (series id, end of the
    checked horizon). Raises InvalidValue, Conflict."""
    starts = occurrences(rule, dtstart_local, tz)
    if not starts:
        raise InvalidValue("the series has no occurrence before its end", "choose a later --until")
    if first is not None and starts[0] != first:
        raise InvalidValue(f"{fmt_local(first, tz)} is the second of two {dtstart_local[11:16]}s in {tz} that night; "
                           "a series keeps its wall time, which names the first",
                           "start the series at another time, or book this one on its own")
    if rule.until_utc is not None:
        rule = replace(rule, until_utc=starts[-1])  # UNTIL at the last occurrence, which RFC 5545 includes
    horizon = _check(ctx, client, starts, duration, tz, now=now, allow_conflict=allow_conflict, force=force)
    conn = ctx.ledger.conn
    title, location, description = text
    values = (title, location, description, rule.freq, rule.interval, rule.count, rule.until_utc, dtstart_local,
              tz, duration, sequence, now)
    if series_id is None:
        uid = f"{uuid.uuid4()}@vakit"
        series_id = conn.execute(
            "INSERT INTO appointment_series (title, location, description, freq, interval, count, until_utc,"
            " dtstart_local, tz, duration, sequence, modified_utc, uid, client_id, created_utc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, uid, client.id, now)).lastrowid
    else:
        uid = conn.execute("SELECT uid FROM appointment_series WHERE id = ?", (series_id,)).fetchone()[0]
        conn.execute("UPDATE appointment_series SET title = ?, location = ?, description = ?, freq = ?,"
                     " interval = ?, count = ?, until_utc = ?, dtstart_local = ?, tz = ?, duration = ?,"
                     " sequence = ?, modified_utc = ?, status = 'CONFIRMED' WHERE id = ?", (*values, series_id))
    ids = ids if ids is not None and len(ids) == len(starts) else [None] * len(starts)
    dropped = set(keep_cancelled or ())
    conn.executemany(
        "INSERT INTO appointments (id, uid, client_id, title, location, description, start_utc, end_utc, tz, status,"
        " sequence, created_utc, modified_utc, series_id, recurrence_utc)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(ids[i], occurrence_uid(uid, t), client.id, title, location, description, t, t + duration, tz,
          "CANCELLED" if i in dropped else "CONFIRMED", sequence + (i in dropped), now, now, series_id, t)
         for i, t in enumerate(starts)])
    return series_id, horizon


def _booking(ctx: Context, series_id: int, horizon: int) -> SeriesBooking:
    s = get_series(ctx, series_id)
    client = get_client(ctx, s.client_id)
    return SeriesBooking(s, series_occurrences(ctx, series_id), ctx.profile().home_tz, client.tz, horizon)


def series_occurrences(ctx: Context, series_id: int) -> list[Appointment]:
    """The stored occurrences of a series, by start."""
    return list_appointments(ctx, series_id=series_id)


@writes
def book_series(ctx: Context, client_ref: str, when: str, duration: int, title: str, *, repeat: str,
                count: int | None = None, until: str | None = None, location: str = "", description: str = "",
                tz: str | None = None, allow_conflict: bool = False, allow_past: bool = False,
                force: bool = False) -> SeriesBooking:
    """Book a recurring appointment: ``repeat`` weekly, biweekly or monthly, ending after ``count``
    occurrences or on the local date ``until`` (inclusive). ``when`` is the first occurrence, read as for
    :func:`vakit.services.scheduling.book` in ``tz`` or the client's zone, which is the zone the rule is
    expanded in, so the wall time holds across DST (C-10). ``duration`` is seconds.

    Every occurrence within a year is checked for clashes and the VA's rules, in the same write transaction
    as the insert. Raises NotFound, InvalidValue (time, duration, title, no end or both ends, more than
    MAX_OCCURRENCES, a first occurrence in the past unless ``allow_past``), Conflict (clashes unless
    ``allow_conflict``, broken rules unless ``force``, an archived client).
    """
    client = active_client(ctx, client_ref)
    tz = tz or client.tz
    zone(tz)
    text = (nonempty(title, "title").strip(), clean_text(location, "location").strip(),
            clean_text(description, "appointment description", label="description"))
    if not 0 < duration <= MAX_APPOINTMENT_SECONDS:
        raise InvalidValue("an appointment lasts more than 0 and at most 24 hours")
    rule = rule_for(repeat, count=count, until_utc=_until_bound(until, tz, ctx))
    t0 = int(parse_when(when, tz=tz, now=ctx.clock.now(), direction="future").timestamp())
    now = ctx.clock.now_utc()
    if t0 < now and not allow_past:
        raise InvalidValue(f"{fmt_local(t0, tz)} is in the past", "pass --allow-past to record a past series")
    if rule.until_utc is not None and rule.until_utc < t0:
        raise InvalidValue(f"--until {until} is before the first occurrence, {fmt_local(t0, tz)}")
    with ctx.ledger.write():
        sid, horizon = _place(ctx, client, rule, local_start(t0, tz), tz, duration, text, now=now,
                              allow_conflict=allow_conflict, force=force, first=t0)
    return _booking(ctx, sid, horizon)


def _occurrence(ctx: Context, ref: str) -> tuple[Appointment, Series]:
    appt = get_appointment(ctx, ref)
    if appt.series_id is None:
        raise InvalidValue(f"appointment #{appt.id} does not repeat", "leave out --following / --series")
    return appt, get_series(ctx, appt.series_id)


def _end_before(ctx: Context, s: Series, recurrence_utc: int, now: int) -> bool:
    """End series ``s`` before its occurrence at ``recurrence_utc``: UNTIL at the occurrence before it and
    SEQUENCE + 1; the whole series is cancelled when there is none before. Returns True if the series
    still has occurrences."""
    conn = ctx.ledger.conn
    last = conn.execute("SELECT max(recurrence_utc) FROM appointments WHERE series_id = ? AND recurrence_utc < ?",
                        (s.id, recurrence_utc)).fetchone()[0]
    if last is None:
        conn.execute("UPDATE appointment_series SET status = 'CANCELLED', sequence = sequence + 1,"
                     " modified_utc = ? WHERE id = ?", (now, s.id))
        return False
    conn.execute("UPDATE appointment_series SET count = NULL, until_utc = ?, sequence = sequence + 1,"
                 " modified_utc = ? WHERE id = ?", (last, now, s.id))
    return True


@writes
def cancel_series(ctx: Context, ref: str, *, following: bool = False) -> tuple[Series, list[Appointment]]:
    """Cancel occurrence ``ref`` and every later one (``following``), or the whole series it belongs to.
    Cancelled occurrences are kept (STATUS CANCELLED, SEQUENCE + 1); the series ends before ``ref`` (UNTIL)
    or is cancelled as a whole. Returns the series and the occurrences cancelled now.
    Raises NotFound, InvalidValue (not part of a series), Conflict (nothing left to cancel)."""
    with ctx.ledger.write() as conn:
        appt, s = _occurrence(ctx, ref)
        now = ctx.clock.now_utc()
        since = appt.recurrence_utc if following else None
        if since is not None:
            recorded = [a for a in series_occurrences(ctx, s.id) if a.outcome and a.recurrence_utc >= since]
            if recorded:
                a = recorded[0]
                raise Conflict(f"occurrence #{a.id} ({fmt_local(a.start_utc, a.tz)}) is recorded as {a.outcome}, "
                               "so the series cannot end before it", "cancel the occurrences after it instead")
        # an occurrence recorded as done or a no-show happened (or not): it stays as it is
        targets = [a for a in series_occurrences(ctx, s.id) if a.status == "CONFIRMED" and not a.outcome
                   and (since is None or a.recurrence_utc >= since)]
        if not targets:
            raise Conflict(f"no confirmed occurrence of the series of #{appt.id} is left to cancel")
        conn.executemany("UPDATE appointments SET status = 'CANCELLED', sequence = sequence + 1, modified_utc = ?"
                         " WHERE id = ?", [(now, a.id) for a in targets])
        if since is None:
            conn.execute("UPDATE appointment_series SET status = 'CANCELLED', sequence = sequence + 1,"
                         " modified_utc = ? WHERE id = ?", (now, s.id))
            # occurrences that happened stay, as overrides no older than the cancelled master
            conn.execute("UPDATE appointments SET sequence = max(sequence, ?), modified_utc = ? WHERE series_id = ?"
                         " AND outcome IS NOT NULL", (s.sequence + 1, now, s.id))
        else:
            _end_before(ctx, s, since, now)
        ids = {a.id for a in targets}
        done = [a for a in series_occurrences(ctx, s.id) if a.id in ids]
        return get_series(ctx, s.id), sorted(done, key=lambda a: a.recurrence_utc or 0)


@writes
def move_following(ctx: Context, ref: str, when: str, *, duration: int | None = None, tz: str | None = None,
                   allow_conflict: bool = False, allow_past: bool = False,
                   force: bool = False) -> tuple[SeriesBooking, Series | None, int]:
    """Move occurrence ``ref`` and every later one: ``when`` (read in ``tz`` or the series' zone, looking
    forward) is the new start of ``ref``, and the rest follow the same rule from there; ``duration`` (seconds)
    a new length. The number of occurrences left from ``ref`` on is kept (the new rule has that COUNT).

    When ``ref`` is the series' first occurrence the series is rewritten in place (same UID, SEQUENCE + 1);
    otherwise the old series ends before ``ref`` and a new series (new UID) carries the rest. Occurrences
    from ``ref`` on are replaced under the same ids (so moving is refused when one of them has an outcome
    recorded); those cancelled on their own stay cancelled, those moved on their own follow the new time.
    Returns the booking of the series that now holds them, the old series when it was split off, and how many
    occurrences moved on their own now follow the series again.
    Raises NotFound, InvalidValue, Conflict as :func:`book_series` does."""
    with ctx.ledger.write() as conn:
        appt, s = _occurrence(ctx, ref)
        if s.status == "CANCELLED":
            raise Conflict(f"the series of #{appt.id} is cancelled", "book it again instead")
        rows = [a for a in series_occurrences(ctx, s.id) if a.recurrence_utc >= appt.recurrence_utc]
        recorded = [a for a in rows if a.outcome]
        if recorded:
            a = recorded[0]
            raise Conflict(f"occurrence #{a.id} ({fmt_local(a.start_utc, a.tz)}) is recorded as {a.outcome}",
                           "move the occurrences after it instead")
        tz = tz or s.tz
        zone(tz)
        length = s.duration if duration is None else duration
        if not 0 < length <= MAX_APPOINTMENT_SECONDS:
            raise InvalidValue("an appointment lasts more than 0 and at most 24 hours")
        t0 = int(parse_when(when, tz=tz, now=ctx.clock.now(), direction="future").timestamp())
        now = ctx.clock.now_utc()
        if t0 < now and not allow_past:
            raise InvalidValue(f"{fmt_local(t0, tz)} is in the past", "pass --allow-past to record a past time")
        # the same occurrences at the new time, under the same ids: as many as the rule had left from ``ref`` on
        # (rows outside the rule, cancelled after an earlier UNTIL, stay as they are)
        in_rule = set(occurrences(rule_of(s), s.dtstart_local, s.tz))
        rows = [a for a in rows if a.recurrence_utc in in_rule]
        rule = replace(rule_of(s), count=len(rows), until_utc=None)
        cancelled = [i for i, a in enumerate(rows) if a.status == "CANCELLED"]
        moved = sum(1 for a in rows if a.status == "CONFIRMED" and (a.start_utc, a.end_utc, a.tz) != (
            a.recurrence_utc, a.recurrence_utc + s.duration, s.tz))
        conn.executemany("DELETE FROM appointments WHERE id = ?", [(a.id,) for a in rows])
        text = (s.title, s.location, s.description)
        first = conn.execute("SELECT count(*) FROM appointments WHERE series_id = ? AND recurrence_utc < ?",
                             (s.id, appt.recurrence_utc)).fetchone()[0] == 0
        client = get_client(ctx, s.client_id)
        place = dict(now=now, allow_conflict=allow_conflict, force=force, ids=[a.id for a in rows],
                     keep_cancelled=cancelled, first=t0)
        if first:
            sid, horizon = _place(ctx, client, rule, local_start(t0, tz), tz, length, text, series_id=s.id,
                                  sequence=s.sequence + 1, **place)
            return _booking(ctx, sid, horizon), None, moved
        _end_before(ctx, s, appt.recurrence_utc, now)
        sid, horizon = _place(ctx, client, rule, local_start(t0, tz), tz, length, text, **place)
        return _booking(ctx, sid, horizon), get_series(ctx, s.id), moved
