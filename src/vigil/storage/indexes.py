"""Secondary indexes set aside while a bulk load fills an empty table, and built at its end.

Inserting ten million rows into random places of an index costs more than building the index
once from the finished table: the first load of the stolen document reports took 13 minutes
with its indexes kept, and 9.4 with them built at the end (BENCHMARKS.md, issue 4). Only the
indexes that find rows are set aside; those that keep data whole (unique keys, primary keys)
stay, so a load stays idempotent. A load killed before its end leaves them missing: the next
load, or ``vigil db upgrade``, builds them again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

import sqlalchemy as sa

from vigil import settings
from vigil.storage.engine import Database


def set_aside(db: Database, tables: Iterable[sa.Table]) -> list[sa.Index]:
    """Drop the non-unique indexes of those of ``tables`` that hold no row; the ones dropped.

    Anyone searching those tables meanwhile reads them without the index: a store's first
    load is the time for it.
    """
    dropped: list[sa.Index] = []
    with _writing(db) as conn:
        for table in tables:
            if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
                continue
            for index in sorted(table.indexes, key=lambda i: str(i.name)):
                if not index.unique:
                    conn.execute(sa.schema.DropIndex(index, if_exists=True))
                    dropped.append(index)
    return dropped


def restore(db: Database, tables: Iterable[sa.Table]) -> list[str]:
    """Build the declared indexes of ``tables`` that the database lacks; their names."""
    made: list[str] = []
    with _writing(db) as conn:
        if conn.dialect.name == "sqlite":  # sorting millions of keys wants a large cache
            conn.exec_driver_sql(f"PRAGMA cache_size=-{settings.IMPORT_CACHE_MB * 1024}")
        inspector = sa.inspect(conn)
        for table in tables:
            present = {i["name"] for i in inspector.get_indexes(table.name)}
            for index in sorted(table.indexes, key=lambda i: str(i.name)):
                if index.name not in present:
                    conn.execute(sa.schema.CreateIndex(index, if_not_exists=True))
                    made.append(str(index.name))
        if conn.dialect.name == "sqlite":  # back to the pool as the engine made it
            conn.exec_driver_sql(f"PRAGMA cache_size=-{settings.SQLITE_CACHE_MB * 1024}")
    return made


@contextlib.contextmanager
def _writing(db: Database) -> Iterator[sa.Connection]:
    """A connection in a write transaction, holding the store's writer lock."""
    with (
        db.writer(),
        db.engine.connect().execution_options(vigil_write=True) as conn,
        conn.begin(),
    ):
        yield conn
