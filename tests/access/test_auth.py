from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import Officer, make_user
from vigil import settings
from vigil.access import service as access
from vigil.access.actors import operator
from vigil.access.roles import Role
from vigil.core import clock
from vigil.errors import Conflict, Forbidden, InvalidInput, Unauthenticated
from vigil.storage.engine import Database
from vigil.storage.tables import api_tokens
from vigil.storage.uow import UnitOfWork


def test_valid_token_identifies_its_user(client: TestClient, fra: Officer) -> None:
    answer = client.get("/api/v1/me", headers=fra.headers)
    assert answer.status_code == 200
    assert answer.json()["member"] == "FRA"


def test_revoked_token_gets_401(client: TestClient, db: Database, fra: Officer) -> None:
    tokens = client.get("/api/v1/tokens", headers=fra.headers).json()
    with UnitOfWork(db, write=True) as uow:
        access.revoke_token(uow, actor=operator(), token_id=tokens[0]["id"])
    answer = client.get("/api/v1/me", headers=fra.headers)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_expired_token_gets_401(client: TestClient, fra: Officer) -> None:
    later = clock.now() + timedelta(days=settings.TOKEN_TTL_DAYS + 1)
    with clock.frozen_at(later):
        assert client.get("/api/v1/me", headers=fra.headers).status_code == 401


def test_unknown_token_gets_401(client: TestClient) -> None:
    headers = {"Authorization": "Bearer vgl_not-a-real-token"}
    assert client.get("/api/v1/records", headers=headers).status_code == 401


def test_disabled_user_loses_every_token_at_once(client: TestClient, db: Database) -> None:
    user = make_user(db, "ESP")
    extra = client.post("/api/v1/tokens", json={"label": "script"}, headers=user.headers).json()
    with UnitOfWork(db, write=True) as uow:
        access.disable_user(uow, actor=operator(), user_id=user.actor.user_id)
    for token in (user.token, extra["token"]):
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_token_is_shown_once_and_stored_only_as_a_digest(db: Database, fra: Officer) -> None:
    import sqlalchemy as sa

    with db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT token_hash, prefix FROM api_tokens")).all()
    assert all(fra.token not in (row.token_hash, row.prefix) for row in stored)


def test_password_login_sets_a_secure_http_only_session(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password="correct horse battery")
    answer = client.post(
        "/api/v1/auth/login", json={"login": "ana", "password": "correct horse battery"}
    )
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert "vigil_session=" in cookie
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert client.get("/api/v1/me").json()["member"] == "FRA"


def test_cookie_session_needs_csrf_header_for_unsafe_methods(
    client: TestClient, db: Database
) -> None:
    make_user(db, "FRA", login="ana", password="correct horse battery")
    session = client.post(
        "/api/v1/auth/login", json={"login": "ana", "password": "correct horse battery"}
    ).json()
    assert client.post("/api/v1/tokens", json={"label": "x"}).status_code == 403
    answer = client.post(
        "/api/v1/tokens", json={"label": "x"}, headers={"X-CSRF-Token": session["csrf_token"]}
    )
    assert answer.status_code == 201


def test_failed_logins_are_rate_limited(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password="correct horse battery")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        wrong = client.post("/api/v1/auth/login", json={"login": "ana", "password": "wrong one"})
        assert wrong.status_code == 401
    blocked = client.post(
        "/api/v1/auth/login", json={"login": "ana", "password": "correct horse battery"}
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0


def test_unknown_login_and_wrong_password_look_the_same(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password="correct horse battery")
    a = client.post("/api/v1/auth/login", json={"login": "ana", "password": "nope nope"})
    b = client.post("/api/v1/auth/login", json={"login": "bob", "password": "nope nope"})
    assert a.status_code == b.status_code == 401
    assert a.json()["detail"] == b.json()["detail"]


def test_logout_ends_the_session(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password="correct horse battery")
    csrf = client.post(
        "/api/v1/auth/login", json={"login": "ana", "password": "correct horse battery"}
    ).json()["csrf_token"]
    cookie = client.cookies.get("vigil_session")
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.set("vigil_session", cookie or "")
    assert client.get("/api/v1/me").status_code == 401


def test_only_admins_manage_users_and_only_of_their_member(db: Database) -> None:
    fra_admin = make_user(db, "FRA", Role.ADMIN)
    fra_ncb = make_user(db, "FRA")
    with UnitOfWork(db, write=True) as uow, pytest.raises(Forbidden):
        access.add_user(uow, actor=fra_ncb.actor, member="FRA", role=Role.NCB, name="x")
    with UnitOfWork(db, write=True) as uow, pytest.raises(Forbidden):
        access.add_user(uow, actor=fra_admin.actor, member="DEU", role=Role.NCB, name="x")
    with UnitOfWork(db, write=True) as uow:
        access.add_user(uow, actor=fra_admin.actor, member="FRA", role=Role.FRONTLINE, name="x")


def test_reviewers_belong_to_the_general_secretariat(db: Database) -> None:
    with UnitOfWork(db, write=True) as uow, pytest.raises(InvalidInput):
        access.add_user(uow, actor=operator(), member="FRA", role=Role.REVIEWER, name="x")
    with UnitOfWork(db, write=True) as uow, pytest.raises(InvalidInput):
        access.add_user(uow, actor=operator(), member="GS", role=Role.NCB, name="x")


def test_logins_are_unique_and_passwords_long_enough(db: Database) -> None:
    make_user(db, "FRA", login="ana", password="correct horse battery")
    with UnitOfWork(db, write=True) as uow, pytest.raises(Conflict):
        access.add_user(
            uow,
            actor=operator(),
            member="FRA",
            role=Role.NCB,
            name="x",
            login="ana",
            password="another long one",
        )
    with UnitOfWork(db, write=True) as uow, pytest.raises(InvalidInput):
        access.add_user(
            uow,
            actor=operator(),
            member="FRA",
            role=Role.NCB,
            name="x",
            login="bob",
            password="short",
        )


def test_session_cookie_is_refused_after_its_lifetime(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password="correct horse battery")
    client.post("/api/v1/auth/login", json={"login": "ana", "password": "correct horse battery"})
    later = clock.now() + timedelta(hours=settings.SESSION_TTL_HOURS + 1)
    cookie = client.cookies.get("vigil_session") or ""
    with clock.frozen_at(later), pytest.raises(Unauthenticated), UnitOfWork(db, write=False) as uow:
        access.authenticate_session(uow, cookie)


def test_a_token_is_trusted_from_memory_for_a_few_seconds_only(
    client: TestClient, db: Database, fra: Officer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/api/v1/me", headers=fra.headers).status_code == 200
    # Gone from the store behind the service's back: the cache still answers...
    with db.engine.begin() as conn:
        conn.execute(sa.update(api_tokens).values(revoked_at=clock.now()))
    assert client.get("/api/v1/me", headers=fra.headers).status_code == 200
    # ...until its seconds are up.
    later = clock.now() + timedelta(seconds=settings.TOKEN_CACHE_SECONDS + 1)
    with clock.frozen_at(later):
        assert client.get("/api/v1/me", headers=fra.headers).status_code == 401
