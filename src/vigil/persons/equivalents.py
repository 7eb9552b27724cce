"""Equivalent name parts, loaded as data: nicknames (Bill for William), one given name across
languages (Giuseppe, Josef) and its forms in other scripts (Джузеппе, Ιωσήφ).

No spelling rule finds these: Bill and William share no sound, Giuseppe and Josef one letter,
and Джузеппе reads as dzhuzeppe.
Tables of them exist (the carltonnorthern nicknames list, OCCRP's synonames mined from
Wikidata), so Vigil reads such tables rather than carrying its own: a member's administrators
load what fits their region (``vigil persons equivalents load``), and the name engine then
reads a query's parts as their equivalents too.

Each side of a pair is read by the name engine (``names.readings``), so a pair is kept as
Latin tokens whatever its script: the Greek Ιωσήφ becomes ``ioseph``, which is also how a
Greek query reads. Pairs are not chained (Aaron has the nickname Ron, and so has Ronald,
which does not make Aaron Ronald): a part is equivalent only to the parts it is listed with.
Equivalence is symmetric, so only the query needs reading both ways (``expand``); the records
and the name index are unchanged by a load.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from rapidfuzz.distance import JaroWinkler

from vigil.persons.names import Reading, key_of, readings

# More equivalent readings of one query than this are not weighed: each one costs a column of
# the shortlist's comparison, and a name with many nicknames rarely needs its sixth.
MOST_READINGS = 6
# Equivalents spelled this close to the part (Jaro-Winkler) are found by spelling already.
_SPELLED_ALIKE = 0.88
# A synonym group (``a, b, c``) pairs every two of its names; groups longer than this are lists
# of loosely related names, not spellings of one.
_LONGEST_GROUP = 24


class Format(StrEnum):
    """How a table of equivalents is written."""

    # CSV with the header ``name1,relationship,name2`` (carltonnorthern/nicknames).
    NICKNAMES = "nicknames"
    # Solr and Elasticsearch synonym lines: ``a, b, c`` (all alike) or ``a => b, c``
    # (synonames' synonyms.txt and synonyms.expand.txt).
    SYNONYMS = "synonyms"


_NICKNAMES_HEADER = ["name1", "relationship", "name2"]


class TableError(ValueError):
    """A table that cannot be read, with the line it failed on."""


@dataclass(frozen=True, slots=True)
class Pair:
    name: str
    other: str
    line: int


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a table holds: its pairs of names as written, and the lines that were not pairs."""

    format: Format
    pairs: list[Pair]
    skipped: list[tuple[int, str]] = field(default_factory=list)


def detect(text: str) -> Format:
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower().replace(" ", "")
    return Format.NICKNAMES if first.startswith("name1,relationship,name2") else Format.SYNONYMS


def parse(text: str, format: Format | None = None) -> Parsed:
    """The pairs a table lists. Blank lines and ``#`` comments are ignored; a line that is
    not a pair is reported in ``skipped`` (with its number), not fatal: real tables have a
    few. A table with no pair at all raises ``TableError``."""
    text = text.lstrip("\ufeff")
    chosen = format or detect(text)
    pairs, skipped = _nicknames(text) if chosen is Format.NICKNAMES else _synonyms(text)
    if not pairs:
        where = "line {}: {}".format(*skipped[0]) if skipped else "the table is empty"
        raise TableError(f"no pair of names found ({chosen.value} format); {where}")
    return Parsed(chosen, pairs, skipped)


_Lines = tuple[list[Pair], list[tuple[int, str]]]  # pairs, and (line, why) for the others


