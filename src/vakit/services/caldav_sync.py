"""``vakit schedule sync``: push vakit's appointments to a CalDAV calendar and pull its busy times (issue 8).

Push (RFC 4791 §5.3.2). Every UID's calendar object (:func:`vakit.services.calendar_objects.calendar_objects`:
a VCALENDAR without METHOD, §4.1) is compared with what was last pushed to this calendar (table
``caldav_pushed``, :mod:`vakit.store.m009_caldav`):

- never pushed: PUT with ``If-None-Match: *`` (create; never replaces a resource someone else made there). A
  cancelled appointment that was never pushed is left out: there is nothing on the server to cancel;
- pushed, and its SEQUENCE, STATUS or bytes (DTSTAMP aside) differ: PUT with ``If-Match: <the ETag of our last
  PUT>`` — an update, or a cancellation when the object became STATUS:CANCELLED (RFC 5545 §3.8.1.11; the
  resource is kept, so every calendar shows it cancelled, rather than deleted);
- a failed precondition (412: the resource was edited or deleted on the server since vakit's PUT, or a resource
  vakit did not make is in the way) is reported and left as the server has it, unless ``overwrite``;
- pushed, but no longer in the calendar (deleted on the server, or the calendar re-created empty; seen in a
  Depth 1 PROPFIND, made only when something was pushed before): reported and left deleted, unless
  ``overwrite``, which creates it again (``If-None-Match: *``, counted ``recreated``). A deletion there may be
  the VA's own, as an edit may be: the same rule. A cancelled appointment whose resource is gone is left out,
  and its record dropped: there is nothing on the server to cancel.

Each accepted PUT is recorded (href, ETag, SEQUENCE, STATUS, digest) in its own write transaction right after
the server's answer, so what the ledger says was pushed is what the server has, also when a later request
fails. Then the pull (:mod:`vakit.services.caldav_pull`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from vakit.core.clock import check_zone, fmt_local
from vakit.core.errors import InvalidValue, VakitError
from vakit.services.caldav_pull import Pull
from vakit.services.calendar_types import Window
from vakit.services.context import Context

_SAFE_NAME = re.compile(r"[A-Za-z0-9@._-]{1,200}")
_DTSTAMP = re.compile(rb"^DTSTAMP[:;][^\r\n]*\r?\n", re.MULTILINE)


@dataclass
class Pushed:
    """What the push did (or, dry, would do): counts of resources ``created``, ``updated``, ``cancelled``
    (pushed as STATUS:CANCELLED), ``unchanged``, ``recreated`` (pushed before, gone from the server, created
    again with ``overwrite``), ``overwritten`` (replaced with ``overwrite`` after a failed precondition; also
    counted as created, updated or recreated), ``left_out`` (cancelled, and not on the server: never pushed, or
    gone from it), ``conflicts``: one line per resource not pushed because it changed on the server, and
    ``gone``: one line per resource not pushed because it was deleted there (without ``overwrite``)."""

    created: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0
    recreated: int = 0
    overwritten: int = 0
    left_out: int = 0
    conflicts: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)


@dataclass
class Sync:
    """One sync: the calendar ``url`` (normalised), the busy-time ``source`` name, the pull ``window``, and what
    the push and the pull did (None when left out with ``--no-push`` / ``--no-pull``)."""

    url: str
    source: str
    window: Window | None
    dry_run: bool
    pushed: Pushed | None
    pulled: Pull | None


def sync(ctx: Context, url: str, user: str | None, password: str | None, *, client: str | None = None,
         push: bool = True, pull: bool = True, from_: str | None = None, to: str | None = None,
         tz: str | None = None, dry_run: bool = False, overwrite: bool = False) -> Sync:
    """Push (all appointments, or ``client``'s) to the calendar collection at ``url`` and pull its events within
    ``from_``–``to`` (local dates in the VA's home zone; default 30 days back to a year ahead) as busy times,
    floating times read in ``tz`` (default: the VA's home zone).
    ``dry_run`` sends only reading requests and stores nothing. Raises InvalidValue for bad options and
    VakitError (one line) for any failure of the server; the pushes accepted before a failure stay recorded."""
    from vakit.services.caldav_pull import pull as pull_busy
    from vakit.services.caldav_server import CalendarServer, calendar_url, source_name
    from vakit.services.client_lookup import find_client

    url = calendar_url(url)
    if not push and not pull:
        raise InvalidValue("--no-push and --no-pull leave nothing to do")
    if (from_ or to or tz) and not pull:
        raise InvalidValue("--from, --to and --tz choose what is pulled; drop them or --no-pull")
    if tz:
        check_zone(tz)
    if (client or overwrite) and not push:
        raise InvalidValue(f"{'--client' if client else '--overwrite'} chooses what is pushed; drop it or --no-push")
    the_client = find_client(ctx, client) if client else None
    window = sync_window(ctx, from_, to) if pull else None
    source = source_name(url)
    server = CalendarServer(url, user, password)
    server.check()
    pushed = _push(ctx, server, url, the_client, dry_run=dry_run, overwrite=overwrite) if push else None
    pulled = pull_busy(ctx, server, source, window, tz=tz, dry_run=dry_run) if window is not None else None
    return Sync(url, source, window, dry_run, pushed, pulled)


def sync_window(ctx: Context, from_: str | None, to: str | None) -> Window:
    """The pull window: as ``schedule import`` reads it (:func:`vakit.services.calendar_import.read_window`)."""
    from vakit.services.calendar_import import read_window

    return read_window(ctx, from_, to)


def resource_href(url: str, uid: str) -> str:
    """The URL vakit gives a new resource in the calendar at ``url``: ``<UID>.ics`` when the UID is plain
    (letters, digits, ``@._-``; ``@`` percent-encoded as servers write it back), else the SHA-256 of the UID (a
    path segment must not carry ``/`` or ``%``)."""
    name = uid if _SAFE_NAME.fullmatch(uid) else hashlib.sha256(uid.encode("utf-8")).hexdigest()
    return f"{url}{quote(name, safe='-._')}.ics"


def content_digest(ics: bytes) -> str:
    """SHA-256 (hex) of a calendar object without its DTSTAMP lines: equal digests mean nothing to push."""
    return hashlib.sha256(_DTSTAMP.sub(b"", ics)).hexdigest()


def _push(ctx: Context, server, url: str, client, *, dry_run: bool, overwrite: bool) -> Pushed:
    from vakit.services.caldav_server import resource_path
    from vakit.services.calendar_objects import calendar_objects

    out = Pushed()
    home = ctx.profile().home_tz
    conn = ctx.ledger.conn
    state = {r["uid"]: r for r in conn.execute("SELECT uid, href, etag, sequence, status, content_sha256 FROM"
                                               " caldav_pushed WHERE calendar = ?", (url,))}
    objects = list(calendar_objects(ctx, client))
    # what vakit pushed and the server no longer holds: only a listing shows it for the unchanged ones
    present = server.members() if any(obj.uid in state for obj in objects) else set()
    todo, forget = [], []
    for obj in objects:
        digest = content_digest(obj.ics)
        old = state.get(obj.uid)
        if old is not None and resource_path(old["href"]) not in present:
            if obj.status == "CANCELLED":
                out.left_out += 1
                forget.append(obj.uid)
            elif overwrite:
                todo.append(("recreated", obj, old["href"], None, digest))
            else:
                out.gone.append(f"not pushed: {old['href']} (UID {obj.uid}, {fmt_local(obj.start_utc, home)}): it was "
                                "deleted on the server since vakit pushed it; left deleted (--overwrite creates it "
                                "again; cancel the appointment in vakit if it is off)")
        elif old is None:
            if obj.status == "CANCELLED":
                out.left_out += 1
            else:
                todo.append(("created", obj, resource_href(url, obj.uid), None, digest))
        elif (old["content_sha256"], old["sequence"], old["status"]) == (digest, obj.sequence, obj.status):
            out.unchanged += 1
        else:
            kind = "cancelled" if obj.status == "CANCELLED" and old["status"] != "CANCELLED" else "updated"
            todo.append((kind, obj, old["href"], old["etag"], digest))
    if dry_run:
        for kind, *_ in todo:
            setattr(out, kind, getattr(out, kind) + 1)
        return out
    if forget:
        with ctx.ledger.write():
            conn.executemany("DELETE FROM caldav_pushed WHERE calendar = ? AND uid = ?", [(url, u) for u in forget])
    for done, (kind, obj, href, etag, digest) in enumerate(todo):
        try:
            put = server.put(href, obj.ics, etag=etag, create=kind in ("created", "recreated"))
            if not put.ok and overwrite:
                put = server.put(href, obj.ics, etag=None, create=False)
                out.overwritten += put.ok
        except VakitError as exc:
            if done:
                raise VakitError(f"{exc.message}; {done} of {len(todo)} changes were pushed before it and are "
                                 "recorded", exc.hint) from exc
            raise
        if not put.ok:
            what = ("a resource vakit did not push is already there" if kind in ("created", "recreated") else
                    "it was changed or deleted on the server since vakit pushed it")
            out.conflicts.append(f"not pushed: {href} (UID {obj.uid}, {fmt_local(obj.start_utc, home)}): {what}; "
                                 "left as the server has it (--overwrite replaces it with vakit's version)")
            continue
        with ctx.ledger.write():
            conn.execute("INSERT INTO caldav_pushed (calendar, uid, href, etag, sequence, status, content_sha256,"
                         " pushed_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (calendar, uid) DO UPDATE SET"
                         " href = excluded.href, etag = excluded.etag, sequence = excluded.sequence, status ="
                         " excluded.status, content_sha256 = excluded.content_sha256, pushed_utc = excluded.pushed_utc",
                         (url, obj.uid, href, put.etag, obj.sequence, obj.status, digest, ctx.clock.now_utc()))
        setattr(out, kind, getattr(out, kind) + 1)
    return out
