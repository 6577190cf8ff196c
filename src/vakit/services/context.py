"""What every service call needs: the open ledger, the clock and the VA's profile."""

from __future__ import annotations

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
