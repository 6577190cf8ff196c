"""`vakit schedule sync` (issue 8) against a real Radicale CalDAV server started on 127.0.0.1 for this module.

What is on the server is read back with caldav and icalendar (not with vakit's reader): UIDs, instants in UTC,
SEQUENCE, STATUS and ETags. Expected instants are worked out by hand (the comment beside each says how)."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timezone

import pytest

pytest.importorskip("radicale", reason="radicale (the [test] extra) is not installed: no CalDAV server to test with")
caldav = pytest.importorskip("caldav")

NOW = "2026-12-01T09:00:00+01:00"
#: Radicale refuses PUT bodies larger than this (413): how a server error in the middle of a push is made
MAX_BODY = 2500
PASSWORD = "s3cret-never-printed"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def radicale(tmp_path_factory) -> str:
    """A Radicale server on a free port of 127.0.0.1, storage in a temp folder, no authentication; its root URL.
    The collection ``/va/`` holds one calendar per test."""
    base = tmp_path_factory.mktemp("radicale")
    port = _free_port()
    config = base / "config"
    config.write_text(f"[server]\nhosts = 127.0.0.1:{port}\nmax_content_length = {MAX_BODY}\n"
                      "[auth]\ntype = none\n"
                      # with no authentication, 'authenticated' lets anyone read and write (owner_only would need
                      # a login that caldav sends only after a 401, which a server without auth never answers)
                      "[rights]\ntype = authenticated\n"
                      f"[storage]\nfilesystem_folder = {base / 'collections'}\n"
                      "[logging]\nlevel = warning\n", encoding="utf-8")
    log = open(base / "log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)], stdout=log,
                            stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Radicale did not start: {(base / 'log').read_text(errors='replace')}")
                time.sleep(0.05)
        client = caldav.DAVClient(url=root)
        assert client.request(root + "va/", "MKCOL", "").status == 201
        yield root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def calendar(radicale, request) -> str:
    """A new, empty calendar collection (MKCALENDAR, RFC 4791 §5.3.1) for this test; its URL."""
    name = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]
    client = caldav.DAVClient(url=radicale)
    cal = caldav.CalendarSet(client=client, url=radicale + "va/").make_calendar(name=name, cal_id=name)
    return str(cal.url)


@pytest.fixture
def berlin(cli, tmp_path):
    """A VA in Europe/Berlin with clients Acme (Berlin) and North (New York); now is Tue 1 Dec 2026."""
    cli.now = NOW
    cli("init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_GB")
    cli("client", "add", "Acme", "--tz", "Europe/Berlin", "--currency", "EUR")
    cli("client", "add", "North", "--tz", "America/New_York", "--currency", "USD")
    return cli


def sync(cli, url: str, *more: str, ok: bool = True):
    return cli("schedule", "sync", "--url", url, "--user", "va", *more, ok=ok)


def on_server(url: str) -> dict[str, dict]:
    """Every VEVENT on the calendar by UID, read with caldav and icalendar: start/end in UTC, SEQUENCE, STATUS,
    SUMMARY, the resource's URL and its ETag (from a GET)."""
    from icalendar import Calendar

    client = caldav.DAVClient(url=url)
    out = {}
    for obj in caldav.Calendar(client=client, url=url).events():
        for ev in Calendar.from_ical(obj.data).walk("VEVENT"):
            out[str(ev["UID"])] = {
                "start": ev.decoded("DTSTART").astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": ev.decoded("DTEND").astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "sequence": int(ev.get("SEQUENCE", 0)), "status": str(ev.get("STATUS", "")),
                "summary": str(ev.get("SUMMARY", "")), "href": str(obj.url),
                "etag": client.request(str(obj.url), "GET", "", {}).headers["ETag"]}
    return out


def put_on_server(url: str, name: str, text: str) -> None:
    """Store an event on the server as another calendar app would (a plain PUT of ``text``, CRLF lines)."""
    body = "\r\n".join(line.strip() for line in text.strip().splitlines()) + "\r\n"
    r = caldav.DAVClient(url=url).request(url + name, "PUT", body, {"Content-Type": "text/calendar; charset=utf-8"})
    assert r.status in (201, 204), r.status


