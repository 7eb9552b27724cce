"""What reading an MRZ gives back: the fields, and what was wrong or corrected in them."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from vigil.documents.mrz.layouts import MrzFormat


class MrzError(BaseModel):
    """A field that does not hold: a check digit, an unknown code, an impossible date."""

    model_config = ConfigDict(frozen=True)

    field: str
    line: int  # 1-based
    position: int  # 1-based column of the first character at fault
    message: str


class Correction(BaseModel):
    """One character changed in OCR-tolerant reading (``0`` read as ``O``, and the like)."""

    model_config = ConfigDict(frozen=True)

    field: str
    line: int  # 1-based
    position: int  # 1-based column
    from_char: str
    to_char: str


class ParsedMrz(BaseModel):
    """The fields of one machine readable zone, read as Doc 9303 lays them out.

    Names come back with ``<`` turned into spaces; codes, numbers and optional data without their
    trailing fillers. ``optional_data`` is the TD3 personal number, or the TD1 upper line's optional
    data past any long document number; ``optional_data_2`` is the TD1 middle line's. ``lines`` are
    the lines as read, after any OCR corrections.
    """

    model_config = ConfigDict(frozen=True)

    format: MrzFormat
    lines: list[str]
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    # Doc 9303: a letter in the last position of the name field means the name may be truncated.
    name_may_be_truncated: bool
    nationality: str
    birth_date: date | None
    birth_date_raw: str
    sex: Literal["M", "F", "X"] | None  # X: unspecified (``<`` in the MRZ); None: unreadable
    expiry_date: date | None
    expiry_date_raw: str
    optional_data: str
    optional_data_2: str
    valid: bool
    errors: list[MrzError]
    corrections: list[Correction]
