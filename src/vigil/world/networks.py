"""Trafficking and smuggling networks, their victims, and everything the police record of them.

A chunk of the world is built from whole networks plus people unrelated to any network
(missing persons, fugitives, witnesses), so chunks can be generated independently and in
parallel, each from its own seed.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from vigil.core.countries import members
from vigil.world import documents, traces
from vigil.world.flows import FlowTable
from vigil.world.humans import TODAY, Human, make_human, person_record
from vigil.world.scale import RECORDINGS

ROLES = ("organiser", "recruiter", "transporter", "forger", "exploiter", "money_mule")
EXPLOITATION = (("sexual", 38), ("forced_labour", 42), ("forced_criminality", 10), ("other", 10))
CITIES = {
    "FRA": "Paris",
    "DEU": "Berlin",
    "ESP": "Madrid",
    "ITA": "Milan",
    "GBR": "London",
    "NLD": "Amsterdam",
    "BEL": "Brussels",
    "USA": "New York",
    "TUR": "Istanbul",
    "ARE": "Dubai",
    "SAU": "Riyadh",
    "THA": "Bangkok",
    "MYS": "Kuala Lumpur",
}


@dataclass
class Chunk:
    """What one chunk of the world writes, by file."""

    seed: int
    index: int
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def ref(self, prefix: str) -> str:
        """A reference unique in the world: kind, chunk, running number."""
        self.counters[prefix] += 1
        return f"{prefix}{self.index:05d}{self.counters[prefix]:06d}"


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
    _money(rng, chunk, network_id, members, victims, route.destination)
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
            chunk.rows["notices"].append(_red_notice(rng, chunk, owner, ref, human))
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
            chunk.rows["notices"].append(_yellow_notice(rng, chunk, route.origin, missing, human))
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
        chunk.rows["notices"].append(_red_notice(rng, chunk, country, ref, human))
    elif role == "missing" and rng.random() < (0.6 if human.minor else 0.2):
        chunk.rows["notices"].append(_yellow_notice(rng, chunk, country, ref, human))
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


CHARGES = (
    ("trafficking in human beings", "Criminal Code, trafficking in persons", 10),
    ("migrant smuggling", "Law on foreigners, facilitation of illegal entry", 7),
    ("forced labour", "Criminal Code, forced labour", 8),
    ("money laundering", "Criminal Code, laundering of proceeds of crime", 10),
    ("forgery of travel documents", "Criminal Code, forgery of official documents", 5),
)


def _red_notice(
    rng: random.Random, chunk: Chunk, owner: str, person: str, human: Human
) -> dict[str, Any]:
    charge, law, years = (
        CHARGES[0 if human.role != "forger" else 4] if rng.random() < 0.6 else rng.choice(CHARGES)
    )
    issued = TODAY - timedelta(days=rng.randint(10, 4 * 365))
    return {
        "ref": chunk.ref("N"),
        "owner": owner,
        "type": "red",
        "person_ref": person,
        "charges": [charge],
        "law": law,
        "penalty_max_years": years + rng.randint(0, 10),
        "warrant": {
            "authority": f"Investigating judge, {CITIES.get(owner, owner)}",
            "reference": f"{owner}/{issued.year}/{rng.randint(1000, 99999)}",
            "date": issued.isoformat(),
        },
        "status": "published",
        "published_at": issued.isoformat(),
        "envelope": {
            "audience": "all",
            "handling": "H0",
            "review_by": (issued + timedelta(days=5 * 365 - 1)).isoformat(),
        },
    }


def _yellow_notice(
    rng: random.Random, chunk: Chunk, owner: str, person: str, human: Human
) -> dict[str, Any]:
    since = TODAY - timedelta(days=rng.randint(5, 3 * 365))
    return {
        "ref": chunk.ref("N"),
        "owner": owner,
        "type": "yellow",
        "person_ref": person,
        "minor": human.minor,
        "missing_since": since.isoformat(),
        "place_missing": CITIES.get(owner, owner),
        "circumstances": rng.choice(
            (
                "Left home after answering a job offer abroad; no contact since.",
                "Last seen at the bus station with two unknown adults.",
                "Travelled abroad for seasonal work; family lost contact.",
            )
        ),
        "status": "published",
        "published_at": since.isoformat(),
        "envelope": {
            "audience": "all",
            "handling": "H0",
            "review_by": (since + timedelta(days=5 * 365 - 1)).isoformat(),
        },
    }


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


def _money(
    rng: random.Random,
    chunk: Chunk,
    network_id: str,
    members: list[Human],
    victims: list[tuple[Human, Any]],
    owner: str,
) -> None:
    """Laundering patterns through the network's accounts, hidden in ordinary payments."""
    accounts = sorted({a for h in members for a in h.accounts})
    if len(accounts) < 2:
        return
    start = datetime(TODAY.year, TODAY.month, TODAY.day) - timedelta(days=rng.randint(30, 700))
    pattern = rng.choice(("fan_in", "fan_out", "pass_through", "structuring"))
    flows = _pattern(rng, pattern, accounts, start, traces.ordinary_accounts(chunk.seed, owner))
    for source, target, amount, at in flows:
        ref = chunk.ref("T")
        chunk.rows["transactions"].append(
            traces.transfer(
                rng, ref=ref, owner=owner, source=source, target=target, amount=amount, at=at
            )
        )
        chunk.rows["laundering"].append(
            {"transaction": ref, "network": network_id, "pattern": pattern}
        )
    for _ in range(len(flows) * 9):  # ordinary payments around them, one in ten is laundering
        ref = chunk.ref("T")
        source, target = rng.sample(traces.ordinary_accounts(chunk.seed, owner), 2)
        at = start + timedelta(minutes=rng.randint(0, 90 * 24 * 60))
        chunk.rows["transactions"].append(
            traces.transfer(
                rng,
                ref=ref,
                owner=owner,
                source=source,
                target=target,
                amount=rng.lognormvariate(5, 1.2),
                at=at,
            )
        )


def _pattern(
    rng: random.Random, pattern: str, accounts: list[str], start: datetime, public: list[str]
) -> list[tuple[str, str, float, datetime]]:
    hub, others = accounts[0], accounts[1:]
    outside = rng.sample(public, rng.randint(4, 12))

    def moment(hours: float) -> datetime:
        return start + timedelta(hours=hours)

    match pattern:
        case "fan_in":  # many small payers into one collector account
            return [
                (src, hub, rng.uniform(200, 900), moment(rng.uniform(0, 240))) for src in outside
            ]
        case "fan_out":  # one account pays out to many
            return [
                (hub, dst, rng.uniform(500, 3000), moment(rng.uniform(0, 72))) for dst in outside
            ]
        case "pass_through":  # money in and straight out again within hours
            amount, hour = rng.uniform(8_000, 40_000), 0.0
            chain = [outside[0], hub, *others, outside[-1]]
            rows: list[tuple[str, str, float, datetime]] = []
            for source, target in itertools.pairwise(chain):
                hour += rng.uniform(0.5, 6)
                amount *= rng.uniform(0.96, 0.995)
                rows.append((source, target, amount, moment(hour)))
            return rows
        case _:  # structuring: repeated deposits just below the reporting threshold
            return [
                (src, hub, traces.STRUCTURING_LIMIT - rng.uniform(50, 900), moment(day * 24.0))
                for day, src in enumerate(rng.choices(outside, k=rng.randint(5, 14)))
            ]
