"""A retainer's unused included hours carried to later months, with a cap and an expiry (issue 9).

The carried balance is kept in *lots*, ``(month "YYYY-MM", seconds)``, one per month whose included hours were
not all used. A month:

1. drops the lots older than the expiry (carried hours from May, with an expiry of 1 month, may be used in June
   and not after);
2. has the lots and its own included hours available; worked time uses the carried hours first, oldest first
   (they expire sooner), then the month's own; time beyond both is overage;
3. carries forward what is left of the lots, and of its own included hours as much as keeps the balance within
   the cap (the cap bounds the carried balance; hours beyond it are forfeit).

Every figure is in whole seconds; nothing is rounded here (the contract's rounding made the billed seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

Lot = tuple[str, int]


@dataclass(frozen=True)
class Roll:
    """One month of a rollover retainer: ``carried_in`` lots it could use, ``expired`` seconds dropped at its
    start, ``carried_out`` lots it passes on, ``overage`` seconds beyond its included and carried hours."""

    month: str
    carried_in: tuple[Lot, ...]
    expired: int
    carried_out: tuple[Lot, ...]
    overage: int

    @property
    def carried_in_seconds(self) -> int:
        """Seconds carried into the month (after expiry)."""
        return sum(s for _m, s in self.carried_in)

    @property
    def carried_out_seconds(self) -> int:
        """Seconds carried forward to the next month."""
        return sum(s for _m, s in self.carried_out)


def months_between(a: str, b: str) -> int:
    """Whole months from ``"YYYY-MM"`` ``a`` to ``b`` (``"2025-04"`` → ``"2025-06"`` is 2)."""
    ya, ma = (int(x) for x in a.split("-"))
    yb, mb = (int(x) for x in b.split("-"))
    return (yb - ya) * 12 + mb - ma


def roll(lots: tuple[Lot, ...], month: date, included: int, used: int, cap: int, expiry_months: int) -> Roll:
    """The month starting ``month`` with ``lots`` carried from earlier months (oldest first), ``included``
    seconds of its own (prorated already in a partial month) and ``used`` billed seconds. See the module
    docstring; ``cap`` and ``expiry_months`` are the contract's."""
    key = f"{month:%Y-%m}"
    live = [(m, s) for m, s in lots if months_between(m, key) <= expiry_months and s > 0]
    expired = sum(s for _m, s in lots) - sum(s for _m, s in live)
    left = used
    out: list[Lot] = []
    for m, s in live:
        take = min(s, left)
        left -= take
        if s - take:
            out.append((m, s - take))
    own_left = max(0, included - left)
    overage = max(0, left - included)
    room = max(0, cap - sum(s for _m, s in out))
    if min(own_left, room):
        out.append((key, min(own_left, room)))
    return Roll(key, tuple(live), expired, tuple(out), overage)
