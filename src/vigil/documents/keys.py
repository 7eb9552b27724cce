"""The keys a document number is filed and looked up under.

An officer types "c01x 00t-47", an OCR engine reads "C01X0OT47": the *number key* drops
separators and case, and an exact match on it is a hit. The *OCR key* also folds the letters
that OCR and people confuse with digits; a match only on it is a "possible" hit, shown as such.
"""

from __future__ import annotations

import re

from vigil.core.countries import GS, is_member
from vigil.errors import InvalidInput

_SEPARATORS = re.compile(r"[^0-9A-Z]")
# Letters read for digits, after ICAO's own list (Doc 9303 Part 3, 4.3) and what border
# officers report: O/Q/D for 0, I/L for 1, Z for 2, S for 5, G for 6, B for 8.
_OCR_FOLD = str.maketrans("OQDILZSGB", "000112568")

# Codes a state writes in the MRZ where they differ from its ISO alpha-3 code.
_MRZ_STATES = {"D": "DEU"}


def number_key(number: str) -> str:
    """The number upper case, without spaces, dashes, fillers or other separators."""
    return _SEPARATORS.sub("", number.upper())


def ocr_key(key: str) -> str:
    """A number key with every OCR-confusable letter read as the digit it is mistaken for."""
    return key.translate(_OCR_FOLD)


def active_key(issuing_state: str, doc_type: str, key: str) -> str:
    """What makes a live report unique: one report per document."""
    return f"{issuing_state}:{doc_type}:{key}"


def checked_number(number: str) -> str:
    """The number key, or ``InvalidInput`` when nothing of the number is left."""
    key = number_key(number)
    if not key:
        raise InvalidInput(f"The document number {number!r} has no letters or digits.")
    return key


def member_state(code: str) -> str:
    """The member an issuing-state code names (alpha-3, or an MRZ code such as Germany's D)."""
    state = _MRZ_STATES.get(code.strip().upper(), code.strip().upper())
    if state == GS or not is_member(state):  # the General Secretariat issues no documents
        raise InvalidInput(f"Unknown issuing state {code!r}: give a member's ISO alpha-3 code.")
    return state
