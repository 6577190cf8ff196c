"""Expanding one series (one UID: the event and its changed instances) into its occurrences in the window, by
recurring-ical-events; events that do not repeat are read directly. Rules that would take too long to walk
are refused before walking them."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from vakit.core.periods import local_midnight_utc
from vakit.services.calendar_types import UTC, Occurrence, Reading, Skip, Window, short, where
from vakit.services.ics_reading import Block

#: occurrences kept per series in the window; more (an hourly rule for a year) is a mistake in the file
MAX_OCCURRENCES = 2000


def expand(uid: str, parts: list[tuple[Block, object]], window: Window, floating: ZoneInfo, is_floating: bool,
            out: Reading, name: str) -> list[tuple[Occurrence, object, object]]:
    """The occurrences of one series (UID) in ``window``, by recurring-ical-events."""
    import recurring_ical_events
    from icalendar import Calendar

    cal = Calendar()
    for _b, comp in parts:
        cal.add_component(comp)
    masters = [c for _b, c in parts if c.get("RECURRENCE-ID") is None]
    repeats = any(c.get("RRULE") is not None or c.get("RDATE") is not None for _b, c in parts)
    recurring = repeats or len(parts) > len(masters)
    if len(parts) > len(masters) and not masters:
        out.warnings.append(where(name, parts[0][0].line, uid) + f"{len(parts)} changed instance"
                            f"{'s' if len(parts) > 1 else ''} (RECURRENCE-ID) without their series; each is "
                            "imported as it is")
    if any(c.get("RRULE") is not None for _b, c in parts if c.get("RECURRENCE-ID") is not None):
        out.warnings.append(where(name, parts[0][0].line, uid) + "a changed instance (RECURRENCE-ID) carries its "
                            "own RRULE, which RFC 5545 does not define; it is read as that one instance")
    start = datetime.fromtimestamp(window.start_utc, UTC) - timedelta(days=2)
    stop = datetime.fromtimestamp(window.end_utc, UTC) + timedelta(days=2)
    in_window = sum(_check_rule_size(c, start, stop, window.home_tz) for c in masters)
    try:
        if not recurring and len(parts) == 1:
            found = [_single(parts[0][1])]  # most events: no need to ask the library
        elif in_window <= MAX_OCCURRENCES:
            found = list(recurring_ical_events.of(cal).between(start, stop))
        else:  # walk in order and stop at the cap
            query = recurring_ical_events.of(cal)
            found = []
            for occ in query.after(start):
                if _as_utc(occ["DTSTART"].dt, window.home_tz) >= stop:
                    break
                found.append(occ)
                if len(found) > MAX_OCCURRENCES:
                    break
    except Exception as exc:  # noqa: BLE001 - a series the library cannot expand is reported, never raised
        what = "its recurrence cannot be expanded" if recurring else "its dates cannot be used"
        raise Skip(f"{what} ({short(exc)})") from exc
    result = []
    for occ in found:
        try:
            item = _occurrence(occ, uid, recurring, is_floating, floating, window, parts[0][0].line)
        except (ValueError, OverflowError, OSError) as exc:  # a date vakit cannot hold (year 9999 …)
            out.warnings.append(where(name, parts[0][0].line, uid) + f"an occurrence cannot be read "
                                f"({short(exc)}); skipped")
            continue
        o, s, e = item
        if not (o.end_utc > window.start_utc and o.start_utc < window.end_utc
                or o.end_utc == o.start_utc and window.start_utc <= o.start_utc < window.end_utc):
            continue
        result.append(item)
    kept = result[:MAX_OCCURRENCES]
    if len(found) > MAX_OCCURRENCES:
        out.warnings.append(where(name, parts[0][0].line, uid) + f"repeats more than {MAX_OCCURRENCES} times in "
                            f"the window; the first {len(kept)} are kept")
    elif not result:
        out.outside += 1
    for c in masters:
        rule = c.get("RRULE")
        rule = rule[0] if isinstance(rule, list) else rule
        if rule is not None and "UNTIL" not in rule and "COUNT" not in rule:
            out.endless.append((parts[0][0].line, uid, len(kept)))
    return kept


#: the most instances a rule may generate from its DTSTART to the window's end: expanding is walking them all
MAX_RULE_STEPS = 200_000
_PERIOD = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 7 * 86400,
           "MONTHLY": 28 * 86400, "YEARLY": 365 * 86400}
_BY_PARTS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND")


def _check_rule_size(comp, start: datetime, stop: datetime, home: str) -> int:
    """Refuse (``Skip``) a rule that would make the expansion walk more than :data:`MAX_RULE_STEPS` instances
    between its DTSTART and the window's end (``FREQ=SECONDLY`` since 1990), before walking them. Returns an
    upper estimate of its occurrences in ``[start, stop)`` (0 without a rule)."""
    in_window = 0
    for rule in (lambda r: r if isinstance(r, list) else [r])(comp.get("RRULE")):
        if rule is None:
            continue
        freq = str((rule.get("FREQ") or [""])[0]).upper()
        try:
            interval = max(1, int((rule.get("INTERVAL") or [1])[0]))
        except (TypeError, ValueError):
            interval = 1
        first = _as_utc(comp["DTSTART"].dt, home)
        period = _PERIOD.get(freq, 86400) * interval
        many = 1
        for part in _BY_PARTS:
            many *= max(1, len(rule.get(part) or []))
        steps = (max(0.0, (stop - first).total_seconds()) / period + 1) * many
        in_window += int((stop - max(start, first)).total_seconds() / period + 2) * many
        count = rule.get("COUNT")
        if count:
            try:
                steps = min(steps, int(count[0]))
            except (TypeError, ValueError):
                pass
        if steps > MAX_RULE_STEPS:
            raise Skip(f"its RRULE (FREQ={freq or '?'}, from {first:%Y-%m-%d}) makes about {int(steps):,} "
                        f"occurrences up to the window's end, more than vakit expands ({MAX_RULE_STEPS:,})")
    return in_window


def _single(comp):
    """An event that does not repeat, as its one occurrence: the component with its DTEND worked out (DTEND,
    else DTSTART + DURATION, else a day for a date and no time for a date-time, RFC 5545 §3.6.1)."""
    from icalendar.prop import vDDDTypes

    start = comp["DTSTART"].dt
    if comp.get("DTEND") is None:
        duration = comp.get("DURATION")
        if duration is not None and isinstance(duration.dt, timedelta):
            delta = duration.dt
            if not isinstance(start, datetime) and delta % timedelta(days=1):
                raise ValueError("a DURATION in hours on an all-day DTSTART")
            end = start + delta
        else:
            end = start + timedelta(days=1) if not isinstance(start, datetime) else start
        comp["DTEND"] = vDDDTypes(end)
    return comp  # an end before the start was refused when the event was read (never swapped)


def _as_utc(value, home: str) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromtimestamp(local_midnight_utc(value, home), UTC)


def _occurrence(occ, uid: str, recurring: bool, is_floating: bool, floating: ZoneInfo, window: Window,
                line: int):
    start = occ["DTSTART"].dt
    end = occ["DTEND"].dt if occ.get("DTEND") is not None else start
    home = window.home_tz
    if isinstance(start, datetime):
        s, e = int(start.timestamp()), int(end.timestamp())
        all_day = False
    else:
        s, e = local_midnight_utc(start, home), local_midnight_utc(end, home)
        all_day = True
    if e < s:  # an RDATE period that ends before it starts; never swapped
        raise ValueError(f"it ends ({end}) before it starts ({start})")
    key = ""
    if recurring:
        rid = occ.get("RECURRENCE-ID")
        rid = rid.dt if rid is not None else start
        if isinstance(rid, datetime):
            key = (f"{rid.astimezone(floating):%Y%m%dT%H%M%S}" if is_floating
                   else f"{rid.astimezone(UTC):%Y%m%dT%H%M%SZ}")
        else:
            key = f"{rid:%Y%m%d}"
    status = str(occ.get("STATUS", "CONFIRMED") or "CONFIRMED").strip().upper()
    if status not in ("CONFIRMED", "TENTATIVE", "CANCELLED"):
        status = "CONFIRMED"
    try:
        sequence = max(0, int(str(occ.get("SEQUENCE", 0))))
    except ValueError:
        sequence = 0
    transparent = str(occ.get("TRANSP", "") or "").strip().upper() == "TRANSPARENT"
    return (Occurrence(uid, key, s, e, home if all_day else "", all_day, _text(occ, "SUMMARY"),
                       _text(occ, "LOCATION"), _text(occ, "DESCRIPTION", multiline=True), status, sequence,
                       transparent, line), start, end)


def _text(comp, prop: str, *, multiline: bool = False) -> str:
    """A TEXT property as stored: control characters as spaces (newlines kept where ``multiline``)."""
    try:
        value = comp.get(prop)
        value = value[0] if isinstance(value, list) else value
        text = str(value) if value is not None else ""
    except Exception:  # noqa: BLE001 - a broken text property reads as empty
        return ""
    text = text.replace("\r\n", "\n")
    return "".join(ch if (multiline and ch == "\n") or unicodedata.category(ch) not in ("Cc", "Cs") else " "
                   for ch in text).strip()
