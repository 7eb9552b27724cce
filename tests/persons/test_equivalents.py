"""Tables of equivalent name parts: read from the formats real tables use, stored by an
administrator, and used by every screening (through the API and the CLI), with the
explanation saying which part was taken for which."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import Officer, make_user
from vigil.access.roles import Role
from vigil.cli.main import app
from vigil.core.countries import GS
from vigil.persons import equivalents
from vigil.persons.equivalents import Equivalents, Format, TableError, parse, tokens_of_pair
from vigil.persons.names import readings
from vigil.storage.engine import Database
from vigil.storage.tables import audit_log

NICKNAMES = "name1,relationship,name2\nwilliam,has_nickname,bill\nrobert,has_nickname,bob\n"
SYNONYMS = "# given names\ngiuseppe, josef\nwilliam => ويليام , guillaume\n\nlonely\n"
WANTED = {"names": ["William Clinton"], "birth_date": "1946-08-19", "sex": "M",
          "nationalities": ["USA"], "category": "wanted"}  # fmt: skip
# No birth date: with the full date agreeing, the family name alone would be a hit.
TRAVELLER = {"name": "Bill Clinton", "sex": "M", "nationality": "USA"}

runner = CliRunner()


def test_both_formats_are_read_and_bad_lines_reported_by_number() -> None:
    nick = parse(NICKNAMES)
    assert [(p.name, p.other, p.line) for p in nick.pairs] == [
        ("william", "bill", 2), ("robert", "bob", 3),
    ]  # fmt: skip
    syn = parse(SYNONYMS)
    assert [(p.name, p.other) for p in syn.pairs] == [
        ("giuseppe", "josef"), ("william", "ويليام"), ("william", "guillaume"),
    ]  # fmt: skip
    assert syn.skipped == [(5, "expected two names or more, separated by commas")]
    assert equivalents.detect(NICKNAMES) is Format.NICKNAMES
    with pytest.raises(TableError, match="no pair of names found"):
        parse("lonely\n\n# nothing else\n")
    # A nicknames table read as synonyms has no pair: its lines hold three names each, and
    # "has_nickname" is read as a name; said explicitly, the format is respected.
    assert parse("a,has_nickname,b\n", Format.NICKNAMES).pairs[0].other == "b"


def test_pairs_are_kept_as_the_name_engine_reads_each_side() -> None:
    # The Greek side is read as the engine reads a Greek query; a pair that sounds alike
    # (Mohamed, Muhammad; William and Arabic wylym) is left to the engine; a side of two
    # parts pairs nothing.
    greek = readings("Ιωσήφ")[0].tokens[0]
    assert tokens_of_pair(equivalents.Pair("giuseppe", "Ιωσήφ", 1)) == [("giuseppe", greek)]
    assert tokens_of_pair(equivalents.Pair("william", "ويليام", 1)) == []
    assert tokens_of_pair(equivalents.Pair("mohamed", "muhammad", 1)) == []
    assert tokens_of_pair(equivalents.Pair("jean-pierre", "jp", 1)) == []


def test_a_query_is_read_with_each_equivalent_part_marked() -> None:
    table = Equivalents.from_rows([("nick", "william", "bill"), ("nick", "william", "will")])
    forms = table.expand(readings("Bill Clinton"))
    assert [f.text for f in forms] == ["bill clinton", "william clinton"]
    assert forms[1].equivalent == (("bill", "william", "nick"),)
    # Equivalence is not chained: bill and will are each William's, not each other's.
    assert "bill" not in {o for o, _ in table.of["will"]}
    assert Equivalents().expand(readings("Bill Clinton")) == readings("Bill Clinton")


def test_at_most_a_few_equivalent_readings_are_weighed() -> None:
    rows = [("t", "jon", other) for other in ("john", "jonathan", "johnny", "jonas", "jack",
                                               "ian", "sean", "evan", "hans")]  # fmt: skip
    forms = Equivalents.from_rows(rows).expand(readings("Jon Smith"))
    assert len(forms) == 1 + equivalents.MOST_READINGS


def _load(client: TestClient, admin: Officer, source: str, text: str, **params: str) -> Any:
    return client.put(
        f"/api/v1/persons/equivalents/{source}", content=text.encode(), params=params,
        headers={**admin.headers, "Content-Type": "text/plain"},
    )  # fmt: skip


def _screen(client: TestClient, who: Officer) -> list[dict[str, Any]]:
    response = client.post("/api/v1/persons/screen", json=TRAVELLER, headers=who.headers)
    assert response.status_code == 200, response.text
    candidates: list[dict[str, Any]] = response.json()["candidates"]
    return candidates


def test_a_loaded_table_changes_what_screening_finds_and_says_why(
    client: TestClient, db: Database
) -> None:
    usa, esp = make_user(db, "USA"), make_user(db, "ESP", Role.FRONTLINE)
    admin = make_user(db, GS, Role.ADMIN)
    made = client.post("/api/v1/persons", json=WANTED, headers=usa.headers)
    assert made.status_code == 201, made.text
    before = _screen(client, esp)
    assert not any(c["hit"] for c in before)

    loaded = _load(client, admin, "nicknames-en", NICKNAMES)
    assert loaded.status_code == 200, loaded.text
    body = loaded.json()
    assert (body["source"], body["format"], body["pairs_read"], body["pairs_kept"]) == (
        "nicknames-en", "nicknames", 2, 2,
    )  # fmt: skip
    after = _screen(client, esp)
    assert after[0]["id"] == made.json()["id"] and after[0]["hit"]
    said = next(e["explanation"] for e in after[0]["explanation"] if e["feature"] == "name")
    assert "“bill” as “william” (nicknames-en)" in said
    # Less than the same spelling would score: an equivalent is the same name, not the same
    # spelling of it.
    exact = client.post(
        "/api/v1/persons/screen", json={**TRAVELLER, "name": "William Clinton"},
        headers=esp.headers,
    ).json()["candidates"][0]  # fmt: skip
    assert after[0]["score"] < exact["score"]

    listed = client.get("/api/v1/persons/equivalents", headers=esp.headers)
    assert [t["source"] for t in listed.json()] == ["nicknames-en"]
    assert client.delete("/api/v1/persons/equivalents/nicknames-en", headers=admin.headers)
    assert not any(c["hit"] for c in _screen(client, esp))
    assert client.get("/api/v1/persons/equivalents", headers=esp.headers).json() == []
    with db.engine.connect() as conn:
        actions = [r.action for r in conn.execute(sa.select(audit_log.c.action))]
    assert "persons.equivalents.load" in actions and "persons.equivalents.remove" in actions


def test_a_table_loaded_again_replaces_the_last_even_after_a_removal(
    client: TestClient, db: Database
) -> None:
    usa, esp = make_user(db, "USA"), make_user(db, "ESP", Role.FRONTLINE)
    admin = make_user(db, GS, Role.ADMIN)
    client.post("/api/v1/persons", json=WANTED, headers=usa.headers)
    assert _load(client, admin, "t", NICKNAMES).status_code == 200
    assert _screen(client, esp)[0]["hit"]
    # Removed and another loaded before any screening: the index must still see the change.
    assert client.delete("/api/v1/persons/equivalents/t", headers=admin.headers).status_code == 204
    assert _load(client, admin, "t", "robert, bob\n").json()["pairs_kept"] == 1
    assert not any(c["hit"] for c in _screen(client, esp))


def test_only_administrators_load_and_bad_tables_are_refused_whole(
    client: TestClient, db: Database
) -> None:
    fra, partner = make_user(db, "FRA"), make_user(db, "FRA", Role.PARTNER)
    admin = make_user(db, GS, Role.ADMIN)
    assert _load(client, fra, "t", NICKNAMES).status_code == 403
    assert client.get("/api/v1/persons/equivalents", headers=partner.headers).status_code == 403
    empty = _load(client, admin, "t", "lonely\n")
    assert empty.status_code == 422
    assert empty.headers["content-type"].startswith("application/problem+json")
    assert "line 1" in empty.json()["detail"]
    assert _load(client, admin, "bad name!", NICKNAMES).status_code == 422
    latin1 = client.put(
        "/api/v1/persons/equivalents/t", content="josé, josef".encode("latin-1"),
        headers={**admin.headers, "Content-Type": "text/plain"},
    )  # fmt: skip
    assert latin1.status_code == 422 and "UTF-8" in latin1.json()["detail"]
    assert _load(client, admin, "t", NICKNAMES, format="csv").status_code == 422
    assert client.delete("/api/v1/persons/equivalents/t", headers=admin.headers).status_code == 404
    assert client.get("/api/v1/persons/equivalents", headers=fra.headers).json() == []


@pytest.fixture
def _cli_database(db: Database, migrated: str, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr("vigil.settings.DATABASE_URL", migrated)
    return db


def test_the_cli_loads_lists_and_removes_tables(_cli_database: Database, tmp_path: Path) -> None:
    db = _cli_database
    usa = make_user(db, "USA")
    table = tmp_path / "nicknames.csv"
    table.write_text(NICKNAMES, encoding="utf-8")
    record = ["persons", "record", "--token", usa.token, "--name", "William Clinton",
              "--birth-date", "1946-08-19", "--sex", "M", "--nationality", "USA",
              "--category", "wanted"]  # fmt: skip
    assert runner.invoke(app, record).exit_code == 0
    screen = ["persons", "screen", "Bill Clinton", "--token", usa.token, "--nationality", "USA",
              "--sex", "M"]  # fmt: skip
    assert runner.invoke(app, screen).exit_code == 0  # no hit yet

    loaded = runner.invoke(app, ["persons", "equivalents", "load", str(table), "--json"])
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.stdout)["source"] == "nicknames"
    hit = runner.invoke(app, [*screen, "--json"])
    assert hit.exit_code == 10, hit.output
    listed = runner.invoke(app, ["persons", "equivalents", "list", "--json"])
    assert [t["pairs_kept"] for t in json.loads(listed.stdout)] == [2]

    bad = tmp_path / "bad.txt"
    bad.write_text("lonely\n", encoding="utf-8")
    refused = runner.invoke(app, ["persons", "equivalents", "load", str(bad)])
    assert refused.exit_code == 2 and "no pair of names found" in refused.output
    missing = runner.invoke(app, ["persons", "equivalents", "load", str(tmp_path / "none")])
    assert missing.exit_code == 2
    removed = runner.invoke(app, ["persons", "equivalents", "remove", "nicknames"])
    assert removed.exit_code == 0
    assert runner.invoke(app, ["persons", "equivalents", "remove", "nicknames"]).exit_code == 3
    assert runner.invoke(app, screen).exit_code == 0
