"""Fonts for the invoice PDF: Noto Sans (Latin, Greek, Cyrillic, Devanagari, ₹ € £ ¥ …)
with Noto Sans Devanagari as fallback, shaped by HarfBuzz (uharfbuzz).

The fonts come from the PyPI packages ``fontpkg-noto-sans``,
``fontpkg-noto-sans-devanagari`` and ``fontpkg-inter``. They ship *variable* fonts
(axes ``wght`` 100–900 and ``wdth`` 62.5–100, or ``opsz`` for Inter). Each static
instance (regular = wght 400, bold = wght 700) is made once by HarfBuzz's instancer
(uharfbuzz ``subset`` with every axis pinned and every glyph and table kept:
≈ 0.02 s a style, where fontTools' ``instancer`` took 0.6–3 s and fpdf2's own
``add_font(variations=...)`` ≈ 3.5 s, which made a first ``vakit demo`` wait ≈ 12 s
for fonts; issue 11) and cached on disk (``$VAKIT_CACHE_DIR/fonts``, else the user
cache dir from platformdirs, e.g. ``~/.cache/vakit/fonts``); the cache holds only
derived font files, never user data. If it cannot be written, each instance goes to
a temporary file for this process.

Heavy imports (fpdf, fontTools) happen inside the functions, so importing this
module costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vakit.core.errors import InvalidValue

if TYPE_CHECKING:  # pragma: no cover
    from fpdf import FPDF

FAMILY = "NotoSans"
FALLBACK_FAMILY = "NotoSansDevanagari"
#: Inter (fontpkg-inter) covers the arrows, check marks and other symbols Noto Sans lacks ("EN→DE")
SYMBOL_FAMILY = "Inter"
#: style letter ("" regular, "B" bold) → axis values of the variable fonts
STYLES: dict[str, dict[str, float]] = {"": {"wght": 400, "wdth": 100}, "B": {"wght": 700, "wdth": 100}}
#: Inter has an optical-size axis instead of a width axis
_AXES = {SYMBOL_FAMILY: {"": {"wght": 400, "opsz": 14}, "B": {"wght": 700, "opsz": 14}}}


def font_files() -> dict[str, Path]:
    """Family name → path of its variable TTF, for ``FAMILY`` and ``FALLBACK_FAMILY``.

    Raises InvalidValue when a font package is not installed.
    """
    try:
        import fontpkg_inter
        import fontpkg_noto_sans
        import fontpkg_noto_sans_devanagari
    except ImportError as exc:  # pragma: no cover - all are dependencies
        raise InvalidValue(
            "the invoice PDF fonts are not installed",
            "pip install fontpkg-noto-sans fontpkg-noto-sans-devanagari fontpkg-inter",
        ) from exc
    return {
        FAMILY: Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf",
        FALLBACK_FAMILY: Path(fontpkg_noto_sans_devanagari.ROOT) / "files" / "NotoSansDevanagari[wdth,wght].ttf",
        SYMBOL_FAMILY: Path(fontpkg_inter.ROOT) / "files" / "Inter[opsz,wght].ttf",
    }


_made: dict[tuple[Path, str], Path] = {}


def _cache_dir() -> Path:
    override = os.environ.get("VAKIT_CACHE_DIR")
    if override:
        return Path(override) / "fonts"
    import platformdirs

    return platformdirs.user_cache_path("vakit") / "fonts"


def static_instance(src: Path, axes: dict[str, float]) -> Path | None:
    """Path of a cached static instance of variable font ``src`` at ``axes``, creating it if needed.

    Made by HarfBuzz's instancer (every axis pinned, all glyphs and tables kept): the default instance is the
    same font as fontTools' ``instancer`` makes, glyph for glyph; others differ from it by at most one font unit
    in a point or an advance (rounding). The cache key is the source file's SHA-256 (first 16 hex digits), the
    instancer (``hb``) and the axis values, so the bytes of a cached instance never change under a PDF. Returns
    None when the cache directory cannot be written (the caller then adds the instance from memory).
    """
    tag = "-".join(f"{k}{v:g}" for k, v in sorted(axes.items()))
    known = _made.get((src, tag))
    if known is not None and known.exists():
        return known
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
    target = _cache_dir() / f"{src.stem.split('[')[0]}-{digest}-hb-{tag}.ttf"
    if target.exists():
        _made[(src, tag)] = target
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(instance_bytes(src, axes))
        os.replace(tmp, target)  # atomic: concurrent renders never see half a file
    except OSError:
        return None
    _made[(src, tag)] = target
    return target


def instance_bytes(src: Path, axes: dict[str, float]) -> bytes:
    """A static TrueType font: variable font ``src`` with every axis pinned at ``axes`` (HarfBuzz subsetter's
    instancer, keeping every glyph and table). Raises InvalidValue when HarfBuzz cannot make it."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(src)))
    request = hb.SubsetInput()
    request.keep_everything()
    for axis, value in axes.items():
        request.pin_axis_location(face, axis, value)
    made = hb.subset(face, request)
    if made is None:  # pragma: no cover - a font HarfBuzz cannot instance
        raise InvalidValue(f"could not make a static instance of {src.name} at {axes}")
    return made.blob.data


