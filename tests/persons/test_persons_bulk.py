from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Officer, make_user
from vigil.access.actors import operator
from vigil.access.roles import Role
from vigil.core import clock
from vigil.errors import Forbidden
from vigil.persons import bulk, screening, service
from vigil.persons.models import Person, PersonIn, Screening, ScreenQuery
from vigil.storage.engine import Database
from vigil.storage.tables import audit_log, persons
from vigil.storage.uow import UnitOfWork


def _world_line(ref: str = "P00000000576", owner: str = "AFG", **fields: Any) -> dict[str, Any]:
    """A line as ``vigil world generate`` writes ``persons.jsonl``."""
    review_by = (clock.today() + timedelta(days=400)).isoformat()
    return {
        "ref": ref,
        "owner": owner,
        "category": "suspect",
        "names": [
            {
                "kind": "original",
                "full": "علی اصغر ملکیان",
                "given": "علی اصغر",
                "family": "ملکیان",
                "script": "Arab",
            },
            {
                "kind": "latin",
                "full": "Ali Asghar Malkayan",
                "given": "Ali Asghar",
                "family": "Malkayan",
                "script": "Latn",
            },
        ],
        "birth_date": "1975-12-22",
        "sex": "M",
        "nationalities": ["AFG"],
        "identifiers": [{"type": "passport", "number": "K04517348", "issuing_state": "AFG"}],
        "phones": ["+93701211225"],
        "emails": [],
        "addresses": ["198 Street 82, FIN"],
        "bank_accounts": [],
        "envelope": {
            "audience": "all",
            "handling": "H1",
            "review_by": review_by,
            "provenance": {
                "source_agency": "AFG national police",
                "source_reliability": "A",
                "information_credibility": "1",
            },
        },
        **fields,
    }


def _line(ref: str, owner: str | None = "FRA", **fields: Any) -> str:
    return json.dumps({"ref": ref, "owner": owner, "category": "suspect",
                       "names": [f"Jean Dupont {ref}"], **fields})  # fmt: skip


def _load(db: Database, text: str, **options: Any) -> bulk.LoadSummary:
    lines = bulk.read_lines(io.BytesIO(text.encode()))
    return bulk.load(db, lines=lines, **{"actor": operator(), "as_owners": True, **options})


def _stored(db: Database) -> list[sa.Row[Any]]:
    with db.engine.connect() as conn:
        return list(conn.execute(sa.select(persons).order_by(persons.c.ref)))


def _screen(db: Database, who: Officer, name: str) -> Screening:
    with UnitOfWork(db, write=False) as uow:
        answer = screening.screen(uow, actor=who.actor, query=ScreenQuery(name=name))
    assert isinstance(answer, Screening)
    return answer


def _get(db: Database, who: Officer, person_id: str) -> Person:
    with UnitOfWork(db, write=False) as uow:
        return service.get(uow, actor=who.actor, person_id=person_id)


def test_a_world_line_loads_with_its_names_envelope_and_reference(
    db: Database, fra: Officer
) -> None:
    victim = _world_line("P2", "GBR", category="victim", minor=True)
    victim["envelope"]["audience"] = {"only": ["GBR"]}
    summary = _load(db, json.dumps(_world_line()) + "\n" + json.dumps(victim) + "\n")
    assert (summary.read, summary.added, summary.refused) == (2, 2, 0), summary.errors
    [suspect, hidden] = _stored(db)
    assert (suspect.ref, hidden.ref) == ("P00000000576", "P2")
    person = _get(db, fra, suspect.id)
    assert [(n.kind, n.script) for n in person.names] == [("original", "Arab"), ("latin", "Latn")]
    assert person.envelope.owner == "AFG" and person.envelope.handling == "H1"
    assert person.envelope.provenance.owner_ref == "P00000000576"
    assert person.envelope.provenance.source_reliability == "A"
    assert person.details.identifiers[0].number == "K04517348"
    assert person.envelope.created_by == operator().ref
    assert _get(db, make_user(db, "GBR"), hidden.id).details.minor is True


def test_imported_persons_are_screened_at_once(db: Database, fra: Officer) -> None:
    assert _screen(db, fra, "Ali Asghar Malkayan").candidates == []  # the index is built
    _load(db, json.dumps(_world_line()))
    [candidate] = _screen(db, fra, "علی اصغر ملکیان").candidates
    assert candidate.owner == "AFG"


