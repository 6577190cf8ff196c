"""Row → appointment codec (``sqlite3.Row`` → :class:`vakit.core.appointments.Appointment`)."""

from __future__ import annotations

import sqlite3

from vakit.core.appointments import Appointment


def appointment_from_row(row: sqlite3.Row) -> Appointment:
    """``appointments`` row joined with the client's ``client_name`` → :class:`Appointment`."""
    return Appointment(
        id=row["id"], uid=row["uid"], client_id=row["client_id"], client_name=row["client_name"], title=row["title"],
        location=row["location"], start_utc=row["start_utc"], end_utc=row["end_utc"], tz=row["tz"],
        status=row["status"], sequence=row["sequence"], created_utc=row["created_utc"],
        modified_utc=row["modified_utc"], description=row["description"], series_id=row["series_id"],
        recurrence_utc=row["recurrence_utc"], outcome=row["outcome"], outcome_entry_id=row["outcome_entry_id"],
        outcome_note=row["outcome_note"],
    )
