"""`vakit schedule import` (issue 8): calendar files become busy times (or a client's appointments), on the
nineteen tricky files of shared/data/ics and on field cases C-26 and C-28. Every expected instant below is
worked out by hand from the file (the comment beside it says how), not taken from vakit's own output."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

SHARED_ICS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ics"
#: the files as their projects wrote them: ../shared/data/ics beside the repository, else the byte-identical
#: copy in tests/data/ics that travels with it (checked against the original below whenever both are there)
ICS = SHARED_ICS if SHARED_ICS.is_dir() else Path(__file__).resolve().parent / "data" / "ics"
NOW = "2025-03-01T09:00:00+01:00"
#: a window that holds every file's dates (2013–2024)
WIDE = ("--from", "2010-01-01", "--to", "2026-12-31")


@pytest.mark.skipif(not SHARED_ICS.is_dir(), reason="../shared/data/ics is not beside the repository")
def test_the_copy_in_tests_data_is_the_shared_files_byte_for_byte():
    copy = Path(__file__).resolve().parent / "data" / "ics"
    originals = sorted(p.relative_to(SHARED_ICS) for p in SHARED_ICS.rglob("*") if p.is_file())
    assert len(originals) == 20  # 19 calendars and the README with their sources and licences
    assert originals == sorted(p.relative_to(copy) for p in copy.rglob("*") if p.is_file())
    for rel in originals:
        assert (copy / rel).read_bytes() == (SHARED_ICS / rel).read_bytes(), rel


@pytest.fixture
def db(tmp_path, cli) -> str:
    """A ledger whose VA lives in Berlin, with client Acme (Berlin too); now is Sat 1 Mar 2025."""
    path = str(tmp_path / "l.sqlite3")
    cli.now = NOW
    cli("--db", path, "init", "--name", "VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "en_GB")
    cli("--db", path, "client", "add", "Acme", "--tz", "Europe/Berlin", "--currency", "EUR")
    return path


def z(text: str) -> int:
    """``2014-06-30T05:00`` (UTC) → epoch seconds."""
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def busy(db: str) -> list[tuple]:
    """(uid, occurrence, start, end, tz, all_day, summary, status, sequence) of every busy time, by start."""
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT uid, occurrence, start_utc, end_utc, tz, all_day, summary, status, sequence"
                        " FROM busy_times ORDER BY start_utc, uid, occurrence").fetchall()
    conn.close()
    return [(u, o, iso(s), iso(e), tz, a, su, st, q) for u, o, s, e, tz, a, su, st, q in rows]


def appointments(db: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT uid, start_utc, end_utc, tz, title, status, sequence FROM appointments"
                        " ORDER BY start_utc, uid").fetchall()
    conn.close()
    return [(u, iso(s), iso(e), tz, t, st, q) for u, s, e, tz, t, st, q in rows]


def run(cli, db: str, file, *args: str, ok: bool = True):
    path = file if isinstance(file, Path) else ICS / file
    return cli("--db", db, "schedule", "import", str(path), *args, ok=ok)


def warnings(res) -> list[str]:
    lines = res.stderr.splitlines()
    assert all(line.startswith(("vakit: warning: ", "vakit: note: ", "vakit: ")) for line in lines), lines
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    return [line for line in lines if line.startswith("vakit: warning: ")]


def write(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


# --- field cases ---------------------------------------------------------------------------------------------


def _invite(tmp_path: Path, tzid: str, uid: str = "040000008200E00074C5B7101A82E008-c28") -> Path:
    return write(tmp_path, "invite.ics", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Microsoft Corporation//Outlook",
                 "METHOD:REQUEST", "BEGIN:VEVENT", f"UID:{uid}", "SEQUENCE:0",
                 "SUMMARY:Quarterly planning", f"DTSTART;TZID={tzid}:20250708T140000",
                 f"DTEND;TZID={tzid}:20250708T150000", "DTSTAMP:20250701T080000Z", "END:VEVENT", "END:VCALENDAR")


def test_c28_windows_zone_names_without_vtimezone_map_to_iana(tmp_path, cli, db):
    res = run(cli, db, _invite(tmp_path, "W. Europe Standard Time"), "--client", "Acme")
    assert warnings(res) == []
    # W. Europe Standard Time is Europe/Berlin (CLDR); 14:00 CEST (UTC+2) = 12:00Z, not 14:00Z
    assert appointments(db) == [("040000008200E00074C5B7101A82E008-c28", "2025-07-08T12:00:00",
                                 "2025-07-08T13:00:00", "Europe/Berlin", "Quarterly planning", "CONFIRMED", 0)]
    out = cli("--db", db, "schedule", "list", "--date", "2025-07-08", "--tz", "Europe/Berlin").stdout
    assert "Tue 08 Jul 2025 14:00 – 15:00 CEST (UTC+02:00)" in out and "16:00" not in out

    other = str(tmp_path / "paris.sqlite3")
    cli("--db", other, "init", "--name", "VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB")
    cli("--db", other, "client", "add", "Acme", "--tz", "Europe/London")
    run(cli, other, _invite(tmp_path, "Romance Standard Time"), "--client", "Acme")
    assert appointments(other)[0][1:4] == ("2025-07-08T12:00:00", "2025-07-08T13:00:00", "Europe/Paris")
    out = cli("--db", other, "schedule", "list", "--date", "2025-07-08", "--tz", "Europe/Berlin").stdout
    assert "14:00 – 15:00 CEST (UTC+02:00)" in out  # the third clock; London shows 13:00 – 14:00 BST
    assert "13:00 – 14:00 BST (UTC+01:00)" in out

    # an unknown zone name: a warning naming it, and its times read in the VA's zone (London), never as UTC
    res = run(cli, other, _invite(tmp_path, "Mars Standard Time"), "--client", "Acme", "--dry-run")
    assert any("unknown time zone 'Mars Standard Time'" in w and "Europe/London" in w and "not UTC" in w
               for w in warnings(res)), res.stderr
    res = run(cli, other, _invite(tmp_path, "Mars Standard Time"))
    # its UID is Acme's appointment in this ledger (imported above): never also a busy time that clashes with it
    assert "; 1 event is vakit's own appointment: left out." in res.stdout and busy(other) == []
    res = run(cli, other, _invite(tmp_path, "Mars Standard Time", "mars-c28"))
    assert busy(other)[0][2:5] == ("2025-07-08T13:00:00", "2025-07-08T14:00:00", "Europe/London")


def test_c26_an_all_day_block_blocks_its_dates_and_not_the_day_after(tmp_path, cli, db):
    path = write(tmp_path, "offsite.ics", "BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:offsite-c26",
                 "SUMMARY:Client offsite", "DTSTART;VALUE=DATE:20250310", "DTEND;VALUE=DATE:20250313", "END:VEVENT",
                 "END:VCALENDAR")
    res = run(cli, db, path)
    assert warnings(res) == [] and "1 added" in res.stdout
    # 10, 11 and 12 March in the VA's zone (Berlin, UTC+1): 9 Mar 23:00Z to 12 Mar 23:00Z, DTEND exclusive
    assert busy(db) == [("offsite-c26", "", "2025-03-09T23:00:00", "2025-03-12T23:00:00", "Europe/Berlin", 1,
                         "Client offsite", "CONFIRMED", 0)]
    listed = cli("--db", db, "schedule", "busy", "--month", "2025-03").stdout
    assert "Mon 10 Mar – Wed 12 Mar 2025 (all day, Europe/Berlin)" in listed
    ok = cli("--db", db, "schedule", "book", "Call", "--client", "Acme", "--date", "2025-03-13", "--at", "09:00",
             "--duration", "60m")
    assert "Booked #1" in ok.stdout
    clash = cli("--db", db, "schedule", "book", "Call", "--client", "Acme", "--date", "2025-03-12", "--at", "09:00",
                "--duration", "60m", ok=False)
    assert clash.exit_code == 1
    assert clash.stderr.startswith("vakit: clashes with 'Client offsite' for busy time from offsite.ics Mon 10 "
                                   "Mar 2025 00:00 CET (UTC+01:00) – Thu 13 Mar 2025 00:00 CET (UTC+01:00) (60 min "
                                   "overlap)")
    forced = cli("--db", db, "schedule", "book", "Call", "--client", "Acme", "--date", "2025-03-12", "--at", "09:00",
                 "--duration", "60m", "--allow-conflict")
    assert "Booked #2" in forced.stdout


# --- the nineteen shared files -------------------------------------------------------------------------------


def test_file_01_exchange_pacific_standard_time_quoted_tzid(cli, db):
    res = run(cli, db, "01_exchange_pacific_standard_time_quoted_tzid.ics", *WIDE)
    assert res.stderr == ""
    # 24 Feb 2017 12:00 PST (UTC-8; DST starts 12 Mar) = 20:00Z; the VTIMEZONE agrees with America/Los_Angeles
    assert busy(db) == [("040000008200E00074C5B7101A82E0080000000090E19664858ED20100000000000000", "",
                         "2017-02-24T20:00:00", "2017-02-24T20:30:00", "America/Los_Angeles", 0, "Test 4",
                         "CONFIRMED", 0)]


def test_file_02_exchange_eastern_standard_time_unquoted(cli, db):
    res = run(cli, db, "02_exchange_eastern_standard_time_unquoted.ics", *WIDE)
    assert res.stderr == ""
    # 28 Oct 2024 17:00 EDT (UTC-4 until 3 Nov) = 21:00Z
    assert busy(db) == [("minimal-demo-event-est-20241028@example.com", "", "2024-10-28T21:00:00",
                         "2024-10-28T22:00:00", "America/New_York", 0, "Anonymous Test Event for TZID", "CONFIRMED",
                         0)]


def test_file_03_outlook_display_name_vtimezone_only(cli, db):
    res = run(cli, db, "03_outlook_display_name_tzid_nonascii_vtimezone.ics", *WIDE, "--report")
    assert res.stderr == "" and busy(db) == []
    assert "Events: 0 VEVENTs in 0 series; 0 skipped" in res.stdout
    # the display name's city is CLDR's metazone "Brasilia"; of its zones, Sao Paulo's rules match the file's
    assert ("(UTC-03:00) Brasília: Outlook display name, UTC-03:00, CLDR metazone 'Brasília' → America/Sao_Paulo; "
            "the file's VTIMEZONE gives the times (not used by any event)") in res.stdout


def test_file_04_windows_name_whose_vtimezone_disagrees(cli, db):
    res = run(cli, db, "04_windows_tzname_inconsistent_vtimezone.ics", *WIDE)
    (warning,) = warnings(res)
    assert "'New Zealand Standard Time' disagrees with Pacific/Auckland" in warning
    assert "13:00 at UTC+01:00, Pacific/Auckland at UTC+13:00" in warning
    # the file's rules: STANDARD +0100 from 27 Oct 2019, so 20 Nov 2019 13:00 = 12:00Z (New Zealand: 00:00Z)
    assert busy(db) == [("PERSOYPOYGVR55JMICVAFVDWWBIKPC9PTAG6SN4B2YT", "", "2019-11-20T12:00:00",
                         "2019-11-20T13:30:00", "Europe/Berlin", 0, "Event with Windows TZ name", "CONFIRMED", 0)]


@pytest.mark.parametrize("name", ["05_custom_vtimezone_fiji_rdate_rrule.ics",
                                  "07_vtimezone_after_event_forward_ref.ics"])
def test_files_05_and_07_two_dtstarts_are_reported_not_guessed(cli, db, name):
    res = run(cli, db, name, *WIDE, "--report", ok=False)
    assert res.exit_code == 1 and busy(db) == []
    assert warnings(res) == [f"vakit: warning: {name} line {46 if name.startswith('05') else 2} (UID noend123): "
                             "2 DTSTART values where RFC 5545 allows one; skipped"]
    assert res.stderr.splitlines()[-1] == (f"vakit: {name}: no event could be read (1 event skipped, listed above); "
                                           "nothing was changed")
    # the custom zones are still read and reported
    assert ("custom_Pacific/Fiji: X-LIC-LOCATION Pacific/Fiji: IANA name → Pacific/Fiji" in res.stdout
            or "custom_America/New_York_Forward_reference: no IANA zone of that name; the file's VTIMEZONE gives "
               "the times" in res.stdout)


def test_file_06_custom_zone_with_a_repeated_hour(cli, db):
    res = run(cli, db, "06_custom_tz_transition_ambiguity.ics", *WIDE, "--report")
    assert res.stderr == ""
    assert "Without a duration (DTSTART only): 4; kept, they block nothing" in res.stdout
    # MyTimezone: +12 from 1 Jan 2024, +10 from 5 May 2024 08:00 (clocks back to 06:00)
    assert [(r[0], r[2], r[3]) for r in busy(db)] == [
        ("0", "2024-03-02T20:00:00", "2024-03-02T20:00:00"),    # 3 Mar 08:00 +12
        ("3", "2024-05-04T19:00:01", "2024-05-04T19:00:01"),    # 07:00:01 happens twice: the first (+12, RFC 5545)
        ("2", "2024-05-04T22:00:01", "2024-05-04T22:00:01"),    # 08:00:01 only after the change (+10)
        ("1", "2024-08-02T22:00:00", "2024-08-02T22:00:00")]    # 3 Aug 08:00 +10


def test_file_08_olson_names_without_vtimezone_legacy_names_and_events_without_dtstart(cli, db):
    res = run(cli, db, "08_missing_vtimezones_olson_names.ics", *WIDE, "--report")
    got = warnings(res)
    assert got[0].startswith("vakit: warning: 08_missing_vtimezones_olson_names.ics line 3: has no UID; identified "
                             "by its content as vakit-no-uid-")
    assert got[1:] == ["vakit: warning: 08_missing_vtimezones_olson_names.ics line 9: no DTSTART; skipped",
                       "vakit: warning: 08_missing_vtimezones_olson_names.ics line 15: no DTSTART; skipped"]
    assert "Mexico/General: IANA name, an alias of America/Mexico_City → America/Mexico_City" in res.stdout
    assert "not events, ignored: 1 VTODO" in res.stdout
    rows = busy(db)
    # 29 Aug 2014 08:00 EDT (12:00Z) to 08:00 PDT (15:00Z); the RDATE period 13 Sep 2024 12:00 CEST for 2 h
    assert [r[1:6] for r in rows] == [("20140829T120000Z", "2014-08-29T12:00:00", "2014-08-29T15:00:00",
                                       "America/New_York", 0),
                                      ("20240913T100000Z", "2024-09-13T10:00:00", "2024-09-13T12:00:00",
                                       "Europe/Berlin", 0)]


def test_file_09_utc_plus_11_tzid_with_a_date_dtstart_in_its_vtimezone(cli, db):
    res = run(cli, db, "09_bad_tzid_utc_plus_11.ics", *WIDE)
    assert res.stderr == ""
    # 28 Feb 2017 23:00 at +11:00 = 12:00Z; "UTC+11" is Etc/GMT-11; STATUS:Confirmed read as CONFIRMED
    assert busy(db) == [("1961094_636238800000000000", "", "2017-02-28T12:00:00", "2017-02-28T12:30:00",
                         "Etc/GMT-11", 0, "TESTIN", "CONFIRMED", 0)]


def test_file_10_floating_time_is_read_in_the_home_zone_or_tz_with_a_warning(cli, db, tmp_path):
    res = run(cli, db, "10_floating_time_bare_vevent.ics", *WIDE)
    assert warnings(res) == ["vakit: warning: 10_floating_time_bare_vevent.ics: 1 event has floating times (no TZID, "
                             "no Z): read in Europe/Berlin (your home zone); give --tz ZONE if they mean another zone"]
    # 9 Apr 2014 09:30 CEST (UTC+2) = 07:30Z
    assert busy(db) == [("floating1234567890", "", "2014-04-09T07:30:00", "2014-04-09T08:30:00", "Europe/Berlin", 0,
                         "An Event", "CONFIRMED", 0)]
    res = run(cli, db, "10_floating_time_bare_vevent.ics", *WIDE, "--tz", "America/New_York")
    assert "read in America/New_York (--tz)" in res.stderr and "1 updated" in res.stdout
    # 09:30 EDT (UTC-4) = 13:30Z, the same event updated in place
    assert busy(db)[0][2:5] == ("2014-04-09T13:30:00", "2014-04-09T14:30:00", "America/New_York")


def test_file_11_all_day_block_with_exclusive_dtend(cli, db):
    res = run(cli, db, "11_allday_multiday_exclusive_dtend.ics", *WIDE)
    assert res.stderr == ""
    # 9, 10 and 11 April 2014 in Berlin (CEST): 8 Apr 22:00Z to 11 Apr 22:00Z
    assert busy(db) == [("V042MJ8B3SJNFXQOJL6P53OFMHJE8Z3VZWOU", "", "2014-04-08T22:00:00", "2014-04-11T22:00:00",
                         "Europe/Berlin", 1, "Another Event", "CONFIRMED", 0)]


def test_file_12_all_day_daily_rule(cli, db):
    res = run(cli, db, "12_allday_daily_rrule.ics", *WIDE)
    assert res.stderr == "" and "10 added" in res.stdout
    rows = busy(db)
    assert [r[1] for r in rows] == [f"201404{d:02d}" for d in range(9, 19)]  # COUNT=10 from 9 April
    assert all(z(r[3]) - z(r[2]) == 86400 and r[5] == 1 for r in rows)
    assert (rows[0][2], rows[-1][3]) == ("2014-04-08T22:00:00", "2014-04-18T22:00:00")


def test_file_13_moved_and_cancelled_instances_with_utc_recurrence_ids(cli, db):
    res = run(cli, db, "13_rrule_recurrence_id_utc_override_cancelled.ics", *WIDE)
    assert res.stderr == "" and "5 added, 0 updated, 0 unchanged, 1 cancelled" in res.stdout
    # Mondays 07:00–12:00 CEST (05:00Z) from 30 Jun until 6 Aug 06:00Z; 7 Jul moved to 09:00; 14 Jul cancelled
    assert [(r[1], r[2], r[3], r[7]) for r in busy(db)] == [
        ("20140630T050000Z", "2014-06-30T05:00:00", "2014-06-30T10:00:00", "CONFIRMED"),
        ("20140707T050000Z", "2014-07-07T07:00:00", "2014-07-07T12:00:00", "CONFIRMED"),
        ("20140714T050000Z", "2014-07-14T05:00:00", "2014-07-14T10:00:00", "CANCELLED"),
        ("20140721T050000Z", "2014-07-21T05:00:00", "2014-07-21T10:00:00", "CONFIRMED"),
        ("20140728T050000Z", "2014-07-28T05:00:00", "2014-07-28T10:00:00", "CONFIRMED"),
        ("20140804T050000Z", "2014-08-04T05:00:00", "2014-08-04T10:00:00", "CONFIRMED")]
    # the cancelled Monday blocks nothing: a booking in it goes through, one on the next Monday clashes
    cli("--db", db, "schedule", "book", "Call", "--client", "Acme", "--date", "2014-07-14", "--at", "08:00",
        "--allow-past")
    res = cli("--db", db, "schedule", "book", "Call", "--client", "Acme", "--date", "2014-07-21", "--at", "08:00",
              "--allow-past", ok=False)
    assert res.exit_code == 1 and "clashes with 'Arbeit' for busy time from 13_rrule" in res.stderr
    # importing it again adds nothing
    again = run(cli, db, "13_rrule_recurrence_id_utc_override_cancelled.ics", *WIDE)
    assert "0 added, 0 updated, 6 unchanged." in again.stdout and len(busy(db)) == 6


def test_file_14_exdate_in_utc_against_a_zoned_dtstart_and_duration(cli, db):
    res = run(cli, db, "14_tzid_dtstart_exdate_in_utc_duration.ics", *WIDE)
    assert res.stderr == ""
    # Mondays 07:30 CEST (05:30Z) for 4:31 until 25 Jul 05:30Z; EXDATE 21 Jul 05:30Z removes the 4th
    assert [(r[2], r[3]) for r in busy(db)] == [("2014-06-30T05:30:00", "2014-06-30T10:01:00"),
                                               ("2014-07-07T05:30:00", "2014-07-07T10:01:00"),
                                               ("2014-07-14T05:30:00", "2014-07-14T10:01:00")]


def test_file_15_google_series_with_two_exdate_lines(cli, db):
    res = run(cli, db, "15_google_rrule_multiple_exdate_lines_tzid.ics", *WIDE)
    assert res.stderr == ""
    days = ["09-07", "09-13", "09-14", "09-20", "09-21", "09-27", "09-28", "10-04", "10-05", "10-18", "10-19"]
    # Fri/Sat 12:00–17:00 EDT (16:00Z) from Sat 7 Sep until 25 Oct 03:59:59Z, without 11 and 12 Oct
    assert [(r[2], r[3]) for r in busy(db)] == [(f"2013-{d}T16:00:00", f"2013-{d}T21:00:00") for d in days]
    conn = sqlite3.connect(db)
    (description,) = conn.execute("SELECT DISTINCT description FROM busy_times").fetchone()
    assert description == ("The Fieldhouse and Hard Rock Cafe are working with PhillyRising to provide live "
                           "entertainment on Friday and Saturday afternoons throughout the Summer.")


def test_file_16_changed_instances_without_their_series(cli, db):
    res = run(cli, db, "16_recurrence_ids_without_master_floating.ics", *WIDE)
    assert len(warnings(res)) == 3
    assert "2 changed instances (RECURRENCE-ID) without their series; each is imported as it is" in res.stderr
    assert "carries its own RRULE" in res.stderr and "floating times" in res.stderr
    # floating, read in Berlin (CEST): 30 Jun 07:30 for 4:30, and 7 Jul 08:30–12:00
    assert [(r[1], r[2], r[3]) for r in busy(db)] == [
        ("20140714T053000", "2014-06-30T05:30:00", "2014-06-30T10:00:00"),
        ("20140707T053000", "2014-07-07T06:30:00", "2014-07-07T10:00:00")]


def test_file_17_tzid_with_z_and_mixed_floating_values(cli, db):
    res = run(cli, db, "17_malformed_tzid_with_z_suffix.ics", *WIDE)
    got = warnings(res)
    assert ("vakit: warning: 17_malformed_tzid_with_z_suffix.ics line 9 (UID http://wiki.hamburg.ccc.de/Termin:"
            "Junghackertag): DTEND has both a TZID and a Z (UTC) suffix, which RFC 5545 forbids; read as wall time in "
            "its TZID") in got
    assert any("line 17 (UID S9HZETRQne): DTSTART has both a TZID and a Z" in w for w in got)
    assert any("2 events have floating times" in w for w in got)
    # 12:00 floating (Berlin) – 16:00 Berlin: 10:00Z–14:00Z, both events; SEQUENCE 10172 kept
    assert [(r[2], r[3], r[8]) for r in busy(db)] == [("2015-05-30T10:00:00", "2015-05-30T14:00:00", 10172),
                                                      ("2015-06-02T10:00:00", "2015-06-02T14:00:00", 10172)]


def test_file_18_impossible_offset_does_not_fail_the_file(cli, db):
    res = run(cli, db, "18_invalid_tzoffset_vtimezone.ics", *WIDE)
    (warning,) = warnings(res)  # the reason in the middle is icalendar's own words
    assert warning.startswith("vakit: warning: 18_invalid_tzoffset_vtimezone.ics line 3: VTIMEZONE 'Europe/Berlin' "
                              "cannot be used (")
    assert "+5328" in warning and warning.endswith("): read as Europe/Berlin from the zone database instead")
    # 2 Dec 2012 08:00 CET (UTC+1) = 07:00Z
    assert busy(db) == [("1234567890DC8-468D-B140-D2B41B1013E9", "", "2012-12-02T07:00:00", "2012-12-02T08:30:00",
                         "Europe/Berlin", 0, "Some event", "CONFIRMED", 0)]


def test_file_19_broken_dtstart_is_reported_and_nothing_changes(cli, db):
    res = run(cli, db, "19_broken_dtstart_value.ics", *WIDE, ok=False)
    assert res.exit_code == 1 and res.stdout == "" and busy(db) == []
    warning, error = res.stderr.splitlines()
    assert warning.startswith("vakit: warning: 19_broken_dtstart_value.ics line 4 (UID test-123): DTSTART cannot be "
                              "read (") and "INVALID-DATE" in warning and warning.endswith("); skipped")
    assert error == ("vakit: 19_broken_dtstart_value.ics: no event could be read (1 event skipped, listed above); "
                     "nothing was changed")


def test_every_shared_file_imports_without_a_traceback_and_the_second_time_adds_nothing(cli, db):
    files = sorted(p.name for p in ICS.glob("*.ics"))
    assert len(files) == 19
    for name in files:
        first = run(cli, db, name, *WIDE, ok=False)
        warnings(first)
        assert first.exit_code in (0, 1), name
    stored = busy(db)
    for name in files:
        again = run(cli, db, name, *WIDE, ok=False)
        assert " 0 added, 0 updated, " in again.stdout or again.exit_code == 1, (name, again.stdout)
    assert busy(db) == stored


# --- re-import, SEQUENCE, cancellation ----------------------------------------------------------------------


def _event(tmp_path: Path, seq: int, start: str, end: str, *extra: str, name: str = "work.ics") -> Path:
    return write(tmp_path, name, "BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:dentist-1",
                 f"SEQUENCE:{seq}", "SUMMARY:Dentist", f"DTSTART;TZID=Europe/Berlin:{start}",
                 f"DTEND;TZID=Europe/Berlin:{end}", *extra, "END:VEVENT", "END:VCALENDAR")


def test_a_higher_sequence_replaces_a_lower_one_never_the_reverse_and_cancelled_unblocks(tmp_path, cli, db):
    run(cli, db, _event(tmp_path, 0, "20250305T100000", "20250305T110000"))
    assert busy(db)[0][2:4] == ("2025-03-05T09:00:00", "2025-03-05T10:00:00")
    res = run(cli, db, _event(tmp_path, 1, "20250305T140000", "20250305T150000"))
    assert "0 added, 1 updated, 0 unchanged." in res.stdout
    assert busy(db) == [("dentist-1", "", "2025-03-05T13:00:00", "2025-03-05T14:00:00", "Europe/Berlin", 0, "Dentist",
                         "CONFIRMED", 1)]
    res = run(cli, db, _event(tmp_path, 0, "20250305T100000", "20250305T110000"))
    assert "1 older SEQUENCE ignored" in res.stdout and busy(db)[0][2] == "2025-03-05T13:00:00"
    book = ("--db", db, "schedule", "book", "Call", "--client", "Acme", "--date", "2025-03-05", "--at", "14:30")
    assert cli(*book, ok=False).exit_code == 1
    res = run(cli, db, _event(tmp_path, 2, "20250305T140000", "20250305T150000", "STATUS:CANCELLED"))
    assert "1 updated, 0 unchanged, 1 cancelled" in res.stdout and busy(db)[0][7:] == ("CANCELLED", 2)
    assert "Booked #1" in cli(*book).stdout
    assert "Dentist" not in cli("--db", db, "schedule", "busy", "--month", "2025-03").stdout
    assert "cancelled" in cli("--db", db, "schedule", "busy", "--month", "2025-03", "--cancelled").stdout


def test_occurrences_a_series_no_longer_has_are_removed_within_the_window(tmp_path, cli, db):
    rule = "RRULE:FREQ=DAILY;COUNT=5"
    run(cli, db, _event(tmp_path, 0, "20250303T090000", "20250303T093000", rule))
    assert len(busy(db)) == 5
    res = run(cli, db, _event(tmp_path, 1, "20250303T090000", "20250303T093000", rule,
                              "EXDATE;TZID=Europe/Berlin:20250305T090000"))
    assert "0 added, 4 updated, 0 unchanged, 1 removed (no longer in the series)" in res.stdout
    assert [r[1] for r in busy(db)] == ["20250303T080000Z", "20250304T080000Z", "20250306T080000Z",
                                        "20250307T080000Z"]


def test_as_appointments_keeps_uid_sequence_zone_and_text(tmp_path, cli, db):
    path = write(tmp_path, "client.ics", "BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:kickoff@example.com",
                 "SEQUENCE:3", "SUMMARY:Kick-off – Zoë & Łukasz", "LOCATION:Café Ærø, Köln",
                 "DESCRIPTION:Agenda:\\n1. Ünïcödé ✓\\n2. 日本語\\, commas",
                 "DTSTART;TZID=America/New_York:20250310T100000", "DTEND;TZID=America/New_York:20250310T110000",
                 "END:VEVENT", "END:VCALENDAR")
    run(cli, db, path, "--client", "Acme")
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT uid, title, location, description, start_utc, end_utc, tz, sequence, status"
                       " FROM appointments").fetchall()
    # 10 Mar 2025 10:00 EDT (DST began 9 Mar) = 14:00Z
    assert row == [("kickoff@example.com", "Kick-off – Zoë & Łukasz", "Café Ærø, Köln",
                    "Agenda:\n1. Ünïcödé ✓\n2. 日本語, commas", z("2025-03-10T14:00"), z("2025-03-10T15:00"),
                    "America/New_York", 3, "CONFIRMED")]
    assert busy(db) == []
    again = run(cli, db, path, "--client", "Acme", "--as-appointments")
    assert "appointments with Acme" in again.stdout and "0 added, 0 updated, 1 unchanged" in again.stdout


def test_a_recurring_event_becomes_single_appointments_in_the_window(cli, db):
    res = run(cli, db, "13_rrule_recurrence_id_utc_override_cancelled.ics", "--client", "Acme", *WIDE)
    assert "5 added" in res.stdout and "1 not stored" in res.stdout  # the cancelled Monday is not created
    rows = appointments(db)
    assert [r[0] for r in rows] == [f"event_rrule_recurrence_id#2014{d}T050000Z" for d in
                                    ("0630", "0707", "0721", "0728", "0804")]
    assert rows[1][1:4] == ("2014-07-07T07:00:00", "2014-07-07T12:00:00", "Europe/Berlin")


def test_google_x_wr_timezone_gives_floating_times_and_utc_series_their_wall_clock(tmp_path, cli, db):
    path = write(tmp_path, "google.ics", "BEGIN:VCALENDAR", "VERSION:2.0", "X-WR-TIMEZONE:America/New_York",
                 "BEGIN:VEVENT", "UID:weekly@google.com", "SUMMARY:Weekly", "DTSTART:20250303T150000Z",
                 "DTEND:20250303T153000Z", "RRULE:FREQ=WEEKLY;COUNT=3", "END:VEVENT",
                 "BEGIN:VEVENT", "UID:floating@google.com", "SUMMARY:Lunch", "DTSTART:20250304T120000",
                 "DTEND:20250304T130000", "END:VEVENT", "END:VCALENDAR")
    res = run(cli, db, path)
    assert warnings(res) == []
    # 10:00 EST on 3 Mar (15:00Z), then 10:00 EDT after 9 Mar (14:00Z); lunch 12:00 EST = 17:00Z
    assert [(r[0], r[2]) for r in busy(db)] == [("weekly@google.com", "2025-03-03T15:00:00"),
                                                ("floating@google.com", "2025-03-04T17:00:00"),
                                                ("weekly@google.com", "2025-03-10T14:00:00"),
                                                ("weekly@google.com", "2025-03-17T14:00:00")]


def test_an_endless_rule_is_expanded_in_the_window_and_a_runaway_one_refused(tmp_path, cli, db):
    path = write(tmp_path, "rules.ics", "BEGIN:VCALENDAR", "VERSION:2.0",
                 "BEGIN:VEVENT", "UID:standup", "SUMMARY:Standup", "DTSTART;TZID=Europe/Berlin:20240101T093000",
                 "DURATION:PT15M", "RRULE:FREQ=WEEKLY;BYDAY=MO", "END:VEVENT",
                 "BEGIN:VEVENT", "UID:every-second", "DTSTART:19900101T000000Z", "DTEND:19900101T000001Z",
                 "RRULE:FREQ=SECONDLY", "END:VEVENT", "END:VCALENDAR")
    res = run(cli, db, path, "--from", "2025-03-01", "--to", "2025-03-31")
    # Mondays in March 2025: 3, 10, 17, 24, 31
    assert [r[2] for r in busy(db)] == ["2025-03-03T08:30:00", "2025-03-10T08:30:00", "2025-03-17T08:30:00",
                                        "2025-03-24T08:30:00", "2025-03-31T07:30:00"]
    assert ("vakit: note: rules.ics line 3 (UID standup): repeats without end (RRULE without UNTIL or COUNT): "
            "5 occurrences in the window kept") in res.stderr
    assert "(UID every-second): its RRULE (FREQ=SECONDLY, from 1990-01-01) makes about" in res.stderr


def test_dry_run_prints_the_report_and_stores_nothing(cli, db):
    res = run(cli, db, "04_windows_tzname_inconsistent_vtimezone.ics", *WIDE, "--dry-run")
    assert busy(db) == []
    lines = res.stdout.splitlines()
    assert lines[:4] == ["Calendar file: 04_windows_tzname_inconsistent_vtimezone.ics",
                         "Window: Fri 01 Jan 2010 – Thu 31 Dec 2026 (Europe/Berlin; --from/--to to change)",
                         "Events: 1 VEVENT in 1 series; 0 skipped",
                         "Occurrences in the window: 1"]
    assert lines[4] == "Zones:"
    assert lines[5].startswith("  New Zealand Standard Time: Windows name (CLDR windowsZones, from icalendar) → "
                               "Pacific/Auckland; the file's VTIMEZONE gives the times (1 event); DISAGREES with "
                               "Pacific/Auckland")
    assert lines[6] == "Warnings: 1"
    assert lines[-1] == ("Would import busy times from 04_windows_tzname_inconsistent_vtimezone.ics: 1 event, "
                         "1 occurrence in 2010-01-01 – 2026-12-31 (Europe/Berlin); 1 added, 0 updated, 0 unchanged; "
                         "nothing was stored (dry run).")


def test_the_default_window_is_30_days_back_to_a_year_ahead(tmp_path, cli, db):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for uid, day in (("old", "20250129"), ("in", "20250130"), ("last", "20260301"), ("late", "20260302")):
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART;VALUE=DATE:{day}", "END:VEVENT"]
    res = run(cli, db, write(tmp_path, "w.ics", *lines, "END:VCALENDAR"))
    assert "in 2025-01-30 – 2026-03-01 (Europe/Berlin)" in res.stdout
    assert [r[0] for r in busy(db)] == ["in", "last"]


def test_broken_components_and_odd_values_are_reported_and_the_rest_imported(tmp_path, cli, db):
    path = write(tmp_path, "odd.ics", "BEGIN:VCALENDAR",
                 "BEGIN:VEVENT", "UID:bad-rule", "DTSTART:20250305T100000Z", "DTEND:20250305T110000Z",
                 "RRULE:FREQ=SOMETIMES", "END:VEVENT",
                 "BEGIN:VEVENT", "UID:wrong-end", "DTSTART:20250305T100000Z", "BEGIN:VALARM", "END:VEVENT",
                 "BEGIN:VEVENT", "UID:far", "DTSTART;VALUE=DATE:99991231", "END:VEVENT",
                 "BEGIN:VEVENT", "UID:a-time", "DTSTART;VALUE=TIME:100000", "END:VEVENT",
                 "BEGIN:VEVENT", "UID:bad-seq", "SEQUENCE:abc", "STATUS:WHATEVER", "DTSTART:20250306T120000Z",
                 "DTEND:20250306T130000Z", "END:VEVENT",
                 "BEGIN:VEVENT", "UID:two-zones", "DTSTART;TZID=Europe/Berlin:20250307T100000",
                 "DTEND;TZID=America/New_York:20250307T100000", "END:VEVENT",
                 "BEGIN:VEVENT", "UID:never-closed", "DTSTART:20250305T100000Z", "END:VCALENDAR")
    res = run(cli, db, path)
    got = warnings(res)
    assert [w.split(": ", 3)[2] for w in got] == [
        "odd.ics line 8 (UID wrong-end)", "odd.ics line 33 (UID never-closed)", "odd.ics line 2 (UID bad-rule)",
        "odd.ics line 17 (UID a-time)", "odd.ics line 21 (UID bad-seq)", "odd.ics line 13 (UID far)"]
    assert "where END:VALARM was expected" in got[0] and "BEGIN:VEVENT is never closed" not in got[1]
    assert "RRULE cannot be read" in got[2] and "not a date or a date-time" in got[3]
    # SEQUENCE abc reads as 0, an unknown STATUS as CONFIRMED; 10:00 CET (09:00Z) to 10:00 EST (15:00Z)
    assert [(r[0], r[2], r[3], r[4], r[7], r[8]) for r in busy(db)] == [
        ("bad-seq", "2025-03-06T12:00:00", "2025-03-06T13:00:00", "UTC", "CONFIRMED", 0),
        ("two-zones", "2025-03-07T09:00:00", "2025-03-07T15:00:00", "Europe/Berlin", "CONFIRMED", 0)]


def test_at_most_ten_warnings_on_stderr_the_report_has_them_all(tmp_path, cli, db):
    lines = ["BEGIN:VCALENDAR"]
    for i in range(12):
        lines += ["BEGIN:VEVENT", f"SUMMARY:no uid {i}", f"DTSTART:202503{10 + i}T100000Z", "DURATION:PT1H",
                  "END:VEVENT"]
    res = run(cli, db, write(tmp_path, "many.ics", *lines, "END:VCALENDAR"))
    got = warnings(res)
    assert len(got) == 11 and got[-1] == "vakit: warning: 2 more warnings (--report lists them all)"
    assert len(busy(db)) == 12
    res = run(cli, db, write(tmp_path, "many.ics", *lines, "END:VCALENDAR"), "--dry-run")
    assert "Warnings: 12" in res.stdout and "0 added, 0 updated, 12 unchanged" in res.stdout


# --- bad input: one line, exit 1, the ledger unchanged ------------------------------------------------------


def _dump(db: str) -> str:
    conn = sqlite3.connect(db)
    text = "\n".join(conn.iterdump())
    conn.close()
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("case, message", [
    ("binary", "vakit: bad.ics is not a calendar file: it holds binary data (NUL bytes) (give an .ics file, text "
               "that starts with BEGIN:VCALENDAR)"),
    ("latin1", "vakit: bad.ics line 4 is not UTF-8 text (byte 0xE9 cannot be read) (export it again as UTF-8)"),
    ("empty", "vakit: bad.ics is empty (give an .ics file, text that starts with BEGIN:VCALENDAR)"),
    ("text", "vakit: bad.ics is not an iCalendar file: no BEGIN:VCALENDAR or BEGIN:VEVENT in it (give an .ics file "
             "exported from a calendar)"),
    ("huge", "vakit: {path} is larger than 50 MB, more than a calendar export can be (export a shorter period)"),
    ("folder", "vakit: {folder} is a folder, not a calendar file (give the .ics file itself)"),
    ("missing", "vakit: cannot read {path}: No such file or directory"),
    ("window", "vakit: --to 2025-01-01 is before --from 2025-05-01"),
    ("appointments", "vakit: --as-appointments needs --client NAME (e.g. --client Acme --as-appointments)"),
    ("zone", "vakit: unknown time zone 'Mars/Base' (use an IANA name such as Europe/London)"),
    ("client", "vakit: no client named 'Nobody' (see 'vakit client list')"),
])
def test_bad_input_is_one_line_exit_1_and_changes_nothing(tmp_path, cli, db, case, message):
    path = tmp_path / "bad.ics"
    good = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20250305T100000Z\r\nDTEND:20250305T110000Z\r\n" \
           b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    args: list[str] = []
    if case == "binary":
        path.write_bytes(good[:40] + b"\x00\x01\x02" + good[40:])
    elif case == "latin1":
        path.write_bytes(good.replace(b"UID:x\r\n", b"UID:x\r\nSUMMARY:caf\xe9\r\n"))
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "text":
        path.write_text("just some notes\n")
    elif case == "huge":
        with open(path, "wb") as f:
            f.write(good)
            f.truncate(50_000_001)  # sparse: costs no disk, still read in chunks and refused
    elif case == "folder":
        path = tmp_path
    elif case == "missing":
        pass
    else:
        path.write_bytes(good)
        args = {"window": ["--from", "2025-05-01", "--to", "2025-01-01"], "appointments": ["--as-appointments"],
                "zone": ["--tz", "Mars/Base"], "client": ["--client", "Nobody"]}[case]
    before = _dump(db)
    res = cli("--db", db, "schedule", "import", str(path), *args, ok=False)
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr == message.format(path=path, folder=tmp_path) + "\n"
    assert _dump(db) == before


# --- an end before the start, one UID twice, vakit's own appointments ---------------------------------------


def test_an_end_before_the_start_is_reported_and_left_out_never_swapped(tmp_path, cli, db):
    path = write(tmp_path, "ends.ics", "BEGIN:VCALENDAR", "VERSION:2.0",
                 "BEGIN:VEVENT", "UID:backwards", "SUMMARY:Backwards", "DTSTART:20251205T100000Z",
                 "DTEND:20251204T103000Z", "END:VEVENT",                                           # lines 3–8
                 "BEGIN:VEVENT", "UID:negative", "DTSTART;TZID=Europe/Berlin:20250306T100000", "DURATION:-PT1H",
                 "END:VEVENT",                                                                     # lines 9–13
                 "BEGIN:VEVENT", "UID:two-zones", "DTSTART;TZID=America/New_York:20250305T100000",
                 "DTEND;TZID=Europe/Berlin:20250305T120000", "END:VEVENT",                         # lines 14–18
                 "BEGIN:VEVENT", "UID:no-day", "DTSTART;VALUE=DATE:20250320", "DTEND;VALUE=DATE:20250320",
                 "END:VEVENT",                                                                     # lines 19–23
                 "BEGIN:VEVENT", "UID:no-duration", "DTSTART:20250321T100000Z", "DTEND:20250321T100000Z",
                 "END:VEVENT",                                                                     # lines 24–28
                 "BEGIN:VEVENT", "UID:fine", "DTSTART;TZID=Europe/Berlin:20250307T100000",
                 "DTEND;TZID=Europe/Berlin:20250307T113000", "END:VEVENT", "END:VCALENDAR")
    res = run(cli, db, path)
    rfc = "(RFC 5545 §3.6.1: an event ends after it starts); skipped"
    # two-zones: 10:00 EST is 15:00Z, 12:00 CET is 11:00Z: before it, though the wall clock reads later
    assert warnings(res) == [
        "vakit: warning: ends.ics line 3 (UID backwards): DTEND 20251204T103000Z is before DTSTART 20251205T100000Z "
        f"{rfc}",
        f"vakit: warning: ends.ics line 9 (UID negative): negative DURATION -PT1H {rfc}",
        "vakit: warning: ends.ics line 14 (UID two-zones): DTEND 20250305T120000 (Europe/Berlin) is before DTSTART "
        f"20250305T100000 (America/New_York) {rfc}",
        "vakit: warning: ends.ics line 19 (UID no-day): DTEND 20250320 is not after DTSTART 20250320 (RFC 5545 "
        "§3.6.1: an all-day event ends on a later date); skipped"]
    assert res.stdout == ("Imported busy times from ends.ics: 6 events, 2 occurrences in 2025-01-30 – 2026-03-01 "
                          "(Europe/Berlin); 2 added, 0 updated, 0 unchanged.\n")
    # fine: 10:00–11:30 CET = 09:00–10:30Z; an equal DTSTART and DTEND date-time is an event with no duration
    assert busy(db) == [("fine", "", "2025-03-07T09:00:00", "2025-03-07T10:30:00", "Europe/Berlin", 0, "", "CONFIRMED",
                         0),
                        ("no-duration", "", "2025-03-21T10:00:00", "2025-03-21T10:00:00", "UTC", 0, "", "CONFIRMED", 0)]
    # nothing was made of the backwards event: 4 Dec 10:30Z – 5 Dec 10:00Z is free (11:30 – 12:30 CET on 4 Dec)
    assert "Booked #1" in cli("--db", db, "schedule", "book", "Call", "--client", "Acme", "--date", "2025-12-04",
                              "--at", "11:30", "--duration", "60m").stdout
    res = run(cli, db, path, "--client", "Acme")  # as appointments: the same four left out
    assert len(warnings(res)) == 4
    assert res.stdout == ("Imported appointments with Acme from ends.ics: 6 events, 2 occurrences in 2025-01-30 – "
                          "2026-03-01 (Europe/Berlin); 1 added, 0 updated, 0 unchanged.\n")
    assert [a[1:5] for a in appointments(db)] == [
        ("2025-03-07T09:00:00", "2025-03-07T10:30:00", "Europe/Berlin", "(no title)"),
        ("2025-12-04T10:30:00", "2025-12-04T11:30:00", "Europe/Berlin", "Call")]


def test_one_uid_twice_keeps_the_highest_sequence_then_the_latest_stamp_then_the_last(tmp_path, cli, db):
    path = write(tmp_path, "dup.ics", "BEGIN:VCALENDAR", "VERSION:2.0",
                 "BEGIN:VEVENT", "UID:review", "SEQUENCE:2", "DTSTAMP:20250201T080000Z", "SUMMARY:Review (moved)",
                 "DTSTART:20250310T140000Z", "DTEND:20250310T150000Z", "END:VEVENT",              # lines 3–10
                 "BEGIN:VEVENT", "UID:review", "SEQUENCE:1", "DTSTAMP:20250215T080000Z", "SUMMARY:Review",
                 "DTSTART:20250310T090000Z", "DTEND:20250310T100000Z", "END:VEVENT",              # lines 11–18
                 "BEGIN:VEVENT", "UID:lunch", "DTSTAMP:20250220T080000Z", "SUMMARY:Lunch (newer)",
                 "DTSTART:20250311T110000Z", "DTEND:20250311T120000Z", "END:VEVENT",              # lines 19–25
                 "BEGIN:VEVENT", "UID:lunch", "DTSTAMP:20250201T080000Z", "LAST-MODIFIED:20250210T080000Z",
                 "SUMMARY:Lunch (older)", "DTSTART:20250311T120000Z", "DTEND:20250311T130000Z",
                 "END:VEVENT",                                                                     # lines 26–33
                 "BEGIN:VEVENT", "UID:call", "SUMMARY:Call A", "DTSTART:20250312T090000Z", "DTEND:20250312T093000Z",
                 "END:VEVENT",                                                                     # lines 34–39
                 "BEGIN:VEVENT", "UID:call", "SUMMARY:Call B", "DTSTART:20250312T100000Z", "DTEND:20250312T103000Z",
                 "END:VEVENT", "END:VCALENDAR")                                                    # lines 40–45
    res = run(cli, db, path, "--report")
    twice = "2 VEVENTs with this UID and no RECURRENCE-ID, where RFC 5545 allows one; kept line"
    assert warnings(res) == [
        f"vakit: warning: dup.ics line 3 (UID review): {twice} 3 (SEQUENCE 2, the highest), left out line 11",
        f"vakit: warning: dup.ics line 19 (UID lunch): {twice} 19 (the latest DTSTAMP/LAST-MODIFIED, "
        "20250220T080000Z), left out line 26",
        f"vakit: warning: dup.ics line 34 (UID call): {twice} 40 (the last in the file; SEQUENCE and "
        "DTSTAMP/LAST-MODIFIED the same), left out line 34"]
    assert "Events: 6 VEVENTs in 3 series; 3 skipped" in res.stdout
    assert res.stdout.splitlines()[-1] == ("Imported busy times from dup.ics: 6 events, 3 occurrences in 2025-01-30 – "
                                           "2026-03-01 (Europe/Berlin); 3 added, 0 updated, 0 unchanged.")
    assert [(r[0], r[2], r[3], r[6], r[8]) for r in busy(db)] == [
        ("review", "2025-03-10T14:00:00", "2025-03-10T15:00:00", "Review (moved)", 2),
        ("lunch", "2025-03-11T11:00:00", "2025-03-11T12:00:00", "Lunch (newer)", 0),
        ("call", "2025-03-12T10:00:00", "2025-03-12T10:30:00", "Call B", 0)]


def _own(cli, db: str, tmp_path: Path) -> tuple[Path, str, str]:
    """Book #1 'S' (Wed 5 Mar 10:00–11:00 CET) and the weekly 'Weekly' #2–#4 (Tue 4, 11, 18 Mar 09:00–09:30),
    export them to own.ics with one more event that is not vakit's; returns the file and both UIDs."""
    cli("--db", db, "schedule", "book", "S", "--client", "Acme", "--date", "2025-03-05", "--at", "10:00",
        "--duration", "60m")
    cli("--db", db, "schedule", "book", "Weekly", "--client", "Acme", "--date", "2025-03-04", "--at", "09:00",
        "--duration", "30m", "--repeat", "weekly", "--count", "3")
    path = tmp_path / "own.ics"
    cli("--db", db, "schedule", "export", "-o", str(path))
    text = path.read_bytes().replace(b"END:VCALENDAR\r\n", b"BEGIN:VEVENT\r\nUID:dentist-own\r\nSUMMARY:Dentist\r\n"
                                     b"DTSTART:20250306T130000Z\r\nDTEND:20250306T140000Z\r\nEND:VEVENT\r\n"
                                     b"END:VCALENDAR\r\n")
    path.write_bytes(text)
    conn = sqlite3.connect(db)
    single = conn.execute("SELECT uid FROM appointments WHERE id = 1").fetchone()[0]
    series = conn.execute("SELECT uid FROM appointment_series").fetchone()[0]
    conn.close()
    return path, single, series