def put_event(url: str, name: str, vevent: str) -> None:
    """:func:`put_on_server` of one VEVENT with the properties ``vevent`` (one per line), in the calendar
    another app would write around it."""
    put_on_server(url, name, "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//other app//EN\nBEGIN:VEVENT\n"
                  + vevent.strip() + "\nEND:VEVENT\nEND:VCALENDAR")


def ledger_rows(cli) -> dict[str, list]:
    """What sync may change in the ledger: the pushed state and the busy times."""
    path = cli("db", "path").stdout.splitlines()[0]
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in ("caldav_pushed", "busy_times")}
    finally:
        conn.close()


def appointments_list(cli) -> list[dict]:
    return json.loads(cli("schedule", "list", "--all", "--json").stdout)["data"]


def appointments(cli) -> dict[str, dict]:
    return {a["title"]: a for a in appointments_list(cli)}


def test_push_update_cancel_round_trip_exactly_in_summer_and_winter(berlin, calendar):
    cli = berlin
    cli("schedule", "book", "Summer", "--client", "Acme", "--at", "2027-07-06 10:00", "--duration", "1h")
    cli("schedule", "book", "Winter", "--client", "Acme", "--at", "2027-01-12 10:00", "--duration", "1h")
    call = "Call — श्री गणेश ट्रेडर्स"  # UTF-8 bodies (3 bytes a letter) go out and come back whole
    cli("schedule", "book", call, "--client", "North", "--at", "2027-03-10 09:00", "--duration", "30m")
    uid = {"Call" if t == call else t: a["uid"] for t, a in appointments(cli).items()}
    res = sync(cli, calendar)
    assert res.stderr == ""
    assert res.stdout == (
        f"Calendar {calendar} (user va)\n"
        "Appointments pushed: 3 new, 0 updated, 0 cancelled, 0 unchanged.\n"
        f"Busy times pulled from caldav:{calendar.split('://')[1].rstrip('/')}: 0 added, 0 updated, 0 unchanged "
        "(3 events on the server in 2026-11-01 – 2027-12-01, Europe/Berlin; 3 of them vakit's own, left out).\n")
    server = on_server(calendar)
    assert set(server) == set(uid.values())
    # 10:00 CEST (UTC+2) = 08:00Z in July; 10:00 CET (UTC+1) = 09:00Z in January; 09:00 EST (UTC-5) = 14:00Z
    assert {t: (server[u]["start"], server[u]["end"], server[u]["sequence"], server[u]["status"])
            for t, u in uid.items()} == {
        "Summer": ("2027-07-06T08:00:00Z", "2027-07-06T09:00:00Z", 0, "CONFIRMED"),
        "Winter": ("2027-01-12T09:00:00Z", "2027-01-12T10:00:00Z", 0, "CONFIRMED"),
        "Call": ("2027-03-10T14:00:00Z", "2027-03-10T14:30:00Z", 0, "CONFIRMED")}
    assert server[uid["Call"]]["summary"] == call
    assert server[uid["Summer"]]["href"] == f"{calendar}{uid['Summer'].replace('@', '%40')}.ics"
    pushed = {r[2]: r for r in ledger_rows(cli)["caldav_pushed"]}
    assert {u: (r[1], r[3], r[4], r[5], r[6]) for u, r in pushed.items()} == {
        u: (calendar, s["href"], s["etag"], 0, "CONFIRMED") for u, s in server.items()}

    cli("schedule", "move", str(appointments(cli)["Summer"]["id"]), "--at", "2027-07-06 11:00")
    cli("schedule", "cancel", str(appointments(cli)["Winter"]["id"]))
    res = sync(cli, calendar, "--no-pull")
    assert res.stdout == (f"Calendar {calendar} (user va)\n"
                          "Appointments pushed: 0 new, 1 updated, 1 cancelled, 1 unchanged.\n")
    after = on_server(calendar)
    assert set(after) == set(uid.values())  # updated in place: the same resources, nothing deleted
    assert (after[uid["Summer"]]["start"], after[uid["Summer"]]["sequence"], after[uid["Summer"]]["status"],
            after[uid["Summer"]]["href"]) == ("2027-07-06T09:00:00Z", 1, "CONFIRMED", server[uid["Summer"]]["href"])
    assert (after[uid["Winter"]]["start"], after[uid["Winter"]]["sequence"], after[uid["Winter"]]["status"]) == \
        ("2027-01-12T09:00:00Z", 1, "CANCELLED")
    assert after[uid["Call"]] == server[uid["Call"]]
    pushed = {r[2]: r for r in ledger_rows(cli)["caldav_pushed"]}
    assert {u: (r[4], r[5], r[6]) for u, r in pushed.items()} == {
        u: (s["etag"], s["sequence"], s["status"]) for u, s in after.items()}

    again = sync(cli, calendar)  # nothing new either way
    assert "Appointments pushed: 0 new, 0 updated, 0 cancelled, 3 unchanged." in again.stdout
    assert "0 added, 0 updated, 0 unchanged" in again.stdout
    assert on_server(calendar) == after


