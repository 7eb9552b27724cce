"""The document check answered before routing (``api.hot_checks``): the same answers, headers
and problems as the route, and everything it does not answer reaches the app untouched."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import LiveServer, Officer, make_user
from vigil import settings
from vigil.access import service as access
from vigil.access import token_cache
from vigil.access.roles import Role
from vigil.api import deps, hot_checks
from vigil.api.app import create_app
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, audit_log, hits

CHECK = "/api/v1/documents/check"
REPORT = {"number": "C01X00T47", "issuing_state": "DEU", "type": "passport", "status": "stolen"}
HIT = {"number": "C01X00T47", "issuing_state": "DEU"}
CLEAN = {"number": "ZZ0000001", "issuing_state": "FRA"}


@pytest.fixture
def served(db: Database, deu: Officer) -> Iterator[TestClient]:
    app = create_app(db)
    with TestClient(app) as client:
        reported = client.post("/api/v1/documents", json=REPORT, headers=deu.headers)
        assert reported.status_code == 201, reported.text
        yield client


def _routed(client: TestClient, body: Any, officer: Officer, **kwargs: Any) -> httpx.Response:
    """A check the app's route answers: the token is not in the cache yet."""
    token_cache.clear()
    response: httpx.Response = client.post(CHECK, json=body, headers=officer.headers, **kwargs)
    return response


def _hot(client: TestClient, body: Any, officer: Officer) -> httpx.Response:
    """A check with a token just authenticated, and the route forbidden to run."""
    client.get("/api/v1/documents", headers=officer.headers)  # the token is cached now

    def routed() -> None:
        raise AssertionError("the route ran")

    overrides = client.app.dependency_overrides  # type: ignore[attr-defined]
    overrides[deps.get_actor] = routed
    try:
        response: httpx.Response = client.post(CHECK, json=body, headers=officer.headers)
        return response
    finally:
        overrides.clear()


def _without_hit_ids(body: dict[str, Any]) -> dict[str, Any]:
    matches = [{**m, "hit_id": None} for m in body.get("matches", [])]
    return {**body, "matches": matches} if "matches" in body else body


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.PARTNER])
@pytest.mark.parametrize("body", [HIT, CLEAN, {"number": "C0IX00T47", "issuing_state": "DEU"}])
def test_answered_as_the_route_answers(
    served: TestClient, db: Database, role: Role, body: dict[str, str]
) -> None:
    officer = make_user(db, "FRA", role)
    routed, hot = _routed(served, body, officer), _hot(served, body, officer)
    assert (routed.status_code, hot.status_code) == (200, 200)
    assert _without_hit_ids(hot.json()) == _without_hit_ids(routed.json())
    assert sorted(hot.headers.items()) == sorted(routed.headers.items())
    if role is Role.PARTNER:
        assert hot.json() == {"result": "hit" if body == HIT else "none"}  # possible: none


@pytest.mark.parametrize("path", [_routed, _hot], ids=["routed", "before routing"])
def test_a_served_hit_answers_once_its_audit_entry_its_hit_and_the_alerts_are_durable(
    serving_db: Database, path: Callable[[TestClient, Any, Officer], httpx.Response]
) -> None:
    owner = make_user(serving_db, "DEU")
    officer = make_user(serving_db, "FRA", Role.FRONTLINE)
    with TestClient(create_app(serving_db)) as client:
        assert client.post("/api/v1/documents", json=REPORT, headers=owner.headers).is_success
        answer = path(client, HIT, officer)
        assert answer.json()["result"] == "hit"
        hit_id = answer.json()["matches"][0]["hit_id"]
        # All in the commit the answer waited for: nothing is read back late.
        with serving_db.engine.connect() as conn:
            actions = list(conn.scalars(sa.select(audit_log.c.action)))
            members = set(conn.scalars(sa.select(alerts.c.member)))
            recorded = list(conn.scalars(sa.select(hits.c.id)))
        assert actions.count("documents.check") == 1
        assert members == {"DEU", "FRA"}
        assert recorded == [hit_id]
        followed = client.get(f"/api/v1/hits/{hit_id}", headers=officer.headers)
        assert followed.status_code == 200, followed.text


