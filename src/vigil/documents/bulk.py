"""Bulk loads of document reports from CSV or JSON Lines: millions of lines, idempotent,
resumable after a crash, errors reported per line without stopping the load.

Each batch of lines is one transaction. A live report's key (state, type, number) is unique
in the store, so a load that runs again, or resumes after being killed, skips what the
previous run committed and adds the rest: every report ends up stored exactly once.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import gc
import io
import json
import multiprocessing
import multiprocessing.pool
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from multiprocessing.pool import AsyncResult
from typing import IO, Any

import orjson
import sqlalchemy as sa
from pydantic import ValidationError

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.envelope import Audience, AudienceKind
from vigil.access.roles import Role
from vigil.core import clock
from vigil.documents import service, store
from vigil.documents.keys import active_key, member_state
from vigil.documents.models import DocumentReport, DocumentReportIn
from vigil.errors import InvalidInput, VigilError, validation_message
from vigil.records import lines as lines_
from vigil.storage import indexes
from vigil.storage.engine import Database
from vigil.storage.tables import document_reports
from vigil.storage.tables import records as records_table
from vigil.storage.uow import UnitOfWork

# Per-line errors kept in the summary; the count goes on past it.
_ERRORS_KEPT = 1000

# CSV columns beyond the report's own fields, and where they go in the JSON form.
_CSV_HOLDER = {
    "holder_surname": "surname",
    "holder_given_names": "given_names",
    "holder_birth_date": "birth_date",
}
_CSV_PROVENANCE = ("source_agency", "owner_ref", "source_reliability", "information_credibility")


class SourceFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    message: str


@dataclass
class LoadSummary:
    """What a load did: lines read, reports added, lines already stored, lines refused."""

    read: int = 0
    added: int = 0
    already_present: int = 0
    refused: int = 0
    errors: list[LineError] = field(default_factory=list)

    def refuse(self, line: int, message: str) -> None:
        self.refused += 1
        if len(self.errors) < _ERRORS_KEPT:
            self.errors.append(LineError(line, message))


# One numbered line of the source: a JSON Lines text, CSV fields, or why it was unreadable.
Line = tuple[int, str | dict[str, Any] | LineError]
Progress = Callable[[int], None]


@dataclass
class _Prepared:
    """A batch of lines made into driver parameters, ready for the store. Kept as flat lists
    of plain tuples: they cross from the worker process cheaply."""

    size: int
    refused: list[LineError]
    lines: list[int]
    keys: list[str]
    params: store.ReportParams
    # Reports (by position) whose audience names networks: checked against the store.
    networks: dict[int, tuple[str, ...]]


# The tables a load fills: when one is empty, its secondary indexes are built at the end.
_INDEXED = (records_table, document_reports)

# The SQL dialect a worker process prepares parameters for (set as the worker starts).
_dialect: sa.Dialect | None = None

# The collector's thresholds while a load runs with worker processes. A batch makes about a
# hundred thousand short-lived objects, nearly all freed by their reference counts; at
# Python's default (700) the collector ran every few lines, and a worker spent a third of its
# time in it (48-59 against 34-38 µs a line).
_LOAD_GC_THRESHOLD = (50_000, 50, 1000)


def load(
    db: Database,
    *,
    actor: Actor,
    lines: Iterable[Line],
    as_issuing_states: bool = False,
    workers: int = 0,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load reports, one transaction per ``settings.IMPORT_BATCH_ROWS`` lines.

    Args:
        actor: who loads. Each line must be a document its member issued, as for ``report``.
        as_issuing_states: the operator loads on behalf of each line's issuing state (world
            loads, migrations from a national system); audit entries name the operator.
        workers: processes that read and validate lines while this one writes (0: none).
        progress: called with the number of lines handled after each batch.

    Returns:
        The counts, and the first thousand refused lines with their reasons.
    """
    if not as_issuing_states:  # refused at once rather than line by line
        actor.require("documents.report")
    summary = LoadSummary()
    batches = lines_.batches(lines, settings.IMPORT_BATCH_ROWS)
    jobs = ((actor, as_issuing_states, batch) for batch in batches)
    dialect = db.engine.dialect
    # Forked: the workers start with this process's modules and the dialect, nothing pickled.
    pool = (
        multiprocessing.get_context("fork").Pool(workers, _start_worker_process, (dialect,))
        if workers > 0
        else None
    )
    # With workers this process only writes: its collector can wait as theirs do. Without
    # them the load may share a server's process, whose collector is left as it is.
    collector = _collector_for_load() if pool is not None else contextlib.nullcontext()
    try:
        # After the fork: the workers hold no connection of the parent's.
        indexes.set_aside(db, _INDEXED)
        with collector, _load_connection(db) as conn:
            if pool is None:
                _start_worker(dialect)
            prepared = _in_order(pool, jobs, workers) if pool is not None else map(_prepare, jobs)
            for batch in prepared:
                _store_batch(db, conn, actor, batch, summary)
                if progress is not None:
                    progress(batch.size)
    finally:
        if pool is not None:
            pool.terminate()
        # What this load set aside, or what a load killed before it left missing.
        indexes.restore(db, _INDEXED)
    return summary


