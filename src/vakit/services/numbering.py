"""Invoice number patterns: ``INV/{fy}/{seq:03}``, ``{year}-{seq:04}``.

Fields: ``{year}`` (calendar year of the issue date), ``{fy}`` (Indian financial year
April–March, ``2026-27``), ``{month}`` (``11``), and ``{seq}`` with an optional width
(``{seq:04}``). The series key is the pattern rendered without ``{seq}``, so each
year or financial year counts from 1 again. Where the profile carries a GSTIN, the
number is capped at 16 characters of letters, digits, ``-`` and ``/`` (CGST Rules
2017, rule 46(b)).
"""

from __future__ import annotations

import re
import string
from datetime import date

from vakit.core.errors import InvalidValue

FIELDS = {"year", "fy", "month", "seq"}
_GST_CHARS = re.compile(r"^[A-Za-z0-9/-]{1,16}$")


def financial_year(d: date) -> str:
    """Indian financial year (1 April – 31 March) of ``d``: 2026-11-01 → ``"2026-27"``."""
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def check_pattern(pattern: str) -> str:
    """Validate a pattern: known fields only, exactly one ``{seq}`` with an optional ``0N`` width.

    Raises InvalidValue naming the problem.
    """
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise InvalidValue(f"invoice number pattern {pattern!r} is malformed: {exc}") from exc
    names = [f for _, f, _, _ in parsed if f is not None]
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise InvalidValue(f"invoice number pattern {pattern!r} has unknown field {{{unknown[0]}}}",
                           "use {year}, {fy}, {month} and {seq:04}")
    if names.count("seq") != 1:
        raise InvalidValue(f"invoice number pattern {pattern!r} needs exactly one {{seq}}")
    for _, f, spec, conv in parsed:
        if f == "seq" and (conv or (spec and not re.fullmatch(r"0?[1-9]", spec))):
            raise InvalidValue(f"invoice number pattern {pattern!r}: {{seq}} takes a width such as {{seq:04}}")
        if f in ("year", "fy", "month") and (spec or conv):
            raise InvalidValue(f"invoice number pattern {pattern!r}: {{{f}}} takes no format")
    return pattern


def _values(issue_date: date) -> dict[str, str]:
    return {"year": f"{issue_date.year}", "fy": financial_year(issue_date), "month": f"{issue_date.month:02d}"}


def series_key(pattern: str, issue_date: date) -> str:
    """The counter a number is drawn from: the pattern rendered with ``{seq}`` left as a marker."""
    return _render(pattern, issue_date, None)


def _render(pattern: str, issue_date: date, seq: int | None) -> str:
    out = []
    vals = _values(issue_date)
    for literal, f, spec, _ in string.Formatter().parse(pattern):
        out.append(literal)
        if f is None:
            continue
        if f == "seq":
            out.append("{seq}" if seq is None else format(seq, spec or ""))
        else:
            out.append(vals[f])
    return "".join(out)


def format_number(pattern: str, issue_date: date, seq: int, *, gst: bool = False) -> str:
    """Render invoice number ``seq`` of ``pattern`` for ``issue_date``.

    With ``gst`` the result must be ≤ 16 characters of letters, digits, ``-`` and ``/``;
    raises InvalidValue otherwise.
    """
    number = _render(pattern, issue_date, seq)
    if gst and not _GST_CHARS.match(number):
        raise InvalidValue(f"invoice number {number!r} breaks the GST rule: at most 16 letters, digits, '-' or '/'")
    return number
