"""Three-letter codes for the issuing state and the holder's nationality (Doc 9303 Part 3,
section 5): every ISO 3166-1 alpha-3 code plus the codes ICAO adds for people and bodies that are
not countries. A code is written left-aligned and filled with ``<`` (Germany is ``D<<``)."""

from __future__ import annotations

from functools import cache

import pycountry

# Doc 9303 Part 3, section 5 (8th edition, 2021), beyond ISO 3166-1 alpha-3.
ICAO_CODES: dict[str, str] = {
    # Part A: the one state whose MRZ code differs from its ISO code.
    "D": "Germany",
    # Part B: codes reserved by the ISO 3166 Maintenance Agency.
    "EUE": "European Union",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "UNA": "Specialized agency of the United Nations",
    "UNK": "Resident of Kosovo (travel document issued by UNMIK)",
    "UNO": "United Nations Organization",
    "XXA": "Stateless person (1954 Convention)",
    "XXB": "Refugee (1951 Convention)",
    "XXC": "Refugee (other than under the 1951 Convention)",
    "XXX": "Person of unspecified nationality",
    # Part C: other issuing authorities.
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community (CARICOM)",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa (COMESA)",
    "XEC": "Economic Community of West African States (ECOWAS)",
    "XPO": "INTERPOL",
    "XES": "Organisation of Eastern Caribbean States",
    "XMP": "Parliamentary Assembly of the Mediterranean",
    "XOM": "Sovereign Military Order of Malta",
    "XDC": "Southern African Development Community (SADC)",
}

# Not in Doc 9303 but met at borders: Kosovo's own passports carry RKS (UNMIK's carried UNK), and
# ICAO's specimen documents (the "Utopia" of every Doc 9303 example) carry UTO.
OTHER_CODES: dict[str, str] = {
    "RKS": "Kosovo",
    "UTO": "Utopia (ICAO specimen documents)",
}


@cache
def known_codes() -> frozenset[str]:
    """Every code accepted as an issuing state or nationality, without filler characters."""
    iso = {country.alpha_3 for country in pycountry.countries}
    return frozenset(iso | ICAO_CODES.keys() | OTHER_CODES.keys())


def code_name(code: str) -> str | None:
    """The English name of a state or body code (``D<<`` or ``D``), or None when unknown."""
    code = code.rstrip("<")
    if code in ICAO_CODES:
        return ICAO_CODES[code]
    if code in OTHER_CODES:
        return OTHER_CODES[code]
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return None if country is None else str(getattr(country, "common_name", None) or country.name)
