"""iCalendar (.ics) export of appointments, written by hand to RFC 5545.

The text is built here line by line so every byte is under our control:
CRLF line endings (§3.1), folding at ≤ 75 octets without splitting a UTF-8
sequence or a backslash escape, TEXT escaping (§3.3.11), one VTIMEZONE in
yearly-RRULE form per zone used, placed before the first VEVENT (§3.6.5,
§3.2.19), and per event a stable UID (§3.8.4.7), DTSTAMP in UTC (§3.8.7.2),
SEQUENCE (§3.8.7.4) and STATUS (§3.8.1.11).

With ``method`` REQUEST or CANCEL the calendar is an invitation or a cancellation
to mail (iTIP, RFC 5546 §3.2.2, §3.2.5): every event names the organizer and the
attendee, parameter values follow RFC 5545 §3.1 and RFC 6868.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vakit import __version__
from vakit.core.appointments import Appointment, Series
from vakit.core.errors import InvalidValue
from vakit.exporters.vtimezone import vtimezone_lines

__all__ = ["METHODS", "UTC_ZONES", "VAKIT_PRODID", "Party", "escape_text", "export_calendar", "fold_line", "mailto"]

#: The PRODID vakit's own exports carry (RFC 5545 §3.7.3): who made the file, and which version.
VAKIT_PRODID = f"-//vakit//vakit {__version__}//EN"
#: iTIP methods (RFC 5546 §1.4) vakit writes: a calendar to import, an invitation, a cancellation.
METHODS = ("PUBLISH", "REQUEST", "CANCEL")

#: Zone names written as UTC (``...Z``) without a VTIMEZONE.
UTC_ZONES = frozenset(
    {
        "UTC",
        "Etc/UTC",
        "Etc/UCT",
        "UCT",
        "Etc/Universal",
        "Universal",
        "Etc/Zulu",
        "Zulu",
        "GMT",
        "Etc/GMT",
        "Etc/GMT0",
        "Etc/GMT+0",
        "Etc/GMT-0",
        "GMT0",
        "GMT+0",
        "GMT-0",
        "Etc/Greenwich",
        "Greenwich",
    }
)
_STATUSES = frozenset({"CONFIRMED", "CANCELLED", "TENTATIVE"})
_MAX_OCTETS = 75
_NEWLINE = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_URL = re.compile(r"^(https?)://\S+$", re.IGNORECASE)
_TOKEN = re.compile(r"\\.|\^.|.", re.DOTALL)  # an escape (\, or RFC 6868 ^) is never split
#: characters a mailto: URI keeps as they are (RFC 6068 §2: unreserved and "some-delims", less , ; :)
_MAILTO_SAFE = "@!$'()*+._-~"


@dataclass(frozen=True)
class Party:
    """A calendar user of an invitation: ``name`` (the CN parameter) and ``email`` (the mailto: address)."""

    name: str
    email: str


def escape_text(value: str) -> str:
    r"""Escape a TEXT value (RFC 5545 §3.3.11).

    Backslash, semicolon and comma get a backslash; any line break (CRLF, CR or
    LF) becomes ``\n``. Other control characters, which TEXT may not contain,
    are dropped (HTAB is kept).
    """
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = _NEWLINE.sub("\\\\n", value)
    return _CONTROL.sub("", value)


def fold_line(line: str, limit: int = _MAX_OCTETS) -> list[str]:
    """Fold one content line into physical lines of at most ``limit`` octets of UTF-8 (RFC 5545 §3.1).

    Continuation lines begin with one space, which counts toward the limit. A
    break never falls inside a UTF-8 multi-octet sequence (whole characters are
    kept together) nor between a backslash (or an RFC 6868 ``^``) and the character it escapes.
    Returns the physical lines without line endings.
    """
    out: list[str] = []
    current: list[str] = []
    size = 0
    for token in _TOKEN.findall(line):
        n = len(token.encode("utf-8"))
        if size + n > limit and current:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(token)
        size += n
    out.append("".join(current))
    return out


def _utc(epoch: int) -> str:
    """``YYYYMMDDTHHMMSSZ`` for epoch seconds (RFC 5545 §3.3.5, form #2)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y%m%dT%H%M%SZ")


def _param(value: str) -> str:
    """A parameter value (RFC 5545 §3.1): ``^``, DQUOTE and line breaks encoded as ``^^``, ``^'`` and ``^n``
    (RFC 6868), so no DQUOTE is ever inside; other control characters dropped; quoted when it holds ``:``,
    ``;`` or ``,``."""
    value = _NEWLINE.sub("^n", value.replace("^", "^^").replace('"', "^'"))
    value = _CONTROL.sub("", value)
    return f'"{value}"' if any(c in value for c in ":;,") else value


def mailto(email: str) -> str:
    """``mailto:`` URI of an address (a CAL-ADDRESS, RFC 5545 §3.3.3; RFC 6068), characters a URI may not
    hold percent-encoded (non-ASCII as UTF-8)."""
    return "mailto:" + quote(email.strip(), safe=_MAILTO_SAFE)


def _party(prop: str, party: Party, params: str = "") -> str:
    """``ORGANIZER;CN=…:mailto:…`` or ``ATTENDEE;…;CN=…:mailto:…``."""
    return f"{prop};{params}CN={_param(party.name)}:{mailto(party.email)}"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidValue(f"unknown time zone {name!r}", "use an IANA name such as Europe/Berlin") from exc


def _repeated(epoch: int, tz: str) -> bool:
    """True if ``epoch`` shows as the second occurrence of a repeated wall time (fall-back) in ``tz``."""
    local = datetime.fromtimestamp(epoch, _zone(tz))
    return bool(local.fold) and local.replace(fold=0).timestamp() != epoch


def _when(prop: str, epoch: int, tz: str, in_utc: bool) -> str:
    """``DTSTART;TZID=zone:local`` (RFC 5545 §3.3.5, form #3), or the UTC form (#2) when ``in_utc``."""
    if in_utc:
        return f"{prop}:{_utc(epoch)}"
    local = datetime.fromtimestamp(epoch, _zone(tz))
    return f"{prop};TZID={_param(tz)}:{local.strftime('%Y%m%dT%H%M%S')}"


def _event_lines(appt: Appointment, dtstamp_utc: int, invite: tuple[Party, Party] | None = None, *,
                 rrule: str | None = None, recurrence_id: str | None = None,
                 times: tuple[str, str] | None = None) -> list[str]:
    """One VEVENT; ``rrule`` (a series' master) adds its RRULE and ``times`` its DTSTART and DTEND lines as
    given; ``recurrence_id`` (an override of one occurrence) its RECURRENCE-ID line."""
    status = appt.status.upper()
    if status not in _STATUSES:
        raise InvalidValue(f"appointment {appt.uid}: status {appt.status!r} is not CONFIRMED or CANCELLED")
    if appt.end_utc < appt.start_utc:
        raise InvalidValue(f"appointment {appt.uid}: ends before it starts")
    # A TZID form cannot name the second of two equal wall times (§3.3.5 reads the
    # first), and readers that subtract DTSTART from DTEND on the wall clock go
    # wrong on mixed forms, so such an event is written wholly in UTC.
    in_utc = appt.tz in UTC_ZONES or _repeated(appt.start_utc, appt.tz) or _repeated(appt.end_utc, appt.tz)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(appt.uid)}",
        f"DTSTAMP:{_utc(dtstamp_utc)}",
        f"CREATED:{_utc(appt.created_utc)}",
        f"LAST-MODIFIED:{_utc(appt.modified_utc)}",
        *([recurrence_id] if recurrence_id else []),
        *(times or (_when("DTSTART", appt.start_utc, appt.tz, in_utc), _when("DTEND", appt.end_utc, appt.tz, in_utc))),
        *([f"RRULE:{rrule}"] if rrule else []),
        f"SUMMARY:{escape_text(appt.title)}",
    ]
    location = appt.location.strip()
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
        if _URL.match(location):
            lines.append(f"URL:{location}")
    if appt.description:
        lines.append(f"DESCRIPTION:{escape_text(appt.description)}")
    if invite is not None:
        organizer, attendee = invite
        lines.append(_party("ORGANIZER", organizer))
        lines.append(_party("ATTENDEE", attendee, "ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;"))
    lines += [f"SEQUENCE:{int(appt.sequence)}", f"STATUS:{status}", "TRANSP:OPAQUE", "END:VEVENT"]
    return lines


