"""Every reading of every record's names, column by column: what lets a screening compare its
query with a whole shortlist in a few compiled calls instead of name by name in Python.

The name index (``persons.index``) keeps each record as an ``Entry`` of Python objects, which
is what scoring and explanations read. Comparing names, the part of a screening that grows
with the shortlist, needs the tokens of 200 records at once: gathered from the entries, that
costs more than the comparison itself. So the index also writes every record's readings here
as it takes the record in, as numbers: each distinct word and phonetic key once in a
vocabulary, and per token, per reading and per record slot, arrays of ids and spans.
``gather`` then answers with every token of a shortlist in a handful of numpy operations.

Rows are only added: a record replaced or removed leaves its rows unused (its slot is empty
in the index), as the index's own postings do.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Any

import numpy as np

from vigil.persons.names import Reading, initial


@dataclass(frozen=True, slots=True)
class Gathered:
    """The readings of a shortlist, end to end (record by record, in ``Entry.names`` order)."""

    owners: np.ndarray  # per reading: the position of its record in the shortlist
    name_of: np.ndarray  # per reading: which of the record's names it reads
    reading_of: np.ndarray  # per reading: which reading of that name it is
    starts: np.ndarray  # per reading: its first token below
    lengths: np.ndarray  # per reading: how many tokens
    joined: list[str]  # per reading: its tokens sorted and joined (``Reading.joined``)
    # The distinct words and keys of the shortlist (records share many: "nguyen" a hundred
    # times), compared once each; per token, the place of its word and key among them.
    distinct_words: list[str]
    distinct_keys: list[str]
    word_places: np.ndarray  # per token, into distinct_words
    key_places: np.ndarray  # per token, into distinct_keys
    vocabulary: tuple[list[str], list[str]]  # the table's words and keys by id (not a copy)
    word_ids: np.ndarray  # per token, ids in the table's word vocabulary
    key_ids: np.ndarray  # per token, ids in the table's key vocabulary
    word_lengths: np.ndarray  # per token
    key_lengths: np.ndarray  # per token
    initials: np.ndarray  # per token: its word's ``initial_code``


class Picker:
    """Picks strings by id from a list that only grows, through a numpy object array that
    holds the same strings (filled up to the list's end when picked from). Picking a
    shortlist's few hundred strings from millions is then one loop in C: through the list,
    in Python, that cost a fifth of a screening's candidates."""

    def __init__(self, items: list[str]) -> None:
        self.items = items  # not a copy
        self._array = np.empty(0, dtype=object)
        self._filled = 0

    def take(self, ids: np.ndarray) -> list[str]:
        """The strings at ``ids`` (under the owner's lock, as the list grows meanwhile)."""
        size = len(self.items)
        if self._filled < size:
            if len(self._array) < size:
                grown = np.empty(max(size, 2 * len(self._array), 1024), dtype=object)
                grown[: self._filled] = self._array[: self._filled]
                self._array = grown
            self._array[self._filled : size] = self.items[self._filled : size]
            self._filled = size
        picked: list[str] = self._array[ids].tolist()
        return picked


class Vocabulary:
    """Distinct strings by id, in the order first seen, with their lengths and first letters."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.lengths = array("B")  # per id, 255 at most
        self.initials = array("I")  # per id: its first letter's sound class (code point), 0 if none
        self._ids: dict[str, int] = {}
        self.picker = Picker(self.items)  # derived: not in a snapshot

    def __getstate__(self) -> dict[str, object]:
        return {name: value for name, value in vars(self).items() if name != "picker"}

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)
        self.picker = Picker(self.items)

    def id_of(self, text: str) -> int:
        """The id of ``text``, given now if it has none."""
        found = self._ids.get(text)
        if found is None:
            found = self._ids[text] = len(self.items)
            self.items.append(text)
            self.lengths.append(min(len(text), 255))
            self.initials.append(initial_code(text))
        return found

    def get(self, text: str) -> int:
        """The id of ``text``, or -1 when it has none (a query's word)."""
        return self._ids.get(text, -1)

    def copy(self) -> Vocabulary:
        other = Vocabulary()
        other.items, other.lengths, other._ids = self.items[:], self.lengths[:], dict(self._ids)
        other.initials = self.initials[:]
        other.picker = Picker(other.items)
        return other


def initial_code(text: str) -> int:
    """``names.initial`` of a word as a number (0 for an empty word)."""
    found = initial(text)
    return ord(found) if found else 0


class NameTable:
    """Readings as arrays of vocabulary ids, by record slot."""

    def __init__(self) -> None:
        self.words = Vocabulary()
        self.keys = Vocabulary()
        self.token_word = array("I")
        self.token_key = array("I")
        self.reading_start = array("I")
        self.reading_length = array("B")
        self.reading_name = array("B")
        self.reading_index = array("B")
        self.joined: list[str] = []
        self.slot_start = array("I")
        self.slot_length = array("H")
        self._joined = Picker(self.joined)  # derived: not in a snapshot

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in vars(self).items() if name != "_joined"}

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)
        self._joined = Picker(self.joined)

    def __len__(self) -> int:
        return len(self.slot_start)

    def copy(self) -> NameTable:
        """A copy that later additions to this one do not change (a snapshot's)."""
        other = NameTable()
        for name, value in self.__getstate__().items():
            setattr(other, name, value.copy() if isinstance(value, Vocabulary) else value[:])
        other._joined = Picker(other.joined)
        return other

    def add(self, slot: int, names: tuple[tuple[str, tuple[Reading, ...]], ...]) -> None:
        """The readings of the record in ``slot`` (the next slot: slots only grow)."""
        if slot != len(self.slot_start):
            raise ValueError(f"slot {slot} out of order: the table has {len(self.slot_start)}")
        self.slot_start.append(len(self.reading_start))
        count = 0
        for name_index, (_, forms) in enumerate(names):
            for reading_index, reading in enumerate(forms):
                self._add_reading(reading, name_index, reading_index)
                count += 1
        self.slot_length.append(count)

    def _add_reading(self, reading: Reading, name_index: int, reading_index: int) -> None:
        self.reading_start.append(len(self.token_word))
        self.reading_length.append(min(len(reading.tokens), 255))
        self.reading_name.append(min(name_index, 255))
        self.reading_index.append(min(reading_index, 255))
        self.joined.append(reading.joined)
        for word, key in reading.pairs[:255]:
            self.token_word.append(self.words.id_of(word))
            self.token_key.append(self.keys.id_of(key))

    def word_id(self, word: str) -> int:
        """The id of a word, or -1 when no record has it (a query's word)."""
        return self.words.get(word)

    def key_id(self, key: str) -> int:
        return self.keys.get(key)

    def gather(self, slots: np.ndarray) -> Gathered:
        """Every reading and token of the records in ``slots``, in that order."""
        slot_start = np.frombuffer(self.slot_start, dtype=np.uint32)[slots].astype(np.int64)
        slot_length = np.frombuffer(self.slot_length, dtype=np.uint16)[slots].astype(np.int64)
        rows = ranges(slot_start, slot_length)
        owners = np.repeat(np.arange(len(slots)), slot_length)
        token_start = np.frombuffer(self.reading_start, dtype=np.uint32)[rows].astype(np.int64)
        lengths = np.frombuffer(self.reading_length, dtype=np.uint8)[rows].astype(np.int64)
        tokens = ranges(token_start, lengths)
        starts = np.zeros(len(rows), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        word_ids = np.frombuffer(self.token_word, dtype=np.uint32)[tokens]
        key_ids = np.frombuffer(self.token_key, dtype=np.uint32)[tokens]
        distinct_word_ids, word_places = np.unique(word_ids, return_inverse=True)
        distinct_key_ids, key_places = np.unique(key_ids, return_inverse=True)
        word_lengths = np.frombuffer(self.words.lengths, dtype=np.uint8)[word_ids]
        key_lengths = np.frombuffer(self.keys.lengths, dtype=np.uint8)[key_ids]
        return Gathered(
            owners=owners,
            name_of=np.frombuffer(self.reading_name, dtype=np.uint8)[rows],
            reading_of=np.frombuffer(self.reading_index, dtype=np.uint8)[rows],
            starts=starts,
            lengths=lengths,
            joined=self._joined.take(rows),
            distinct_words=self.words.picker.take(distinct_word_ids),
            distinct_keys=self.keys.picker.take(distinct_key_ids),
            word_places=word_places.reshape(-1),
            key_places=key_places.reshape(-1),
            vocabulary=(self.words.items, self.keys.items),
            word_ids=word_ids,
            key_ids=key_ids,
            word_lengths=word_lengths.astype(np.int64),
            key_lengths=key_lengths.astype(np.int64),
            initials=np.frombuffer(self.words.initials, dtype=np.uint32)[word_ids],
        )


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``starts[i] .. starts[i] + lengths[i]`` for every i, end to end."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    shift = np.repeat(starts - (ends - lengths), lengths)
    return shift + np.arange(total)
