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

TRAVELLER = ["--dob", "1985-03-02", "--nationality", "EGY", "--sex", "M"]


@pytest.fixture(autouse=True)
def _use_test_database(db: Database, migrated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vigil.settings.DATABASE_URL", migrated)


def _record(token: str, *extra: str, name: str = "محمد علي حسن") -> str:
    result = runner.invoke(
        app,
        ["persons", "record", "--token", token, "--name", name, "--name", "Mohamed Hassan",
         "--birth-date", "1985-03-02", "--sex", "M", "--nationality", "EGY",
         "--category", "wanted", "--json", *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["id"])


def test_record_show_list_and_delete_through_the_cli(db: Database) -> None:
    fra = make_user(db, "FRA")
    person_id = _record(fra.token, "--fields", '{"handling": "H1"}', "--ref", "FR-7")
    shown = runner.invoke(app, ["persons", "show", person_id, "--token", fra.token])
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.stdout)
    assert [n["full"] for n in body["names"]] == ["محمد علي حسن", "Mohamed Hassan"]
    assert (body["envelope"]["handling"], body["nationalities"]) == ("H1", ["EGY"])
    listed = runner.invoke(
        app, ["persons", "list", "--token", fra.token, "--category", "wanted", "--json"]
    )
    assert [p["id"] for p in json.loads(listed.stdout)["items"]] == [person_id]
    deleted = runner.invoke(app, ["persons", "delete", person_id, "--token", fra.token])
    assert deleted.exit_code == 0, deleted.output
    gone = runner.invoke(app, ["persons", "show", person_id, "--token", fra.token])
    assert gone.exit_code == 3


def test_change_replaces_what_the_record_says_and_only_its_owner_may(db: Database) -> None:
    fra = make_user(db, "FRA")
    person_id = _record(fra.token)
    change = ["persons", "change", person_id, "--name", "Mohamed Ali Hassan", "--category",
              "missing", "--birth-date", "1985-03", "--nationality", "FRA"]  # fmt: skip
    changed = runner.invoke(app, [*change, "--token", fra.token, "--fields", '{"handling": "H1"}'])
    assert changed.exit_code == 0, changed.output
    assert changed.stdout.splitlines()[-1] == person_id
    body = json.loads(
        runner.invoke(app, ["persons", "show", person_id, "--token", fra.token]).stdout
    )
    assert [n["full"] for n in body["names"]] == ["Mohamed Ali Hassan"]
    assert (body["category"], body["birth_date"], body["nationalities"]) == (
        "missing", "1985-03", ["FRA"],
    )  # fmt: skip
    assert (body["sex"], body["envelope"]["handling"]) == (None, "H1")
    deu = make_user(db, "DEU")
    refused = runner.invoke(app, [*change, "--token", deu.token])
    assert refused.exit_code == 4
    assert "owning member" in refused.output
    bad_date = runner.invoke(app, [*change, "--token", fra.token, "--birth-date", "1985-13"])
    assert bad_date.exit_code == 2 and "birth_date" in bad_date.output


def test_bad_input_gets_a_message_and_exit_code(db: Database) -> None:
    fra = make_user(db, "FRA")
    base = ["persons", "record", "--token", fra.token, "--category", "wanted"]
    bad_date = runner.invoke(app, [*base, "--name", "A B", "--birth-date", "1985-13"])
    assert bad_date.exit_code == 2
    assert "birth_date" in bad_date.output
    unknown = runner.invoke(app, [*base, "--name", "A B", "--nationality", "ZZZ"])
    assert unknown.exit_code == 2
    assert "ZZZ" in unknown.output
    no_name = runner.invoke(app, [*base, "--name", "1234"])
    assert no_name.exit_code == 2
    officer = make_user(db, "DEU", Role.FRONTLINE)
    forbidden = runner.invoke(app, ["persons", "record", "--token", officer.token,
                                    "--category", "wanted", "--name", "A B"])  # fmt: skip
    assert forbidden.exit_code == 4


def test_screen_explains_its_candidates_and_exits_10_on_a_hit(db: Database) -> None:
    fra = make_user(db, "FRA")
    officer = make_user(db, "DEU", Role.FRONTLINE)
    person_id = _record(fra.token)
    hit = runner.invoke(
        app, ["persons", "screen", "Mohamed Ali Hassan", "--token", officer.token, *TRAVELLER]
    )
    assert hit.exit_code == 10, hit.output
    assert person_id in hit.output and "HIT" in hit.output
    assert "1985-03-02" in hit.output and "EGY" in hit.output  # the evidence lines
    as_json = runner.invoke(
        app, ["persons", "screen", "Mohamed Ali Hassan", "--token", officer.token, *TRAVELLER,
              "--json"],
    )  # fmt: skip
    [candidate] = json.loads(as_json.stdout)["candidates"]
    assert (candidate["id"], candidate["hit"]) == (person_id, True)
    assert {e["feature"] for e in candidate["explanation"]} >= {"name", "birth_date"}
    none = runner.invoke(app, ["persons", "screen", "Olga Petrova", "--token", officer.token])
    assert none.exit_code == 0, none.output
    assert "no candidates" in none.output


def test_a_partner_screening_prints_only_the_result(db: Database) -> None:
    fra = make_user(db, "FRA")
    ngo = make_user(db, "QAT", Role.PARTNER)
    _record(fra.token)
    hit = runner.invoke(
        app, ["persons", "screen", "Mohamed Ali Hassan", "--token", ngo.token, *TRAVELLER, "--json"]
    )
    assert hit.exit_code == 10
    assert json.loads(hit.stdout) == {"result": "hit"}


def test_screen_batch_reads_json_lines_and_names_bad_lines(db: Database, tmp_path: Path) -> None:
    fra = make_user(db, "FRA")
    _record(fra.token)
    names = tmp_path / "crew.jsonl"
    names.write_text(
        '{"name": "Olga Petrova"}\n\n'
        '{"name": "Mohamed Ali Hassan", "birth_date": "1985-03-02", "nationality": "EGY"}\n'
    )
    result = runner.invoke(app, ["persons", "screen-batch", str(names), "--token", fra.token,
                                 "--json"])  # fmt: skip
    assert result.exit_code == 10, result.output
    answer = json.loads(result.stdout)
    assert answer["hits"] == 1 and len(answer["results"]) == 2
    table = runner.invoke(app, ["persons", "screen-batch", str(names), "--token", fra.token])
    assert "1 of 2 names hit" in table.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"name": "A B"}\n{"nam": "A B"}\n')
    failed = runner.invoke(app, ["persons", "screen-batch", str(broken), "--token", fra.token])
    assert failed.exit_code == 2
    assert "line 2" in failed.output


