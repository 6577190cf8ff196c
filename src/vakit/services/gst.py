"""India GST details printed on a GST-registered supplier's invoices.

- Place of supply for services (IGST Act 2017, s. 12(2)): the recipient's location — for a
  registered recipient, the state of its GSTIN (the GSTIN's first two digits are the state
  code, CGST Rules 2017, rule 10); for a recipient outside India (an export, s. 13), "Outside
  India" with the country.
- SAC: the services accounting code of the contract, shown on its lines (rule 46(g)).
"""

from __future__ import annotations

from vakit.core.tax_ids import STATE_CODES


def place_of_supply(country: str, gstin: str, country_name: str) -> str:
    """``"Maharashtra (27)"`` for a recipient with a GSTIN, ``"Outside India (United States)"`` for a
    foreign recipient, ``""`` when it cannot be told (an Indian recipient without a GSTIN)."""
    code = country.strip().upper()
    if code not in ("IN", "INDIA", ""):
        return f"Outside India ({country_name})"
    state = STATE_CODES.get(gstin.strip()[:2]) if gstin else None
    return f"{state} ({gstin.strip()[:2]})" if state else ""


#: GST levied within one state or union territory (CGST Act 2017, s. 9; each state's SGST Act; UTGST Act 2017,
#: s. 7), and on a supply between states or to a place outside India (IGST Act 2017, s. 5)
INTRA_STATE = ("CGST", "SGST", "UTGST")
INTER_STATE = ("IGST",)


def state_name(code: str) -> str:
    """``"27"`` → ``"Maharashtra (27)"``; an unknown code as it is."""
    return f"{STATE_CODES[code]} ({code})" if code in STATE_CODES else code


def contract_tax_conflict(supplier_gstin: str | None, client_country: str, client_gstin: str,
                          taxes: tuple) -> str | None:
    """Why a contract's ``taxes`` (:class:`vakit.core.models.Tax`) contradict where a GST-registered supplier's
    supply takes place, or None when they do not (or nothing can be told: a supplier without a GSTIN, a client in
    India without one, whose state vakit does not know).

    Rules: a supply to a recipient outside India is inter-state (IGST Act 2017, s. 7(5)(a)): IGST, or none under
    LUT; a supply whose recipient's state (its GSTIN's first two digits, IGST Act 2017, s. 12(2)) differs from the
    supplier's is inter-state (s. 7(3)): IGST, never CGST + SGST; one within the supplier's state is intra-state
    (s. 8): CGST with SGST (or UTGST), each half of the GST rate, never IGST."""
    if not supplier_gstin:
        return None
    names = {t.name.strip().upper(): t for t in taxes}
    intra = [n for n in INTRA_STATE if n in names]
    inter = [n for n in INTER_STATE if n in names]
    if not intra and not inter:
        return None
    ours = supplier_gstin[:2]
    country = client_country.strip().upper()
    if country not in ("", "IN", "INDIA"):
        if intra:
            return (f"{' + '.join(intra)} on a supply to a client outside India: an export of services is an "
                    "inter-state supply (IGST Act 2017, s. 7(5)(a)), so IGST, or no tax under a LUT")
        return None
    theirs = client_gstin.strip()[:2]
    if len(client_gstin.strip()) != 15 or theirs not in STATE_CODES:
        return None  # a client in India without a GSTIN: its state is not known
    if theirs != ours and intra:
        return (f"{' + '.join(intra)} on a supply from {state_name(ours)} to {state_name(theirs)}: a supply between "
                "states is inter-state (IGST Act 2017, s. 7(3)), so IGST")
    if theirs == ours and inter:
        return (f"IGST on a supply within {state_name(ours)}: a supply inside one state is intra-state (IGST Act "
                "2017, s. 8), so CGST + SGST, each half the rate")
    if theirs == ours and intra:
        central = names.get("CGST")
        local = names.get("SGST") or names.get("UTGST")
        if central is None or local is None:
            return (f"{' + '.join(intra)} alone within {state_name(ours)}: an intra-state supply carries CGST and "
                    "SGST (or UTGST) together (CGST Act 2017, s. 9; SGST Acts)")
        if None not in (central.percent, local.percent) and central.percent != local.percent:
            return (f"{central.label()} with {local.label()}: CGST and SGST (or UTGST) are each half of the GST rate, "
                    "so they are equal (CGST Act 2017, s. 9; SGST Acts)")
    return None
