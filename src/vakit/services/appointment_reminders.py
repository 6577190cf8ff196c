"""Reminders of upcoming appointments, as message text a VA pastes into an e-mail or a chat.

Each reminder gives the time in the client's clock first (the one they read) and the VA's beside it, both with
their zone labels and UTC offsets, so neither side can misread it (design.md, calendars policy).
"""

from __future__ import annotations

from dataclasses import dataclass

from vakit.core.appointments import Appointment
from vakit.core.clock import fmt_clock, fmt_range, fmt_zone, to_local
from vakit.core.errors import InvalidValue
from vakit.core.periods import Period
from vakit.services.context import Context

#: the furthest ahead ``remind`` looks (seconds): a reminder is for the coming days, not a calendar
MAX_WITHIN = 31 * 86400


@dataclass(frozen=True)
class Reminder:
    """An upcoming appointment, its client's zone, and the message text (several lines, no trailing newline)."""

    appointment: Appointment
    client_tz: str
    text: str


def _when(a: Appointment, tz: str) -> str:
    return fmt_range(a.start_utc, a.end_utc, tz)


def reminder_text(a: Appointment, client_tz: str, home_tz: str, business: str) -> str:
    """The message for one appointment: a greeting line, the time in the client's clock, the same time in the
    VA's, where (the location, when there is one) and a signature."""
    local = to_local(a.start_utc, client_tz)
    lines = [f"Hello {a.client_name},",
             f"a reminder of \"{a.title}\" on {local:%A %d %B %Y} at {fmt_clock(a.start_utc, client_tz)}–"
             f"{fmt_clock(a.end_utc, client_tz)} {fmt_zone(a.start_utc, client_tz)}, your time ({client_tz})."]
    if a.tz not in (client_tz, home_tz):
        lines.append(f"In {a.tz}, where it was booked, that is {_when(a, a.tz)}.")
    if home_tz != client_tz:
        lines.append(f"For me that is {_when(a, home_tz)} ({home_tz}).")
    if a.location:
        lines.append(f"Where: {a.location}")
    lines.append(f"— {business}")
    return "\n".join(lines)


def upcoming(ctx: Context, within: int) -> list[Reminder]:
    """Confirmed appointments starting from now to ``within`` seconds ahead, by start, each with its message.
    Raises InvalidValue for a window outside 1 minute–31 days."""
    from datetime import timedelta

    from vakit.services.scheduling import list_appointments

    if not 60 <= within <= MAX_WITHIN:
        raise InvalidValue("--within must be between 1 minute and 31 days")
    profile = ctx.profile()
    now = ctx.clock.now()
    period = Period(now.date(), (now + timedelta(seconds=within)).date(), "UTC")
    lo, hi = int(now.timestamp()), int(now.timestamp()) + within
    out = []
    for a in list_appointments(ctx, period, include_cancelled=False):
        if lo <= a.start_utc < hi:
            tz = ctx.ledger.conn.execute("SELECT tz FROM clients WHERE id = ?", (a.client_id,)).fetchone()[0]
            out.append(Reminder(a, tz, reminder_text(a, tz, profile.home_tz, profile.business_name)))
    return out
