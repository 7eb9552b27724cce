"""SQL of person records, and the rows the name index is built from."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from vigil.access.envelope import Audience, AudienceKind, Envelope
from vigil.persons.entries import Entry, NoticeLink, entry_of
from vigil.persons.matching import identifier_key
from vigil.persons.models import Category, Name, Person, PersonDetails
from vigil.records import store as records_store
from vigil.storage.dialect import fetch_all, placeholder
from vigil.storage.tables import (
    person_changes,
    person_notices,
    persons,
    record_audience,
    records,
)

_BATCH = 5_000


def row_of(person: Person, ref: str | None = None) -> dict[str, Any]:
    return {
        "id": person.id,
        "primary_name": person.primary_name[:300],
        "names": [n.model_dump(exclude_none=True) for n in person.names],
        "birth_date": person.birth_date,
        "sex": person.sex,
        "nationalities": list(person.nationalities),
        "category": person.category.value,
        "details": person.details.model_dump(exclude_defaults=True),
        "ref": ref,
    }


def insert(conn: sa.Connection, person: Person, ref: str | None = None) -> None:
    records_store.insert(conn, person.envelope)
    conn.execute(persons.insert().values(**row_of(person, ref)))
    changed(conn, [person.id])


def update(conn: sa.Connection, person: Person) -> None:
    values = row_of(person)
    del values["id"], values["ref"]
    conn.execute(persons.update().where(persons.c.id == person.id).values(values))
    records_store.update(conn, person.envelope)
    changed(conn, [person.id])


def changed(conn: sa.Connection, person_ids: Sequence[str]) -> None:
    """Note writes to these persons: every process's name index reads them again."""
    conn.execute(person_changes.insert(), [{"person_id": i} for i in person_ids])


def get(conn: sa.Connection, person_id: str) -> Person | None:
    row = conn.execute(sa.select(persons).where(persons.c.id == person_id)).first()
    if row is None:
        return None
    envelope = records_store.get(conn, person_id)
    assert envelope is not None  # the foreign key holds it
    return _person(row, envelope)


def get_many(conn: sa.Connection, person_ids: Sequence[str]) -> dict[str, Person]:
    if not person_ids:
        return {}
    rows = conn.execute(sa.select(persons).where(persons.c.id.in_(list(person_ids)))).all()
    envelopes = records_store.get_many(conn, [row.id for row in rows])
    return {row.id: _person(row, envelopes[row.id]) for row in rows}


def list_visible(
    conn: sa.Connection,
    visible: sa.ColumnElement[bool],
    *,
    category: str | None,
    owner: str | None,
    after: str | None,
    limit: int,
) -> list[Person]:
    """Persons passing ``visible`` (the SQL access rule), newest first."""
    query = sa.select(persons).join(records, records.c.id == persons.c.id).where(visible)
    if category is not None:
        query = query.where(persons.c.category == category)
    if owner is not None:
        query = query.where(records.c.owner == owner)
    if after is not None:
        query = query.where(persons.c.id < after)
    rows = conn.execute(query.order_by(persons.c.id.desc()).limit(limit)).all()
    envelopes = records_store.get_many(conn, [row.id for row in rows])
    return [_person(row, envelopes[row.id]) for row in rows]


def _person(row: sa.Row[Any], envelope: Envelope) -> Person:
    return Person(
        id=row.id,
        names=[Name.model_validate(n) for n in row.names],
        birth_date=row.birth_date,
        sex=row.sex,
        nationalities=list(row.nationalities),
        category=Category(row.category),
        details=PersonDetails.model_validate(row.details),
        envelope=envelope,
    )


# ---- the rows the name index is made of ---------------------------------------------------


def last_change(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.max(person_changes.c.seq))).scalar() or 0)


def change_at(conn: sa.Connection, seq: int) -> str | None:
    """The person the change ``seq`` was about (snapshots check they belong to this store)."""
    if seq == 0:
        return None
    query = sa.select(person_changes.c.person_id).where(person_changes.c.seq == seq)
    found = conn.execute(query).scalar()
    return None if found is None else str(found)


def changes_after(conn: sa.Connection, seq: int, limit: int = 50_000) -> list[tuple[int, str]]:
    """Person changes past ``seq``, oldest first. Through the driver: every screening asks,
    and nearly always the answer is none."""
    m = placeholder(conn.dialect)
    sql = (
        f"SELECT seq, person_id FROM person_changes WHERE seq > {m} ORDER BY seq LIMIT {int(limit)}"
    )
    return [(int(s), str(i)) for s, i in fetch_all(conn, sql, (seq,))]


_ENTRY_COLUMNS = (
    persons.c.id,
    persons.c.names,
    persons.c.birth_date,
    persons.c.sex,
    persons.c.nationalities,
    persons.c.category,
    persons.c.details,
    records.c.owner,
    records.c.audience_kind,
    records.c.review_by,
)


