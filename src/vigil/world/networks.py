"""Trafficking and smuggling networks, their victims, and everything the police record of them.

A chunk of the world is built from whole networks plus people unrelated to any network
(missing persons, fugitives, witnesses), so chunks can be generated independently and in
parallel, each from its own seed.
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from vigil.core.countries import members
from vigil.world import documents, money, notices, traces
from vigil.world.chunk import CITIES, Chunk
from vigil.world.flows import FlowTable
from vigil.world.humans import Human, make_human, person_record
from vigil.world.scale import RECORDINGS

ROLES = ("organiser", "recruiter", "transporter", "forger", "exploiter", "money_mule")
EXPLOITATION = (("sexual", 38), ("forced_labour", 42), ("forced_criminality", 10), ("other", 10))


def build_chunk(seed: int, index: int, persons: int, flows: FlowTable) -> Chunk:
    """Networks until they account for about 70 % of the chunk's person records, then people
    unrelated to any network until the chunk holds ``persons`` records."""
    rng = random.Random(f"{seed}:humans:{index}")
    chunk = Chunk(seed, index)
    records = chunk.rows["persons"]
    while len(records) < 0.7 * persons:
        _network(rng, chunk, flows)
    while len(records) < persons:
        _independent(rng, chunk, flows)
    return chunk


def _network(rng: random.Random, chunk: Chunk, flows: FlowTable) -> None:
    network_id = chunk.ref("NW")
    kind = "trafficking" if rng.random() < 0.65 else "smuggling"
    route = _cross_border_route(rng, flows)
    places = [route.origin, *route.transit, route.destination]
    members = [_member(rng, chunk, network_id, role, places) for role in _roles(rng, kind)]
    victims = [
        _victim(rng, chunk, network_id, route.origin, flows) for _ in range(rng.randint(3, 30))
    ]
    _share_traces(rng, members, victims, places)
    for human in members:
        _record_member(rng, chunk, human, places)
    for human, victim_route in victims:
        _record_victim(rng, chunk, human, victim_route)
    _stolen_blanks(rng, chunk, members, places)
    _ads(rng, chunk, network_id, kind, members, route.destination)
    money.launder(rng, chunk, network_id, members, victims, route.destination)
    exploitation = rng.choices([e for e, _ in EXPLOITATION], weights=[w for _, w in EXPLOITATION])
    chunk.rows["networks"].append(
        {
            "network": network_id,
            "kind": kind,
            "exploitation": exploitation[0] if kind == "trafficking" else None,
            "countries": places,
            "members": [{"human": h.id, "role": h.role} for h in members],
            "victims": [h.id for h, _ in victims],
        }
    )


def _cross_border_route(rng: random.Random, flows: FlowTable) -> Any:
    # Over half of detected victims are found in their own country (GLOTIP), but the networks
    # an international exchange sees mostly cross borders: redraw domestic routes four times
    # in five.
    route = flows.draw_route(rng)
    for _ in range(5):
        if not route.domestic or rng.random() < 0.2:
            return route
        route = flows.draw_route(rng)
    return route


def _roles(rng: random.Random, kind: str) -> list[str]:
    size = rng.randint(4, 18)
    roles = ["organiser"]
    weights = (0, 30, 25, 8, 25 if kind == "trafficking" else 0, 12)
    roles += rng.choices(ROLES, weights=weights, k=size - 1)
    return roles


def _member(
    rng: random.Random, chunk: Chunk, network_id: str, role: str, places: list[str]
) -> Human:
    nationality = places[0] if rng.random() < 0.6 else rng.choice(places)
    human = make_human(rng, chunk.ref("H"), nationality, role)
    human.network = network_id
    human.documents.append(documents.issue(rng, human))
    return human


def _victim(
    rng: random.Random, chunk: Chunk, network_id: str, origin: str, flows: FlowTable
) -> tuple[Human, Any]:
    route = flows.draw_route(rng, origin)
    human = make_human(rng, chunk.ref("H"), origin, "victim", minor=rng.random() < 0.38)
    human.network = network_id
    if rng.random() < 0.7:
        human.documents.append(documents.issue(rng, human))
    chunk.rows["victim_routes"].append(
        {
            "human": human.id,
            "network": network_id,
            "legs": [
                {"from": leg.origin, "to": leg.destination, "mode": leg.mode} for leg in route.legs
            ],
        }
    )
    return human, route


def _share_traces(
    rng: random.Random, members: list[Human], victims: list[tuple[Human, Any]], places: list[str]
) -> None:
    # A network works with a handful of phones, mailboxes, flats and accounts, shared among its
    # members: the links analysts find. Victims are given the network's contact phone.
    phones = [
        p for p in (traces.phone(rng, rng.choice(places)) for _ in range(rng.randint(2, 6))) if p
    ]
    accounts = [traces.bank_account(rng, rng.choice(places)) for _ in range(rng.randint(2, 5))]
    addresses = [
        f"{rng.randint(1, 200)} {rng.choice(('Rue', 'Street', 'Calle', 'Strasse'))} "
        f"{rng.randint(1, 99)}, {CITIES.get(p, p)}"
        for p in rng.sample(places, min(2, len(places)))
    ]
    for human in members:
        human.phones = rng.sample(phones, min(len(phones), rng.randint(1, 2))) if phones else []
        human.accounts = rng.sample(accounts, min(len(accounts), rng.randint(0, 2)))
        human.addresses = rng.sample(addresses, 1)
        human.emails = [traces.email(rng, f"{human.name.latin_given} {human.name.latin_family}")]
    for human, _ in victims:
        if phones and rng.random() < 0.5:
            human.phones = [rng.choice(phones)]


def _recorders(rng: random.Random, places: list[str], first: str) -> list[str]:
    """The members that record this human: ``first``, then others among the network's places."""
    count = rng.choices([k for k, _ in RECORDINGS], weights=[w for _, w in RECORDINGS])[0]
    others = [p for p in dict.fromkeys(places) if p != first]
    return [first, *rng.sample(others, min(len(others), count - 1))]


