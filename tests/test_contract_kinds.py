"""Contract kinds beyond hourly and retainer (issue 9): a day rate (C-17) and a fixed fee in instalments. Figures
worked out by hand; each read from the JSON, the ledger and the PDF text alike."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from tests.test_late_time import pdf_text

from vakit.core.errors import InvalidValue
from vakit.core.instalments import allocate

NOW = "2025-07-02T09:00:00+01:00"


def _dump() -> list[str]:
    from vakit.cli.common import ledger_path

    return list(sqlite3.connect(ledger_path()).iterdump())


def _ledger_invoice(invoice_id: int) -> tuple:
    from vakit.cli.common import ledger_path

    return sqlite3.connect(ledger_path()).execute(
        "SELECT subtotal_minor, tax_minor, total_minor, currency FROM invoices WHERE id = ?", (invoice_id,)).fetchone()


@pytest.fixture
def va(cli):
    cli.now = NOW
    cli("init", "--name", "Test VA", "--tz", "Europe/London", "--currency", "GBP", "--locale", "en_GB")
    cli("client", "add", "Orbit", "--tz", "Europe/London")
    cli("client", "add", "Fixie", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE")
    return cli


def _draft(cli, client: str, month: str, *extra: str) -> dict:
    return json.loads(cli("invoice", "create", "--client", client, "--month", month, "--json", *extra).stdout
                      )["data"][0]


def test_c17_a_day_rate_bills_full_days_and_part_days_pro_rata(va, cli, tmp_path):
    out = cli("contract", "add", "--client", "Orbit", "--kind", "daily", "--day-rate", "105.00", "--hours-per-day",
              "8", "--from", "2025-04-01").stdout
    assert "daily, 105.00 GBP/day of 8:00 h (part days 13.125 GBP/h)" in out
    cli("log", "add", "--client", "Orbit", "--date", "2025-04-07", "--from", "09:00", "--to", "17:00")
    cli("log", "add", "--client", "Orbit", "--date", "2025-04-08", "--from", "09:00", "--to", "15:00")
    inv = _draft(cli, "Orbit", "2025-04")
    assert [(li["quantity"], li["unit"], li["unit_price"], li["amount"]["amount"]) for li in inv["lines"]] == [
        ("1", "day", "105.00", "105.00"), ("6.00", "h", "13.125", "78.75")]
    assert inv["total"]["amount"] == "183.75"  # not 105.04 + 78.78 = 183.82 through a rate rounded to 13.13
    assert _ledger_invoice(inv["id"]) == (18375, 0, 18375, "GBP")
    cli("invoice", "pdf", str(inv["id"]), "-o", str(tmp_path / "orbit.pdf"))
    text = pdf_text(tmp_path / "orbit.pdf")
    assert "1 day" in text and "£105.00" in text and "6.00 h" in text and "£13.125" in text and "£78.75" in text
    assert "£183.75" in text


def test_a_day_rate_of_105_for_8_hours_bills_4_hours_as_52_50(va, cli):
    cli("contract", "add", "--client", "Orbit", "--kind", "daily", "--day-rate", "105.00", "--hours-per-day", "8",
        "--from", "2025-04-01")
    cli("log", "add", "--client", "Orbit", "--date", "2025-04-09", "--from", "09:00", "--to", "13:00")
    # a 10-hour day: one full day and two hours beyond it, pro rata (2 × 13.125 = 26.25)
    cli("log", "add", "--client", "Orbit", "--date", "2025-04-10", "--from", "08:00", "--to", "18:00")
    inv = _draft(cli, "Orbit", "2025-04")
    assert [(li["quantity"], li["unit_price"], li["amount"]["amount"]) for li in inv["lines"]] == [
        ("1", "105.00", "105.00"), ("6.00", "13.125", "78.75")]  # 4 h + 2 h beyond the full day
    assert "part days and time beyond a full day" in inv["lines"][1]["description"]
    cli("invoice", "delete", str(inv["id"]))
    cli("log", "rm", "2")
    inv = _draft(cli, "Orbit", "2025-04")
    assert [(li["quantity"], li["unit_price"], li["amount"]["amount"]) for li in inv["lines"]] == [
        ("4.00", "13.125", "52.50")]


def test_a_day_rate_whose_hourly_equivalent_does_not_terminate_keeps_six_places(va, cli):
    cli("contract", "add", "--client", "Orbit", "--kind", "daily", "--day-rate", "100.00", "--hours-per-day", "7",
        "--from", "2025-04-01")
    cli("log", "add", "--client", "Orbit", "--date", "2025-04-09", "--from", "09:00", "--to", "12:30")
    inv = _draft(cli, "Orbit", "2025-04")
    # 3.5 h × 14.285714 = 49.999999 → 50.00: half the day rate, and the printed figures multiply to it
    assert [(li["quantity"], li["unit_price"], li["amount"]["amount"]) for li in inv["lines"]] == [
        ("3.50", "14.285714", "50.00")]


def test_a_fixed_fee_of_1000_in_three_instalments_sums_to_1000(va, cli):
    out = cli("contract", "add", "--client", "Fixie", "--kind", "fixed", "--fee", "1000.00", "--description",
              "Website migration", "--from", "2025-04-01", "--instalment", "2025-04-30", "--instalment",
              "2025-05-31", "--instalment", "2025-06-30").stdout
    assert ("fixed fee 1000.00 EUR in 3 instalments: 2025-04-30 333.33, 2025-05-31 333.33, 2025-06-30 333.34"
            in " ".join(out.split()))
    cli("log", "add", "--client", "Fixie", "--date", "2025-04-14", "--from", "09:00", "--to", "12:00")
    totals = []
    for month in ("2025-04", "2025-05", "2025-06"):
        inv = _draft(cli, "Fixie", month)
        (li,) = inv["lines"]
        totals.append(inv["total"]["amount"])
        assert li["description"].startswith("Website migration, instalment ")
        assert (li["quantity"], li["unit"]) == ("1", "instalment")
        assert _ledger_invoice(inv["id"])[2] == int(Decimal(inv["total"]["amount"]) * 100)
    assert totals == ["333.33", "333.33", "333.34"]
    assert sum(Decimal(t) for t in totals) == Decimal("1000.00")
    # April's draft holds April's entry (the fee covers it); a month without an instalment has nothing to bill
    assert json.loads(cli("invoice", "show", "1", "--json").stdout)["data"]["billed_seconds"] == 3 * 3600
    res = cli("invoice", "create", "--client", "Fixie", "--month", "2025-07", ok=False)
    assert res.exit_code == 1


def test_instalment_amounts_given_and_the_rest_shared():
    d = [date(2025, 4, 30), date(2025, 5, 31), date(2025, 6, 30)]
    assert allocate(100000, [(d[0], Decimal("400.00")), (d[1], None), (d[2], None)], "EUR") == [
        (d[0], 40000), (d[1], 30000), (d[2], 30000)]
    assert allocate(100000, [(d[2], None), (d[0], None), (d[1], None)], "EUR") == [
        (d[0], 33333), (d[1], 33333), (d[2], 33334)]
    assert allocate(1000, [(d[0], None), (d[1], None), (d[2], None)], "JPY") == [
        (d[0], 333), (d[1], 333), (d[2], 334)]
    with pytest.raises(InvalidValue) as err:
        allocate(100000, [(d[0], Decimal("400.00")), (d[1], Decimal("500.00"))], "EUR")
    assert err.value.message == "the instalments add up to 900.00 EUR, less than the fee of 1000.00 EUR"


@pytest.mark.parametrize(("args", "message"), [
    (("--kind", "fixed", "--fee", "1000.00", "--instalment", "2025-04-30=600", "--instalment", "2025-05-31=500"),
     "vakit: the instalments add up to 1100.00 EUR, more than the fee of 1000.00 EUR\n"),
    (("--kind", "fixed", "--fee", "1000.00", "--instalment", "2025-04-30", "--instalment", "2025-04-30"),
     "vakit: two instalments on 2025-04-30 (give each instalment its own date)\n"),
    (("--kind", "fixed", "--fee", "1000.00", "--instalment", "2025-03-31"),
     "vakit: instalment date 2025-03-31 is outside the contract's days (2025-04-01 – open)\n"),
    (("--kind", "fixed", "--fee", "1000.00", "--instalment", "30/04/2025"),
     "vakit: could not read instalment '30/04/2025' (YYYY-MM-DD or YYYY-MM-DD=AMOUNT)\n"),
    (("--kind", "fixed", "--rate", "30", "--fee", "1000.00"), "vakit: --rate belongs to hourly contracts, not fixed\n"),
    (("--kind", "daily", "--day-rate", "105"), "vakit: a daily contract needs --hours-per-day\n"),
    (("--kind", "daily", "--day-rate", "105", "--hours-per-day", "25"),
     "vakit: hours per day must be more than 0 and at most 24\n"),
    (("--kind", "weekly", "--rate", "1"), "vakit: unknown contract kind 'weekly' (use hourly, retainer, daily or "
                                          "fixed)\n"),
])
def test_bad_terms_of_the_new_kinds_change_nothing(va, cli, args, message):
    before = _dump()
    res = cli("contract", "add", "--client", "Fixie", "--from", "2025-04-01", *args, ok=False)
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", message)
    assert _dump() == before


def test_a_contract_changing_kind_drops_the_old_kinds_terms(va, cli):
    cli("contract", "add", "--client", "Orbit", "--rate", "30", "--from", "2025-04-01")
    cli("contract", "edit", "1", "--kind", "daily", "--day-rate", "240", "--hours-per-day", "7.5")
    k = json.loads(cli("contract", "show", "1", "--json").stdout)["data"]
    assert (k["kind"], k["rate"], k["day_rate"], k["day_seconds"]) == ("daily", None, "240", 27000)


def test_a_rollover_retainer_through_four_months_matches_the_figures_by_hand(va, cli, tmp_path):
    """800.00 GBP for 20 h, overage 30.00/h, unused hours roll over up to 10 h for 1 month; starts 16 April.

    - April (15 of 30 days): fee 15 × 26.666667 = 400.00; includes 10:00; worked 4:00 → carries 6:00.
    - May: includes 20:00 + carried 6:00; worked 2:00 uses 2:00 of April's, so 4:00 of April's and 16:00 of
      May's are left; the cap keeps 10:00 (April's 4:00 and 6:00 of May's).
    - June: April's 4:00 expire (one month); includes 20:00 + carried 6:00 (May's); worked 25:00 uses them and
      19:00 of June's → carries 1:00.
    - July: includes 20:00 + carried 1:00; worked 24:00 → 3:00 overage × 30.00 = 90.00; carries nothing.
    """
    cli("contract", "add", "--client", "Orbit", "--kind", "retainer", "--fee", "800.00", "--included-hours", "20",
        "--overage-rate", "30.00", "--rollover-cap", "10", "--rollover-months", "1", "--from", "2025-04-16")
    cli.now = "2025-08-02T09:00:00+01:00"
    worked = {"2025-04": 4, "2025-05": 2, "2025-06": 25, "2025-07": 24}
    out = []
    for month, h in worked.items():
        day = 16 if month == "2025-04" else 1
        for i in range(h // 8 + 1):  # whole days of 8 h, then the rest, on consecutive dates
            length = min(8, h - 8 * i)
            if length:
                cli("log", "add", "--client", "Orbit", "--date", f"{month}-{day + i:02}", "--from", "08:00",
                    "--duration", f"{length}h")
        inv = _draft(cli, "Orbit", month)
        out.append([(li["description"], li["quantity"], li["amount"]["amount"]) for li in inv["lines"]])
        cli("invoice", "issue", str(inv["id"]), "--date", f"{month}-28")
    assert out == [
        [("Monthly retainer, 16 Apr – 30 Apr 2025, prorated 15 of 30 days (includes 10:00 h; worked 4:00 h; "
          "carried forward 6:00 h)", "15", "400.00")],
        [("Monthly retainer, May 2025 (includes 20:00 h + carried 6:00 h; worked 2:00 h; carried forward "
          "10:00 h)", "1", "800.00")],
        [("Monthly retainer, June 2025 (includes 20:00 h + carried 6:00 h (4:00 h expired); worked 25:00 h; "
          "carried forward 1:00 h)", "1", "800.00")],
        [("Monthly retainer, July 2025 (includes 20:00 h + carried 1:00 h; worked 24:00 h; carried forward "
          "0:00 h)", "1", "800.00"), ("Overage beyond 21:00 h, July 2025", "3.00", "90.00")],
    ]
    # what each month carried is kept on its invoice: a later month reads it from there
    from vakit.cli.common import ledger_path

    docs = [json.loads(d) for (d,) in sqlite3.connect(ledger_path()).execute(
        "SELECT document FROM invoices ORDER BY period_start")]
    assert [d["rollover"]["out"] for d in docs] == [[["2025-04", 21600]], [["2025-04", 14400], ["2025-05", 21600]],
                                                    [["2025-06", 3600]], []]
    # the client's timesheet for June counts the carried hours too
    text = cli("log", "report", "--client", "Orbit", "--month", "2025-06", "--format", "text").stdout
    assert "Retainer: used 25:00 of 20:00 included + 6:00 carried in June 2025" in text
    text = cli("log", "report", "--client", "Orbit", "--month", "2025-07", "--format", "text").stdout
    assert ("Retainer: used 24:00 of 20:00 included + 1:00 carried in July 2025; 3:00 over, billed at the overage "
            "rate") in text


def test_a_rollover_month_waits_for_the_month_before(va, cli):
    cli("contract", "add", "--client", "Orbit", "--kind", "retainer", "--fee", "800.00", "--included-hours", "20",
        "--overage-rate", "30.00", "--rollover-cap", "10", "--rollover-months", "2", "--from", "2025-04-01")
    before = _dump()
    res = cli("invoice", "create", "--client", "Orbit", "--month", "2025-05", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: Orbit's retainer carries unused hours from month to month, "
                                              "and April 2025 has no invoice yet, so what it carries into May 2025 "
                                              "is not known (make that month's invoice first: vakit invoice create "
                                              "--client 'Orbit' --month 2025-04)\n")
    assert _dump() == before
    res = cli("contract", "add", "--client", "Fixie", "--rate", "30", "--rollover-cap", "5", "--rollover-months", "1",
              ok=False)
    assert res.stderr == "vakit: --rollover-cap belongs to retainer contracts, not hourly\n"


def _rollover(cli, client="Orbit"):
    cli("contract", "add", "--client", client, "--kind", "retainer", "--fee", "800", "--included-hours", "10",
        "--overage-rate", "30", "--rollover-cap", "10", "--rollover-months", "1", "--from", "2025-04-01")


def test_a_month_whose_carried_hours_a_later_month_took_is_not_undone_before_it(va, cli):
    _rollover(cli)
    cli("log", "add", "--client", "Orbit", "--date", "2025-04-02", "--from", "09:00", "--to", "13:00", "apr")
    cli("log", "add", "--client", "Orbit", "--date", "2025-05-02", "--from", "09:00", "--to", "22:00", "may")
    _draft(cli, "Orbit", "2025-04")
    _draft(cli, "Orbit", "2025-05")
    before = _dump()
    res = cli("invoice", "delete", "#1", ok=False)
    assert (res.exit_code, res.stderr) == (1, "vakit: draft #2 (2025-05) took the retainer hours this month carried "
                                              "forward, so this one cannot be deleted before it (delete it first)\n")
    assert _dump() == before
    cli("invoice", "issue", "#1", "--date", "2025-06-01")
    cli("invoice", "issue", "#2", "--date", "2025-06-01")
    number = json.loads(cli("invoice", "list", "--json").stdout)["data"][0]["number"]
    before = _dump()
    res = cli("invoice", "void", number, "--reason", "wrong", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("vakit: invoice ") and "(void it first)" in res.stderr
    assert _dump() == before


def test_late_time_in_a_rollover_month_does_not_use_the_hours_it_carried_forward(va, cli):
    """April: 10 h included, 4 h worked, 6 h carried to May. 8 h logged late into April can use only what April
    kept (nothing: 10 − 6 = 4 h, all worked), so all 8 h are overage: 8 × 30.00 = 240.00."""
    _rollover(cli)
    cli("log", "add", "--client", "Orbit", "--date", "2025-04-02", "--from", "09:00", "--to", "13:00", "apr")
    inv = _draft(cli, "Orbit", "2025-04")
    cli("invoice", "issue", str(inv["id"]), "--date", "2025-05-01")
    cli("log", "add", "--client", "Orbit", "--date", "2025-04-03", "--from", "09:00", "--to", "17:00", "late")
    sup = _draft(cli, "Orbit", "2025-04", "--supplementary")
    assert [(li["quantity"], li["amount"]["amount"]) for li in sup["lines"]] == [("8.00", "240.00")]


def test_a_retainer_ending_in_the_month_carries_nothing_forward(va, cli):
    _rollover(cli)
    cli("log", "add", "--client", "Orbit", "--date", "2025-04-02", "--from", "09:00", "--to", "13:00", "apr")
    cli("contract", "end", "1", "--on", "2025-04-30")
    inv = _draft(cli, "Orbit", "2025-04")
    assert inv["lines"][0]["description"].endswith("(includes 10:00 h; worked 4:00 h; carried forward 0:00 h)")


def test_a_fixed_fee_is_never_left_with_instalments_it_cannot_bill(va, cli):
    cli("contract", "add", "--client", "Fixie", "--kind", "fixed", "--fee", "900", "--instalment", "2025-04-30",
        "--instalment", "2025-05-31", "--instalment", "2025-06-30", "--from", "2025-04-01")
    before = _dump()
    for args in (("contract", "end", "1", "--on", "2025-05-15"),
                 ("contract", "add", "--client", "Fixie", "--rate", "10", "--from", "2025-05-10")):
        res = cli(*args, ok=False)
        assert (res.exit_code, res.stderr) == (1, (
            "vakit: contract #1's fixed fee has an instalment on 2025-05-31, after " +
            ("2025-05-15" if args[1] == "end" else "2025-05-09") + "; it would never be billed (move the "
            "instalments first: vakit contract edit 1 --instalment DATE ...)\n"))
        assert _dump() == before
    # a new fee re-splits the instalments on their dates
    cli("contract", "edit", "1", "--fee", "1000")
    k = json.loads(cli("contract", "show", "1", "--json").stdout)["data"]
    assert [(i["date"], i["amount"]["amount"]) for i in k["instalments"]] == [
        ("2025-04-30", "333.33"), ("2025-05-31", "333.33"), ("2025-06-30", "333.34")]
    res = cli("contract", "add", "--client", "Orbit", "--kind", "fixed", "--fee", "0.01", "--instalment",
              "2025-04-30", "--instalment", "2025-05-31", "--from", "2025-04-01", ok=False)
    assert res.stderr == ("vakit: the instalment on 2025-04-30 would be 0.00 GBP: a fee of 0.01 GBP cannot be split "
                          "into 2 instalments (give fewer instalments)\n")
