"""Stored text: the one table of length limits, checks on the way in, escaping on the way out.

Every text vakit stores comes through :func:`clean_text` (typed input) or
:func:`clean_imported` (rows of an import file), which apply the same limit for the
same field. Everything printed to a terminal goes through :func:`printable`, which
shows control characters escaped (``\\x1b``) instead of sending them to the terminal.
"""

from __future__ import annotations

import unicodedata

from vakit.core.errors import InvalidValue

#: field → (most characters, newlines allowed). The only place lengths of stored text are decided.
LIMITS: dict[str, tuple[int, bool]] = {
    "name": (200, False),  # business and client names
    "title": (200, False),  # appointment titles
    "description": (1000, False),  # time entries, contracts
    "appointment description": (1000, True),
    "project": (200, False),
    "tags": (200, False),
    "address": (500, True),
    "notes": (2000, True),
    "note": (500, False),  # printed on an invoice, e.g. "PO 7731"
    "legend": (500, False),
    "payment details": (500, True),
    "email": (200, False),
    "country": (60, False),
    "tax id": (60, False),
    "tax name": (40, False),
    "unit": (40, False),  # what a line typed by hand counts, e.g. "post"
    "location": (500, False),
    "invoice number pattern": (100, False),
    "SAC code": (10, False),
    "source key": (200, False),
    "reason": (500, False),  # why a credit note or void was made
    "payment method": (60, False),
    "payment reference": (200, False),
}

#: bidirectional overrides, isolates and marks (they reorder what a terminal shows, CVE-2021-42574), line and
#: paragraph separators, zero-width space and byte-order mark (invisible); ZWJ/ZWNJ stay: Indic scripts need them
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029"
                  "\u200b\ufeff")


def _bad(ch: str, multiline: bool) -> bool:
    return (unicodedata.category(ch) in ("Cc", "Cs") and not (multiline and ch == "\n")) or ch in _BIDI


def clean_text(text: str | None, field: str, *, label: str | None = None) -> str:
    """``text`` stripped, checked against ``LIMITS[field]``: no control characters (escape sequences,
    NUL, bidirectional overrides; newlines only in multi-line fields), at most the field's length.

    ``label`` names the value in messages (default: the field). Raises InvalidValue.
    """
    limit, multiline = LIMITS[field]
    what = label or field
    s = (text or "").strip()
    for ch in s if not s.isprintable() else ():  # printable text has none of them (checked at C speed)
        if _bad(ch, multiline):
            raise InvalidValue(f"{what} contains a control character (U+{ord(ch):04X})")
    if len(s) > limit:
        raise InvalidValue(f"{what} is longer than {limit} characters ({len(s)})")
    return s


def nonempty(text: str | None, field: str, *, label: str | None = None) -> str:
    """:func:`clean_text`, refusing an empty result. Raises InvalidValue."""
    s = clean_text(text, field, label=label)
    if not s:
        raise InvalidValue(f"{label or field} must not be empty")
    return s


def clean_imported(text: str | None, field: str, where: str) -> str:
    """A field of an import file: control characters become spaces (tabs and NULs from other tools are
    common and meaningless), then the same length limit as typed input applies.

    ``where`` names the row in the message (``"export.csv line 12"``). Raises InvalidValue.
    """
    limit, multiline = LIMITS[field]
    s = text or ""
    if not s.isprintable():  # printable text has no control, surrogate or bidirectional character (C speed)
        s = "".join(" " if _bad(ch, multiline) else ch for ch in s)
    s = s.strip()
    if len(s) > limit:
        raise InvalidValue(f"{where}: {field} is longer than {limit} characters ({len(s)})",
                           "shorten it in the file; vakit keeps the same limit for typed and imported text")
    return s


def printable(text: str) -> str:
    """``text`` safe for a terminal: control characters (except newline and tab), lone surrogates and
    bidirectional overrides are shown as escapes (``\\x1b``, ``\\u202e``, ``\\udcff``); the rest is
    unchanged. Cheap when there is nothing to escape."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\n\t" or not _bad(ch, False):
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def typed_lines(text: str) -> str:
    """Lines typed on one command line — ``"12 MG Road; Pune 411001"`` or with ``\\n`` — as the lines they
    mean, each without the spaces around it: ``"12 MG Road\nPune 411001"``."""
    return "\n".join(line.strip() for line in text.replace("\\n", "\n").replace(";", "\n").split("\n"))


def one_line(text: str) -> str:
    """``text`` for a one-line message: line breaks that came in with a file name or a value shown as
    ``\\n``/``\\r``, tabs as spaces."""
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ")


def name_key(name: str) -> str:
    """``"Müller & Söhne"`` → ``"müller & söhne"``: NFC, then Unicode case folding (``"Straße"`` = ``"STRASSE"``)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
