"""The group writer handles the events that reads left, in the commit that writes them."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import make_user
from vigil.access.actors import Actor
from vigil.alerts.handlers import on_record_shared
from vigil.audit import service as audit
from vigil.audit.group_commit import _READS_MAX, GroupWriter
from vigil.events import Event
from vigil.records.events import RecordShared
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, audit_log, outbox
from vigil.storage.tables import members as member_table
from vigil.storage.uow import UnitOfWork


@dataclasses.dataclass(frozen=True, kw_only=True)
class Broken(Event):
    type = "test.group-writer-broken"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Probe(Event):
    type = "test.group-writer-probe"
    name: str


def _explode(uow: UnitOfWork, event: Event, event_id: str) -> None:
    raise ValueError("handler broke")


class Threads:
    """A handler noting the thread that handled each probe; a probe named "hold" waits there
    (its commit is being written) until ``release`` is set."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}
        self.holding = threading.Event()
        self.release = threading.Event()

    def __call__(self, uow: UnitOfWork, event: Event, event_id: str) -> None:
        assert isinstance(event, Probe)
        self.seen[event.name] = threading.current_thread().name
        if event.name == "hold":
            self.holding.set()
            assert self.release.wait(timeout=10)


@pytest.fixture
def probed(quiet_db: tuple[Database, list[str]]) -> tuple[Database, Threads]:
    db, _ = quiet_db
    db.group_writer.stop()
    threads = Threads()
    db.attach_group_writer(GroupWriter(db, batch_max=8, handlers={Probe.type: [threads]}))
    return db, threads


@pytest.fixture
def quiet_db(serving_db: Database) -> tuple[Database, list[str]]:
    """A serving database whose dispatcher never handles anything (it records being asked),
    so that whatever gets handled was handled by the group writer."""
    asked: list[str] = []
    serving_db.dispatcher.drain = lambda: asked.append("drain") or 0
    serving_db.dispatcher.wake = lambda: asked.append("wake")
    return serving_db, asked


def _read(db: Database, *events: Event, reader: Actor | None = None) -> None:
    """A reading unit with an audit entry: it and the events go through the group writer."""
    actor = reader or make_user(db, "FRA").actor
    with UnitOfWork(db, write=False) as uow:
        uow.audit(actor, "test.read")
        for event in events:
            uow.emit(event)


def _outbox(db: Database) -> list[sa.Row[tuple[str, object, int, str | None]]]:
    query = sa.select(outbox.c.type, outbox.c.handled_at, outbox.c.attempts, outbox.c.last_error)
    with db.engine.connect() as conn:
        return list(conn.execute(query.order_by(outbox.c.seq)))


def _alerted(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.scalars(sa.select(alerts.c.member)))


def test_events_of_a_read_are_handled_in_its_own_commit_not_by_the_dispatcher(
    quiet_db: tuple[Database, list[str]],
) -> None:
    db, asked = quiet_db
    _read(db, RecordShared(record_id="r", owner="FRA", kind="k", title="t", members=["DEU", "ESP"]))
    # Nothing else ran: the read returned once its commit, which carried the handling, did.
    assert _alerted(db) == {"DEU", "ESP"}
    [row] = _outbox(db)
    assert row.handled_at is not None and row.attempts == 1
    assert asked == []
    assert audit.verify(db).ok


def test_a_failing_handler_leaves_its_event_for_retry_and_the_others_handled(
    quiet_db: tuple[Database, list[str]],
) -> None:
    db, _ = quiet_db
    db.group_writer.stop()
    handlers = {RecordShared.type: [on_record_shared], Broken.type: [_explode]}
    db.attach_group_writer(GroupWriter(db, batch_max=8, handlers=handlers))
    _read(
        db,
        RecordShared(record_id="a", owner="FRA", kind="k", title="t", members=["DEU"]),
        Broken(),
        RecordShared(record_id="b", owner="FRA", kind="k", title="t", members=["ESP"]),
    )
    assert _alerted(db) == {"DEU", "ESP"}
    shared_a, broken, shared_b = _outbox(db)
    assert shared_a.handled_at is not None and shared_b.handled_at is not None
    assert broken.handled_at is None and broken.attempts == 1
    assert "handler broke" in (broken.last_error or "")


