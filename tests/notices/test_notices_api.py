"""Notices through the API: the issue's scenario, the lifecycle's rules, Article 3, audiences."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import Officer, make_user
from vigil.access.roles import Role
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, audit_log, notice_transitions

PERSON = {
    "names": ["Chukwuemeka Okonkwo", "Чуквуэмека Оконкво"],
    "birth_date": "1979-06-14",
    "sex": "M",
    "nationalities": ["NGA"],
    "category": "wanted",
    # The record itself is NGA's alone: members learn of it through the notice.
    "audience": {"only": ["NGA"]},
}
RED = {
    "type": "red",
    "charges": ["Trafficking in persons for sexual exploitation"],
    "warrant_reference": "FHC/L/123/2026",
    "law": "Trafficking in Persons Act 2015, s. 16",
    "max_penalty_years": 15,
}


@pytest.fixture
def nga(db: Database) -> Officer:
    return make_user(db, "NGA")


@pytest.fixture
def reviewer(db: Database) -> Officer:
    return make_user(db, "GS", Role.REVIEWER)


def _post(client: TestClient, who: Officer, path: str, body: Any = None) -> dict[str, Any]:
    response = client.post(path, json=body, headers=who.headers)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


def _person(client: TestClient, owner: Officer, **fields: Any) -> str:
    return str(_post(client, owner, "/api/v1/persons", {**PERSON, **fields})["id"])


def _published(
    client: TestClient, owner: Officer, reviewer: Officer, **fields: Any
) -> dict[str, Any]:
    person_id = fields.pop("person_id", None) or _person(client, owner)
    notice = _post(client, owner, "/api/v1/notices", {**RED, "person_id": person_id, **fields})
    _post(client, owner, f"/api/v1/notices/{notice['id']}/request")
    decision = {"decision": "publish", "reasons": "Compliant with the RPD."}
    return _post(client, reviewer, f"/api/v1/notices/{notice['id']}/review", decision)


def _screen(client: TestClient, who: Officer, name: str) -> list[dict[str, Any]]:
    body = _post(client, who, "/api/v1/persons/screen", {"name": name, "birth_date": "1979-06-14"})
    return [c for c in body["candidates"] if c["hit"]]


def test_the_issue_scenario_from_request_to_cancellation(
    client: TestClient, nga: Officer, fra: Officer, reviewer: Officer, db: Database
) -> None:
    person_id = _person(client, nga)
    assert _screen(client, fra, "Chukwuemeka Okonkwo") == []  # NGA's alone so far

    made = _post(client, nga, "/api/v1/notices", {**RED, "person_id": person_id})
    assert made["state"] == "draft" and made["id"]
    # A draft is its owner's alone, reviewers included.
    assert client.get(f"/api/v1/notices/{made['id']}", headers=fra.headers).status_code == 404
    _post(client, nga, f"/api/v1/notices/{made['id']}/request")

    checklist = client.get(f"/api/v1/notices/{made['id']}/checklist", headers=reviewer.headers)
    assert checklist.status_code == 200, checklist.text
    checks = checklist.json()["checks"]
    assert {c["status"] for c in checks} == {"pass"}, checks
    assert {"required_fields", "threshold", "data_quality", "article3.political",
            "duplicates.persons"} <= {c["id"] for c in checks}  # fmt: skip

    with client.stream("GET", "/api/v1/alerts/stream", headers=fra.headers) as stream:
        lines = stream.iter_lines()
        assert next(lines).startswith("retry")
        published = _post(
            client, reviewer, f"/api/v1/notices/{made['id']}/review",
            {"decision": "publish", "reasons": "Compliant."},
        )  # fmt: skip
        assert published["state"] == "published"
        received = _next_alert(lines)
    assert received["kind"] == "notices.published"
    assert received["record_id"] == made["id"]

    hits = _screen(client, fra, "Chukvuemeka Okonkvo")  # another transliteration
    assert [h["id"] for h in hits] == [person_id]
    assert [n["id"] for n in hits[0]["notices"]] == [made["id"]]
    assert hits[0]["notices"][0]["type"] == "red"
    # FRA reads the notice (and its person's particulars) but not NGA's person record.
    notice = client.get(f"/api/v1/notices/{made['id']}", headers=fra.headers).json()
    assert notice["person"]["names"][0] == "Chukwuemeka Okonkwo"
    assert client.get(f"/api/v1/persons/{person_id}", headers=fra.headers).status_code == 404
    # FRA's hit alert points at the notice, which it may read.
    with db.engine.connect() as conn:
        kinds = dict(conn.execute(sa.select(alerts.c.kind, alerts.c.record_id).where(
            alerts.c.member == "FRA")).all())  # fmt: skip
    assert kinds["persons.hit"] == made["id"]

    cancelled = _post(
        client, nga, f"/api/v1/notices/{made['id']}/cancel", {"reasons": "Arrested in NGA."}
    )
    assert cancelled["state"] == "cancelled"
    assert _screen(client, fra, "Chukvuemeka Okonkvo") == []
    inbox = client.get("/api/v1/alerts", headers=fra.headers).json()["items"]
    assert "notices.ended" in {a["kind"] for a in inbox}
    history = [(t["from_state"], t["to_state"]) for t in cancelled["history"]]
    assert history == [
        (None, "draft"), ("draft", "requested"), ("requested", "published"),
        ("published", "cancelled"),
    ]  # fmt: skip
    with db.engine.connect() as conn:
        actions = set(conn.execute(sa.select(audit_log.c.action)).scalars())
    assert {"notices.create", "notices.request", "notices.publish", "notices.cancel",
            "notices.checklist"} <= actions  # fmt: skip


def _next_alert(lines: Any) -> dict[str, Any]:
    import json

    for line in lines:
        if line.startswith("data:"):
            found: dict[str, Any] = json.loads(line[5:])
            return found
    raise AssertionError("the stream ended without an alert")


def test_insulting_the_head_of_state_is_flagged_under_article_3(
    client: TestClient, nga: Officer, reviewer: Officer
) -> None:
    person_id = _person(client, nga)
    body = {**RED, "person_id": person_id, "charges": ["Insulting the head of state"]}
    made = _post(client, nga, "/api/v1/notices", body)
    _post(client, nga, f"/api/v1/notices/{made['id']}/request")
    checks = client.get(f"/api/v1/notices/{made['id']}/checklist", headers=reviewer.headers).json()[
        "checks"
    ]
    flagged = {c["id"] for c in checks if c["status"] == "flag"}
    assert flagged == {"article3.political"}
    assert all(c["id"].startswith("article3") for c in checks if c["status"] != "pass")


@pytest.mark.parametrize(
    ("charges", "flag"),
    [
        (["Désertion"], "article3.military"),
        (["Blasfemia"], "article3.religious"),
        (["ازدراء الأديان"], "article3.religious"),
        (["Membership of an opposition party"], "article3.political"),
    ],
)
def test_article_3_indicators_in_every_language(
    client: TestClient, nga: Officer, reviewer: Officer, charges: list[str], flag: str
) -> None:
    made = _post(client, nga, "/api/v1/notices",
                 {**RED, "person_id": _person(client, nga), "charges": charges})  # fmt: skip
    _post(client, nga, f"/api/v1/notices/{made['id']}/request")
    checks = client.get(f"/api/v1/notices/{made['id']}/checklist", headers=reviewer.headers)
    assert flag in {c["id"] for c in checks.json()["checks"] if c["status"] == "flag"}


def test_an_except_audience_never_reaches_the_excluded_member(
    client: TestClient, nga: Officer, fra: Officer, deu: Officer, reviewer: Officer, db: Database
) -> None:
    notice = _published(client, nga, reviewer, audience={"except": ["DEU"]})
    # Screening: FRA matches through the notice, DEU neither matches nor sees the notice.
    assert _screen(client, fra, "Chukwuemeka Okonkwo")
    assert _screen(client, deu, "Chukwuemeka Okonkwo") == []
    # Reading, listing, alerts, the records API and the public pages.
    assert client.get(f"/api/v1/notices/{notice['id']}", headers=deu.headers).status_code == 404
    assert client.get("/api/v1/notices", headers=deu.headers).json()["items"] == []
    assert client.get(f"/api/v1/records/{notice['id']}", headers=deu.headers).status_code == 404
    assert client.get("/api/v1/alerts", headers=deu.headers).json()["items"] == []
    assert client.get("/api/v1/public/notices").json()["items"] == []
    with db.engine.connect() as conn:
        told = set(conn.execute(sa.select(alerts.c.member)).scalars())
    assert "DEU" not in told and "FRA" in told
    # Cancelling tells those told, and still not DEU.
    _post(client, nga, f"/api/v1/notices/{notice['id']}/cancel", {"reasons": "Resolved."})
    assert client.get("/api/v1/alerts", headers=deu.headers).json()["items"] == []
    # A public extract of a notice some members may not see is refused outright.
    refused = client.post(
        "/api/v1/notices",
        json={**RED, "person_id": notice["person_id"], "public_extract": True,
              "audience": {"except": ["DEU"]}},
        headers=nga.headers,
    )  # fmt: skip
    assert refused.status_code == 422


def test_each_type_validates_the_fields_it_needs(client: TestClient, nga: Officer) -> None:
    person_id = _person(client, nga)
    cases = [
        ({"type": "red", "person_id": person_id, "charges": ["x"]}, "warrant_reference"),
        ({**RED, "max_penalty_years": None, "person_id": person_id}, "max_penalty_years"),
        ({"type": "yellow", "person_id": person_id}, "circumstances"),
        ({"type": "yellow", "circumstances": "Left school."}, "person_id"),
        ({"type": "purple", "circumstances": "x"}, "modus_operandi"),
        ({"type": "purple", "modus_operandi": "x", "charges": ["y"]}, "does not take charges"),
        (
            {
                "type": "blue",
                "person_id": person_id,
                "public_extract": True,
                "information_sought": "Whereabouts.",
            },
            "public extract",
        ),
    ]
    for body, words in cases:
        response = client.post("/api/v1/notices", json=body, headers=nga.headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert words in response.json()["detail"], (words, response.json()["detail"])
    # Purple names no person; Yellow with a minor.
    purple = {"type": "purple", "modus_operandi": "Recruitment through fake modelling ads."}
    assert _post(client, nga, "/api/v1/notices", purple)["state"] == "draft"
    yellow = {"type": "yellow", "person_id": person_id, "circumstances": "Left school at 15h.",
              "minor": True}  # fmt: skip
    assert _post(client, nga, "/api/v1/notices", yellow)["fields"]["minor"] is True


def test_a_red_notice_below_the_threshold_is_not_publishable(
    client: TestClient, nga: Officer, reviewer: Officer
) -> None:
    made = _post(client, nga, "/api/v1/notices",
                 {**RED, "person_id": _person(client, nga), "max_penalty_years": 1})  # fmt: skip
    _post(client, nga, f"/api/v1/notices/{made['id']}/request")
    checks = client.get(f"/api/v1/notices/{made['id']}/checklist", headers=reviewer.headers)
    assert {c["id"]: c["status"] for c in checks.json()["checks"]}["threshold"] == "fail"
    refused = client.post(
        f"/api/v1/notices/{made['id']}/review",
        json={"decision": "publish", "reasons": "ok"},
        headers=reviewer.headers,
    )
    assert refused.status_code == 409 and "threshold" in refused.json()["detail"]
    returned = _post(client, reviewer, f"/api/v1/notices/{made['id']}/review",
                     {"decision": "return", "reasons": "Penalty below two years."})  # fmt: skip
    assert returned["state"] == "returned"


def test_only_reviewers_review_and_only_the_owner_requests(
    client: TestClient, nga: Officer, fra: Officer, reviewer: Officer
) -> None:
    made = _post(client, nga, "/api/v1/notices", {**RED, "person_id": _person(client, nga)})
    assert client.post(f"/api/v1/notices/{made['id']}/request",
                       headers=fra.headers).status_code == 404  # fmt: skip
    _post(client, nga, f"/api/v1/notices/{made['id']}/request")
    decision = {"decision": "publish", "reasons": "mine"}
    assert client.post(f"/api/v1/notices/{made['id']}/review", json=decision,
                       headers=nga.headers).status_code == 403  # fmt: skip
    assert client.get(f"/api/v1/notices/{made['id']}/checklist",
                      headers=nga.headers).status_code == 403  # fmt: skip
    # Another member's person cannot be the subject of NGA's notice.
    fra_person = _person(client, fra, audience="all")
    refused = client.post("/api/v1/notices", json={**RED, "person_id": fra_person},
                          headers=nga.headers)  # fmt: skip
    assert refused.status_code == 422
    # The generic records API cannot publish a draft behind the review's back.
    draft = _post(client, nga, "/api/v1/notices", {**RED, "person_id": _person(client, nga)})
    patched = client.patch(f"/api/v1/records/{draft['id']}/envelope", json={"audience": "all"},
                           headers=nga.headers)  # fmt: skip
    assert patched.status_code == 409, patched.text
    deleted = client.delete(f"/api/v1/records/{draft['id']}", headers=nga.headers)
    assert deleted.status_code == 409, deleted.text


def test_a_published_notice_changes_only_through_review(
    client: TestClient, nga: Officer, fra: Officer, reviewer: Officer
) -> None:
    notice = _published(client, nga, reviewer)
    changed = client.put(
        f"/api/v1/notices/{notice['id']}",
        json={**RED, "person_id": notice["person_id"], "max_penalty_years": 20},
        headers=nga.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["state"] == "modified"
    # The published text stays in force meanwhile.
    seen = client.get(f"/api/v1/notices/{notice['id']}", headers=fra.headers).json()
    assert seen["fields"]["max_penalty_years"] == 15
    assert _screen(client, fra, "Chukwuemeka Okonkwo")
    accepted = _post(client, reviewer, f"/api/v1/notices/{notice['id']}/review",
                     {"decision": "publish", "reasons": "Sentence updated."})  # fmt: skip
    assert (accepted["state"], accepted["fields"]["max_penalty_years"]) == ("published", 20)
    assert accepted["pending"] is None


def test_a_diffusion_is_delivered_at_once_and_reviewed_afterwards(
    client: TestClient, nga: Officer, fra: Officer, deu: Officer, reviewer: Officer,
    db: Database,
) -> None:  # fmt: skip
    person_id = _person(client, nga)
    body = {"type": "wanted", "to": ["FRA"], "person_id": person_id, "charges": ["Smuggling"],
            "warrant_reference": "W-1", "max_penalty_years": 10}  # fmt: skip
    sent = _post(client, nga, "/api/v1/diffusions", body)
    assert (sent["state"], sent["channel"]) == ("published", "diffusion")
    assert _screen(client, fra, "Chukwuemeka Okonkwo")
    assert _screen(client, deu, "Chukwuemeka Okonkwo") == []
    withdrawn = _post(client, reviewer, f"/api/v1/diffusions/{sent['id']}/review",
                      {"decision": "withdraw", "reasons": "Article 3."})  # fmt: skip
    assert withdrawn["state"] == "withdrawn"
    assert _screen(client, fra, "Chukwuemeka Okonkwo") == []
    with db.engine.connect() as conn:
        reasons = conn.execute(sa.select(notice_transitions.c.reasons).where(
            notice_transitions.c.to_state == "withdrawn")).scalar()  # fmt: skip
    assert reasons == "Article 3."


def test_public_extracts_say_only_what_the_owner_published(
    client: TestClient, nga: Officer, reviewer: Officer
) -> None:
    notice = _published(client, nga, reviewer, public_extract=True)
    page = client.get("/api/v1/public/notices")  # no login
    assert page.status_code == 200
    (extract,) = page.json()["items"]
    assert extract["id"] == notice["id"] and extract["birth_year"] == 1979
    assert extract["charges"] == RED["charges"]
    assert "warrant_reference" not in extract and "law" not in extract
    one = client.get(f"/api/v1/public/notices/{notice['id']}")
    assert one.status_code == 200
    _post(client, nga, f"/api/v1/notices/{notice['id']}/cancel", {"reasons": "Found."})
    assert client.get("/api/v1/public/notices").json()["items"] == []
    assert client.get(f"/api/v1/public/notices/{notice['id']}").status_code == 404


def test_notices_past_their_review_date_expire(
    client: TestClient, nga: Officer, fra: Officer, reviewer: Officer, db: Database
) -> None:
    from datetime import timedelta

    from vigil.access.actors import operator
    from vigil.core import clock
    from vigil.notices import service
    from vigil.storage.uow import UnitOfWork

    notice = _published(client, nga, reviewer)
    with UnitOfWork(db, write=True) as uow:
        later = clock.today() + timedelta(days=5 * 366)
        expired = service.expire_due(uow, actor=operator("test"), today=later)
    assert expired == [notice["id"]]
    assert client.get(f"/api/v1/notices/{notice['id']}",
                      headers=nga.headers).json()["state"] == "expired"  # fmt: skip
    assert _screen(client, fra, "Chukwuemeka Okonkwo") == []


def test_a_notice_shows_at_the_border_when_its_persons_passport_is_checked(
    client: TestClient, nga: Officer, fra: Officer, deu: Officer, reviewer: Officer, db: Database
) -> None:
    passport = {"type": "passport", "number": "A07781234", "issuing_state": "NGA"}
    person_id = _person(client, nga, identifiers=[passport])
    notice = _published(client, nga, reviewer, person_id=person_id, audience={"except": ["DEU"]})
    check = {"number": "A0778 1234", "issuing_state": "NGA"}
    answer = _post(client, fra, "/api/v1/documents/check", check)
    assert answer["result"] == "hit" and answer["matches"] == []
    assert [(n["notice"]["id"], n["notice"]["type"]) for n in answer["notices"]] == [
        (notice["id"], "red")
    ]
    slip = {"number": "AO7781234", "issuing_state": "NGA"}  # O for 0: an OCR slip
    assert _post(client, fra, "/api/v1/documents/check", slip)["result"] == "possible"
    # Not for DEU, left out of the audience; and not once the notice is cancelled.
    assert _post(client, deu, "/api/v1/documents/check", check)["result"] == "none"
    with db.engine.connect() as conn:
        hit = conn.execute(sa.select(alerts.c.title).where(alerts.c.member == "NGA",
                           alerts.c.kind == "documents.hit")).scalars().first()  # fmt: skip
    assert hit is not None and "red notice" in hit
    _post(client, nga, f"/api/v1/notices/{notice['id']}/cancel", {"reasons": "Arrested."})
    assert _post(client, fra, "/api/v1/documents/check", check)["result"] == "none"