def _temporary_instance(src: Path, axes: dict[str, float]) -> Path:
    """A static instance in a private temporary file, removed when this process ends (the font cache could not
    be written)."""
    import atexit

    fd, name = tempfile.mkstemp(suffix=".ttf")
    with os.fdopen(fd, "wb") as fh:
        fh.write(instance_bytes(src, axes))
    atexit.register(lambda: Path(name).unlink(missing_ok=True))
    return Path(name)


#: the family name of the font the VA adds (``vakit init --pdf-font PATH``), the last fallback
USER_FAMILY = "UserFont"
#: what a refusal suggests when no font has a character
MISSING_HINT = ("add a font that has them: vakit init --pdf-font PATH (a font installed on the system, e.g. Noto "
                "Sans CJK for Japanese or Chinese); or remove or transliterate those characters")


def check_font_file(path: str) -> str:
    """``path`` (``~`` expanded) as an absolute path, after checking it is a TrueType or OpenType font fontTools
    can read, with a Unicode character map. Raises InvalidValue."""
    from pathlib import Path

    from vakit.core.errors import InvalidValue

    target = Path(path).expanduser().resolve()
    if not target.is_file():
        raise InvalidValue(f"no font file at {target}", "give the path of a .ttf or .otf file")
    try:
        from fontTools.ttLib import TTFont

        cmap = TTFont(target, lazy=True).getBestCmap()
    except Exception as exc:  # noqa: BLE001 - any reason fontTools cannot read it
        raise InvalidValue(f"{target} is not a font vakit can read ({type(exc).__name__})",
                           "give a .ttf or .otf file") from None
    if not cmap:
        raise InvalidValue(f"{target} has no Unicode character map", "give a .ttf or .otf text font")
    return str(target)


def register_fonts(pdf: FPDF, extra: str = "") -> None:
    """Add regular and bold of Noto Sans and Noto Sans Devanagari to ``pdf``.

    Noto Sans Devanagari, then Inter (symbols such as →), then the VA's own font ``extra`` (a path; ``""``:
    none), become the fallbacks for any character Noto Sans lacks,
    and HarfBuzz text shaping is switched on (conjuncts, matras, reph). After this
    call, ``pdf.set_font(FAMILY, "" | "B", size)`` works.
    """
    for family, src in font_files().items():
        for style, axes in _AXES.get(family, STYLES).items():
            static = static_instance(src, axes)
            if static is not None:
                pdf.add_font(family, style, static)
            else:  # pragma: no cover - read-only cache dir
                pdf.add_font(family, style, _temporary_instance(src, axes))
    fallbacks = [FALLBACK_FAMILY, SYMBOL_FAMILY]
    if extra:
        pdf.add_font(USER_FAMILY, "", extra)
        fallbacks.append(USER_FAMILY)
    pdf.set_fallback_fonts(fallbacks, exact_match=False)
    pdf.set_text_shaping(True)


@lru_cache(maxsize=4)
def _covered(extra: str = "") -> frozenset[int]:
    from fontTools.ttLib import TTFont

    cps: set[int] = set()
    for src in (*font_files().values(), *((extra,) if extra else ())):
        cps.update(TTFont(src, lazy=True).getBestCmap())
    return frozenset(cps)