def test_events_past_one_commits_share_are_handled_in_the_commits_after(
    quiet_db: tuple[Database, list[str]],
) -> None:
    db, _ = quiet_db
    with db.engine.connect() as conn:  # more events than one commit handles
        members = list(conn.scalars(sa.select(member_table.c.code).order_by("code").limit(40)))
    assert len(members) == 40
    shared = [
        RecordShared(record_id=m, owner="FRA", kind="k", title="t", members=[m]) for m in members
    ]
    _read(db, *shared)
    db.group_writer.stop()  # the rest is handled before the writer lets go
    assert _alerted(db) == set(members)
    rows = _outbox(db)
    assert len(rows) == 40 and all(row.handled_at is not None for row in rows)
    assert all(row.attempts == 1 for row in rows)
    assert audit.verify(db).ok


def test_a_lone_read_writes_its_own_commit_in_its_own_thread(
    probed: tuple[Database, Threads],
) -> None:
    db, threads = probed
    _read(db, Probe(name="lone"))
    # No hand-over to the writer's thread and back: that cost a lone check a third of its time.
    assert threads.seen == {"lone": threading.current_thread().name}
    assert audit.verify(db).ok


def test_a_read_waits_for_the_commit_being_written_then_goes_in_the_writers_next(
    probed: tuple[Database, Threads],
) -> None:
    db, threads = probed
    reader = make_user(db, "FRA").actor  # made before: adding a user waits for the writer too
    with ThreadPoolExecutor(2, thread_name_prefix="request") as pool:
        first = pool.submit(_read, db, Probe(name="hold"), reader=reader)
        assert threads.holding.wait(timeout=10)
        second = pool.submit(_read, db, Probe(name="queued"), reader=reader)
        with pytest.raises(TimeoutError):
            second.result(timeout=0.2)  # one batch is written at a time
        threads.release.set()
        first.result(timeout=10)
        second.result(timeout=10)
    assert threads.seen["hold"].startswith("request")
    assert threads.seen["queued"] == "vigil-audit"
    rows = _outbox(db)
    assert len(rows) == 2 and all(row.handled_at is not None for row in rows)
    assert audit.verify(db).ok


def test_a_stopped_writer_refuses_a_batch_rather_than_leave_it_waiting(
    serving_db: Database,
) -> None:
    writer = serving_db.group_writer
    writer.stop()
    with pytest.raises(RuntimeError, match="stopped"):
        writer.write([])
    with pytest.raises(RuntimeError, match="stopped"):
        writer.submit([])
    with pytest.raises(RuntimeError, match="stopped"):
        writer.run(lambda uow: None)
    with pytest.raises(RuntimeError, match="stopped"):
        writer.call(lambda uow: None)


def _actions(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.scalars(sa.select(audit_log.c.action).order_by(audit_log.c.seq)))


def test_a_handed_over_read_answers_once_its_audit_entry_and_events_are_committed(
    quiet_db: tuple[Database, list[str]],
) -> None:
    db, asked = quiet_db
    actor = make_user(db, "FRA").actor
    shared = RecordShared(record_id="r", owner="FRA", kind="k", title="t", members=["DEU"])

    def read(uow: UnitOfWork) -> str:
        uow.audit(actor, "test.read")
        uow.emit(shared)
        return "answer"

    assert db.group_writer.run(read).result(timeout=10) == "answer"
    # Read, audited and handled in the writer's commit, before the answer was given.
    assert _actions(db)[-1] == "test.read"
    assert _alerted(db) == {"DEU"}
    [row] = _outbox(db)
    assert row.handled_at is not None and row.attempts == 1
    assert asked == []
    assert audit.verify(db).ok


def _where_read(actor: Actor) -> Callable[[UnitOfWork], tuple[int, str]]:
    """A read that audits and tells the connection it read on and the thread that ran it."""

    def read(uow: UnitOfWork) -> tuple[int, str]:
        uow.audit(actor, "test.read")
        return id(uow.conn), threading.current_thread().name

    return read