def _in_order(
    pool: multiprocessing.pool.Pool, jobs: Iterator[tuple[Actor, bool, list[Line]]], workers: int
) -> Iterator[_Prepared]:
    """Prepared batches in the order of the source, with a few in flight at most.

    ``Pool.imap`` would read the whole source ahead into its task queue (gigabytes for a large
    load); reading on only as results are taken keeps memory flat.
    """
    pending: collections.deque[AsyncResult[_Prepared]] = collections.deque()
    for job in jobs:
        pending.append(pool.apply_async(_prepare, (job,)))
        if len(pending) > 2 * workers:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


@contextlib.contextmanager
def _load_connection(db: Database) -> Iterator[sa.Connection]:
    """One connection for the whole load, tuned for it on SQLite.

    A page cache that holds the indexes; commits synced at checkpoints rather than each
    one (``synchronous=NORMAL``, still crash-safe in WAL mode): a power cut may lose the last
    batches, which a load run again restores, since loads are idempotent; and checkpoints
    about a gigabyte of log apart (``settings.IMPORT_AUTOCHECKPOINT_PAGES``). The log file
    keeps that size afterwards, its space reused.
    """
    with db.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            _pragmas(
                conn,
                cache_mb=settings.IMPORT_CACHE_MB,
                synchronous="NORMAL",
                autocheckpoint=settings.IMPORT_AUTOCHECKPOINT_PAGES,
            )
        try:
            yield conn
        finally:
            if sqlite:  # back to the pool as the engine made it
                _pragmas(
                    conn,
                    cache_mb=settings.SQLITE_CACHE_MB,
                    synchronous="FULL",
                    autocheckpoint=settings.SQLITE_AUTOCHECKPOINT_PAGES,
                )


def _pragmas(conn: sa.Connection, *, cache_mb: int, synchronous: str, autocheckpoint: int) -> None:
    # On the driver's connection, outside any transaction (SQLite refuses to change the
    # safety level inside one).
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA cache_size=-{cache_mb * 1024}")
    raw.execute(f"PRAGMA synchronous={synchronous}")
    raw.execute(f"PRAGMA wal_autocheckpoint={autocheckpoint}")


def read_lines(source: IO[bytes], fmt: SourceFormat) -> Iterator[Line]:
    """Numbered lines (1-based; a CSV's header is line 1) of a JSON Lines or CSV source."""
    text = io.TextIOWrapper(source, encoding="utf-8", newline="")
    if fmt is SourceFormat.JSONL:
        for number, raw in enumerate(text, start=1):
            if raw.strip():
                yield number, raw
        return
    reader = csv.DictReader(text)
    for row in reader:
        if None in row:
            yield reader.line_num, LineError(reader.line_num, "more fields than the header names")
            continue
        yield reader.line_num, _from_csv({k: v for k, v in row.items() if v not in ("", None)})


def format_of(name: str) -> SourceFormat:
    """The format a file name or media type says (``.csv``, ``text/csv``; else JSON Lines)."""
    return SourceFormat.CSV if name.lower().endswith("csv") else SourceFormat.JSONL