def test_a_recurring_series_is_one_resource_with_its_overrides(berlin, calendar):
    import recurring_ical_events
    from icalendar import Calendar

    cli = berlin
    # weekly at 10:00 Berlin across the change to summer time on 28 March 2027
    cli("schedule", "book", "Weekly", "--client", "Acme", "--at", "2027-03-22 10:00", "--repeat", "weekly",
        "--count", "3")
    sync(cli, calendar, "--no-pull")
    ids = sorted(a["id"] for a in appointments_list(cli))
    cli("schedule", "move", str(ids[1]), "--at", "2027-03-29 12:00")
    cli("schedule", "cancel", str(ids[2]))
    res = sync(cli, calendar, "--no-pull")
    assert "0 new, 1 updated, 0 cancelled, 0 unchanged" in res.stdout
    client = caldav.DAVClient(url=calendar)
    [obj] = caldav.Calendar(client=client, url=calendar).events()
    ical = Calendar.from_ical(obj.data)
    # the master (RRULE, SEQUENCE 0) and one override per changed occurrence, under the series' UID (RFC 4791 §4.1)
    assert [(str(e.get("RECURRENCE-ID").to_ical().decode()) if e.get("RECURRENCE-ID") else "master",
             str(e.get("RRULE").to_ical().decode()) if e.get("RRULE") else "", int(e["SEQUENCE"]))
            for e in ical.walk("VEVENT")] == [
        ("master", "FREQ=WEEKLY;COUNT=3", 0), ("20270329T100000", "", 1), ("20270405T100000", "", 1)]
    assert len({str(e["UID"]) for e in ical.walk("VEVENT")}) == 1
    instances = recurring_ical_events.of(ical).between((2027, 3, 1), (2027, 5, 1))
    # 10:00 CET = 09:00Z; moved to 12:00 CEST = 10:00Z; 10:00 CEST = 08:00Z, cancelled
    assert [(e.decoded("DTSTART").astimezone(timezone.utc).strftime("%d %H:%MZ"), str(e.get("STATUS")))
            for e in instances] == [("22 09:00Z", "CONFIRMED"), ("29 10:00Z", "CONFIRMED"), ("05 08:00Z", "CANCELLED")]


