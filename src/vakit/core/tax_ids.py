"""Tax identifiers checked as their issuers define them, through python-stdnum: India's GSTIN (CGST Rules 2017,
rule 10: a state code, the holder's PAN, an entity number, ``Z``, a check character), the VAT identification
numbers of EU member states (Directive 2006/112/EC, Art. 214–215: each state's format and check digits) and
UK VAT registration numbers. A number is stored in its compact form (upper case, no spaces or dashes), the
form the issuer's own lookup takes.
"""

from __future__ import annotations

from vakit.core.errors import InvalidValue
from vakit.core.text import clean_text

#: EU member states (ISO 3166), whose VAT identification numbers an invoice labels "VAT ID" (Directive
#: 2006/112/EC, Art. 214–215); Greece's numbers carry the prefix EL
EU = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())

#: GST state codes (the first two digits of a GSTIN) → state or union territory
STATE_CODES = {
    "01": "Jammu and Kashmir", "02": "Himachal Pradesh", "03": "Punjab", "04": "Chandigarh", "05": "Uttarakhand",
    "06": "Haryana", "07": "Delhi", "08": "Rajasthan", "09": "Uttar Pradesh", "10": "Bihar", "11": "Sikkim",
    "12": "Arunachal Pradesh", "13": "Nagaland", "14": "Manipur", "15": "Mizoram", "16": "Tripura",
    "17": "Meghalaya", "18": "Assam", "19": "West Bengal", "20": "Jharkhand", "21": "Odisha", "22": "Chhattisgarh",
    "23": "Madhya Pradesh", "24": "Gujarat", "26": "Dadra and Nagar Haveli and Daman and Diu", "27": "Maharashtra",
    "29": "Karnataka", "30": "Goa", "31": "Lakshadweep", "32": "Kerala", "33": "Tamil Nadu", "34": "Puducherry",
    "35": "Andaman and Nicobar Islands", "36": "Telangana", "37": "Andhra Pradesh", "38": "Ladakh",
}


_GSTIN_HINT = "a GSTIN is 15 characters, e.g. 27AAKPD4821M1ZK: state code, PAN, entity number, Z, check character"


def check_gstin(value: str) -> str:
    """A GSTIN as typed → its compact form (``"27aakpd4821m1zk"`` → ``"27AAKPD4821M1ZK"``).

    Checks the length (15), the layout, the state code (CGST Rules 2017, rule 10; the codes of
    :data:`STATE_CODES`), the PAN in characters 3–12, the ``Z`` in the 14th place and the
    check character (a Luhn mod-36 check over the first 14). Raises InvalidValue naming which of them fails.
    """
    from stdnum import exceptions
    from stdnum.in_ import gstin, pan

    number = gstin.compact(clean_text(value, "tax id", label="GSTIN"))
    shown = repr(value.strip())
    try:
        return gstin.validate(number)
    except exceptions.InvalidLength as exc:
        raise InvalidValue(f"GSTIN {shown} has {len(number)} characters, not 15", _GSTIN_HINT) from exc
    except exceptions.InvalidChecksum as exc:
        raise InvalidValue(f"GSTIN {shown} fails its check character: a character is mistyped",
                           "copy it from the GST registration certificate") from exc
    except exceptions.ValidationError as exc:
        if number[:2].isdigit() and number[:2] not in STATE_CODES:
            raise InvalidValue(f"GSTIN {shown} starts with {number[:2]}, which is no GST state code",
                               _GSTIN_HINT) from exc
        if len(number) == 15 and not pan.is_valid(number[2:12]):
            raise InvalidValue(f"GSTIN {shown}: {number[2:12]} (characters 3–12) is not a PAN", _GSTIN_HINT) from exc
        raise InvalidValue(f"GSTIN {shown} is not laid out as a GSTIN", _GSTIN_HINT) from exc


def gstin(tax_ids) -> str | None:
    """The GSTIN among ``tax_ids`` (:class:`vakit.core.models.TaxId`, labelled ``GSTIN`` in any case), or None: a
    supplier with one is GST-registered (CGST Act 2017, s. 25)."""
    return next((t.value for t in tax_ids if t.label.upper() == "GSTIN"), None)


def check_vat_id(value: str, country: str) -> str:
    """A VAT number of an EU member state (``country`` its ISO code; the prefix added when the number lacks it)
    or of the UK → its compact form (``"de 136 695 976"`` → ``"DE136695976"``). Raises InvalidValue when the
    number does not follow that state's format or check digits."""
    from stdnum import exceptions
    from stdnum.eu import vat as eu_vat
    from stdnum.gb import vat as gb_vat
    from stdnum.util import clean

    typed = clean_text(value, "tax id", label="VAT number")
    code = country.strip().upper()
    uk = code in ("GB", "UK")
    prefix = "GB" if uk else "EL" if code == "GR" else code
    number = clean(typed, " -./,").upper()  # python-stdnum's own compaction
    if not number[:2].isalpha():
        number = prefix + number
    try:
        return "GB" + gb_vat.validate(number) if uk else eu_vat.validate(number)
    except exceptions.ValidationError as exc:
        what = "UK VAT registration number" if uk else "EU VAT number"
        raise InvalidValue(f"{typed!r} is not a valid {what} ({exc.message.rstrip('.').lower()})",
                           f"write it as on the VAT registration, with or without the {prefix} prefix") from exc


def check_client_tax_id(value: str, country: str) -> str:
    """A client's tax id, checked by the rules of its ``country`` (ISO code): a GSTIN for India, a VAT number for
    an EU member state or the UK (each → its compact form); elsewhere (or no country) kept as typed, cleaned.
    ``""`` stays ``""``. Raises InvalidValue."""
    if not value.strip():
        return ""
    code = country.strip().upper()
    if code in ("IN", "INDIA"):
        return check_gstin(value)
    if code in EU or code in ("GB", "UK"):
        return check_vat_id(value, code)
    return clean_text(value, "tax id")
