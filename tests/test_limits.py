"""Every stored text has one limit, the same typed or imported, and the PDF prints any text it accepted."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from vakit.core.errors import InvalidValue
from vakit.core.text import LIMITS, clean_imported, clean_text

WIDE = "W"  # the widest Latin letter: the worst case for wrapping
DEVA = "क्षि"  # a conjunct: shaped, several code points per cluster


def _max(field: str, unit: str = WIDE) -> str:
    n = LIMITS[field][0]
    return (unit * (n // len(unit) + 1))[:n]


def test_one_limit_for_typed_and_imported_text():
    for field, (limit, _) in LIMITS.items():
        assert clean_text("x" * limit, field) == "x" * limit
        with pytest.raises(InvalidValue, match=f"longer than {limit} characters"):
            clean_text("x" * (limit + 1), field)
        assert clean_imported("x" * limit, field, "f.csv line 2") == "x" * limit
        with pytest.raises(InvalidValue, match=f"f.csv line 2: {field} is longer than {limit} characters"):
            clean_imported("x" * (limit + 1), field, "f.csv line 2")


def test_an_invoice_with_every_text_at_its_limit_issues_and_prints(cli, tmp_path):
    db = str(tmp_path / "l.sqlite3")
    cli.now = "2026-11-03T10:00:00+00:00"
    address = "\n".join([_max("name")[:99]] * 5)[:LIMITS["address"][0]]
    cli("--db", db, "init", "--name", _max("name"), "--tz", "UTC", "--currency", "EUR", "--address", address,
        "--payment-details", _max("payment details"), "--email", _max("email"))
    name = _max("name", DEVA)
    cli("--db", db, "client", "add", name, "--address", address, "--tax-id", _max("tax id"), "--country", "CH")
    cli("--db", db, "contract", "add", "-c", name, "--rate", "10", "--from", "2026-10-01", "--description",
        _max("description"), *sum((["--legend", _max("legend")] for _ in range(3)), []), "--tax",
        f"{_max('tax name')[:39]} 19%")
    for day in range(1, 6):
        text = _max("description", DEVA if day % 2 else WIDE)
        cli("--db", db, "log", "add", "-c", name, "--from", f"2026-10-0{day} 09:00", "--duration", "1h", text)
    cli("--db", db, "invoice", "create", "-c", name, "--month", "2026-10")
    cli("--db", db, "invoice", "edit", "#1", "--note", _max("note"))
    cli("--db", db, "invoice", "issue", "#1")
    cli("--db", db, "invoice", "pdf", "INV-2026-0001", "-o", f"{tmp_path}/")
    reader = PdfReader(tmp_path / "INV-2026-0001.pdf")
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert len(reader.pages) >= 3
    assert "WWWWWWWWWW" in text and "Total (5 entries)" in text