def test_events_made_on_the_server_come_back_as_busy_times_exactly(berlin, calendar):
    cli = berlin
    cli("schedule", "book", "Mine", "--client", "Acme", "--at", "2027-01-04 09:00", "--duration", "1h")
    put_event(calendar, "dentist.ics", """
        UID:dentist-1@example.com
        DTSTAMP:20261120T100000Z
        DTSTART;TZID=America/New_York:20270310T090000
        DTEND;TZID=America/New_York:20270310T100000
        SUMMARY:Dentist""")
    put_event(calendar, "gym.ics", """
        UID:gym@example.com
        DTSTAMP:20261120T100000Z
        DTSTART:20270104T170000Z
        DTEND:20270104T180000Z
        RRULE:FREQ=WEEKLY;COUNT=3
        EXDATE:20270111T170000Z
        SUMMARY:Gym""")
    put_event(calendar, "free.ics", """
        UID:free@example.com
        DTSTAMP:20261120T100000Z
        DTSTART:20270105T170000Z
        DTEND:20270105T180000Z
        TRANSP:TRANSPARENT
        SUMMARY:Maybe""")
    source = "caldav:" + calendar.split("://")[1].rstrip("/")
    res = sync(cli, calendar)
    assert res.stdout.splitlines()[1:] == [
        "Appointments pushed: 1 new, 0 updated, 0 cancelled, 0 unchanged.",
        f"Busy times pulled from {source}: 3 added, 0 updated, 0 unchanged, 1 free (TRANSP:TRANSPARENT), not "
        "stored (4 events on the server in 2026-11-01 – 2027-12-01, Europe/Berlin; 1 of them vakit's own, left out)."]

    def busy():
        data = json.loads(cli("schedule", "busy", "--all", "--cancelled", "--json").stdout)["data"]
        return [(b["source"], b["uid"], b["occurrence"], b["start"], b["end"], b["tz"], b["summary"], b["sequence"])
                for b in data]

    assert busy() == [
        # the weekly series: 4 and 18 January 17:00Z; the 11th is an EXDATE
        (source, "gym@example.com", "20270104T170000Z", "2027-01-04T17:00:00Z", "2027-01-04T18:00:00Z", "UTC",
         "Gym", 0),
        (source, "gym@example.com", "20270118T170000Z", "2027-01-18T17:00:00Z", "2027-01-18T18:00:00Z", "UTC",
         "Gym", 0),
        # 09:00 EST (UTC-5; US summer time starts on 14 March 2027) = 14:00Z
        (source, "dentist-1@example.com", "", "2027-03-10T14:00:00Z", "2027-03-10T15:00:00Z", "America/New_York",
         "Dentist", 0)]
    # a busy time blocks a booking like an appointment does (15:30 CET = 14:30Z, inside the dentist)
    clash = cli("schedule", "book", "Clash", "--client", "Acme", "--at", "2027-03-10 15:30", ok=False)
    assert clash.exit_code == 1 and "Dentist" in clash.stderr

    # moved on the server with a higher SEQUENCE; the series deleted there
    put_event(calendar, "dentist.ics", """
        UID:dentist-1@example.com
        DTSTAMP:20261121T100000Z
        SEQUENCE:1
        DTSTART;TZID=America/New_York:20270317T090000
        DTEND;TZID=America/New_York:20270317T100000
        SUMMARY:Dentist""")
    assert caldav.DAVClient(url=calendar).request(calendar + "gym.ics", "DELETE", "", {}).status in (200, 204)
    res = sync(cli, calendar)
    assert res.stdout.splitlines()[2] == (
        f"Busy times pulled from {source}: 0 added, 1 updated, 0 unchanged, 2 removed, 1 free (TRANSP:TRANSPARENT), "
        "not stored (3 events on the server in 2026-11-01 – 2027-12-01, Europe/Berlin; 1 of them vakit's own, "
        "left out).")
    # 09:00 EDT (UTC-4, from 14 March) = 13:00Z
    assert busy() == [(source, "dentist-1@example.com", "", "2027-03-17T13:00:00Z", "2027-03-17T14:00:00Z",
                       "America/New_York", "Dentist", 1)]
    again = sync(cli, calendar)
    assert "0 added, 0 updated, 1 unchanged" in again.stdout and "0 new, 0 updated, 0 cancelled, 1 unchanged" in \
        again.stdout


