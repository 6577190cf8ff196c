"""Duration rounding belonging to a contract (design.md §5: increment, direction, scope)."""

from __future__ import annotations

import re

from vakit.core.errors import InvalidValue
from vakit.core.models import Rounding

DIRECTIONS = ("up", "nearest", "down")


def round_seconds(seconds: int, rounding: Rounding) -> int:
    """Round a duration in seconds to the contract's increment.

    ``up`` rounds any part of an increment up, ``down`` drops it, ``nearest`` rounds
    half an increment or more up. No increment leaves the duration as it is.
    """
    inc = rounding.increment
    if not inc or seconds <= 0:
        return seconds
    whole, rest = divmod(seconds, inc)
    if rest == 0:
        return seconds
    if rounding.direction == "up":
        return (whole + 1) * inc
    if rounding.direction == "down":
        return whole * inc
    return (whole + (1 if rest * 2 >= inc else 0)) * inc


#: scope as typed → as stored
SCOPES = {"per-entry": "entry", "entry": "entry", "per-day": "day", "day": "day", "per-line": "line",
          "line": "line", "per-invoice-line": "line"}


def parse_rounding(text: str | None) -> Rounding:
    """Read ``"up:6m"``, ``"nearest:15m"``, ``"down:1m"``, ``"none"``, with a scope after a second colon:
    ``"up:15m:per-entry"`` (the default), ``"up:15m:per-day"``, ``"up:15m:per-line"`` (field case C-16).
    Raises InvalidValue.
    """
    if text is None or text.strip().lower() in ("", "none", "no"):
        return Rounding()
    parts = text.strip().lower().split(":")
    if len(parts) not in (2, 3) or parts[0] not in DIRECTIONS:
        raise InvalidValue(f"could not read rounding {text!r}", "e.g. up:6m, nearest:15m, down:1m or none")
    m = re.fullmatch(r"([0-9]+)\s*(m|min)", parts[1])
    if not m or not 1 <= int(m.group(1)) <= 1440:
        raise InvalidValue(f"could not read rounding increment {parts[1]!r}", "minutes, e.g. 6m or 15m")
    scope = parts[2].strip() if len(parts) == 3 else "per-entry"
    if scope not in SCOPES:
        raise InvalidValue(f"unknown rounding scope {scope!r}", "use per-entry, per-day or per-line")
    return Rounding(int(m.group(1)) * 60, parts[0], SCOPES[scope])


def billed_seconds(start: int, end: int, origin: int | None, rounding) -> int:
    """Billed seconds of the part ``[start, end)`` of an entry that began at ``origin`` (None: not split).

    Per-entry rounding applies to the whole entry: a part bills round(time up to its end) − round(time
    up to its start), so the parts of a split entry add up to the rounded whole (a 20-minute entry
    rounded up to 15 minutes bills 0:15 in all, not 0:15 in each month).
    """
    before = 0 if origin is None else start - origin
    return round_seconds(before + end - start, rounding) - round_seconds(before, rounding)
