"""``vakit invoice export``: one document's lines and totals, or the register of documents, as plain-decimal
CSV (or JSON) for an accountant; typed text neutralised against spreadsheet formulas, amounts never."""

from __future__ import annotations

import csv
import io
import json

import pytest

NOW = "2025-06-02T09:00:00+02:00"


@pytest.fixture
def books(cli, tmp_path):
    cli.now = NOW
    cli("init", "--name", "Eva VA", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE",
        "--number-pattern", "INV-{year}-{seq:04}")
    cli("client", "add", "=HYPERLINK(\"x\")", "--tz", "Europe/Berlin", "--currency", "EUR", "--locale", "de_DE",
        "--country", "DE", "--tax-id", "DE 136 695 976")
    cli("client", "add", "Kyoto", "--currency", "JPY", "--locale", "ja_JP", "--tz", "Asia/Tokyo")
    cli("contract", "add", "--client", "=HYPERLINK", "--rate", "35.00", "--tax", "VAT 19%", "--from", "2025-05-01")
    cli("contract", "add", "--client", "Kyoto", "--rate", "5000", "--from", "2025-05-01")
    cli("log", "add", "--client", "=HYPERLINK", "--date", "2025-05-05", "--from", "09:00", "--to", "10:03",
        "Research")
    cli("log", "add", "--client", "Kyoto", "--date", "2025-05-05", "--from", "11:00", "--to", "12:30", "Research")
    cli("invoice", "create", "--client", "=HYPERLINK", "--month", "2025-05", "--discount", "5%")
    cli("invoice", "create", "--client", "Kyoto", "--month", "2025-05")
    cli("invoice", "issue", "#1", "--date", "2025-06-02")
    cli("invoice", "pay", "INV-2025-0001", "--amount", "20.00", "--date", "2025-06-02")
    return cli


def test_one_document_as_csv_with_its_figures(books, cli):
    rows = list(csv.reader(io.StringIO(cli("invoice", "export", "INV-2025-0001").stdout)))
    # 1.05 h × 35.00 = 36.75; 5 % off = 1.8375 → 1.84; net 34.91; VAT 19 % = 6.6329 → 6.63; total 41.54
    assert rows == [
        ["row", "description", "quantity", "unit", "unit_price", "amount", "currency"],
        ["line", "Virtual assistance, May 2025", "1.05", "h", "35.00", "36.75", "EUR"],
        ["subtotal", "Subtotal", "", "", "", "36.75", "EUR"],
        ["discount", "Discount 5%", "", "", "", "-1.84", "EUR"],
        ["net", "Net amount", "", "", "", "34.91", "EUR"],
        ["tax", "VAT 19% on 34.91", "", "", "19", "6.63", "EUR"],
        ["total", "Total", "", "", "", "41.54", "EUR"],
    ]


def test_the_register_has_every_document_with_standing_and_neutralised_text(books, cli, tmp_path):
    out = tmp_path / "reg.csv"
    res = cli("invoice", "export", "-o", str(out))
    assert res.stdout == f"Exported 2 documents to {out}\n"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    first, second = rows
    assert (first["number"], first["status"], first["client"], first["client_tax_id"], first["subtotal"],
            first["discount"], first["net"], first["taxes"], first["total"], first["paid"], first["balance"]) == (
        "INV-2025-0001", "partly paid", "'=HYPERLINK(\"x\")", "DE136695976", "36.75", "-1.84", "34.91",
        "VAT 19%=6.63", "41.54", "20.00", "21.54")
    # yen has no minor digits: 1.5 h × 5000 = 7500
    assert (second["number"], second["status"], second["currency"], second["total"], second["discount"]) == (
        "draft #2", "draft", "JPY", "7500", "0")
    again = cli("invoice", "export", "-o", str(out), ok=False)
    assert (again.exit_code, again.stderr) == (1, f"vakit: {out} exists already (pass --force to replace it, or "
                                                  "choose another name)\n")
    data = json.loads(cli("invoice", "export", "--format", "json", "--client", "Kyoto").stdout)
    assert [(d["number"], d["total"], d["currency"]) for d in data] == [("draft #2", "7500", "JPY")]


def test_a_document_line_typed_like_a_formula_is_neutralised(books, cli):
    cli("invoice", "delete", "#2")
    cli("contract", "edit", "2", "--detail", "per-task")
    cli("log", "add", "--client", "Kyoto", "--date", "2025-05-06", "--from", "09:00", "--to", "10:00", "=1+1")
    cli("invoice", "create", "--client", "Kyoto", "--month", "2025-05")
    rows = list(csv.reader(io.StringIO(cli("invoice", "export", "#2").stdout)))
    assert [r[1] for r in rows if r[0] == "line"] == ["Research", "'=1+1"]


def test_bad_export_options_are_refused(books, cli):
    for args, message in ((("--format", "xml"), "vakit: unknown export format 'xml' (choose csv or json)\n"),
                          (("INV-2025-0001", "--client", "Kyoto"),
                           "vakit: --client and --status choose documents for the register; not with one document\n"),
                          (("INV-2025-0001", "--format", "json"),
                           "vakit: one document as JSON is 'vakit invoice show REF --json'\n")):
        res = cli("invoice", "export", *args, ok=False)
        assert (res.exit_code, res.stdout, res.stderr) == (1, "", message)
