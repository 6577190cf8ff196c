"""India GST details printed on a GST-registered supplier's invoices.

- Place of supply for services (IGST Act 2017, s. 12(2)): the recipient's location — for a
  registered recipient, the state of its GSTIN (the GSTIN's first two digits are the state
  code, CGST Rules 2017, rule 10); for a recipient outside India (an export, s. 13), "Outside
  India" with the country.
- SAC: the services accounting code of the contract, shown on its lines (rule 46(g)).
"""

from __future__ import annotations

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


def place_of_supply(country: str, gstin: str, country_name: str) -> str:
    """``"Maharashtra (27)"`` for a recipient with a GSTIN, ``"Outside India (United States)"`` for a
    foreign recipient, ``""`` when it cannot be told (an Indian recipient without a GSTIN)."""
    code = country.strip().upper()
    if code not in ("IN", "INDIA", ""):
        return f"Outside India ({country_name})"
    state = STATE_CODES.get(gstin.strip()[:2]) if gstin else None
    return f"{state} ({gstin.strip()[:2]})" if state else ""
