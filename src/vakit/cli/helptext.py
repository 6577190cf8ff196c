"""Help texts several commands share, and the "Examples:" block at the end of a command's ``--help``.

:func:`examples` makes a command's epilog; :mod:`vakit.cli.reference` reads the same block back for docs/cli.md,
and tests/test_cli_reference.py parses every example line against the command tree.
"""

from __future__ import annotations

#: the heading of the examples block of an epilog
EXAMPLES = "Examples:"

JSON = ("Print JSON instead: money as decimal strings with their currency, dates as YYYY-MM-DD, times as UTC "
        "ISO 8601 (…Z).")
MONTH = "A calendar month, YYYY-MM (e.g. 2026-10)."
#: the ways to type a date (:func:`vakit.core.timeparse.parse_date`)
DATES = "YYYY-MM-DD, today, yesterday or a weekday"
FROM = f"First date: {DATES} (monday …)."
TO = f"Last date, included: {DATES}."
DATE = f"One date: {DATES}."
#: the ways to name a client (:func:`vakit.services.client_lookup.find_client`)
CLIENT_REF = "its name, a unique prefix of it, or #ID"
CLIENT = f"A client: {CLIENT_REF}."


def examples(*lines: str) -> str:
    """A command's epilog: ``Examples:`` and one command line per argument (each starting with ``vakit``), in a
    paragraph Click prints as written (``\\b``), indented under the heading."""
    return EXAMPLES + "\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def example_lines(text: str | None) -> list[str]:
    """The command lines of the examples block in an epilog made by :func:`examples`, or at the end of a
    docstring (a line ``Examples:``, then a ``\b`` paragraph of command lines); ``[]`` when there is none."""
    head, found, block = (text or "").rpartition(EXAMPLES)
    if not found or (head and not head.endswith("\n")) or "\b" not in block:
        return []
    return [line.strip() for line in block.split("\b", 1)[1].splitlines() if line.strip()]
