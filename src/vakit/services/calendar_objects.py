"""vakit's appointments as calendar object resources: one iCalendar object per UID.

A CalDAV server stores each event, with all its overrides, as one resource (RFC 4791 §4.1: every component
with the same UID in one calendar object resource). A single appointment is one VEVENT; a recurring series is
its master VEVENT (RRULE) plus one VEVENT per moved or cancelled occurrence (RECURRENCE-ID), all under the
series' UID.
"""

from __future__ import annotations

from dataclasses import dataclass

from vakit.core.models import Client
from vakit.services.context import Context


@dataclass(frozen=True)
class CalendarObject:
    """One UID's calendar object: ``uid``, the highest SEQUENCE in it, ``status`` (CANCELLED when every
    component is cancelled, else CONFIRMED), ``start_utc`` / ``end_utc`` spanning every occurrence (epoch seconds)
    and ``ics``, the UTF-8 bytes of a VCALENDAR (METHOD absent, as RFC 4791 §4.1 requires) holding its
    VTIMEZONEs and VEVENTs."""

    uid: str
    sequence: int
    status: str
    start_utc: int
    end_utc: int
    ics: bytes


def calendar_objects(ctx: Context, client: Client | None = None) -> list[CalendarObject]:
    """Every appointment (or ``client``'s) as calendar objects, one per UID, in order of first start.
    Raises InvalidValue for a zone the machine does not know."""
    from vakit.exporters.ics import VAKIT_PRODID, export_calendar
    from vakit.services.scheduling import list_appointments
    from vakit.services.series import series_by_id

    appointments = list_appointments(ctx, client=client)
    series = series_by_id(ctx, {a.series_id for a in appointments if a.series_id is not None})
    groups: dict[str, list] = {}
    for a in appointments:
        s = series.get(a.series_id) if a.series_id is not None else None
        groups.setdefault(s.uid if s else a.uid, []).append(a)
    now = ctx.clock.now_utc()
    out = []
    for uid, appts in groups.items():
        ics = export_calendar(appts, dtstamp_utc=now, calendar_name=None, prodid=VAKIT_PRODID, method=None,
                              series=series)
        status = "CANCELLED" if all(a.status == "CANCELLED" for a in appts) else "CONFIRMED"
        sequence = max([a.sequence for a in appts] + [s.sequence for s in series.values() if s.uid == uid])
        out.append(CalendarObject(uid, sequence, status, min(a.start_utc for a in appts),
                                  max(a.end_utc for a in appts), ics))
    return out
