"""Frontline screening through the API: the issue's scenario, escalation on a controllable
clock, passenger lists, preventive alerts, partners."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import Officer, make_user
from vigil.access.actors import Actor, operator
from vigil.access.roles import Role
from vigil.core import clock
from vigil.screening import followup
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, audit_log, hits, screening_checks
from vigil.storage.uow import UnitOfWork

NAME = "Chukwuemeka Okonkwo"
BORN = "1979-06-14"


def _ok(client: TestClient, who: Officer, path: str, body: Any = None) -> Any:
    response = client.post(path, json=body, headers=who.headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _wanted_by_nga(client: TestClient, o: dict[str, Officer]) -> tuple[str, str]:
    person = _ok(client, o["NGA"], "/api/v1/persons", {
        "names": [NAME], "birth_date": BORN, "sex": "M", "nationalities": ["NGA"],
        "category": "wanted", "audience": {"only": ["NGA"]},
    })["id"]  # fmt: skip
    notice = _ok(client, o["NGA"], "/api/v1/notices", {
        "type": "red", "person_id": person, "charges": ["Trafficking in persons"],
        "warrant_reference": "FHC/L/1/2026", "max_penalty_years": 15,
    })["id"]  # fmt: skip
    _ok(client, o["NGA"], f"/api/v1/notices/{notice}/request")
    _ok(client, o["GS"], f"/api/v1/notices/{notice}/review",
        {"decision": "publish", "reasons": "Compliant."})  # fmt: skip
    return person, notice


def _stolen_by_ken(client: TestClient, o: dict[str, Officer], number: str = "AK0456721") -> str:
    return str(_ok(client, o["KEN"], "/api/v1/documents", {
        "number": number, "issuing_state": "KEN", "type": "passport", "status": "stolen",
    })["id"])  # fmt: skip


def test_the_issue_scenario_from_check_to_arrest(
    client: TestClient, officers: dict[str, Officer], db: Database
) -> None:
    o = officers
    person, notice = _wanted_by_nga(client, o)
    report = _stolen_by_ken(client, o)
    answer = _ok(client, o["ESP"], "/api/v1/screening/check", {
        "document": {"number": "AK0456721", "issuing_state": "KEN"},
        "name": "Chukvuemeka Okonkvo", "birth_date": BORN, "nationality": "NGA",
    })  # fmt: skip
    assert answer["result"] == "hit" and answer["action"] == "arrest"
    by_kind = {h["kind"]: h for h in answer["hits"]}
    assert by_kind["document"]["record_id"] == report
    assert by_kind["document"]["action"] == "seize" and by_kind["document"]["explanation"]
    person_hit = by_kind["person"]
    assert person_hit["record_id"] == person and person_hit["owner"] == "NGA"
    assert [(n["id"], n["action"]) for n in person_hit["notices"]] == [(notice, "arrest")]
    assert any("Okonkwo" in line for line in person_hit["explanation"])

    with db.engine.connect() as conn:
        told = {(m, k) for m, k in conn.execute(sa.select(alerts.c.member, alerts.c.kind))}
        recorded = {h.id: h for h in conn.execute(sa.select(hits))}
    assert {("KEN", "documents.hit"), ("NGA", "persons.hit"), ("ESP", "persons.hit")} <= told
    urgent = recorded[person_hit["hit_id"]]
    assert urgent.check_id == answer["check_id"] and urgent.urgency == "urgent"
    assert recorded[by_kind["document"]["hit_id"]].urgency == "routine"

    # NGA confirms within the deadline; ESP records the arrest.
    arrest = {"action": "arrested"}
    early = client.post(f"/api/v1/hits/{person_hit['hit_id']}/action", json=arrest,
                        headers=o["ESP"].headers)  # fmt: skip
    assert early.status_code == 409  # not before the owner confirms
    shown = client.get(f"/api/v1/hits/{person_hit['hit_id']}", headers=o["NGA"].headers).json()
    assert shown["overdue"] is False and shown["urgency"] == "urgent"
    said = {"identity": "confirmed", "note": "Fingerprints sent by ESP match."}
    confirmed = _ok(client, o["NGA"], f"/api/v1/hits/{person_hit['hit_id']}/identity", said)
    assert confirmed["status"] == "confirmed"
    closed = _ok(client, o["ESP"], f"/api/v1/hits/{person_hit['hit_id']}/action", arrest)
    assert (closed["status"], closed["action"]) == ("closed", "arrested")
    assert [m["kind"] for m in closed["messages"]] == ["identity", "action"]
    # Only the owner answers for the identity; a third member sees nothing of the hit.
    fra = make_user(db, "FRA")
    assert (
        client.get(f"/api/v1/hits/{person_hit['hit_id']}", headers=fra.headers).status_code == 404
    )

    with db.engine.connect() as conn:
        steps = [a for a in conn.execute(sa.select(audit_log.c.action).order_by(
            audit_log.c.seq)).scalars()]  # fmt: skip
    for step in ("documents.check", "persons.screen", "screening.check", "hits.identity",
                 "hits.action"):  # fmt: skip
        assert step in steps, step
    inbox = client.get("/api/v1/alerts", headers=o["ESP"].headers).json()["items"]
    assert "hits.identity" in {a["kind"] for a in inbox}


def test_a_backlog_of_overdue_hits_escalates_in_small_transactions(
    client: TestClient,
    officers: dict[str, Officer],
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each escalation transaction holds the store's writer, and border checks wait behind
    it: a backlog goes ``ESCALATION_BATCH`` hits at a time, every one of them escalated."""
    o = officers
    _stolen_by_ken(client, o)
    made = [
        _ok(client, o["ESP"], "/api/v1/screening/check",
            {"document": {"number": "AK0456721", "issuing_state": "KEN"}})["hits"][0]["hit_id"]
        for _ in range(5)
    ]  # fmt: skip
    monkeypatch.setattr(followup, "ESCALATION_BATCH", 2)
    limits: list[int] = []
    escalate_due = followup.escalate_due

    def spied(uow: UnitOfWork, *, actor: Actor, limit: int = 500) -> list[str]:
        limits.append(limit)
        return escalate_due(uow, actor=actor, limit=limit)

    monkeypatch.setattr(followup, "escalate_due", spied)
    with clock.frozen_at(clock.now() + timedelta(minutes=61)):
        assert sorted(followup.sweep(db)) == sorted(made)
        assert followup.sweep(db) == []  # once only
    assert limits == [2, 2, 2, 2]  # 2 + 2 + 1, then the empty sweep


