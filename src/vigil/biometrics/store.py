"""SQL of biometric templates, kept images, searches and decisions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from vigil.biometrics.models import (
    Candidate,
    Decision,
    ExaminerDecision,
    Modality,
    Search,
    Template,
)
from vigil.storage.dialect import placeholder
from vigil.storage.tables import (
    biometric_changes,
    biometric_decisions,
    biometric_images,
    biometric_searches,
    biometric_templates,
)

_BATCH = 5_000


def insert_template(
    conn: sa.Connection, template: Template, data: bytes, image: tuple[str, bytes] | None
) -> None:
    conn.execute(
        biometric_templates.insert().values(
            id=template.id,
            person_id=template.person_id,
            modality=template.modality.value,
            finger=template.finger,
            data=data,
            quality=template.quality,
            source=template.source,
            created_at=template.created_at,
            created_by=template.created_by,
        )
    )
    if image is not None:
        media_type, content = image
        conn.execute(
            biometric_images.insert().values(
                template_id=template.id, media_type=media_type, data=content
            )
        )
    changed(conn, [template.id])


def delete_template(conn: sa.Connection, template_id: str, at: datetime) -> None:
    """Mark the template deleted and drop its image (nothing of the face or print is kept)."""
    conn.execute(biometric_images.delete().where(biometric_images.c.template_id == template_id))
    conn.execute(
        biometric_templates.update()
        .where(biometric_templates.c.id == template_id)
        .values(deleted_at=at, data=b"")
    )
    changed(conn, [template_id])


def changed(conn: sa.Connection, template_ids: Sequence[str]) -> None:
    """Note writes to these templates: every process's vector index reads them again."""
    if template_ids:
        conn.execute(biometric_changes.insert(), [{"template_id": i} for i in template_ids])


def templates_of(conn: sa.Connection, person_id: str) -> list[Template]:
    query = (
        sa.select(*_TEMPLATE_COLUMNS, biometric_images.c.template_id.label("kept"))
        .outerjoin(biometric_images, biometric_images.c.template_id == biometric_templates.c.id)
        .where(biometric_templates.c.person_id == person_id)
        .where(biometric_templates.c.deleted_at.is_(None))
        .order_by(biometric_templates.c.seq)
    )
    return [_template(row) for row in conn.execute(query)]


def get_template(conn: sa.Connection, template_id: str) -> Template | None:
    query = (
        sa.select(*_TEMPLATE_COLUMNS, biometric_images.c.template_id.label("kept"))
        .outerjoin(biometric_images, biometric_images.c.template_id == biometric_templates.c.id)
        .where(biometric_templates.c.id == template_id)
        .where(biometric_templates.c.deleted_at.is_(None))
    )
    row = conn.execute(query).first()
    return None if row is None else _template(row)


def image_of(conn: sa.Connection, template_id: str) -> tuple[str, bytes] | None:
    query = sa.select(biometric_images.c.media_type, biometric_images.c.data).where(
        biometric_images.c.template_id == template_id
    )
    row = conn.execute(query).first()
    return None if row is None else (str(row.media_type), bytes(row.data))


def kept_images(conn: sa.Connection, template_ids: Sequence[str]) -> set[str]:
    if not template_ids:
        return set()
    query = sa.select(biometric_images.c.template_id).where(
        biometric_images.c.template_id.in_(list(template_ids))
    )
    return {str(t) for t in conn.execute(query).scalars()}


# ---- the rows the vector indexes are built from ----------------------------------------------


def last_change(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.max(biometric_changes.c.seq))).scalar() or 0)


def changes_after(conn: sa.Connection, seq: int, limit: int = 50_000) -> list[tuple[int, str]]:
    """Template changes past ``seq``, oldest first (through the driver: every search asks)."""
    m = placeholder(conn.dialect)
    sql = (
        "SELECT seq, template_id FROM biometric_changes "
        f"WHERE seq > {m} ORDER BY seq LIMIT {int(limit)}"
    )
    return [(int(s), str(i)) for s, i in conn.exec_driver_sql(sql, (seq,))]


