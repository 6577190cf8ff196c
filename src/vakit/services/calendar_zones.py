"""How :mod:`vakit.services.calendar_events` reads each TZID of a file (see its docstring for the rules): the
VTIMEZONE's own rules where it has a usable one, else the zone its name stands for
(:mod:`vakit.services.zone_names`); a check that a VTIMEZONE agrees with the IANA zone its name stands for;
and every date-time value given its zone."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from vakit.core.clock import fmt_local, zone
from vakit.services.calendar_types import UTC, Reading, ZoneUse, short, where
from vakit.services.ics_reading import DATE_PROPERTIES, Block, CalendarFile
from vakit.services.zone_names import SAMPLES, zone_for_name


def label(tz: tzinfo | None, home: str) -> str:
    if tz is UTC or tz is None:
        return "UTC"
    key = getattr(tz, "key", None)
    return key if key else home



def _used_tzids(comp) -> list[str]:
    found = []
    for prop in DATE_PROPERTIES:
        values = comp.get(prop)
        for v in values if isinstance(values, list) else [values]:
            params = getattr(v, "params", None)
            tzid = params.get("TZID") if params else None
            if tzid:
                found.append(str(tzid))
    return found


def resolve_zones(cal: CalendarFile, events: list[Block], out: Reading, floating_name: str,
           floating_why: str) -> dict[str, ZoneUse]:
    """Every TZID the file defines or uses → how it is read."""
    defined: dict[str, Block] = {}
    for b in cal.blocks:
        if b.kind == "VTIMEZONE":
            tzid = str(b.component.get("TZID", "")) if b.component is not None else (b.tzid or "")
            if tzid.strip():
                defined.setdefault(tzid.strip(), b)
    used = Counter(t.strip() for b in events for t in dict.fromkeys(_used_tzids(b.component)))
    zones: dict[str, ZoneUse] = {}
    for tzid in list(defined) + [t for t in used if t not in defined]:
        block = defined.get(tzid)
        use = _zone(tzid, block, out, cal.name, floating_name, floating_why)
        use.events = used.get(tzid, 0)
        zones[tzid] = use
    return zones


def _zone(tzid: str, block: Block | None, out: Reading, name: str, floating_name: str,
          floating_why: str) -> ZoneUse:
    at = where(name, block.line if block else None, None)
    vtz = None
    broken = ""
    if block is not None and block.component is not None:
        try:
            vtz = block.component.to_tz(lookup_tzid=False)
            datetime(2025, 1, 1, 12, tzinfo=vtz).utcoffset()
        except Exception as exc:  # noqa: BLE001 - a VTIMEZONE that cannot be used is reported, never raised
            broken, vtz = short(exc), None
    elif block is not None:
        broken = block.error or "it cannot be read"
    if vtz is not None:
        def score(candidate: str) -> int:
            return _agreement(vtz, candidate)

        named = zone_for_name(tzid, score=score)
        location = str(block.component.get("X-LIC-LOCATION", "") or "").strip()
        if (named is None or named.iana is None) and location:
            named = zone_for_name(location)
            if named is not None:
                named = type(named)(named.iana, f"X-LIC-LOCATION {location}: {named.how}", named.fixed)
        if named is not None and named.iana:
            how = f"{named.how} → {named.iana}; the file's VTIMEZONE gives the times"
            return ZoneUse(tzid, how, vtz, named.iana, True, block.line)
        return ZoneUse(tzid, "no IANA zone of that name; the file's VTIMEZONE gives the times", vtz, None, True,
                       block.line)
    named = zone_for_name(tzid)
    line = block.line if block else None
    bad_vtz = f"its VTIMEZONE cannot be used ({broken})" if block is not None else ""
    if named is not None:
        if named.iana:
            if block is not None:
                out.warnings.append(f"{at}VTIMEZONE {tzid!r} cannot be used ({broken}): read as {named.iana} from "
                                    "the zone database instead")
            tail = f"; {bad_vtz}" if bad_vtz else ""
            return ZoneUse(tzid, f"{named.how} → {named.iana}{tail}", zone(named.iana), named.iana, False, line)
        fixed = timezone(timedelta(seconds=named.fixed or 0))
        out.warnings.append(f"{at}time zone {tzid!r} has no VTIMEZONE and no IANA zone of its name: read at the "
                            f"fixed offset its name gives ({named.how.rsplit(', ', 1)[-1]}), without daylight "
                            "saving time")
        return ZoneUse(tzid, named.how + (f"; {bad_vtz}" if bad_vtz else ""), fixed, None, False, line)
    why = f"{bad_vtz} and its name" if block is not None else "the file has no VTIMEZONE for it and it"
    out.warnings.append(f"{at}unknown time zone {tzid!r} ({why} is not an IANA, Windows or Outlook zone name): "
                        f"its times were read in {floating_name} ({floating_why}), not UTC; check them, or give "
                        "--tz ZONE")
    return ZoneUse(tzid, f"unknown: read in {floating_name} ({floating_why})", zone(floating_name), floating_name,
                   False, line)


def _agreement(vtz: tzinfo, candidate: str) -> int:
    tz = zone(candidate)
    try:
        return sum(w.replace(tzinfo=vtz).utcoffset() == w.replace(tzinfo=tz).utcoffset() for w in SAMPLES)
    except Exception:  # noqa: BLE001
        return 0


def check_rules(zones: dict[str, ZoneUse], raw, out: Reading, name: str) -> None:
    """Where a VTIMEZONE's rules and the IANA zone its name stands for disagree at an occurrence: warn, naming
    both, and show the occurrence in the VA's zone (the file's rules still give the instants)."""
    for z in zones.values():
        if not z.from_file or not z.label:
            continue
        iana = zone(z.label)
        for occ, start, end in raw:
            bad = next((t for t in (start, end) if isinstance(t, datetime) and t.tzinfo is z.tz
                        and t.utcoffset() != t.replace(tzinfo=iana).utcoffset()), None)
            if bad is None:
                continue
            wall = bad.replace(tzinfo=None)
            theirs = int(wall.replace(tzinfo=iana).timestamp())
            z.disagreement = (f"its rules put {wall:%a %d %b %Y %H:%M} at {_off(bad.utcoffset())}, {z.label} at "
                              f"{_off(wall.replace(tzinfo=iana).utcoffset())}")
            out.warnings.append(
                f"{where(name, z.line, None)}the VTIMEZONE {z.tzid!r} disagrees with {z.label}, the zone its name "
                f"stands for: {z.disagreement}. vakit keeps the file's rules ({fmt_local(int(bad.timestamp()), 'UTC')}"
                f", not {fmt_local(theirs, 'UTC')}); check with the sender")
            z.label = None
            break


def _off(delta: timedelta | None) -> str:
    secs = int(delta.total_seconds()) if delta is not None else 0
    sign = "+" if secs >= 0 else "-"
    return f"UTC{sign}{abs(secs) // 3600:02d}:{abs(secs) % 3600 // 60:02d}"


def zone_line(z: ZoneUse, home: str) -> str:
    uses = f"{z.events} event{'s' if z.events != 1 else ''}" if z.events else "not used by any event"
    tail = ""
    if z.disagreement:
        tail = f"; DISAGREES with {z.how.split('→ ')[1].split(';')[0]} ({z.disagreement}), shown in {home}"
    elif z.from_file and not z.label:
        tail = f"; shown in {home}"
    return f"{z.tzid}: {z.how} ({uses}){tail}"


def zoned(value, use: ZoneUse | None, floating: ZoneInfo):
    """A date/date-time/period with its zone: a TZID's zone, UTC for ``Z``, ``floating`` for floating time.
    Returns ``(value, was floating)``."""
    if isinstance(value, tuple):
        first, fl = zoned(value[0], use, floating)
        second = value[1]
        if isinstance(second, datetime):
            second, _ = zoned(second, use, floating)
        return (first, second), fl
    if not isinstance(value, datetime):
        return value, False
    if use is not None:
        return value.replace(tzinfo=use.tz), False
    if value.tzinfo is not None:
        return value.astimezone(UTC), False
    return value.replace(tzinfo=floating), True
