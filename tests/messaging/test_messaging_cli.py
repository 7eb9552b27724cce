"""Networks, messages and reports through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import Officer
from tests.messaging.test_messaging_api import ROUTE
from vigil.cli.main import app
from vigil.storage.engine import Database

runner = CliRunner()


@pytest.fixture(autouse=True)
def _use_test_database(db: Database, migrated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vigil.settings.DATABASE_URL", migrated)


def _out(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_network_a_report_a_reply_and_leaving(o: dict[str, Officer], tmp_path: Path) -> None:
    made = _out("networks", "create", "Central Mediterranean", "--member", "ITA",
                "--member", "NGA", "--token", o["ESP"].token)  # fmt: skip
    network = made.strip().splitlines()[-1]
    report_file = tmp_path / "route.json"
    report_file.write_text(json.dumps({**ROUTE, "audience": {"networks": [network]}}))
    report = _out("intel", "publish", str(report_file), "--token", o["ESP"].token).strip()
    report_id = report.splitlines()[-1]
    found = json.loads(_out("intel", "search", "Agadez", "--token", o["ITA"].token, "--json"))
    assert [r["id"] for r in found["items"]] == [report_id]
    outside = json.loads(_out("intel", "search", "Agadez", "--token", o["FRA"].token, "--json"))
    assert outside["items"] == []
    h2 = '{"handling": "H2"}'
    replied = json.loads(_out("intel", "reply", report_id, "Seen in Sabratha too.", "--fields",
                              h2, "--token", o["ITA"].token, "--json"))  # fmt: skip
    assert replied["messages"][0]["handling"] == "H2"
    _out("networks", "remove", network, "NGA", "--token", o["NGA"].token)
    gone = runner.invoke(app, ["intel", "show", report_id, "--token", o["NGA"].token])
    assert gone.exit_code == 3


def test_threads_from_the_command_line(o: dict[str, Officer]) -> None:
    asked = '{"questions": ["Holder?"]}'
    thread = json.loads(_out("messages", "start", "Passport query", "Who holds AK0456721?",
                             "--to", "ITA", "--type", "request_for_information", "--fields",
                             asked, "--token", o["ESP"].token, "--json"))  # fmt: skip
    sent = _out("messages", "send", thread["id"], "A man born 1979.", "--type", "reply",
                "--fields", json.dumps({"in_reply_to": thread["messages"][0]["id"]}),
                "--token", o["ITA"].token).strip()  # fmt: skip
    read = json.loads(_out("messages", "read", thread["id"], "--token", o["ESP"].token, "--json"))
    assert [m["id"] for m in read["messages"]][-1] == sent
    bad = runner.invoke(app, ["messages", "send", thread["id"], "x", "--type", "reply",
                              "--token", o["ITA"].token])  # fmt: skip
    assert bad.exit_code == 2 and "in_reply_to" in bad.output