def test_vakits_own_appointments_in_a_file_are_left_out_not_busy_times(tmp_path, cli, db):
    path, single, series = _own(cli, db, tmp_path)
    assert single.endswith("@vakit") and series.endswith("@vakit")
    res = run(cli, db, path, "--report")
    assert warnings(res) == []
    assert f"vakit's own appointments, left out: 2 (UID {series}, {single})" in res.stdout
    # 2 vakit events (the series' 3 occurrences and #1) and the dentist: 5 occurrences, only the dentist stored
    assert res.stdout.splitlines()[-1] == (
        "Imported busy times from own.ics: 3 events, 5 occurrences in 2025-01-30 – 2026-03-01 (Europe/Berlin); "
        "1 added, 0 updated, 0 unchanged; 2 events are vakit's own appointments: left out.")
    assert busy(db) == [("dentist-own", "", "2025-03-06T13:00:00", "2025-03-06T14:00:00", "UTC", 0, "Dentist",
                         "CONFIRMED", 0)]
    moved = cli("--db", db, "schedule", "move", "1", "--date", "2025-03-05", "--at", "10:30")
    assert moved.stdout.startswith("Moved #1 'S' with Acme from Wed 05 Mar 2025 10:00 CET (UTC+01:00), SEQUENCE 1")

    # as appointments: not changed by the file either (the file still has #1 at 10:00 with SEQUENCE 0)
    before = appointments(db)
    res = run(cli, db, path, "--client", "Acme")
    assert res.stdout == ("Imported appointments with Acme from own.ics: 3 events, 5 occurrences in 2025-01-30 – "
                          "2026-03-01 (Europe/Berlin); 1 added, 0 updated, 0 unchanged; 2 events are vakit's own "
                          "appointments: left out.\n")
    assert appointments(db) == sorted(before + [("dentist-own", "2025-03-06T13:00:00", "2025-03-06T14:00:00", "UTC",
                                                 "Dentist", "CONFIRMED", 0)], key=lambda a: (a[1], a[0]))
    # importing it again as Acme's updates what the first import made (it is not vakit's own) …
    again = run(cli, db, path, "--client", "Acme")
    assert "; 0 added, 0 updated, 1 unchanged; 2 events are vakit's own appointments: left out." in again.stdout
    # … and as busy times it is an appointment now too
    res = run(cli, db, path)
    assert res.stdout.endswith("0 added, 0 updated, 0 unchanged; 3 events are vakit's own appointments: left out "
                               "(1 busy time an earlier import made of them removed).\n")  # the dentist's
    assert busy(db) == []


