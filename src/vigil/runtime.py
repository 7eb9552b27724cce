"""Opening the database with what runs beside it: the audit group writer and the dispatcher."""

from __future__ import annotations

from vigil import settings
from vigil.audit.group_commit import GroupWriter
from vigil.events.dispatcher import Dispatcher
from vigil.events.registry import HANDLERS
from vigil.storage.checkpoint import Checkpointer
from vigil.storage.engine import Database


def open_database(url: str | None = None, *, serving: bool, audit_enabled: bool = True) -> Database:
    """A database for a server (background threads) or for a command or test (inline).

    A server batches read audit entries through the group writer, which also handles the
    events those reads left, and handles other events on the dispatcher's thread; a command
    writes its few audit entries directly and handles events before it returns, so nothing
    it did waits for a server to pick it up.
    """
    db = Database.from_url(url or settings.DATABASE_URL, audit_enabled=audit_enabled)
    if serving:
        db.attach_group_writer(
            GroupWriter(db, batch_max=settings.AUDIT_BATCH_MAX, handlers=HANDLERS)
        )
        if db.dialect == "sqlite":
            db.attach_checkpointer(Checkpointer(db, seconds=settings.SQLITE_CHECKPOINT_SECONDS))
    db.attach_dispatcher(
        Dispatcher(db, HANDLERS, inline=not serving, poll_seconds=settings.OUTBOX_POLL_SECONDS)
    )
    return db
