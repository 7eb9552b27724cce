from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import Officer
from vigil import settings
from vigil.storage.engine import Database

# Only these may be called without a token.
PUBLIC = {
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("post", "/api/v1/auth/login"),
    # The extracts owners chose to publish (INTERPOL's public Red and Yellow Notices).
    ("get", "/api/v1/public/notices"),
    ("get", "/api/v1/public/notices/{notice_id}"),
}


def test_every_endpoint_in_the_openapi_document_requires_a_token(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if (method, path) in PUBLIC:
                assert not operation.get("security")
                continue
            assert operation.get("security"), f"{method.upper()} {path} declares no security"
            url = re.sub(r"\{[^}]+\}", "x", path)
            answer = client.request(method.upper(), url, json={})
            assert answer.status_code == 401, f"{method.upper()} {path} -> {answer.status_code}"
            checked += 1
    assert checked >= 15


def test_health_answers_without_a_token(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").json() == {"status": "ready"}


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def test_invalid_body_is_a_problem_naming_the_field(client: TestClient, fra: Officer) -> None:
    answer = client.post("/api/v1/tokens", json={"label": ""}, headers=fra.headers)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["title"] == "Invalid input"
    assert problem["errors"][0]["field"] == "body.label"
    assert answer.headers["content-type"] == "application/problem+json"


def test_unknown_route_is_a_problem_too(client: TestClient) -> None:
    answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_oversized_body_is_refused_before_it_is_read(client: TestClient, fra: Officer) -> None:
    body = b"x" * (settings.MAX_REQUEST_BYTES + 1)
    answer = client.post(
        "/api/v1/tokens", content=body, headers={**fra.headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.json()["title"] == "Payload too large"


def test_idempotency_key_replays_the_first_answer_without_the_secret(
    client: TestClient, fra: Officer
) -> None:
    headers = {**fra.headers, "Idempotency-Key": "abc-123"}
    first = client.post("/api/v1/tokens", json={"label": "ci"}, headers=headers)
    again = client.post("/api/v1/tokens", json={"label": "ci"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["info"]["id"] == first.json()["info"]["id"]
    assert first.json()["token"].startswith("vgl_")
    assert again.json()["token"] is None
    assert again.headers["idempotent-replayed"] == "true"
    tokens = client.get("/api/v1/tokens", headers=fra.headers).json()
    assert len(tokens) == 2  # the first token and one more, not two more


def test_idempotency_key_reused_for_another_request_is_a_conflict(
    client: TestClient, fra: Officer
) -> None:
    headers = {**fra.headers, "Idempotency-Key": "k1"}
    client.post("/api/v1/tokens", json={"label": "one"}, headers=headers)
    answer = client.post("/api/v1/tokens", json={"label": "two"}, headers=headers)
    assert answer.status_code == 409


def test_security_headers_are_on_every_answer(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


def test_creating_users_over_the_api_gives_a_token_once(db: Database, client: TestClient) -> None:
    from tests.conftest import make_user
    from vigil.access.roles import Role

    admin = make_user(db, "FRA", Role.ADMIN)
    body = {"member": "FRA", "role": "frontline", "name": "Roissy border post"}
    answer = client.post("/api/v1/users", json=body, headers=admin.headers)
    assert answer.status_code == 201
    token = answer.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["role"] == "frontline"
    listed = client.get("/api/v1/users", headers=admin.headers).json()["items"]
    assert {u["name"] for u in listed} >= {"Roissy border post"}