def _timezones(appointments: Iterable[Appointment], series: Mapping[int, Series]) -> list[str]:
    """One VTIMEZONE per non-UTC zone, spanning that zone's events (and the RECURRENCE-IDs of occurrences,
    which are written in their series' zone), zones in name order."""
    spans: dict[str, tuple[int, int]] = {}

    def cover(tz: str, lo: int, hi: int) -> None:
        if tz in UTC_ZONES:
            return
        _zone(tz)
        a, b = spans.get(tz, (lo, hi))
        spans[tz] = (min(a, lo), max(b, hi))

    for a in appointments:
        cover(a.tz, a.start_utc, a.end_utc)
        s = series.get(a.series_id) if a.series_id is not None else None
        if s is not None and a.recurrence_utc is not None:
            cover(s.tz, a.recurrence_utc, a.recurrence_utc + s.duration)
    lines: list[str] = []
    for tz in sorted(spans):
        lines += vtimezone_lines(tz, *spans[tz])
    return lines


def _events(appointments: Sequence[Appointment], series: Mapping[int, Series], dtstamp_utc: int,
            invite: tuple[Party, Party] | None, method: str) -> list[tuple[int, str, list[str]]]:
    """Every event's lines with its sort key (first start, UID): single appointments one VEVENT each, each
    series its master and overrides."""
    from vakit.exporters.ics_series import series_lines

    out = []
    grouped: dict[int, list[Appointment]] = {}
    for a in appointments:
        if a.series_id is not None and a.series_id in series:
            grouped.setdefault(a.series_id, []).append(a)
        else:
            out.append((a.start_utc, a.uid, _event_lines(a, dtstamp_utc, invite)))
    for sid, rows in grouped.items():
        s = series[sid]
        lines = series_lines(s, rows, dtstamp_utc, invite, method)
        if lines:
            out.append((min(a.start_utc for a in rows), s.uid, lines))
    return sorted(out, key=lambda e: (e[0], e[1]))


