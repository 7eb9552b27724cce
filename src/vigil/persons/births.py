"""Records' birth years by index slot, as arrays: what lets a screening set aside, in a few
numpy operations, the close names whose birth date rules them out.

Of the sixty records of a shortlist whose names come closest, nearly all are strangers born
years apart from the traveller; ``matching.birth_feature`` would say "conflict" for each, one
record and a few string splits at a time, reading entries that each sit somewhere else in
memory. The years here say it for all of them at once. Only the years are kept, and only the
surest case is decided from them (years two or more apart, or outside a recorded range):
everything finer (months, days swapped, a year off by one) is left to ``birth_feature``.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np


def year_of(text: str | None) -> int:
    """The year of a date written YYYY, YYYY-MM or YYYY-MM-DD; 0 for none or another form."""
    if not text or len(text) < 4 or not text[:4].isdigit() or (len(text) > 4 and text[4] != "-"):
        return 0
    return int(text[:4])


class BirthYears:
    """Per slot: the year of the record's birth date, and of the end of its range (0 for
    none: a single date)."""

    def __init__(self) -> None:
        self.first = array("H")
        self.last = array("H")

    def add(self, slot: int, birth_date: str | None, birth_date_to: str | None) -> None:
        if slot != len(self.first):
            raise ValueError(f"slot {slot} out of order: {len(self.first)} slots")
        first, last = year_of(birth_date), year_of(birth_date_to)
        if birth_date_to and not last:
            first = 0  # a range whose end is written otherwise: left to ``birth_feature``
        self.first.append(first)
        self.last.append(last if first else 0)

    def copy(self) -> BirthYears:
        other = BirthYears()
        other.first, other.last = self.first[:], self.last[:]
        return other

    def of(self, slots: np.ndarray) -> Born:
        """The years of the records in ``slots`` (a copy: under the index's lock, as records
        put later grow the arrays)."""
        first = np.frombuffer(self.first, dtype=np.uint16)[slots].astype(np.int64)
        last = np.frombuffer(self.last, dtype=np.uint16)[slots].astype(np.int64)
        return Born(first, last)


@dataclass(frozen=True, slots=True)
class Born:
    """The birth years of a shortlist's records, by position (``BirthYears``)."""

    first: np.ndarray
    last: np.ndarray

    def conflicting(self, asked: str | None) -> np.ndarray:
        """Which records hold a birth date that ``birth_feature`` finds in conflict with
        ``asked`` for certain, from the years alone: outside the recorded range, or two
        years or more from a single date. False where it cannot tell from the years."""
        year = year_of(asked)
        if not year:
            return np.zeros(len(self.first), dtype=bool)
        outside = (year < self.first) | (year > self.last)
        apart = np.abs(year - self.first) >= 2
        found: np.ndarray = (self.first > 0) & np.where(self.last > 0, outside, apart)
        return found
