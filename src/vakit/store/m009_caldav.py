"""Migration 9: what ``vakit schedule sync`` pushed to which CalDAV calendar (issue 8).

``caldav_pushed`` holds one row per (``calendar``, ``uid``): ``calendar`` is the calendar collection's URL
(scheme, host, port and path ending in ``/``; never a user name or password), ``uid`` the iCalendar UID of the
calendar object resource vakit stored there (RFC 4791 §4.1: one UID per resource), ``href`` that resource's
URL, ``etag`` the entity tag the server gave for it after vakit's last PUT (NULL when it gave none, or only a
weak one that ``If-Match`` cannot use), ``sequence`` and ``status`` (CONFIRMED or CANCELLED) of the object as
pushed, ``content_sha256`` the SHA-256 of the pushed bytes with the DTSTAMP lines left out (DTSTAMP is the
moment of writing, RFC 5545 §3.8.7.2, so it alone never makes an update), and ``pushed_utc`` when (epoch
seconds UTC). A row is written only after the server accepted the PUT, so the table never claims more than the
server has.
"""

from __future__ import annotations

from sqlite_utils import Database


def m009_caldav(db: Database) -> None:
    """See the module docstring."""
    db.conn.execute("""CREATE TABLE caldav_pushed (
            id INTEGER PRIMARY KEY,
            calendar TEXT NOT NULL,
            uid TEXT NOT NULL,
            href TEXT NOT NULL,
            etag TEXT,
            sequence INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('CONFIRMED', 'CANCELLED')),
            content_sha256 TEXT NOT NULL,
            pushed_utc INTEGER NOT NULL,
            UNIQUE (calendar, uid))""")
