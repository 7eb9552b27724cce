"""Machine readable zones of travel documents, after ICAO Doc 9303 (8th edition): reading them
(``parse_mrz``), writing them (``make_mrz``) and transliterating names into them
(``transliterate_to_mrz``). Pure Python; ``anyascii``, when installed, romanises the scripts that
Doc 9303 gives no table for."""

from vigil.documents.mrz.check_digits import check_digit
from vigil.documents.mrz.codes import ICAO_CODES, code_name, known_codes
from vigil.documents.mrz.layouts import MrzFormat
from vigil.documents.mrz.make import make_mrz
from vigil.documents.mrz.models import Correction, MrzError, ParsedMrz
from vigil.documents.mrz.parse import parse_mrz
from vigil.documents.mrz.transliteration import transliterate_to_mrz

__all__ = [
    "ICAO_CODES",
    "Correction",
    "MrzError",
    "MrzFormat",
    "ParsedMrz",
    "check_digit",
    "code_name",
    "known_codes",
    "make_mrz",
    "parse_mrz",
    "transliterate_to_mrz",
]
