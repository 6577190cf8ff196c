"""Currencies as they are written (C-21): zero-decimal yen and three-decimal dinar, to the currency's minor unit,
and a locale's currency symbol the bundled fonts lack drawn as its equivalent (ja_JP writes U+FFE5 FULLWIDTH YEN
SIGN; the PDF prints ¥), never refused for a character vakit chose itself (issue 9)."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from vakit.core.errors import InvalidValue
from vakit.exporters import fonts


def _invoice(cli, tmp_path, *, currency, locale, rate, hours, tax=None):
    cli.now = "2025-07-02T09:00:00+00:00"
    cli("init", "--name", "VA", "--tz", "UTC", "--currency", currency, "--locale", locale)
    cli("client", "add", "Client", "--currency", currency, "--locale", locale, "--tz", "UTC")
    cli("contract", "add", "--client", "Client", "--rate", rate, "--from", "2025-06-01",
        *(["--tax", tax] if tax else []))
    cli("log", "add", "--client", "Client", "--from", "2025-06-03 09:00", "--duration", hours)
    cli("invoice", "create", "--client", "Client", "--month", "2025-06")
    cli("invoice", "issue", "#1", "--date", "2025-07-01")
    shown = json.loads(cli("invoice", "show", "INV-2025-0001", "--json").stdout)["data"]
    cli("invoice", "pdf", "INV-2025-0001", "-o", f"{tmp_path}/")
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "INV-2025-0001.pdf").pages)
    return shown, text


def test_c21_yen_has_no_decimals_and_prints_in_ja_jp(cli, tmp_path):
    """7.5 h × ¥4,450 = ¥33,375; JCT 10 % = 3,337.5 → ¥3,338 (half up); total ¥36,713, without decimals."""
    shown, text = _invoice(cli, tmp_path, currency="JPY", locale="ja_JP", rate="4450", hours="7h30m", tax="JCT 10%")
    assert (shown["subtotal"]["amount"], shown["taxes"][0]["amount"]["amount"], shown["total"]["amount"]) == (
        "33375", "3338", "36713")
    assert "Subtotal ¥33,375" in text and "JCT 10% on ¥33,375 ¥3,338" in text and "Total (JPY) ¥36,713" in text
    assert "36,713.00" not in text and "￥" not in text


def test_c21_dinar_has_three_decimals(cli, tmp_path):
    """3.25 h × 7.125 KWD = 23.15625 → 23.156 KWD, not 23.16."""
    shown, text = _invoice(cli, tmp_path, currency="KWD", locale="en_US", rate="7.125", hours="3h15m")
    assert shown["lines"][0]["quantity"] == "3.25" and shown["total"]["amount"] == "23.156"
    assert "Total (KWD) KWD23.156" in text.replace("\xa0", " ")


def test_characters_the_fonts_lack_are_drawn_as_their_equivalent_or_named():
    assert fonts.drawable("￥36,713") == "¥36,713"
    assert fonts.drawable("ＡＢＣ Trading") == "ABC Trading"
    assert fonts.drawable("Müller ₹ श्री") == "Müller ₹ श्री"  # drawable already: unchanged
    assert fonts.missing_glyphs("￥ ＡＢＣ") == set()
    assert fonts.missing_glyphs("株式会社さくら ￥") == set("株式会社さくら")
    with pytest.raises(InvalidValue) as err:
        fonts.ensure_renderable("株式会社 ￥")
    assert err.value.message == ("the invoice PDF cannot show '株', '式', '会', '社' (U+682A, U+5F0F, U+4F1A, U+793E): "
                                 "no installed font has them")
