"""Dates in the MRZ: YYMMDD, with the century left for the reader to infer (Doc 9303 Part 3,
section 4.8 gives no rule), and unknown parts of a date of birth written as ``<<``."""

from __future__ import annotations

from datetime import date

UNKNOWN_DATE = "<<<<<<"
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(100))
# Either side of today within which an expiry date is placed: documents run up to ten years
# (some twenty) and expired ones are still read, so any fifty-year window around today is safe.
_EXPIRY_WINDOW_YEARS = 50


def format_date(value: date | None) -> str:
    """A date as YYMMDD, or ``<<<<<<`` when it is unknown."""
    if value is None:
        return UNKNOWN_DATE
    return _TWO_DIGITS[value.year % 100] + _TWO_DIGITS[value.month] + _TWO_DIGITS[value.day]


def is_partial_date(raw: str) -> bool:
    """Whether ``raw`` is a date of birth with some (not all) parts unknown, such as ``74<<<<``."""
    parts = (raw[0:2], raw[2:4], raw[4:6])
    unknown = sum(part == "<<" for part in parts)
    known = sum(part.isdigit() for part in parts)
    return unknown + known == 3 and unknown > 0


def read_birth_date(raw: str, *, today: date) -> date:
    """The date of birth written ``raw`` (YYMMDD), never later than ``today``.

    Border systems read a two-digit year as this century unless that puts the birth in the future,
    and then as the last century.

    Raises:
        ValueError: ``raw`` is not six digits or not a date of the calendar.
    """
    year, month, day = _split(raw)
    full_year = 2000 + year
    if (full_year, month, day) > (today.year, today.month, today.day):
        full_year -= 100
    return date(full_year, month, day)


def read_expiry_date(raw: str, *, today: date) -> date:
    """The date of expiry written ``raw`` (YYMMDD), in the century that puts it less than fifty
    years before or after ``today`` (expired documents are read as well as valid ones).

    Raises:
        ValueError: ``raw`` is not six digits or not a date of the calendar.
    """
    year, month, day = _split(raw)
    first_year = today.year - _EXPIRY_WINDOW_YEARS
    return date(first_year + (year - first_year) % 100, month, day)


def _split(raw: str) -> tuple[int, int, int]:
    """The year, month and day numbers of a YYMMDD string."""
    if len(raw) != 6 or not raw.isdigit() or not raw.isascii():
        raise ValueError(f"{raw!r} is not a date written YYMMDD")
    return int(raw[0:2]), int(raw[2:4]), int(raw[4:6])
