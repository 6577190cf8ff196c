"""Appointments and recurring series as plain data (units as in :mod:`vakit.core.models`: instants in UTC
epoch seconds beside their IANA zone, durations in seconds)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Appointment:
    """A booked appointment ``[start_utc, end_utc)`` shown in zone ``tz``.

    ``uid`` is generated once and never changes (RFC 5545 §3.8.4.7); ``sequence``
    rises on each significant change (§3.8.7.4); ``status`` is CONFIRMED or CANCELLED.
    ``created_utc`` / ``modified_utc`` are epoch seconds. An occurrence of a recurring series has the
    ``series_id`` and its RECURRENCE-ID ``recurrence_utc`` (original start, epoch seconds UTC); ``outcome`` is
    None, ``done`` or ``no-show``, ``outcome_entry_id`` the time entry it made (None: none), ``outcome_note``
    what was noted about it.
    """

    id: int
    uid: str
    client_id: int
    client_name: str
    title: str
    location: str
    start_utc: int
    end_utc: int
    tz: str
    status: str
    sequence: int
    created_utc: int
    modified_utc: int
    description: str = ""
    series_id: int | None = None
    recurrence_utc: int | None = None
    outcome: str | None = None
    outcome_entry_id: int | None = None
    outcome_note: str = ""


@dataclass(frozen=True)
class Series:
    """A recurring appointment series (see :mod:`vakit.store.m007_series`): its iCalendar ``uid``, the master's
    title, location and description, the rule (``freq`` WEEKLY/MONTHLY, ``interval``, ``count`` or
    ``until_utc``), the first occurrence's wall time ``dtstart_local`` (``YYYY-MM-DDTHH:MM:SS``) in ``tz``,
    ``duration`` seconds, ``status`` and the master's ``sequence``; times in epoch seconds."""

    id: int
    uid: str
    client_id: int
    client_name: str
    title: str
    location: str
    description: str
    freq: str
    interval: int
    count: int | None
    until_utc: int | None
    dtstart_local: str
    tz: str
    duration: int
    status: str
    sequence: int
    created_utc: int
    modified_utc: int
