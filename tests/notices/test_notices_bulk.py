"""Bulk loads of notices: an NCB's drafts through the API, the world's published notices
through the CLI, idempotent, bad lines listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import make_user
from vigil.cli.main import app
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, notices, person_notices

runner = CliRunner()
NDJSON = {"Content-Type": "application/x-ndjson"}


def _lines(*rows: dict[str, Any] | str) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows).encode()


def test_an_ncb_imports_its_drafts_and_requests_once(client: TestClient, db: Database) -> None:
    nga = make_user(db, "NGA")
    person = client.post(
        "/api/v1/persons", json={"names": ["Amaka Eze"], "category": "missing"},
        headers=nga.headers,
    ).json()["id"]  # fmt: skip
    body = _lines(
        {"ref": "Y-1", "type": "yellow", "person_id": person, "circumstances": "Left home."},
        {"ref": "P-1", "type": "purple", "modus_operandi": "Fake job offers.",
         "state": "requested"},
        {"ref": "R-1", "type": "red", "person_id": person, "charges": ["x"],
         "warrant_reference": "W", "max_penalty_years": 5, "state": "published",
         "published_on": "2025-01-01"},
        "{not json",
        {"ref": "Y-2", "type": "yellow", "person_ref": "nobody", "circumstances": "Gone."},
        {"ref": "Y-3", "type": "yellow", "circumstances": "Gone.", "envelope": "all"},
    )  # fmt: skip
    headers = {**nga.headers, **NDJSON}
    first = client.post("/api/v1/notices/import", content=body, headers=headers)
    assert first.status_code == 200, first.text
    summary = first.json()
    assert (summary["read"], summary["added"], summary["refused"]) == (6, 2, 4)
    errors = {e["line"]: e["message"] for e in summary["errors"]}
    assert "operator" in errors[3] and "not JSON" in errors[4] and "nobody" in errors[5]
    assert "envelope" in errors[6]
    again = client.post("/api/v1/notices/import", content=body, headers=headers).json()
    assert (again["added"], again["already_present"]) == (0, 2)
    with db.engine.connect() as conn:
        states = sorted(conn.execute(sa.select(notices.c.state)).scalars())
    assert states == ["draft", "requested"]
    wrong = client.post("/api/v1/notices/import", content=body, headers=nga.headers)
    assert wrong.status_code == 422


@pytest.fixture(autouse=False)
def _cli_database(migrated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vigil.settings.DATABASE_URL", migrated)


@pytest.mark.usefixtures("_cli_database")
def test_world_load_brings_the_published_notices_into_screening_silently(
    db: Database, tmp_path: Path
) -> None:
    world = tmp_path / "world"
    made = runner.invoke(app, ["world", "generate", "--scale", "300", "--out", str(world)])
    assert made.exit_code == 0, made.output
    lines = (world / "notices.jsonl").read_text().splitlines()
    first = runner.invoke(app, ["world", "load", str(world), "--workers", "0", "--json"])
    assert first.exit_code == 0, first.output
    counts = json.loads(first.stdout)["loaded"]["notices.jsonl"]
    assert counts == {"read": len(lines), "added": len(lines), "already_present": 0,
                      "refused": 0, "seconds": counts["seconds"]}  # fmt: skip
    with db.engine.connect() as conn:
        states = set(conn.execute(sa.select(notices.c.state)).scalars())
        linked = conn.scalar(sa.select(sa.func.count()).select_from(person_notices))
        alerted = conn.scalar(sa.select(sa.func.count()).select_from(alerts))
    assert states <= {"published", "expired"} and "published" in states
    assert linked and alerted == 0  # old news: nobody is alerted of a migration
    # A published notice is found by another member's screening.
    published = [json.loads(line) for line in lines]
    red = next(n for n in published if n["type"] == "red")
    persons = {json.loads(p)["ref"]: json.loads(p)
               for p in (world / "persons.jsonl").read_text().splitlines()}  # fmt: skip
    person = persons[red["person_ref"]]
    other = make_user(db, "ISL" if red["owner"] != "ISL" else "NOR")
    name = next(n["full"] for n in person["names"] if n.get("script") == "Latn")
    screened = runner.invoke(app, ["persons", "screen", name, "--token", other.token, "--json",
                                   *(["--dob", person["birth_date"]] if person.get("birth_date")
                                     else [])])  # fmt: skip
    candidates = json.loads(screened.stdout)["candidates"]
    assert any(n["type"] == "red" for c in candidates for n in c["notices"])
    again = runner.invoke(app, ["world", "load", str(world), "--workers", "0", "--json"])
    assert json.loads(again.stdout)["loaded"]["notices.jsonl"]["added"] == 0
