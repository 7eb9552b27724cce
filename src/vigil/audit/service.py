"""Reading the audit trail: who touched a record, and whether the chain is whole."""

from __future__ import annotations

from collections.abc import Callable

from vigil.access.actors import Actor
from vigil.audit import store
from vigil.audit.models import AuditView, Verification
from vigil.audit.verify import verify_chain
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import Forbidden, InvalidInput
from vigil.records import service as records
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork


def record_trail(
    uow: UnitOfWork, *, actor: Actor, record_id: str, page: PageRequest
) -> Page[AuditView]:
    """Who read, searched, changed or screened against a record: for its owner only.

    Raises:
        NotFound: the actor may not see the record.
        Forbidden: the actor's member does not own it.
    """
    actor.require("audit.read")
    record = records.visible(uow, actor=actor, record_id=record_id)
    if record.owner != actor.member:
        raise Forbidden("Only the member that owns a record may see who touched it.")
    before = _seq(page.after)
    rows = store.about_record(uow.conn, record_id, before_seq=before, limit=page.limit + 1)
    result = page_of(rows, page, key=lambda e: str(e.seq))
    uow.audit(actor, "audit.read", records=[record_id], results=[e.id for e in result.items])
    return result


def verify(db: Database, progress: Callable[[int], None] | None = None) -> Verification:
    """Walk the whole chain (an operator's check; reads only)."""
    with db.engine.connect() as conn, conn.begin():
        return verify_chain(store.walk(conn), store.head(conn), progress)


def _seq(after: str | None) -> int | None:
    if after is None:
        return None
    try:
        return int(after)
    except ValueError:
        raise InvalidInput("The cursor is not one this service gave out.") from None
