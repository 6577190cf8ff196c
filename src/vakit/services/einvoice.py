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


def check_einvoice_client(country: str, profile) -> None:
    """Refuse an e-invoice client vakit cannot make e-invoices for: a country that is not an ISO 3166 code (EN
    16931 BR-11, BR-CL-14), a VA whose own country vakit cannot name (BR-09: read from the VA's EU or UK VAT
    number, else the profile's country), or the ``factur-x`` library missing. ``profile`` is the VA's
    :class:`~vakit.core.models.Profile`. Raises InvalidValue."""
    from vakit.core.validate import iso_country
    from vakit.services.vat import supplier_vat

    if iso_country(country) is None:
        raise InvalidValue(f"an e-invoice names the client's country as an ISO 3166 two-letter code (EN 16931, "
                           f"BR-11), not {country.strip() or 'nothing'}", "give it with --country, e.g. --country FR")
    if supplier_vat(profile.tax_ids) is None and not profile.country:
        raise InvalidValue("an e-invoice names your country, read from your EU or UK VAT number or your profile's "
                           "country, and your profile has neither", "add it: vakit init --country DE")
    require_facturx()
