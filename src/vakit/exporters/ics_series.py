"""A recurring series as iCalendar: the master VEVENT with its RRULE, and an override per occurrence that
differs from it.

The master carries DTSTART in the series' zone (RFC 5545 §3.3.5 form #3) and the RRULE (§3.8.5.3), so a reader
expands it on that zone's wall clock (field case C-10: not a UTC DTSTART, which would pin the first offset).
An occurrence gets its own VEVENT with the same UID and a RECURRENCE-ID (§3.8.4.4) holding the wall time the
rule gives for it when it was moved or cancelled on its own (its SEQUENCE as stored), and also when a reader
could not get its times from the master exactly: a start inside a spring-forward gap, or an occurrence that
spans a change of offset, where readers that add the duration on the wall clock (Python's aware datetimes,
and so icalendar and recurring-ical-events) would be an hour off. Such an override states the instants
explicitly, so every reader reads the same times.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from vakit.core.appointments import Appointment, Series
from vakit.core.errors import InvalidValue
from vakit.core.invoices import Party
from vakit.core.recurrence import Rule, occurrence_walls, wall_exact


def _master(s: Series, first: int) -> Appointment:
    return Appointment(id=0, uid=s.uid, client_id=s.client_id, client_name=s.client_name, title=s.title,
                       location=s.location, start_utc=first, end_utc=first + s.duration, tz=s.tz, status=s.status,
                       sequence=s.sequence, created_utc=s.created_utc, modified_utc=s.modified_utc,
                       description=s.description)


def _differs(a: Appointment, s: Series) -> bool:
    return (a.start_utc, a.end_utc, a.tz, a.status, a.title, a.location, a.description) != (
        a.recurrence_utc, a.recurrence_utc + s.duration, s.tz, s.status, s.title, s.location, s.description)


def series_lines(s: Series, rows: list[Appointment], dtstamp_utc: int, invite: tuple[Party, Party] | None,
                 method: str) -> list[str]:
    """The VEVENT lines of series ``s`` with its stored occurrences ``rows`` (any subset: overrides are written
    for those given). ``method`` PUBLISH or REQUEST: the master and the overrides; CANCEL: the master when the
    whole series is cancelled, else the overrides of the cancelled occurrences given. Occurrences outside the
    rule (after an UNTIL set by cancelling or moving the following ones) are left out. Raises InvalidValue for
    a REQUEST of a cancelled series."""
    from vakit.exporters.ics import UTC_ZONES, _event_lines, _param

    rule = Rule(s.freq, s.interval, s.count, s.until_utc)
    walls = {t: wall for wall, t in occurrence_walls(rule, s.dtstart_local, s.tz)}
    if not walls:
        return []
    first = min(walls)
    in_utc = s.tz in UTC_ZONES

    def wall_line(prop: str, wall: datetime) -> str:
        if in_utc:
            return f"{prop}:{wall:%Y%m%dT%H%M%SZ}"
        return f"{prop};TZID={_param(s.tz)}:{wall:%Y%m%dT%H%M%S}"

    overrides = [a for a in sorted(rows, key=lambda a: a.recurrence_utc or 0)
                 if a.recurrence_utc in walls
                 and (_differs(a, s) or not wall_exact(walls[a.recurrence_utc], a.recurrence_utc, s.duration, s.tz))]
    # the master's DTEND is its DTSTART plus the duration on the wall clock, so that readers give every
    # occurrence the series' length; the occurrences where that is not exact are overridden above
    times = (wall_line("DTSTART", walls[first]), wall_line("DTEND", walls[first] + timedelta(seconds=s.duration)))
    master = _event_lines(_master(s, first), dtstamp_utc, invite, rrule=rule.text(), times=times)
    if method == "CANCEL":
        if s.status == "CANCELLED":
            return master
        overrides = [a for a in overrides if a.status == "CANCELLED"]
    elif method == "REQUEST" and s.status == "CANCELLED":
        raise InvalidValue(f"series {s.uid} is cancelled; a REQUEST holds only confirmed appointments")
    lines = [] if method == "CANCEL" else master
    for a in overrides:
        rid = wall_line("RECURRENCE-ID", walls[a.recurrence_utc])
        lines += _event_lines(replace(a, uid=s.uid), dtstamp_utc, invite, recurrence_id=rid)
    return lines