def test_a_change_made_on_the_server_is_reported_not_overwritten_until_asked(berlin, calendar):
    cli = berlin
    cli("schedule", "book", "Review", "--client", "Acme", "--at", "2027-02-02 14:00", "--duration", "1h")
    uid = appointments(cli)["Review"]["uid"]
    sync(cli, calendar, "--no-pull")
    href = on_server(calendar)[uid]["href"]
    # the VA adds a note in their calendar app: a new ETag on the server
    put_event(calendar, href.rsplit("/", 1)[1], f"""
        UID:{uid}
        DTSTAMP:20261201T100000Z
        DTSTART:20270202T130000Z
        DTEND:20270202T140000Z
        SUMMARY:Review (edited in the app)""")
    edited = on_server(calendar)
    before = ledger_rows(cli)
    cli("schedule", "move", str(appointments(cli)["Review"]["id"]), "--at", "2027-02-02 15:00")
    res = sync(cli, calendar, "--no-pull")
    assert res.exit_code == 0
    assert res.stderr == (f"vakit: warning: not pushed: {href} (UID {uid}, Tue 02 Feb 2027 15:00 CET (UTC+01:00)): it "
                          "was changed or deleted on the server since vakit pushed it; left as the server has it "
                          "(--overwrite replaces it with vakit's version)\n")
    assert "0 updated" in res.stdout and "1 not pushed (changed on the server)" in res.stdout
    assert on_server(calendar) == edited and ledger_rows(cli) == before

    res = sync(cli, calendar, "--no-pull", "--overwrite")
    assert res.stderr == ""
    assert res.stdout.splitlines()[1] == ("Appointments pushed: 0 new, 1 updated, 0 cancelled, 0 unchanged; 1 replaced "
                                          "what the server had (--overwrite).")
    now = on_server(calendar)[uid]
    assert (now["summary"], now["start"], now["sequence"]) == ("Review", "2027-02-02T14:00:00Z", 1)  # 15:00 CET
    assert [r[4] for r in ledger_rows(cli)["caldav_pushed"]] == [now["etag"]]

    # a ledger restored from before the first push: the resource is there, vakit has no record of it
    conn = sqlite3.connect(cli("db", "path").stdout.splitlines()[0])
    with conn:
        conn.execute("DELETE FROM caldav_pushed")
    conn.close()
    res = sync(cli, calendar, "--no-pull")
    assert res.stderr == (f"vakit: warning: not pushed: {href} (UID {uid}, Tue 02 Feb 2027 15:00 CET (UTC+01:00)): a "
                          "resource vakit did not push is already there; left as the server has it (--overwrite "
                          "replaces it with vakit's version)\n")
    assert on_server(calendar)[uid] == now and ledger_rows(cli)["caldav_pushed"] == []
    res = sync(cli, calendar, "--no-pull", "--overwrite")
    assert res.stdout.splitlines()[1] == ("Appointments pushed: 1 new, 0 updated, 0 cancelled, 0 unchanged; 1 replaced "
                                          "what the server had (--overwrite).")
    assert [r[4] for r in ledger_rows(cli)["caldav_pushed"]] == [on_server(calendar)[uid]["etag"]]


def test_a_server_error_in_the_middle_keeps_what_was_pushed_recorded(berlin, calendar):
    cli = berlin
    cli("schedule", "book", "First", "--client", "Acme", "--at", "2027-01-05 09:00")
    # about 3,000 bytes of Devanagari (3 bytes each): more than the server takes (413)
    cli("schedule", "book", "Big", "--client", "Acme", "--at", "2027-01-06 09:00", "--description", "क" * 1000)
    cli("schedule", "book", "Third", "--client", "Acme", "--at", "2027-01-07 09:00")
    res = sync(cli, calendar, ok=False)
    assert res.exit_code == 1 and res.stdout == ""
    host = calendar.split("://")[1].split("/")[0]
    big = appointments(cli)["Big"]["uid"]
    assert res.stderr == (f"vakit: CalDAV server {host}: storing {calendar}{big.replace('@', '%40')}.ics failed: "
                          "413 Request Entity Too Large; 1 of 3 changes were pushed before it and are recorded\n")
    first = appointments(cli)["First"]["uid"]
    assert set(on_server(calendar)) == {first}
    assert [r[2] for r in ledger_rows(cli)["caldav_pushed"]] == [first]
    assert ledger_rows(cli)["busy_times"] == []