def _nicknames(text: str) -> _Lines:
    pairs: list[Pair] = []
    skipped: list[tuple[int, str]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if number == 1 and [c.strip().lower() for c in row[:3]] == _NICKNAMES_HEADER:
            continue
        if len(row) != 3 or not row[0].strip() or not row[2].strip():
            skipped.append((number, "expected name1,relationship,name2"))
            continue
        pairs.append(Pair(row[0].strip(), row[2].strip(), number))
    return pairs, skipped


def _synonyms(text: str) -> _Lines:
    pairs: list[Pair] = []
    skipped: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=>" in line:
            left, _, right = line.partition("=>")
            heads = _names(left)
            others = _names(right)
            if not heads or not others:
                skipped.append((number, "expected names on both sides of =>"))
                continue
            pairs += [Pair(h, o, number) for h in heads for o in others if h != o]
            continue
        group = _names(line)
        if len(group) < 2:
            skipped.append((number, "expected two names or more, separated by commas"))
            continue
        if len(group) > _LONGEST_GROUP:
            skipped.append((number, f"a group of {len(group)} names (at most {_LONGEST_GROUP})"))
            continue
        pairs += [Pair(a, b, number) for i, a in enumerate(group) for b in group[i + 1 :]]
    return pairs, skipped


def _names(text: str) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))


def tokens_of_pair(pair: Pair) -> list[tuple[str, str]]:
    """The pair as name-engine tokens: every one-token reading of one side against every one
    of the other that sounds different. Names that read as several parts (Jean-Pierre) pair
    nothing: equivalents are part for part. Parts with the same phonetic key are left out:
    the name engine finds those alike already (Mohamed, Muhammad; Arabic mhmd), and a query
    weighs only a few equivalent readings."""
    left = _single_tokens(pair.name)
    right = _single_tokens(pair.other)
    return [(a, b) for a, key_a in left for b, key_b in right if key_a != key_b]


def _single_tokens(name: str) -> list[tuple[str, str]]:
    return [
        (r.tokens[0], r.keys[0])
        for r in readings(name)
        if len(r.tokens) == 1 and len(r.tokens[0]) > 1
    ]


@dataclass(frozen=True, slots=True)
class Equivalents:
    """Name parts (tokens) and the parts each is equivalent to, with the table that says so."""

    of: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    version: int = 0

    def __len__(self) -> int:
        return len(self.of)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str]], version: int = 0) -> Equivalents:
        """From ``(source, token, other)`` rows, each pair once in either direction."""
        found: dict[str, dict[str, str]] = {}
        for source, token, other in rows:
            found.setdefault(token, {}).setdefault(other, source)
            found.setdefault(other, {}).setdefault(token, source)
        return cls({t: _distinct(t, others) for t, others in found.items()}, version)

    def expand(self, forms: Sequence[Reading], most: int = MOST_READINGS) -> tuple[Reading, ...]:
        """The query's readings, then the same with one part taken as an equivalent, each
        marked with what was taken for what (``Reading.equivalent``), ``most`` at most."""
        if not self.of:
            return tuple(forms)
        seen = {form.tokens for form in forms}
        extra: list[Reading] = []
        for form in forms:
            for position, token in enumerate(form.tokens):
                for other, source in self.of.get(token, ()):
                    tokens = (*form.tokens[:position], other, *form.tokens[position + 1 :])
                    if tokens in seen:
                        continue
                    seen.add(tokens)
                    keys = (*form.keys[:position], key_of(other), *form.keys[position + 1 :])
                    extra.append(Reading(tokens, keys, form.script, ((token, other, source),)))
                    if len(extra) == most:
                        return (*forms, *extra)
        return (*forms, *extra)


def _distinct(token: str, others: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The equivalents worth a reading of their own: not spelled nearly as ``token`` (the
    name engine finds those), one per phonetic key (Uilyam, Uiliam and Ouiliam read alike)."""
    kept: dict[str, tuple[str, str]] = {}
    for other, source in others.items():
        if JaroWinkler.normalized_similarity(token, other) >= _SPELLED_ALIKE:
            continue
        kept.setdefault(key_of(other), (other, source))
    return tuple(kept.values())


NONE = Equivalents()


def from_files(paths: Iterable[Path]) -> Equivalents:
    """Tables read straight from files, each named by its file's folder and name (evaluations
    and tools: a deployment loads them into its store)."""
    rows: list[tuple[str, str, str]] = []
    for path in paths:
        source = f"{path.parent.name}/{path.name}"
        try:
            parsed = parse(path.read_text(encoding="utf-8"))
        except TableError as exc:
            raise TableError(f"{path}: {exc}") from exc
        for pair in parsed.pairs:
            rows += [(source, a, b) for a, b in tokens_of_pair(pair)]
    return Equivalents.from_rows(rows)
