"""``best_name`` (``persons.similarity``) for every record of a shortlist at once: the query's
tokens scored against every token of the shortlist in a few compiled calls, and every pair of
readings aligned in the same greedy steps together. That is what a screening runs; the values
are the reference's (a test compares them).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from rapidfuzz.distance import Indel, JaroWinkler
from rapidfuzz.process import cdist

from vigil.persons.name_table import Gathered, NameTable, initial_code, ranges
from vigil.persons.names import Reading
from vigil.persons.similarity import (
    MISSING_PART,
    ONE_SOUND,
    SAME_SKELETON,
    SAME_SOUNDS,
    NameMatch,
    Token,
    aligned,
    equivalence_factor,
    join_keys,
)


class RecordNames(Protocol):
    """Records' names (``Entry.names``) by position in a shortlist: a list, or a view that
    reads them only when asked (a screening asks for the few it weighs)."""

    def __len__(self) -> int: ...

    def __getitem__(self, position: int, /) -> Sequence[tuple[str, tuple[Reading, ...]]]: ...


def best_names(
    queries: Sequence[Reading],
    shown: Gathered,
    table: NameTable,
    records: RecordNames,
    floor: float = 0.0,
    most: int | None = None,
    also: Collection[int] = (),
    skip: np.ndarray | None = None,
) -> list[NameMatch | None]:
    """``best_name`` for every record of a shortlist at once: ``shown`` holds their readings
    as gathered from the name table, ``records`` their names (``Entry.names``), in order.
    Records whose best similarity is below ``floor`` get None; with ``most``, so do all but
    the ``most`` closest of the rest (the first in the shortlist among equals). The records
    at the positions ``also`` are kept whatever their similarity. ``skip``: a mask of the
    positions the caller sets aside whatever their names say; they still count among the
    ``most`` closest, and get None.

    The part-by-part comparison is the heart of a screening's cost: in ``best_name`` each
    token pair is scored alone and each pair of readings aligned, in Python. Here the query's
    tokens are scored against every token of the shortlist in a few compiled calls, and all
    the alignments run together, one greedy step at a time (``_aligned_all``). The values
    are ``best_name``'s, except where two token pairs tie and the scalar and the compiled
    computations round them apart, so the greedy pairing takes the other (a test bounds it).
    """
    found: list[NameMatch | None] = [None] * len(records)
    if len(shown.lengths) == 0 or not queries:
        return found
    asked = _Asked.of(table, list(queries))
    width = len(queries)
    factors = np.array([equivalence_factor(q) for q in queries])
    values = (_similarities(asked, shown) * factors).ravel()  # pair = reading * width + query
    # The first best pair of each record, in best_name's order (its readings, then queries):
    # a record's pairs are neighbours, so its best is a maximum over their span, and the
    # first pair holding it is taken; no sort.
    pair_owner = np.repeat(shown.owners, width)
    spans = np.concatenate(([0], np.flatnonzero(pair_owner[1:] != pair_owner[:-1]) + 1))
    best = np.maximum.reduceat(values, spans)
    at_best = np.flatnonzero(values == np.repeat(best, np.diff(spans, append=len(values))))
    owner_of = pair_owner[at_best]
    firsts = at_best[np.concatenate(([True], owner_of[1:] != owner_of[:-1]))]
    held = (
        np.isin(shown.owners[firsts // width], np.fromiter(also, dtype=np.int64))
        if also
        else np.zeros(len(firsts), dtype=bool)
    )
    above = values[firsts] >= floor
    firsts, held = firsts[above | held], held[above | held]
    if most is not None and len(firsts) > most:
        # firsts are in shortlist order: a stable sort keeps the first among equals
        closest = np.argsort(-values[firsts], kind="stable")[:most]
        kept = held.copy()
        kept[closest] = True
        firsts = firsts[kept]
    if skip is not None:
        firsts = firsts[~skip[shown.owners[firsts // width]]]
    rows, columns = np.divmod(firsts, width)
    for row, column, pair in zip(rows.tolist(), columns.tolist(), firsts.tolist(), strict=True):
        position = int(shown.owners[row])
        names = records[position]
        if not names:  # the record was removed since the shortlist was cut
            continue
        full, forms = names[shown.name_of[row]]
        reading = forms[shown.reading_of[row]]
        found[position] = NameMatch(float(values[pair]), queries[column], full, reading)
    return found


@dataclass(frozen=True, slots=True)
class _Asked:
    """The query's readings, their tokens end to end, with ids in the table's vocabularies."""

    readings: list[Reading]
    words: list[str]
    keys: list[str]
    word_ids: np.ndarray
    key_ids: np.ndarray
    key_lengths: np.ndarray
    initials: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, table: NameTable, readings: list[Reading]) -> _Asked:
        words = [w for r in readings for w in r.tokens]
        keys = [k for r in readings for k in r.keys]
        lengths = np.array([len(r.tokens) for r in readings], dtype=np.int64)
        starts = np.zeros(len(readings), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        return cls(
            readings, words, keys,
            np.array([table.word_id(w) for w in words], dtype=np.int64),
            np.array([table.key_id(k) for k in keys], dtype=np.int64),
            np.array([len(k) for k in keys], dtype=np.int64),
            np.array([initial_code(w) for w in words], dtype=np.uint32),
            starts, lengths,
        )  # fmt: skip


def _similarities(q: _Asked, r: Gathered) -> np.ndarray:
    """``reading_similarity`` of every record reading (rows) with every query reading."""
    tokens = _token_similarities(q, r)
    records, queries = len(r.lengths), len(q.lengths)
    # Pair p is record reading p // Q with query reading p % Q.
    rows = np.repeat(np.arange(records), queries)
    cols = np.tile(np.arange(queries), records)
    best = _aligned_all(tokens, q.starts[cols], q.lengths[cols], r.starts[rows], r.lengths[rows])
    longer_query = (q.lengths[cols] > r.lengths[rows]).reshape(records, queries)
    longer_record = (q.lengths[cols] < r.lengths[rows]).reshape(records, queries)
    for query, record, merged in _query_merges(q, r, longer_query.T):
        pair = record * queries + query
        best[pair] = max(best[pair], aligned(merged, _pairs(r, record)))
    for record, query, merged in _record_merges(r, q, longer_record):
        pair = record * queries + query
        best[pair] = max(best[pair], aligned(q.readings[query].pairs, merged))
    joined = cdist(
        r.joined,
        [reading.joined for reading in q.readings],
        scorer=Indel.normalized_similarity,
        dtype=np.float64,
    ).ravel()
    best = np.where(best >= 0.98, best, np.maximum(best, 0.98 * joined))
    result: np.ndarray = np.minimum(1.0, best).reshape(records, queries)
    return result


def _pairs(r: Gathered, row: int) -> list[Token]:
    start, end = int(r.starts[row]), int(r.starts[row] + r.lengths[row])
    words, keys = r.vocabulary
    return [
        (words[w], keys[k])
        for w, k in zip(r.word_ids[start:end].tolist(), r.key_ids[start:end].tolist(), strict=True)
    ]


def _token_similarities(q: _Asked, r: Gathered) -> np.ndarray:
    """``token_similarity`` of every query token (rows) with every record token."""
    # Each distinct record word (and key) is compared once, then spread to its tokens.
    spelling = cdist(
        q.words, r.distinct_words, scorer=JaroWinkler.normalized_similarity, dtype=np.float64
    )[:, r.word_places]
    same_key = q.key_ids[:, None] == r.key_ids[None, :]
    same_initial = (q.initials[:, None] == r.initials[None, :]) | (q.initials == 0)[:, None]
    same_initial |= (r.initials == 0)[None, :]
    sound = np.where(same_initial, SAME_SOUNDS, SAME_SKELETON)
    sounded = np.maximum(spelling, np.where((q.key_lengths >= 2)[:, None], sound, ONE_SOUND))
    long_keys = (q.key_lengths[:, None] >= 3) & (r.key_lengths[None, :] >= 3)
    keys = cdist(q.keys, r.distinct_keys, scorer=Indel.normalized_similarity, dtype=np.float64)
    keys = keys[:, r.key_places]
    similar = np.where(long_keys, np.maximum(spelling, 0.9 * keys), spelling)
    value = np.where(same_key, sounded, similar)
    return np.where(q.word_ids[:, None] == r.word_ids[None, :], 1.0, value)


def _close(words: list[str], keys: list[str], other_words: list[str], other_keys: list[str],
           places: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:  # fmt: skip
    """Whether each joined word is one of the other side's tokens, as ``similarity._merges``
    decides: the same key, or nearly the same spelling. With ``places``, the other side's words and
    keys are distinct ones, and ``places`` says where each token's are among them."""
    near = cdist(
        words, other_words, scorer=Indel.normalized_similarity, score_cutoff=0.85,
        dtype=np.float64,
    ) >= 0.85  # fmt: skip
    same = np.array(keys)[:, None] == np.array(other_keys)[None, :]
    if places is not None:
        near, same = near[:, places[0]], same[:, places[1]]
    close: np.ndarray = near | same
    return close


