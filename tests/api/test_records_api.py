from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Officer, make_record, make_user
from vigil.access.envelope import Audience
from vigil.storage.engine import Database


def test_record_only_for_fra_is_invisible_to_deu_in_get_and_list(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    record = make_record(db, fra, audience=Audience.only("FRA"), title="restricted")
    get = client.get(f"/api/v1/records/{record.id}", headers=deu.headers)
    assert get.status_code == 404
    assert get.json()["detail"] == client.get(
        "/api/v1/records/no-such-id", headers=deu.headers
    ).json()["detail"].replace("no-such-id", record.id)
    listed = client.get("/api/v1/records", headers=deu.headers).json()["items"]
    assert record.id not in {r["id"] for r in listed}
    assert client.get(f"/api/v1/records/{record.id}", headers=fra.headers).status_code == 200


def test_envelope_travels_in_the_documented_json_shape(
    db: Database, client: TestClient, fra: Officer
) -> None:
    record = make_record(db, fra, audience=Audience.only("FRA", "ESP"))
    body = client.get(f"/api/v1/records/{record.id}", headers=fra.headers).json()
    assert body["audience"] == {"only": ["ESP", "FRA"]}
    assert body["handling"] == "H0"
    assert len(body["review_by"]) == 10
    everyone = make_record(db, fra)
    assert (
        client.get(f"/api/v1/records/{everyone.id}", headers=fra.headers).json()["audience"]
        == "all"
    )


def test_lists_are_paginated_with_a_cursor(db: Database, client: TestClient, fra: Officer) -> None:
    made = [make_record(db, fra, title=f"r{i}").id for i in range(5)]
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 2}
    while True:
        page = client.get("/api/v1/records", params=params, headers=fra.headers).json()
        seen += [r["id"] for r in page["items"]]
        if page["next_cursor"] is None:
            break
        params = {"limit": 2, "cursor": page["next_cursor"]}
    assert seen == sorted(made, reverse=True)


def test_a_forged_cursor_is_invalid_input(client: TestClient, fra: Officer) -> None:
    answer = client.get("/api/v1/records", params={"cursor": "%%%"}, headers=fra.headers)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


def test_owner_narrows_the_audience_and_the_other_member_loses_access(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    record = make_record(db, fra)
    assert client.get(f"/api/v1/records/{record.id}", headers=deu.headers).status_code == 200
    change = {"audience": {"except": ["DEU"]}, "handling": "H2"}
    answer = client.patch(f"/api/v1/records/{record.id}/envelope", json=change, headers=fra.headers)
    assert answer.status_code == 200
    assert answer.json()["audience"] == {"except": ["DEU"]}
    assert client.get(f"/api/v1/records/{record.id}", headers=deu.headers).status_code == 404


def test_widening_the_audience_alerts_the_members_newly_included(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    record = make_record(db, fra, audience=Audience.only("FRA"))
    change = {"audience": {"only": ["FRA", "DEU"]}}
    client.patch(f"/api/v1/records/{record.id}/envelope", json=change, headers=fra.headers)
    inbox = client.get("/api/v1/alerts", headers=deu.headers).json()["items"]
    assert [a["record_id"] for a in inbox] == [record.id]


def test_only_the_owner_changes_an_envelope(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    record = make_record(db, fra)
    change = {"handling": "H1"}
    answer = client.patch(f"/api/v1/records/{record.id}/envelope", json=change, headers=deu.headers)
    assert answer.status_code == 403


def test_h3_handling_needs_its_restriction_text(
    db: Database, client: TestClient, fra: Officer
) -> None:
    record = make_record(db, fra)
    answer = client.patch(
        f"/api/v1/records/{record.id}/envelope", json={"handling": "H3"}, headers=fra.headers
    )
    assert answer.status_code == 422


def test_review_date_more_than_five_years_ahead_is_refused(
    db: Database, client: TestClient, fra: Officer
) -> None:
    record = make_record(db, fra)
    answer = client.patch(
        f"/api/v1/records/{record.id}/envelope",
        json={"review_by": "2099-01-01"},
        headers=fra.headers,
    )
    assert answer.status_code == 422
    assert "5 years" in answer.json()["detail"]


def test_unknown_audience_member_is_a_clear_error(
    db: Database, client: TestClient, fra: Officer
) -> None:
    record = make_record(db, fra)
    answer = client.patch(
        f"/api/v1/records/{record.id}/envelope",
        json={"audience": {"only": ["XYZ"]}},
        headers=fra.headers,
    )
    assert answer.status_code == 422
    assert "XYZ" in answer.json()["detail"]


def test_deleted_record_is_gone_for_everyone(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    record = make_record(db, fra)
    assert client.delete(f"/api/v1/records/{record.id}", headers=fra.headers).status_code == 204
    for who in (fra, deu):
        assert client.get(f"/api/v1/records/{record.id}", headers=who.headers).status_code == 404


def test_partners_learn_nothing_from_record_endpoints(
    db: Database, client: TestClient, fra: Officer
) -> None:
    from vigil.access.roles import Role

    partner = make_user(db, "FRA", Role.PARTNER)
    record = make_record(db, fra)
    assert client.get(f"/api/v1/records/{record.id}", headers=partner.headers).status_code == 403
    assert client.get("/api/v1/records", headers=partner.headers).status_code == 403


def test_review_due_lists_records_past_their_review_date(
    db: Database, client: TestClient, fra: Officer
) -> None:
    from datetime import timedelta

    from vigil.core import clock
    from vigil.storage.tables import records

    overdue, current = make_record(db, fra), make_record(db, fra)
    with db.engine.begin() as conn:
        yesterday = clock.today() - timedelta(days=1)
        conn.execute(records.update().where(records.c.id == overdue.id).values(review_by=yesterday))
    due = client.get("/api/v1/records", params={"review_due": True}, headers=fra.headers).json()
    assert [r["id"] for r in due["items"]] == [overdue.id]
    assert due["items"][0]["review_overdue"] is True
    assert current.id not in {r["id"] for r in due["items"]}
