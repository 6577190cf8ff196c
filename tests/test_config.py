"""``config.toml`` and ``vakit config`` (issue 10, "the first hour"): precedence at each level, set / unset /
show, hostile strings through TOML, a damaged file refused in one line, and each default landing where it is
used (output_dir, week_start, rounding, terms)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from vakit.core.errors import InvalidValue
from vakit.core.settings import SETTINGS, reference_markdown, toml_string
from vakit.store import config_file
from vakit.store.config_file import ConfigDamaged, resolve
from vakit.store.paths import resolve_ledger_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def home() -> Path:
    """The test's VAKIT_HOME (set by conftest; created here)."""
    path = Path(os.environ["VAKIT_HOME"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def show_json(cli, *before: str) -> dict:
    data = json.loads(cli(*before, "config", "show", "--json").stdout)["data"]
    return {s["key"]: (s["value"], s["source"]) for s in data["settings"]}


# --- precedence -------------------------------------------------------------------------------------------


def test_the_ledger_by_option_then_env_then_config_then_default(cli, home, tmp_path, monkeypatch):
    default = home / "ledger.sqlite3"
    assert resolve("ledger") == config_file.Resolved("ledger", default, "default")
    assert resolve_ledger_path() == default
    cli("config", "set", "ledger", str(tmp_path / "books.sqlite3"))
    assert resolve("ledger") == config_file.Resolved("ledger", tmp_path / "books.sqlite3", "config")
    assert resolve_ledger_path() == tmp_path / "books.sqlite3"
    monkeypatch.setenv("VAKIT_DB", str(tmp_path / "env.sqlite3"))
    assert resolve("ledger") == config_file.Resolved("ledger", tmp_path / "env.sqlite3", "env")
    assert resolve_ledger_path() == tmp_path / "env.sqlite3"
    assert resolve("ledger", str(tmp_path / "opt.sqlite3")).source == "option"
    assert resolve_ledger_path(str(tmp_path / "opt.sqlite3")) == tmp_path / "opt.sqlite3"
    # the same through the CLI: config show names the source, db path uses it
    assert show_json(cli)["ledger"] == (str(tmp_path / "env.sqlite3"), "env")
    assert show_json(cli, "--db", str(tmp_path / "opt.sqlite3"))["ledger"] == (str(tmp_path / "opt.sqlite3"), "option")
    monkeypatch.delenv("VAKIT_DB")
    assert show_json(cli)["ledger"] == (str(tmp_path / "books.sqlite3"), "config")
    assert cli("db", "path").stdout.splitlines()[0] == str(tmp_path / "books.sqlite3")


def test_each_setting_by_option_then_config_then_default(home):
    assert [(r.value, r.source) for r in map(resolve, ("week_start", "rounding", "terms", "output_dir"))] == \
        [("monday", "default"), ("none", "default"), (14, "default"), (None, "default")]
    for key, text in (("week_start", "Sun"), ("rounding", "UP:6min"), ("terms", "30"), ("output_dir", str(home))):
        config_file.set_value(key, text)
    assert [(r.value, r.source) for r in map(resolve, ("week_start", "rounding", "terms", "output_dir"))] == \
        [("sunday", "config"), ("up:6m", "config"), (30, "config"), (home, "config")]
    assert [(r.value, r.source) for r in (resolve("week_start", "sat"), resolve("rounding", "nearest:15m:per-day"),
                                          resolve("terms", 0))] == \
        [("saturday", "option"), ("nearest:15m:per-day", "option"), (0, "option")]


def test_the_config_file_by_vakit_config_then_vakit_home(cli, home, tmp_path, monkeypatch):
    assert cli("config", "path").stdout == f"{home / 'config.toml'}\n"
    monkeypatch.setenv("VAKIT_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert cli("config", "path").stdout == f"{tmp_path / 'elsewhere.toml'}\n"
    cli("config", "set", "terms", "21")
    assert (tmp_path / "elsewhere.toml").read_text().count("\nterms = 21\n") == 1
    assert not (home / "config.toml").exists()


# --- set, unset, show --------------------------------------------------------------------------------------


def test_set_says_what_changed_and_show_prints_every_setting(cli, home):
    path = home / "config.toml"
    out = cli("config", "show").stdout
    assert out == (f"config file: {path} (not created yet)\n"
                   f"ledger      {home / 'ledger.sqlite3'}  (default)\n"
                   "output_dir  (the current folder)  (default)\n"
                   "week_start  monday  (default)\n"
                   "rounding    none  (default)\n"
                   "terms       14  (default)\n")
    assert cli("config", "set", "week_start", "sunday").stdout == "week_start: monday → sunday\n"
    assert cli("config", "set", "week_start", "Sun").stdout == "week_start: sunday (unchanged)\n"
    assert cli("config", "set", "rounding", "up:6m:per-day").stdout == "rounding: none → up:6m:per-day\n"
    assert cli("config", "set", "terms", "30").stdout == "terms: 14 → 30\n"
    assert cli("config", "show").stdout.splitlines()[3:] == ["week_start  sunday  (config)",
                                                             "rounding    up:6m:per-day  (config)",
                                                             "terms       30  (config)"]
    assert os.stat(path).st_mode & 0o777 == 0o600
    text = path.read_text()
    assert "\nweek_start = \"sunday\"\n" in text and "\nterms = 30\n" in text and "\n# output_dir = " in text
    assert tomllib.loads(text) == {"week_start": "sunday", "rounding": "up:6m:per-day", "terms": 30}
    assert cli("config", "unset", "week_start").stdout == "week_start: sunday → monday (default)\n"
    assert cli("config", "unset", "week_start").stdout == "week_start is not set (default: monday)\n"
    assert "\n# week_start = \"sunday\"\n" in path.read_text()
    assert tomllib.loads(path.read_text()) == {"rounding": "up:6m:per-day", "terms": 30}


def test_set_keeps_the_other_lines_and_comments(cli, home):
    path = home / "config.toml"
    path.write_text("# my own note\nterms = 7  # net 7 for everyone\n\nweek_start = 'sunday'\n")
    assert cli("config", "set", "terms", "10").stdout == "terms: 7 → 10\n"
    assert path.read_text() == "# my own note\nterms = 10\n\nweek_start = 'sunday'\n"
    assert cli("config", "set", "rounding", "down:1m").stdout == "rounding: none → down:1m\n"
    assert path.read_text() == "# my own note\nterms = 10\n\nweek_start = 'sunday'\nrounding = \"down:1m\"\n"


def test_a_refused_set_changes_nothing(cli, home):
    path = home / "config.toml"
    cli("config", "set", "terms", "30")
    before = path.read_bytes()
    for args, message in ((("terms", "400"), "vakit: payment terms of 400 days are out of range (0-365)\n"),
                          (("terms", "ten"), "vakit: could not read payment terms 'ten' (a whole number of days, "
                                             "e.g. 30)\n"),
                          (("week_start", "someday"), "vakit: unknown week start 'someday' (monday (ISO, the "
                                                      "default), sunday, saturday … or locale)\n"),
                          (("rounding", "up:6"), "vakit: could not read rounding increment '6' (minutes, e.g. 6m or "
                                                 "15m)\n"),
                          (("output_dir", str(home / "missing")), f"vakit: output_dir {home / 'missing'} is not a "
                                                                  "folder (create it first)\n"),
                          (("week_strat", "monday"), "vakit: unknown setting 'week_strat' (did you mean "
                                                     "week_start?)\n"),
                          (("colour", "red"), "vakit: unknown setting 'colour' (settings: ledger, output_dir, "
                                              "week_start, rounding, terms)\n")):
        res = cli("config", "set", *args, ok=False)
        assert (res.exit_code, res.stdout, res.stderr) == (1, "", message)
        assert path.read_bytes() == before


def test_unset_of_an_unknown_key_suggests_the_closest(cli):
    res = cli("config", "unset", "rounding_", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: unknown setting 'rounding_' (did you mean rounding?)\n")


HOSTILE = ['a "quoted" name', "back\\slash\\", "new\nline", "tab\there", "carriage\rreturn", "bell\x07 del\x7f",
           "ünïcödé ✓ नमस्ते ₹ 😀", "'single' and \"\"\"triple\"\"\"", "trailing\\\\", "\u2028line separator",
           "# not a comment", "key = value", "[table]"]


@pytest.mark.parametrize("text", HOSTILE)
def test_toml_strings_round_trip(text):
    assert tomllib.loads(f"k = {toml_string(text)}") == {"k": text}


def test_hostile_paths_round_trip_through_set_and_the_file(home, tmp_path):
    for text in HOSTILE:
        folder = tmp_path / text.replace("/", "_")
        config_file.set_value("ledger", str(folder / "l.sqlite3"))
        assert config_file.load().values["ledger"] == str(folder / "l.sqlite3")
        assert resolve_ledger_path() == folder / "l.sqlite3"
    config_file.unset_value("ledger")
    assert tomllib.loads((home / "config.toml").read_text()) == {}


def test_a_lone_surrogate_is_not_written(home):
    with pytest.raises(InvalidValue, match="not valid UTF-8 text"):
        toml_string("bad\udcffbyte")


# --- a damaged file ---------------------------------------------------------------------------------------


DAMAGED = [
    ("# vakit\nweek_start = monday\n", "line 2: not valid TOML (invalid value at column 14) (fix that line, or run: "
                                       "vakit config unset week_start)", "week_start"),
    ("terms = 30\nterms = '30'\n", "line 2: not valid TOML (cannot overwrite a value at column 12) (fix that line, "
                                   "or run: vakit config unset terms)", "terms"),
    ("\nterms = '30'\n", "line 2: terms must be a whole number, not a string (fix it, or run: vakit config unset "
                         "terms)", "terms"),
    ("rounding = 6\n", "line 1: rounding must be a string in quotes, not an integer (fix it, or run: vakit config "
                       "unset rounding)", "rounding"),
    ("week_start = 'funday'\n", "line 1: unknown week start 'funday' (monday (ISO, the default), sunday, saturday … "
                                "or locale) (fix it, or run: vakit config unset week_start)", "week_start"),
    ("terms = 1\nweek_stat = 'sunday'\n", "line 2: unknown setting 'week_stat' (did you mean week_start?) (fix it, "
                                          "or run: vakit config unset week_stat)", "week_stat"),
]


@pytest.mark.parametrize(("text", "message", "key"), DAMAGED)
def test_a_damaged_file_refuses_in_one_line_and_unset_repairs_it(cli, home, text, message, key):
    path = home / "config.toml"
    path.write_text(text)
    expected = f"vakit: config file {path}, {message}\n"
    for args in (("client", "list"), ("config", "show"), ("config", "set", "terms", "5"), ("db", "path")):
        res = cli(*args, ok=False)
        if "not valid TOML" in message:  # tomllib's own words and column vary between Python versions
            head, tail = message.split(" (", 1)[0], message.rsplit(") (", 1)[1]
            assert res.stderr.startswith(f"vakit: config file {path}, {head} (") and res.stderr.endswith(f") ({tail}\n")
            assert (res.exit_code, res.stdout, res.stderr.count("\n")) == (1, "", 1)
        else:
            assert (res.exit_code, res.stdout, res.stderr) == (1, "", expected)
    assert path.read_text() == text
    assert cli("config", "path").stdout == f"{path}\n"
    assert cli("--db", str(home / "x.sqlite3"), "db", "path").stdout.startswith(f"{home / 'x.sqlite3'}\n")
    cli("config", "unset", key)
    assert config_file.load().values == ({"terms": 1} if key == "week_stat" else {})


def test_unset_of_a_damaged_line_says_what_it_removed(cli, home):
    path = home / "config.toml"
    path.write_text("week_start = monday\nterms = 'x'\n")
    res = cli("config", "unset", "week_start")
    assert res.stdout == "week_start: monday → monday (default)\n"
    assert res.stderr == (f"vakit: note: still damaged: config file {path}, line 2: terms must be a whole number, "
                          "not a string (fix it, or run: vakit config unset terms)\n")
    assert path.read_text() == "# week_start = \"sunday\"\nterms = 'x'\n"
    assert cli("config", "unset", "terms").stdout == "terms: 'x' → 14 (default)\n"  # as written
    assert tomllib.loads(path.read_text()) == {}


def test_a_damaged_file_on_the_timer_fast_path(home, tmp_path):
    (home / "config.toml").write_text("ledger = 5\n")
    env = {**os.environ, "VAKIT_HOME": str(home), "VAKIT_NOW": "2026-11-10T15:00:00+00:00"}
    env.pop("VAKIT_DB", None)
    res = subprocess.run([sys.executable, "-m", "vakit", "log", "status"], capture_output=True, text=True, env=env)
    assert (res.returncode, res.stdout, res.stderr) == (
        1, "", f"vakit: config file {home / 'config.toml'}, line 1: ledger must be a string in quotes, not an integer "
               "(fix it, or run: vakit config unset ledger)\n")
    (home / "config.toml").write_text(f"ledger = {toml_string(str(tmp_path / 'books.sqlite3'))}\n")
    subprocess.run([sys.executable, "-m", "vakit", "init", "--name", "VA", "--tz", "Europe/London", "--currency",
                    "GBP"], env=env,
                   check=True, capture_output=True)
    res = subprocess.run([sys.executable, "-m", "vakit", "log", "status"], capture_output=True, text=True, env=env)
    assert (res.returncode, res.stdout) == (0, "No timer is running.\nToday (Europe/London): 0:00\n")
    assert (tmp_path / "books.sqlite3").exists() and not (home / "ledger.sqlite3").exists()


def test_the_fast_path_reads_no_toml_without_a_config_file(home):
    code = ("import sys\nfrom vakit.store.paths import resolve_ledger_path\nresolve_ledger_path()\n"
            "print(sorted(m for m in ('tomllib', 'vakit.store.config_file', 'vakit.core.settings')\n"
            "             if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "VAKIT_HOME": str(home)}).stdout
    assert out == "[]\n"


# --- where the defaults land --------------------------------------------------------------------------------


def test_rounding_and_terms_defaults_land_in_a_new_contract(cli):
    cli.now = "2025-01-01T09:00:00+00:00"
    cli("init", "--name", "Test VA", "--tz", "Europe/London", "--currency", "GBP")
    cli("client", "add", "Acme", "--tz", "Europe/London")
    cli("client", "add", "Birch", "--tz", "Europe/London")
    cli("config", "set", "rounding", "up:15m:per-day")
    cli("config", "set", "terms", "30")
    out = cli("contract", "add", "--client", "Acme", "--rate", "40.00").stdout
    assert "rounding up to 15 min per day, net 30" in out
    cli("contract", "add", "--client", "Birch", "--rate", "40.00", "--rounding", "none", "--terms", "7")
    acme = json.loads(cli("contract", "show", "1", "--json").stdout)["data"]
    birch = json.loads(cli("contract", "show", "2", "--json").stdout)["data"]
    assert (acme["rounding"], acme["terms_days"]) == ({"increment_seconds": 900, "direction": "up", "scope": "day"},
                                                      30)
    assert (birch["rounding"], birch["terms_days"]) == ({"increment_seconds": 0, "direction": "up",
                                                         "scope": "entry"}, 7)


def test_week_start_changes_the_weekly_buckets(cli):
    cli.now = "2025-01-01T09:00:00+00:00"
    cli("init", "--name", "Test VA", "--tz", "Europe/London", "--currency", "GBP")
    cli("client", "add", "Acme", "--tz", "Europe/London")
    cli("contract", "add", "--client", "Acme", "--rate", "40.00")
    cli.now = "2026-11-05T12:00:00+00:00"
    cli("log", "add", "--client", "Acme", "--date", "2026-11-01", "--from", "09:00", "--to", "10:00")  # a Sunday
    cli("log", "add", "--client", "Acme", "--date", "2026-11-02", "--from", "09:00", "--to", "11:00")

    def weeks(*args: str) -> list[tuple[str, int]]:
        data = json.loads(cli("log", "report", "--from", "2026-10-26", "--to", "2026-11-07", "--by", "week", *args,
                              "--json").stdout)["data"]
        return [(r["key"], r["seconds"]) for r in data["rows"]]

    assert weeks() == [("2026-W44", 3600), ("2026-W45", 7200)]
    cli("config", "set", "week_start", "sunday")
    assert weeks() == [("2026-10-25", 0), ("2026-11-01", 10800)]
    assert weeks("--week-start", "monday") == [("2026-W44", 3600), ("2026-W45", 7200)]
    this = json.loads(cli("log", "report", "--this-week", "--json").stdout)["data"]
    assert (this["from"], this["to"], this["week_start"], this["total_seconds"]) == ("2026-11-01", "2026-11-07",
                                                                                     "sunday", 10800)


@pytest.fixture
def issued(cli):
    """A London VA with one issued invoice to Acme and one appointment with Acme."""
    cli.now = "2025-01-01T09:00:00+00:00"
    cli("init", "--name", "Test VA", "--tz", "Europe/London", "--currency", "GBP")
    cli("client", "add", "Acme", "--tz", "Europe/London")
    cli("contract", "add", "--client", "Acme", "--rate", "40.00")
    cli.now = "2025-02-03T09:00:00+00:00"
    cli("log", "add", "--client", "Acme", "--date", "2025-01-10", "--from", "09:00", "--to", "10:00")
    cli("invoice", "create", "--client", "Acme", "--month", "2025-01")
    cli("invoice", "issue", "#1")
    cli("schedule", "book", "Call", "--client", "Acme", "--date", "2025-02-05", "--at", "10:00")
    return cli


def test_output_dir_is_where_files_go_without_o(issued, tmp_path, monkeypatch):
    cli = issued
    number = json.loads(cli("invoice", "list", "--json").stdout)["data"][0]["number"]
    name = number.replace("/", "_") + ".pdf"
    out = tmp_path / "out"
    out.mkdir()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    assert cli("config", "set", "output_dir", str(out)).stdout == f"output_dir: (the current folder) → {out}\n"
    assert cli("invoice", "pdf", number).stdout == f"Wrote {out / name}\n"
    assert cli("schedule", "export").stdout == f"Wrote 1 event to {out / 'appointments.ics'}\n"
    assert sorted(p.name for p in out.iterdir()) == sorted([name, "appointments.ics"])
    assert (out / "appointments.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    # -o still wins, and -o - is standard output
    assert cli("invoice", "pdf", number, "-o", str(cwd)).stdout == f"Wrote {cwd / name}\n"
    assert cli("schedule", "export", "-o", "-").stdout.startswith("BEGIN:VCALENDAR")
    assert sorted(p.name for p in cwd.iterdir()) == [name]
    # a folder that went away is refused, naming the setting
    (out / name).unlink()
    (out / "appointments.ics").unlink()
    out.rmdir()
    res = cli("invoice", "pdf", number, ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: output_dir {out} (from {Path(os.environ['VAKIT_HOME'])}/"
                                              "config.toml) is not a folder (create it, or run: vakit config set "
                                              "output_dir FOLDER (or unset output_dir))\n")


def test_relative_paths_in_the_file_are_read_from_its_folder(home):
    (home / "config.toml").write_text("ledger = 'books/l.sqlite3'\noutput_dir = '~'\n")
    assert resolve("ledger").value == home / "books" / "l.sqlite3"
    assert resolve("output_dir").value == Path.home()


# --- the reference ----------------------------------------------------------------------------------------

MARKER = "<!-- generated from vakit.core.settings.reference_markdown(): run `python docs/gen_config.py` -->\n"


def test_docs_config_reference_is_generated_from_the_table():
    text = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    assert MARKER in text, "docs/config.md lost its generated-part marker"
    assert text.split(MARKER, 1)[1] == reference_markdown(), \
        "docs/config.md is out of date with vakit.core.settings.SETTINGS: run `python docs/gen_config.py`"
    assert all(f"### `{s.key}`" in text for s in SETTINGS)


def test_the_config_module_needs_typer_nowhere_below_the_cli():
    code = ("import sys, vakit.store.config_file\n"
            "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"


def test_config_damaged_is_an_invalid_value():
    assert issubclass(ConfigDamaged, InvalidValue) and ConfigDamaged("x").exit_code == 1


def test_output_dir_takes_the_month_end_pdfs_statements_and_timesheets(issued, tmp_path, monkeypatch):
    cli = issued
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(tmp_path)
    cli("config", "set", "output_dir", str(out))
    cli.now = "2025-03-03T09:00:00+00:00"
    cli("log", "add", "--client", "Acme", "--date", "2025-02-03", "--from", "09:00", "--to", "10:30")
    run = cli("invoice", "run", "--month", "2025-02", "--issue", "--json")
    pdfs = json.loads(run.stdout)["data"]["pdfs"]
    assert len(pdfs) == 1 and Path(pdfs[0]).parent == out
    statement = cli("invoice", "statement", "--client", "Acme", "--pdf").stdout.splitlines()[-1]
    assert statement.startswith(f"Wrote {out}/") and statement.endswith(".pdf")
    sheet = cli("log", "report", "--client", "Acme", "--month", "2025-02", "--format", "pdf").stdout
    assert sheet == f"Wrote {out / 'timesheet-1-2025-02-01-2025-02-28.pdf'}\n"
    assert len(list(out.iterdir())) == 3 and [p for p in tmp_path.iterdir() if p.suffix == ".pdf"] == []
    # without --pdf a statement writes nothing, output_dir or not
    cli("invoice", "statement", "--client", "Acme")
    assert len(list(out.iterdir())) == 3


def test_settings_set_at_the_same_moment_all_land(tmp_path):
    """Four `vakit config set` at once, twice: the file's lock keeps every reported change."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("VAKIT_")}
    env.update(VAKIT_HOME=str(tmp_path / "home"))
    (tmp_path / "out").mkdir()
    for _ in range(2):
        (tmp_path / "home" / "config.toml").unlink(missing_ok=True)
        procs = [subprocess.Popen([sys.executable, "-m", "vakit", "config", "set", *kv], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for kv in (("week_start", "sunday"), ("rounding", "up:6m"), ("terms", "30"),
                            ("output_dir", str(tmp_path / "out")))]
        assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
        text = (tmp_path / "home" / "config.toml").read_text(encoding="utf-8")
        assert {line.split("=")[0].strip() for line in text.splitlines() if line[:1].isalpha()} == {
            "week_start", "rounding", "terms", "output_dir"}


def test_a_folder_is_refused_as_the_ledger_setting(cli, tmp_path):
    res = cli("config", "set", "ledger", str(tmp_path), ok=False)
    assert (res.exit_code, res.stderr) == (1, f"vakit: ledger {tmp_path} is a folder (give the ledger file, e.g. "
                                              f"{tmp_path / 'ledger.sqlite3'})\n")
    assert not (tmp_path / "home" / "config.toml").exists()
