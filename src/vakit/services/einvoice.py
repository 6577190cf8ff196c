"""E-invoices (issue 9): a client that asks for them (``vakit client add/edit --einvoice``) gets invoices and
credit notes whose PDF is PDF/A-3B with a Factur-X XML (EN 16931 profile) embedded
(:mod:`vakit.exporters.facturx`). The ``factur-x`` library, in the optional ``vakit[einvoice]`` extra, checks the
XML against the schema before a PDF carries it; vakit writes the XML and the PDF itself, so the bytes stay
deterministic."""

from __future__ import annotations

from types import ModuleType

from vakit.core.errors import InvalidValue

INSTALL_HINT = "install the e-invoice extra: pip install 'vakit[einvoice]' (or pipx inject vakit factur-x)"


def require_facturx() -> ModuleType:
    """The ``facturx`` module. Raises InvalidValue with the way to install it when it is missing."""
    try:
        import facturx
    except ImportError:
        raise InvalidValue("e-invoices need the factur-x library, which is not installed", INSTALL_HINT) from None
    return facturx


def check_einvoice_client(country: str) -> None:
    """Refuse an e-invoice client vakit cannot make e-invoices for: no two-letter country code (EN 16931
    BR-11), or the ``factur-x`` library missing. Raises InvalidValue."""
    code = (country or "").strip()
    if len(code) != 2 or not code.isalpha():
        raise InvalidValue(f"an e-invoice names the client's country as a two-letter code (EN 16931, BR-11), not "
                           f"{code or 'nothing'}", "give it with --country, e.g. --country FR")
    require_facturx()
