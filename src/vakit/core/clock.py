"""The injected clock and time-zone lookup.

Production code asks a :class:`Clock` for the current instant; tests pass a
:class:`FixedClock`. ``VAKIT_NOW`` (an ISO-8601 instant with offset, e.g.
``2025-05-14T09:00:00+01:00``) fixes the clock of a whole process, so that
end-to-end tests and demos of the installed command are reproducible.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vakit.core.errors import InvalidValue

UTC = timezone.utc


class Clock:
    """The real clock. ``now()`` returns an aware UTC datetime, ``now_utc()`` epoch seconds."""

    def now(self) -> datetime:
        """Current instant, aware, in UTC, whole seconds."""
        return datetime.now(UTC).replace(microsecond=0)

    def now_utc(self) -> int:
        """Current instant as integer epoch seconds (UTC)."""
        return int(self.now().timestamp())


@dataclass
class FixedClock(Clock):
    """A clock stopped at ``at`` (aware datetime); ``set`` moves it."""

    at: datetime

    def now(self) -> datetime:
        """The fixed instant, in UTC."""
        return self.at.astimezone(UTC).replace(microsecond=0)

    def set(self, at: datetime) -> None:
        """Move the clock to ``at`` (aware)."""
        self.at = at


def clock_from_env() -> Clock:
    """A FixedClock if ``VAKIT_NOW`` is set (ISO-8601 with offset), else the system clock.

    Raises InvalidValue if ``VAKIT_NOW`` is not an aware ISO-8601 instant.
    """
    raw = os.environ.get("VAKIT_NOW")
    if not raw:
        return Clock()
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidValue(f"VAKIT_NOW={raw!r} is not an ISO-8601 instant") from exc
    if at.tzinfo is None:
        raise InvalidValue(f"VAKIT_NOW={raw!r} needs an offset, e.g. 2025-05-14T09:00:00+01:00")
    if not 1971 <= at.year <= 2199:
        raise InvalidValue(f"VAKIT_NOW={raw!r} is outside the years vakit keeps (1971-2199)")
    return FixedClock(at)


#: files in the zone database that are not IANA zones: the machine's own setting, the POSIX default rules, and
#: "Factory" ("local time zone must be set"); the right/ and posix/ trees are other copies (right/ counts leap
#: seconds, which zoneinfo reads wrongly)
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (e.g. ``"Asia/Kolkata"``). Raises InvalidValue for an unknown name."""
    if (not name or name != name.strip() or name.startswith(("/", "right/", "posix/")) or ".." in name
            or name in _NOT_ZONES):
        raise InvalidValue(f"unknown time zone {name!r}", "use an IANA name such as Europe/London")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError) as exc:
        raise InvalidValue(f"unknown time zone {name!r}", _zone_hint(name)) from exc


def _zone_hint(name: str) -> str:
    """``did you mean Europe/Berlin?`` for a misspelt zone (the closest IANA names), else an example."""
    import difflib
    from zoneinfo import available_timezones

    names = sorted(available_timezones())
    folded = {n.casefold(): n for n in names}
    typed = name.strip().casefold()
    close = [typed] if typed in folded else difflib.get_close_matches(typed, list(folded), n=2, cutoff=0.75)
    if close:
        return f"did you mean {' or '.join(folded[c] for c in close)}?"
    return "use an IANA name such as Europe/London"


def check_zone(name: str) -> str:
    """Return ``name`` if it is a known IANA zone; raises InvalidValue otherwise."""
    zone(name)
    return name


def to_local(utc_seconds: int, tz: str) -> datetime:
    """Epoch seconds → aware datetime in zone ``tz``."""
    return datetime.fromtimestamp(utc_seconds, zone(tz))


def fmt_offset(utc_seconds: int, tz: str) -> str:
    """The zone's UTC offset at an instant: ``"UTC+08:00"``, ``"UTC-05:00"``, ``"UTC+05:45"``."""
    off = int(to_local(utc_seconds, tz).utcoffset().total_seconds())
    sign = "+" if off >= 0 else "-"
    off = abs(off)
    return f"UTC{sign}{off // 3600:02d}:{off % 3600 // 60:02d}"


