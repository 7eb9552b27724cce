"""Writing an MRZ: the lines of a document from its fields, with every check digit.

The synthetic world calls this some ten million times, so it avoids regular expressions and
pydantic, remembers transliterated names, and computes check digits with ``bytes.translate``.
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache

from vigil.documents.mrz.check_digits import MRZ_CHARACTERS
from vigil.documents.mrz.check_digits import fast_check_digit as _check
from vigil.documents.mrz.codes import known_codes
from vigil.documents.mrz.dates import format_date
from vigil.documents.mrz.layouts import LAYOUTS, Layout
from vigil.documents.mrz.names import name_field
from vigil.errors import InvalidInput

_SEX = {"M": "M", "F": "F", "X": "<", "<": "<", "": "<"}
_LETTERS_AND_FILLER = MRZ_CHARACTERS[:26] + "<"


def make_mrz(
    *,
    format: str,
    document_code: str,
    issuing_state: str,
    document_number: str,
    surname: str,
    given_names: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
    optional_data_2: str = "",
) -> list[str]:
    """Write the machine readable zone of a travel document.

    Args:
        format: "TD1" (ID card, 3x30), "TD2" (2x36), "TD3" (passport, 2x44), "MRVA" (visa, 2x44)
            or "MRVB" (visa, 2x36).
        document_code: one or two characters; the first is P for TD3, A, C or I for TD1 and TD2,
            V for visas.
        issuing_state: the issuing state's or body's code (ISO 3166-1 alpha-3, D, UNO, XXA...).
        document_number: up to nine characters; TD1 and TD2 take longer numbers, continued in
            the optional data as Doc 9303 prescribes.
        surname: the primary identifier, in any script (transliterated, then truncated if long).
        given_names: the secondary identifier, likewise; may be empty.
        nationality: the holder's nationality code, as ``issuing_state``.
        birth_date: the date of birth, or None when unknown (written ``<<<<<<``).
        sex: "M", "F", or "X" (or "" or "<") for unspecified.
        expiry_date: the date of expiry ("valid until" on a visa).
        optional_data: A-Z, 0-9 and spaces (written ``<``): the TD3 personal number, the TD1
            upper line's optional data, the optional data of TD2 and visas.
        optional_data_2: the optional data of the TD1 middle line (TD1 only).

    Returns:
        The lines of the MRZ, top first.

    Raises:
        InvalidInput: a field is unknown, too long, or holds what an MRZ cannot write.
    """
    layout = LAYOUTS.get(format)
    if layout is None:
        raise InvalidInput(f"format must be one of {', '.join(LAYOUTS)}, not {format!r}")
    if optional_data_2 and layout.optional_data_2 is None:
        raise InvalidInput(f"optional_data_2 exists only in TD1, not in {format}")
    upper = _document_code(document_code, layout) + _code(issuing_state, "issuing_state")
    name = name_field(surname, given_names, layout.name_width)
    number = _characters(document_number, "document_number")
    if not number:
        raise InvalidInput("document_number is required")
    dates = _dated(birth_date) + _sex(sex) + _expiry(expiry_date)
    optional = _characters(optional_data, "optional_data")
    if layout.optional_data_2 is not None:
        return _td1(
            upper, number, dates, _code(nationality, "nationality"), name, optional, optional_data_2
        )
    number_field, optional_field = _number_and_optional(layout, number, optional)
    lower = number_field + _code(nationality, "nationality") + dates + optional_field
    if layout.optional_data_check is not None:
        lower += _check(optional_field) if optional_field.strip("<") else "<"
    if layout.composite_check is not None:
        lower += _check(lower[0:10] + lower[13:20] + lower[21:])
    return [upper + name, lower]


def _td1(
    upper: str, number: str, dates: str, nationality: str, name: str, optional: str, optional_2: str
) -> list[str]:
    """The three lines of a TD1; its composite check covers parts of both upper lines."""
    number_field, optional_field = _number_and_optional(LAYOUTS["TD1"], number, optional)
    second = _padded(_characters(optional_2, "optional_data_2"), 11, "optional_data_2")
    composite = _check(number_field + optional_field + dates[0:7] + dates[8:15] + second)
    return [upper + number_field + optional_field, dates + nationality + second + composite, name]


def _number_and_optional(layout: Layout, number: str, optional: str) -> tuple[str, str]:
    """The document number with its check digit, and the optional data field after it.

    A number longer than nine characters (TD1, TD2) keeps nine in its field, ``<`` in place of the
    check digit, and continues in the optional data with its check digit and a filler.
    """
    width = layout.optional_width
    if len(number) <= 9:
        field = number + "<" * (9 - len(number))
        return field + _check(field), _padded(optional, width, "optional_data")
    if not layout.long_numbers:
        raise InvalidInput(f"a {layout.format} document number has at most 9 characters")
    rest = number[9:]
    if "<" in rest:
        raise InvalidInput("a long document number cannot hold a space past its ninth character")
    continued = rest + _check(number) + ("<" + optional if optional else "")
    if len(continued) > width:
        raise InvalidInput(f"document number and optional data do not fit the {layout.format}")
    return number[:9] + "<", continued + "<" * (width - len(continued))


def _document_code(value: str, layout: Layout) -> str:
    """The two-character document code, checked against what the format allows."""
    code = value.upper()
    if (
        not 1 <= len(code) <= 2
        or code[0] not in layout.document_kinds
        or code.strip(_LETTERS_AND_FILLER)
    ):
        kinds = ", ".join(sorted(layout.document_kinds))
        raise InvalidInput(
            f"document_code of a {layout.format} is {kinds} and an optional letter, not {value!r}"
        )
    return code if len(code) == 2 else code + "<"


def _code(value: str, field: str) -> str:
    """A state or body code, filled to three characters (``D`` is written ``D<<``)."""
    written = _code_fields().get(value)
    if written is not None:
        return written
    code = value.upper().rstrip("<")
    if code not in known_codes():
        raise InvalidInput(f"{field} {value!r} is not an ICAO state or organization code")
    return code + "<" * (3 - len(code))


@cache
def _code_fields() -> dict[str, str]:
    """Each known code as the MRZ writes it, looked up at once for the common case."""
    return {code: code + "<" * (3 - len(code)) for code in known_codes()}


def _characters(value: str, field: str) -> str:
    """``value`` upper-cased with spaces as fillers, checked to hold only MRZ characters."""
    text = value.strip().upper().replace(" ", "<")
    if text.strip(MRZ_CHARACTERS):
        raise InvalidInput(f"{field} may hold only A-Z, 0-9 and spaces, not {value!r}")
    return text


def _padded(text: str, width: int, field: str) -> str:
    """``text`` filled with ``<`` to ``width``."""
    if len(text) > width:
        raise InvalidInput(f"{field} has at most {width} characters, not {len(text)}")
    return text + "<" * (width - len(text))


def _sex(value: str) -> str:
    """The sex as the MRZ writes it: M, F or ``<`` for unspecified."""
    sex = _SEX.get(value.upper())
    if sex is None:
        raise InvalidInput(f"sex is M, F or X, not {value!r}")
    return sex


def _expiry(value: date | None) -> str:
    """The date of expiry and its check digit (required, though the signature says so already)."""
    if value is None:
        raise InvalidInput("expiry_date is required")
    return _dated(value)


@lru_cache(maxsize=1 << 16)
def _dated(value: date | None) -> str:
    """A date as YYMMDD and its check digit, remembered: a century has only 36,525 of them."""
    written = format_date(value)
    return written + _check(written)
