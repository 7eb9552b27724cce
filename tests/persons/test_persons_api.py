from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import Officer, make_user
from vigil.access.roles import Role
from vigil.api.app import create_app
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, audit_log, hits, persons

WANTED = {
    "names": ["Mohamed Ali Hassan"],
    "birth_date": "1985-03-02",
    "sex": "M",
    "nationalities": ["EGY"],
    "category": "wanted",
}
# What a border officer reads off the traveller: enough, with the name, for a hit.
TRAVELLER = {"name": "Mohamed Ali Hassan", "birth_date": "1985-03-02", "nationality": "EGY",
             "sex": "M"}  # fmt: skip


def _record(client: TestClient, owner: Officer, **fields: Any) -> str:
    response = client.post("/api/v1/persons", json={**WANTED, **fields}, headers=owner.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _screen(client: TestClient, who: Officer, **query: Any) -> dict[str, Any]:
    response = client.post("/api/v1/persons/screen", json=query, headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _rows(db: Database, table: sa.Table) -> list[sa.Row[Any]]:
    with db.engine.connect() as conn:
        return list(conn.execute(sa.select(table)))


def test_record_answers_201_with_the_person_and_it_reads_back(
    client: TestClient, fra: Officer
) -> None:
    names = ["محمد علي حسن", {"full": "Mohamed HASSAN", "kind": "latin", "family": "Hassan"}]
    response = client.post(
        "/api/v1/persons", json={**WANTED, "names": names, "handling": "H2"}, headers=fra.headers
    )
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["id"] and made["envelope"]["owner"] == "FRA"
    body = client.get(f"/api/v1/persons/{made['id']}", headers=fra.headers).json()
    assert [(n["full"], n["script"]) for n in body["names"]] == [
        ("محمد علي حسن", "Arab"), ("Mohamed HASSAN", "Latn"),
    ]  # fmt: skip
    assert body["names"][1]["family"] == "Hassan"
    assert (body["birth_date"], body["envelope"]["handling"]) == ("1985-03-02", "H2")


def test_idempotency_key_replays_the_first_answer(
    client: TestClient, fra: Officer, db: Database
) -> None:
    headers = {**fra.headers, "Idempotency-Key": "person-1"}
    first = client.post("/api/v1/persons", json=WANTED, headers=headers)
    replay = client.post("/api/v1/persons", json=WANTED, headers=headers)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert first.json()["id"] == replay.json()["id"]
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert len(_rows(db, persons)) == 1
    other = client.post("/api/v1/persons", json={**WANTED, "sex": "F"}, headers=headers)
    assert other.status_code == 409


def test_list_filters_by_category_and_owner_with_a_cursor(
    client: TestClient, fra: Officer, deu: Officer
) -> None:
    wanted = [_record(client, fra) for _ in range(3)]
    missing = _record(client, fra, category="missing")
    german = _record(client, deu)
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 2, "category": "wanted", "owner": "FRA"}
    while True:
        page = client.get("/api/v1/persons", params=params, headers=deu.headers).json()
        seen += [p["id"] for p in page["items"]]
        if page["next_cursor"] is None:
            break
        params = {**params, "cursor": page["next_cursor"]}
    assert seen == sorted(wanted, reverse=True)
    everything = client.get("/api/v1/persons", headers=deu.headers).json()["items"]
    assert {missing, german} <= {p["id"] for p in everything}


def test_the_owner_replaces_a_record_and_deletes_it(
    client: TestClient, fra: Officer, deu: Officer
) -> None:
    person_id = _record(client, fra)
    url = f"/api/v1/persons/{person_id}"
    changed = {**WANTED, "names": ["Mohammed Ali Hassan"], "birth_date": "1985"}
    assert client.put(url, json=changed, headers=deu.headers).status_code == 403
    body = client.put(url, json=changed, headers=fra.headers).json()
    assert (body["id"], body["names"][0]["full"], body["birth_date"]) == (
        person_id, "Mohammed Ali Hassan", "1985",
    )  # fmt: skip
    assert client.get(url, headers=deu.headers).json()["birth_date"] == "1985"
    assert client.delete(url, headers=deu.headers).status_code == 403
    assert client.delete(url, headers=fra.headers).status_code == 204
    assert client.get(url, headers=fra.headers).status_code == 404
    assert _screen(client, deu, **TRAVELLER)["candidates"] == []


def test_a_victim_is_restricted_to_its_owner_in_get_list_and_screening(
    client: TestClient, fra: Officer, deu: Officer, db: Database
) -> None:
    victim = _record(client, fra, category="victim")
    url = f"/api/v1/persons/{victim}"
    assert client.get(url, headers=fra.headers).json()["envelope"]["audience"] == {"only": ["FRA"]}
    missing = client.get(url, headers=deu.headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert client.put(url, json=WANTED, headers=deu.headers).status_code == 404
    assert client.delete(url, headers=deu.headers).status_code == 404
    assert client.get("/api/v1/persons", headers=deu.headers).json()["items"] == []
    officer = make_user(db, "DEU", Role.FRONTLINE)
    assert _screen(client, officer, **TRAVELLER)["candidates"] == []
    assert _screen(client, deu, **TRAVELLER)["candidates"] == []
    assert [c["id"] for c in _screen(client, fra, **TRAVELLER)["candidates"]] == [victim]
    assert [h.checking_member for h in _rows(db, hits)] == ["FRA"]


def test_bad_input_is_problem_json_naming_the_field(client: TestClient, fra: Officer) -> None:
    for body, field in [
        ({**WANTED, "birth_date": "1985-13"}, "birth_date"),
        ({**WANTED, "names": []}, "names"),
        ({**WANTED, "names": ["1234"]}, "names"),
        ({**WANTED, "nationalities": ["ZZZ"]}, "ZZZ"),
        ({**WANTED, "category": "villain"}, "category"),
    ]:
        response = client.post("/api/v1/persons", json=body, headers=fra.headers)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert field in response.json()["detail"]
    bad_query = client.post(
        "/api/v1/persons/screen", json={"name": "X Y", "birth_date": "85"}, headers=fra.headers
    )
    assert bad_query.status_code == 422
    assert "birth_date" in bad_query.json()["detail"]


def test_screening_reads_across_scripts_both_ways(
    client: TestClient, fra: Officer, deu: Officer
) -> None:
    arabic = _record(client, fra, names=["محمد علي حسن"])
    latin = _record(client, deu, names=["Mohamed Ali Hassan"], nationalities=["DEU"])
    officer_query = {"name": "Mohamed Ali Hassan", "limit": 5}
    found = _screen(client, deu, **officer_query)["candidates"]
    assert arabic in [c["id"] for c in found]
    [candidate] = [c for c in found if c["id"] == arabic]
    assert candidate["matched_name"] == "محمد علي حسن"
    assert candidate["explanation"][0]["feature"] == "name"
    assert candidate["explanation"][0]["explanation"]
    reverse = _screen(client, fra, name="محمد علي حسن")["candidates"]
    assert latin in [c["id"] for c in reverse]


def test_a_foreign_name_in_katakana_or_hangul_finds_its_latin_form(
    client: TestClient, fra: Officer, deu: Officer
) -> None:
    latin = _record(client, fra, names=["Vladimir Putin"], nationalities=["RUS"])
    _record(client, fra, names=["Vladimir Popov"], nationalities=["RUS"])
    for query, script in (("ウラジーミル・プーチン", "katakana"), ("블라디미르 푸틴", "hangul")):
        best = _screen(client, deu, name=query)["candidates"][0]
        assert best["id"] == latin
        [name] = [e for e in best["explanation"] if e["feature"] == "name"]
        assert f"(a foreign name in {script})" in name["explanation"]


def test_a_part_spelt_as_another_name_is_evidence_of_its_own(
    client: TestClient, fra: Officer, deu: Officer
) -> None:
    wanted = _record(client, fra, names=["Dritan Krasniqi"], birth_date="1990")
    for name in ("Driton Hoxha", "Dritan Berisha"):
        _record(client, fra, names=[name], birth_date="1961")
    found = _screen(client, deu, name="Driton Krasniqi", birth_date="1990")["candidates"]
    [candidate] = [c for c in found if c["id"] == wanted]
    [part] = [e for e in candidate["explanation"] if e["feature"] == "name_part"]
    assert part["weight"] == -0.5
    assert part["explanation"].startswith("“driton” and “dritan” are both names")


def test_a_partner_gets_only_the_result(client: TestClient, fra: Officer, db: Database) -> None:
    _record(client, fra)
    ngo = make_user(db, "QAT", Role.PARTNER)
    assert _screen(client, ngo, **TRAVELLER) == {"result": "hit"}
    assert _screen(client, ngo, name="Olga Petrova") == {"result": "none"}
    assert "FRA" in {a.member for a in _rows(db, alerts)}


def test_a_hit_is_recorded_and_alerts_both_members(
    client: TestClient, fra: Officer, db: Database
) -> None:
    person_id = _record(client, fra)
    officer = make_user(db, "DEU", Role.FRONTLINE)
    [candidate] = _screen(client, officer, **TRAVELLER)["candidates"]
    assert candidate["hit"] and candidate["score"] >= 0.7
    [hit] = _rows(db, hits)
    assert (hit.id, hit.kind, hit.record_id, hit.owner, hit.checking_member) == (
        candidate["hit_id"], "person", person_id, "FRA", "DEU",
    )  # fmt: skip
    assert sorted(a.member for a in _rows(db, alerts)) == ["DEU", "FRA"]


def test_batch_screening_answers_in_order(client: TestClient, fra: Officer, deu: Officer) -> None:
    _record(client, fra)
    queries = [{"name": "Olga Petrova"}, TRAVELLER]
    body = client.post(
        "/api/v1/persons/screen/batch", json={"queries": queries}, headers=deu.headers
    ).json()
    assert body["hits"] == 1
    assert [[c["hit"] for c in r["candidates"]] for r in body["results"]] == [[], [True]]
    empty = client.post("/api/v1/persons/screen/batch", json={}, headers=deu.headers)
    assert empty.status_code == 422


def test_import_json_lines_twice_adds_once_and_lists_bad_lines(
    client: TestClient, fra: Officer
) -> None:
    lines = "\n".join(
        [
            '{"ref": "F-1", "category": "missing", "names": ["Amina Yusuf"], "birth_date": "2008"}',
            "{bad",
            '{"ref": "F-2", "category": "missing", "names": ["X Y"], "birth_date": "1985-13"}',
            '{"ref": "F-3", "owner": "DEU", "category": "missing", "names": ["Lena Vogel"]}',
        ]
    )
    headers = {**fra.headers, "Content-Type": "application/x-ndjson"}
    first = client.post("/api/v1/persons/import", content=lines, headers=headers).json()
    assert (first["read"], first["added"], first["refused"]) == (4, 1, 3)
    assert [e["line"] for e in first["errors"]] == [2, 3, 4]
    again = client.post("/api/v1/persons/import", content=lines, headers=headers).json()
    assert (again["added"], again["already_present"], again["refused"]) == (0, 1, 3)
    listed = client.get("/api/v1/persons", headers=fra.headers).json()["items"]
    assert [p["envelope"]["provenance"]["owner_ref"] for p in listed] == ["F-1"]
    wrong = client.post("/api/v1/persons/import", content=lines, headers=fra.headers)
    assert wrong.status_code == 422


def test_a_served_screening_answers_once_audited_and_alerts_follow(
    serving_db: Database,
) -> None:
    owner = make_user(serving_db, "FRA")
    officer = make_user(serving_db, "DEU", Role.FRONTLINE)
    with TestClient(create_app(serving_db)) as served:
        _record(served, owner)
        assert _screen(served, officer, **TRAVELLER)["candidates"][0]["hit"]
        with serving_db.engine.connect() as conn:
            actions = list(conn.scalars(sa.select(audit_log.c.action)))
        assert actions.count("persons.screen") == 1
        deadline = time.monotonic() + 5
        members: set[str] = set()
        while members != {"DEU", "FRA"} and time.monotonic() < deadline:
            with serving_db.engine.connect() as conn:
                members = set(conn.scalars(sa.select(alerts.c.member)))
            time.sleep(0.02)
        assert members == {"DEU", "FRA"}
