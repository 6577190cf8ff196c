"""Weeks and the printed precision of durations in reports.

Weeks: ISO 8601 weeks (Monday first, ``2026-W45``) by default; a report may start its weeks on another
weekday (``--week-start sunday``, or ``locale``: the profile locale's first weekday from CLDR via Babel).

Precision (the one rule for every report, list, chart, CSV and PDF): a duration is printed exactly, never
rounded — ``h:mm`` when every duration of the document is whole minutes, otherwise every one of them as
``h:mm:ss``. So the printed rows always add up to the printed total (no 11:10 + 11:32 + 55:30 = 78:13), and the
total is the same whatever the grouping. JSON and CSV carry the exact seconds beside the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from vakit.core.clock import fmt_hm, fmt_hms
from vakit.core.errors import InvalidValue

#: weekday names → Python's weekday numbers (Monday 0 … Sunday 6)
WEEKDAYS = {name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                              "sunday"))}


def duration_formatter(seconds: Iterable[int]) -> Callable[[int], str]:
    """The formatter for a document holding these durations (seconds): :func:`fmt_hm` when all are whole
    minutes, else :func:`fmt_hms` — exact either way, so printed parts add up to a printed whole."""
    return fmt_hms if any(int(s) % 60 for s in seconds) else fmt_hm


def precision_name(fmt: Callable[[int], str]) -> str:
    """``"h:mm"`` or ``"h:mm:ss"``: the name of a formatter chosen by :func:`duration_formatter`."""
    return "h:mm:ss" if fmt is fmt_hms else "h:mm"


def week_start(d: date, first_weekday: int = 0) -> date:
    """The first date of the week holding ``d``, weeks starting on ``first_weekday`` (0 Monday … 6 Sunday)."""
    return d - timedelta(days=(d.weekday() - first_weekday) % 7)


def week_key(first: date, first_weekday: int = 0) -> str:
    """A week's key: ISO ``"2026-W45"`` for Monday weeks, else the week's first date ``"2026-11-01"``."""
    if first_weekday == 0:
        y, w, _ = first.isocalendar()
        return f"{y}-W{w:02d}"
    return first.isoformat()


def parse_week(text: str) -> date:
    """An ISO week ``"2026-W45"`` (also ``2026w45``) → its Monday. Raises InvalidValue."""
    m = re.fullmatch(r"([0-9]{4})-?[Ww]([0-9]{1,2})", (text or "").strip())
    if not m:
        raise InvalidValue(f"could not read week {text!r}", "use an ISO week, e.g. 2026-W45")
    year, week = int(m.group(1)), int(m.group(2))
    if not 1970 <= year <= 2199:
        raise InvalidValue(f"week {text} is outside the years vakit keeps (1970–2199)")
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        last = date(year, 12, 28).isocalendar()[1]
        raise InvalidValue(f"{year} has no week {week}", f"ISO weeks of {year} run 1–{last}") from None


def first_weekday(name: str | None, locale: str) -> int:
    """``--week-start`` → weekday number (0 Monday … 6 Sunday): a weekday name (or its first three letters),
    or ``locale`` for the first weekday of ``locale`` (``en_US``: Sunday, ``en_GB``: Monday) from CLDR.
    None or empty: Monday (ISO). Raises InvalidValue."""
    key = (name or "monday").strip().lower()
    if key == "locale":
        from babel import Locale, UnknownLocaleError

        try:
            return int(Locale.parse(locale or "en").first_week_day)
        except (UnknownLocaleError, ValueError, TypeError):
            raise InvalidValue(f"no first weekday is known for locale {locale!r}", "give --week-start monday") from None
    for day, number in WEEKDAYS.items():
        if key in (day, day[:3]):
            return number
    raise InvalidValue(f"unknown week start {name!r}", "monday (ISO, the default), sunday, saturday … or locale")


def weekday_name(number: int) -> str:
    """0 → ``"monday"`` … 6 → ``"sunday"``."""
    return next(k for k, v in WEEKDAYS.items() if v == number)
