"""Who touched a record, for its owner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vigil.api.deps import ActorDep, DbDep, PageDep, reading
from vigil.api.schemas import PageOut
from vigil.audit import service as audit
from vigil.audit.models import AuditView

router = APIRouter(prefix="/api/v1", tags=["audit"])


@router.get("/audit")
def record_trail(
    record: Annotated[str, Query(description="The record's id.")],
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
) -> PageOut[AuditView]:
    """Audit entries naming a record, newest first (its owner only)."""
    with reading(db) as uow:
        return PageOut.of(audit.record_trail(uow, actor=actor, record_id=record, page=page))
