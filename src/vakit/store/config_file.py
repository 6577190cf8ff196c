"""``config.toml``: where it is, reading it (every value checked, a fault named with the file and its line),
changing one setting in it atomically, and the one function that resolves a setting by precedence: option,
environment, config file, built-in default (:func:`resolve`). The settings themselves:
:mod:`vakit.core.settings`.

The file is flat TOML (``key = value``, strings and integers). ``set`` and ``unset`` edit the setting's own line
and keep every other line, comments included; a new file starts from the commented template listing every
setting. A damaged file (not TOML, a wrong type, an unknown key) refuses every command that reads it, in one
line naming the file and the line; ``config unset`` and ``config path`` still work on it, to repair it.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from vakit.core.errors import InvalidValue, VakitError
from vakit.core.settings import BY_KEY, check_stored, closest_hint, setting, template, template_line, toml_line
from vakit.store.paths import config_path, default_ledger_path

#: where a resolved value came from
SOURCES = ("option", "env", "config", "default")


class ConfigDamaged(InvalidValue):
    """``config.toml`` cannot be read or holds a value vakit cannot take (exit 1)."""


@dataclass(frozen=True)
class Resolved:
    """A setting's ``value`` (its canonical form, a Path for a path; None: the built-in default is "none"),
    and its ``source``: one of :data:`SOURCES`."""

    key: str
    value: object
    source: str


@dataclass(frozen=True)
class ConfigFile:
    """A read ``config.toml``: its ``path``, its ``text`` ("" when there is no file), the checked ``values``
    (key → canonical value) and ``exists``."""

    path: Path
    text: str
    values: dict
    exists: bool


def _key_line(text: str, key: str) -> int | None:
    """The 1-based line on which ``key`` is defined (bare or quoted, a key or a table), or None."""
    pattern = re.compile(r"^\s*\[*\s*(?:" + re.escape(key) + r"|\"" + re.escape(key) + r"\"|'" + re.escape(key)
                         + r"')\s*[=.\]]")
    for n, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return n
    return None


def _damaged(path: Path, text: str, key: str | None, message: str, hint: str | None = None) -> ConfigDamaged:
    line = _key_line(text, key) if key is not None else None
    where = f"config file {path}" + (f", line {line}" if line else "")
    return ConfigDamaged(f"{where}: {message}",
                         hint or (f"fix it, or run: vakit config unset {key}" if key else "fix it by hand"))


def read_text(path: Path) -> str | None:
    """The file's text, None when there is no file. Raises ConfigDamaged (not UTF-8, unreadable)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigDamaged(f"config file {path} is a folder", "move it away") from None
    except OSError as exc:
        raise ConfigDamaged(f"cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConfigDamaged(f"config file {path}, line {line}: not UTF-8 text", "save it as UTF-8") from None


def parse(path: Path, text: str) -> dict:
    """The settings of ``text`` (key → canonical value), every key known and every value checked. Raises
    ConfigDamaged naming ``path`` and the line."""
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _not_toml(path, text, str(exc)) from None
    values = {}
    for key, value in raw.items():
        s = BY_KEY.get(key)
        if s is None:
            raise _damaged(path, text, key, f"unknown setting {key!r} ({closest_hint(key)})")
        try:
            values[key] = check_stored(s, value)
        except InvalidValue as exc:
            raise _damaged(path, text, key, str(exc)) from None
    return values


def _not_toml(path: Path, text: str, message: str) -> ConfigDamaged:
    """The one line for a file tomllib refuses: ``"Invalid value (at line 3, column 14)"`` → the file, line 3, the
    fault, and the ``unset`` of the key on that line."""
    m = re.search(r"\s*\(at line ([0-9]+), column ([0-9]+)\)$", message)
    if not m:
        return ConfigDamaged(f"config file {path} is not valid TOML: {message}", "fix it by hand")
    n = int(m.group(1))
    fault = message[:m.start()].strip() or "invalid TOML"
    lines = text.splitlines()
    key = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", lines[n - 1]) if 0 < n <= len(lines) else None
    hint = f"fix that line, or run: vakit config unset {key.group(1)}" if key else "fix that line"
    return ConfigDamaged(f"config file {path}, line {n}: not valid TOML ({fault[0].lower() + fault[1:]} at column "
                         f"{m.group(2)})", hint)


def load(path: Path | None = None) -> ConfigFile:
    """Read and check the config file (default: :func:`vakit.store.paths.config_path`); an absent file holds no
    settings. Raises ConfigDamaged."""
    path = path or config_path()
    text = read_text(path)
    if text is None:
        return ConfigFile(path, "", {}, False)
    return ConfigFile(path, text, parse(path, text), True)


def _as_path(text: str, base: Path) -> Path:
    """A path from the file: ``~`` expanded, a relative path taken from the config file's folder."""
    p = Path(text).expanduser()
    return p if p.is_absolute() else base / p


def _default(key: str) -> object:
    return default_ledger_path() if key == "ledger" else BY_KEY[key].default


def resolve(key: str, option: object = None, config: ConfigFile | None = None) -> Resolved:
    """Setting ``key`` by precedence: ``option`` (the command line's value, None when not given), its
    environment variable (when set and not empty), the config file (read unless ``config`` is given), the
    built-in default. Values from the option and the environment are checked as the file's are; paths come back
    as Paths (``~`` expanded). Raises InvalidValue (a bad value) and ConfigDamaged (a damaged file)."""
    s = setting(key)
    if option is not None:
        value, source = option, "option"
    elif s.env and os.environ.get(s.env):
        value, source = os.environ[s.env], "env"
    else:
        config = config or load()
        if key not in config.values:
            return Resolved(key, _default(key), "default")
        value = config.values[key]
        if s.is_path:
            return Resolved(key, _as_path(value, config.path.parent), "config")
        return Resolved(key, value, "config")
    if s.is_path:
        return Resolved(key, Path(s.read(str(value))).expanduser(), source)
    return Resolved(key, s.read(str(value)), source)


def output_folder(out: str | None) -> str | None:
    """``out`` as given, else the ``output_dir`` setting as a folder (``"…/"``), else None (the command's own
    default). Raises InvalidValue when the configured folder does not exist, ConfigDamaged."""
    if out is not None:
        return out
    found = resolve("output_dir")
    if found.value is None:
        return None
    folder = Path(found.value)
    if not folder.is_dir():
        raise InvalidValue(f"output_dir {folder} (from {config_path()}) is not a folder",
                           "create it, or run: vakit config set output_dir FOLDER (or unset output_dir)")
    return str(folder).rstrip("/") + "/"


# ---- changing the file ----


def _lines_of(text: str, key: str) -> tuple[list[int], list[int]]:
    """Indexes of ``key``'s active lines and of its commented template lines (``# key = …``)."""
    active = re.compile(r"^\s*(?:" + re.escape(key) + r"|\"" + re.escape(key) + r"\"|'" + re.escape(key)
                        + r"')\s*=")
    commented = re.compile(r"^\s*#\s*" + re.escape(key) + r"\s*=")
    lines = text.splitlines()
    return ([i for i, x in enumerate(lines) if active.match(x)], [i for i, x in enumerate(lines) if commented.match(x)])


def _with_line(text: str, key: str, line: str | None) -> str:
    """``text`` with ``key``'s active line replaced by ``line`` (None: by its commented template, or removed for
    a key that is not a setting); a new line goes where the commented template is, else at the end."""
    lines = text.splitlines()
    active, commented = _lines_of(text, key)
    s = BY_KEY.get(key)
    if line is None:
        for i in reversed(active[1:]):
            del lines[i]
        if active:
            if s is not None and not commented:
                lines[active[0]] = template_line(s)
            else:
                del lines[active[0]]
    elif active:
        lines[active[0]] = line
        for i in reversed(active[1:]):
            del lines[i]
    elif commented:
        lines[commented[-1]] = line
    else:
        lines.append(line)
    return "\n".join(lines) + "\n"


def _regenerated(values: dict) -> str:
    """A fresh file holding ``values`` (the template with their lines filled in)."""
    text = template()
    for key, value in values.items():
        text = _with_line(text, key, toml_line(key, value))
    return text


def _write(path: Path, text: str) -> None:
    """Replace the file with ``text`` atomically: a 0600 temporary file in the same folder, fsynced, renamed
    over it. Raises VakitError for file-system faults."""
    from vakit.store.faults import os_fault

    folder = path.parent
    if not folder.is_dir():
        if path == config_path() and not os.environ.get("VAKIT_CONFIG"):
            from vakit.store.files import private_folder

            private_folder(folder)
        else:
            raise InvalidValue(f"no such folder: {folder}", "VAKIT_CONFIG names the file; create its folder first")
    tmp = folder / f".{path.name}.vakit-{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(text.encode("utf-8"))
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        raise os_fault(exc, "write", path) from exc
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass


@dataclass(frozen=True)
class Change:
    """What ``set``/``unset`` did: the setting's value ``before`` and ``after`` (as stored, or the default when
    not set: ``was_set``/``now_set`` say which), and the file."""

    key: str
    before: object
    after: object
    was_set: bool
    now_set: bool
    path: Path


def _shown_default(key: str) -> object:
    return str(default_ledger_path()) if key == "ledger" else BY_KEY[key].default


@contextmanager
def _changing(path: Path):
    """Hold the config file's lock (an flock on ``.config.toml.lock`` beside it) while it is read, changed and
    replaced, so two ``vakit config set`` at once both land; nothing to lock before its folder exists."""
    import fcntl

    if not path.parent.is_dir():
        yield
        return
    try:
        fd = os.open(path.parent / f".{path.name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # a read-only folder: the write that follows will say why
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def set_value(key: str, text: str, path: Path | None = None) -> Change:
    """:func:`_set_value` under the file's lock."""
    path = path or config_path()
    with _changing(path):
        return _set_value(key, text, path)


def unset_value(key: str, path: Path | None = None) -> Change:
    """:func:`_unset_value` under the file's lock."""
    path = path or config_path()
    with _changing(path):
        return _unset_value(key, path)


def _set_value(key: str, text: str, path: Path | None = None) -> Change:
    """Store setting ``key`` = ``text`` (checked and made canonical by the setting's validator; a path as an
    absolute path, an ``output_dir`` that is a folder). The file is rewritten atomically, every other line kept.
    Raises InvalidValue (unknown key, bad value) and ConfigDamaged (the file is damaged: nothing is changed)."""
    s = setting(key)
    value = s.read(text)
    if s.is_path:
        p = Path(value).expanduser().absolute()
        if key == "output_dir" and not p.is_dir():
            raise InvalidValue(f"output_dir {p} is not a folder", "create it first")
        if key == "ledger" and p.is_dir():
            raise InvalidValue(f"ledger {p} is a folder", "give the ledger file, e.g. " + str(p / "ledger.sqlite3"))
        value = str(p)
    current = load(path)
    before = current.values.get(key, _shown_default(key))
    if current.values.get(key) == value:
        return Change(key, before, value, True, True, current.path)
    base = current.text if current.exists else template()
    new = _with_line(base, key, toml_line(key, value))
    expected = {**current.values, key: value}
    if _parsed_or_none(current.path, new) != expected:  # a layout the line edit cannot follow (a multi-line string)
        new = _regenerated(expected)
    _write(current.path, new)
    return Change(key, before, value, key in current.values, True, current.path)


def _parsed_or_none(path: Path, text: str) -> dict | None:
    try:
        return parse(path, text)
    except VakitError:
        return None


def _unset_value(key: str, path: Path | None = None) -> Change:
    """Remove setting ``key`` from the file (its line becomes the commented template). Works on a damaged file
    too — the way to repair one — and for a key that is not a setting but is in the file. Raises InvalidValue
    for a key neither known nor in the file."""
    path = path or config_path()
    text = read_text(path)
    present = text is not None and bool(_lines_of(text, key)[0])
    if key not in BY_KEY and not present:
        raise InvalidValue(f"unknown setting {key!r}", closest_hint(key))
    after = _shown_default(key) if key in BY_KEY else None
    if not present:
        return Change(key, after, after, False, False, path)
    before_values = _parsed_or_none(path, text)
    before = before_values.get(key) if before_values is not None else _raw_value(text, key)
    new = _with_line(text, key, None)
    if before_values is not None:
        expected = {k: v for k, v in before_values.items() if k != key}
        if _parsed_or_none(path, new) != expected:
            new = _regenerated(expected)
    _write(path, new)
    return Change(key, before, after, True, False, path)


def _raw_value(text: str, key: str) -> str:
    """What follows ``key =`` on its line, as written (for a file that cannot be parsed)."""
    i = _lines_of(text, key)[0][0]
    return text.splitlines()[i].split("=", 1)[1].strip()