def missing_glyphs(text: str, extra: str = "") -> set[str]:
    """The characters of ``text`` that none of the registered fonts (and the VA's font ``extra``) can draw,
    even as their compatibility equivalent (:func:`drawable`).

    Read from the fonts' cmap tables (fontTools). Control characters and line or
    paragraph separators are ignored, since they are never drawn.
    """
    covered = _covered(extra)
    return {ch for ch in set(text) if ord(ch) not in covered and unicodedata.category(ch) not in ("Cc", "Zl", "Zp")
            and _equivalent(ch, covered) is None}


def drawable(text: str, extra: str = "") -> str:
    """``text`` with each character no registered font has replaced by its compatibility equivalent (Unicode
    NFKC) where the fonts have all of that: U+FFE5 FULLWIDTH YEN SIGN, which Babel writes for ja_JP, becomes
    ``¥``; fullwidth ``１２３`` becomes ``123``. Others stay as they are (:func:`missing_glyphs` names them).
    Text the fonts can draw comes back unchanged, so no PDF that could be made before changes its bytes."""
    covered = _covered(extra)
    if all(ord(ch) in covered for ch in text):
        return text
    return "".join(ch if ord(ch) in covered else _equivalent(ch, covered) or ch for ch in text)


def _equivalent(ch: str, covered: frozenset[int]) -> str | None:
    """``ch``'s compatibility form (NFKC) when it differs and every character of it is drawable, else None."""
    alt = unicodedata.normalize("NFKC", ch)
    return alt if alt != ch and all(ord(c) in covered for c in alt) else None


def describe_missing(chars: list[str], what: str = "the invoice PDF") -> str:
    """Message naming ``chars`` in the given order: ``"… cannot show '株', '式' (U+682A, U+5F0F): …"``."""
    ordered = list(dict.fromkeys(chars))
    shown = ", ".join(f"'{c}'" for c in ordered)
    codes = ", ".join(f"U+{ord(c):04X}" for c in ordered)
    return f"{what} cannot show {shown} ({codes}): no installed font has them"


def ensure_renderable(*texts: str, what: str = "the invoice PDF", extra: str = "") -> None:
    """Raise InvalidValue naming every character of ``texts`` no installed font (nor the VA's ``extra``) can
    draw, and how to add a font that can.

    Characters are named in order of first appearance, with their code points.
    """
    missing: list[str] = []
    for text in texts:
        bad = missing_glyphs(text, extra)
        missing.extend(ch for ch in text if ch in bad)
    if missing:
        raise InvalidValue(describe_missing(missing, what), MISSING_HINT)


@lru_cache(maxsize=1)
def output_producer_class() -> Any:
    """An fpdf2 ``OutputProducer`` subclass that keeps shaped text extractable.

    When HarfBuzz turns one cluster of characters into several glyphs (``र्स`` →
    स + reph, ``हि`` → ि + ह), fpdf2 2.8.9 gives the whole cluster's text to the
    first glyph and leaves the others out of the ToUnicode CMap; text extractors
    such as pypdf then emit the raw glyph code (``"\\x11"``) for them. This class
    maps those glyphs to the empty string, so ``pypdf`` extracts ``श्री गणेश ट्रेडर्स``
    exactly. Pass it as ``pdf.output(output_producer_class=...)``.
    """
    from fpdf.fonts import TTFFont
    from fpdf.output import OutputProducer

    class ClusterTextOutputProducer(OutputProducer):  # type: ignore[misc]
        def _add_fonts(self, *args: Any, **kwargs: Any) -> Any:
            objs = super()._add_fonts(*args, **kwargs)
            for font in self.fpdf.fonts.values():
                if not isinstance(font, TTFFont) or font.color_font or font.i not in objs:
                    continue
                silent = sorted(
                    code
                    for glyph, code in font.subset.items()
                    if glyph is not None and isinstance(glyph.unicode, tuple) and not glyph.unicode
                )
                cmap = getattr(objs[font.i], "to_unicode", None)
                raw = getattr(cmap, "_contents", None)
                if not silent or getattr(cmap, "filter", None) is not None or not isinstance(raw, bytes):
                    continue
                extra = "".join(
                    f"{len(chunk)} beginbfchar\n" + "".join(f"<{c:04X}> <>\n" for c in chunk) + "endbfchar\n"
                    for chunk in (silent[i : i + 100] for i in range(0, len(silent), 100))
                )
                text = raw.decode("latin-1").replace("endcmap\n", extra + "endcmap\n", 1)
                cmap._contents = text.encode("latin-1")
                cmap.length = len(cmap._contents)
            return objs

    return ClusterTextOutputProducer
