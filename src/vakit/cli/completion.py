"""Shell completion from the ledger: client names and invoice references, for Typer's bash, zsh and fish
completion (``vakit --install-completion``). Each completion reads the ledger read-only with the standard
``sqlite3`` module and nothing else of vakit's, so a Tab press costs one small query; a missing or unreadable
ledger completes nothing rather than failing."""

from __future__ import annotations

import os
import sqlite3
from shlex import quote

from vakit.core.errors import VakitError

#: Typer's environment variable naming the shell being completed for (``complete_bash``, ``complete_zsh`` …)
COMPLETE_VAR = "_VAKIT_COMPLETE"
#: commands whose ``invoice`` argument is a draft (``#ID``); the others take an issued number
DRAFT_COMMANDS = frozenset({"issue", "edit", "delete", "add", "expense", "discount", "rm"})


def _rows(ctx, sql: str, args: tuple = ()) -> list[tuple]:
    """Rows of a read-only query on the ledger this command line names (``--db``, else the environment's or the
    default path); [] when there is none or it cannot be read."""
    from vakit.store.paths import resolve_ledger_path

    root = ctx.find_root() if ctx is not None else None
    db = root.params.get("db") if root is not None else None
    try:
        path = resolve_ledger_path(db)  # reads the config file, which may be damaged
        if not path.is_file():
            return []
    except (VakitError, OSError, ValueError):
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _for_shell(values: list[str]) -> list[str]:
    """Bash inserts a completion exactly as given, so there each is one literal shell word (:func:`shlex.quote`:
    ``'Harbour & Finch Ltd'``; a name with `` ` ``, ``$``, ``;`` or ``>`` can never run or redirect anything);
    zsh and fish quote what they insert themselves."""
    if os.environ.get(COMPLETE_VAR, "").endswith("bash"):
        return [quote(v) for v in values]
    return values


def match_names(names: list[str], incomplete: str) -> list[str]:
    """The names that start with ``incomplete`` (any case); when none does, those with a word that does
    (``anal`` → ``Northwind Analytics``). In the order given."""
    typed = incomplete.strip().strip("'\"").replace("\\ ", " ").casefold()
    whole = [n for n in names if n.casefold().startswith(typed)]
    if whole or not typed:
        return whole
    return [n for n in names if any(w.startswith(typed) for w in n.casefold().split())]


def complete_client(ctx, param, incomplete: str) -> list[str]:
    """Client names for ``--client`` and client arguments (archived ones only for ``client unarchive``)."""
    archived = ctx is not None and ctx.info_name == "unarchive"
    names = [r[0] for r in _rows(ctx, "SELECT name FROM clients WHERE archived = ? ORDER BY name COLLATE NOCASE",
                                 (1 if archived else 0,))]
    return _for_shell(match_names(names, incomplete))


def complete_invoice(ctx, param, incomplete: str) -> list[str]:
    """Invoice references: drafts as ``#ID`` for the commands that change a draft, else issued invoice and credit
    note numbers, newest first."""
    if ctx is not None and ctx.info_name in DRAFT_COMMANDS:
        refs = [f"#{r[0]}" for r in _rows(ctx, "SELECT id FROM invoices WHERE status = 'draft' ORDER BY id DESC")]
    else:
        refs = [r[0] for r in _rows(ctx, "SELECT number FROM invoices WHERE number IS NOT NULL ORDER BY id DESC")]
    typed = incomplete.strip().strip("'\"").casefold()
    return _for_shell([r for r in refs if r.casefold().startswith(typed)])


def attach(group) -> None:
    """Give every parameter that names a client or an invoice its completion: ``--client`` options, the
    ``NAME`` of the ``client`` commands but ``add``, ``contract show``'s argument, and every ``invoice``
    argument. Walks the Click command tree built from the Typer app (only the nouns registered)."""
    def walk(cmd, path: tuple[str, ...]) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, (*path, name))
        for p in cmd.params:
            if p.name == "client" or (p.name == "name" and path[:1] == ("client",) and path[-1:] != ("add",)) \
                    or (p.name == "contract" and path == ("contract", "show")):
                p._custom_shell_complete = complete_client
            elif p.name == "invoice" and p.param_type_name == "argument":
                p._custom_shell_complete = complete_invoice

    walk(group, ())
