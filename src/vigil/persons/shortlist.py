"""A shortlist: the records a query may be compared with, best first, as the name index
(``persons.index``) cuts it, and how many of them bear each name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from vigil.persons.entries import Entry, document_key
from vigil.persons.name_table import Gathered, NameTable
from vigil.persons.names import Reading


@dataclass(frozen=True, slots=True)
class Shortlist:
    """Records a query may be compared with, best first: their slots in the index, and their
    readings as the index's name table (``persons.name_table``) holds them, to compare in
    bulk. Entries are read only for the records weighed in full (``entry``): at a million
    records, reading all 200 of a shortlist cost more than comparing their names, as each
    sits somewhere else in memory."""

    slots: np.ndarray
    names: Gathered
    table: NameTable  # for the ids of the query's words in its vocabularies
    store: list[Entry | None]  # the index's entries by slot (not a copy)
    postings: Callable[[str], np.ndarray]  # the slots posted under a key
    # How many of the shortlist's records bear each name (by ``Reading.joined``), and each
    # name part, once counted.
    counted: dict[str, int] = field(default_factory=dict)
    counted_parts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.slots)

    def bearers(self, reading: Reading) -> int:
        """How many records of the shortlist bear this name (its parts in any order, or joined
        otherwise): the records the actor may match among those most like the query, so that
        a record hidden from the actor never counts, nor shows in the explanation's count.
        At most the shortlist's length; at least 1."""
        if not self.counted and len(self.slots):
            self.counted.update(_bearers_among(self.names))
        return max(1, self.counted.get(reading.joined, 0))

    def part_bearers(self, part: str) -> int:
        """How many records of the shortlist bear this name part (a token, as read) in any of
        their names: like ``bearers``, among records the actor may match only."""
        if not self.counted_parts and len(self.slots):
            self.counted_parts.update(_part_bearers_among(self.names))
        return self.counted_parts.get(part, 0)

    def entry(self, position: int) -> Entry | None:
        """The record at ``position``; None if it was replaced or removed since the
        shortlist was cut (the screening then runs as if it came a moment later)."""
        return self.store[int(self.slots[position])]

    @property
    def entries(self) -> list[Entry]:
        """Every record of the shortlist, in order (evaluations and reviews; a screening
        reads only those it weighs)."""
        return [e for e in (self.entry(i) for i in range(len(self.slots))) if e is not None]

    def holding(self, document: str) -> list[int]:
        """The positions of the records holding a document (its number as written)."""
        held = self.postings(document_key(document))
        return np.flatnonzero(np.isin(self.slots, held)).tolist() if len(held) else []


def _bearers_among(names: Gathered) -> dict[str, int]:
    """Records bearing each name among gathered readings, by their parts sorted and joined
    (``Reading.joined``: Myat Noe and MyatNoe alike), each record once per name."""
    owners_of: dict[str, set[int]] = {}
    for joined, owner in zip(names.joined, names.owners.tolist(), strict=True):
        owners_of.setdefault(joined, set()).add(owner)
    return {joined: len(owners) for joined, owners in owners_of.items()}


def _part_bearers_among(names: Gathered) -> dict[str, int]:
    """Records bearing each word among gathered readings, each record once per word."""
    owners = np.repeat(names.owners, names.lengths).astype(np.int64)
    if not len(owners):
        return {}
    # One number per (word, record) pair, so that a record bearing a word in two readings
    # counts once.
    span = int(owners.max()) + 1
    pairs = np.unique(names.word_ids.astype(np.int64) * span + owners)
    words, counts = np.unique(pairs // span, return_counts=True)
    vocabulary = names.vocabulary[0]
    return {vocabulary[w]: c for w, c in zip(words.tolist(), counts.tolist(), strict=True)}
