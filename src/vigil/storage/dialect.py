"""The few statements whose SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

import collections
import dataclasses
import functools
import operator
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa

_T = TypeVar("_T")


def insert_ignoring_duplicates(
    conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> int:
    """Insert rows, skipping any that collide with a unique key; returns how many went in.

    Through the driver, as ``insert_rows``: hit records and alerts are written in the group
    commit that a border check waits for, and a Core statement costs several times SQLite's
    insert. Both databases take ``ON CONFLICT DO NOTHING``. The rows share their keys.
    """
    if not rows:
        return 0
    columns = tuple(rows[0])
    statement = f"{_driver_insert(table, columns, conn.dialect)[0]} ON CONFLICT DO NOTHING"
    params = driver_params(conn.dialect, table, columns, rows)
    added = 0
    for param in params:  # one at a time: executemany's row count differs between drivers
        added += run(conn, statement, param)
    return added


def run(conn: sa.Connection, sql: str, params: Sequence[Any] = ()) -> int:
    """Execute SQL written for the driver (``placeholder`` markers); returns the row count.

    Inside a transaction, straight on the DB-API cursor: a hit's handling runs a handful of
    statements in the group commit that the next checks wait for, and SQLAlchemy's statement
    and result handling cost more than SQLite's own work for each.
    """
    if not conn.in_transaction():
        return int(conn.exec_driver_sql(sql, tuple(params)).rowcount)
    return _on_cursor(conn, sql, params, _row_count)


def locked(stmt: sa.Select[Any], conn: sa.Connection, *, skip_locked: bool = False) -> Any:
    """``SELECT ... FOR UPDATE`` where the database has row locks.

    SQLite has none and needs none: a writer there holds the whole database (BEGIN IMMEDIATE).
    """
    if conn.dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=skip_locked)
    return stmt


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows straight through the driver's ``executemany``.

    Bulk loads insert millions of rows; SQLAlchemy's per-row parameter processing costs more
    than SQLite's insert itself. The column types' bind processors are still applied, so the
    stored values are exactly what ``table.insert()`` would store.
    """
    if rows:
        columns = tuple(rows[0])
        insert_params(conn, table, columns, driver_params(conn.dialect, table, columns, rows))


def insert_params(
    conn: sa.Connection, table: sa.Table, columns: tuple[str, ...], params: list[tuple[Any, ...]]
) -> None:
    """Insert rows already turned into driver parameters by ``driver_params``.

    Inside a transaction, on the DB-API cursor: the group commit that a border check waits
    for inserts its audit entries and outbox rows here, a few rows at a time, and
    SQLAlchemy's statement handling cost more than SQLite's inserts."""
    if not params:
        return
    statement = _driver_insert(table, columns, conn.dialect)[0]
    if not conn.in_transaction():
        conn.exec_driver_sql(statement, params)
        return
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(statement, params)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(conn, statement, exc) from exc
    finally:
        cursor.close()


def driver_params(
    dialect: sa.Dialect, table: sa.Table, columns: tuple[str, ...], rows: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """Rows as the driver takes them: tuples in ``columns`` order, values converted by the
    column types (dates, JSON...). Picklable: bulk loads build them in worker processes."""
    values = operator.itemgetter(*columns)
    if len(columns) == 1:
        return [(values(row),) for row in rows]
    return driver_values(dialect, table, columns, [values(row) for row in rows])


def driver_values(
    dialect: sa.Dialect,
    table: sa.Table,
    columns: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
) -> list[tuple[Any, ...]]:
    """``driver_params`` for rows already made as tuples in ``columns`` order: a bulk load
    builds ten million, and a dict for each cost its workers an eighth of their time."""
    processors = _driver_insert(table, columns, dialect)[1]
    if not processors:
        return list(rows)
    params = []
    # Dates and times repeat across a batch (review dates, the batch's creation time): each
    # distinct value is converted once.
    done: dict[tuple[int, Any], Any] = {}
    for row in rows:
        param = list(row)
        for index, process in processors:
            value = param[index]
            if value is None:
                continue
            try:
                param[index] = done[(index, value)]
            except KeyError:
                param[index] = done[(index, value)] = process(value)
            except TypeError:  # not hashable (JSON lists): converted each time
                param[index] = process(value)
        params.append(tuple(param))
    return params


@functools.cache
def _driver_insert(
    table: sa.Table, columns: tuple[str, ...], dialect: sa.Dialect
) -> tuple[str, list[Any]]:
    marker = placeholder(dialect)
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(marker for _ in columns)})"
    )
    # Only the columns whose type converts values (dates, JSON...) on this dialect.
    processors = [
        (index, _faster(table.c[column].type, dialect, process))
        for index, column in enumerate(columns)
        if (process := table.c[column].type._cached_bind_processor(dialect)) is not None
    ]
    return statement, processors


