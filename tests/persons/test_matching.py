"""Scored features: names whatever their order or split, partial birth dates, the rest."""

from __future__ import annotations

import dataclasses
from datetime import date
from itertools import product

import numpy as np
import pytest

from vigil.access.envelope import Audience
from vigil.persons import screening
from vigil.persons.births import BirthYears, year_of
from vigil.persons.entries import Entry, entry_of
from vigil.persons.index import NameIndex
from vigil.persons.matching import (
    Feature,
    birth_feature,
    differing_part,
    identifier_feature,
    name_feature,
    nationality_feature,
    other_name_feature,
    score,
    score_bound,
    sex_feature,
)
from vigil.persons.models import ScreenQuery
from vigil.persons.names import key_of, readings
from vigil.persons.screening import _conflict_rules_out
from vigil.persons.shortlist_similarity import best_names
from vigil.persons.similarity import (
    NameMatch,
    best_name,
    reading_similarity,
    token_similarity,
)


def _similarity(a: str, b: str) -> float:
    return max(reading_similarity(x, y) for x in readings(a) for y in readings(b))


def test_order_and_split_do_not_matter() -> None:
    assert _similarity("Putin Vladimir", "Vladimir Putin") == 1.0
    assert _similarity("Xi Jin Ping", "习近平") > 0.95
    assert _similarity("Kim Jong Un", "김정은") > 0.9


def test_a_missing_part_costs_less_than_a_different_one() -> None:
    missing = _similarity("Cristobal Romero", "Cristobal Romero Casarez")
    different = _similarity("Cristobal Romero", "Cristobal Fuentes")
    assert missing > 0.85 > different


def test_unrelated_names_are_far_apart() -> None:
    assert _similarity("John Smith", "Ahmed Hassan") < 0.6
    assert _similarity("محمد علي", "Ivan Petrov") < 0.6


def test_birth_dates_full_partial_swapped_and_conflicting() -> None:
    def weight(a: str, b: str, until: str | None = None) -> float:
        feature = birth_feature(a, b, until)
        assert feature is not None
        return feature.weight

    assert weight("1985-03-02", "1985-03-02") > weight("1985", "1985-03-02") > 0
    assert weight("1985-03", "1985-03-02") > weight("1985", "1985-03-02")
    assert weight("1985-02-03", "1985-03-02") > 0  # day and month swapped
    assert weight("2021-02-04", "2021-04") > 0  # swapped, then only year and month kept
    assert weight("1985-03-02", "1991-07-12") < -3
    assert weight("1987", "1985", until="1990") > 0
    assert weight("1995", "1985", until="1990") < 0
    assert birth_feature(None, "1985", None) is None


def test_other_evidence() -> None:
    assert sex_feature("M", "F").weight < 0 < sex_feature("F", "F").weight  # type: ignore[union-attr]
    assert sex_feature("M", None) is None
    assert nationality_feature("FRA", ["DZA", "FRA"]).weight > 0  # type: ignore[union-attr]
    held = identifier_feature("p-123 456", frozenset({"P123456"}))
    assert held is not None and held.weight > 2
    # A record listing other documents weighs a little against; one listing none, nothing.
    other = identifier_feature("P999", frozenset({"P123456", "X1"}))
    assert other is not None and -2 < other.weight < 0
    assert other.explanation == "document P999 not on the record, which lists 2 others"
    assert identifier_feature("P999", frozenset()) is None


def test_sounds_alike_from_another_first_letter_is_weak() -> None:
    # The same phonetic skeleton from first letters of one sound class: the same name
    # (Arabic mhmd; Omar and Umar; Karim and Carim); from first letters that differ,
    # strangers' names (Nathan and Anthony both key "ntn", Hong and Ngoc "nk").
    def alike(a: str, b: str) -> float:
        return token_similarity(a, key_of(a), b, key_of(b))

    assert alike("mhmd", "mohamed") >= 0.93
    assert alike("omar", "umar") >= 0.93
    assert alike("karim", "carim") >= 0.93
    assert alike("nathan", "anthony") <= 0.8
    assert alike("hong", "ngoc") <= 0.8


def _match(query: str, record: str) -> NameMatch:
    (asked,), (recorded,) = readings(query), readings(record)
    return NameMatch(reading_similarity(asked, recorded), asked, record, recorded)


