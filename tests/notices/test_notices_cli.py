"""Notices through the CLI: the lifecycle end to end, the checklist's exit codes, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import make_user
from vigil.access.roles import Role
from vigil.cli.main import app
from vigil.storage.engine import Database

runner = CliRunner()


@pytest.fixture(autouse=True)
def _use_test_database(db: Database, migrated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vigil.settings.DATABASE_URL", migrated)


def _ok(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def _person(token: str) -> str:
    return str(
        _ok("persons", "record", "--token", token, "--name", "Ana Lucía Ferreira Gómez",
            "--birth-date", "1990-02-11", "--sex", "F", "--nationality", "COL",
            "--category", "wanted", "--fields", '{"audience": {"only": ["COL"]}}')["id"]
    )  # fmt: skip


def test_a_red_notice_from_draft_to_cancellation(db: Database) -> None:
    col = make_user(db, "COL")
    esp = make_user(db, "ESP")
    reviewer = make_user(db, "GS", Role.REVIEWER)
    person_id = _person(col.token)
    made = _ok("notices", "create", "--token", col.token, "--type", "red", "--person", person_id,
               "--charge", "Tráfico de migrantes", "--warrant", "J-2026-88",
               "--max-penalty-years", "12",
               "--fields", '{"law": "Código Penal, art. 188"}')  # fmt: skip
    assert made["state"] == "draft"
    assert _ok("notices", "request", made["id"], "--token", col.token)["state"] == "requested"
    taken = _ok("notices", "take-up", made["id"], "--token", reviewer.token)
    assert taken["state"] == "under_review"
    checks = runner.invoke(app, ["notices", "checklist", made["id"], "--token", reviewer.token])
    assert checks.exit_code == 0, checks.output
    assert "article3.political" in checks.output
    published = _ok("notices", "review", made["id"], "--token", reviewer.token,
                    "--decision", "publish", "--reasons", "Compliant.")  # fmt: skip
    assert published["state"] == "published"
    listed = _ok("notices", "list", "--token", esp.token, "--state", "published")
    assert [n["id"] for n in listed["items"]] == [made["id"]]
    screened = runner.invoke(app, ["persons", "screen", "Ana Lucia Ferreira Gomez", "--dob",
                                   "1990-02-11", "--token", esp.token])  # fmt: skip
    assert screened.exit_code == 10, screened.output
    assert f"red notice {made['id']}" in screened.output
    shown = runner.invoke(app, ["notices", "show", made["id"], "--token", esp.token])
    assert json.loads(shown.stdout)["fields"]["law"] == "Código Penal, art. 188"
    cancelled = _ok("notices", "cancel", made["id"], "--token", col.token,
                    "--reasons", "Extradited.")  # fmt: skip
    assert cancelled["state"] == "cancelled"
    screened = runner.invoke(app, ["persons", "screen", "Ana Lucia Ferreira Gomez", "--dob",
                                   "1990-02-11", "--token", esp.token])  # fmt: skip
    assert screened.exit_code == 0, screened.output


def test_checklist_exit_codes_and_errors(db: Database) -> None:
    col = make_user(db, "COL")
    reviewer = make_user(db, "GS", Role.REVIEWER)
    person_id = _person(col.token)
    flagged = _ok("notices", "create", "--token", col.token, "--type", "red", "--person",
                  person_id, "--charge", "Blasphemy", "--warrant", "W-1",
                  "--max-penalty-years", "3")  # fmt: skip
    _ok("notices", "request", flagged["id"], "--token", col.token)
    result = runner.invoke(app, ["notices", "checklist", flagged["id"], "--token", reviewer.token])
    assert result.exit_code == 13, result.output
    low = _ok("notices", "create", "--token", col.token, "--type", "red", "--person", person_id,
              "--charge", "Theft", "--warrant", "W-2", "--max-penalty-years", "1")  # fmt: skip
    _ok("notices", "request", low["id"], "--token", col.token)
    result = runner.invoke(app, ["notices", "checklist", low["id"], "--token", reviewer.token])
    assert result.exit_code == 12, result.output
    refused = runner.invoke(app, ["notices", "review", low["id"], "--token", reviewer.token,
                                  "--decision", "publish", "--reasons", "ok"])  # fmt: skip
    assert refused.exit_code != 0 and "threshold" in refused.output
    missing = runner.invoke(app, ["notices", "create", "--token", col.token, "--type", "yellow",
                                  "--person", person_id])  # fmt: skip
    assert missing.exit_code != 0 and "circumstances" in missing.output
    bad_json = runner.invoke(app, ["notices", "create", "--token", col.token, "--type", "purple",
                                   "--fields", "{nope"])  # fmt: skip
    assert bad_json.exit_code != 0 and "Not JSON" in bad_json.output


def test_diffusions_public_extracts_and_expiry(db: Database) -> None:
    col = make_user(db, "COL")
    reviewer = make_user(db, "GS", Role.REVIEWER)
    person_id = _person(col.token)
    sent = _ok("notices", "diffuse", "--token", col.token, "--type", "missing", "--to", "ESP",
               "--to", "FRA", "--person", person_id,
               "--circumstances", "Last seen in Cúcuta.")  # fmt: skip
    assert sent["state"] == "published"
    kept = _ok("notices", "review-diffusion", sent["id"], "--token", reviewer.token,
               "--decision", "compliant", "--reasons", "In order.")  # fmt: skip
    assert kept["state"] == "published"
    yellow = _ok("notices", "create", "--token", col.token, "--type", "yellow", "--person",
                 person_id, "--circumstances", "Left home.", "--minor",
                 "--public-extract")  # fmt: skip
    _ok("notices", "request", yellow["id"], "--token", col.token)
    _ok("notices", "review", yellow["id"], "--token", reviewer.token, "--decision", "publish",
        "--reasons", "Compliant.")  # fmt: skip
    public = runner.invoke(app, ["notices", "public"])
    assert public.exit_code == 0, public.output
    (extract,) = json.loads(public.stdout)["items"]
    assert (extract["id"], extract["minor"], extract["birth_year"]) == (yellow["id"], True, 1990)
    assert _ok("notices", "expire") == {"expired": []}