def test_bad_lines_are_listed_and_the_rest_loads(db: Database) -> None:
    text = "\n".join(
        [
            _line("A1"),
            "{not json",
            "[1, 2]",
            _line("A2", birth_date="1985-13"),
            _line("A3", names=[]),
            _line("A4", nationalities=["ZZZ"]),
            _line("A5", owner="ZZZ"),
            _line("A6", owner="GS"),
            json.dumps({"owner": "FRA", "category": "suspect", "names": ["No Ref"]}),
            _line("A7", audience={"networks": ["no-such-network"]}),
            _line("A8", owner=None),
            _line("A9", colour="blue"),
            _line("A11", envelope=["H0"]),  # once stopped the whole load
            _line("A10"),
        ]
    )
    summary = _load(db, text)
    assert (summary.read, summary.added, summary.refused) == (14, 2, 12)
    assert [e.line for e in summary.errors] == list(range(2, 14))
    messages = [e.message for e in summary.errors]
    assert "birth_date" in messages[2] and "names" in messages[3] and "ZZZ" in messages[4]
    assert "ref" in messages[7] and "no-such-network" in messages[8] and "owner" in messages[9]
    assert "envelope" in messages[11]
    assert [row.ref for row in _stored(db)] == ["A1", "A10"]


def test_a_load_run_twice_adds_nothing_the_second_time(db: Database) -> None:
    text = "\n".join([*(_line(f"N{i}") for i in range(30)), _line("N0"), _line("N0", "DEU")])
    first = _load(db, text)
    second = _load(db, text)
    assert (first.added, first.already_present) == (31, 1)
    assert (second.added, second.already_present) == (0, 32)
    assert len(_stored(db)) == 31


def test_a_deleted_record_is_not_brought_back_by_a_rerun(db: Database) -> None:
    _load(db, _line("D1"))
    [row] = _stored(db)
    fra = make_user(db, "FRA")
    assert [c.id for c in _screen(db, fra, "Jean Dupont D1").candidates] == [row.id]
    with UnitOfWork(db, write=True) as uow:
        service.delete(uow, actor=fra.actor, person_id=row.id)
    assert _load(db, _line("D1")).already_present == 1
    assert _screen(db, fra, "Jean Dupont D1").candidates == []


def test_each_batch_is_one_audit_entry_naming_its_persons(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vigil.settings.IMPORT_BATCH_ROWS", 10)
    progress: list[int] = []
    _load(db, "\n".join(_line(f"B{i}") for i in range(25)), progress=progress.append)
    with db.engine.connect() as conn:
        entries = conn.execute(
            sa.select(audit_log).where(audit_log.c.action == "persons.import")
        ).all()
    assert [len(e.record_ids) for e in entries] == [10, 10, 5]
    assert progress == [10, 10, 5]


def test_a_member_loads_only_its_own_records(db: Database, fra: Officer) -> None:
    text = "\n".join([_line("M1"), _line("M2", "DEU"), _line("M3", owner=None)])
    summary = bulk.load(db, actor=fra.actor, lines=bulk.read_lines(io.BytesIO(text.encode())))
    assert (summary.added, [e.line for e in summary.errors]) == (2, [2])
    assert "DEU" in summary.errors[0].message
    officer = make_user(db, "FRA", Role.FRONTLINE)
    with pytest.raises(Forbidden):
        bulk.load(db, actor=officer.actor, lines=[])


def test_a_loaded_person_is_the_one_the_service_would_record(db: Database, fra: Officer) -> None:
    line = _world_line("S1", "FRA")
    _load(db, json.dumps(line))
    [row] = _stored(db)
    loaded = _get(db, fra, row.id)
    values = {k: v for k, v in line.items() if k not in ("ref", "owner", "envelope")}
    values.update(line["envelope"])
    with UnitOfWork(db, write=True) as uow:
        recorded = service.record(uow, actor=fra.actor, person_in=PersonIn(**values), ref="S2")
    shown = _get(db, fra, recorded.id)
    assert loaded.model_dump(exclude={"id", "envelope"}) == shown.model_dump(
        exclude={"id", "envelope"}
    )
