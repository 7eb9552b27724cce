"""Where trafficking victims come from, where they are found, and how they travel.

The tables in ``data/`` are derived from UNODC's GLOTIP figures (victims detected by citizenship)
and OpenFlights' air routes by ``tools/derive_world_tables.py``; ``data/SOURCES.md`` names the
sources, licences and choices. Only members of the exchange appear: other codes are dropped at
load. Origins and destinations follow the detected flows; a citizenship with no figures of its own
borrows the pattern of its UN sub-region, then of its continent, then of the whole table.

Routes are drawn over three kinds of hop, tried in this order:

- land, between two countries of the same UN sub-region when neither is an island state. The
  sub-region stands in for "neighbours", because no installed package lists land borders;
- air, between two countries linked by at least one airline route, weighted by their route count;
- sea, within a sub-region when one end is an island state and no airline links the two.

A route is one hop when there is one; otherwise it takes one transit country, else two, drawn with
the product of its hops' weights (a land or sea hop weighs as much as the median air link). Domestic
trafficking is one domestic land leg.
"""

from __future__ import annotations

import csv
import random
import statistics
from bisect import bisect
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Generic, Literal, TypeVar

from vigil.core.countries import country_table, member_codes
from vigil.errors import InvalidInput

DATA = Path(__file__).parent / "data"

Mode = Literal["air", "land", "sea"]
T = TypeVar("T")
K = TypeVar("K")

# Members without a land border to any country of their UN sub-region, so "same sub-region" does
# not mean "reachable by land" for them. Great Britain and Ireland are listed because their one
# land border does not reach the rest of Northern Europe; Papua New Guinea because its one land
# border is with Indonesia, outside Melanesia. Hand-written: no installed package has borders.
ISLAND_STATES = frozenset(
    {
        *("ATG", "BHS", "BRB", "CUB", "CUW", "DMA", "GRD", "JAM", "KNA", "LCA", "SXM", "TTO"),
        *("VCT", "CPV", "COM", "MDG", "MUS", "SYC", "STP", "CYP", "JPN", "LKA", "MDV", "PHL"),
        *("GBR", "IRL", "ISL", "MLT", "AUS", "FJI", "FSM", "KIR", "MHL", "NRU", "NZL", "PLW"),
        *("PNG", "SLB", "TON", "TUV", "VUT", "WSM"),
    }
)


@dataclass(frozen=True, slots=True)
class Leg:
    """One hop of a route, between two countries."""

    origin: str
    destination: str
    mode: Mode


@dataclass(frozen=True, slots=True)
class Route:
    """A victim's journey from the country of citizenship to the country where detected.

    Tuples rather than lists: drawn routes are shared between draws, so they must not change.
    """

    origin: str
    destination: str
    transit: tuple[str, ...]
    legs: tuple[Leg, ...]

    @property
    def domestic(self) -> bool:
        """Trafficking within the victim's own country."""
        return self.origin == self.destination


@dataclass(frozen=True, slots=True)
class _Choice(Generic[T]):
    """Weighted items with cumulative weights, so that a draw is one bisect."""

    items: tuple[T, ...]
    weights: tuple[float, ...]
    cumulative: tuple[float, ...]

    @staticmethod
    def of(weights: Iterable[tuple[K, float]]) -> _Choice[K]:
        ranked = sorted(weights, key=lambda kw: -kw[1])
        cumulative: list[float] = []
        total = 0.0
        for _, weight in ranked:
            total += weight
            cumulative.append(total)
        return _Choice(tuple(k for k, _ in ranked), tuple(w for _, w in ranked), tuple(cumulative))

    def draw(self, rng: random.Random) -> T:
        # As random.choices does with cum_weights, without building a list per call.
        x = rng.random() * self.cumulative[-1]
        return self.items[bisect(self.cumulative, x, 0, len(self.items) - 1)]

    def pairs(self) -> list[tuple[T, float]]:
        return list(zip(self.items, self.weights, strict=True))


@dataclass(frozen=True, slots=True)
class Region:
    """A country's UN sub-region and continent, for borrowing a neighbour's pattern."""

    subregion: str
    continent: str