def test_a_part_spelt_as_another_name_on_record_weighs_against() -> None:
    assert differing_part(_match("Driton Krasniqi", "Dritan Krasniqi")) == ("driton", "dritan")
    assert differing_part(_match("Krasniqi Driton", "Dritan Krasniqi")) == ("driton", "dritan")
    assert differing_part(_match("Driton Krasniqi", "Dritan Krasnici")) is None  # two parts
    assert differing_part(_match("Dritan Krasniqi", "Dritan Krasniqi")) is None
    bearers = {"driton": 1, "dritan": 2, "dritn": 0}.get
    # The traveller's spelling is borne by a record; the record's, by another than itself.
    found = other_name_feature(("driton", "dritan"), lambda part: bearers(part, 0))
    assert found is not None and found.feature == "name_part" and -1 < found.weight < 0
    assert "“driton” and “dritan” are both names other records bear" in found.explanation
    # A misspelling that no record bears, or a record's spelling only it bears: nothing.
    assert other_name_feature(("dritn", "dritan"), lambda part: bearers(part, 0)) is None
    assert other_name_feature(("dritan", "driton"), lambda part: bearers(part, 0)) is None
    assert other_name_feature(None, lambda part: 9) is None


def test_score_is_a_probability_that_grows_with_evidence() -> None:
    weak = score([Feature("name", 0.5, "")])
    strong = score([Feature("name", 0.5, ""), Feature("birth_date", 2.5, "")])
    assert 0 < weak < strong < 1


def test_the_bound_a_ranking_skips_by_is_never_below_the_score() -> None:
    """``rank`` skips a candidate whose ``score_bound`` from its name, birth date, sex and
    document is under ``SHOWN_FROM``: that must never drop one the full score would show."""
    match = _match("Driton Krasniqi", "Dritan Krasniqi")
    births = [None, *(birth_feature(a, "1990-05-04", None) for a in
              ("1990-05-04", "1990-05", "1990", "1990-04-05", "1991-05-04", "1970"))]  # fmt: skip
    sexes = [None, sex_feature("M", "M"), sex_feature("M", "F")]
    documents = [None, identifier_feature("X1", frozenset({"X1"})),
                 identifier_feature("X1", frozenset({"Y2"}))]  # fmt: skip
    nationalities = [None, nationality_feature("ALB", ["ALB"]), nationality_feature("ALB", ["FRA"])]
    part = other_name_feature(("driton", "dritan"), lambda _: 5)
    for similarity in (0.6, 0.7, 0.84, 0.9, 1.0):
        scaled = NameMatch(similarity, match.query, match.record_name, match.record)
        for birth, sex, document, nationality, bearers, rivals, name_part in product(
            births, sexes, documents, nationalities, (1, 3), (0, 2), (None, part)
        ):
            known = [f for f in (birth, sex, document) if f is not None]
            name = name_feature(scaled, "Driton Krasniqi", bearers, birth, rivals)
            others = [f for f in (name_part, nationality) if f is not None]
            assert score([name, *others, *known]) <= score_bound(similarity, known)


# Names in several scripts, orders and splits, with parts dropped and joined: the compiled
# comparison of a whole shortlist must give what the reference, name by name, gives.
_GALLERY = [
    "Vladimir Putin", "Putin Vladimir Vladimirovich", "Xi Jin Ping", "习近平", "Kim Jong Un",
    "김정은", "Kim Jeongeun", "Mohammed bin Salman Al Saud", "محمد بن سلمان", "Abdul Rahman",
    "Abdelrahman Mohamed Ali", "Владимир Путин", "Cristobal Romero Casarez", "Cristobal Fuentes",
    "Müller Hans", "Hans Mueller", "Thet Naing Oo", "ThetNaing", "Li", "Lee Min",
    "Γιώργος Παπαδόπουλος", "Dritan Krasniqi", "Driton Krasniqi", "Ana Maria de la Cruz",
    "Anamaria Cruz",
]  # fmt: skip
_QUERIES = [
    "Vladimir Putin", "Xi Jinping", "Kim Jong-un", "Mohamed Salman", "Abdulrahman Ali",
    "Cristobal Romero", "Hans Müller", "Thet Naing", "Lee", "Driton Krasniqi", "Anamaria de Cruz",
    "محمد علي", "Ivan Petrov",
]  # fmt: skip


def test_a_shortlist_compared_at_once_equals_each_name_compared_alone() -> None:
    index = NameIndex()
    for number, name in enumerate(_GALLERY):
        index.put(_entry(f"p{number:03d}", [name, *_GALLERY[number + 1 : number + 2]]))
    compared = 0
    for query in _QUERIES:
        forms = readings(query)
        shortlist = index.shortlist(forms, lambda e: True)
        names = [e.names for e in shortlist.entries]
        together = best_names(forms, shortlist.names, shortlist.table, names)
        compared += len(together)
        for entry, match in zip(shortlist.entries, together, strict=True):
            alone = best_name(forms, entry.names)
            assert alone is not None and match is not None
            assert match.similarity == pytest.approx(alone.similarity, abs=1e-12), (query, entry)
            assert (match.record, match.query, match.record_name) == (
                alone.record, alone.query, alone.record_name,
            )  # fmt: skip
        floor = best_names(forms, shortlist.names, shortlist.table, names, floor=0.8)
        assert [m is not None and m.similarity >= 0.8 for m in together] == [
            m is not None for m in floor
        ]
        if len(together) > 3:
            top = sorted(range(len(together)), key=lambda i: -together[i].similarity)[:2]
            cut = best_names(forms, shortlist.names, shortlist.table, names, most=2, also=[0])
            assert {i for i, m in enumerate(cut) if m is not None} == {*top, 0}
    assert compared >= 40  # every query shortlists some records


