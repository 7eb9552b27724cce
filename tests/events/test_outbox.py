from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from tests.conftest import Officer, make_record
from vigil.access.envelope import Audience
from vigil.alerts.handlers import on_record_shared
from vigil.events import Event, decode
from vigil.events import store as outbox_store
from vigil.events.dispatcher import Dispatcher
from vigil.records.events import RecordShared
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, audit_log, outbox
from vigil.storage.uow import UnitOfWork


def _count(db: Database, table: sa.Table) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def test_rolled_back_request_publishes_no_event_and_writes_no_alert(
    db: Database, fra: Officer
) -> None:
    woken = []
    db.dispatcher.wake = lambda: woken.append(True)
    with pytest.raises(RuntimeError), UnitOfWork(db, write=True) as uow:
        uow.emit(RecordShared(record_id="r", owner="FRA", kind="k", title="t", members=["DEU"]))
        uow.audit(fra.actor, "test.write")
        uow.after_commit(lambda: woken.append(True))
        raise RuntimeError("the request failed")
    assert woken == []
    assert _count(db, outbox) == 0
    assert _count(db, alerts) == 0
    assert _count(db, audit_log) == 1  # only make_user's entry


def test_committed_event_alerts_every_member_in_the_audience(db: Database, fra: Officer) -> None:
    make_record(db, fra, audience=Audience.only("DEU", "ESP"), announce=True)
    with db.engine.connect() as conn:
        members = set(conn.scalars(sa.select(alerts.c.member)))
        handled = conn.scalar(sa.select(outbox.c.handled_at))
    assert members == {"DEU", "ESP"}
    assert handled is not None


def test_replayed_event_does_not_alert_twice(db: Database, fra: Officer) -> None:
    make_record(db, fra, audience=Audience.only("DEU"), announce=True)
    with db.engine.begin() as conn:
        row = conn.execute(sa.select(outbox)).one()
        conn.execute(outbox.update().values(handled_at=None))  # as if the ack was lost
    assert db.dispatcher.drain() == 1
    with UnitOfWork(db, write=True) as uow:  # and a second delivery, by hand
        on_record_shared(uow, decode(row.type, row.payload), row.id)
    assert _count(db, alerts) == 1


def test_failing_handler_keeps_the_event_for_retry_and_records_why(db: Database) -> None:
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Boom(Event):
        type = "test.boom"

    def explode(uow: UnitOfWork, event: Event, event_id: str) -> None:
        raise ValueError("handler broke")

    dispatcher = Dispatcher(db, {Boom.type: [explode]}, inline=True)
    with UnitOfWork(db, write=True, dispatch=False) as uow:
        uow.emit(Boom())
    assert dispatcher.drain() == 0
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(outbox)).one()
    assert row.handled_at is None
    assert row.attempts == 1
    assert "handler broke" in row.last_error
    with db.engine.connect() as conn:
        assert outbox_store.pending_seqs(conn, limit=10) == [row.seq]


@pytest.mark.parametrize("fixture", ["db", "serving_db"])
def test_read_only_unit_commits_its_events_with_its_audit(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    database: Database = request.getfixturevalue(fixture)
    before = _count(database, outbox)
    with UnitOfWork(database, write=False, dispatch=False) as uow:
        uow.emit(RecordShared(record_id="r", owner="FRA", kind="k", title="t", members=[]))
    assert _count(database, outbox) == before + 1


def test_read_only_unit_that_fails_leaves_no_event(db: Database) -> None:
    with pytest.raises(ValueError), UnitOfWork(db, write=False) as uow:
        uow.emit(RecordShared(record_id="r", owner="FRA", kind="k", title="t", members=[]))
        raise ValueError("the request failed")
    assert _count(db, outbox) == 0


def test_background_dispatcher_handles_events_soon_after_commit(serving_db: Database) -> None:
    import time

    from tests.conftest import make_user

    owner = make_user(serving_db, "FRA")
    make_record(serving_db, owner, audience=Audience.only("DEU"), announce=True)
    deadline = time.monotonic() + 5
    while _count(serving_db, alerts) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _count(serving_db, alerts) == 1


def test_an_events_payload_is_what_dataclasses_asdict_gives() -> None:
    import dataclasses

    from vigil.documents.events import DocumentHit
    from vigil.records.events import RecordShared

    flat = DocumentHit(
        hit_id="h", match="hit", record_id="r", owner="DEU", checking_member="FRA",
        checked_by="u", checked_by_role="frontline", checked_at="2026-12-02T00:00:00+00:00",
        number="X1", issuing_state="DEU", document_type="passport", status="stolen",
    )  # fmt: skip
    nested = RecordShared(record_id="r", owner="FRA", kind="k", title="t", members=["DEU"])
    for event in (flat, nested):
        assert event.payload() == dataclasses.asdict(event)
    assert nested.payload()["members"] is not nested.members  # copied, as asdict copies
