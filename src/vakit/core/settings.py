"""The settings of ``config.toml``, each defined once (:data:`SETTINGS`): its key, TOML type, meaning, built-in
default, the option and environment variable that override it, and the validator that reads it — the
project's own parsers (:func:`vakit.core.rounding.parse_rounding`, :func:`vakit.core.report_time.first_weekday`,
the contract's 0–365 days of payment terms). Precedence, highest first: option, environment, config file,
built-in default (:mod:`vakit.store.config_file` resolves it).

Also the pure text work on the file: TOML literals for the flat values it holds (strings with TOML's escapes,
integers), the commented template a new file starts from, and the reference in ``docs/config.md``
(:func:`reference_markdown`). No I/O here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vakit.core.errors import InvalidValue

#: the weekday names ``week_start`` takes, Monday first (Python's weekday numbers)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: the most days of payment terms a contract takes (as ``contract add --terms``)
MAX_TERMS = 365


@dataclass(frozen=True)
class Setting:
    """One setting of ``config.toml``.

    ``toml_type`` is ``str`` or ``int``; ``read`` turns a value (as typed, or as read from the file) into its
    canonical stored form (a string or an integer), raising InvalidValue; ``default`` is that form (None:
    computed or absent, as ``default_text`` says); ``option`` / ``env`` override the file; ``example`` is the
    value the template shows; ``used_by`` names the commands that take it."""

    key: str
    toml_type: type
    meaning: str
    default: str | int | None
    default_text: str
    option: str | None
    env: str | None
    read: Callable[[str], str | int]
    example: str | int
    used_by: str
    is_path: bool = False


def _path(what: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        if not isinstance(text, str) or not text.strip():
            raise InvalidValue(f"{what} is empty", "give a path")
        if "\x00" in text:
            raise InvalidValue(f"{what} contains a NUL character")
        return text.strip()

    return read


def read_week_start(text: str) -> str:
    """``"Sunday"``, ``"sun"`` → ``"sunday"`` (a weekday, as ``--week-start`` reads it; ``locale`` is an option
    of the command only). Raises InvalidValue."""
    from vakit.core.report_time import first_weekday

    if str(text).strip().lower() == "locale":
        raise InvalidValue("week_start takes a weekday, monday … sunday", "locale is for --week-start only")
    return WEEKDAY_NAMES[first_weekday(str(text), "")]


def rounding_syntax(rounding) -> str:
    """A :class:`~vakit.core.models.Rounding` in the syntax ``--rounding`` reads: ``"up:6m"``,
    ``"nearest:15m:per-day"``, ``"none"``."""
    if not rounding.increment:
        return "none"
    scope = "" if rounding.scope == "entry" else f":per-{rounding.scope}"
    return f"{rounding.direction}:{rounding.increment // 60}m{scope}"


def read_rounding(text: str) -> str:
    """``"UP:6min"`` → ``"up:6m"``: a rounding as ``contract add --rounding`` reads it, in its shortest form.
    Raises InvalidValue."""
    from vakit.core.rounding import parse_rounding

    return rounding_syntax(parse_rounding(str(text)))


def read_terms(text: str | int) -> int:
    """``"30"`` → 30: days of payment terms, 0–365, as ``contract add --terms``. Raises InvalidValue."""
    s = str(text).strip()
    digits = s.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidValue(f"could not read payment terms {text!r}", "a whole number of days, e.g. 30")
    if not 0 <= int(s) <= MAX_TERMS:
        raise InvalidValue(f"payment terms of {int(s)} days are out of range (0-{MAX_TERMS})")
    return int(s)


SETTINGS: tuple[Setting, ...] = (
    Setting("ledger", str, "The ledger file: every client, contract, entry and invoice.", None,
            "`ledger.sqlite3` in `$VAKIT_HOME`, else in the user data folder", "--db", "VAKIT_DB",
            _path("ledger"), "~/vakit/ledger.sqlite3", "every command", is_path=True),
    Setting("output_dir", str, "The folder files are written to when `-o` is not given; it must exist.", None,
            "the current folder", "-o / --out", None, _path("output_dir"), "~/Documents/vakit",
            "`invoice pdf`, `invoice run --issue`, `invoice remind`, `invoice statement --pdf`, "
            "`log report --format pdf`, `schedule export` (which without either writes to stdout)", is_path=True),
    Setting("week_start", str, "The first day of a week: monday … sunday.", "monday", "monday (ISO weeks)",
            "--week-start", None, read_week_start, "sunday",
            "`log report` and `log list` (`--this-week`, `--last-week`, `--by week`)"),
    Setting("rounding", str, "How a new contract rounds time: DIRECTION:INCREMENT[:SCOPE], e.g. up:6m, "
            "nearest:15m:per-day, or none.", "none", "none", "--rounding", None, read_rounding, "up:6m",
            "`contract add`"),
    Setting("terms", int, "Payment terms of a new contract, in days (0-365).", 14, "14", "--terms", None,
            read_terms, 30, "`contract add`"),
)

#: key → setting
BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    """The setting named ``key``; raises InvalidValue naming the closest known key."""
    found = BY_KEY.get(key)
    if found is None:
        raise InvalidValue(f"unknown setting {key!r}", closest_hint(key))
    return found


def closest_hint(key: str) -> str:
    """``"did you mean week_start?"`` for a misspelt key, else the list of known keys."""
    import difflib

    close = difflib.get_close_matches(str(key).strip().lower(), list(BY_KEY), n=1, cutoff=0.5)
    if close:
        return f"did you mean {close[0]}?"
    return f"settings: {', '.join(BY_KEY)}"


def check_stored(s: Setting, value: object) -> str | int:
    """A value as read from the file (any TOML type) → its canonical form. Raises InvalidValue naming the type
    expected or what is wrong with the value."""
    if s.toml_type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(f"{s.key} must be a whole number, not {_toml_kind(value)}")
        return s.read(str(value))
    if not isinstance(value, str):
        raise InvalidValue(f"{s.key} must be a string in quotes, not {_toml_kind(value)}")
    return s.read(value)


def _toml_kind(value: object) -> str:
    """The TOML name of a parsed value's type (for messages)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