def test_dry_run_sends_and_stores_nothing(berlin, calendar):
    cli = berlin
    cli("schedule", "book", "One", "--client", "Acme", "--at", "2027-01-05 09:00")
    cli("schedule", "book", "Two", "--client", "North", "--at", "2027-01-05 09:00")
    put_event(calendar, "x.ics", """
        UID:x@example.com
        DTSTAMP:20261120T100000Z
        DTSTART:20270108T170000Z
        DTEND:20270108T180000Z
        SUMMARY:Other""")
    res = sync(cli, calendar, "--dry-run", "--client", "North")
    assert res.stdout.splitlines()[1:] == [
        "Appointments would be pushed: 1 new, 0 updated, 0 cancelled, 0 unchanged.",
        f"Busy times would be pulled from caldav:{calendar.split('://')[1].rstrip('/')}: 1 added, 0 updated, "
        "0 unchanged (1 event on the server in 2026-11-01 – 2027-12-01, Europe/Berlin).",
        "Nothing was sent or stored (dry run)."]
    assert set(on_server(calendar)) == {"x@example.com"}
    assert ledger_rows(cli) == {"caldav_pushed": [], "busy_times": []}
    sync(cli, calendar, "--client", "North", "--no-pull")
    assert set(on_server(calendar)) == {"x@example.com", appointments(cli)["Two"]["uid"]}


class _Refuses(http.server.BaseHTTPRequestHandler):
    """Answers every request with 401 and a Basic challenge, as a server does to a wrong password."""

    def do_PROPFIND(self):  # noqa: N802 - the HTTP method's name
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="cal"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def refusing_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refuses)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cal/"
    server.shutdown()
    server.server_close()


def test_server_errors_are_one_line_and_change_nothing(berlin, calendar, radicale, refusing_server, monkeypatch):
    cli = berlin
    cli("schedule", "book", "One", "--client", "Acme", "--at", "2027-01-05 09:00")
    monkeypatch.setenv("VAKIT_CALDAV_PASSWORD", PASSWORD)
    before = ledger_rows(cli)
    port = _free_port()
    radicale_host = radicale.split("://")[1].rstrip("/")
    cases = [
        (f"http://127.0.0.1:{port}/va/work/",
         f"vakit: CalDAV server 127.0.0.1:{port}: reading the calendar failed: connection refused (is the server "
         "running, and is the port right?)\n"),
        (radicale.replace("http:", "https:") + "va/work/",
         # OpenSSL's reason for a plain-HTTP answer to a TLS hello (WRONG_VERSION_NUMBER here) varies by version
         f"vakit: CalDAV server {radicale_host}: reading the calendar failed: TLS failed ("),
        (radicale + "va/nope/",
         f"vakit: CalDAV server {radicale_host}: reading the calendar {radicale}va/nope/ failed: 404 Not Found (no "
         "such calendar or resource)\n"),
        (radicale + "va/",
         f"vakit: {radicale}va/ is a collection but not a calendar (RFC 4791 §4.2) (give the URL of one calendar, "
         "as your calendar app or server shows it)\n"),
        (refusing_server,
         f"vakit: CalDAV server {refusing_server.split('/')[2]}: reading the calendar failed: the server refused the "
         "login (check --user and VAKIT_CALDAV_PASSWORD)\n"),
        (f"http://va:{PASSWORD}@127.0.0.1:{port}/va/work/",
         "vakit: the URL holds a user name or password (give --user, and set VAKIT_CALDAV_PASSWORD or type the "
         "password when asked)\n"),
    ]
    for url, message in cases:
        res = sync(cli, url, ok=False)
        assert (res.exit_code, res.stdout) == (1, ""), url
        assert res.stderr == message or message.endswith("(") and res.stderr.startswith(message) and \
            res.stderr.count("\n") == 1 and res.stderr.endswith(")\n"), res.stderr
        assert PASSWORD not in res.stdout + res.stderr
    assert ledger_rows(cli) == before
    assert on_server(calendar) == {}
    res = cli("schedule", "sync", "--url", calendar, "--user", "va", "--no-push", "--no-pull", ok=False)
    assert res.stderr == "vakit: --no-push and --no-pull leave nothing to do\n"
    assert "--password" not in cli("schedule", "sync", "--help").stdout