def fmt_zone(utc_seconds: int, tz: str) -> str:
    """The zone label vakit prints beside every time: abbreviation *and* offset, ``"PST (UTC+08:00)"`` for
    Asia/Manila, so no abbreviation can be misread (Manila's PST is not US Pacific). Zones whose data has no
    abbreviation (``"+08"``) and UTC itself show the offset alone: ``"UTC+08:00"``, ``"UTC"``."""
    name = to_local(utc_seconds, tz).tzname() or ""
    offset = fmt_offset(utc_seconds, tz)
    if name in ("UTC", "GMT") and offset == "UTC+00:00" and tz in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        return "UTC"
    if not name or name[0] in "+-":
        return offset
    return f"{name} ({offset})"


def zone_abbreviation(utc_seconds: int, tz: str) -> str:
    """The zone's abbreviation at an instant (``"IST"``), or its offset (``"UTC+08:00"``) where the zone data
    has none (``"+08"``); meaningful only beside a legend that maps it to its offset."""
    name = to_local(utc_seconds, tz).tzname() or ""
    return fmt_offset(utc_seconds, tz) if not name or name[0] in "+-" else name


def fmt_clock(utc_seconds: int, tz: str) -> str:
    """Wall-clock time in ``tz``: ``"22:30"``, or ``"21:22:30"`` when the seconds are not :00."""
    dt = to_local(utc_seconds, tz)
    return f"{dt:%H:%M:%S}" if dt.second else f"{dt:%H:%M}"


def fmt_local(utc_seconds: int, tz: str, *, date: bool = True) -> str:
    """How vakit echoes an instant, everywhere: ``"Tue 10 Nov 2026 22:30 PST (UTC+08:00)"`` (weekday, date,
    time with seconds when they are not :00, abbreviation and UTC offset); ``date=False`` drops the date:
    ``"22:30 PST (UTC+08:00)"``."""
    dt = to_local(utc_seconds, tz)
    clock = f"{fmt_clock(utc_seconds, tz)} {fmt_zone(utc_seconds, tz)}"
    return f"{dt:%a %d %b %Y} {clock}" if date else clock


def fmt_range(start_utc: int, end_utc: int, tz: str) -> str:
    """An interval as echoed: ``"Tue 10 Nov 2026 09:00 – 10:30 PST (UTC+08:00)"`` when both ends share the
    date and the zone label; the end in full when it falls on another date, its label when the offset
    changed in between (a DST night): ``"Sun 25 Oct 2026 01:30 CEST (UTC+02:00) – 03:30 CET (UTC+01:00)"``."""
    a, b = to_local(start_utc, tz), to_local(end_utc, tz)
    za, zb = fmt_zone(start_utc, tz), fmt_zone(end_utc, tz)
    if a.date() != b.date():
        return f"{fmt_local(start_utc, tz)} – {fmt_local(end_utc, tz)}"
    if za != zb:
        return f"{fmt_local(start_utc, tz)} – {fmt_local(end_utc, tz, date=False)}"
    return f"{a:%a %d %b %Y} {fmt_clock(start_utc, tz)} – {fmt_clock(end_utc, tz)} {za}"


def fmt_span(seconds: int) -> str:
    """A duration as echoed beside typed times: ``"1:30"``, or ``"0:22:30"`` when seconds are not whole
    minutes, so a client sees exactly what was recorded."""
    return fmt_hms(seconds) if seconds % 60 else fmt_hm(seconds)


def fmt_hms(seconds: int) -> str:
    """Seconds → ``"h:mm:ss"``, exact: 1258 → ``"0:20:58"``."""
    sign = "-" if seconds < 0 else ""
    s = abs(int(seconds))
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def fmt_hm(seconds: int) -> str:
    """Seconds → ``"h:mm"`` (negative allowed), rounding down to whole minutes: 5400 → ``"1:30"``."""
    sign = "-" if seconds < 0 else ""
    minutes = abs(int(seconds)) // 60
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"
