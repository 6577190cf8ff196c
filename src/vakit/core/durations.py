"""Reading typed durations: ``2h30m``, ``2h30``, ``90m``, ``1.5h``, ``1:30``.

Rules (design.md §5 "Time", field case C-04): ``m`` is minutes, never months;
``1:30`` is h:mm, never m:ss; minutes must be below 60 when hours are given
(``2h60m`` is refused); every character must be understood.
"""

from __future__ import annotations

import re
from decimal import Decimal

from vakit.core.errors import InvalidValue

_HOURS_UNITS = {"h", "hr", "hrs", "hour", "hours"}
_MIN_UNITS = {"m", "min", "mins", "minute", "minutes"}
_HM = re.compile(r"^([0-9]{1,3}):([0-5][0-9])$")
_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)")

_HELP = "write it as 2h30m, 90m, 1.5h or 1:30"
#: no duration vakit records is longer than a year (time entries stop at 16 h unless forced)
MAX_DURATION_SECONDS = 366 * 24 * 3600


def parse_duration(text: str) -> int:
    """Read a duration and return whole seconds (> 0).

    ``"1h30"``, ``"1h30m"``, ``"90m"``, ``"1.5h"``, ``"1:30"`` → 5400.
    Raises InvalidValue naming the problem: an unknown unit (``"30mo"``), minutes
    ≥ 60 beside hours (``"2h60m"``), fractional minutes, a zero duration, one longer
    than :data:`MAX_DURATION_SECONDS`, or any text left over.
    """
    raw = text
    s = (text or "").strip().lower()
    if not s:
        raise InvalidValue("empty duration", _HELP)
    if len(s) > 40:
        raise InvalidValue(f"could not read duration {raw[:40]!r}…: too long", _HELP)
    m = _HM.match(s)
    if m:
        seconds = int(m.group(1)) * 3600 + int(m.group(2)) * 60
        return _positive(seconds, raw)
    if ":" in s:
        raise InvalidValue(f"could not read duration {raw!r}: h:mm needs minutes 00-59", _HELP)
    pos = 0
    hours: Decimal | None = None
    minutes: int | None = None
    compact = s.replace(" ", "")
    while pos < len(compact):
        pm = _PART.match(compact, pos)
        if not pm or pm.end() == pos:
            raise InvalidValue(f"could not read duration {raw!r}", _HELP)
        number, unit = pm.group(1), pm.group(2)
        pos = pm.end()
        if unit == "" and hours is not None and minutes is None and pos == len(compact):
            unit = "m"  # "1h30" — bare minutes after hours
        if unit in _HOURS_UNITS:
            if hours is not None or minutes is not None:
                raise InvalidValue(f"could not read duration {raw!r}: hours must come first, once", _HELP)
            hours = Decimal(number)
        elif unit in _MIN_UNITS:
            if minutes is not None:
                raise InvalidValue(f"could not read duration {raw!r}: minutes given twice", _HELP)
            if "." in number:
                raise InvalidValue(f"could not read duration {raw!r}: minutes must be whole", _HELP)
            minutes = int(number)
        elif unit == "":
            raise InvalidValue(f"duration {raw!r} has no unit", _HELP)
        else:
            raise InvalidValue(f"unknown unit {unit!r} in duration {raw!r} (m is minutes, h is hours)", _HELP)
    if hours is not None and minutes is not None:
        if minutes >= 60:
            raise InvalidValue(f"duration {raw!r}: minutes must be below 60 when hours are given", _HELP)
        if hours != hours.to_integral_value():
            raise InvalidValue(f"duration {raw!r}: use whole hours with minutes", _HELP)
    total = (hours or Decimal(0)) * 3600 + (minutes or 0) * 60
    if total != total.to_integral_value():
        raise InvalidValue(f"duration {raw!r} is not a whole number of seconds", _HELP)
    return _positive(int(total), raw)


def _positive(seconds: int, raw: str) -> int:
    if seconds <= 0:
        raise InvalidValue(f"duration {raw!r} must be longer than zero")
    if seconds > MAX_DURATION_SECONDS:
        raise InvalidValue(f"duration {raw!r} is longer than a year")
    return seconds