def test_an_unanswered_routine_hit_escalates_after_its_deadline(
    client: TestClient, officers: dict[str, Officer], db: Database
) -> None:
    o = officers
    _stolen_by_ken(client, o)
    answer = _ok(client, o["ESP"], "/api/v1/screening/check",
                 {"document": {"number": "AK0456721", "issuing_state": "KEN"}})  # fmt: skip
    (hit,) = answer["hits"]
    with UnitOfWork(db, write=True) as uow:
        assert followup.escalate_due(uow, actor=operator("test")) == []
    later = clock.now() + timedelta(minutes=61)
    with clock.frozen_at(later):
        shown = client.get(f"/api/v1/hits/{hit['hit_id']}", headers=o["KEN"].headers).json()
        assert shown["overdue"] is True
        with UnitOfWork(db, write=True) as uow:
            assert followup.escalate_due(uow, actor=operator("test")) == [hit["hit_id"]]
        with UnitOfWork(db, write=True) as uow:  # once only
            assert followup.escalate_due(uow, actor=operator("test")) == []
    with db.engine.connect() as conn:
        escalated = set(conn.execute(sa.select(alerts.c.member).where(
            alerts.c.kind == "hits.escalation")).scalars())  # fmt: skip
    assert escalated == {"KEN", "ESP"}
    # A member sets its own, shorter, deadlines.
    changed = client.put("/api/v1/screening/deadlines", json={"routine": 20},
                         headers=o["KEN"].headers).json()  # fmt: skip
    assert (changed["routine"], changed["urgent"]) == (20, 10)


def test_a_denied_identity_is_a_false_hit_analysts_can_review(
    client: TestClient, officers: dict[str, Officer], db: Database
) -> None:
    o = officers
    _stolen_by_ken(client, o)
    answer = _ok(client, o["ESP"], "/api/v1/screening/check",
                 {"document": {"number": "AK0456721", "issuing_state": "KEN"}})  # fmt: skip
    hit_id = answer["hits"][0]["hit_id"]
    denied = _ok(client, o["KEN"], f"/api/v1/hits/{hit_id}/identity", {"identity": "denied"})
    assert denied["status"] == "false_hit"
    analyst = make_user(db, "KEN", Role.ANALYST)
    listed = client.get("/api/v1/hits?status=false_hit", headers=analyst.headers).json()
    assert [h["id"] for h in listed["items"]] == [hit_id]
    no_reason = client.post(f"/api/v1/hits/{hit_id}/action", json={"action": "no_action"},
                            headers=o["ESP"].headers)  # fmt: skip
    assert no_reason.status_code == 422