def rows_for(conn: sa.Connection, template_ids: Sequence[str]) -> dict[str, Any]:
    """Index rows of these templates by id; deleted ones are absent."""
    found: dict[str, Any] = {}
    for start in range(0, len(template_ids), 900):
        chunk = list(template_ids[start : start + 900])
        query = sa.select(*_INDEX_COLUMNS).where(
            biometric_templates.c.id.in_(chunk), biometric_templates.c.deleted_at.is_(None)
        )
        found.update({row.id: row for row in conn.execute(query)})
    return found


def iter_rows(conn: sa.Connection, modality: Modality) -> Iterator[Any]:
    """Every live template of a modality, in batches (memory stays flat as the index fills)."""
    after = 0
    while True:
        query = (
            sa.select(*_INDEX_COLUMNS)
            .where(
                biometric_templates.c.modality == modality.value,
                biometric_templates.c.deleted_at.is_(None),
                biometric_templates.c.seq > after,
            )
            .order_by(biometric_templates.c.seq)
            .limit(_BATCH)
        )
        rows = conn.execute(query).all()
        yield from rows
        if len(rows) < _BATCH:
            return
        after = rows[-1].seq


# ---- searches and decisions ----------------------------------------------------------------


def insert_search(conn: sa.Connection, search: Search, actor: str) -> None:
    conn.execute(
        biometric_searches.insert().values(
            id=search.id,
            modality=search.modality.value,
            member=search.member,
            actor=actor,
            created_at=search.created_at,
            candidates=[c.model_dump(mode="json", exclude={"decision"}) for c in search.candidates],
        )
    )


def get_search(conn: sa.Connection, search_id: str) -> Search | None:
    row = conn.execute(
        sa.select(biometric_searches).where(biometric_searches.c.id == search_id)
    ).first()
    if row is None:
        return None
    decisions = decisions_of(conn, search_id)
    decided = {d.person_id: d.decision for d in decisions}
    candidates = [
        Candidate.model_validate({**c, "decision": decided.get(c["person_id"])})
        for c in row.candidates
    ]
    return Search(
        id=row.id,
        modality=Modality(row.modality),
        member=row.member,
        created_at=row.created_at,
        candidates=candidates,
        decisions=decisions,
    )


def insert_decision(conn: sa.Connection, decision: ExaminerDecision) -> None:
    conn.execute(biometric_decisions.insert().values(**decision.model_dump()))


def decisions_of(conn: sa.Connection, search_id: str) -> list[ExaminerDecision]:
    query = (
        sa.select(biometric_decisions)
        .where(biometric_decisions.c.search_id == search_id)
        .order_by(biometric_decisions.c.seq)
    )
    return [
        ExaminerDecision(
            search_id=r.search_id,
            person_id=r.person_id,
            decision=Decision(r.decision),
            note=r.note,
            examiner=r.examiner,
            member=r.member,
            decided_at=r.decided_at,
            hit_id=r.hit_id,
        )
        for r in conn.execute(query)
    ]


_TEMPLATE_COLUMNS = (
    biometric_templates.c.id,
    biometric_templates.c.person_id,
    biometric_templates.c.modality,
    biometric_templates.c.finger,
    biometric_templates.c.quality,
    biometric_templates.c.source,
    biometric_templates.c.created_at,
    biometric_templates.c.created_by,
)
_INDEX_COLUMNS = (
    biometric_templates.c.seq,
    biometric_templates.c.id,
    biometric_templates.c.person_id,
    biometric_templates.c.modality,
    biometric_templates.c.finger,
    biometric_templates.c.data,
)


def _template(row: Any) -> Template:
    return Template(
        id=row.id,
        person_id=row.person_id,
        modality=Modality(row.modality),
        finger=row.finger,
        quality=row.quality,
        source=row.source,
        image_kept=row.kept is not None,
        created_at=row.created_at,
        created_by=row.created_by,
    )