class _Redirects(http.server.BaseHTTPRequestHandler):
    """Answers every request with ``301 → server.target`` (another calendar collection), except PROPFIND when
    ``server.calendar`` (then it is a calendar) and the first ``server.puts_ok`` PUTs (201 with an ETag). Every
    request is noted in ``server.seen`` as (method, path, If-None-Match, If-Match)."""

    def _answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        srv = self.server
        srv.seen.append((self.command, self.path, self.headers.get("If-None-Match"), self.headers.get("If-Match")))
        if self.command == "PROPFIND" and srv.calendar:
            body = (f'<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:" xmlns:C="'
                    f'urn:ietf:params:xml:ns:caldav"><D:response><D:href>{self.path}</D:href><D:propstat><D:prop>'
                    "<D:resourcetype><D:collection/><C:calendar/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK"
                    "</D:status></D:propstat></D:response></D:multistatus>").encode()
            self.send_response(207)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
        elif self.command == "PUT" and srv.puts_ok > 0:
            srv.puts_ok -= 1
            body = b""
            self.send_response(201)
            self.send_header("ETag", f'"put-{len(srv.seen)}"')
        else:
            body = b"<html><body>Moved</body></html>"
            self.send_response(301)
            self.send_header("Location", srv.target)
            self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PROPFIND = do_PUT = do_GET = do_REPORT = do_DELETE = _answer  # noqa: N815 - the HTTP methods' names

    def log_message(self, *args):
        pass


@pytest.fixture
def redirecting_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirects)
    server.seen, server.calendar, server.puts_ok, server.target = [], False, 0, ""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_redirect_is_reported_and_never_followed(berlin, calendar, redirecting_server):
    cli = berlin
    cli("schedule", "book", "One", "--client", "Acme", "--at", "2027-01-05 09:00")
    cli("schedule", "book", "Two", "--client", "Acme", "--at", "2027-01-06 09:00")
    uid = {t: a["uid"] for t, a in appointments(cli).items()}
    put_event(calendar, "other.ics", """
        UID:other@example.com
        DTSTAMP:20261120T100000Z
        DTSTART:20270108T170000Z
        DTEND:20270108T180000Z
        SUMMARY:Other""")
    target = on_server(calendar)
    srv = redirecting_server
    srv.target = calendar  # a calendar collection: PUT onto it would replace the whole calendar
    host = f"127.0.0.1:{srv.server_address[1]}"
    url = f"http://{host}/x/"
    for extra in ((), ("--overwrite",)):
        srv.seen.clear()
        res = sync(cli, url, *extra, ok=False)
        assert (res.exit_code, res.stdout) == (1, "")
        assert res.stderr == (f"vakit: CalDAV server {host}: reading the calendar {url} failed: 301 Moved Permanently: "
                              f"the server redirects it to {calendar}; vakit does not follow redirects (give that URL "
                              "if it is the calendar you mean)\n")
        assert srv.seen == [("PROPFIND", "/x/", None, None)]
    assert ledger_rows(cli) == {"caldav_pushed": [], "busy_times": []}

    # the URL reads as a calendar, but the second PUT is answered with the redirect
    srv.seen.clear()
    srv.calendar, srv.puts_ok = True, 1
    res = sync(cli, url, "--no-pull", "--overwrite", ok=False)
    one, two = (f"{u.replace('@', '%40')}.ics" for u in (uid["One"], uid["Two"]))
    assert (res.exit_code, res.stdout) == (1, "")
    assert res.stderr == (f"vakit: CalDAV server {host}: storing {url}{two} failed: 301 Moved Permanently: the server "
                          f"redirects it to {calendar}; vakit does not follow redirects; 1 of 2 changes were pushed "
                          "before it and are recorded\n")
    assert srv.seen == [("PROPFIND", "/x/", None, None), ("PUT", f"/x/{one}", "*", None),
                        ("PUT", f"/x/{two}", "*", None)]
    assert [(r[1], r[2], r[3], r[4]) for r in ledger_rows(cli)["caldav_pushed"]] == [
        (url, uid["One"], url + one, '"put-2"')]
    assert on_server(calendar) == target  # the calendar the server pointed at is untouched


