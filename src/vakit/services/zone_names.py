"""Time-zone names found in calendar files → IANA zones (issue 8, field case C-28).

A TZID is only a label; this module tells which IANA zone a label names, and how it knows:

1. an IANA name (``Europe/Berlin``), legacy ones included (``Mexico/General``, ``Asia/Calcutta``: zoneinfo
   reads them; CLDR's alias list, shipped with Babel, gives the current name);
2. a "globally unique" TZID (RFC 5545 §3.2.19) whose tail is an IANA name
   (``/freeassociation.sourceforge.net/Europe/Berlin``);
3. a Windows zone name (``W. Europe Standard Time``), through CLDR's ``windowsZones`` data as icalendar ships it
   (``icalendar.timezone.windows_to_olson``), then as Babel ships it for names an older icalendar lacks;
4. a UTC-offset name (``UTC+11``, ``GMT-05:00``);
5. an Outlook display name (``(UTC-03:00) Brasília``, ``(UTC+01:00) Amsterdam, Berlin, Bern, Rome``): a city
   that is the last part of an IANA name, a CLDR exemplar city or a CLDR metazone name (``Brasilia`` is the
   metazone of America/Sao_Paulo), with the label's standard offset; failing that, the label's fixed offset.

Anything else is unknown (None), which the importer reports by name: it never reads an unknown zone as UTC.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from vakit.core.clock import zone
from vakit.core.errors import InvalidValue


@dataclass(frozen=True)
class NamedZone:
    """What a zone name means: an IANA zone (``iana``), or only a fixed UTC offset in seconds (``fixed``), and
    ``how`` it was found, for the import report."""

    iana: str | None
    how: str
    fixed: int | None = None


def zone_for_name(name: str, *, score: Callable[[str], int] | None = None) -> NamedZone | None:
    """The zone ``name`` stands for, or None when it names none. ``score`` ranks the candidates of an Outlook
    display name that several zones fit (higher is better; e.g. how well each agrees with the file's rules)."""
    s = (name or "").strip().strip('"').strip()
    if not s or len(s) > 200:
        return None
    found = _iana(s)
    if found:
        return found
    if "/" in s:
        parts = s.strip("/").split("/")
        for i in range(1, len(parts)):
            tail = _iana("/".join(parts[i:]))
            if tail:
                return NamedZone(tail.iana, f"vendor prefix dropped (RFC 5545 §3.2.19): {tail.how}")
    windows = _windows(s)
    if windows:
        return windows
    m = re.fullmatch(r"(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", s, re.IGNORECASE)
    if m:
        return _fixed(_offset(m.group(1), m.group(2), m.group(3)), "UTC-offset name")
    m = re.fullmatch(r"\(\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})[:.](\d{2}))?\s*\)\s*(.+)", s, re.IGNORECASE)
    if m:
        return _display_name(_offset(m.group(1), m.group(2), m.group(3)), m.group(4), score)
    return None


def canonical(iana: str) -> str:
    """The current name of an IANA zone when CLDR lists ``iana`` as an old alias (``Asia/Calcutta`` →
    ``Asia/Kolkata``), else ``iana``."""
    return _aliases().get(iana, iana)


def _iana(s: str) -> NamedZone | None:
    try:
        zone(s)
    except InvalidValue:
        return None
    current = canonical(s)
    if current != s:
        try:
            zone(current)
        except InvalidValue:
            current = s
    if current == s:
        return NamedZone(s, "IANA name")
    return NamedZone(current, f"IANA name, an alias of {current}")


def _windows(s: str) -> NamedZone | None:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    for table, where in ((WINDOWS_TO_OLSON, "icalendar"), (_babel_windows(), "Babel")):
        target = table.get(s) or next((v for k, v in table.items() if k.casefold() == s.casefold()), None)
        if target:
            found = _iana(target)
            if found:
                return NamedZone(found.iana, f"Windows name (CLDR windowsZones, from {where})")
    return None


def _offset(sign: str | None, hours: str | None, minutes: str | None) -> int:
    if not sign:
        return 0
    return (1 if sign == "+" else -1) * (int(hours) * 3600 + int(minutes or 0) * 60)


def _fixed(offset: int, how: str) -> NamedZone | None:
    if abs(offset) > 14 * 3600:
        return None
    if offset % 3600 == 0:
        # Etc/GMT-11 is UTC+11: the Etc names keep POSIX's inverted sign
        h = -offset // 3600
        name = "Etc/UTC" if h == 0 else f"Etc/GMT{h:+d}"
        return NamedZone(name, f"{how}: a fixed offset, {_fmt(offset)}", fixed=offset)
    return NamedZone(None, f"{how}: a fixed offset, {_fmt(offset)}", fixed=offset)


def _fmt(offset: int) -> str:
    sign = "+" if offset >= 0 else "-"
    return f"UTC{sign}{abs(offset) // 3600:02d}:{abs(offset) % 3600 // 60:02d}"


def _fold(text: str) -> str:
    """``São Paulo`` → ``sao_paulo``: accents dropped, case folded, spaces and hyphens as ``_``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\s\-]+", "_", ascii_text.strip().casefold()).replace(".", "")


def _display_name(offset: int, cities: str, score: Callable[[str], int] | None) -> NamedZone | None:
    """An Outlook display name: the first city a zone fits, with the label's standard offset."""
    label = f"Outlook display name, {_fmt(offset)}"
    for city in re.split(r",|\s+-\s+|/", re.sub(r"\([^)]*\)", "", cities)):
        key = _fold(city)
        if not key:
            continue
        for table, kind in ((_city_zones(), "city"), (_exemplar_zones(), "CLDR exemplar city"),
                            (_metazone_zones(), "CLDR metazone")):
            candidates = sorted({z for z in table.get(key, ()) if offset in _standard_offsets(z)})
            if candidates:
                return NamedZone(_best(candidates, score), f"{label}, {kind} {city.strip()!r}")
    return _fixed(offset, f"{label}; no zone of that name is known, so its standard offset all year")


def _best(candidates: list[str], score: Callable[[str], int] | None) -> str:
    """The zone a display name most likely means among ``candidates``: the best ``score`` (agreement with the
    file's own rules), then one that CLDR maps a Windows name to, then the most typical of those (its offsets
    over 2005–2025 agree most often with theirs: America/New_York rather than America/Cancun for "Eastern
    Time"), then by name. Without a VTIMEZONE the choice among zones that agree today only changes the label."""
    if len(candidates) == 1:
        return candidates[0]
    targets = _windows_targets()
    peers = [z for z in candidates if z in targets] or candidates
    offsets = {z: _offsets(z) for z in candidates}

    def typical(z: str) -> int:
        return sum(sum(a == b for a, b in zip(offsets[z], offsets[o])) for o in peers if o != z)

    return min(candidates, key=lambda z: (-(score(z) if score else 0), z not in targets, -typical(z), z))


#: wall times at which display-name candidates are compared: the 1st and 15th of each month, 2005–2025, noon
SAMPLES = tuple(datetime(y, m, d, 12) for y in range(2005, 2026) for m in range(1, 13) for d in (1, 15))  # noqa: DTZ001


@cache
def _offsets(name: str) -> tuple[int, ...]:
    tz = zone(name)
    return tuple(int(w.replace(tzinfo=tz).utcoffset().total_seconds()) for w in SAMPLES)


def _standard_offsets(name: str) -> set[int]:
    """A zone's standard (non-DST) offsets in January and July of 2025 (seconds)."""
    tz = zone(name)
    out = set()
    for month in (1, 7):
        dt = datetime(2025, month, 15, 12, tzinfo=tz)
        out.add(int((dt.utcoffset() - (dt.dst() or timedelta(0))).total_seconds()))
    return out


@cache
def _aliases() -> dict[str, str]:
    try:
        from babel.core import get_global

        return dict(get_global("zone_aliases"))
    except Exception:  # noqa: BLE001 - Babel's data is a help for names, never a requirement
        return {}


@cache
def _babel_windows() -> dict[str, str]:
    try:
        from babel.core import get_global

        return dict(get_global("windows_zone_mapping"))
    except Exception:  # noqa: BLE001
        return {}


@cache
def _windows_targets() -> frozenset[str]:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    names = set(WINDOWS_TO_OLSON.values()) | set(_babel_windows().values())
    return frozenset(names | {canonical(n) for n in names})


@cache
def _city_zones() -> dict[str, list[str]]:
    from zoneinfo import available_timezones

    out: dict[str, list[str]] = {}
    for name in sorted(available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right")):
            out.setdefault(_fold(name.rsplit("/", 1)[1]), []).append(canonical(name))
    return {k: sorted(set(v)) for k, v in out.items()}


@cache
def _exemplar_zones() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    try:
        from babel import Locale

        for name, info in Locale("en").time_zones.items():
            city = info.get("city") if hasattr(info, "get") else None
            if city and _iana(name):
                out.setdefault(_fold(city), []).append(name)
    except Exception:  # noqa: BLE001
        return {}
    return out


@cache
def _metazone_zones() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    try:
        from babel import Locale
        from babel.core import get_global

        names = Locale("en").meta_zones
        for name, meta in get_global("meta_zones").items():
            if not _iana(name):
                continue
            keys = {_fold(meta)}
            info = names.get(meta)
            if info is not None:  # English names: "Eastern Time", "Eastern Standard Time"
                for kind in ("generic", "standard"):
                    text = info.get("long", {}).get(kind)
                    if text:
                        keys.add(_fold(text))
            for key in keys:
                out.setdefault(key, []).append(name)
    except Exception:  # noqa: BLE001
        return {}
    return out
