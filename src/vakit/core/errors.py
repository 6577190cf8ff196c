"""Errors that reach the user as one line on stderr.

Every error vakit raises on purpose is a :class:`VakitError`; the CLI turns it into
its message on stderr and its ``exit_code`` (design.md §6): 1 for a request that
cannot be carried out, 3 for a ledger that cannot be used.
"""

from __future__ import annotations


class VakitError(Exception):
    """A request vakit cannot carry out. ``exit_code`` 1; ``hint`` is an optional second sentence."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class NotFound(VakitError):
    """A client, contract, entry, appointment or invoice that does not exist."""


class InvalidValue(VakitError):
    """Input that cannot be read completely, or a value outside what is allowed."""


class Conflict(VakitError):
    """A change that clashes with what is stored (overlap, duplicate name, running timer)."""


class Locked(VakitError):
    """A change to something frozen: an issued invoice or a billed time entry."""


class LedgerUnusable(VakitError):
    """The ledger file cannot be opened or used (corrupt, locked too long, newer schema). Exit 3."""

    exit_code = 3
