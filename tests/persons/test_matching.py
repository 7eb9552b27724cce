"""Scored features: names whatever their order or split, partial birth dates, the rest."""

from __future__ import annotations

from vigil.persons.matching import (
    Feature,
    birth_feature,
    identifier_feature,
    nationality_feature,
    reading_similarity,
    score,
    sex_feature,
)
from vigil.persons.names import readings


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
    assert identifier_feature("p-123 456", frozenset({"P123456"})) is not None


def test_score_is_a_probability_that_grows_with_evidence() -> None:
    weak = score([Feature("name", 0.5, "")])
    strong = score([Feature("name", 0.5, ""), Feature("birth_date", 2.5, "")])
    assert 0 < weak < strong < 1