def _record_member(rng: random.Random, chunk: Chunk, human: Human, places: list[str]) -> None:
    owners = _recorders(rng, places, places[-1])
    wanted_by = owners[0] if rng.random() < 0.3 else None
    records = []
    for owner in owners:
        category = "wanted" if owner == wanted_by else "suspect"
        ref = chunk.ref("P")
        chunk.rows["persons"].append(
            person_record(rng, human, ref=ref, owner=owner, category=category)
        )
        records.append(ref)
        if owner == wanted_by:
            chunk.rows["notices"].append(notices.red_notice(rng, chunk, owner, ref, human))
    _documents_of(rng, chunk, human)
    chunk.rows["same_person"].append({"person": human.id, "records": records})


def _record_victim(rng: random.Random, chunk: Chunk, human: Human, route: Any) -> None:
    records = []
    ref = chunk.ref("P")
    chunk.rows["persons"].append(
        person_record(rng, human, ref=ref, owner=route.destination, category="victim")
    )
    records.append(ref)
    if route.origin != route.destination and rng.random() < (0.6 if human.minor else 0.25):
        missing = chunk.ref("P")
        chunk.rows["persons"].append(
            person_record(rng, human, ref=missing, owner=route.origin, category="missing")
        )
        records.append(missing)
        if rng.random() < (0.7 if human.minor else 0.3):
            chunk.rows["notices"].append(
                notices.yellow_notice(rng, chunk, route.origin, missing, human)
            )
    _documents_of(rng, chunk, human)
    chunk.rows["same_person"].append({"person": human.id, "records": records})


def _independent(rng: random.Random, chunk: Chunk, flows: FlowTable) -> None:
    """Someone unrelated to any network: a missing person, a fugitive or a witness."""
    # Detection figures over-represent the few countries that report most; people unrelated
    # to networks come half from those figures and half from any member.
    country = flows.draw_citizenship(rng) if rng.random() < 0.5 else rng.choice(_countries())
    role = rng.choices(("missing", "fugitive", "witness"), weights=(50, 40, 10))[0]
    human = make_human(
        rng, chunk.ref("H"), country, role, minor=role == "missing" and rng.random() < 0.4
    )
    human.documents.append(documents.issue(rng, human))
    category = {"missing": "missing", "fugitive": "wanted", "witness": "witness"}[role]
    ref = chunk.ref("P")
    chunk.rows["persons"].append(
        person_record(rng, human, ref=ref, owner=country, category=category)
    )
    if role == "fugitive" and rng.random() < 0.5:
        chunk.rows["notices"].append(notices.red_notice(rng, chunk, country, ref, human))
    elif role == "missing" and rng.random() < (0.6 if human.minor else 0.2):
        chunk.rows["notices"].append(notices.yellow_notice(rng, chunk, country, ref, human))
    _documents_of(rng, chunk, human)
    chunk.rows["same_person"].append({"person": human.id, "records": [ref]})


@cache
def _countries() -> tuple[str, ...]:
    return tuple(m.code for m in members() if m.kind == "country")


def _documents_of(rng: random.Random, chunk: Chunk, human: Human) -> None:
    # Traffickers confiscate victims' passports, which are then reported lost or stolen.
    share = 0.35 if human.role == "victim" else 0.12
    for document in human.documents:
        if rng.random() < share:
            chunk.rows["documents"].append(
                documents.report(rng, document, ref=chunk.ref("D"), holder=human)
            )


def _stolen_blanks(
    rng: random.Random, chunk: Chunk, members: list[Human], places: list[str]
) -> None:
    if not any(h.role == "forger" for h in members):
        return
    for _ in range(rng.randint(1, 6)):
        chunk.rows["documents"].append(
            documents.blank_report(rng, rng.choice(places), ref=chunk.ref("D"))
        )


def _ads(
    rng: random.Random, chunk: Chunk, network_id: str, kind: str, members: list[Human], where: str
) -> None:
    phones = [p for h in members for p in h.phones]
    if not phones:
        return
    templates = rng.sample(traces.AD_TEMPLATES[kind], 2)
    for _ in range(rng.randint(3, 40)):
        ref = chunk.ref("A")
        chunk.rows["ads"].append(
            traces.advertisement(
                rng,
                ref=ref,
                owner=where,
                kind=kind,
                template=rng.choice(templates),
                phone_number=rng.choice(phones),
                city=CITIES.get(where, where),
                country=where,
            )
        )
        chunk.rows["ad_networks"].append({"ad": ref, "network": network_id})
