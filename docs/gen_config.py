"""Regenerate the reference part of docs/config.md from the settings table (vakit.core.settings.SETTINGS):

    python docs/gen_config.py

Everything above the marker line is written by hand and kept; everything below it is replaced."""

from __future__ import annotations

from pathlib import Path

from vakit.core.settings import reference_markdown

MARKER = "<!-- generated from vakit.core.settings.reference_markdown(): run `python docs/gen_config.py` -->\n"
DOC = Path(__file__).resolve().parent / "config.md"


def main() -> None:
    """Rewrite docs/config.md below :data:`MARKER` (which must be in it)."""
    text = DOC.read_text(encoding="utf-8")
    if MARKER not in text:
        raise SystemExit(f"{DOC} has no marker line; add it where the generated reference starts:\n{MARKER}")
    DOC.write_text(text.split(MARKER, 1)[0] + MARKER + reference_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
