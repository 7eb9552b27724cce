from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Officer, make_record
from vigil.access.envelope import Audience
from vigil.storage.engine import Database


def test_alert_about_a_record_disappears_when_the_owner_narrows_the_audience(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    record = make_record(db, fra, audience=Audience.everyone(), announce=True)
    assert len(client.get("/api/v1/alerts", headers=deu.headers).json()["items"]) == 1
    client.patch(
        f"/api/v1/records/{record.id}/envelope",
        json={"audience": {"except": ["DEU"]}},
        headers=fra.headers,
    )
    assert client.get("/api/v1/alerts", headers=deu.headers).json()["items"] == []


def test_announcing_alerts_every_member_but_the_owner(db: Database, fra: Officer) -> None:
    import sqlalchemy as sa

    from vigil.storage.tables import alerts

    make_record(db, fra, audience=Audience.everyone(), announce=True)
    with db.engine.connect() as conn:
        members = set(conn.scalars(sa.select(alerts.c.member)))
    assert len(members) == 195
    assert "FRA" not in members and "GS" not in members


def test_marking_read_is_shared_by_the_bureau_and_counted(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    from tests.conftest import make_user

    make_record(db, fra, audience=Audience.only("DEU"), announce=True)
    colleague = make_user(db, "DEU")
    alert = client.get("/api/v1/alerts", headers=deu.headers).json()["items"][0]
    assert client.get("/api/v1/alerts/unread-count", headers=colleague.headers).json() == {
        "unread": 1
    }
    answer = client.post(f"/api/v1/alerts/{alert['id']}/read", headers=deu.headers)
    assert answer.status_code == 200
    assert answer.json()["read_at"] is not None
    assert client.get("/api/v1/alerts/unread-count", headers=colleague.headers).json() == {
        "unread": 0
    }
    unread = client.get("/api/v1/alerts", params={"unread": True}, headers=colleague.headers)
    assert unread.json()["items"] == []


def test_another_members_alert_cannot_be_marked_read(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    make_record(db, fra, audience=Audience.only("DEU"), announce=True)
    alert = client.get("/api/v1/alerts", headers=deu.headers).json()["items"][0]
    assert client.post(f"/api/v1/alerts/{alert['id']}/read", headers=fra.headers).status_code == 404
