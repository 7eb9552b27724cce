"""The tiny world: deterministic, complete, and consistent with its ground truth."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from vigil.core.countries import is_member
from vigil.documents.mrz import parse_mrz
from vigil.world.generate import generate
from vigil.world.scale import SCALES, Scale


def _read(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate(SCALES["tiny"], 7, out, workers=2)
    return out


def test_the_same_seed_gives_the_same_world(world: Path, tmp_path: Path) -> None:
    small = Scale("t", persons=300, documents=600)
    generate(small, 11, tmp_path / "a", workers=1)
    generate(small, 11, tmp_path / "b", workers=2)
    for name in ("persons.jsonl", "documents.jsonl", "truth/same_person.jsonl"):
        a, b = (hashlib.sha256((tmp_path / d / name).read_bytes()).hexdigest() for d in "ab")
        assert a == b, name


def test_counts_reach_the_scale(world: Path) -> None:
    persons = _read(world / "persons.jsonl")
    documents = _read(world / "documents.jsonl")
    assert 1_500 <= len(persons) < 1_600
    assert len(documents) >= 6_000


def test_every_record_of_a_same_person_cluster_exists_once(world: Path) -> None:
    refs = Counter(p["ref"] for p in _read(world / "persons.jsonl"))
    assert max(refs.values()) == 1
    clustered = [r for c in _read(world / "truth" / "same_person.jsonl") for r in c["records"]]
    assert Counter(clustered) == refs
    sizes = Counter(len(c["records"]) for c in _read(world / "truth" / "same_person.jsonl"))
    assert sizes[1] > sizes[2] > 0 and sizes[3] > 0


def test_every_mrz_validates_and_matches_its_report(world: Path) -> None:
    documents = [d for d in _read(world / "documents.jsonl") if d["mrz"]]
    assert len(documents) > 5_000
    for document in documents:
        parsed = parse_mrz(document["mrz"])
        assert parsed.valid, (document["ref"], parsed.errors)
        assert parsed.document_number == document["number"]


def test_only_the_issuing_state_reports_a_document(world: Path) -> None:
    for document in _read(world / "documents.jsonl"):
        assert document["owner"] == document["issuing_state"]
        assert is_member(document["owner"])


def test_statuses_and_types_are_all_present(world: Path) -> None:
    documents = _read(world / "documents.jsonl")
    assert {d["status"] for d in documents} == {
        "lost",
        "stolen",
        "revoked",
        "invalidated",
        "stolen_blank",
    }
    assert {d["type"] for d in documents} >= {"passport", "id_card", "visa", "blank"}


def test_names_appear_in_at_least_twelve_scripts(world: Path) -> None:
    scripts = {n["script"] for p in _read(world / "persons.jsonl") for n in p["names"]}
    assert len(scripts) >= 12, scripts


def test_the_same_human_is_written_differently_by_different_countries(world: Path) -> None:
    persons = {p["ref"]: p for p in _read(world / "persons.jsonl")}
    clusters = [c["records"] for c in _read(world / "truth" / "same_person.jsonl")]
    differing = 0
    for records in (r for r in clusters if len(r) > 1):
        latin = {
            next(n["full"] for n in persons[r]["names"] if n["kind"] == "latin") for r in records
        }
        births = {persons[r]["birth_date"] for r in records}
        differing += len(latin) > 1 or len(births) > 1
    assert differing > 20


def test_victims_are_restricted_to_their_owner(world: Path) -> None:
    for person in _read(world / "persons.jsonl"):
        if person["category"] == "victim":
            assert person["envelope"]["audience"] == {"only": [person["owner"]]}


def test_network_members_and_victims_are_all_recorded(world: Path) -> None:
    humans = {c["person"] for c in _read(world / "truth" / "same_person.jsonl")}
    networks = _read(world / "truth" / "networks.jsonl")
    assert networks
    roles = Counter(m["role"] for n in networks for m in n["members"])
    assert set(roles) >= {"organiser", "recruiter", "transporter", "exploiter", "money_mule"}
    for network in networks:
        assert {m["human"] for m in network["members"]} <= humans
        assert set(network["victims"]) <= humans


def test_notices_point_at_person_records_in_realistic_proportions(world: Path) -> None:
    refs = {p["ref"]: p for p in _read(world / "persons.jsonl")}
    notices = _read(world / "notices.jsonl")
    kinds = Counter(n["type"] for n in notices)
    assert kinds["red"] > 0 and kinds["yellow"] > 0
    assert any(n["type"] == "yellow" and n["minor"] for n in notices)
    for notice in notices:
        assert notice["person_ref"] in refs
        assert notice["owner"] == refs[notice["person_ref"]]["owner"]


def test_ads_and_laundering_belong_to_networks(world: Path) -> None:
    ads = {a["ref"] for a in _read(world / "ads.jsonl")}
    assert {a["ad"] for a in _read(world / "truth" / "ad_networks.jsonl")} == ads
    transactions = {t["ref"] for t in _read(world / "transactions.jsonl")}
    laundering = _read(world / "truth" / "laundering.jsonl")
    assert {row["transaction"] for row in laundering} <= transactions
    assert {row["pattern"] for row in laundering} == {
        "fan_in",
        "fan_out",
        "pass_through",
        "structuring",
    }
    assert len(laundering) < 0.2 * len(transactions)


def test_phones_are_valid_for_their_country(world: Path) -> None:
    import phonenumbers

    phones = {p for person in _read(world / "persons.jsonl") for p in person["phones"]}
    assert len(phones) > 20
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p)) for p in phones)


def test_iban_accounts_are_valid(world: Path) -> None:
    from schwifty import IBAN

    accounts = {a for p in _read(world / "persons.jsonl") for a in p["bank_accounts"]}
    ibans = [a for a in accounts if a[:2].isalpha() and a[2:4].isdigit()]
    assert ibans
    for account in ibans:
        IBAN(account)  # raises when the checksum or the format is wrong
