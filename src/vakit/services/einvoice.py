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


#: two-letter codes Babel names that are not countries an address can be in
NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO"})


def check_einvoice_client(country: str, supplier_tax_ids) -> None:
    """Refuse an e-invoice client vakit cannot make e-invoices for: a country that is not an ISO 3166 code (EN
    16931 BR-11, BR-CL-14), a VA without an EU or UK VAT number (vakit reads the VA's country from it, BR-09),
    or the ``factur-x`` library missing. Raises InvalidValue."""
    from babel import Locale

    from vakit.services.vat import supplier_vat

    code = (country or "").strip().upper()
    if len(code) != 2 or not code.isalpha() or code in NOT_COUNTRIES or code not in Locale("en").territories:
        raise InvalidValue(f"an e-invoice names the client's country as an ISO 3166 two-letter code (EN 16931, "
                           f"BR-11), not {country.strip() or 'nothing'}", "give it with --country, e.g. --country FR")
    if supplier_vat(supplier_tax_ids) is None:
        raise InvalidValue("an e-invoice names your country, which vakit reads from your EU or UK VAT number, and "
                           "your profile has none", "add it: vakit init --tax-id VAT=DE123456789")
    require_facturx()