#: TOML's short escapes in basic strings (every other control character is written \\uXXXX)
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped, every other
    character (any script, emoji) as it is. Raises InvalidValue for a lone surrogate (not text)."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise InvalidValue("the value is not valid UTF-8 text")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: str | int) -> str:
    """A flat value (string or integer) as a TOML literal."""
    if isinstance(value, bool):
        raise TypeError("booleans are not settings")
    return str(value) if isinstance(value, int) else toml_string(value)


def toml_line(key: str, value: str | int) -> str:
    """``week_start = "sunday"``: one setting's line (keys are bare: letters and underscores)."""
    return f"{key} = {toml_value(value)}"


def template_line(s: Setting) -> str:
    """The commented-out line a setting that is not set shows in the file: ``# terms = 30``."""
    return "# " + toml_line(s.key, s.example)


HEADER = ("# vakit settings: defaults for options you leave out (flat TOML: key = value).\n"
          "# An option on the command line, then an environment variable, beats what is set here.\n"
          "# Edit it with `vakit config set KEY VALUE` and `vakit config unset KEY`, or by hand;\n"
          "# `vakit config show` lists every setting and where its value comes from.\n")


def template() -> str:
    """The text of a new ``config.toml``: the header, then each setting's meaning and its line, commented out."""
    import textwrap

    parts = [HEADER]
    for s in SETTINGS:
        about = textwrap.wrap(f"{s.key}: {_plain(s.meaning)} Default: {_plain(s.default_text)}.", 100,
                              initial_indent="# ", subsequent_indent="#   ", break_on_hyphens=False)
        parts.append("\n" + "\n".join(about) + f"\n{template_line(s)}\n")
    return "".join(parts)


def _plain(text: str) -> str:
    """Markdown's backticks dropped, for a comment."""
    return text.replace("`", "")


def reference_markdown() -> str:
    """The reference of every setting, as the part of ``docs/config.md`` below its generated-marker (Markdown,
    ending in one newline)."""
    lines = ["| setting | type | meaning | default | option | environment | used by |",
             "|---|---|---|---|---|---|---|"]
    for s in SETTINGS:
        kind = "integer" if s.toml_type is int else ("string (a path)" if s.is_path else "string")
        lines.append(f"| `{s.key}` | {kind} | {s.meaning} | {s.default_text} | "
                     f"{'`' + s.option + '`' if s.option else '–'} | {'`' + s.env + '`' if s.env else '–'} | "
                     f"{s.used_by} |")
    lines.append("")
    for s in SETTINGS:
        lines += [f"### `{s.key}`", "", s.meaning, "", "```toml", toml_line(s.key, s.example), "```", ""]
    return "\n".join(lines)
