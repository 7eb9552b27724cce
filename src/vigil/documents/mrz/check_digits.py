"""Check digits of ICAO Doc 9303 Part 3, section 4.9: weights 7, 3, 1 repeated; ``<`` counts 0,
digits their value and letters A to Z 10 to 35; the digit is the weighted sum modulo 10."""

from __future__ import annotations

from vigil.errors import InvalidInput

MRZ_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_DIGITS = "0123456789"
# One byte per character holding its value, so that a C-level ``bytes.translate`` does the lookup:
# make_mrz computes four or five check digits per call, ten million calls per synthetic world.
_VALUES = bytes(
    (int(ch) if ch.isdigit() else ord(ch) - 55 if ch.isalpha() else 0)
    if ch in MRZ_CHARACTERS
    else 0
    for ch in map(chr, range(256))
)


def check_digit(data: str) -> str:
    """The check digit of ``data``, a string of MRZ characters (A-Z, 0-9 and ``<``).

    Args:
        data: the characters the digit protects, as they stand in the MRZ.

    Returns:
        One digit, ``"0"`` to ``"9"``.

    Raises:
        InvalidInput: ``data`` holds a character that an MRZ cannot.
    """
    if data.strip(MRZ_CHARACTERS):
        raise InvalidInput(f"{data!r} holds characters other than A-Z, 0-9 and <")
    return fast_check_digit(data)


def fast_check_digit(data: str) -> str:
    """The check digit of ``data``, which the caller has already checked holds MRZ characters."""
    values = data.encode("ascii").translate(_VALUES)
    return _DIGITS[(7 * sum(values[0::3]) + 3 * sum(values[1::3]) + sum(values[2::3])) % 10]
