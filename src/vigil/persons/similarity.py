"""How alike two names are: their readings compared part by part, whatever the order, with
parts dropped, split or joined (``docs/persons.md``, "How a name is compared").

``reading_similarity`` is the reference, one pair of readings at a time.
``persons.shortlist_similarity.best_names`` computes the same values for a whole shortlist at
once, from the name table (``persons.name_table``): that is what a screening runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel, JaroWinkler

from vigil.persons.names import Reading, initial


@dataclass(frozen=True, slots=True)
class NameMatch:
    similarity: float
    query: Reading
    record_name: str
    record: Reading


# Tokens with the same phonetic key (``names.key_of``): from first letters of one sound class
# (``names.initial``), or one written without vowels, the same sounds (Mohamed, Muhammad,
# Arabic mhmd; Omar, Umar); from first letters that differ, only the same consonants, which
# strangers' names share often (Nathan, Anthony: keys drop vowels; Hong, Ngoc: and h); with
# a one-consonant key, little either way (Li, Lee; Lu, Le).
SAME_SOUNDS = 0.93
SAME_SKELETON = 0.8
ONE_SOUND = 0.85
# A part taken as an equivalent from a loaded table (Bill for William, Giuseppe for Josef)
# counts as the same sounds do: the same name, but not the same spelling of it.
_EQUIVALENT = SAME_SOUNDS


def equivalence_factor(query: Reading) -> float:
    """What a query reading's similarities are worth, for the parts it took as equivalents:
    each such part counts ``_EQUIVALENT`` where it would count 1."""
    if not query.equivalent:
        return 1.0
    return 1.0 - (1.0 - _EQUIVALENT) * len(query.equivalent) / len(query.tokens)


@lru_cache(maxsize=1 << 20)
def token_similarity(a: str, key_a: str, b: str, key_b: str) -> float:
    """How alike two tokens are (0..1): spelling, or sound when the spelling is another
    script's (Arabic ``mhmd`` and ``mohamed`` share their key)."""
    if a == b:
        return 1.0
    similarity = JaroWinkler.normalized_similarity(a, b)
    if key_a == key_b:
        # One consonant is a weak sign (Li, Lee; but also Lu, Le): short names sound alike.
        if len(key_a) < 2:
            return max(similarity, ONE_SOUND)
        first_a, first_b = initial(a), initial(b)
        alike = first_a == first_b or not first_a or not first_b
        return max(similarity, SAME_SOUNDS if alike else SAME_SKELETON)
    if len(key_a) >= 3 and len(key_b) >= 3:
        similarity = max(similarity, 0.9 * Indel.normalized_similarity(key_a, key_b))
    return similarity


@lru_cache(maxsize=1 << 18)
def reading_similarity(query: Reading, record: Reading) -> float:
    """How alike two readings are, whatever the order of their parts (0..1).

    Tokens are paired best first; a part one side lacks (a second given name dropped, a
    patronymic) costs less than a part that differs. Where one side has more parts, two
    neighbours are also tried as one (Kim Jong Un and Kim Jeongeun; Xi Jin Ping and Xi
    Jinping), and the joined forms are compared.
    """
    q, r = query.pairs, record.pairs
    best = aligned(q, r)
    if len(q) > len(r):
        best = max([best, *(aligned(m, r) for m in _merges(q, r))])
    elif len(r) > len(q):
        best = max([best, *(aligned(q, m) for m in _merges(r, q))])
    if best >= 0.98:
        return min(1.0, best)
    return min(1.0, max(best, 0.98 * Indel.normalized_similarity(query.joined, record.joined)))


Token = tuple[str, str]  # (token, key)
# What a name part one side lacks costs, against 1 for a part that differs entirely: records
# drop second given names, second family names and patronymics all the time.
MISSING_PART = 0.2


def _merges(tokens: Sequence[Token], other: Sequence[Token]) -> list[list[Token]]:
    """``tokens`` with two neighbours joined, where the joined word is one of ``other``'s
    (by sound, or nearly by spelling): a split given name, not a dropped one."""
    merged = []
    for i in range(len(tokens) - 1):
        word = tokens[i][0] + tokens[i + 1][0]
        key = join_keys(tokens[i][1], tokens[i + 1][1])
        if any(key == k or Indel.normalized_similarity(word, t) >= 0.85 for t, k in other):
            merged.append([*tokens[:i], (word, key), *tokens[i + 2 :]])
    return merged


def join_keys(first: str, second: str) -> str:
    """The key of two neighbours written as one word: their keys end to end, a sound repeated
    across the joint said once (as ``key_of`` collapses repeats). Not ``key_of`` of the
    joined word, which a screening would compute for hundreds of neighbour pairs."""
    if first and second and first[-1] == second[0]:
        return first + second[1:]
    return first + second


def aligned(q: Sequence[Token], r: Sequence[Token]) -> float:
    """Tokens paired best first (greedy), missing parts at ``MISSING_PART`` each."""
    n, m = len(q), len(r)
    if n == 1 or m == 1:  # one pair only: the best
        total = max(token_similarity(a, ka, b, kb) for a, ka in q for b, kb in r)
    else:
        pairs = [
            (token_similarity(a, ka, b, kb), i, j)
            for i, (a, ka) in enumerate(q)
            for j, (b, kb) in enumerate(r)
        ]
        pairs.sort(reverse=True)
        used_q = used_r = 0  # bit sets
        total = 0.0
        left = min(n, m)
        for similarity, i, j in pairs:
            if used_q >> i & 1 or used_r >> j & 1:
                continue
            used_q |= 1 << i
            used_r |= 1 << j
            total += similarity
            left -= 1
            if not left:
                break
    shorter, longer = (n, m) if n <= m else (m, n)
    return total / (shorter + MISSING_PART * (longer - shorter))


def best_name(
    queries: Sequence[Reading], names: Sequence[tuple[str, tuple[Reading, ...]]]
) -> NameMatch | None:
    """The record name (and readings) closest to any reading of the query."""
    best: NameMatch | None = None
    for full, record_readings in names:
        for record in record_readings:
            for query in queries:
                similarity = reading_similarity(query, record) * equivalence_factor(query)
                if best is None or similarity > best.similarity:
                    best = NameMatch(similarity, query, full, record)
    return best
