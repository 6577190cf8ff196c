"""One CalDAV calendar collection (RFC 4791) as ``vakit schedule sync`` uses it, through the ``caldav`` library.

Four requests are made: PROPFIND (is the URL a calendar collection, §4.2; Depth 1: which resources it holds),
PUT of a calendar object resource with a precondition (§5.3.2: ``If-None-Match: *`` to create, ``If-Match:
<ETag>`` to update), and a calendar-query REPORT with a time range (§7.8, §9.9, through ``Calendar.search``). The
PUT goes through ``DAVClient.request`` with vakit's own bytes: ``Event.save()`` re-serialises the object (and,
from caldav 3, raises its SEQUENCE on every save), which would change what ``vakit schedule export`` writes.

No redirect is followed. ``DAVClient.request`` calls ``session.request(...)`` without ``allow_redirects`` (caldav
1.2.1 with requests, caldav 3.x with niquests or requests), and both libraries then follow a 301, 307 or 308
with the same method and body: a PUT redirected to a calendar collection would replace that whole calendar. The
client's session is made to pass ``allow_redirects=False``, so a 3xx comes back as the answer and is an error.

Every failure (no connection, TLS, a refused login, a missing calendar, any unexpected answer or library error)
becomes one :class:`~vakit.core.errors.VakitError` line naming the server; a password is never part of it.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from vakit.core.errors import InvalidValue, VakitError

#: seconds to wait for the server to answer one request
TIMEOUT = 30
_CALDAV = "urn:ietf:params:xml:ns:caldav"
_RESOURCETYPE_BODY = ('<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/>'
                      "<D:displayname/></D:prop></D:propfind>")
_MEMBERS_BODY = ('<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/>'
                 "</D:prop></D:propfind>")


def calendar_url(url: str) -> str:
    """``url`` checked and normalised: http or https, a host, no user name or password in it (they would land in
    the shell's history), the path ending in ``/`` (a collection, RFC 4918 §5.2), no query or fragment.
    Raises InvalidValue."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise InvalidValue(f"cannot read the URL {text!r}: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidValue(f"{text!r} is not an http:// or https:// URL",
                           "give the calendar's URL, e.g. https://dav.example.com/calendars/me/work/")
    if parts.username is not None or parts.password is not None:
        raise InvalidValue("the URL holds a user name or password",
                           "give --user, and set VAKIT_CALDAV_PASSWORD or type the password when asked")
    if parts.query or parts.fragment:
        raise InvalidValue(f"the URL {text!r} has a query or fragment; a calendar collection's URL has neither")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def resource_path(url: str) -> str:
    """The percent-decoded path of ``url``: how a resource URL vakit stored and an href the server lists (a path or
    a whole URL, ``@`` encoded or not) are compared."""
    return unquote(urlsplit(url).path)


def source_name(url: str) -> str:
    """The busy-time source for a calendar URL (from :func:`calendar_url`): ``caldav:host[:port]/path``."""
    parts = urlsplit(url)
    return f"caldav:{parts.netloc}{parts.path.rstrip('/')}"


@dataclass(frozen=True)
class Put:
    """The answer to a PUT: ``ok`` (2xx) or not (412: the precondition failed), and the resource's strong ETag
    after it (None when the server gave none or a weak one)."""

    ok: bool
    etag: str | None


@dataclass(frozen=True)
class Resource:
    """A calendar object resource read from the server: its URL and its iCalendar text."""

    href: str
    text: str


class CalendarServer:
    """A connection to the calendar collection at ``url`` (from :func:`calendar_url`) as ``user`` with
    ``password`` (None: no authentication). Nothing is sent before the first call."""

    def __init__(self, url: str, user: str | None, password: str | None, *, timeout: int = TIMEOUT) -> None:
        import caldav

        self.url = url
        self.where = urlsplit(url).netloc
        with self.talking("connecting"):
            self.client = caldav.DAVClient(url=url, username=user or None, password=password, timeout=timeout)
            _no_redirects(self.client.session)
            self.calendar = caldav.Calendar(client=self.client, url=url)

    @contextmanager
    def talking(self, what: str) -> Iterator[None]:
        """Turn any failure inside the block into one VakitError line: ``CalDAV server <host>: <what> failed:
        <reason>`` (a VakitError raised inside passes unchanged)."""
        try:
            yield
        except VakitError:
            raise
        except Exception as exc:  # noqa: BLE001 - every library or network failure becomes one line
            raise VakitError(f"CalDAV server {self.where}: {what} failed: {_reason(exc)}") from exc

    def check(self) -> None:
        """PROPFIND (Depth 0) the URL: raise VakitError unless it is a calendar collection (RFC 4791 §4.2)."""
        with self.talking("reading the calendar"):
            r = self.client.request(self.url, "PROPFIND", _RESOURCETYPE_BODY, {"Depth": "0"})
            self._status(r, "reading the calendar", self.url,
                         hint="give that URL if it is the calendar you mean")
            tree = _tree(r)
            kinds = {kind.tag for rtype in tree.iter("{DAV:}resourcetype") for kind in rtype}
        if f"{{{_CALDAV}}}calendar" not in kinds:
            what = "a collection" if "{DAV:}collection" in kinds else "a resource"
            raise VakitError(f"{self.url} is {what} but not a calendar (RFC 4791 §4.2)",
                             "give the URL of one calendar, as your calendar app or server shows it")

    def members(self) -> set[str]:
        """The resources in the calendar, as :func:`resource_path` of each: PROPFIND with Depth 1 (RFC 4918
        §9.1), the collection itself left out."""
        with self.talking("listing the calendar"):
            r = self.client.request(self.url, "PROPFIND", _MEMBERS_BODY, {"Depth": "1"})
            self._status(r, "listing the calendar", self.url)
            hrefs = [h.text for resp in _tree(r).iter("{DAV:}response") for h in resp.findall("{DAV:}href")]
            paths = {resource_path(urljoin(self.url, h.strip())) for h in hrefs if h and h.strip()}
        paths.discard(resource_path(self.url))
        return paths

    def put(self, href: str, body: bytes, *, etag: str | None, create: bool) -> Put:
        """PUT ``body`` (a VCALENDAR, UTF-8) at ``href``. ``create``: only if nothing is there
        (``If-None-Match: *``); else only if the resource still has ``etag`` (``If-Match``; none when ``etag``
        is None). A failed precondition (412) is ``Put(False, None)``; any other failure, a redirect (3xx)
        included, raises VakitError."""
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if create:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        with self.talking(f"storing {href}"):
            r = self.client.request(href, "PUT", body, headers)
            if r.status == 412:
                return Put(False, None)
            self._status(r, "storing", href)
            tag = _strong(r.headers.get("ETag"))
            if tag is None:  # RFC 4791 §5.3.4: a server that changed what it stored gives no ETag; read it
                g = self.client.request(href, "GET", "", {})
                tag = _strong(g.headers.get("ETag")) if 200 <= g.status < 300 else None
        return Put(True, tag)

    def events(self, start_utc: int, end_utc: int) -> list[Resource]:
        """The calendar's VEVENT resources with an instance in ``[start_utc, end_utc)`` (epoch seconds; RFC 4791
        §9.9 time-range), unexpanded: a recurring event comes whole, with its overrides."""
        start = datetime.fromtimestamp(start_utc, timezone.utc)
        end = datetime.fromtimestamp(end_utc, timezone.utc)
        with self.talking("reading the events"):
            found = self.calendar.search(start=start, end=end, event=True, expand=False)
            return [Resource(str(o.url), o.data if isinstance(o.data, str) else o.data.decode("utf-8"))
                    for o in found]

    def _status(self, r, what: str, href: str, *, hint: str | None = None) -> None:
        """Raise VakitError unless ``r`` is 2xx; for a redirect, name where the server points (``hint`` then)."""
        if not 200 <= r.status < 300:
            reason = " ".join(str(getattr(r, "reason", "") or "").split())
            if 300 <= r.status < 400:
                location = " ".join(str(r.headers.get("Location") or "").split())
                where = f"redirects it to {urljoin(href, location)}" if location else "redirects it but not where to"
                raise VakitError(f"CalDAV server {self.where}: {what} {href} failed: {r.status} {reason}".rstrip()
                                 + f": the server {where}; vakit does not follow redirects", hint if location else None)
            hint = {404: "no such calendar or resource", 405: "the server does not allow it there",
                    409: "the calendar does not exist (or its parent)"}.get(r.status)
            raise VakitError(f"CalDAV server {self.where}: {what} {href} failed: {r.status} {reason}".rstrip()
                             + (f" ({hint})" if hint else ""))


def _no_redirects(session) -> None:
    """Make every request of ``session`` (a requests or niquests Session) pass ``allow_redirects=False``."""
    send = session.request

    def request(*args, **kwargs):
        kwargs["allow_redirects"] = False
        return send(*args, **kwargs)

    session.request = request


def _tree(r):
    tree = getattr(r, "tree", None)
    if tree is None:
        raise VakitError("the answer is not the XML a CalDAV server sends")
    return tree


def _strong(tag: str | None) -> str | None:
    """An entity tag usable in If-Match (RFC 9110 §13.1.1 compares strongly): a weak one (``W/"…"``) is None."""
    if not tag or tag.startswith("W/"):
        return None
    return tag


def _reason(exc: BaseException) -> str:
    """A short reason for a failed request: the first known cause in the exception's chain, else its text."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, ConnectionRefusedError):
            return "connection refused (is the server running, and is the port right?)"
        if isinstance(e, ssl.SSLCertVerificationError):
            return f"its TLS certificate is not trusted ({e.verify_message or e.reason})"
        if isinstance(e, ssl.SSLError):
            return f"TLS failed ({e.reason or e})"
        if isinstance(e, socket.gaierror):
            return "host name not found"
        if isinstance(e, (TimeoutError, socket.timeout)):
            return f"no answer within {TIMEOUT} s"
        status = getattr(e, "status", None) or getattr(getattr(e, "response", None), "status_code", None)
        if type(e).__name__ == "AuthorizationError" or str(status).strip() in ("401", "403"):
            return "the server refused the login (check --user and VAKIT_CALDAV_PASSWORD)"
        if type(e).__name__ == "NotFoundError":
            return "not found (404): check the calendar's URL"
        nxt = [e.__cause__, e.__context__, getattr(e, "reason", None), *getattr(e, "args", ())]
        todo.extend(x for x in nxt if isinstance(x, BaseException))
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "…"