def export_calendar(
    appointments: Sequence[Appointment],
    *,
    dtstamp_utc: int,
    calendar_name: str | None,
    prodid: str = "-//vakit//vakit//EN",
    method: str | None = "PUBLISH",
    organizer: Party | None = None,
    attendee: Party | None = None,
    series: Mapping[int, Series] | None = None,
) -> bytes:
    """Serialise appointments as one iCalendar object (RFC 5545), UTF-8 bytes with CRLF line endings.

    ``dtstamp_utc`` is the export instant in epoch seconds (UTC), written as every
    event's DTSTAMP (§3.8.7.2). ``calendar_name`` becomes ``X-WR-CALNAME``.
    ``prodid`` is written as is; vakit's commands pass :data:`VAKIT_PRODID` (with the version).
    The calendar has METHOD:PUBLISH (RFC 5546) and CALSCALE:GREGORIAN; all
    VTIMEZONEs come before the first VEVENT; events are ordered by start instant,
    then UID. Each event's DTSTART/DTEND is local time with ``TZID`` in the
    appointment's own zone (§3.3.5 form #3), or UTC with ``Z`` for UTC zones.

    ``method`` None writes a calendar object resource for CalDAV (RFC 4791 §4.1: no METHOD property), and
    ``calendar_name`` None leaves out X-WR-CALNAME.
    ``method`` REQUEST (an invitation) or CANCEL (a cancellation) makes an iTIP message
    (RFC 5546 §3.2.2, §3.2.5) to mail to ``attendee``: METHOD says so, there is no
    X-WR-CALNAME (it is not a calendar to subscribe to), and every event carries
    ``ORGANIZER;CN=…:mailto:…`` and ``ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=…:mailto:…``.
    A REQUEST may hold no cancelled event, a CANCEL only cancelled ones (STATUS:CANCELLED,
    SEQUENCE as stored).

    Occurrences of a recurring series (appointments whose ``series_id`` is in ``series``) are written as the
    series' master VEVENT (DTSTART in its zone, RRULE) plus an override (RECURRENCE-ID) for each occurrence that
    differs from its rule (see :mod:`vakit.exporters.ics_series`); in a CANCEL, a series that is not cancelled
    as a whole gives only the overrides of its cancelled occurrences.
    Raises :class:`~vakit.core.errors.InvalidValue` for an unknown zone, status or method, a missing
    organizer or attendee, or an event whose status does not fit the method.
    """
    resource = method is None
    series = series or {}
    method = (method or "PUBLISH").upper()
    if method not in METHODS:
        raise InvalidValue(f"unknown calendar method {method!r}", "use PUBLISH, REQUEST or CANCEL")
    invite: tuple[Party, Party] | None = None
    if method != "PUBLISH":
        if organizer is None or attendee is None or not organizer.email.strip() or not attendee.email.strip():
            raise InvalidValue(f"a {method} needs an organizer and an attendee with e-mail addresses")
        invite = (organizer, attendee)
        for a in appointments:
            if a.series_id in series:
                continue  # checked per series below
            if (a.status.upper() == "CANCELLED") != (method == "CANCEL"):
                raise InvalidValue(f"appointment {a.uid} is {a.status.lower()}; a {method} holds only "
                                   f"{'cancelled' if method == 'CANCEL' else 'confirmed'} appointments")
    logical = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(prodid)}",
        "CALSCALE:GREGORIAN",
    ]
    if not resource:
        logical.append(f"METHOD:{method}")
    if invite is None and calendar_name is not None:
        logical.append(f"X-WR-CALNAME:{escape_text(calendar_name)}")
    logical += _timezones(appointments, series)
    for _start, _uid, lines in _events(appointments, series, dtstamp_utc, invite, method):
        logical += lines
    logical.append("END:VCALENDAR")
    physical = [part for line in logical for part in fold_line(line)]
    return ("\r\n".join(physical) + "\r\n").encode("utf-8")