def test_a_passenger_list_in_json_and_csv(
    client: TestClient, officers: dict[str, Officer], db: Database
) -> None:
    o = officers
    _wanted_by_nga(client, o)
    _stolen_by_ken(client, o)
    travellers = [{"name": f"Traveller Number {i}", "birth_date": "1990"} for i in range(40)]
    travellers[7] = {"name": "Chukwuemeka Okonkwo", "birth_date": BORN}
    travellers[21] = {"document": {"number": "AK0456721", "issuing_state": "KEN"}}
    answer = _ok(client, o["ESP"], "/api/v1/screening/manifests",
                 {"travellers": travellers, "reference": "IB3166"})  # fmt: skip
    assert answer["summary"]["travellers"] == 40 and answer["summary"]["hits"] == 2
    assert [i for i, r in enumerate(answer["results"]) if r["result"] == "hit"] == [7, 21]
    with db.engine.connect() as conn:  # the list's record, written after the answer
        listed = conn.execute(sa.select(screening_checks)).mappings().one()
    assert (listed["reference"], listed["travellers"], listed["result"]) == ("IB3166", 40, "hit")
    csv_text = ("surname,given_names,date_of_birth,nationality,passport_number,issuing_state\n"
                "OKONKWO,CHUKWUEMEKA,1979-06-14,NGA,,\n"
                "DOE,JANE,1985-01-01,GBR,AK0456721,KEN\n"
                "SMITH,JOHN,1970-02-02,USA,,\n")  # fmt: skip
    response = client.post("/api/v1/screening/manifests?reference=AF1234", content=csv_text,
                           headers={**o["ESP"].headers, "Content-Type": "text/csv"})  # fmt: skip
    assert response.status_code == 200, response.text
    assert [r["result"] for r in response.json()["results"]] == ["hit", "hit", "none"]
    bad = client.post("/api/v1/screening/manifests", json={"travellers": [{"sex": "M"}]},
                      headers=o["ESP"].headers)  # fmt: skip
    assert bad.status_code == 422


def test_an_at_risk_child_at_departure_is_a_protect_hit(
    client: TestClient, officers: dict[str, Officer]
) -> None:
    o = officers
    _ok(client, o["ESP_NCB"], "/api/v1/persons", {
        "names": ["Lucía Fernández Ruiz"], "birth_date": "2012-04-09", "sex": "F",
        "nationalities": ["ESP"], "category": "at_risk",
    })  # fmt: skip
    answer = _ok(client, o["ESP"], "/api/v1/screening/check", {
        "name": "Lucia Fernandez Ruiz", "birth_date": "2012-04-09", "direction": "departure",
    })  # fmt: skip
    assert answer["result"] == "hit" and answer["action"] == "protect"
    assert answer["hits"][0]["action_text"].startswith("A missing or at-risk person")


def test_a_partner_learns_hit_or_none_and_bad_input_is_refused(
    client: TestClient, officers: dict[str, Officer], db: Database
) -> None:
    o = officers
    _stolen_by_ken(client, o)
    airline = make_user(db, "ESP", Role.PARTNER)
    answer = _ok(client, airline, "/api/v1/screening/check",
                 {"document": {"number": "AK0456721", "issuing_state": "KEN"}})  # fmt: skip
    assert answer == {"result": "hit"}
    for body in ({}, {"mrz": "garbage", "document": {"number": "1", "issuing_state": "KEN"}},
                 {"name": "x", "birth_date": "1999-13-40"}):  # fmt: skip
        response = client.post("/api/v1/screening/check", json=body, headers=o["ESP"].headers)
        assert response.status_code == 422, body
        assert response.headers["content-type"].startswith("application/problem+json")
    not_json = client.post("/api/v1/screening/check", content=b"{", headers={
        **o["ESP"].headers, "Content-Type": "application/json"})  # fmt: skip
    assert not_json.status_code == 422


def test_an_mrz_is_read_for_both_the_document_and_the_name(
    client: TestClient, officers: dict[str, Officer]
) -> None:
    from datetime import date

    from vigil.documents.mrz import make_mrz

    o = officers
    _wanted_by_nga(client, o)
    _stolen_by_ken(client, o)
    mrz = make_mrz(
        format="TD3", document_code="P", issuing_state="KEN", document_number="AK0456721",
        surname="OKONKWO", given_names="CHUKWUEMEKA", nationality="NGA",
        birth_date=date(1979, 6, 14), sex="M", expiry_date=date(2030, 1, 1),
    )  # fmt: skip
    text = "\n".join(mrz)
    answer = _ok(client, o["ESP"], "/api/v1/screening/check", {"mrz": text})
    assert answer["result"] == "hit"
    assert {h["kind"] for h in answer["hits"]} == {"document", "person"}


FACES = (
    __import__("pathlib").Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / ("face-recognition-examples")
)


@pytest.mark.skipif(not FACES.is_dir(), reason="../shared/data is not here")
def test_a_photo_adds_face_candidates_for_an_examiner(
    client: TestClient, officers: dict[str, Officer]
) -> None:
    o = officers
    person = _ok(client, o["NGA"], "/api/v1/persons",
                 {"names": ["Barack Obama"], "category": "wanted"})["id"]  # fmt: skip
    enrolled = client.post(
        f"/api/v1/persons/{person}/faces",
        files={"image": ("o.jpg", (FACES / "train/obama/obama.jpg").read_bytes(), "image/jpeg")},
        headers=o["NGA"].headers,
    )
    assert enrolled.status_code == 201, enrolled.text
    photo = (FACES / "test/obama1.jpg").read_bytes()
    response = client.post(
        "/api/v1/screening/check", data={"name": "Someone Else", "nationality": "USA"},
        files={"photo": ("p.jpg", photo, "image/jpeg")}, headers=o["ESP"].headers,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["result"] == "possible" and answer["face_search_id"]
    (face,) = answer["hits"]
    assert (face["kind"], face["record_id"], face["action"]) == ("face", person, "examine")