def test_busy_times_an_earlier_import_made_of_own_appointments_are_removed(tmp_path, cli, db):
    path, single, series = _own(cli, db, tmp_path)
    conn = sqlite3.connect(db)  # as vakit before this fix stored #1 and the series' first occurrence
    for uid, occurrence, start, end in ((single, "", "2025-03-05T09:00", "2025-03-05T10:00"),
                                        (series, "20250304T080000Z", "2025-03-04T08:00", "2025-03-04T08:30")):
        conn.execute("INSERT INTO busy_times (start_utc, end_utc, tz, all_day, summary, location, description, status,"
                     " sequence, source, uid, occurrence, imported_utc) VALUES (?, ?, 'Europe/Berlin', 0, 'S', '',"
                     " '', 'CONFIRMED', 0, 'own.ics', ?, ?, 0)", (z(start), z(end), uid, occurrence))
    conn.commit()
    conn.close()
    clash = cli("--db", db, "schedule", "move", "1", "--date", "2025-03-05", "--at", "10:30", ok=False)
    assert clash.exit_code == 1 and clash.stderr.startswith("vakit: clashes with 'S' for busy time from own.ics")
    res = run(cli, db, path, "--dry-run")
    assert res.stdout.splitlines()[-1].endswith("; 2 events are vakit's own appointments: left out (2 busy times an "
                                                "earlier import made of them removed); nothing was stored (dry run).")
    assert len(busy(db)) == 2
    res = run(cli, db, path)
    assert res.stdout.endswith("1 added, 0 updated, 0 unchanged; 2 events are vakit's own appointments: left out "
                               "(2 busy times an earlier import made of them removed).\n")
    assert [r[0] for r in busy(db)] == ["dentist-own"]
    assert "Moved #1" in cli("--db", db, "schedule", "move", "1", "--date", "2025-03-05", "--at", "10:30").stdout


def test_a_description_survives_export_and_import_unchanged(tmp_path, cli, db):
    text = "Agenda:\n1. Ünïcödé ✓; a, b\\c\n2. 日本語 — “quotes”\n\nend"
    cli("--db", db, "schedule", "book", "Kick-off", "--client", "Acme", "--at", "2025-03-10 10:00",
        "--description", text, "--location", "Café Ærø, Köln")
    out = tmp_path / "out.ics"
    cli("--db", db, "schedule", "export", "--client", "Acme", "-o", str(out))
    other = str(tmp_path / "other.sqlite3")
    cli("--db", other, "init", "--name", "Other VA", "--tz", "Europe/Berlin", "--currency", "EUR")
    cli("--db", other, "client", "add", "Acme", "--tz", "Europe/Berlin", "--currency", "EUR")
    run(cli, other, out, "--client", "Acme")
    rows = sqlite3.connect(other).execute("SELECT description, location, start_utc FROM appointments").fetchall()
    assert rows == [(text, "Café Ærø, Köln", z("2025-03-10T09:00"))]
