from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tests.conftest import make_record
from vigil.cli.main import app
from vigil.storage.engine import Database
from vigil.storage.tables import audit_log

runner = CliRunner()


@pytest.fixture(autouse=True)
def _use_test_database(db: Database, migrated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vigil.settings.DATABASE_URL", migrated)


def _add(member: str = "FRA", role: str = "ncb") -> dict[str, str]:
    result = runner.invoke(
        app, ["users", "add", "--member", member, "--role", role, "--name", "Officer", "--json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_users_add_prints_json_with_a_working_token() -> None:
    created = _add()
    assert created["token"].startswith("vgl_")
    result = runner.invoke(app, ["records", "list", "--json", "--token", created["token"]])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"items": [], "next_cursor": None}


def test_users_list_and_revoke_stop_the_token() -> None:
    created = _add("DEU")
    listed = json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout)
    assert created["id"] in {u["id"] for u in listed}
    assert runner.invoke(app, ["users", "revoke", created["id"]]).exit_code == 0
    refused = runner.invoke(app, ["records", "list", "--token", created["token"]])
    assert refused.exit_code == 4
    assert "expired or revoked" in refused.output


def test_users_add_with_bad_input_exits_with_a_message() -> None:
    result = runner.invoke(app, ["users", "add", "--member", "XXX", "--role", "ncb", "--name", "n"])
    assert result.exit_code == 2
    assert "XXX is not a member" in result.output
    result = runner.invoke(
        app, ["users", "add", "--member", "FRA", "--role", "chief", "--name", "n"]
    )
    assert result.exit_code == 2
    assert "Unknown role" in result.output


def test_users_add_with_a_web_login_reads_the_password_from_stdin() -> None:
    result = runner.invoke(
        app,
        [
            "users",
            "add",
            "--member",
            "FRA",
            "--role",
            "ncb",
            "--name",
            "n",
            "--login",
            "ana",
            "--password-stdin",
            "--json",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["login"] == "ana"


def test_audit_verify_exits_0_on_a_whole_chain_and_1_naming_the_bad_entry(db: Database) -> None:
    _add()
    _add("DEU")
    ok = runner.invoke(app, ["audit", "verify", "--json"])
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["ok"] is True
    with db.engine.begin() as conn:
        first = conn.execute(sa.select(audit_log).where(audit_log.c.seq == 1)).one()
        conn.execute(audit_log.update().where(audit_log.c.seq == 1).values(action="users.list"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert first.id in broken.output


def test_audit_trail_and_alerts_through_the_cli(db: Database) -> None:
    from tests.conftest import make_user
    from vigil.access.envelope import Audience

    owner, reader = make_user(db, "FRA"), make_user(db, "DEU")
    record = make_record(db, owner, audience=Audience.only("DEU"), announce=True, title="shared")
    shown = runner.invoke(app, ["records", "show", record.id, "--token", reader.token])
    assert shown.exit_code == 0
    trail = runner.invoke(app, ["audit", "trail", record.id, "--json", "--token", owner.token])
    assert {e["member"] for e in json.loads(trail.stdout)} >= {"DEU"}
    inbox = runner.invoke(app, ["alerts", "list", "--json", "--token", reader.token])
    assert [a["title"] for a in json.loads(inbox.stdout)] == ["shared"]
    hidden = runner.invoke(
        app, ["records", "show", record.id, "--token", make_user(db, "ITA").token]
    )
    assert hidden.exit_code == 3


def test_records_envelope_change_rejects_bad_json(db: Database) -> None:
    from tests.conftest import make_user

    owner = make_user(db, "FRA")
    record = make_record(db, owner)
    result = runner.invoke(
        app, ["records", "envelope", record.id, "{not json", "--token", owner.token]
    )
    assert result.exit_code == 2
    ok = runner.invoke(
        app, ["records", "envelope", record.id, '{"handling": "H1"}', "--token", owner.token]
    )
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["handling"] == "H1"


def test_demo_load_creates_one_login_per_role_once(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    monkeypatch.setattr("vigil.settings.DATA_DIR", Path(str(tmp_path)))
    first = json.loads(runner.invoke(app, ["demo", "load", "--json"]).stdout)
    again = json.loads(runner.invoke(app, ["demo", "load", "--json"]).stdout)
    assert {x["role"] for x in first} == {
        "ncb",
        "frontline",
        "analyst",
        "reviewer",
        "partner",
        "admin",
    }
    assert first == again
    assert oct((Path(str(tmp_path)) / "demo-logins.json").stat().st_mode)[-3:] == "600"
