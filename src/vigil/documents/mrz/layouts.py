"""Where each field stands in the five MRZ formats of Doc 9303 (Parts 4 to 7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

MrzFormat = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]


class Span(NamedTuple):
    """Characters ``start`` to ``stop`` (0-based, end excluded) of line ``line`` (0-based)."""

    line: int
    start: int
    stop: int


@dataclass(frozen=True, slots=True)
class Layout:
    """The fields of one format and the characters each check digit protects."""

    format: MrzFormat
    line_count: int
    width: int
    document_kinds: frozenset[str]  # allowed first characters of the document code
    document_code: Span
    issuing_state: Span
    name: Span
    document_number: Span
    document_number_check: Span
    nationality: Span
    birth_date: Span
    birth_date_check: Span
    sex: Span
    expiry_date: Span
    expiry_date_check: Span
    optional_data: Span
    optional_data_check: Span | None = None  # TD3: the personal number's own check digit
    optional_data_2: Span | None = None  # TD1: the optional data of the middle line
    composite: tuple[Span, ...] = ()
    composite_check: Span | None = None
    # TD1 and TD2 let a document number longer than nine characters run on into the optional
    # data, with ``<`` in place of its check digit (Part 5 and Part 6, note j).
    long_numbers: bool = False

    @property
    def name_width(self) -> int:
        """How many characters the name field holds."""
        return self.name.stop - self.name.start

    @property
    def optional_width(self) -> int:
        """How many characters the (first) optional data field holds."""
        return self.optional_data.stop - self.optional_data.start


def _two_line(
    fmt: MrzFormat,
    width: int,
    kinds: str,
    *,
    optional_stop: int,
    optional_data_check: Span | None = None,
    composite: tuple[Span, ...] = (),
    long_numbers: bool = False,
) -> Layout:
    """A passport-like format (TD2, TD3, MRV-A, MRV-B): name on top, the rest below."""
    return Layout(
        format=fmt,
        line_count=2,
        width=width,
        document_kinds=frozenset(kinds),
        document_code=Span(0, 0, 2),
        issuing_state=Span(0, 2, 5),
        name=Span(0, 5, width),
        document_number=Span(1, 0, 9),
        document_number_check=Span(1, 9, 10),
        nationality=Span(1, 10, 13),
        birth_date=Span(1, 13, 19),
        birth_date_check=Span(1, 19, 20),
        sex=Span(1, 20, 21),
        expiry_date=Span(1, 21, 27),
        expiry_date_check=Span(1, 27, 28),
        optional_data=Span(1, 28, optional_stop),
        optional_data_check=optional_data_check,
        composite=composite,
        composite_check=Span(1, width - 1, width) if composite else None,
        long_numbers=long_numbers,
    )


TD1 = Layout(
    format="TD1",
    line_count=3,
    width=30,
    document_kinds=frozenset("ACI"),
    document_code=Span(0, 0, 2),
    issuing_state=Span(0, 2, 5),
    document_number=Span(0, 5, 14),
    document_number_check=Span(0, 14, 15),
    optional_data=Span(0, 15, 30),
    birth_date=Span(1, 0, 6),
    birth_date_check=Span(1, 6, 7),
    sex=Span(1, 7, 8),
    expiry_date=Span(1, 8, 14),
    expiry_date_check=Span(1, 14, 15),
    nationality=Span(1, 15, 18),
    optional_data_2=Span(1, 18, 29),
    composite=(Span(0, 5, 30), Span(1, 0, 7), Span(1, 8, 15), Span(1, 18, 29)),
    composite_check=Span(1, 29, 30),
    name=Span(2, 0, 30),
    long_numbers=True,
)
# The composite check digit covers the lower line but for nationality and sex (Part 6, 4.2.4).
TD2 = _two_line(
    "TD2",
    36,
    "ACI",
    optional_stop=35,
    composite=(Span(1, 0, 10), Span(1, 13, 20), Span(1, 21, 35)),
    long_numbers=True,
)
TD3 = _two_line(
    "TD3",
    44,
    "P",
    optional_stop=42,
    optional_data_check=Span(1, 42, 43),
    composite=(Span(1, 0, 10), Span(1, 13, 20), Span(1, 21, 43)),
)
# Visas carry no composite check digit and no check digit on their optional data (Part 7).
MRVA = _two_line("MRVA", 44, "V", optional_stop=44)
MRVB = _two_line("MRVB", 36, "V", optional_stop=36)

LAYOUTS: dict[str, Layout] = {layout.format: layout for layout in (TD1, TD2, TD3, MRVA, MRVB)}
