"""A chunk of the world: the rows it writes, by file, and the references it hands out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

CITIES = {
    "FRA": "Paris",
    "DEU": "Berlin",
    "ESP": "Madrid",
    "ITA": "Milan",
    "GBR": "London",
    "NLD": "Amsterdam",
    "BEL": "Brussels",
    "USA": "New York",
    "TUR": "Istanbul",
    "ARE": "Dubai",
    "SAU": "Riyadh",
    "THA": "Bangkok",
    "MYS": "Kuala Lumpur",
}


@dataclass
class Chunk:
    """What one chunk of the world writes, by file."""

    seed: int
    index: int
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def ref(self, prefix: str) -> str:
        """A reference unique in the world: kind, chunk, running number."""
        self.counters[prefix] += 1
        return f"{prefix}{self.index:05d}{self.counters[prefix]:06d}"
