"""SQL of bulk person loads: which owners' references are stored, and many inserts at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from vigil.persons.models import Person
from vigil.persons.store import row_of
from vigil.records import store as records_store
from vigil.storage.dialect import insert_rows
from vigil.storage.tables import person_changes, persons, record_audience, records

# Parameters per IN list: under SQLite's oldest limit (999), as the other stores do.
_CHUNK = 900


def existing_refs(conn: sa.Connection, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (owner, ref) pairs are stored as live or deleted person records.

    A deleted record keeps its reference: a load run again does not bring it back.
    """
    wanted = set(keys)
    refs = sorted({ref for _, ref in wanted})
    found: set[tuple[str, str]] = set()
    for start in range(0, len(refs), _CHUNK):
        query = (
            sa.select(records.c.owner, persons.c.ref)
            .join(records, records.c.id == persons.c.id)
            .where(persons.c.ref.in_(refs[start : start + _CHUNK]))
        )
        found.update((owner, ref) for owner, ref in conn.execute(query))
    return found & wanted


def ids_by_ref(conn: sa.Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The live person records filed under these (owner, ref) pairs."""
    wanted = set(keys)
    refs = sorted({ref for _, ref in wanted})
    found: dict[tuple[str, str], str] = {}
    for start in range(0, len(refs), _CHUNK):
        query = (
            sa.select(records.c.owner, persons.c.ref, persons.c.id)
            .join(records, records.c.id == persons.c.id)
            .where(persons.c.ref.in_(refs[start : start + _CHUNK]), records.c.deleted_at.is_(None))
        )
        for owner, ref, person_id in conn.execute(query):
            if (owner, ref) in wanted:
                found[(owner, ref)] = person_id
    return found


def insert_many(conn: sa.Connection, made: Sequence[tuple[Person, str | None]]) -> None:
    """Store new persons with their references (and note them for the name indexes)."""
    envelopes = [records_store.rows_of(person.envelope) for person, _ in made]
    insert_rows(conn, records, [row for row, _ in envelopes])
    insert_rows(conn, record_audience, [code for _, codes in envelopes for code in codes])
    insert_rows(conn, persons, [row_of(person, ref) for person, ref in made])
    insert_rows(conn, person_changes, [{"person_id": person.id} for person, _ in made])
