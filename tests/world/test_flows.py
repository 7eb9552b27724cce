import random
from collections import Counter
from itertools import pairwise

import pytest

from vigil.core.countries import member_codes
from vigil.errors import InvalidInput
from vigil.world.flows import DATA, FlowTable, load_flows

SAMPLES = 20_000
TOLERANCE = 0.02  # two percentage points


@pytest.fixture(scope="module")
def flows() -> FlowTable:
    return load_flows()


def test_tables_load_once(flows: FlowTable) -> None:
    assert load_flows() is flows
    assert len(flows.citizenships()) > 100
    assert flows.air


def test_every_code_is_a_member(flows: FlowTable) -> None:
    members = member_codes()
    origins = [code for code, _ in flows.citizenships()]
    destinations = [d for code in origins for d, _ in flows.destinations(code)]
    links = [d for origin, targets in flows.air.items() for d in [origin, *targets]]
    assert set(origins + destinations + links) <= members


def test_weights_are_positive(flows: FlowTable) -> None:
    assert all(weight > 0 for _, weight in flows.citizenships())
    for code, _ in flows.citizenships():
        assert all(weight > 0 for _, weight in flows.destinations(code))
    assert all(n > 0 for targets in flows.air.values() for n in targets.values())


def test_sampled_origins_follow_the_flow_table(flows: FlowTable) -> None:
    rng = random.Random(7)
    drawn = Counter(flows.draw_route(rng).origin for _ in range(SAMPLES))
    total = sum(weight for _, weight in flows.citizenships())
    for code, weight in flows.citizenships()[:10]:
        assert abs(drawn[code] / SAMPLES - weight / total) < TOLERANCE, code


def test_sampled_destinations_follow_the_citizenships_flows(flows: FlowTable) -> None:
    rng = random.Random(11)
    drawn = Counter(flows.draw_route(rng, "ALB").destination for _ in range(SAMPLES))
    expected = flows.destinations("ALB")
    total = sum(weight for _, weight in expected)
    for code, weight in expected[:5]:
        assert abs(drawn[code] / SAMPLES - weight / total) < TOLERANCE, code


def test_legs_connect_origin_through_transits_to_destination(flows: FlowTable) -> None:
    rng = random.Random(3)
    for _ in range(2_000):
        route = flows.draw_route(rng)
        stops = [route.origin, *route.transit, route.destination]
        assert [(leg.origin, leg.destination) for leg in route.legs] == list(pairwise(stops))
        assert len(route.transit) <= 2
        assert all(leg.mode in ("air", "land", "sea") for leg in route.legs)


def test_routes_are_the_same_for_the_same_seed(flows: FlowTable) -> None:
    first = [flows.draw_route(random.Random(42)) for _ in range(3)]
    again = [flows.draw_route(random.Random(42)) for _ in range(3)]
    assert first == again
    rng_a, rng_b = random.Random(5), random.Random(5)
    assert [flows.draw_route(rng_a) for _ in range(500)] == [
        flows.draw_route(rng_b) for _ in range(500)
    ]


def test_domestic_trafficking_is_one_domestic_leg(flows: FlowTable) -> None:
    rng = random.Random(1)
    route = next(r for r in (flows.draw_route(rng, "USA") for _ in range(100)) if r.domestic)
    assert route.transit == ()
    assert [(leg.origin, leg.destination) for leg in route.legs] == [("USA", "USA")]


def test_linked_countries_fly_direct(flows: FlowTable) -> None:
    assert flows.air["ALB"]["GBR"] > 0
    route = next(
        r
        for r in (flows.draw_route(random.Random(n), "ALB") for n in range(200))
        if r.destination == "GBR"
    )
    assert [leg.mode for leg in route.legs] == ["air"]


def test_country_without_figures_borrows_its_regions_pattern(flows: FlowTable) -> None:
    with_figures = {code for code, _ in flows.citizenships()}
    assert "VAT" not in with_figures
    assert flows.destinations("VAT")
    assert flows.draw_route(random.Random(2), "VAT").origin == "VAT"


def test_non_member_is_refused(flows: FlowTable) -> None:
    with pytest.raises(InvalidInput):
        flows.destinations("TWN")
    with pytest.raises(InvalidInput):
        flows.draw_route(random.Random(0), "PRK")


def test_victim_profiles_fall_back_to_the_region(flows: FlowTable) -> None:
    assert {form for form, _ in flows.exploitation("ITA")} <= {"sexual", "forced_labour", "other"}
    assert {group for group, _ in flows.victim_groups("VAT")} == {"women", "girls", "men", "boys"}


def test_committed_tables_stay_small() -> None:
    for name in ("victim_flows.csv", "air_links.csv", "exploitation.csv"):
        assert (DATA / name).stat().st_size < 300_000, name
