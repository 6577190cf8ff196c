"""What every service call needs: the open ledger, the clock and the VA's profile."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from vakit.core.clock import Clock
from vakit.core.errors import VakitError
from vakit.core.models import Profile
from vakit.store.codecs import profile_from_row
from vakit.store.db import Ledger


@dataclass
class Context:
    """The ledger and clock a service works with. ``profile()`` raises VakitError before ``vakit init``."""

    ledger: Ledger
    clock: Clock = field(default_factory=Clock)

    def profile(self) -> Profile:
        """The VA's business profile. Raises VakitError if ``vakit init`` has not run."""
        row = self.ledger.conn.execute("SELECT * FROM profile WHERE id = 1").fetchone()
        if row is None:
            raise VakitError("this ledger has no business profile yet", "run 'vakit init' first")
        return profile_from_row(row)

    def has_profile(self) -> bool:
        """Whether ``vakit init`` has stored a profile."""
        return self.ledger.conn.execute("SELECT 1 FROM profile WHERE id = 1").fetchone() is not None


TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (≈ 2 ms) on every command
if TYPE_CHECKING:
    from typing import ParamSpec, TypeVar

    P = ParamSpec("P")
    R = TypeVar("R")


def writes(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a service (whose first argument is the :class:`Context`) inside one write transaction, so what it
    reads and what it writes based on that are one ``BEGIN IMMEDIATE`` (design.md §6). Writes nested inside
    become SAVEPOINTs; an exception rolls everything back."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        ctx = args[0]
        assert isinstance(ctx, Context)
        with ctx.ledger.write():
            return fn(*args, **kwargs)

    return wrapper
