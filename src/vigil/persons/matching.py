"""Scoring a screened person against a record: one feature per piece of evidence.

Each feature gives a weight of evidence (log-odds: positive for, negative against) and one
line saying why. The score is the logistic of their sum plus a prior, so it reads as a
probability. The weights are set by reasoning on how often strangers agree (and the same
person disagrees) on each piece of evidence, then checked on the synthetic world's ground
truth (BENCHMARKS.md); they are not fitted to it, since the generator is cleaner than real
records (its people never carry two passports). ``_SCALE`` is left at the identity.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vigil.persons.names import Reading
from vigil.persons.similarity import NameMatch

# Weights of evidence (log-odds). Names carry most of it; a full birth date that agrees nearly
# settles a close name; a conflicting one nearly rules it out.
# The prior was -1.5 until candidates of one name started to compete (``rivals``); that took
# precision back, and the prior gave recall back: on the small world, 0.9396 / 0.9785 then,
# 0.9455 / 0.9801 after (precision / recall at the default threshold, BENCHMARKS.md). With
# ``_OTHER_NAME`` it moved from -1.36 to -1.35, chosen on seed 7's world, checked on seed 11's.
_PRIOR = -1.35
_NAME_CENTRE = 0.84  # a name similarity worth nothing either way
_NAME_SLOPE = 16.0
_COMMON_NAME = 0.8  # evidence lost per e-fold of records bearing the same name
_RIVALS = 1.0  # evidence lost per e-fold of candidates of the same name dated as weakly
_BIRTH = {
    "same_day": 2.5,
    "same_month": 1.2,  # year and month agree, a day missing on one side
    "same_year": 0.8,  # the year agrees, the rest missing on one side
    "day_month_swapped": 1.2,
    "within_range": 0.8,
    "year_off_by_one": -1.5,
    "conflict": -3.5,
}
_SEX = {"same": 0.3, "different": -2.5}
_NATIONALITY = {"shared": 0.6, "none_shared": -0.6}
_IDENTIFIER = 3.5
# The record lists documents and the traveller's is not among them. Weak: passports are
# renewed and lost, and people smuggled or trafficked are moved on several; but a stranger
# with the same name nearly always holds other numbers.
_OTHER_DOCUMENTS = -1.0
# The two names differ in one part, and each spelling of it is a name that other records
# bear (Dritan and Driton, Leka and Lika): two names are then likelier than one misspelt.
# Weak, as it must be: transliterations are spelt several ways that all recur (Mahmood and
# Mahmud), and a traveller's name is often a spelling of a name on record.
_OTHER_NAME = -0.5
# Platt scaling of the summed evidence: score = logistic(a * z + b).
_SCALE = (1.0, 0.0)


@dataclass(frozen=True, slots=True)
class Feature:
    """A weight of evidence, and how to say why in one line (written only for the candidates
    shown: a screening weighs hundreds and shows ten)."""

    feature: str
    weight: float
    explain: Callable[[], str]
    verdict: str = ""

    @property
    def explanation(self) -> str:
        return self.explain()


# The chance that a stranger bearing the same name also agrees on the birth date, by how
# far the dates agree (about 60 birth years in play, 365 days each).
_COINCIDENCE = {
    "same_day": 1 / 20_000,
    "day_month_swapped": 1 / 10_000,
    "same_month": 1 / 700,
    "same_year": 1 / 60,
    "within_range": 1 / 10,
}


def name_feature(
    match: NameMatch,
    query_name: str,
    bearers: int = 1,
    birth: Feature | None = None,
    rivals: int = 0,
) -> Feature:
    """The name's evidence: its similarity, less when many records bear the same name and
    nothing else tells them apart (a common name needs a birth date or a document to hit:
    with the full date agreeing, the other bearers hardly count). ``rivals``: the other
    candidates of the same name that the birth date fits as weakly (``weakly_dated``): with
    one of them right at best, each is less likely to be."""
    weight = _NAME_SLOPE * (match.similarity - _NAME_CENTRE)
    if bearers > 1:
        chance = _COINCIDENCE.get(birth.verdict, 1.0) if birth is not None else 1.0
        weight -= _COMMON_NAME * math.log(1 + (bearers - 1) * chance)
    if rivals:
        weight -= _RIVALS * math.log(1 + rivals)

    def explain() -> str:
        same = match.query.text == match.record.text and not match.query.equivalent
        how = "same spelling" if same else _how(match)
        common = f"; {bearers} records bear this name" if bearers > 1 else ""
        if rivals:
            common += f"; {rivals} other candidates of this name fit the birth date as well"
        return f"“{query_name}” ~ “{match.record_name}”: {match.similarity:.2f}, {how}{common}"

    return Feature("name", weight, explain)


def differing_part(match: NameMatch) -> tuple[str, str] | None:
    """The one part in which the query's name and the record's differ (as read, query's
    first), when they differ in exactly one; None otherwise, or when the query took a part
    as an equivalent from a table (the table says the two are one name)."""
    query, record = match.query.tokens, match.record.tokens
    if match.query.equivalent or query == record:
        return None
    asked = [t for t in query if t not in record]
    if len(asked) != 1:
        return None
    recorded = [t for t in record if t not in query]
    return (asked[0], recorded[0]) if len(recorded) == 1 else None


def other_name_feature(
    part: tuple[str, str] | None, bearers: Callable[[str], int]
) -> Feature | None:
    """The names differ in one part (``differing_part``), and each spelling of it is borne
    by a record other than the candidate: ``bearers`` counts the records bearing a part,
    the candidate among them (so the record's spelling needs two)."""
    if part is None:
        return None
    asked, recorded = part
    if bearers(asked) < 1 or bearers(recorded) < 2:
        return None
    return Feature(
        "name_part",
        _OTHER_NAME,
        lambda: (
            f"“{asked}” and “{recorded}” are both names other records bear: "
            "more likely two names than one misspelt"
        ),
    )


def weakly_dated(birth: Feature | None) -> bool:
    """The birth date tells a candidate little from others of its name: it agrees on the year
    only, or within a range, or one side has none."""
    return birth is None or birth.verdict in ("same_year", "within_range")


def _how(match: NameMatch) -> str:
    if match.query.equivalent:
        taken = "; ".join(f"“{a}” as “{b}” ({source})" for a, b, source in match.query.equivalent)
        return f"read with an equivalent name part: {taken}"
    if match.query.keys == match.record.keys:
        return f"same sounds ({' '.join(match.query.keys)})"
    if sorted(match.query.tokens) == sorted(match.record.tokens):
        return "same parts in another order"
    if match.query.script != match.record.script:
        query, record = _read(match.query), _read(match.record)
        return f"read as {query} and {record}"
    return f"close spelling (“{match.query.text}” / “{match.record.text}”)"


_KANA = {"Jpan": "katakana", "Hang": "hangul"}


def _read(reading: Reading) -> str:
    foreign = f" (a foreign name in {_KANA[reading.script]})" if reading.loanword else ""
    return f"“{reading.text}”{foreign}"


def birth_feature(asked: str | None, recorded: str | None, until: str | None) -> Feature | None:
    """Agreement of two birth dates, either of them partial (YYYY, YYYY-MM, YYYY-MM-DD)."""
    if not asked or not recorded:
        return None
    a = asked.split("-")
    r = recorded.split("-")
    if until:
        if asked[:4] >= recorded[:4] and asked[:4] <= until[:4]:
            return Feature(
                "birth_date",
                _BIRTH["within_range"],
                lambda: f"{asked} within {recorded}..{until}",
                "within_range",
            )
        return Feature(
            "birth_date",
            _BIRTH["conflict"],
            lambda: f"{asked} outside {recorded}..{until}",
            "conflict",
        )
    if a[0] != r[0] and abs(int(a[0]) - int(r[0])) != 1:
        # Years apart by more than one: nothing below can agree (the commonest case: a
        # stranger of a close name, dozens of times a screening).
        return _conflict(asked, recorded)
    if a == r and len(a) == 3:
        return Feature(
            "birth_date", _BIRTH["same_day"], lambda: f"born {asked} on both", "same_day"
        )
    common = min(len(a), len(r))
    if a[:common] == r[:common]:
        verdict = "same_month" if common == 2 else "same_year" if common == 1 else "same_day"
        return Feature(
            "birth_date", _BIRTH[verdict], lambda: f"{asked} agrees with {recorded}", verdict
        )
    if _swapped(a, r) or _swapped(r, a):
        return Feature(
            "birth_date",
            _BIRTH["day_month_swapped"],
            lambda: f"{asked} is {recorded} with day and month swapped",
            "day_month_swapped",
        )
    if abs(int(a[0]) - int(r[0])) == 1 and a[1:common] == r[1:common]:
        return Feature(
            "birth_date",
            _BIRTH["year_off_by_one"],
            lambda: f"{asked} a year from {recorded}",
            "year_off_by_one",
        )
    return _conflict(asked, recorded)


def _conflict(asked: str, recorded: str) -> Feature:
    return Feature(
        "birth_date",
        _BIRTH["conflict"],
        lambda: f"{asked} against {recorded}: different",
        "conflict",
    )


def _swapped(full: list[str], other: list[str]) -> bool:
    """``full`` (a whole date) with day and month swapped agrees with ``other`` (maybe partial)."""
    if len(full) != 3 or len(other) < 2 or full[0] != other[0] or int(full[2]) > 12:
        return False
    return [full[2], full[1]][: len(other) - 1] == other[1:]


def sex_feature(asked: str | None, recorded: str | None) -> Feature | None:
    if not asked or not recorded or "X" in (asked, recorded):
        return None
    if asked == recorded:
        return Feature("sex", _SEX["same"], lambda: f"sex {asked} on both")
    return Feature("sex", _SEX["different"], lambda: f"sex {asked} against {recorded}")


def nationality_feature(asked: str | None, recorded: Sequence[str]) -> Feature | None:
    if not asked or not recorded:
        return None
    if asked in recorded:
        return Feature("nationality", _NATIONALITY["shared"], lambda: f"{asked} national on both")
    return Feature(
        "nationality",
        _NATIONALITY["none_shared"],
        lambda: f"{asked} against {', '.join(recorded)} (nationalities can be missing or dual)",
    )


def identifier_feature(
    asked: str | None, recorded: frozenset[str], key: str | None = None
) -> Feature | None:
    """``key``: ``identifier_key(asked)``, when the caller has it (a screening weighs dozens
    of records against one document)."""
    if not asked or not recorded:
        return None
    if key is None:
        key = identifier_key(asked)
    if key in recorded:
        return Feature("identifier", _IDENTIFIER, lambda: f"document {asked} on the record")
    others = f"{len(recorded)} other" + ("s" if len(recorded) > 1 else "")
    return Feature(
        "identifier",
        _OTHER_DOCUMENTS,
        lambda: f"document {asked} not on the record, which lists {others}",
        "other_documents",
    )


def identifier_key(number: str) -> str:
    """A document or id number without separators, upper case."""
    return "".join(c for c in number.upper() if c.isalnum())


def score(features: Sequence[Feature]) -> float:
    """The calibrated score (0..1) of the summed evidence."""
    return _logistic(_PRIOR + sum(f.weight for f in features))


# The most that the features other than the name's similarity, the birth date, the sex and
# the document can add: a shared nationality. The name's bearers and rivals, and a part borne
# by other records, only take away.
MOST_UNKNOWN = _NATIONALITY["shared"]


# The most a sex can add: the same on both.
MOST_SEX = _SEX["same"]


def score_bound(similarity: float, known: Sequence[Feature], more: float = 0.0) -> float:
    """The highest score a candidate whose best name has ``similarity`` can reach, given the
    features ``known`` (of birth date, sex and document), whatever the others say; ``more``:
    the most that those of the three not known yet can add."""
    name = _NAME_SLOPE * (similarity - _NAME_CENTRE)
    known_weight = sum(f.weight for f in known) + more
    # A hair over: the score sums the same weights in another order, which may round up.
    return _logistic(_PRIOR + name + known_weight + MOST_UNKNOWN + 1e-9)


def _logistic(z: float) -> float:
    a, b = _SCALE
    return 1.0 / (1.0 + math.exp(-(a * z + b)))
