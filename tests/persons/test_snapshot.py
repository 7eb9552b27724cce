"""The name index on disk: the next process loads it, and catches up with later changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Officer, _empty_tables
from vigil import settings
from vigil.persons import screening, service, store
from vigil.persons.models import PersonIn, Screening, ScreenQuery
from vigil.persons.snapshot import path_for_url
from vigil.runtime import open_database
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork


def _record(db: Database, owner: Officer, name: str) -> str:
    with UnitOfWork(db, write=True) as uow:
        made = service.record(
            uow, actor=owner.actor, person_in=PersonIn(names=[name], category="wanted")
        )
    return made.id


def _found(db: Database, who: Officer, name: str) -> list[str]:
    with UnitOfWork(db, write=False) as uow:
        answer = screening.screen(uow, actor=who.actor, query=ScreenQuery(name=name))
    assert isinstance(answer, Screening)
    return [c.id for c in answer.candidates]


@pytest.fixture
def snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    monkeypatch.setattr(settings, "INDEX_SNAPSHOT_MIN", 1)
    return tmp_path


def test_the_next_process_loads_the_snapshot_and_catches_up(
    db: Database, migrated: str, fra: Officer, snapshots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _record(db, fra, "Maria Petrova")
    assert _found(db, fra, "Maria Petrova") == [first]  # builds, and saves the snapshot
    assert path_for_url(db.engine.url).exists()
    later = _record(db, fra, "Olga Ivanova")

    def no_full_read(*_: Any) -> Any:
        raise AssertionError("the index was read from every record, not from its snapshot")

    monkeypatch.setattr(store, "iter_entries", no_full_read)
    other = open_database(migrated, serving=False)
    try:
        assert _found(other, fra, "Maria Petrova") == [first]
        assert _found(other, fra, "Olga Ivanova") == [later]  # a change after the snapshot
    finally:
        other.close()


def test_a_snapshot_of_another_database_is_ignored(
    db: Database, migrated: str, fra: Officer, snapshots: Path
) -> None:
    _record(db, fra, "Maria Petrova")
    _found(db, fra, "Maria Petrova")
    _empty_tables(db)  # the store is emptied and filled anew
    fresh = _record(db, fra, "Olga Ivanova")
    other = open_database(migrated, serving=False)
    try:
        assert _found(other, fra, "Maria Petrova") == []
        assert _found(other, fra, "Olga Ivanova") == [fresh]
    finally:
        other.close()