def test_a_handed_over_read_runs_on_the_writers_connection_in_its_transaction(
    serving_db: Database,
) -> None:
    writer = serving_db.group_writer
    read = _where_read(make_user(serving_db, "FRA").actor)

    first, thread = writer.run(read).result(timeout=10)
    second, _ = writer.run(read).result(timeout=10)
    # The same connection each time (its page cache outlives its own commits), on the thread.
    assert first == second and thread == "vigil-audit"
    assert _actions(serving_db)[-2:] == ["test.read", "test.read"]


def test_a_read_that_raises_is_undone_alone_and_its_caller_gets_the_error(
    serving_db: Database,
) -> None:
    actor = make_user(serving_db, "FRA").actor
    writer = serving_db.group_writer

    def good(name: str) -> Callable[[UnitOfWork], str]:
        def read(uow: UnitOfWork) -> str:
            uow.audit(actor, f"test.{name}")
            return name

        return read

    def refused(uow: UnitOfWork) -> str:
        uow.audit(actor, "test.refused")
        uow.emit(RecordShared(record_id="r", owner="FRA", kind="k", title="t", members=["DEU"]))
        uow.conn.execute(sa.delete(member_table).where(member_table.c.code == "DEU"))  # undone
        raise ValueError("refused")

    with writer._writing:  # held: the three go in one batch
        futures = [writer.run(good("before")), writer.run(refused), writer.run(good("after"))]
    assert futures[0].result(timeout=10) == "before"
    with pytest.raises(ValueError, match="refused"):
        futures[1].result(timeout=10)
    assert futures[2].result(timeout=10) == "after"
    assert _actions(serving_db)[-2:] == ["test.before", "test.after"]
    assert _outbox(serving_db) == [] and _alerted(serving_db) == set()
    with serving_db.engine.connect() as conn:
        assert conn.scalar(sa.select(member_table.c.code).where(member_table.c.code == "DEU"))
    assert audit.verify(serving_db).ok


def test_a_call_runs_in_the_callers_thread_when_no_batch_is_being_written(
    serving_db: Database,
) -> None:
    writer = serving_db.group_writer
    read = _where_read(make_user(serving_db, "FRA").actor)

    connection, thread = writer.call(read)
    # No hand-over to the writer's thread and back, and the writer's own connection.
    assert thread == threading.current_thread().name
    assert writer.run(read).result(timeout=10)[0] == connection
    assert _actions(serving_db)[-2:] == ["test.read", "test.read"]
    with pytest.raises(ValueError, match="refused"):
        writer.call(lambda uow: (_ for _ in ()).throw(ValueError("refused")))
    assert audit.verify(serving_db).ok


def test_a_call_waits_for_the_batch_being_written_then_goes_in_the_writers_next(
    serving_db: Database,
) -> None:
    writer = serving_db.group_writer
    with ThreadPoolExecutor(1, thread_name_prefix="request") as pool:
        with writer._writing:  # a batch is being written
            called = pool.submit(writer.call, lambda uow: threading.current_thread().name)
            with pytest.raises(TimeoutError):
                called.result(timeout=0.2)
        assert called.result(timeout=10) == "vigil-audit"


def test_a_batch_runs_a_bounded_number_of_handed_over_reads(serving_db: Database) -> None:
    writer = serving_db.group_writer
    batches: list[int] = []
    append = writer._append

    def counted(entries: Any, events: Any, reads: list[Any]) -> list[Any]:
        batches.append(len(reads))
        results: list[Any] = append(entries, events, reads)
        return results

    writer._append = counted
    with writer._writing:  # held while they queue
        futures = [writer.run(lambda uow, n=n: n) for n in range(_READS_MAX * 2 + 1)]
    assert [f.result(timeout=10) for f in futures] == list(range(_READS_MAX * 2 + 1))
    # The writer lock (across a server's processes) is held while a batch's reads run.
    assert max(batches) == _READS_MAX and sum(batches) == _READS_MAX * 2 + 1