def test_import_as_owners_twice_adds_once_and_reports_refused_lines(
    db: Database, tmp_path: Path
) -> None:
    source = tmp_path / "persons.jsonl"
    source.write_text(
        '{"ref": "P1", "owner": "FRA", "category": "suspect", "names": ["Jean Dupont"]}\n'
        '{"ref": "P2", "owner": "ZZZ", "category": "suspect", "names": ["Jean Dupont"]}\n'
        '{"ref": "P3", "owner": "DEU", "category": "suspect", "names": []}\n'
    )
    command = ["persons", "import", str(source), "--as-owners", "--json"]
    first = runner.invoke(app, command)
    assert first.exit_code == 1
    summary = json.loads(first.stdout)
    assert (summary["added"], summary["refused"]) == (1, 2)
    assert [e["line"] for e in summary["errors"]] == [2, 3]
    again = json.loads(runner.invoke(app, command).stdout)
    assert (again["added"], again["already_present"]) == (0, 1)
    no_token = runner.invoke(app, ["persons", "import", str(source)], env={"VIGIL_TOKEN": ""})
    assert no_token.exit_code == 2
    fra = make_user(db, "FRA")
    both = runner.invoke(app, [*command, "--token", fra.token])
    assert both.exit_code == 2


def test_world_load_imports_the_persons_once(db: Database, tmp_path: Path) -> None:
    world = tmp_path / "world"
    made = runner.invoke(app, ["world", "generate", "--scale", "100", "--out", str(world)])
    assert made.exit_code == 0, made.output
    lines = (world / "persons.jsonl").read_text().splitlines()
    first = runner.invoke(app, ["world", "load", str(world), "--workers", "0", "--json"])
    assert first.exit_code == 0, first.output
    loaded = json.loads(first.stdout)
    counts = {k: v for k, v in loaded["loaded"]["persons.jsonl"].items() if k != "seconds"}
    assert counts == {"read": len(lines), "added": len(lines), "already_present": 0, "refused": 0}
    again = runner.invoke(app, ["world", "load", str(world), "--workers", "0"])
    assert again.exit_code == 0, again.output
    assert f"persons.jsonl: 0 added, {len(lines)} already present, 0 refused" in again.output
