"""``vakit schedule show``: one appointment in every clock that matters, and what calendars know it by."""

from __future__ import annotations


def test_show_gives_their_clock_the_booking_zone_yours_and_the_uid(cli):
    cli.now = "2026-11-02T09:00:00+02:00"
    cli("init", "--name", "VA", "--tz", "Europe/Athens", "--currency", "EUR", "--locale", "en_GB")
    cli("client", "add", "Lumen", "--tz", "America/New_York", "--currency", "USD")
    cli("schedule", "book", "Dinner", "--client", "Lumen", "--tz", "Europe/Paris", "--at", "friday 19:00",
        "--duration", "2h", "--location", "Le Train Bleu")
    out = cli("schedule", "show", "1", "--tz", "Asia/Tokyo").stdout.splitlines()
    assert out[:5] == [
        "#1 'Dinner' with Lumen (confirmed)",
        "  their time: Fri 06 Nov 2026 13:00 – 15:00 EST (UTC-05:00) (America/New_York)",
        "  booked in:  Fri 06 Nov 2026 19:00 – 21:00 CET (UTC+01:00) (Europe/Paris)",
        "  your time:  Fri 06 Nov 2026 20:00 – 22:00 EET (UTC+02:00) (Europe/Athens)",
        "  also:       Sat 07 Nov 2026 03:00 – 05:00 JST (UTC+09:00) (Asia/Tokyo)"]
    assert out[5] == "  where:      Le Train Bleu" and out[6].startswith("  UID ") and out[6].endswith(", SEQUENCE 0")
    res = cli("schedule", "show", "9", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("vakit: no appointment '9'")