def test_a_server_runs_each_check_on_its_group_writer_and_answers_as_without(
    serving_db: Database, db: Database, deu: Officer
) -> None:
    """With a group writer (a server), routed or not, the check runs in the writer's batch;
    the answers and problems are those of a database without one (a command's)."""
    ran: list[str] = []
    writer = serving_db.group_writer
    run = writer.run

    def counted(read: Any) -> Any:
        ran.append(threading.current_thread().name)
        return run(read)

    writer.run = counted
    bodies = [HIT, CLEAN, {"number": "C0IX00T47", "issuing_state": "DEU"}]
    with TestClient(create_app(serving_db)) as client, TestClient(create_app(db)) as plain:
        assert plain.post("/api/v1/documents", json=REPORT, headers=deu.headers).is_success
        roles = [("FRA", Role.FRONTLINE), ("FRA", Role.PARTNER), ("GS", Role.REVIEWER)]
        for member, role in roles:  # a reviewer may not check documents: a problem
            officer = make_user(db, member, role)
            for body in bodies:
                for path in (_routed, _hot):
                    served, without = path(client, body, officer), path(plain, body, officer)
                    assert served.status_code == without.status_code
                    assert _without_hit_ids(served.json()) == _without_hit_ids(without.json())
                    assert served.headers["content-type"] == without.headers["content-type"]
    assert len(ran) == 3 * len(bodies) * 2


def test_an_error_of_the_check_is_the_apps_problem(served: TestClient, db: Database) -> None:
    reviewer = make_user(db, "GS", Role.REVIEWER)  # may not check documents
    routed, hot = _routed(served, HIT, reviewer), _hot(served, HIT, reviewer)
    assert (routed.status_code, hot.status_code) == (403, 403)
    assert hot.json() == routed.json()
    assert hot.headers["content-type"] == "application/problem+json"
    assert sorted(hot.headers.items()) == sorted(routed.headers.items())


@pytest.mark.parametrize(
    "body",
    [{"number": "X"}, {"number": "X", "issuing_state": "DEU", "colour": "red"}, [HIT], "HIT"],
)
def test_an_invalid_body_gets_the_apps_validation_problem(
    served: TestClient, db: Database, body: Any
) -> None:
    officer = make_user(db, "FRA", Role.FRONTLINE)
    routed = _routed(served, body, officer)
    served.get("/api/v1/documents", headers=officer.headers)  # cached: the middleware looks
    again = served.post(CHECK, json=body, headers=officer.headers)
    assert (routed.status_code, again.status_code) == (422, 422)
    assert again.json() == routed.json()
    assert again.json()["errors"]


def test_what_it_does_not_answer_reaches_the_app(served: TestClient, db: Database) -> None:
    officer = make_user(db, "FRA", Role.FRONTLINE)
    served.get("/api/v1/documents", headers=officer.headers)
    # Not JSON by its content type: the app decides, with or without the token in the cache.
    text = {"content": b'{"number": "X1", "issuing_state": "FRA"}',
            "headers": {**officer.headers, "Content-Type": "text/plain"}}  # fmt: skip
    as_text = served.post(CHECK, **text)
    token_cache.clear()
    routed_text = served.post(CHECK, **text)
    assert (as_text.status_code, as_text.json()) == (routed_text.status_code, routed_text.json())
    # No token, a token never seen: the app authenticates (and refuses).
    assert served.post(CHECK, json=CLEAN).status_code == 401
    unknown = served.post(CHECK, json=CLEAN, headers={"Authorization": "Bearer nope"})
    assert unknown.status_code == 401
    assert unknown.headers["content-type"] == "application/problem+json"


def test_the_body_limit_holds_for_a_check_it_would_answer(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "MAX_REQUEST_BYTES", 3000)
    officer = make_user(db, "FRA", Role.FRONTLINE)
    with TestClient(create_app(db)) as client:
        client.get("/api/v1/documents", headers=officer.headers)  # the token is cached
        padded = b'{"number": "X1", "issuing_state": "FRA"' + b" " * 5000 + b"}"
        # Streamed, so no Content-Length tells the limit beforehand.
        chunks = iter([padded[i : i + 1000] for i in range(0, len(padded), 1000)])
        headers = {**officer.headers, "Content-Type": "application/json"}
        answer = client.post(CHECK, content=chunks, headers=headers)
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"


