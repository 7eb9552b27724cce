"""A shortlist: the records a query may be compared with, best first, as the name index
(``persons.index``) cuts it, and how many of them bear each name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

from vigil.persons.births import Born
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
    born: Born  # the records' birth years
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
        their names: like ``bearers``, among records the actor may match only. Counted per
        part asked for: a screening asks for a few, of a shortlist holding a thousand."""
        found = self.counted_parts.get(part)
        if found is None:
            word = self.table.words.get(part)
            if word < 0 or not len(self.slots):
                found = 0
            else:
                # The readings holding the word (each token's is the last starting at or
                # before it), and their records: in order, as the readings come record by
                # record, so the records bearing it are where the owner changes, plus the first.
                tokens = np.flatnonzero(self.names.word_ids == word)
                readings = np.searchsorted(self.names.starts, tokens, side="right") - 1
                owners = self.names.owners[readings]
                found = int(np.count_nonzero(owners[1:] != owners[:-1])) + 1 if len(owners) else 0
            self.counted_parts[part] = found
        return found

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
    # Each (name, record) pair once, then the names counted: both in C, where a loop over a
    # thousand readings building sets cost a fifth of a screening.
    pairs = set(zip(names.joined, names.owners.tolist(), strict=True))
    return Counter(map(itemgetter(0), pairs))
