"""The two hand-written tables behind names: which stocks each country draws from, and the
name pools written for cultures Faker lacks (``src/vigil/world/data/names_*.csv``)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class StockChoice:
    """One stock of names a country draws from, with its share."""

    weight: float
    given: str  # a Faker locale or a hand-written pool
    family: str
    culture: str


@dataclass(frozen=True, slots=True)
class PoolRow:
    """One name of a hand-written pool."""

    pool: str
    part: str  # "given" or "family"
    sex: str  # "M", "F", or "" for family names
    weight: float
    native: str
    latin: str | None


def _rows(name: str) -> Iterator[dict[str, str]]:
    text = files("vigil.world").joinpath("data", name).read_text(encoding="utf-8")
    yield from csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))


@cache
def country_stocks() -> dict[str, tuple[StockChoice, ...]]:
    """Each country's stocks of names, from ``names_locales.csv``."""
    stocks: dict[str, list[StockChoice]] = {}
    for row in _rows("names_locales.csv"):
        choice = StockChoice(
            weight=float(row["weight"]),
            given=row["given"],
            family=row["family"] or row["given"],
            culture=row["culture"],
        )
        stocks.setdefault(row["country"], []).append(choice)
    return {country: tuple(choices) for country, choices in stocks.items()}


@cache
def pool_rows(pool: str) -> tuple[PoolRow, ...]:
    """The names of one hand-written pool, from ``names_pools.csv``."""
    return tuple(row for row in _all_pool_rows() if row.pool == pool)


@cache
def _all_pool_rows() -> tuple[PoolRow, ...]:
    return tuple(
        PoolRow(
            pool=row["pool"],
            part=row["part"],
            sex=row["sex"],
            weight=float(row["weight"]),
            native=row["native"],
            latin=row["latin"] or None,
        )
        for row in _rows("names_pools.csv")
    )


@cache
def known_spellings(pool: str) -> dict[str, str]:
    """Native name → its usual Latin spelling, from one hand-written pool."""
    return {row.native: row.latin for row in pool_rows(pool) if row.latin}
