"""Reading an ``.ics`` file for ``vakit schedule import``: its bytes (at most 50 MB, read in chunks), its
UTF-8 text, and its components one by one, so that one broken component (an impossible UTC offset in a
VTIMEZONE, an unclosed VEVENT) is reported with its line and the others are still read.

icalendar parses each component on its own (:func:`parse_blocks`); a whole-file parse would fail on the first
error. Bare VEVENTs without a VCALENDAR around them are read too, as many tools write them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from vakit.core.errors import InvalidValue
from vakit.store.inputs import InputWording, read_bounded

#: a calendar of ten busy years is a few MB; anything far larger is a mistake (or /dev/zero)
MAX_CALENDAR_BYTES = 50_000_000

#: how a calendar file that cannot be read is refused
CALENDAR_WORDING = InputWording(what="a calendar export", unit="MB", smaller="export a shorter period",
                                to_a_file="save the calendar to a file first", folder="not a calendar file",
                                folder_hint="give the .ics file itself")

#: properties whose values are dates or date-times and may carry a TZID
DATE_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE", "DUE")


@dataclass
class Problem:
    """Something wrong in the file: at ``line``, in the event ``uid`` (when known), ``reason``."""

    line: int
    reason: str
    uid: str | None = None


@dataclass
class Block:
    """One top-level component: its ``kind`` (VEVENT, VTIMEZONE …), first ``line``, its text, the UID written in
    it (a VTIMEZONE's TZID), and the date properties that carry a TZID *and* a UTC ``Z`` (``(name, line)``)."""

    kind: str
    line: int
    text: str
    uid: str | None = None
    tzid: str | None = None  # a VTIMEZONE's own TZID, as written
    tzid_with_z: list[tuple[str, int]] = field(default_factory=list)
    component: object | None = None  # the icalendar component, once parsed
    error: str | None = None  # why it could not be parsed (a VTIMEZONE is kept for its TZID)


@dataclass
class CalendarFile:
    """A read calendar file: ``name`` (for messages), the VCALENDAR's own properties (``X-WR-TIMEZONE``,
    ``METHOD`` …, first value of each), its components and what was wrong with its structure."""

    name: str
    properties: dict[str, str]
    blocks: list[Block]
    problems: list[Problem]
    wrapped: bool
    kinds: Counter = field(default_factory=Counter)  # top-level components begun, readable or not


def read_bytes(path: Path, limit: int = MAX_CALENDAR_BYTES) -> bytes:
    """The file's bytes, at most ``limit`` bytes (:func:`vakit.store.inputs.read_bounded`: read in chunks).
    Raises InvalidValue (one line)."""
    return read_bounded(path, limit, CALENDAR_WORDING)


def read_calendar(path: Path) -> CalendarFile:
    """Read and split a calendar file. Raises InvalidValue (one line, naming the file) when it cannot be read,
    is binary, is not UTF-8, is empty or holds no iCalendar component."""
    from vakit.services.importers.reading import decode_text

    data = read_bytes(path)
    name = path.name
    if b"\x00" in data:
        raise InvalidValue(f"{name} is not a calendar file: it holds binary data (NUL bytes)",
                           "give an .ics file, text that starts with BEGIN:VCALENDAR")
    text = decode_text(data, name)
    if not text.strip():
        raise InvalidValue(f"{name} is empty", "give an .ics file, text that starts with BEGIN:VCALENDAR")
    cal = split_components(text, name)
    if not cal.blocks and not cal.wrapped:
        raise InvalidValue(f"{name} is not an iCalendar file: no BEGIN:VCALENDAR or BEGIN:VEVENT in it",
                           "give an .ics file exported from a calendar")
    return cal


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded content lines with the number of their first physical line (CRLF, LF and CR alike; a line that
    starts with a space or a tab continues the one before, RFC 5545 §3.1)."""
    out: list[tuple[int, str]] = []
    for n, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if raw[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + raw[1:])
        elif raw.strip():
            out.append((n, raw))
    return out


def split_line(line: str) -> tuple[str, str, str]:
    """``NAME;PARAMS:VALUE`` → (upper-case name, params text, value); a ``:`` inside a quoted parameter value
    (``TZID="(UTC-03:00) Brasília"``) does not end the parameters."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:i], line[i + 1:]
            name, _, params = head.partition(";")
            return name.strip().upper(), params, value
    name, _, params = line.partition(";")
    return name.strip().upper(), params, ""


def split_components(text: str, name: str) -> CalendarFile:
    """The top-level components of ``text`` (inside VCALENDARs or bare) as :class:`Block`s, with structural
    problems (an END without its BEGIN, a component never closed, text outside any component)."""
    blocks: list[Block] = []
    problems: list[Problem] = []
    props: dict[str, str] = {}
    wrapped = False
    in_calendar = False
    current: Block | None = None
    stack: list[str] = []
    lines: list[str] = []
    stray = 0
    kinds: Counter = Counter()
    for n, line in logical_lines(text):
        key, params, value = split_line(line)
        kind = value.strip().upper()
        if current is None:
            if key == "BEGIN" and kind == "VCALENDAR":
                wrapped = in_calendar = True
            elif key == "END" and kind == "VCALENDAR":
                in_calendar = False
            elif key == "BEGIN":
                current, stack, lines = Block(kind, n, ""), [kind], [line]
                kinds[kind] += 1
            elif in_calendar:
                props.setdefault(key, value.strip())
            else:
                stray += 1
                if stray == 1:
                    problems.append(Problem(n, f"text outside any component ({line[:40]!r}…); ignored"))
            continue
        lines.append(line)
        if key == "BEGIN":
            stack.append(kind)
        elif key == "END":
            if kind != stack[-1]:
                problems.append(Problem(current.line, f"{current.kind} has END:{kind} at line {n} where "
                                                      f"END:{stack[-1]} was expected; the component is ignored",
                                        current.uid))
                current = None
                continue
            stack.pop()
            if not stack:
                current.text = "\r\n".join(lines) + "\r\n"
                blocks.append(current)
                current = None
        elif key == "UID" and len(stack) == 1 and current.uid is None:
            current.uid = value.strip()
        elif key == "TZID" and len(stack) == 1 and current.tzid is None:
            current.tzid = value.strip()
        elif key in DATE_PROPERTIES and "TZID=" in params.upper() and value.strip().upper().endswith("Z"):
            current.tzid_with_z.append((key, n))
    if current is not None:
        problems.append(Problem(current.line, f"BEGIN:{current.kind} is never closed (no END:{stack[0]}); "
                                              "the component is ignored", current.uid))
    return CalendarFile(name, props, blocks, problems, wrapped, kinds)


def parse_blocks(cal: CalendarFile) -> None:
    """Parse each block with icalendar, on its own; a block that fails becomes a :class:`Problem`."""
    from icalendar import Component

    kept = []
    for block in cal.blocks:
        try:
            block.component = Component.from_ical(block.text)
        except Exception as exc:  # noqa: BLE001 - any parse error of one component is reported, never raised
            if block.kind != "VTIMEZONE":
                cal.problems.append(Problem(block.line, f"{block.kind} cannot be read ({_reason(exc)})", block.uid))
                continue
            block.component, block.error = None, _reason(exc)  # reported with what is used instead
        kept.append(block)
    cal.blocks = kept


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"
