"""Reads through the driver give what SQLAlchemy's own select gives, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.conftest import make_record, make_user
from vigil.access.envelope import Audience, AudienceKind
from vigil.documents import store as documents_store
from vigil.documents.models import DocumentReport, DocumentStatus, DocumentType, Holder
from vigil.records import store as records_store
from vigil.storage.dialect import (
    bind_value,
    driver_values,
    fetch_all,
    placeholder,
    run,
    select_rows,
)
from vigil.storage.engine import Database
from vigil.storage.tables import document_reports
from vigil.storage.uow import UnitOfWork


def _report(db: Database) -> str:
    envelope = make_record(db, make_user(db, "FRA"), kind="document")
    report = DocumentReport(
        id=envelope.id,
        number="X1234567",
        issuing_state="FRA",
        type=DocumentType.PASSPORT,
        status=DocumentStatus.STOLEN,
        reported_on=date(2026, 3, 1),
        holder=Holder(surname="DUPONT", birth_date=date(1980, 1, 2)),
        recovered_at=datetime(2026, 4, 5, 6, 7, 8, tzinfo=UTC),
        envelope=envelope,
    )
    with db.engine.begin() as conn:
        conn.execute(document_reports.insert().values(**documents_store.row_of(report)))
    return envelope.id


@pytest.mark.parametrize("in_transaction", [True, False])
def test_select_rows_converts_every_column_as_core_does(db: Database, in_transaction: bool) -> None:
    report_id = _report(db)
    columns = tuple(c.name for c in document_reports.c)
    with db.engine.connect() as conn:
        expected = conn.execute(sa.select(document_reports)).one()
        conn.rollback()
        if in_transaction:
            conn.begin()
        where = f"id = {placeholder(conn.dialect)}"
        (row,) = select_rows(conn, document_reports, columns, where, [report_id])
    assert tuple(row) == tuple(expected)
    assert row.recovered_at == datetime(2026, 4, 5, 6, 7, 8, tzinfo=UTC)
    assert row.holder_birth_date == date(1980, 1, 2)


def test_envelopes_read_through_the_driver_equal_the_core_read(db: Database) -> None:
    user = make_user(db, "FRA")
    made = [
        make_record(
            db, user, audience=Audience(kind=AudienceKind.ONLY, codes=("DEU", "BEL", "ITA"))
        )
        for _ in range(3)
    ]
    # Shared with all: no audience codes to read (get_many asks only for the others').
    made.append(make_record(db, user, audience=Audience(kind=AudienceKind.ALL)))
    ids = [e.id for e in made]
    with db.engine.begin() as conn:
        many = records_store.get_many(conn, [*ids, ids[0], "missing"])
        one_by_one = {i: records_store.get(conn, i) for i in ids}
    assert many == one_by_one
    assert many[ids[0]].audience.codes == ("BEL", "DEU", "ITA")
    assert many[ids[-1]].audience == Audience(kind=AudienceKind.ALL)


def test_a_savepoint_undoes_what_it_wrote_alone_and_the_unit_goes_on(db: Database) -> None:
    """``UnitOfWork.savepoint`` (SQL for the driver): nested ones, one undone and one kept."""
    table = "outbox_probe"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {table} (n INTEGER)")
    m = placeholder(db.engine.dialect)
    with UnitOfWork(db, write=True, dispatch=False) as uow:
        run(uow.conn, f"INSERT INTO {table} VALUES ({m})", (1,))
        with uow.savepoint():
            run(uow.conn, f"INSERT INTO {table} VALUES ({m})", (2,))
            with pytest.raises(ValueError), uow.savepoint():
                assert run(uow.conn, f"INSERT INTO {table} VALUES ({m})", (3,)) == 1
                raise ValueError("undone")
            run(uow.conn, f"INSERT INTO {table} VALUES ({m})", (4,))
        with pytest.raises(ValueError), uow.savepoint():
            run(uow.conn, f"INSERT INTO {table} VALUES ({m})", (5,))
            raise ValueError("undone too")
        assert fetch_all(uow.conn, f"SELECT count(*) FROM {table}") == [(3,)]
    with db.engine.connect() as conn:
        kept = sorted(n for (n,) in fetch_all(conn, f"SELECT n FROM {table}"))
        conn.exec_driver_sql(f"DROP TABLE {table}")
        conn.commit()
    assert kept == [1, 2, 4]


def test_a_duplicate_key_inserted_on_the_cursor_raises_sqlalchemys_integrity_error(
    db: Database,
) -> None:
    # Loads retry a batch on sa.exc.IntegrityError, whichever path ran the insert.
    from vigil.storage.dialect import insert_rows
    from vigil.storage.tables import members

    with db.engine.connect() as conn:
        row = dict(conn.execute(sa.select(members).limit(1)).one()._mapping)
    with db.engine.connect() as conn, pytest.raises(sa.exc.IntegrityError), conn.begin():
        assert conn.in_transaction()  # so the insert goes to the DB-API cursor
        insert_rows(conn, members, [row])


def test_json_columns_are_written_as_json_reads_them_back(db: Database) -> None:
    import json

    from vigil.storage.engine import json_text

    value = {"name": 'Ιωάννης "Jo" \n', "ids": [1, 2.5, None, True], 7: {"nested": []}}
    assert json.loads(json_text(value)) == json.loads(json.dumps(value))


def test_dates_bound_through_the_driver_are_what_core_binds(db: Database) -> None:
    # SQLite's dates are written by date.isoformat there, SQLAlchemy's processor elsewhere.
    column = document_reports.c.reported_on
    values = [date(2026, 3, 1), date(999, 1, 2), datetime(2026, 3, 1, 23, 59, tzinfo=UTC), None]
    dialect = db.engine.dialect
    bound = driver_values(dialect, document_reports, ("reported_on",), [(v,) for v in values])
    assert bound == [(bind_value(dialect, column, v),) for v in values]