def test_a_split_name_is_found_joined_and_a_joined_one_split() -> None:
    index = NameIndex()
    index.put(_entry("split", ["Xi Jin Ping"]))
    index.put(_entry("joined", ["Thetnaing Oo"]))
    for query, expected in (("Xi Jinping", "split"), ("Thet Naing Oo", "joined")):
        shortlist = index.shortlist(readings(query), lambda e: True)
        names = [e.names for e in shortlist.entries]
        found = best_names(readings(query), shortlist.names, shortlist.table, names)
        best = {e.id: m.similarity for e, m in zip(shortlist.entries, found, strict=True) if m}
        assert best[expected] == 1.0


def _entry(record_id: str, names: list[str]) -> Entry:
    return entry_of(
        record_id=record_id, owner="FRA", audience=Audience.everyone(), review_by=date(2099, 1, 1),
        category="wanted", names=names, birth_date=None, birth_date_to=None, sex=None,
        nationalities=[], identifiers=[],
    )  # fmt: skip


def test_below_the_name_floor_only_a_document_can_lift_a_record_to_be_shown() -> None:
    # Screening weighs in full only names at or above the floor, and the document's holders:
    # that is only sound while the best of every other piece of evidence cannot lift a name
    # under the floor to be shown.
    from vigil.persons.screening import _NAME_FLOOR, SHOWN_FROM

    query = readings("Ivan Petrov")[0]
    match = NameMatch(_NAME_FLOOR - 1e-9, query, "Ivan Petrov", query)
    birth = birth_feature("1980-01-02", "1980-01-02", None)
    best_else = [birth, sex_feature("M", "M"), nationality_feature("RUS", ["RUS"])]
    assert score([name_feature(match, "Ivan Petrov", 1, birth), *best_else]) < SHOWN_FROM  # type: ignore[list-item]


_DATES = [None, "", "1990", "1990-05", "1990-05-04", "1991", "1991-04-05", "1989-12-31", "1988",
          "1992-05-04", "2001-01-01", "1990-5-4", "199", "19901"]  # fmt: skip


def test_birth_years_say_conflict_only_where_the_birth_feature_says_it() -> None:
    """A shortlist's birth years set aside the records ``birth_feature`` finds in conflict:
    never one it would weigh otherwise, and the commonest case, years apart, always."""
    births = BirthYears()
    recorded = [(b, u) for b in _DATES for u in (None, "1991", "1993-02", "20")]
    for slot, (birth, until) in enumerate(recorded):
        births.add(slot, birth, until)
    born = births.of(np.arange(len(recorded)))
    for asked in _DATES:
        conflicting = born.conflicting(asked).tolist()
        for (birth, until), said in zip(recorded, conflicting, strict=True):
            feature = birth_feature(asked, birth, until)
            if said:
                assert feature is not None and feature.verdict == "conflict", (asked, birth, until)
            elif feature is not None and feature.verdict == "conflict":
                # left to birth_feature: a date written otherwise, or years at most one apart
                written = [year_of(d) for d in (asked, birth, until) if d]
                assert not all(written) or (not until and abs(written[0] - written[1]) < 2)
    assert _conflict_rules_out()  # with these weights, a conflict rules out even the same name


def test_ranking_is_the_same_with_the_birth_years_setting_aside() -> None:
    index = NameIndex()
    for number, name in enumerate(_GALLERY * 4):
        entry = _entry(f"p{number:03d}", [name])
        born = {"birth_date": _born(number), "identifiers": frozenset({f"X{number}"})}
        index.put(dataclasses.replace(entry, **born))  # type: ignore[arg-type]
    queries = [
        ScreenQuery(name=q, birth_date=_born(n), document_number=f"X{n}" if n % 3 else None)
        for n, q in enumerate(_QUERIES * 3)
    ]  # fmt: skip
    shown = 0
    for query in queries:
        forms = readings(query.name)
        with_years = screening.rank(index.shortlist(forms, lambda e: True), query, forms)
        try:
            screening._CONFLICT_RULES_OUT = False
            without = screening.rank(index.shortlist(forms, lambda e: True), query, forms)
        finally:
            screening._CONFLICT_RULES_OUT = True
        assert [(r.entry.id, r.score) for r in with_years] == [
            (r.entry.id, r.score) for r in without
        ], query
        shown += len(with_years)
    assert shown >= 10  # not an empty comparison


def _born(n: int) -> str:
    """Birth dates a few years apart, some the same: most candidates ruled out, some not."""
    return f"{1960 + n % 5}-0{1 + n % 3}-1{n % 2}"
