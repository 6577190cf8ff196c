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
        if f == "seq" and (conv or (spec and not re.fullmatch(r"0[1-9]", spec))):
            raise InvalidValue(f"invoice number pattern {pattern!r}: {{seq}} takes a zero-padded width such as "
                               "{seq:04}")
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


def default_credit_pattern(invoice_pattern: str) -> str:
    """The credit-note pattern used until one is set: the invoice pattern with ``INV`` at its start
    replaced by ``CN`` (``INV/{fy}/{seq:03}`` → ``CN/{fy}/{seq:03}``), else ``CN-`` in front."""
    if invoice_pattern.upper().startswith("INV"):
        return "CN" + invoice_pattern[3:]
    return "CN-" + invoice_pattern


def credit_pattern(conn) -> str:
    """The credit-note number pattern of the ledger on ``conn``: set with ``vakit invoice numbering
    --credit-pattern`` (kept in ``meta``), else :func:`default_credit_pattern` of the invoice pattern."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'credit_note_pattern'").fetchone()
    if row is not None:
        return row[0]
    return default_credit_pattern(conn.execute("SELECT number_pattern FROM profile WHERE id = 1").fetchone()[0])


def next_number(conn, pattern: str, issue_date: date, *, gst: bool) -> tuple[str, int, str]:
    """``(series, seq, number)`` that the next document of ``pattern`` issued on ``issue_date`` takes: one
    past the series' counter (``invoice_counters``), or its starting number. Call it inside the write
    transaction that stores the document. Raises InvalidValue (GST number rule)."""
    series = series_key(pattern, issue_date)
    row = conn.execute("SELECT last_seq FROM invoice_counters WHERE series = ?", (series,)).fetchone()
    seq = (row[0] if row else 0) + 1
    return series, seq, format_number(pattern, issue_date, seq, gst=gst)


def take_number(conn, series: str, seq: int) -> None:
    """Record ``seq`` as the last number drawn from ``series`` (inside the storing transaction)."""
    conn.execute("INSERT INTO invoice_counters (series, last_seq) VALUES (?, ?) ON CONFLICT(series) DO UPDATE"
                 " SET last_seq = excluded.last_seq", (series, seq))


def set_start(conn, pattern: str, on: date, start: int) -> str:
    """Make ``start`` the first number of ``pattern``'s series for the date ``on`` (a VA moving from another
    tool continues its numbering: C-22). Only a series with no number drawn yet can be given a start, so a
    series never skips numbers it has. Returns the series key. Raises InvalidValue."""
    if not 1 <= start <= 10**9:
        raise InvalidValue(f"a starting number must be between 1 and 1000000000 (got {start})")
    series = series_key(pattern, on)
    row = conn.execute("SELECT last_seq, first_seq FROM invoice_counters WHERE series = ?", (series,)).fetchone()
    if row is not None and row[0] >= row[1]:
        raise InvalidValue(f"the series {series.replace('{seq}', '…')} already has numbers up to {row[0]}; "
                           "its next number cannot be changed", "numbers in a series run without gaps")
    conn.execute("INSERT INTO invoice_counters (series, last_seq, first_seq) VALUES (?, ?, ?) ON CONFLICT(series)"
                 " DO UPDATE SET last_seq = excluded.last_seq, first_seq = excluded.first_seq",
                 (series, start - 1, start))
    return series


_FIELD_RE = {"year": r"[0-9]{4}", "fy": r"[0-9]{4}-[0-9]{2}", "month": r"[0-9]{2}", "seq": r"[0-9]+"}


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A regular expression matching every number ``pattern`` can produce (any date, any sequence number)."""
    out = []
    for literal, f, _spec, _ in string.Formatter().parse(pattern):
        out.append(re.escape(literal))
        if f is not None:
            out.append(_FIELD_RE[f])
    return re.compile("".join(out))


def clashes(pattern: str, other: str, on: date) -> bool:
    """Whether ``pattern`` and ``other`` draw from different series yet can produce the same number (tried for
    the series of ``on`` and the next year's, sequence numbers 1–9999), e.g. ``INV-{year}-{seq:04}`` and
    ``INV-{year}-000{seq}``."""
    later = date(on.year + 1, on.month, min(on.day, 28))
    for d in (on, later):
        if series_key(pattern, d) == series_key(other, d):
            continue
        rx = pattern_regex(other)
        if any(rx.fullmatch(_render(pattern, d, n)) for n in (*range(1, 200), 999, 1000, 9999)):
            return True
    return False
