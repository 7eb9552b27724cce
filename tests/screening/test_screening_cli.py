"""Screening through the CLI: `vigil screen` online and offline, passenger lists, `vigil hits`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import Officer
from tests.screening.test_screening_api import BORN, _ok, _stolen_by_ken, _wanted_by_nga
from vigil.cli.main import app
from vigil.core import clock
from vigil.storage.engine import Database

runner = CliRunner()
TRAVELLER = ["--document", "AK0456721", "--issuing-state", "KEN",
             "--name", "Chukvuemeka Okonkvo", "--dob", BORN]  # fmt: skip


@pytest.fixture(autouse=True)
def _settings(db: Database, migrated: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("vigil.settings.DATABASE_URL", migrated)
    monkeypatch.setattr("vigil.settings.DATA_DIR", tmp_path / "data")


def test_screen_online_then_follow_the_hit_up(
    client: TestClient, officers: dict[str, Officer]
) -> None:
    o = officers
    _wanted_by_nga(client, o)
    _stolen_by_ken(client, o)
    result = runner.invoke(app, ["screen", *TRAVELLER, "--token", o["ESP"].token, "--json"])
    assert result.exit_code == 10, result.output
    answer = json.loads(result.stdout)
    person_hit = next(h for h in answer["hits"] if h["kind"] == "person")
    listed = runner.invoke(app, ["hits", "list", "--token", o["NGA"].token, "--json"])
    assert person_hit["hit_id"] in {h["id"] for h in json.loads(listed.stdout)["items"]}
    said = runner.invoke(app, ["hits", "identity", person_hit["hit_id"], "--answer",
                               "confirmed", "--token", o["NGA"].token])  # fmt: skip
    assert said.exit_code == 0, said.output
    done = runner.invoke(app, ["hits", "action", person_hit["hit_id"], "--action", "arrested",
                               "--token", o["ESP"].token, "--json"])  # fmt: skip
    assert json.loads(done.stdout)["status"] == "closed"
    clean = runner.invoke(app, ["screen", "--name", "Nobody Known Here", "--token",
                                o["ESP"].token])  # fmt: skip
    assert clean.exit_code == 0, clean.output
    nothing = runner.invoke(app, ["screen", "--token", o["ESP"].token])
    assert nothing.exit_code == 2


def test_a_passenger_list_from_a_csv_file(
    client: TestClient, officers: dict[str, Officer], tmp_path: Path
) -> None:
    o = officers
    _stolen_by_ken(client, o)
    listed = tmp_path / "ib3166.csv"
    listed.write_text("surname,given_names,birth_date,document_number,issuing_state\n"
                      "DOE,JANE,1985-01-01,AK0456721,KEN\n"
                      "ROE,RICHARD,1970-01-01,X1,FRA\n")  # fmt: skip
    result = runner.invoke(app, ["screen", "--manifest", str(listed), "--reference", "IB3166",
                                 "--token", o["ESP"].token, "--json"])  # fmt: skip
    assert result.exit_code == 10, result.output
    assert [r["result"] for r in json.loads(result.stdout)["results"]] == ["hit", "none"]


def test_an_offline_package_checks_refuses_tampering_and_expiry_and_refreshes(
    client: TestClient, officers: dict[str, Officer], tmp_path: Path
) -> None:
    o = officers
    _wanted_by_nga(client, o)
    _stolen_by_ken(client, o)
    full = tmp_path / "full.pkg"
    made = runner.invoke(app, ["offline", "export", "--out", str(full), "--token",
                               o["ESP_NCB"].token, "--json"])  # fmt: skip
    assert made.exit_code == 0, made.output
    info = json.loads(made.stdout)
    key = info["key"]
    assert info["kind"] == "full" and info["records"] == 2

    queue = tmp_path / "queue.jsonl"
    offline = ["screen", "--offline", str(full), "--key", key]
    checked = runner.invoke(app, [*offline, *TRAVELLER, "--queue", str(queue), "--json"])
    assert checked.exit_code == 10, checked.output
    assert {h["kind"] for h in json.loads(checked.stdout)["hits"]} == {"document", "person"}
    assert len(queue.read_text().splitlines()) == 2
    sent = runner.invoke(app, ["screen", "--send-queue", str(queue), "--token",
                               o["ESP"].token, "--json"])  # fmt: skip
    assert sent.exit_code == 0, sent.output
    assert all(a["result"] == "hit" for a in json.loads(sent.stdout))
    assert not queue.exists()  # renamed once sent

    listed = tmp_path / "list.csv"
    listed.write_text("name,birth_date,document_number,issuing_state\n"
                      f"Chukvuemeka Okonkvo,{BORN},,\nAna Nobody,1990-01-01,X1,FRA\n")  # fmt: skip
    on_list = runner.invoke(app, [*offline, "--manifest", str(listed), "--json"])
    assert on_list.exit_code == 10, on_list.output
    assert [a["result"] for a in json.loads(on_list.stdout)] == ["hit", "none"]

    tampered = tmp_path / "tampered.pkg"
    content = bytearray(full.read_bytes())
    content[len(content) // 2] ^= 0x01
    tampered.write_bytes(bytes(content))
    refused = runner.invoke(app, ["screen", "--offline", str(tampered), "--key", key, *TRAVELLER])
    assert refused.exit_code == 5 and "signature" in refused.output
    wrong_key = runner.invoke(app, ["screen", "--offline", str(full), "--key", "A" * 43 + "=",
                                    *TRAVELLER])  # fmt: skip
    assert wrong_key.exit_code == 5
    with clock.frozen_at(clock.now() + timedelta(days=8)):
        expired = runner.invoke(app, [*offline, *TRAVELLER])
    assert expired.exit_code == 5 and "expired" in expired.output

    # A refresh: a new stolen passport comes in, the first is recovered.
    _stolen_by_ken(client, o, number="AK9999999")
    reports = client.get("/api/v1/documents?number=AK0456721", headers=o["KEN"].headers).json()
    client.post(f"/api/v1/documents/{reports['items'][0]['id']}/recover", headers=o["KEN"].headers)
    step = tmp_path / "step.pkg"
    refreshed = runner.invoke(app, ["offline", "export", "--base", info["id"], "--out", str(step),
                                    "--token", o["ESP_NCB"].token, "--json"])  # fmt: skip
    assert refreshed.exit_code == 0, refreshed.output
    assert json.loads(refreshed.stdout)["key"] is None  # the chain's key stays the same
    both = ["screen", "--offline", str(full), "--offline", str(step), "--key", key]
    new_one = runner.invoke(app, [*both, "--document", "AK9999999", "--issuing-state", "KEN"])
    assert new_one.exit_code == 10, new_one.output
    recovered = runner.invoke(app, [*both, "--document", "AK0456721", "--issuing-state", "KEN"])
    assert recovered.exit_code == 0, recovered.output
    alone = runner.invoke(app, ["screen", "--offline", str(step), "--key", key, *TRAVELLER])
    assert alone.exit_code == 5  # an increment needs its base


def test_escalate_from_the_command_line(client: TestClient, officers: dict[str, Officer]) -> None:
    o = officers
    _stolen_by_ken(client, o)
    _ok(client, o["ESP"], "/api/v1/screening/check",
        {"document": {"number": "AK0456721", "issuing_state": "KEN"}})  # fmt: skip
    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        result = runner.invoke(app, ["hits", "escalate", "--json"])
    assert json.loads(result.stdout) == {"escalated": [
        h["id"] for h in client.get("/api/v1/hits", headers=o["KEN"].headers).json()["items"]
    ]}  # fmt: skip


def test_an_offline_package_reads_names_with_the_installations_equivalents(
    client: TestClient, officers: dict[str, Officer], tmp_path: Path
) -> None:
    o = officers
    _wanted_by_nga(client, o)
    table = tmp_path / "igbo.txt"
    table.write_text("chukwuemeka, emeka\n", encoding="utf-8")
    short_name = ["--name", "Emeka Okonkwo", "--sex", "M", "--nationality", "NGA"]

    def offline_check(name: str) -> int:
        package = tmp_path / f"{name}.pkg"
        made = runner.invoke(app, ["offline", "export", "--out", str(package), "--token",
                                   o["ESP_NCB"].token, "--json"])  # fmt: skip
        assert made.exit_code == 0, made.output
        key = json.loads(made.stdout)["key"]
        checked = runner.invoke(app, ["screen", "--offline", str(package), "--key", key,
                                      *short_name])  # fmt: skip
        return checked.exit_code

    assert offline_check("without") == 0
    loaded = runner.invoke(app, ["persons", "equivalents", "load", str(table)])
    assert loaded.exit_code == 0, loaded.output
    assert offline_check("with") == 10
