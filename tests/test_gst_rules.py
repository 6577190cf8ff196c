"""Tax ids checked as their issuers define them, and GST taxes that must follow the place of supply (issue 9):
a GSTIN's state code, PAN and check character (CGST Rules 2017, rule 10), EU and UK VAT numbers; CGST + SGST
only within the supplier's state, IGST between states and abroad (IGST Act 2017, ss. 7–8), refused at
``contract add``/``edit`` unless ``--force``. A refusal is one line on stderr, exit 1, and changes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from vakit.core.errors import InvalidValue
from vakit.core.tax_ids import check_client_tax_id, check_gstin, check_vat_id

NOW = "2026-11-10T09:00:00+05:30"
HINT = " (give the taxes the rule asks for, or pass --force to keep these)\n"


def _dump(cli) -> list[str]:
    from vakit.cli.common import ledger_path

    return list(sqlite3.connect(ledger_path()).iterdump())


@pytest.fixture
def va(cli):
    """A GST-registered VA in Pune (Maharashtra, 27) with a client in Pune, one in Bengaluru (Karnataka, 29),
    one in Pune without a GSTIN and one in the United States."""
    cli.now = NOW
    cli("init", "--name", "Asha VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN",
        "--tax-id", "GSTIN=27aakpd4821m1zk")
    cli("client", "add", "Pune Traders", "--country", "IN", "--tax-id", "27AAHFG7412K1Z8")
    cli("client", "add", "Bangalore Code Works", "--country", "IN", "--tax-id", "29 AAGCB 7383J 1Z4")
    cli("client", "add", "Corner Shop", "--country", "IN")
    cli("client", "add", "Northwind", "--country", "US", "--currency", "USD")
    return cli


@pytest.mark.parametrize(("typed", "message"), [
    ("27AAKPD4821M1Z3", "GSTIN '27AAKPD4821M1Z3' fails its check character: a character is mistyped"),
    ("27AAKPD4821M1Z", "GSTIN '27AAKPD4821M1Z' has 14 characters, not 15"),
    ("99AAKPD4821M1ZK", "GSTIN '99AAKPD4821M1ZK' starts with 99, which is no GST state code"),
    ("27AAAD1234F1ZK1", "GSTIN '27AAAD1234F1ZK1': AAAD1234F1 (characters 3–12) is not a PAN"),
    ("27AAKPD4821M1YK", "GSTIN '27AAKPD4821M1YK' is not laid out as a GSTIN"),
])
def test_a_bad_gstin_is_named_with_its_fault(typed, message):
    with pytest.raises(InvalidValue) as err:
        check_gstin(typed)
    assert err.value.message == message


def test_tax_ids_are_stored_compact_by_the_clients_country():
    assert check_gstin(" 27 aakpd 4821m 1zk ") == "27AAKPD4821M1ZK"
    assert check_vat_id("de 136 695 976", "DE") == "DE136695976"
    assert check_vat_id("136695976", "DE") == "DE136695976"  # the prefix added
    assert check_vat_id("094259216", "GR") == "EL094259216"  # Greece's VAT prefix is EL
    assert check_vat_id("980 7806 84", "GB") == "GB980780684"
    assert check_client_tax_id("EIN 12-3456789", "US") == "EIN 12-3456789"  # outside IN/EU/UK: as typed
    assert check_client_tax_id("", "IN") == ""
    with pytest.raises(InvalidValue) as err:
        check_vat_id("DE 298 475 113", "DE")
    assert err.value.message == ("'DE 298 475 113' is not a valid EU VAT number (the number's checksum or check "
                                 "digit is invalid)")
    with pytest.raises(InvalidValue) as err:
        check_vat_id("GB 284 1937 56", "GB")
    assert err.value.message.startswith("'GB 284 1937 56' is not a valid UK VAT registration number")


def test_the_profile_and_clients_keep_the_compact_gstin(va):
    from vakit.cli.common import ledger_path

    conn = sqlite3.connect(ledger_path())
    stored = conn.execute("SELECT tax_ids FROM profile").fetchone()
    assert stored == ('[{"label": "GSTIN", "value": "27AAKPD4821M1ZK"}]',)
    assert conn.execute("SELECT tax_id FROM clients WHERE name = 'Bangalore Code Works'").fetchone() == (
        "29AAGCB7383J1Z4",)


def test_a_bad_tax_id_is_refused_at_init_client_add_and_edit(va, cli, tmp_path):
    res = cli("--db", str(tmp_path / "other.sqlite3"), "init", "--name", "VA", "--tz", "Asia/Kolkata", "--currency",
              "INR", "--tax-id", "GSTIN=27AAKPD4821M1Z3", ok=False)
    assert res.exit_code == 1 and res.stderr == ("vakit: GSTIN '27AAKPD4821M1Z3' fails its check character: a "
                                                 "character is mistyped (copy it from the GST registration "
                                                 "certificate)\n")
    assert not (tmp_path / "other.sqlite3").exists()
    before = _dump(cli)
    res = cli("client", "add", "Typo Ltd", "--country", "IN", "--tax-id", "29AAGCB7383J1Z5", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("vakit: GSTIN '29AAGCB7383J1Z5' fails its check character")
    res = cli("client", "add", "Müller", "--country", "DE", "--tax-id", "DE 298 475 113", ok=False)
    assert res.exit_code == 1 and res.stderr.count("\n") == 1
    # a client's country changed to India: its tax id must then be a GSTIN
    cli("client", "edit", "Northwind", "--tax-id", "EIN 12-3456789")
    before = _dump(cli)
    res = cli("client", "edit", "Northwind", "--country", "IN", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("vakit: GSTIN 'EIN 12-3456789' has 12 characters, not 15")
    assert _dump(cli) == before


def test_c_gst_intra_state_cgst_and_sgst_inter_state_igst(va, cli):
    """Pune → Pune: CGST 9% + SGST 9%; Pune → Bengaluru: IGST 18%; a Pune client without a GSTIN: not known,
    so either is kept."""
    out = cli("contract", "add", "--client", "Pune Traders", "--rate", "600", "--tax", "CGST 9%", "--tax", "SGST 9%",
              "--from", "2026-11-01").stdout
    assert "taxes CGST 9%, SGST 9%" in out
    out = cli("contract", "add", "--client", "Bangalore Code Works", "--rate", "600", "--tax", "IGST 18%",
              "--from", "2026-11-01").stdout
    assert "taxes IGST 18%" in out
    cli("contract", "add", "--client", "Corner Shop", "--rate", "600", "--tax", "CGST 9%", "--tax", "SGST 9%",
        "--from", "2026-11-01")
    cli("contract", "add", "--client", "Northwind", "--rate", "25", "--tax", "IGST 18%", "--from", "2026-11-01")


@pytest.mark.parametrize(("client", "taxes", "why"), [
    ("Bangalore Code Works", ("CGST 9%", "SGST 9%"),
     "CGST + SGST on a supply from Maharashtra (27) to Karnataka (29): a supply between states is inter-state "
     "(IGST Act 2017, s. 7(3)), so IGST"),
    ("Pune Traders", ("IGST 18%",),
     "IGST on a supply within Maharashtra (27): a supply inside one state is intra-state (IGST Act 2017, s. 8), so "
     "CGST + SGST, each half the rate"),
    ("Pune Traders", ("CGST 9%", "SGST 6%"),
     "CGST 9% with SGST 6%: CGST and SGST (or UTGST) are each half of the GST rate, so they are equal (CGST Act "
     "2017, s. 9; SGST Acts)"),
    ("Pune Traders", ("CGST 9%",),
     "CGST alone within Maharashtra (27): an intra-state supply carries CGST and SGST (or UTGST) together (CGST Act "
     "2017, s. 9; SGST Acts)"),
    ("Northwind", ("CGST 9%", "SGST 9%"),
     "CGST + SGST on a supply to a client outside India: an export of services is an inter-state supply (IGST Act "
     "2017, s. 7(5)(a)), so IGST, or no tax under a LUT"),
])
def test_gst_contradicting_the_place_of_supply_is_refused_unless_forced(va, cli, client, taxes, why):
    before = _dump(cli)
    args = ["contract", "add", "--client", client, "--rate", "600", "--from", "2026-11-01"]
    for t in taxes:
        args += ["--tax", t]
    res = cli(*args, ok=False)
    assert res.exit_code == 1 and res.stderr == f"vakit: {why}{HINT}"
    assert _dump(cli) == before
    out = cli(*args, "--force").stdout
    assert f"taxes {', '.join(taxes)}" in out


def test_contract_edit_to_contradicting_taxes_is_refused(va, cli):
    cli("contract", "add", "--client", "Bangalore Code Works", "--rate", "600", "--tax", "IGST 18%",
        "--from", "2026-11-01")
    before = _dump(cli)
    res = cli("contract", "edit", "1", "--tax", "CGST 9%", "--tax", "SGST 9%", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("vakit: CGST + SGST on a supply from Maharashtra (27) to "
                                                        "Karnataka (29)")
    assert _dump(cli) == before
    assert "CGST 9%, SGST 9%" in cli("contract", "edit", "1", "--tax", "CGST 9%", "--tax", "SGST 9%",
                                     "--force").stdout
    cli("contract", "edit", "1", "--rate", "650")  # other terms change without the taxes being judged again


@pytest.mark.parametrize(("client", "contract", "taxes", "figures", "place"), [
    ("Pune Traders", ("--rate", "600", "--tax", "CGST 9%", "--tax", "SGST 9%"),
     [("CGST", "9", 13500), ("SGST", "9", 13500)], (150000, 27000, 177000), "Maharashtra (27)"),
    ("Bangalore Code Works", ("--rate", "600", "--tax", "IGST 18%"),
     [("IGST", "18", 27000)], (150000, 27000, 177000), "Karnataka (29)"),
    ("Northwind", ("--rate", "25", "--legend", "Supply meant for export under LUT without payment of integrated "
                   "tax (IGST). Country of destination: United States."),
     [], (6250, 0, 6250), "Outside India (United States)"),
])
def test_c_gst_invoice_figures_agree_in_json_ledger_and_pdf(va, cli, tmp_path, client, contract, taxes, figures,
                                                             place):
    """2:30 h in October at ₹600.00/h = ₹1,500.00: intra-state CGST 9 % + SGST 9 % (₹135.00 each, on the full
    base), inter-state IGST 18 % (₹270.00); at $25.00/h an export under LUT without tax ($62.50). The same figures
    in ``invoice show --json``, the invoices row and the PDF's text."""
    import json

    from pypdf import PdfReader

    cli("contract", "add", "--client", client, *contract, "--sac", "998599", "--from", "2026-10-01")
    cli("log", "add", "--client", client, "--from", "2026-10-05 09:00", "--duration", "2h30m")
    cli("invoice", "create", "--client", client, "--month", "2026-10")
    cli("invoice", "issue", "#1", "--date", "2026-11-02")
    shown = json.loads(cli("invoice", "show", "INV-2026-0001", "--json").stdout)["data"]
    subtotal, tax, total = figures
    assert [(t["name"], t["percent"], t["amount"]["minor"]) for t in shown["taxes"]] == taxes
    assert (shown["subtotal"]["minor"], shown["total"]["minor"]) == (subtotal, total)
    from vakit.cli.common import ledger_path

    row = sqlite3.connect(ledger_path()).execute(
        "SELECT subtotal_minor, tax_minor, total_minor, json_extract(document, '$.place_of_supply') FROM invoices"
    ).fetchone()
    assert row == (subtotal, tax, total, place)
    cli("invoice", "pdf", "INV-2026-0001", "-o", f"{tmp_path}/")
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "INV-2026-0001.pdf").pages)
    assert f"Place of supply {place}" in text
    money = (lambda m: f"₹{m / 100:,.2f}") if client != "Northwind" else (lambda m: f"${m / 100:,.2f}")
    for name, percent, minor in taxes:
        assert f"{name} {percent}% on {money(subtotal)} {money(minor)}" in text
    assert f"Subtotal {money(subtotal)}" in text and f"Total ({shown['currency']}) {money(total)}" in text
    if not taxes:
        assert "under LUT without payment of integrated" in text and "IGST" not in text.split("Subtotal")[1][:80]


def test_a_tax_rate_above_100_percent_is_refused(va, cli):
    before = _dump(cli)
    res = cli("contract", "add", "--client", "Northwind", "--rate", "25", "--tax", "IGST 180%", ok=False)
    assert res.exit_code == 1 and res.stderr == "vakit: tax rate 180% is above 100%\n"
    assert _dump(cli) == before