def _query_merges(q: _Asked, r: Gathered, wanted: np.ndarray) -> list[tuple[int, int, list[Token]]]:
    """``similarity._merges`` of the query readings with more parts than record readings
    (``wanted``: [query reading, record reading]): (query reading, record reading, merged
    tokens)."""
    joins = [
        (row, position, word, key)
        for row in np.flatnonzero(wanted.any(axis=1)).tolist()
        for position, word, key in _joins(q.readings[row].pairs)
    ]
    if not joins:
        return []
    close = _close(
        [j[2] for j in joins], [j[3] for j in joins], r.distinct_words, r.distinct_keys,
        (r.word_places, r.key_places),
    )  # fmt: skip
    against = np.logical_or.reduceat(close, r.starts, axis=1) & wanted[[j[0] for j in joins]]
    found = []
    for join, record in zip(*np.nonzero(against), strict=True):
        row, position, word, key = joins[join]
        tokens = q.readings[row].pairs
        found.append((row, int(record), [*tokens[:position], (word, key), *tokens[position + 2 :]]))
    return found


def _record_merges(
    r: Gathered, q: _Asked, wanted: np.ndarray
) -> list[tuple[int, int, list[Token]]]:
    """``similarity._merges`` of the record readings with more parts than query readings
    (``wanted``: [record reading, query reading]): (record reading, query reading, merged
    tokens)."""
    rows = np.flatnonzero(wanted.any(axis=1))
    if len(rows) == 0:
        return []
    # Every token of those readings but their last, joined with the next one.
    firsts = ranges(r.starts[rows], r.lengths[rows] - 1)
    owners = np.repeat(rows, r.lengths[rows] - 1)
    # Only the joins whose lengths let them be one of the query's tokens are written out:
    # a spelling within 0.85 (Indel) needs lengths within that ratio, and a joined key is as
    # long as its two parts' keys, or one shorter.
    spelled = (r.word_lengths[firsts] + r.word_lengths[firsts + 1])[:, None]
    sounded = (r.key_lengths[firsts] + r.key_lengths[firsts + 1])[:, None]
    q_words = np.array([len(w) for w in q.words])[None, :]
    near = 2 * np.minimum(spelled, q_words) >= 0.85 * (spelled + q_words)
    near |= (q.key_lengths[None, :] == sounded) | (q.key_lengths[None, :] == sounded - 1)
    keep = np.flatnonzero(near.any(axis=1))
    if len(keep) == 0:
        return []
    firsts, owners = firsts[keep], owners[keep]
    # By id from the vocabularies, a few hundred a screening, in one comprehension: one
    # numpy scalar at a time the strings cost more than comparing them, and built through
    # helpers returning lists, a quarter more than this.
    vocabulary_words, vocabulary_keys = r.vocabulary
    words = [
        vocabulary_words[a] + vocabulary_words[b]
        for a, b in zip(r.word_ids[firsts].tolist(), r.word_ids[firsts + 1].tolist(), strict=True)
    ]
    keys = [
        join_keys(vocabulary_keys[a], vocabulary_keys[b])
        for a, b in zip(r.key_ids[firsts].tolist(), r.key_ids[firsts + 1].tolist(), strict=True)
    ]
    close = _close(words, keys, q.words, q.keys)
    against = np.logical_or.reduceat(close, q.starts, axis=1) & wanted[owners]
    found = []
    for join, query in zip(*np.nonzero(against), strict=True):
        row = int(owners[join])
        position = int(firsts[join] - r.starts[row])
        tokens = _pairs(r, row)
        merged = [*tokens[:position], (words[join], keys[join]), *tokens[position + 2 :]]
        found.append((row, int(query), merged))
    return found