def _from_csv(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row in the JSON form: holder and provenance columns nested, audience parsed."""
    holder = {name: row.pop(column) for column, name in _CSV_HOLDER.items() if column in row}
    provenance = {column: row.pop(column) for column in _CSV_PROVENANCE if column in row}
    if holder:
        row["holder"] = holder
    if provenance:
        row["provenance"] = provenance
    audience = row.get("audience")
    if isinstance(audience, str) and audience.startswith("{"):
        # Left as text when it does not parse: validation then names the field.
        with contextlib.suppress(json.JSONDecodeError):
            row["audience"] = json.loads(audience)
    return row


def _start_worker(dialect: sa.Dialect) -> None:
    global _dialect
    _dialect = dialect


def _start_worker_process(dialect: sa.Dialect) -> None:
    _start_worker(dialect)
    # What the process inherited from its parent at the fork lives as long as it does: out of
    # the collector's view, which otherwise walks it on every full pass.
    gc.freeze()
    gc.set_threshold(*_LOAD_GC_THRESHOLD)


@contextlib.contextmanager
def _collector_for_load() -> Iterator[None]:
    """The collector runs less often while a load writes (see ``_LOAD_GC_THRESHOLD``)."""
    before = gc.get_threshold()
    gc.set_threshold(*_LOAD_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _prepare(job: tuple[Actor, bool, list[Line]]) -> _Prepared:
    """Read, validate and build the parameters of a batch of lines (in a worker process)."""
    actor, as_states, lines = job
    assert _dialect is not None
    refused: list[LineError] = []
    made: list[tuple[int, DocumentReport]] = []
    now = clock.now()  # the batch's reports are created together
    acting: dict[str, Actor] = {}  # the operator acting for each issuing state, made once
    for line, content in lines:
        report = _report_of(actor, acting if as_states else None, line, content, refused, now)
        if report is not None:
            made.append((line, report))
    reports = [report for _, report in made]
    return _Prepared(
        size=len(lines),
        refused=refused,
        lines=[line for line, _ in made],
        keys=[active_key(r.issuing_state, r.type.value, r.number) for r in reports],
        params=store.params_of(_dialect, reports),
        networks={
            i: r.envelope.audience.codes
            for i, r in enumerate(reports)
            if r.envelope.audience.kind is AudienceKind.NETWORKS
        },
    )


def _report_of(
    actor: Actor,
    acting: dict[str, Actor] | None,
    line: int,
    content: str | dict[str, Any] | LineError,
    refused: list[LineError],
    now: datetime,
) -> DocumentReport | None:
    if isinstance(content, LineError):
        refused.append(content)
        return None
    try:
        # orjson: a tenth of json's time, on every line of a ten-million-line load.
        fields = orjson.loads(content) if isinstance(content, str) else content
        if not isinstance(fields, dict):
            refused.append(LineError(line, "not a JSON object"))
            return None
        report_in = DocumentReportIn.model_validate(_report_fields(fields))
        reporter = actor
        if acting is not None:  # as each line's issuing state
            state = report_in.issuing_state
            if state not in acting:
                acting[state] = _acting(actor, state)
            reporter = acting[state]
        return service.new_report(actor=reporter, report_in=report_in, now=now)
    except json.JSONDecodeError as exc:
        refused.append(LineError(line, f"not JSON: {exc.msg} at column {exc.colno}"))
    except ValidationError as exc:
        refused.append(LineError(line, validation_message(exc)))
    except VigilError as exc:
        refused.append(LineError(line, exc.detail))
    return None


def _store_batch(
    db: Database, conn: sa.Connection, actor: Actor, batch: _Prepared, summary: LoadSummary
) -> None:
    # A concurrent load may take a key between the check and the insert; the unique index
    # refuses the batch, and the second pass sees the key as already present.
    for attempt in (1, 2):
        try:
            with UnitOfWork(db, write=True, connection=conn) as uow:
                added, present, refused = _write_batch(uow, actor, batch)
            break
        except sa.exc.IntegrityError:
            if attempt == 2:
                raise
    summary.read += batch.size
    summary.added += added
    summary.already_present += present
    for error in sorted(refused, key=lambda e: e.line):
        summary.refuse(error.line, error.message)


def _write_batch(
    uow: UnitOfWork, actor: Actor, batch: _Prepared
) -> tuple[int, int, list[LineError]]:
    """Insert the batch's new reports; returns how many went in, were present, were refused."""
    refused = list(batch.refused)
    first: dict[str, int] = {}  # active key -> position of its first line in the batch
    duplicates = 0
    for index, key in enumerate(batch.keys):
        if index in batch.networks and not _networks_exist(uow, batch, index, refused):
            continue
        if first.setdefault(key, index) != index:
            duplicates += 1
    present = store.existing_active_keys(uow.conn, first)
    fresh = sorted(index for key, index in first.items() if key not in present)
    store.insert_many(uow.conn, batch.params.select(fresh))
    if fresh:
        ids = [batch.params.records[i][0] for i in fresh]
        uow.audit(actor, "documents.import", records=ids)
    return len(fresh), len(present) + duplicates, refused


def _networks_exist(
    uow: UnitOfWork, batch: _Prepared, index: int, refused: list[LineError]
) -> bool:
    audience = Audience(kind=AudienceKind.NETWORKS, codes=batch.networks[index])
    problem = lines_.audience_problem(uow, audience)
    if problem is not None:
        refused.append(LineError(batch.lines[index], problem))
    return problem is None


def _report_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The report's own fields: the envelope flattened (``records.lines.flattened``), the
    line's ``ref`` kept as the owner's reference, ``owner`` checked against the issuer."""
    values = lines_.flattened(fields)
    ref = values.pop("ref", None)
    provenance = values.get("provenance")
    # Any other provenance is left for validation to name.
    if ref is not None and (provenance is None or isinstance(provenance, dict)):
        values["provenance"] = {"owner_ref": str(ref), **(provenance or {})}
    owner = values.pop("owner", None)
    if owner is not None and owner != values.get("issuing_state"):
        raise InvalidInput(f"owner {owner} is not the issuing state: only the issuer reports")
    return values


def _acting(operator: Actor, state: str) -> Actor:
    """The operator acting for an issuing state's NCB (audited under the operator's name)."""
    return Actor(
        user_id=operator.user_id, member=member_state(state), role=Role.NCB, name=operator.name
    )
