from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import Officer, make_record, make_user
from vigil.access.envelope import Audience
from vigil.audit import service as audit
from vigil.core.pagination import page_request
from vigil.storage.engine import Database
from vigil.storage.tables import audit_log


def _fill(db: Database, client: TestClient, fra: Officer, deu: Officer) -> str:
    record = make_record(db, fra, audience=Audience.everyone())
    for _ in range(3):
        assert client.get(f"/api/v1/records/{record.id}", headers=deu.headers).status_code == 200
    return record.id


def test_chain_of_a_working_system_verifies(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    _fill(db, client, fra, deu)
    result = audit.verify(db)
    assert result.ok
    assert result.checked >= 6


def test_editing_any_entry_is_detected_and_named(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    _fill(db, client, fra, deu)
    with db.engine.begin() as conn:
        victim = conn.execute(sa.select(audit_log).where(audit_log.c.seq == 4)).one()
        conn.execute(audit_log.update().where(audit_log.c.seq == 4).values(member="ITA"))
    result = audit.verify(db)
    assert not result.ok
    assert result.bad_id == victim.id
    assert "edited" in (result.reason or "")


def test_deleting_an_entry_is_detected_at_the_next_one(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    _fill(db, client, fra, deu)
    with db.engine.begin() as conn:
        following = conn.execute(sa.select(audit_log.c.id).where(audit_log.c.seq == 4)).scalar()
        conn.execute(sa.text("DELETE FROM audit_record_refs WHERE seq = 3"))
        conn.execute(audit_log.delete().where(audit_log.c.seq == 3))
    result = audit.verify(db)
    assert not result.ok
    assert result.bad_id == following
    assert result.bad_seq == 4


def test_deleting_the_last_entries_is_detected(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    _fill(db, client, fra, deu)
    with db.engine.begin() as conn:
        last = conn.execute(sa.select(sa.func.max(audit_log.c.seq))).scalar()
        conn.execute(sa.text(f"DELETE FROM audit_record_refs WHERE seq = {last}"))
        conn.execute(audit_log.delete().where(audit_log.c.seq == last))
    result = audit.verify(db)
    assert not result.ok
    assert result.bad_seq == last


def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_next_link(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    from vigil.audit.models import ChainedEntry, entry_hash

    _fill(db, client, fra, deu)
    with db.engine.begin() as conn:
        row = conn.execute(sa.select(audit_log).where(audit_log.c.seq == 2)).one()
        forged = ChainedEntry(
            **{
                **row._asdict(),
                "member": "ITA",
                "record_ids": tuple(row.record_ids),
                "result_ids": tuple(row.result_ids),
            }
        )
        new_hash = entry_hash(2, row.prev_hash, forged)
        conn.execute(
            audit_log.update().where(audit_log.c.seq == 2).values(member="ITA", hash=new_hash)
        )
        next_id = conn.execute(sa.select(audit_log.c.id).where(audit_log.c.seq == 3)).scalar()
    result = audit.verify(db)
    assert not result.ok
    assert result.bad_id == next_id


def test_owner_sees_who_read_its_record(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    record_id = _fill(db, client, fra, deu)
    answer = client.get("/api/v1/audit", params={"record": record_id}, headers=fra.headers)
    assert answer.status_code == 200
    reads = [e for e in answer.json()["items"] if e["action"] == "records.read"]
    assert len(reads) == 3
    assert {e["member"] for e in reads} == {"DEU"}
    assert all(e["actor"] == deu.actor.ref for e in reads)


def test_only_the_owner_may_see_a_records_audit_trail(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    record_id = _fill(db, client, fra, deu)
    answer = client.get("/api/v1/audit", params={"record": record_id}, headers=deu.headers)
    assert answer.status_code == 403
    esp = make_user(db, "ESP")
    hidden = make_record(db, fra, audience=Audience.only("FRA"))
    answer = client.get("/api/v1/audit", params={"record": hidden.id}, headers=esp.headers)
    assert answer.status_code == 404


def test_searches_are_audited_with_a_digest_and_the_results(
    db: Database, client: TestClient, fra: Officer, deu: Officer
) -> None:
    record_id = _fill(db, client, fra, deu)
    client.get("/api/v1/records", params={"kind": "test.record"}, headers=deu.headers)
    with db.engine.connect() as conn:
        entry = conn.execute(sa.select(audit_log).where(audit_log.c.action == "records.list")).one()
    assert entry.member == "DEU"
    assert entry.result_ids == [record_id]
    assert entry.query_digest and len(entry.query_digest) == 64


def test_group_commit_writes_every_read_of_concurrent_requests(serving_db: Database) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from vigil.api.app import create_app

    reader = make_user(serving_db, "FRA")
    with TestClient(create_app(serving_db)) as client:

        def read(_: int) -> int:
            return client.get("/api/v1/records", headers=reader.headers).status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(read, range(64))) == {200}
    with serving_db.engine.connect() as conn:
        count = conn.scalar(sa.select(sa.func.count()).where(audit_log.c.action == "records.list"))
    assert count == 64
    assert audit.verify(serving_db).ok


def test_group_writer_and_request_writers_keep_one_linear_chain(serving_db: Database) -> None:
    """The group writer's cached head goes stale whenever a writing request appends: it must
    notice, read the head under lock, and continue the chain from there."""
    from vigil.records import service as records
    from vigil.storage.uow import UnitOfWork

    reader = make_user(serving_db, "FRA")
    for i in range(5):
        with UnitOfWork(serving_db, write=False) as uow:  # through the group writer
            records.list_records(uow, actor=reader.actor, page=page_request(None, 1))
        make_record(serving_db, reader, title=f"r{i}")  # in the request's own transaction
        with UnitOfWork(serving_db, write=False) as uow:
            records.list_records(uow, actor=reader.actor, page=page_request(None, 1))
    result = audit.verify(serving_db)
    assert result.ok
    assert result.checked == 1 + 5 * 3
