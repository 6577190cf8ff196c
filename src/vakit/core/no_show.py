"""A contract's no-show term (``vakit contract add --no-show``): whether a client who does not come to an
appointment is billed for it, and for how long.

``none``: recorded, not billed (the default). ``booked``: the appointment's booked length is billed.
``fixed`` with a length in seconds (typed as a duration, ``30m``, ``1h``): that length is billed as time, a
flat charge whatever the booked length.
"""

from __future__ import annotations

from vakit.core.durations import parse_duration
from vakit.core.errors import InvalidValue

NO_SHOW_KINDS = ("none", "booked", "fixed")
#: the longest fixed no-show charge: the longest time entry vakit records without --force (16 h)
MAX_NO_SHOW_SECONDS = 16 * 3600
_HELP = "none, booked, or a duration such as 30m or 1h"


def parse_no_show(text: str) -> tuple[str, int | None]:
    """Read ``--no-show``: ``"none"`` → ``("none", None)``, ``"booked"`` → ``("booked", None)``, ``"30m"`` →
    ``("fixed", 1800)`` (seconds, whole minutes, at most :data:`MAX_NO_SHOW_SECONDS`). Raises InvalidValue."""
    s = (text or "").strip().lower()
    if s in ("none", "booked"):
        return s, None
    try:
        seconds = parse_duration(s)
    except InvalidValue as exc:
        raise InvalidValue(f"could not read --no-show {text!r}", _HELP) from exc
    if seconds % 60 or seconds > MAX_NO_SHOW_SECONDS:
        raise InvalidValue(f"a no-show charge of {text!r} is out of range", "whole minutes, up to 16h")
    return "fixed", seconds


def check_no_show(kind: str, seconds: int | None) -> None:
    """Refuse a no-show term that is not one :func:`parse_no_show` gives. Raises InvalidValue."""
    if kind not in NO_SHOW_KINDS:
        raise InvalidValue(f"unknown no-show term {kind!r}", _HELP)
    if (kind == "fixed") != (seconds is not None):
        raise InvalidValue("a fixed no-show charge needs its length, and only it has one", _HELP)
    if seconds is not None and (seconds <= 0 or seconds % 60 or seconds > MAX_NO_SHOW_SECONDS):
        raise InvalidValue(f"a no-show charge of {seconds} seconds is out of range", "whole minutes, up to 16h")


def describe_no_show(kind: str, seconds: int | None) -> str:
    """The term as typed: ``"none"``, ``"booked"``, or the length, ``"30m"``, ``"1h"``, ``"1h30m"``."""
    if kind != "fixed" or seconds is None:
        return kind
    h, m = divmod(seconds // 60, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m or not h else "")
