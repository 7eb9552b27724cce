"""MRZ reading through the CLI, the API and the workspace."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import Officer, make_user
from vigil.access.roles import Role
from vigil.cli.main import app
from vigil.documents.mrz import make_mrz
from vigil.storage.engine import Database

runner = CliRunner()


def _specimen() -> list[str]:
    from datetime import date

    return make_mrz(
        format="TD3",
        document_code="P",
        issuing_state="UTO",
        document_number="L898902C3",
        surname="Eriksson",
        given_names="Anna Maria",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2032, 4, 15),
    )


def test_cli_parse_prints_the_interface_fields() -> None:
    result = runner.invoke(app, ["mrz", "parse", *_specimen()])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert parsed["document_number"] == "L898902C3"
    assert parsed["birth_date"] == "1974-08-12"
    assert parsed["expiry_date"] == "2032-04-15"
    assert (parsed["format"], parsed["sex"], parsed["valid"]) == ("TD3", "F", True)


def test_cli_parse_exits_1_naming_the_failing_field() -> None:
    first, second = _specimen()
    broken = second[:27] + ("0" if second[27] != "0" else "1") + second[28:]
    result = runner.invoke(app, ["mrz", "parse", first, broken])
    assert result.exit_code == 1
    assert "invalid expiry_date" in result.output


def test_cli_make_round_trips_through_parse() -> None:
    made = runner.invoke(
        app,
        [
            "mrz",
            "make",
            "--format",
            "TD1",
            "--code",
            "I",
            "--state",
            "D",
            "--number",
            "T22000129",
            "--surname",
            "Mustermann",
            "--given",
            "Erika",
            "--birth",
            "1964-08-12",
            "--expiry",
            "2031-10-31",
            "--sex",
            "F",
        ],
    )
    assert made.exit_code == 0, made.output
    lines = made.stdout.split()
    assert len(lines) == 3
    parsed = json.loads(runner.invoke(app, ["mrz", "parse", *lines]).stdout)
    assert parsed["surname"] == "MUSTERMANN" and parsed["issuing_state"] == "D"


def test_cli_make_with_a_bad_date_is_a_clear_error() -> None:
    result = runner.invoke(
        app,
        [
            "mrz",
            "make",
            "--number",
            "X1",
            "--state",
            "FRA",
            "--surname",
            "A",
            "--given",
            "B",
            "--birth",
            "12/08/1964",
            "--expiry",
            "2030-01-01",
        ],
    )
    assert result.exit_code == 2
    assert "--birth takes a date" in result.output


def test_api_parses_with_ocr_corrections(client: TestClient, fra: Officer) -> None:
    first, second = _specimen()
    misread = second[:13] + second[13:19].replace("0", "O") + second[19:]
    body = {"mrz": f"{first}\n{misread}", "ocr_tolerant": True}
    answer = client.post("/api/v1/mrz/parse", json=body, headers=fra.headers)
    assert answer.status_code == 200
    parsed = answer.json()
    assert parsed["valid"] is True
    assert parsed["corrections"][0]["from_char"] == "O"


def test_api_refuses_what_is_not_an_mrz_with_a_problem(client: TestClient, fra: Officer) -> None:
    answer = client.post("/api/v1/mrz/parse", json={"mrz": "hello"}, headers=fra.headers)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


def test_partners_may_read_an_mrz_too(client: TestClient, db: Database) -> None:
    airline = make_user(db, "FRA", Role.PARTNER)
    body = {"mrz": "\n".join(_specimen())}
    assert client.post("/api/v1/mrz/parse", json=body, headers=airline.headers).status_code == 200


def test_workspace_page_reads_an_mrz(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password="correct horse battery")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    client.post(
        "/login",
        data={"login": "ana", "password": "correct horse battery", "csrf_token": token.group(1)},
    )
    form = client.get("/mrz")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    answer = client.post("/mrz", data={"mrz": "\n".join(_specimen()), "csrf_token": csrf.group(1)})
    assert answer.status_code == 200
    assert 'data-valid="true"' in answer.text and "ERIKSSON" in answer.text
