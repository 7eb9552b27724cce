from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Officer, make_user
from vigil.logs import RedactSecrets, redact
from vigil.storage.engine import Database


def test_redaction_hides_tokens_cookies_and_passwords() -> None:
    line = (
        'Authorization: Bearer vgl_abcdefghijklmnop cookie=vigil_session=s3cr3t password="hunter22"'
    )
    cleaned = redact(line)
    assert "vgl_abcdefghijklmnop" not in cleaned
    assert "s3cr3t" not in cleaned
    assert "hunter22" not in cleaned


def test_tokens_and_passwords_never_reach_the_logs(
    db: Database, client: TestClient, fra: Officer, caplog: pytest.LogCaptureFixture
) -> None:
    make_user(db, "FRA", login="ana", password="correct horse battery")
    caplog.handler.addFilter(RedactSecrets())
    with caplog.at_level(logging.DEBUG):
        client.get("/api/v1/me", headers=fra.headers)
        client.post(
            "/api/v1/auth/login", json={"login": "ana", "password": "correct horse battery"}
        )
        logging.getLogger("vigil.test").info("token %s used", fra.token)
    text = caplog.text
    assert fra.token not in text
    assert "correct horse battery" not in text
