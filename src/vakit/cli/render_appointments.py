"""Appointments as a Rich table, each in both clocks (the one renderer of ``vakit schedule list``)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table

from vakit.core.appointments import Appointment
from vakit.core.clock import fmt_range


def appointments_table(appts: list[Appointment], home_tz: str, extra_tz: str | None = None,
                       client_tz: Mapping[int, str] | None = None) -> Table:
    """Appointments by instant, each in both clocks: "their time" (the client's zone, from ``client_tz`` by
    client id; the zone it was booked in when not given) and "your time" (``home_tz``), plus a third column in
    ``extra_tz`` when given. An appointment booked in a zone that is neither the client's nor yours (an
    in-person meeting elsewhere) also shows that clock, named. Every time carries its zone label and UTC
    offset (:func:`vakit.core.clock.fmt_range`)."""
    t = Table(title=f"Appointments (your time: {home_tz}" + (f"; also {extra_tz}" if extra_tz else "") + ")")
    cols = ["#", "their time", "your time"] + ([extra_tz] if extra_tz else []) + ["client", "title", "status"]
    for col in cols:
        t.add_column(col, overflow="fold")
    for a in appts:
        theirs_tz = (client_tz or {}).get(a.client_id, a.tz)
        theirs = f"{fmt_range(a.start_utc, a.end_utc, theirs_tz)} {theirs_tz}"
        if a.tz not in (theirs_tz, home_tz):
            theirs += f"\nbooked in {a.tz}: {fmt_range(a.start_utc, a.end_utc, a.tz)}"
        cells = [str(a.id), theirs, fmt_range(a.start_utc, a.end_utc, home_tz)]
        if extra_tz:
            cells.append(fmt_range(a.start_utc, a.end_utc, extra_tz))
        title = f"{a.title} ↻" if a.series_id is not None else a.title
        t.add_row(*cells, a.client_name, title, a.outcome or a.status.lower())
    if any(a.series_id is not None for a in appts):
        t.caption = "↻ one occurrence of a recurring call (vakit schedule show ID)"
    return t
