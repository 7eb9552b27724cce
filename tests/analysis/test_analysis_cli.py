"""Ads and transfers through the CLI, and the synthetic world's traces loaded and followed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.analysis.test_analysis_api import AD, MULE, PAYERS, _transfer
from tests.conftest import Officer
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


def _shown(*args: str) -> str:
    """What a person at a wide terminal reads (tables and messages go to standard error)."""
    result = runner.invoke(app, list(args), env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    return result.output


def test_record_search_and_show_from_the_command_line(fra: Officer, deu: Officer) -> None:
    made = _out("ads", "record", "--fields", json.dumps(AD), "--token", fra.token)
    ad_id = made.strip().splitlines()[-1]
    found = json.loads(_out("ads", "search", "--phone", "07400 663616", "--phone-country", "GBR",
                            "--token", deu.token, "--json"))  # fmt: skip
    assert [a["id"] for a in found["items"]] == [ad_id]
    assert "London" in _shown("ads", "search", "--site", "jobs-board.example", "--token", deu.token)
    assert json.loads(_out("ads", "show", ad_id, "--token", deu.token))["city"] == "London"
    for payer in PAYERS:
        _out("transfers", "record", "--fields", json.dumps(_transfer(payer, MULE, "100")),
             "--token", fra.token)  # fmt: skip
    flows = json.loads(_out("transfers", "account", MULE, "--token", deu.token, "--json"))
    assert flows["incoming"] == 3 and flows["totals"][0]["incoming"] == "300.00"
    shown = _shown("transfers", "account", MULE, "--token", deu.token)
    assert "3 in, 0 out" in shown and PAYERS[0] in shown
    listed = _shown("transfers", "search", "--account", MULE, "--token", deu.token)
    assert listed.count("100.00 EUR") == 3  # each transfer, not their sum


def test_bad_input_exits_with_a_message_and_no_record(fra: Officer) -> None:
    bad = runner.invoke(app, ["ads", "record", "--fields", json.dumps({**AD, "phones": ["x"]}),
                              "--token", fra.token])  # fmt: skip
    assert bad.exit_code == 2 and "phone" in bad.output
    invalid = runner.invoke(app, ["transfers", "account", "GB94RVBC38870038610578",
                                  "--token", fra.token])  # fmt: skip
    assert invalid.exit_code == 2 and "IBAN" in invalid.output
    empty = json.loads(_out("ads", "search", "--token", fra.token, "--json"))
    assert empty["items"] == []
    missing = runner.invoke(app, ["ads", "show", "nope", "--token", fra.token])
    assert missing.exit_code == 3


def test_the_world_traces_load_once_and_keep_their_ground_truth(
    tmp_path: Path, fra: Officer
) -> None:
    world = tmp_path / "world"
    _out("world", "generate", "--scale", "300", "--seed", "3", "--out", str(world))
    loaded = json.loads(_out("world", "load", str(world), "--workers", "0", "--json"))["loaded"]
    ads_lines = (world / "ads.jsonl").read_text().splitlines()
    transfer_lines = (world / "transactions.jsonl").read_text().splitlines()
    assert loaded["ads.jsonl"]["added"] == len(ads_lines) > 0
    assert loaded["transactions.jsonl"]["added"] == len(transfer_lines) > 0
    assert loaded["ads.jsonl"]["refused"] == loaded["transactions.jsonl"]["refused"] == 0
    again = json.loads(_out("world", "load", str(world), "--workers", "0", "--json"))["loaded"]
    assert again["ads.jsonl"]["already_present"] == len(ads_lines)
    # A network re-uses its phones: the phone of one of its ads finds more of its ads.
    network_of = {
        t["ad"]: t["network"]
        for t in map(json.loads, (world / "truth" / "ad_networks.jsonl").read_text().splitlines())
    }
    first = json.loads(ads_lines[0])
    found = json.loads(_out("ads", "search", "--phone", first["phones"][0], "--limit", "500",
                            "--token", fra.token, "--json"))["items"]  # fmt: skip
    refs = [a["envelope"]["provenance"]["owner_ref"] for a in found]
    assert first["ref"] in refs
    assert {network_of[r] for r in refs} == {network_of[first["ref"]]}
    # Fan-in: the laundering account of a fan_in pattern receives from many accounts.
    laundering = [json.loads(line) for line in
                  (world / "truth" / "laundering.jsonl").read_text().splitlines()]  # fmt: skip
    by_ref = {t["ref"]: t for t in map(json.loads, transfer_lines)}
    fan_in = Counter(by_ref[t["transaction"]]["to_account"] for t in laundering
                     if t["pattern"] == "fan_in")  # fmt: skip
    account, count = fan_in.most_common(1)[0]
    flows = json.loads(_out("transfers", "account", account, "--token", fra.token, "--json"))
    assert flows["incoming"] >= count >= 3