# ---- the middleware alone, with an app that records what reaches it ------------------------


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, bytes, list[str]]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body, kinds = b"", []
        while True:
            message = await receive()
            kinds.append(message["type"])
            body += message.get("body", b"")
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        self.calls.append((scope["path"], body, kinds))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _run(app: Any, messages: list[dict[str, Any]], **scope: Any) -> list[dict[str, Any]]:
    headers = scope.pop("headers", [(b"content-type", b"application/json")])
    full = {"type": "http", "method": "POST", "path": CHECK, "headers": headers, **scope}
    pending, sent = list(messages), []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(full, receive, send))
    return sent


def _chunks(body: bytes, size: int) -> list[dict[str, Any]]:
    parts = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    return [
        {"type": "http.request", "body": part, "more_body": i < len(parts) - 1}
        for i, part in enumerate(parts)
    ]


@pytest.fixture
def cached(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, bytes]]:
    """Every bearer token counts as cached; the header list for one."""
    monkeypatch.setattr(access, "cached_token_actor", lambda token: object())
    return [(b"authorization", b"Bearer t"), (b"content-type", b"application/json")]


@pytest.mark.parametrize("size", [1, 7, 100_000])
def test_a_body_it_does_not_take_is_replayed_whole(cached: list[Any], size: int) -> None:
    recorder = _Recorder()
    body = b'{"number": "X1", "issuing_state": "FRA", "extra": "' + b"x" * 5000 + b'"}'
    _run(hot_checks.HotChecks(recorder), _chunks(body, size), headers=cached)
    assert recorder.calls == [(CHECK, body, ["http.request"] * len(_chunks(body, size)))]


def test_a_disconnect_while_reading_reaches_the_app(cached: list[Any]) -> None:
    recorder = _Recorder()
    first = {"type": "http.request", "body": b'{"num', "more_body": True}
    _run(hot_checks.HotChecks(recorder), [first, {"type": "http.disconnect"}], headers=cached)
    assert recorder.calls == [(CHECK, b'{"num', ["http.request", "http.disconnect"])]


@pytest.mark.parametrize(
    "scope",
    [
        {"method": "GET"},
        {"path": "/api/v1/documents/check/batch"},
        {"headers": [(b"authorization", b"Basic dTpw"), (b"content-type", b"application/json")]},
        {"headers": [(b"authorization", b"Bearer t"), (b"content-type", b"text/csv")]},
        {"headers": [(b"authorization", b"Bearer "), (b"content-type", b"application/json")]},
    ],
)
def test_other_requests_pass_through(cached: list[Any], scope: dict[str, Any]) -> None:
    recorder = _Recorder()
    body = b'{"number": "X1", "issuing_state": "FRA"}'
    sent = _run(hot_checks.HotChecks(recorder), _chunks(body, 1000), **{"headers": cached, **scope})
    assert [call[1] for call in recorder.calls] == [body]
    assert sent[0]["status"] == 204


def test_over_a_real_connection(live_server: LiveServer) -> None:
    """uvicorn's own receive and send, a chunked body included."""
    deu = make_user(live_server.db, "DEU")
    officer = make_user(live_server.db, "FRA", Role.FRONTLINE)
    with httpx.Client(base_url=live_server.url) as http:
        assert http.post("/api/v1/documents", json=REPORT, headers=deu.headers).status_code == 201
        answers = [http.post(CHECK, json=HIT, headers=officer.headers) for _ in range(3)]
        chunked = http.post(
            CHECK,
            content=iter([b'{"number": "C01X00T47", ', b'"issuing_state": "DEU"}']),
            headers={**officer.headers, "Content-Type": "application/json"},
        )
    assert [a.json()["result"] for a in [*answers, chunked]] == ["hit"] * 4
    assert len({a.json()["matches"][0]["hit_id"] for a in answers}) == 3
    assert all(a.headers["x-frame-options"] == "DENY" for a in answers)