def test_resources_deleted_on_the_server_are_reported_and_created_again_with_overwrite(berlin, calendar):
    cli = berlin
    for title, day in (("A", "05"), ("B", "06"), ("C", "07")):
        cli("schedule", "book", title, "--client", "Acme", "--at", f"2027-01-{day} 09:00", "--duration", "1h")
    uid = {t: a["uid"] for t, a in appointments(cli).items()}
    href = {t: f"{calendar}{u.replace('@', '%40')}.ics" for t, u in uid.items()}
    sync(cli, calendar, "--no-pull")
    first = on_server(calendar)
    client = caldav.DAVClient(url=calendar)
    # the VA deletes A and B on her phone; B is then moved in vakit
    for t in ("A", "B"):
        assert client.request(href[t], "DELETE", "", {}).status in (200, 204)
    cli("schedule", "move", str(appointments(cli)["B"]["id"]), "--at", "2027-01-06 11:00")
    before = ledger_rows(cli)
    res = sync(cli, calendar, "--no-pull")
    assert res.stdout.splitlines()[1] == ("Appointments pushed: 0 new, 0 updated, 0 cancelled, 1 unchanged, 2 not "
                                          "pushed (gone from the server).")
    assert res.stderr == "".join(
        f"vakit: warning: not pushed: {href[t]} (UID {uid[t]}, {when}): it was deleted on the server since vakit "
        "pushed it; left deleted (--overwrite creates it again; cancel the appointment in vakit if it is off)\n"
        for t, when in (("A", "Tue 05 Jan 2027 09:00 CET (UTC+01:00)"), ("B", "Wed 06 Jan 2027 11:00 CET (UTC+01:00)")))
    assert set(on_server(calendar)) == {uid["C"]} and ledger_rows(cli) == before

    res = sync(cli, calendar, "--no-pull", "--overwrite", "--dry-run")
    assert res.stdout.splitlines()[1] == ("Appointments would be pushed: 0 new, 0 updated, 0 cancelled, 1 unchanged, "
                                          "2 re-created (gone from the server).")
    assert set(on_server(calendar)) == {uid["C"]} and ledger_rows(cli) == before

    res = sync(cli, calendar, "--no-pull", "--overwrite")
    assert (res.stderr, res.stdout.splitlines()[1]) == (
        "", "Appointments pushed: 0 new, 0 updated, 0 cancelled, 1 unchanged, 2 re-created (gone from the server).")
    server = on_server(calendar)
    # 09:00 CET = 08:00Z; B moved to 11:00 CET = 10:00Z with SEQUENCE 1; under the names they had
    assert {t: (server[u]["start"], server[u]["sequence"], server[u]["href"]) for t, u in uid.items()} == {
        "A": ("2027-01-05T08:00:00Z", 0, href["A"]), "B": ("2027-01-06T10:00:00Z", 1, href["B"]),
        "C": ("2027-01-07T08:00:00Z", 0, href["C"])}
    assert server[uid["C"]] == first[uid["C"]]
    assert {r[2]: (r[3], r[4], r[5]) for r in ledger_rows(cli)["caldav_pushed"]} == {
        s: (v["href"], v["etag"], v["sequence"]) for s, v in server.items()}

    # the calendar deleted and made again, empty; C cancelled in vakit meanwhile: nothing to cancel there
    assert client.request(calendar, "DELETE", "", {}).status in (200, 204)
    assert client.request(calendar, "MKCALENDAR", "", {}).status == 201
    cli("schedule", "cancel", str(appointments(cli)["C"]["id"]))
    res = sync(cli, calendar, "--no-pull", "--overwrite")
    assert (res.stderr, res.stdout.splitlines()[1]) == (
        "", "Appointments pushed: 0 new, 0 updated, 0 cancelled, 0 unchanged, 2 re-created (gone from the server), "
        "1 cancelled and not on the server, left out.")
    server = on_server(calendar)
    assert {u: (v["start"], v["sequence"], v["status"]) for u, v in server.items()} == {
        uid["A"]: ("2027-01-05T08:00:00Z", 0, "CONFIRMED"), uid["B"]: ("2027-01-06T10:00:00Z", 1, "CONFIRMED")}
    assert {r[2]: r[4] for r in ledger_rows(cli)["caldav_pushed"]} == {u: v["etag"] for u, v in server.items()}
    res = sync(cli, calendar, "--no-pull")
    assert (res.stderr, res.stdout.splitlines()[1]) == (
        "", "Appointments pushed: 0 new, 0 updated, 0 cancelled, 2 unchanged, 1 cancelled and not on the server, "
        "left out.")
