from __future__ import annotations

import json
from pathlib import Path

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


def _report(token: str, number: str = "C01X00T47", *extra: str) -> str:
    result = runner.invoke(
        app,
        ["documents", "report", "--token", token, "--number", number, "--state", "DEU",
         "--type", "passport", "--status", "stolen", "--json", *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["id"])


def test_report_check_recover_through_the_cli(db: Database) -> None:
    deu = make_user(db, "DEU")
    officer = make_user(db, "FRA", Role.FRONTLINE)
    report_id = _report(deu.token, "C01X00T47", "--fields", '{"handling": "H1"}')
    hit = runner.invoke(
        app, ["documents", "check", "--token", officer.token, "--number", "C01X00T47",
              "--state", "DEU"],
    )  # fmt: skip
    assert hit.exit_code == 10
    assert json.loads(hit.stdout)["matches"][0]["report"]["envelope"]["handling"] == "H1"
    possible = runner.invoke(
        app, ["documents", "check", "--token", officer.token, "--number", "CO1XOOT47",
              "--state", "DEU"],
    )  # fmt: skip
    assert possible.exit_code == 11
    recovered = runner.invoke(app, ["documents", "recover", report_id, "--token", deu.token])
    assert recovered.exit_code == 0, recovered.output
    none = runner.invoke(
        app, ["documents", "check", "--token", officer.token, "--number", "C01X00T47",
              "--state", "DEU"],
    )  # fmt: skip
    assert none.exit_code == 0
    assert json.loads(none.stdout)["result"] == "none"


def test_bad_input_gets_a_message_and_exit_code(db: Database) -> None:
    deu = make_user(db, "DEU")
    bad = runner.invoke(
        app, ["documents", "report", "--token", deu.token, "--number", "X1", "--state", "DEU",
              "--type", "passport", "--status", "misplaced"],
    )  # fmt: skip
    assert bad.exit_code == 2
    assert "status" in bad.output
    forbidden = runner.invoke(
        app, ["documents", "report", "--token", deu.token, "--number", "X1", "--state", "FRA",
              "--type", "passport", "--status", "lost"],
    )  # fmt: skip
    assert forbidden.exit_code == 4
    missing = runner.invoke(app, ["documents", "show", "nope", "--token", deu.token])
    assert missing.exit_code == 3


def test_manifest_check_and_list(db: Database, tmp_path: Path) -> None:
    deu = make_user(db, "DEU")
    _report(deu.token)
    manifest = tmp_path / "flight.csv"
    manifest.write_text("number,issuing_state\nX1,FRA\nC01X00T47,DEU\n")
    result = runner.invoke(
        app, ["documents", "check-batch", str(manifest), "--token", deu.token, "--json"]
    )
    assert result.exit_code == 10
    assert [r["result"] for r in json.loads(result.stdout)["results"]] == ["none", "hit"]
    listed = runner.invoke(app, ["documents", "list", "--token", deu.token, "--json"])
    assert [i["number"] for i in json.loads(listed.stdout)["items"]] == ["C01X00T47"]
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"number": "X1"}\n')
    failed = runner.invoke(app, ["documents", "check-batch", str(broken), "--token", deu.token])
    assert failed.exit_code == 2
    assert "line 1" in failed.output


def test_import_as_operator_reports_refused_lines(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "reports.jsonl"
    source.write_text(
        '{"number": "A1", "issuing_state": "DEU", "type": "passport", "status": "lost"}\n'
        '{"number": "A2", "issuing_state": "ZZZ", "type": "passport", "status": "lost"}\n'
    )
    result = runner.invoke(
        app, ["documents", "import", str(source), "--as-issuing-states", "--workers", "0",
              "--json"],
    )  # fmt: skip
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["refused"], summary["errors"][0]["line"]) == (1, 1, 2)
    no_token = runner.invoke(app, ["documents", "import", str(source)], env={"VIGIL_TOKEN": ""})
    assert no_token.exit_code == 2


def test_world_load_imports_the_documents_once(db: Database, tmp_path: Path) -> None:
    world = tmp_path / "world"
    made = runner.invoke(app, ["world", "generate", "--scale", "100", "--out", str(world)])
    assert made.exit_code == 0, made.output
    lines = (world / "documents.jsonl").read_text().splitlines()
    first = runner.invoke(app, ["world", "load", str(world), "--workers", "0", "--json"])
    assert first.exit_code == 0, first.output
    loaded = json.loads(first.stdout)
    counts = loaded["loaded"]["documents.jsonl"]
    assert counts["read"] == len(lines) and counts["refused"] == 0
    assert counts["added"] + counts["already_present"] == len(lines)
    assert set(loaded["loaded"]) == {"documents.jsonl", "persons.jsonl", "notices.jsonl",
                                     "ads.jsonl", "transactions.jsonl"}  # fmt: skip
    again = json.loads(runner.invoke(app, ["world", "load", str(world), "--json"]).stdout)
    assert again["loaded"]["documents.jsonl"]["added"] == 0
    missing = runner.invoke(app, ["world", "load", str(tmp_path / "nothing")])
    assert missing.exit_code == 2
