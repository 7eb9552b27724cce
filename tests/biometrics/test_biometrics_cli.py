"""Biometrics through the CLI: enrol, search (exit 11 on a candidate above threshold), decide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.biometrics.test_biometrics_api import FACES, PRINTS, needs_faces, needs_prints
from tests.conftest import make_user
from vigil.cli.main import app
from vigil.storage.engine import Database

runner = CliRunner()


@pytest.fixture(autouse=True)
def _use_test_database(db: Database, migrated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vigil.settings.DATABASE_URL", migrated)


def _person(token: str, name: str) -> str:
    result = runner.invoke(app, ["persons", "record", "--token", token, "--name", name,
                                 "--category", "wanted", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["id"])


@needs_faces
def test_enrol_search_and_decide_from_the_command_line(db: Database) -> None:
    fra, deu = make_user(db, "FRA"), make_user(db, "DEU")
    obama = _person(fra.token, "Barack Obama")
    photo = str(FACES / "train/obama/obama2.jpg")
    enrolled = runner.invoke(app, ["biometrics", "enrol-face", obama, photo, "--token", fra.token])
    assert enrolled.exit_code == 0, enrolled.output
    listed = runner.invoke(app, ["biometrics", "list", obama, "--token", fra.token, "--json"])
    assert [t["modality"] for t in json.loads(listed.stdout)] == ["face"]
    search = runner.invoke(app, ["biometrics", "search-face", str(FACES / "test/obama1.jpg"),
                                 "--token", deu.token, "--json"])  # fmt: skip
    assert search.exit_code == 11, search.output
    found = json.loads(search.stdout)
    assert found["candidates"][0]["person_id"] == obama
    decided = runner.invoke(app, ["biometrics", "decide", found["id"], obama, "--decision",
                                  "inconclusive", "--token", deu.token])  # fmt: skip
    assert decided.exit_code == 0, decided.output
    shown = runner.invoke(app, ["biometrics", "show", found["id"], "--token", deu.token, "--json"])
    assert json.loads(shown.stdout)["candidates"][0]["decision"] == "inconclusive"
    group = str(FACES / "test/obama_and_biden.jpg")
    refused = runner.invoke(app, ["biometrics", "enrol-face", obama, group, "--token", fra.token])
    assert refused.exit_code == 2 and "3 faces" in refused.output
    missing = runner.invoke(app, ["biometrics", "search-face", "/nonexistent.jpg",
                                  "--token", deu.token])  # fmt: skip
    assert missing.exit_code == 2


@needs_prints
def test_fingers_from_the_command_line(db: Database, tmp_path: Path) -> None:
    fra = make_user(db, "FRA")
    person = _person(fra.token, "Print Owner")
    image = str(PRINTS / "matching.png")
    enrolled = runner.invoke(app, ["biometrics", "enrol-finger", person, "--finger", "2",
                                   "--image", image, "--token", fra.token])  # fmt: skip
    assert enrolled.exit_code == 0, enrolled.output
    search = runner.invoke(app, ["biometrics", "search-finger", "--image",
                                 str(PRINTS / "probe.png"), "--token", fra.token])  # fmt: skip
    assert search.exit_code == 11, search.output
    none = runner.invoke(app, ["biometrics", "search-finger", "--image",
                               str(PRINTS / "nonmatching.png"), "--token", fra.token])  # fmt: skip
    assert none.exit_code == 0, none.output
    both = runner.invoke(app, ["biometrics", "search-finger", "--token", fra.token])
    assert both.exit_code == 2 and "one of the two" in both.output