def entries(conn: sa.Connection, person_ids: Sequence[str]) -> list[Entry]:
    """Index entries of these persons, leaving out deleted ones."""
    found: list[Entry] = []
    for start in range(0, len(person_ids), 900):
        chunk = list(person_ids[start : start + 900])
        found.extend(_entries(conn, persons.c.id.in_(chunk)))
    return found


def iter_entries(conn: sa.Connection) -> Iterator[Entry]:
    """Every live person's index entry, in batches (memory stays flat while the index fills)."""
    after = ""
    while True:
        batch = _entries(conn, persons.c.id > after, limit=_BATCH)
        yield from batch
        if len(batch) < _BATCH:
            return
        after = batch[-1].id


def _entries(
    conn: sa.Connection, where: sa.ColumnElement[bool], limit: int | None = None
) -> list[Entry]:
    query = (
        sa.select(*_ENTRY_COLUMNS)
        .join(records, records.c.id == persons.c.id)
        .where(where, records.c.deleted_at.is_(None))
        .order_by(persons.c.id)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    links = _notice_links(conn, [row.id for row in rows])
    restricted = [row.id for row in rows if row.audience_kind != AudienceKind.ALL.value]
    codes = _audience_codes(conn, restricted)
    return [_entry(row, codes.get(row.id, []), links.get(row.id, [])) for row in rows]


def _audience_codes(conn: sa.Connection, record_ids: Sequence[str]) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for start in range(0, len(record_ids), 900):
        chunk = list(record_ids[start : start + 900])
        query_codes = sa.select(record_audience).where(record_audience.c.record_id.in_(chunk))
        for ref in conn.execute(query_codes.order_by(record_audience.c.code)):
            codes.setdefault(ref.record_id, []).append(ref.code)
    return codes


def _notice_links(conn: sa.Connection, person_ids: Sequence[str]) -> dict[str, list[NoticeLink]]:
    """The notices in force about these persons, with their envelopes' access parts (few
    persons have any: one query per batch, through the index on person_notices' key)."""
    rows: list[Any] = []
    for start in range(0, len(person_ids), 900):
        chunk = list(person_ids[start : start + 900])
        query = (
            sa.select(
                person_notices.c.person_id,
                person_notices.c.notice_type,
                records.c.id,
                records.c.owner,
                records.c.audience_kind,
                records.c.review_by,
                records.c.title,
            )
            .join(records, records.c.id == person_notices.c.notice_id)
            .where(person_notices.c.person_id.in_(chunk), records.c.deleted_at.is_(None))
            .order_by(records.c.id)
        )
        rows.extend(conn.execute(query).all())
    codes = _audience_codes(conn, [r.id for r in rows if r.audience_kind != AudienceKind.ALL.value])
    links: dict[str, list[NoticeLink]] = {}
    for r in rows:
        audience = Audience.model_construct(
            kind=AudienceKind(r.audience_kind), codes=tuple(codes.get(r.id, []))
        )
        links.setdefault(r.person_id, []).append(
            NoticeLink(r.id, r.notice_type, r.owner, audience, r.review_by, r.title)
        )
    return links


def link_notice(conn: sa.Connection, person_id: str, notice_id: str, notice_type: str) -> None:
    conn.execute(
        person_notices.delete().where(
            person_notices.c.person_id == person_id, person_notices.c.notice_id == notice_id
        )
    )
    conn.execute(
        person_notices.insert().values(
            person_id=person_id, notice_id=notice_id, notice_type=notice_type
        )
    )
    changed(conn, [person_id])


def unlink_notice(conn: sa.Connection, notice_id: str) -> None:
    query = sa.select(person_notices.c.person_id).where(person_notices.c.notice_id == notice_id)
    person_ids = [str(p) for p in conn.execute(query).scalars()]
    if person_ids:
        conn.execute(person_notices.delete().where(person_notices.c.notice_id == notice_id))
        changed(conn, person_ids)


def _entry(row: Any, codes: list[str], links: list[NoticeLink]) -> Entry:
    details = row.details or {}
    identifiers = [identifier_key(i["number"]) for i in details.get("identifiers", [])]
    return entry_of(
        record_id=row.id,
        owner=row.owner,
        audience=Audience.model_construct(kind=AudienceKind(row.audience_kind), codes=tuple(codes)),
        review_by=row.review_by,
        category=row.category,
        names=[n["full"] for n in row.names],
        birth_date=row.birth_date,
        birth_date_to=details.get("birth_date_to"),
        sex=row.sex,
        nationalities=row.nationalities,
        identifiers=identifiers,
        notices=links,
    )
