"""Currencies as they are written (C-21): zero-decimal yen and three-decimal dinar, to the currency's minor unit,
and a locale's currency symbol the bundled fonts lack drawn as its equivalent (ja_JP writes U+FFE5 FULLWIDTH YEN
SIGN; the PDF prints ¥), never refused for a character vakit chose itself (issue 9)."""

from __future__ import annotations

import json
import os

import pytest
from pypdf import PdfReader
from tests.test_late_time import pdf_text

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


DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def test_c29_latin_names_render_in_the_bold_header_and_the_client_block(cli, tmp_path):
    """C-29: every accented name survives into the PDF's text, bold header included; a name no bundled font
    has stops the PDF, naming its characters and how to add a font."""
    cli.now = "2025-06-02T09:00:00+02:00"
    cli("init", "--name", "Zoë Łukasiewicz-Ōtani", "--tz", "Europe/Copenhagen", "--currency", "DKK", "--locale",
        "da_DK")
    cli("client", "add", "Ærøskøbing Bøger ApS", "--address", "Vestergade 3;5970 Ærøskøbing", "--country", "DK")
    cli("contract", "add", "--client", "Ærø", "--rate", "400", "--detail", "per-task", "--from", "2025-05-01")
    cli("log", "add", "--client", "Ærø", "--date", "2025-05-05", "--from", "09:00", "--to", "10:00",
        "Übersetzung – Prüfbericht „Q3“")
    cli("invoice", "create", "--client", "Ærø", "--month", "2025-05")
    cli("invoice", "issue", "#1", "--date", "2025-06-02")
    number = json.loads(cli("invoice", "list", "--json").stdout)["data"][0]["number"]
    cli("invoice", "pdf", number, "-o", str(tmp_path / "inv.pdf"))
    text = pdf_text(tmp_path / "inv.pdf")
    for s in ("Zoë Łukasiewicz-Ōtani", "Ærøskøbing Bøger ApS", "5970 Ærøskøbing", "Übersetzung – Prüfbericht „Q3“"):
        assert s in text, s
    assert "?" not in text and "\ufffd" not in text  # no character replaced or dropped as a box


def test_a_name_no_font_has_is_named_and_a_font_added_with_init_renders_it(cli, tmp_path):
    if not os.path.exists(DEJAVU):
        pytest.skip(f"{DEJAVU} (Debian: fonts-dejavu-core) is not installed")
    cli.now = "2025-06-02T09:00:00+02:00"
    cli("init", "--name", "Nino VA", "--tz", "Asia/Tbilisi", "--currency", "GEL", "--locale", "en_GB")
    cli("client", "add", "საქართველო Ltd")
    cli("contract", "add", "--client", "საქ", "--rate", "40", "--from", "2025-05-01")
    cli("log", "add", "--client", "საქ", "--date", "2025-05-05", "--from", "09:00", "--to", "10:00", "Calls")
    cli("invoice", "create", "--client", "საქ", "--month", "2025-05")
    res = cli("invoice", "pdf", "#1", "-o", str(tmp_path / "a.pdf"), ok=False)
    assert (res.exit_code, res.stderr) == (1, (
        "vakit: the invoice PDF cannot show 'ს', 'ა', 'ქ', 'რ', 'თ', 'ვ', 'ე', 'ლ', 'ო' (U+10E1, U+10D0, U+10E5, "
        "U+10E0, U+10D7, U+10D5, U+10D4, U+10DA, U+10DD): no installed font has them (add a font that has them: "
        "vakit init --pdf-font PATH (a font installed on the system, e.g. Noto Sans CJK for Japanese or Chinese); "
        "or remove or transliterate those characters)\n"))
    assert not (tmp_path / "a.pdf").exists()
    bad = cli("init", "--pdf-font", str(tmp_path / "nope.ttf"), ok=False)
    assert bad.stderr == f"vakit: no font file at {tmp_path / 'nope.ttf'} (give the path of a .ttf or .otf file)\n"
    out = cli("init", "--pdf-font", DEJAVU).stdout
    assert out == f"Updated the profile of Nino VA: PDF font set to {DEJAVU}\n"
    cli("invoice", "pdf", "#1", "-o", str(tmp_path / "b.pdf"))
    assert "საქართველო Ltd" in pdf_text(tmp_path / "b.pdf")
    cli("init", "--pdf-font", "none")
    assert cli("invoice", "pdf", "#1", "-o", str(tmp_path / "c.pdf"), ok=False).exit_code == 1