def _faster(type_: Any, dialect: sa.Dialect, process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The same conversion done in C where there is one: SQLite stores a date as
    ``YYYY-MM-DD``, which ``date.isoformat`` writes for every year; SQLAlchemy's processor
    formats a dict through ``%`` and cost a bulk load's workers a twentieth of their time."""
    if dialect.name != "sqlite" or type(type_) is not sa.Date:
        return process

    def sqlite_date(value: Any) -> Any:
        # A datetime is a date too: SQLAlchemy's own processor keeps only its day.
        return value.isoformat() if type(value) is date else process(value)

    return sqlite_date


def bind_value(dialect: sa.Dialect, column: sa.Column[Any], value: Any) -> Any:
    """``value`` as the driver takes it for ``column`` (a date as SQLite stores it...)."""
    process = column.type._cached_bind_processor(dialect)
    return value if process is None or value is None else process(value)


def placeholder(dialect: sa.Dialect) -> str:
    """The driver's positional parameter marker, for SQL written for the driver."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def fetch_all(conn: sa.Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """The rows of SQL written for the driver (``placeholder`` markers), as the driver gives
    them: no result processors. Inside a transaction, straight from the DB-API cursor, as
    ``select_rows`` reads: for the statements every screening runs, SQLAlchemy's result
    object cost more than SQLite's own work."""
    if not conn.in_transaction():
        return list(conn.exec_driver_sql(sql, tuple(params)))
    return _on_cursor(conn, sql, params, _rows)


def _on_cursor(
    conn: sa.Connection, sql: str, params: Sequence[Any], read: Callable[[Any], _T]
) -> _T:
    """``read`` of a DB-API cursor that ran ``sql`` inside the transaction ``conn`` has begun:
    SQLAlchemy knows nothing of it, which is the point (its statement and result handling
    cost more than SQLite's own work on the hot paths). A plain call, not a context manager:
    a border check's lookup comes here, and a generator's entry and exit would cost as much
    as the lookup."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return read(cursor)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(conn, sql, exc) from exc
    finally:
        cursor.close()


def _wrapped(conn: sa.Connection, sql: str, error: Exception) -> sa.exc.StatementError:
    """The driver's error as SQLAlchemy raises it (``IntegrityError``...), for callers that
    catch those whichever path ran the statement."""
    dbapi = conn.dialect.loaded_dbapi
    return sa.exc.DBAPIError.instance(sql, None, error, dbapi.Error, dialect=conn.dialect)


def _rows(cursor: Any) -> list[Any]:
    return list(cursor.fetchall())


def _row_count(cursor: Any) -> int:
    return int(cursor.rowcount)


def select_rows(
    conn: sa.Connection,
    table: sa.Table,
    columns: tuple[str, ...],
    where: str,
    params: Sequence[Any],
) -> list[Any]:
    """``SELECT columns FROM table WHERE where`` through the driver, as named tuples.

    For reads on the hot path (a border check, an alert's envelopes): building and caching a
    Core statement costs several times SQLite's own lookup. The column types' result
    processors still apply, so the values are what ``conn.execute(sa.select(...))`` gives.
    ``where`` is SQL written with ``placeholder(conn.dialect)`` markers.
    """
    shape, processors = _driver_select(table, columns, conn.dialect)
    # Straight from the DB-API cursor inside a transaction (``fetch_all``): SQLAlchemy's
    # result object alone (column metadata per statement) costs twice the SQLite lookup.
    rows = fetch_all(conn, f"{shape.statement} WHERE {where}", params)
    if not processors:
        return [shape.row._make(row) for row in rows]
    made = []
    for row in rows:
        values = list(row)
        for index, process in processors:
            values[index] = process(values[index])
        made.append(shape.row._make(values))
    return made


# SQLite allows 32,766 bound parameters, PostgreSQL 65,535: ``IN`` lists go in chunks well below.
IN_CHUNK = 900


def select_in(
    conn: sa.Connection,
    table: sa.Table,
    columns: tuple[str, ...],
    column: str,
    values: Sequence[Any],
    also: str = "",
) -> list[Any]:
    """``select_rows`` of the rows whose ``column`` is one of ``values`` (any number of them:
    chunked), and ``also`` (more SQL for the condition, such as ``AND x IS NOT NULL``)."""
    m = placeholder(conn.dialect)
    found: list[Any] = []
    for start in range(0, len(values), IN_CHUNK):
        chunk = values[start : start + IN_CHUNK]
        where = f"{column} IN ({', '.join(m for _ in chunk)}) {also}".rstrip()
        found.extend(select_rows(conn, table, columns, where, chunk))
    return found


@dataclasses.dataclass(frozen=True, slots=True)
class _SelectShape:
    statement: str
    row: Any  # a namedtuple class with the columns' names


@functools.cache
def _driver_select(
    table: sa.Table, columns: tuple[str, ...], dialect: sa.Dialect
) -> tuple[_SelectShape, list[Any]]:
    quote = dialect.identifier_preparer.quote
    statement = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table.name)}"
    processors = [
        (index, process)
        for index, column in enumerate(columns)
        if (process := table.c[column].type._cached_result_processor(dialect, None)) is not None
    ]
    row = collections.namedtuple(f"{table.name}_row", columns)  # type: ignore[misc]
    return _SelectShape(statement, row), processors
