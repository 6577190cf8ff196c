"""From a read calendar file to the occurrences ``vakit schedule import`` stores (issue 8).

Zones (documented in docs/calendars.md, "Calendars in"):

- a TZID with a VTIMEZONE that can be read: **the VTIMEZONE's rules give the instants** (RFC 5545 §3.6.5: the
  component defines the TZID; the name is a label). When the name also names an IANA zone (``Pacific Standard
  Time`` → America/Los_Angeles) and both agree at every occurrence, the IANA zone is the one shown; when they
  disagree (file 04: ``New Zealand Standard Time`` holding CET rules) a warning names both and the file's rules
  are kept;
- a TZID without a VTIMEZONE (or with one that cannot be read): the zone its name stands for
  (:mod:`vakit.services.zone_names`: IANA, legacy, Windows and Outlook display names); an unknown name is
  named in a warning and its times are read like floating ones (never as UTC);
- floating times (no TZID, no Z): in ``--tz``, else the calendar's X-WR-TIMEZONE, else the VA's home zone,
  with a warning unless X-WR-TIMEZONE gave the zone;
- DATE values (all-day): whole local dates in the VA's home zone, DTEND exclusive (field case C-26);
- a recurring event whose DTSTART is in UTC in a calendar with X-WR-TIMEZONE (Google) repeats on that zone's
  wall clock, as Google means it.

Recurrence (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, cancelled instances) is expanded by
recurring-ical-events within the window, one series (UID) at a time, so a bad series is reported alone.

An event that ends before it starts (DTEND before DTSTART, a negative DURATION; RFC 5545 §3.6.1) is reported and
skipped, never swapped. Several VEVENTs with one UID and the same RECURRENCE-ID (or none) are one event
(RFC 5545 §3.8.4.7): the highest SEQUENCE is kept, then the latest DTSTAMP/LAST-MODIFIED, then the last in the
file, and a warning names the lines kept and left out.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from vakit.core.clock import zone
from vakit.services.calendar_expand import expand
from vakit.services.calendar_types import UTC, Occurrence, Reading, Skip, Window, ZoneUse, short, where
from vakit.services.calendar_zones import check_rules, label, resolve_zones, zone_line, zoned
from vakit.services.ics_reading import DATE_PROPERTIES, Block, CalendarFile
from vakit.services.zone_names import zone_for_name

__all__ = ["Occurrence", "Reading", "Window", "read_events"]

#: properties whose errors make an event unusable (its times or its recurrence)
_TIME_PROPERTIES = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"})


def read_events(cal: CalendarFile, window: Window, *, tz: str | None = None) -> Reading:
    """The occurrences of ``cal``'s events within ``window``. ``tz`` is ``--tz`` (floating times and unknown
    zones); never raises for one bad event or zone: it becomes a warning and the rest is read."""
    out = Reading()
    name = cal.name
    for p in cal.problems:
        out.warnings.append(where(name, p.line, p.uid) + p.reason)
    home = window.home_tz
    xwr_name = cal.properties.get("X-WR-TIMEZONE", "").strip()
    xwr = zone_for_name(xwr_name) if xwr_name else None
    if xwr_name and (xwr is None or xwr.iana is None):
        out.warnings.append(f"{name}: X-WR-TIMEZONE {xwr_name!r} is not a time zone vakit knows; ignored")
        xwr = None
    if tz:
        floating_name, floating_why = tz, "--tz"
    elif xwr is not None:
        floating_name, floating_why = xwr.iana, f"the calendar's X-WR-TIMEZONE {xwr_name}"
    else:
        floating_name, floating_why = home, "your home zone"
    floating = zone(floating_name)

    events = [b for b in cal.blocks if b.kind == "VEVENT" and b.component is not None]
    for b in cal.blocks:
        if b.kind not in ("VEVENT", "VTIMEZONE"):
            out.others[b.kind] += 1
    out.events = cal.kinds["VEVENT"]
    out.skipped = cal.kinds["VEVENT"] - len(events)
    zones = resolve_zones(cal, events, out, floating_name, floating_why)
    by_tz: dict[int, ZoneUse] = {id(z.tz): z for z in zones.values()}

    prepared: dict[str, list[tuple[Block, object]]] = {}
    floating_uids: set[str] = set()
    floating_events = 0
    for b in events:
        try:
            comp, uid, is_floating = _prepare(b, zones, floating, xwr, out, name)
        except Exception as exc:  # noqa: BLE001 - one event that cannot be read is reported, never raised
            out.skipped += 1
            reason = str(exc) if isinstance(exc, Skip) else f"cannot be read ({short(exc)})"
            out.warnings.append(where(name, b.line, b.uid) + f"{reason}; skipped")
            continue
        if is_floating:
            floating_uids.add(uid)
            floating_events += 1
        prepared.setdefault(uid, []).append((b, comp))
    if floating_events:
        text = (f"{floating_events} event{'s have' if floating_events > 1 else ' has'} floating times (no TZID, no Z): "
                f"read in {floating_name} ({floating_why})")
        out.zones.append(f"(floating): {text.split(': ', 1)[1]}")
        if floating_why != f"the calendar's X-WR-TIMEZONE {xwr_name}":
            hint = "" if tz else "; give --tz ZONE if they mean another zone"
            out.warnings.append(f"{name}: {text}{hint}")

    raw: list[tuple[Occurrence, datetime | date, datetime | date]] = []
    for uid, parts in prepared.items():
        parts = _one_per_instance(uid, parts, out, name)
        try:
            raw.extend(expand(uid, parts, window, floating, uid in floating_uids, out, name))
            out.series += 1
        except Exception as exc:  # noqa: BLE001 - one series that cannot be expanded is reported, never raised
            out.skipped += len(parts)
            reason = str(exc) if isinstance(exc, Skip) else f"cannot be read ({short(exc)})"
            out.warnings.append(where(name, parts[0][0].line, uid) + f"{reason}; skipped")
    check_rules(zones, raw, out, name)
    _endless_note(out, name)
    raw.sort(key=lambda item: (item[0].start_utc, item[0].end_utc, item[0].uid, item[0].occurrence))
    for occ, start, _end in raw:
        if isinstance(start, datetime):
            use = by_tz.get(id(start.tzinfo))
            occ.tz = (use.label if use is not None else None) or label(start.tzinfo, home)
        out.occurrences.append(occ)
    for z in zones.values():
        out.zones.append(zone_line(z, home))
    return out


def _endless_note(out: Reading, name: str) -> None:
    """Say how many occurrences of each series without end were kept: one note each, or one for them all."""
    if not out.endless:
        return
    if len(out.endless) <= 3:
        for line, uid, kept in out.endless:
            out.notes.append(where(name, line, uid) + f"repeats without end (RRULE without UNTIL or COUNT): "
                             f"{kept} occurrence{'s' if kept != 1 else ''} in the window kept")
        return
    kept = sum(k for _line, _uid, k in out.endless)
    uids = ", ".join(uid for _line, uid, _k in out.endless[:3])
    out.notes.append(f"{name}: {len(out.endless)} series repeat without end (RRULE without UNTIL or COUNT; UID "
                     f"{uids} …): {kept} occurrences in the window kept")


def _prepare(b: Block, zones: dict[str, ZoneUse], floating: ZoneInfo, xwr, out: Reading, name: str):
    """Check one VEVENT and give every date-time its zone; returns ``(component, uid, floating?)``. Raises
    Skip for an event that cannot be used."""
    comp = b.component
    bad = [(p, e) for p, e in getattr(comp, "errors", []) if (p or "").upper() in _TIME_PROPERTIES]
    if bad:
        prop, err = bad[0]
        raise Skip(f"{prop} cannot be read ({short(err)})")
    for p, e in getattr(comp, "errors", []):
        out.warnings.append(where(name, b.line, b.uid) + f"{p or 'a line'} cannot be read ({short(e)}); ignored")
    for prop in ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"):
        if isinstance(comp.get(prop), list):
            raise Skip(f"{len(comp.get(prop))} {prop} values where RFC 5545 allows one")
    start = comp.get("DTSTART")
    if start is None:
        raise Skip("no DTSTART")
    if not isinstance(start.dt, (date, datetime)):
        raise Skip("DTSTART is not a date or a date-time")
    if comp.get("DTEND") is not None and comp.get("DURATION") is not None:
        out.warnings.append(where(name, b.line, b.uid) + "has both DTEND and DURATION; DTEND is used")
        del comp["DURATION"]
    end = comp.get("DTEND")
    if end is not None and isinstance(start.dt, datetime) != isinstance(end.dt, datetime):
        raise Skip("DTSTART and DTEND are not both dates or both date-times")
    duration = comp.get("DURATION")
    if duration is not None and isinstance(duration.dt, timedelta):
        if duration.dt < timedelta(0):
            raise Skip(f"negative DURATION {_as_written(duration)} (RFC 5545 §3.6.1: an event ends after it starts)")
        if not duration.dt and not isinstance(start.dt, datetime):
            raise Skip(f"DURATION {_as_written(duration)} on an all-day DTSTART gives no day (RFC 5545 §3.6.1: an "
                       "all-day event ends on a later date)")
    written = {prop: _as_written(comp[prop]) for prop in ("DTSTART", "DTEND") if comp.get(prop) is not None}
    for prop, line in b.tzid_with_z:
        out.warnings.append(where(name, line, b.uid) + f"{prop} has both a TZID and a Z (UTC) suffix, which RFC "
                            "5545 forbids; read as wall time in its TZID")
    uid = str(comp.get("UID", "") or "").strip()
    if not uid:
        uid = "vakit-no-uid-" + hashlib.sha256(b.text.encode()).hexdigest()[:24]
        out.warnings.append(where(name, b.line, None) + f"has no UID; identified by its content as {uid}")
    is_floating = False
    rrule = comp.get("RRULE") is not None
    for prop in DATE_PROPERTIES:
        values = comp.get(prop)
        if values is None:
            continue
        for v in values if isinstance(values, list) else [values]:
            tzid = str(v.params.get("TZID", "")).strip() if getattr(v, "params", None) else ""
            use = zones.get(tzid) if tzid else None
            for holder in getattr(v, "dts", None) or [v]:
                holder.dt, fl = zoned(holder.dt, use, floating)
                is_floating |= fl
    if end is not None:
        # RFC 5545 §3.6.1: DTEND after DTSTART; equal only for date-times (an event with no duration).
        # Never swapped: which of the two is wrong cannot be known.
        if end.dt < start.dt:
            raise Skip(f"DTEND {written['DTEND']} is before DTSTART {written['DTSTART']} (RFC 5545 §3.6.1: an event "
                       "ends after it starts)")
        if end.dt == start.dt and not isinstance(start.dt, datetime):
            raise Skip(f"DTEND {written['DTEND']} is not after DTSTART {written['DTSTART']} (RFC 5545 §3.6.1: an "
                       "all-day event ends on a later date)")
    if xwr is not None and rrule and isinstance(start.dt, datetime) and start.dt.tzinfo is UTC:
        # Google writes some series in UTC and means them on the calendar's wall clock (X-WR-TIMEZONE)
        local = zone(xwr.iana)
        for prop in ("DTSTART", "DTEND"):
            if comp.get(prop) is not None and isinstance(comp[prop].dt, datetime):
                comp[prop].dt = comp[prop].dt.astimezone(local)
    return comp, uid, is_floating


def _as_written(prop) -> str:
    """A date, date-time or duration property's value as the file wrote it (``20251204T103000Z``), its TZID in
    brackets (``20250305T090000 (Europe/Berlin)``)."""
    try:
        text = prop.to_ical().decode()
    except Exception:  # noqa: BLE001 - only for a message
        text = str(getattr(prop, "dt", prop))
    tzid = str(prop.params.get("TZID", "")).strip() if getattr(prop, "params", None) else ""
    return f"{text} ({tzid})" if tzid else text


def _one_per_instance(uid: str, parts: list[tuple[Block, object]], out: Reading,
                      name: str) -> list[tuple[Block, object]]:
    """RFC 5545 §3.8.4.7: one UID is one event; only its changed instances (RECURRENCE-ID) share it. Of several
    VEVENTs with this UID and the same RECURRENCE-ID (or none), keep the one with the highest SEQUENCE, then the
    latest DTSTAMP or LAST-MODIFIED, then the last in the file; a warning names what was kept and left out."""
    groups: dict[object, list[int]] = {}
    for i, (_b, comp) in enumerate(parts):
        groups.setdefault(_instance(comp), []).append(i)
    dropped: set[int] = set()
    for key, members in groups.items():
        if len(members) < 2:
            continue
        ranked = sorted(members, key=lambda i: (*_recency(parts[i][1]), i))
        best, runner_up = ranked[-1], ranked[-2]
        (seq, stamp), (seq2, stamp2) = _recency(parts[best][1]), _recency(parts[runner_up][1])
        if seq != seq2:
            why = f"SEQUENCE {seq}, the highest"
        elif stamp != stamp2:
            why = f"the latest DTSTAMP/LAST-MODIFIED, {datetime.fromtimestamp(stamp, UTC):%Y%m%dT%H%M%SZ}"
        else:
            why = "the last in the file; SEQUENCE and DTSTAMP/LAST-MODIFIED the same"
        left = sorted(parts[i][0].line for i in members if i != best)
        what = "no RECURRENCE-ID" if key is None else f"RECURRENCE-ID {_instance_text(parts[best][1])}"
        out.warnings.append(where(name, parts[members[0]][0].line, uid) + f"{len(members)} VEVENTs with this UID "
                            f"and {what}, where RFC 5545 allows one; kept line {parts[best][0].line} ({why}), left "
                            f"out line{'s' if len(left) > 1 else ''} "
                            f"{', '.join(map(str, left))}")
        dropped.update(i for i in members if i != best)
    out.skipped += len(dropped)
    return [part for i, part in enumerate(parts) if i not in dropped]


def _instance(comp):
    """Which instance a VEVENT is: None for the event itself, else its RECURRENCE-ID as an instant or a date."""
    rid = comp.get("RECURRENCE-ID")
    if rid is None:
        return None
    value = rid.dt
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def _instance_text(comp) -> str:
    value = _instance(comp)
    return f"{value:%Y%m%dT%H%M%SZ}" if isinstance(value, datetime) else f"{value:%Y%m%d}"


def _recency(comp) -> tuple[int, float]:
    """(SEQUENCE, the later of DTSTAMP and LAST-MODIFIED in epoch seconds; -inf without either)."""
    try:
        sequence = max(0, int(str(comp.get("SEQUENCE", 0))))
    except ValueError:
        sequence = 0
    stamps = [float("-inf")]
    for prop in ("DTSTAMP", "LAST-MODIFIED"):
        try:
            value = comp.get(prop).dt
            if isinstance(value, datetime):
                stamps.append((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp())
            elif isinstance(value, date):
                stamps.append(datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp())
        except Exception:  # noqa: BLE001 - missing or unreadable: not a newer version
            continue
    return sequence, max(stamps)
