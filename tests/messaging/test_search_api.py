"""Searching messages and reports through the API and the CLI: only what the member may see,
audited, without marking anything read; reports by the period they cover."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import Officer
from tests.messaging.test_messaging_api import ROUTE, _ok
from vigil.cli.main import app
from vigil.storage.engine import Database
from vigil.storage.tables import audit_log, message_reads

runner = CliRunner()


def _thread(client: TestClient, o: dict[str, Officer], to: str, text: str) -> dict[str, object]:
    made: dict[str, object] = _ok(client, o["ESP"], "/api/v1/messages/threads", {
        "subject": "Boats from Zuwara", "to": [to],
        "message": {"type": "spontaneous_information", "text": text},
    })  # fmt: skip
    return made


def test_messages_are_found_by_their_words_by_those_who_may_see_them(
    client: TestClient, o: dict[str, Officer], db: Database
) -> None:
    to_italy = _thread(client, o, "ITA", "Two boats left Zuwara at night, hawala paid in Kano.")
    _thread(client, o, "NGA", "The Kano hawala broker moved to Agadez.")
    reads = sa.select(sa.func.count()).select_from(message_reads)
    with db.engine.connect() as conn:
        read_before = conn.scalar(reads)
    found = client.get("/api/v1/messages", params={"q": "hawala kano"}, headers=o["ITA"].headers)
    assert found.status_code == 200, found.text
    items = found.json()["items"]
    assert [m["thread_id"] for m in items] == [to_italy["id"]]
    assert items[0]["handling"] == "H0" and "Zuwara" in items[0]["text"]
    assert items[0]["thread_subject"] == "Boats from Zuwara"
    both = client.get("/api/v1/messages", params={"q": "hawala"}, headers=o["ESP"].headers)
    assert len(both.json()["items"]) == 2
    outside = client.get("/api/v1/messages", params={"q": "hawala"}, headers=o["FRA"].headers)
    assert outside.json()["items"] == []
    with db.engine.connect() as conn:
        assert conn.scalar(reads) == read_before  # found is not read
        searched = conn.execute(
            sa.select(audit_log.c.member).where(audit_log.c.action == "messages.search")
        ).scalars()
        assert sorted(searched) == ["ESP", "FRA", "ITA"]
    empty = client.get("/api/v1/messages", params={"q": ""}, headers=o["ITA"].headers)
    assert empty.status_code == 422


def test_reports_are_found_by_the_period_they_cover(
    client: TestClient, o: dict[str, Officer]
) -> None:
    spring = _ok(client, o["ESP"], "/api/v1/intel/reports",
                 {**ROUTE, "period_from": "2026-03-01", "period_to": "2026-05-31"})  # fmt: skip
    autumn = _ok(client, o["ESP"], "/api/v1/intel/reports",
                 {**ROUTE, "period_from": "2026-09-01", "period_to": "2026-11-30"})  # fmt: skip
    open_ended = _ok(client, o["ESP"], "/api/v1/intel/reports", ROUTE)

    def ids(**params: str) -> set[str]:
        answer = client.get("/api/v1/intel/reports", params=params, headers=o["ITA"].headers)
        assert answer.status_code == 200, answer.text
        return {r["id"] for r in answer.json()["items"]}

    assert ids(period_from="2026-05-01", period_to="2026-06-30") == {spring["id"], open_ended["id"]}
    assert ids(period_from="2026-10-01") == {autumn["id"], open_ended["id"]}
    assert ids(q="hawala", period_to="2026-02-01") == {open_ended["id"]}
    backwards = client.get(
        "/api/v1/intel/reports",
        headers=o["ITA"].headers,
        params={"period_from": "2026-10-01", "period_to": "2026-01-01"},
    )
    assert backwards.status_code == 422 and "period_to" in backwards.json()["detail"]


def test_searching_from_the_command_line(
    client: TestClient, o: dict[str, Officer], migrated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vigil.settings.DATABASE_URL", migrated)
    to_italy = _thread(client, o, "ITA", "Two boats left Zuwara at night.")
    _ok(client, o["ESP"], "/api/v1/intel/reports",
        {**ROUTE, "period_from": "2026-03-01", "period_to": "2026-05-31"})  # fmt: skip
    found = runner.invoke(app, ["messages", "search", "zuwara boats", "--token", o["ITA"].token,
                                "--json"])  # fmt: skip
    assert found.exit_code == 0, found.output
    assert [m["thread_id"] for m in json.loads(found.stdout)["items"]] == [to_italy["id"]]
    later = runner.invoke(app, ["intel", "search", "--from", "2026-07-01", "--token",
                                o["ITA"].token, "--json"])  # fmt: skip
    assert later.exit_code == 0, later.output
    assert json.loads(later.stdout)["items"] == []
    bad = runner.invoke(app, ["intel", "search", "--from", "July", "--token", o["ITA"].token])
    assert bad.exit_code == 2


def test_a_rare_country_is_found_past_many_newer_reports(
    client: TestClient, o: dict[str, Officer], db: Database
) -> None:
    from vigil.messaging import reports
    from vigil.messaging.models import ReportIn
    from vigil.storage.uow import UnitOfWork

    older = _ok(client, o["ESP"], "/api/v1/intel/reports", ROUTE)  # NGA, NER, LBY, ITA
    threat = ReportIn.model_validate({"kind": "threat", "crime_areas": ["document_fraud"],
                                      "countries": ["FRA"], "text": "Forged visas."})  # fmt: skip
    with UnitOfWork(db, write=True) as uow:
        for _ in range(80):
            reports.publish(uow, actor=o["ESP"].actor, report_in=threat)
    page = client.get("/api/v1/intel/reports", params={"country": "NER", "limit": 5},
                      headers=o["ITA"].headers)  # fmt: skip
    assert [r["id"] for r in page.json()["items"]] == [older["id"]]