@lru_cache(maxsize=1 << 16)
def _joins(tokens: tuple[Token, ...]) -> tuple[tuple[int, str, str], ...]:
    """Each pair of neighbours joined into one word: (position, word, its key)."""
    return tuple(
        (i, tokens[i][0] + tokens[i + 1][0], join_keys(tokens[i][1], tokens[i + 1][1]))
        for i in range(len(tokens) - 1)
    )


def _aligned_all(
    tokens: np.ndarray,
    q_start: np.ndarray,
    q_len: np.ndarray,
    r_start: np.ndarray,
    r_len: np.ndarray,
) -> np.ndarray:
    """``_aligned`` for many pairs of readings: pair p aligns the query tokens
    ``q_start[p]:+q_len[p]`` with the record tokens ``r_start[p]:+r_len[p]`` of ``tokens``.

    Greedy as ``_aligned`` is: the best remaining token pair first, and among equals the one
    ``_aligned``'s descending sort meets first (the highest row, then column).
    """
    pairs = len(q_start)
    n, m = int(q_len.max()), int(r_len.max())
    i = np.arange(n)
    j = np.arange(m)
    q_index = np.minimum(q_start[:, None] + i[None, :], tokens.shape[0] - 1)
    r_index = np.minimum(r_start[:, None] + j[None, :], tokens.shape[1] - 1)
    grid = tokens[q_index[:, :, None], r_index[:, None, :]]
    valid = (i[None, :, None] < q_len[:, None, None]) & (j[None, None, :] < r_len[:, None, None])
    cells = np.where(valid, grid, -1.0)
    flat = cells.reshape(pairs, n * m)
    steps = np.minimum(q_len, r_len)
    total = np.zeros(pairs)
    every = np.arange(pairs)
    for step in range(int(steps.max())):
        # argmax on the reversed row: the last of equal values, as a descending sort has it
        chosen = n * m - 1 - np.argmax(flat[:, ::-1], axis=1)
        total += np.where(step < steps, flat[every, chosen], 0.0)
        row, column = np.divmod(chosen, m)
        cells[every, row, :] = -1.0
        cells[every, :, column] = -1.0
    longer = np.maximum(q_len, r_len)
    result: np.ndarray = total / (steps + MISSING_PART * (longer - steps))
    return result
