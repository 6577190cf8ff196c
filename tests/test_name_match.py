"""Suggestions for a mistyped client name: prefix of the name or of a word, or a typo or two (Damerau–Levenshtein),
case and accents aside, best first, at most 3, archived clients marked; the refusal stays one line."""

from __future__ import annotations

import sqlite3

import pytest

from vakit.core.name_match import distance, fold, suggest

NAMES = ["Kiwi Design Co.", "Northwind Analytics", "Müller & Söhne GmbH", "Harbour & Finch", "Acme India"]


@pytest.mark.parametrize("a,b,d", [("kiwii", "kiwi", 1), ("nortwind", "northwind", 1), ("nrothwind", "northwind", 1),
                                   ("harbor", "harbour", 1), ("", "abc", 3), ("abc", "abc", 0), ("ca", "abc", 3),
                                   ("kitten", "sitting", 3)])
def test_distance(a, b, d):
    assert distance(a, b) == d == distance(b, a)


def test_fold_drops_case_and_accents():
    assert fold(" Müller & Söhne GmbH ") == "muller & sohne gmbh"
    assert fold("STRASSE") == fold("Straße") == "strasse"
    assert fold("Ｋｉｗｉ") == "kiwi"  # full-width letters are compatibility forms


@pytest.mark.parametrize("typed,expected", [
    ("kiwii", ["Kiwi Design Co."]),            # one letter too many: the word "kiwi"
    ("KIWI", ["Kiwi Design Co."]),             # a prefix, any case
    ("nortwind", ["Northwind Analytics"]),     # one letter missing
    ("nrothwind", ["Northwind Analytics"]),    # two neighbours swapped
    ("harbor", ["Harbour & Finch"]),           # American spelling
    ("muller", ["Müller & Söhne GmbH"]),       # accents fold
    ("sohne", ["Müller & Söhne GmbH"]),        # a later word's prefix
    ("finch", ["Harbour & Finch"]),
    ("Northwind Analitics", ["Northwind Analytics"]),  # the whole name with a typo
    ("x", []),                                 # one letter is a prefix of nothing here, and too short for typos
    ("an", ["Northwind Analytics"]),           # two letters: word prefixes count
    ("d", []),                                 # one letter: only the whole name's prefix
    ("zzzz", []),
    ("", []),
])
def test_suggest(typed, expected):
    assert suggest(typed, NAMES) == expected


def test_best_first_at_most_three_archived_lose_ties():
    names = ["Kiwi Bakery", "Kiwi Design Co.", "Kiwi Tours", "Kiwis Ltd", "Kiki Salon"]
    # name prefixes first (by name), then at most 3
    assert suggest("kiwi", names) == ["Kiwi Bakery", "Kiwi Design Co.", "Kiwi Tours"]
    # a typo: "kiwis" is a prefix of "Kiwis Ltd" (class 0) before the ones a letter away (class 2)
    assert suggest("kiwis", names) == ["Kiwis Ltd", "Kiwi Bakery", "Kiwi Design Co."]
    # an archived client loses a tie to an active one
    assert suggest("kiwi", names, second={"Kiwi Bakery"}) == ["Kiwi Design Co.", "Kiwi Tours", "Kiwis Ltd"]
    # a prefix of a word ranks after a prefix of the name, before a typo
    assert suggest("tour", ["Tuor Ltd", "Kiwi Tours", "Tourist Board"]) == ["Tourist Board", "Kiwi Tours",
                                                                            "Tuor Ltd"]


# ---------------------------------------------------------------------------------------------------------
# the refusal, through the CLI


@pytest.fixture
def clients(tmp_path, cli):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-02T09:00:00+00:00"
    cli("--db", db, "init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB")
    for name in NAMES:
        cli("--db", db, "client", "add", name)
    return db


def refusal(cli, db, *args) -> str:
    before = list(sqlite3.connect(db).iterdump())
    res = cli("--db", db, *args, ok=False)
    assert (res.exit_code, res.stdout) == (1, "")
    assert list(sqlite3.connect(db).iterdump()) == before
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    return lines[0]


def test_refusals_name_the_closest_clients(clients, cli):
    db = clients
    assert refusal(cli, db, "client", "show", "kiwii") == "vakit: no client named 'kiwii' (did you mean 'Kiwi Design " \
                                                          "Co.'?)"
    assert refusal(cli, db, "contract", "list", "--client", "nortwind") == (
        "vakit: no client named 'nortwind' (did you mean 'Northwind Analytics'?)")
    assert refusal(cli, db, "log", "add", "--client", "harbor", "--duration", "30m") == (
        "vakit: no client named 'harbor' (did you mean 'Harbour & Finch'?)")
    assert refusal(cli, db, "client", "edit", "muller", "--notes", "x") == (
        "vakit: no client named 'muller' (did you mean 'Müller & Söhne GmbH'?)")
    assert refusal(cli, db, "client", "show", "x") == "vakit: no client named 'x' (see 'vakit client list')"
    # a prefix of two clients: both named; an archived client marked, after the active one
    cli("--db", db, "client", "add", "Kiwi Bakery")
    assert refusal(cli, db, "client", "show", "KIWI") == (
        "vakit: more than one client starts with 'KIWI' (did you mean 'Kiwi Bakery', 'Kiwi Design Co.'?)")
    cli("--db", db, "client", "archive", "Kiwi Bakery")
    assert cli("--db", db, "client", "show", "KIWI").stdout.splitlines()[1] == "     name: Kiwi Design Co."
    assert refusal(cli, db, "client", "show", "kiwii") == (
        "vakit: no client named 'kiwii' (did you mean 'Kiwi Design Co.', 'Kiwi Bakery' (archived)?)")
