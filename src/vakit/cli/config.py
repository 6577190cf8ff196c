"""``vakit config`` — path, show, set, unset: the defaults of ``config.toml`` (:mod:`vakit.core.settings`)."""

from __future__ import annotations

import typer

from vakit.cli.common import STATE, console, err_console
from vakit.cli.helptext import examples
from vakit.cli.render import emit_json
from vakit.core.settings import SETTINGS
from vakit.core.text import one_line
from vakit.store import config_file
from vakit.store.paths import config_path

app = typer.Typer(no_args_is_help=True)


def shown(value: object, key: str) -> str:
    """A setting's value as ``config show`` prints it (the built-in "none" of ``output_dir`` named)."""
    if value is None:
        return "(the current folder)" if key == "output_dir" else "(none)"
    return str(value)


@app.command("path", epilog=examples("vakit config path"))
def path() -> None:
    """Print the config file's path (it need not exist yet)."""
    console().print(one_line(str(config_path())), soft_wrap=True)


@app.command("show", epilog=examples("vakit config show", "vakit config show --json"))
def show(as_json: bool = typer.Option(False, "--json", help="The settings as JSON.")) -> None:
    """Print every setting, its value and where it comes from: option, env, config or default."""
    current = config_file.load()
    rows = [config_file.resolve(s.key, STATE.db if s.key == "ledger" else None, current) for s in SETTINGS]
    if as_json:
        emit_json("config", {"path": str(current.path), "exists": current.exists,
                             "settings": [{"key": r.key, "value": None if r.value is None else
                                           (str(r.value) if s.is_path else r.value), "source": r.source}
                                          for r, s in zip(rows, SETTINGS, strict=True)]})
        return
    out = console()
    out.print(one_line(f"config file: {current.path}" + ("" if current.exists else " (not created yet)")),
              soft_wrap=True)
    width = max(len(s.key) for s in SETTINGS)
    for r in rows:
        out.print(one_line(f"{r.key:<{width}}  {shown(r.value, r.key)}  ({r.source})"), soft_wrap=True)


def _overridden(key: str) -> str | None:
    """A note when something above the config file decides ``key`` for this command line."""
    found = config_file.resolve(key, STATE.db if key == "ledger" else None)
    if found.source in ("option", "env"):
        what = "--db" if found.source == "option" else next(s.env for s in SETTINGS if s.key == key)
        return f"vakit: note: {what} decides {key} here ({found.value}), before the config file"
    return None


@app.command("set", epilog=examples("vakit config set output_dir ~/Documents/invoices",
                                           "vakit config set rounding up:6m"))
def set_(key: str = typer.Argument(..., help="A setting: " + ", ".join(s.key for s in SETTINGS) + "."),
         value: str = typer.Argument(..., help="Its value, as the option takes it (see vakit config show).")) -> None:
    """Set a default in the config file (checked first; a refused value leaves the file as it was)."""
    change = config_file.set_value(key.strip(), value)
    if change.before == change.after and change.was_set:
        console().print(one_line(f"{change.key}: {shown(change.after, change.key)} (unchanged)"), soft_wrap=True)
    else:
        console().print(one_line(f"{change.key}: {shown(change.before, change.key)} → "
                                 f"{shown(change.after, change.key)}"), soft_wrap=True)
    note = _overridden(change.key)
    if note:
        err_console().print(one_line(note), soft_wrap=True)


@app.command("unset", epilog=examples("vakit config unset week_start"))
def unset(key: str = typer.Argument(..., help="A setting in the config file (also one vakit does not know).")
          ) -> None:
    """Remove a setting from the config file: its built-in default applies again. Works on a damaged file."""
    change = config_file.unset_value(key.strip())
    if not change.was_set:
        console().print(one_line(f"{change.key} is not set (default: {shown(change.after, change.key)})"),
                        soft_wrap=True)
        return
    after = f"{shown(change.after, change.key)} (default)" if change.key in {s.key for s in SETTINGS} else "(removed)"
    console().print(one_line(f"{change.key}: {shown(change.before, change.key)} → {after}"), soft_wrap=True)
    try:
        config_file.load()
    except config_file.ConfigDamaged as exc:
        err_console().print(one_line(f"vakit: note: still damaged: {exc}"), soft_wrap=True)