@dataclass(frozen=True)
class FlowTable:
    """Flow weights between members and the hops that connect them; see the module docstring."""

    origins: _Choice[str]
    by_citizenship: Mapping[str, _Choice[str]]
    air: Mapping[str, Mapping[str, int]]
    regions: Mapping[str, Region]
    near: Mapping[str, frozenset[str]]
    exploitation_by_country: Mapping[str, Mapping[str, int]]
    victims_by_country: Mapping[str, Mapping[str, int]]
    surface_weight: float
    _plans: dict[tuple[str, str], _Choice[Route]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def draw_citizenship(self, rng: random.Random) -> str:
        """Draw a victim's country of citizenship by the detected flows."""
        return self.origins.draw(rng)

    def citizenships(self) -> list[tuple[str, float]]:
        """Countries of citizenship with detected victims, and their total weight, largest first."""
        return self.origins.pairs()

    def destinations(self, citizenship: str) -> list[tuple[str, float]]:
        """Where victims of this citizenship are detected, with weights, largest first.

        Args:
            citizenship: a member's ISO alpha-3 code.

        Returns:
            The detected flows, or the borrowed pattern of the country's region (see module).

        Raises:
            InvalidInput: the code is not a member country.
        """
        return self._destinations(citizenship).pairs()

    def draw_route(self, rng: random.Random, citizenship: str | None = None) -> Route:
        """Draw a victim's route: origin by weight (unless given), destination, then the hops.

        Args:
            rng: the world's random generator, for determinism.
            citizenship: the victim's country; drawn from the flow weights when None.

        Raises:
            InvalidInput: the code is not a member country.
        """
        origin = self.origins.draw(rng) if citizenship is None else citizenship
        destination = self._destinations(origin).draw(rng)
        plan = self._plans.get((origin, destination))
        if plan is None:
            plan = self._plans[origin, destination] = self._plan(origin, destination)
        return plan.draw(rng)

    def exploitation(self, detected_in: str) -> list[tuple[str, float]]:
        """Victims by form (sexual, forced_labour, other) where detected, or its region's."""
        return self._profile(self.exploitation_by_country, detected_in)

    def victim_groups(self, detected_in: str) -> list[tuple[str, float]]:
        """Victims by group (women, girls, men, boys) where detected, or its region's."""
        return self._profile(self.victims_by_country, detected_in)

    def _destinations(self, citizenship: str) -> _Choice[str]:
        choice = self.by_citizenship.get(citizenship)
        if choice is None:
            raise InvalidInput(f"{citizenship} is not a member country")
        return choice

    def _profile(
        self, table: Mapping[str, Mapping[str, int]], code: str
    ) -> list[tuple[str, float]]:
        if code not in self.by_citizenship:
            raise InvalidInput(f"{code} is not a member country")
        pooled: dict[str, float] = defaultdict(float)
        for others in _pools(code, table.keys(), self.regions):
            for other in others:
                for key, value in table[other].items():
                    pooled[key] += value
            if pooled:
                break
        return sorted(pooled.items(), key=lambda kv: -kv[1])

    def _hop(self, a: str, b: str) -> tuple[Mode, float] | None:
        """How to go from a to b in one hop, and its weight; None when there is no hop."""
        near = b in self.near.get(a, ())
        if near and a not in ISLAND_STATES and b not in ISLAND_STATES:
            return "land", self.surface_weight
        routes = self.air.get(a, {}).get(b)
        if routes:
            return "air", float(routes)
        return ("sea", self.surface_weight) if near else None

    def _plan(self, origin: str, destination: str) -> _Choice[Route]:
        """The routes with the fewest hops between two members, weighted; built once per pair."""
        if origin == destination:
            return _Choice.of([(_route(origin, destination, [], ["land"]), 1.0)])
        for paths in (self._direct, self._one_stop, self._two_stops):
            candidates = list(paths(origin, destination))
            if candidates:
                return _Choice.of(candidates)
        # No path in three hops: a direct crossing, by sea when an island is involved.
        mode: Mode = "sea" if {origin, destination} & ISLAND_STATES else "land"
        return _Choice.of([(_route(origin, destination, [], [mode]), 1.0)])

    def _direct(self, origin: str, destination: str) -> Iterator[tuple[Route, float]]:
        hop = self._hop(origin, destination)
        if hop is not None:
            yield _route(origin, destination, [], [hop[0]]), hop[1]

    def _one_stop(self, origin: str, destination: str) -> Iterator[tuple[Route, float]]:
        for via in self._next(origin):
            first, second = self._hop(origin, via), self._hop(via, destination)
            if via != destination and first is not None and second is not None:
                route = _route(origin, destination, [via], [first[0], second[0]])
                yield route, first[1] * second[1]

    def _two_stops(self, origin: str, destination: str) -> Iterator[tuple[Route, float]]:
        for a in self._next(origin):
            for b in self._next(a):
                if len({origin, a, b, destination}) < 4:
                    continue
                hops = [self._hop(origin, a), self._hop(a, b), self._hop(b, destination)]
                found = [hop for hop in hops if hop is not None]
                if len(found) == len(hops):
                    modes = [mode for mode, _ in found]
                    weight = _product(weight for _, weight in found)
                    yield _route(origin, destination, [a, b], modes), weight

    def _next(self, code: str) -> list[str]:
        """Countries one hop away from code, in a stable order."""
        return sorted({*self.air.get(code, {}), *self.near.get(code, ())})


def _route(origin: str, destination: str, transit: list[str], modes: list[Mode]) -> Route:
    stops = [origin, *transit, destination]
    hops = zip(pairwise(stops), modes, strict=True)
    legs = tuple(Leg(a, b, mode) for (a, b), mode in hops)
    return Route(origin, destination, tuple(transit), legs)


def _product(values: Iterable[float]) -> float:
    result = 1.0
    for value in values:
        result *= value
    return result


def _near(regions: Mapping[str, Region]) -> dict[str, frozenset[str]]:
    """The other members of each member's UN sub-region: reachable by land or sea."""
    by_subregion: dict[str, set[str]] = defaultdict(set)
    for code, region in regions.items():
        by_subregion[region.subregion].add(code)
    return {code: frozenset(by_subregion[r.subregion] - {code}) for code, r in regions.items()}


def _pools(
    code: str, with_figures: Collection[str], regions: Mapping[str, Region]
) -> Iterator[list[str]]:
    """Countries whose figures to use, nearest first: itself, sub-region, continent, everyone."""
    if code in with_figures:
        yield [code]
    others = sorted(c for c in with_figures if c != code)
    region = regions.get(code)
    if region is not None:
        yield [c for c in others if (r := regions.get(c)) and r.subregion == region.subregion]
        yield [c for c in others if (r := regions.get(c)) and r.continent == region.continent]
    yield others


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _member_regions(members: frozenset[str]) -> dict[str, Region]:
    """Each member's UN sub-region and continent, from country_converter's data file."""
    return {
        r["ISO3"]: Region(r["UNregion"], r["continent"])
        for r in country_table()
        if r["ISO3"] in members and r["UNregion"]
    }


def _destination_pattern(
    code: str, flows: Mapping[str, Mapping[str, int]], regions: Mapping[str, Region]
) -> dict[str, float]:
    """Destinations from code's own flows, else borrowed: others' domestic flows become code's."""
    pooled: dict[str, float] = defaultdict(float)
    for others in _pools(code, flows.keys(), regions):
        for other in others:
            for destination, weight in flows[other].items():
                pooled[code if destination == other else destination] += weight
        if pooled:
            break
    return pooled


def _counts(row: Mapping[str, str], columns: Iterable[str]) -> dict[str, int]:
    """The non-empty count columns of a row: an empty cell is a figure the country did not give."""
    return {c: int(row[c]) for c in columns if row[c]}


def _profiles(
    members: frozenset[str],
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Victims by form of exploitation, and by sex and age group, per detecting member."""
    forms: dict[str, dict[str, int]] = {}
    groups: dict[str, dict[str, int]] = {}
    for row in _read("exploitation.csv"):
        code = row["detected_in"]
        if code not in members:
            continue
        if own := _counts(row, ("sexual", "forced_labour", "other")):
            forms[code] = own
        if own := _counts(row, ("women", "girls", "men", "boys")):
            groups[code] = own
    return forms, groups


def _links(
    name: str, columns: tuple[str, str, str], members: frozenset[str]
) -> dict[str, dict[str, int]]:
    """A pair table as first -> second -> positive integer, members only."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    first, second, value = columns
    for row in _read(name):
        weight = int(row[value])
        if row[first] in members and row[second] in members and weight > 0:
            table[row[first]][row[second]] = weight
    return dict(table)


@cache
def load_flows() -> FlowTable:
    """The flow table for the world generator, loaded once.

    Returns:
        A FlowTable over the member countries only.
    """
    members = member_codes()
    regions = _member_regions(members)
    flows = _links("victim_flows.csv", ("citizenship", "detected_in", "weight"), members)
    air = _links("air_links.csv", ("origin", "destination", "routes"), members)
    countries = sorted(regions)
    by_citizenship = {
        code: _Choice.of(_destination_pattern(code, flows, regions).items()) for code in countries
    }
    forms, groups = _profiles(members)
    return FlowTable(
        origins=_Choice.of((c, float(sum(d.values()))) for c, d in flows.items()),
        by_citizenship=by_citizenship,
        air=air,
        regions=regions,
        near=_near(regions),
        exploitation_by_country=forms,
        victims_by_country=groups,
        surface_weight=statistics.median(w for d in air.values() for w in d.values()),
    )
