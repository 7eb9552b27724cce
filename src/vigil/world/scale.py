"""How big a world is: named scales and a custom size."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Scale:
    """Target counts of person records and document reports; the rest follows from them."""

    name: str
    persons: int
    documents: int


# Countries record a network member 1, 2, 3 or 4 times with these weights.
RECORDINGS = ((1, 70), (2, 20), (3, 7), (4, 3))

SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", persons=1_500, documents=6_000),
    "small": Scale("small", persons=50_000, documents=200_000),
    "medium": Scale("medium", persons=1_000_000, documents=10_000_000),
    "large": Scale("large", persons=10_000_000, documents=100_000_000),
}


def parse_scale(value: str) -> Scale:
    """A named scale, or a number of person records (with four document reports each)."""
    if value in SCALES:
        return SCALES[value]
    if value.isdigit() and int(value) >= 100:
        persons = int(value)
        return Scale(value, persons=persons, documents=4 * persons)
    raise InvalidInput(f"Scale is one of {', '.join(SCALES)} or a number of persons >= 100.")
