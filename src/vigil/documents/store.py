"""SQL of document reports. The ``(ocr_key, issuing_state)`` B-tree is the document index:
checks are exact key lookups, which the database answers in tens of microseconds from a
structure that is already on disk, current with every commit and shared by every node."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from vigil.access.envelope import Envelope
from vigil.documents.keys import active_key, number_key, ocr_key
from vigil.documents.models import DocumentReport, DocumentStatus, DocumentType, Holder
from vigil.records import store as records_store
from vigil.storage.dialect import driver_values, insert_params, select_in
from vigil.storage.tables import document_reports, notice_documents, record_audience, records

# Columns of the three tables a new report goes into, in the order of its driver parameters
# (a report has no ``recovered_by`` yet, an envelope no ``deleted_at``).
RECORD_COLUMNS = records_store.VALUE_COLUMNS
AUDIENCE_COLUMNS = ("record_id", "code")
DOCUMENT_COLUMNS = (
    "id", "issuing_state", "type", "status", "number", "number_key", "ocr_key", "active_key",
    "reported_on", "expiry_date", "holder_surname", "holder_given_names", "holder_birth_date",
    "mrz", "recovered_at",
)  # fmt: skip


def values_of(report: DocumentReport) -> tuple[Any, ...]:
    """The table row of a report in ``DOCUMENT_COLUMNS`` order (keys derived from its
    number): a bulk load builds ten million, and a dict for each cost an eighth of its
    workers' time."""
    key = number_key(report.number)
    holder = report.holder
    return (
        report.id,
        report.issuing_state,
        report.type.value,
        report.status.value,
        report.number,
        key,
        ocr_key(key),
        active_key(report.issuing_state, report.type.value, key) if report.live else None,
        report.reported_on,
        report.expiry_date,
        None if holder is None else holder.surname,
        None if holder is None else holder.given_names,
        None if holder is None else holder.birth_date,
        report.mrz,
        report.recovered_at,
    )


def row_of(report: DocumentReport) -> dict[str, Any]:
    """The table row of a report (keys derived from its number)."""
    return dict(zip(DOCUMENT_COLUMNS, values_of(report), strict=True))


def insert(conn: sa.Connection, report: DocumentReport) -> None:
    records_store.insert(conn, report.envelope)
    conn.execute(document_reports.insert().values(**row_of(report)))


@dataclass(frozen=True, slots=True)
class ReportParams:
    """New reports as driver parameters: their records, audiences and document rows."""

    records: list[tuple[Any, ...]]
    audience: list[tuple[Any, ...]]  # (record id, code), any number per report
    documents: list[tuple[Any, ...]]

    def select(self, positions: Sequence[int]) -> ReportParams:
        """The reports at these positions (and their audience rows)."""
        kept = [self.records[i] for i in positions]
        ids = {record[0] for record in kept}
        return ReportParams(
            records=kept,
            audience=[row for row in self.audience if row[0] in ids],
            documents=[self.documents[i] for i in positions],
        )


def params_of(dialect: sa.Dialect, reports: Sequence[DocumentReport]) -> ReportParams:
    """Reports made ready for ``insert_many``, without a connection (bulk loads' workers).

    ``RECORD_COLUMNS`` and ``DOCUMENT_COLUMNS`` start with the id."""
    envelopes = [r.envelope for r in reports]
    return ReportParams(
        records=driver_values(
            dialect, records, RECORD_COLUMNS, [records_store.values_of(e) for e in envelopes]
        ),
        audience=driver_values(
            dialect,
            record_audience,
            AUDIENCE_COLUMNS,
            [(e.id, code) for e in envelopes for code in e.audience.codes],
        ),
        documents=driver_values(
            dialect, document_reports, DOCUMENT_COLUMNS, [values_of(r) for r in reports]
        ),
    )


def insert_many(conn: sa.Connection, reports: ReportParams) -> None:
    """Insert reports whose active keys are known to be free (bulk loads check first)."""
    insert_params(conn, records, RECORD_COLUMNS, reports.records)
    insert_params(conn, record_audience, AUDIENCE_COLUMNS, reports.audience)
    insert_params(conn, document_reports, DOCUMENT_COLUMNS, reports.documents)


def update(conn: sa.Connection, report: DocumentReport, *, recovered_by: str | None = None) -> None:
    values = row_of(report)
    del values["id"]
    if recovered_by is not None:
        values["recovered_by"] = recovered_by
    conn.execute(document_reports.update().where(document_reports.c.id == report.id).values(values))
    records_store.update(conn, report.envelope)


def retire(conn: sa.Connection, report_id: str) -> None:
    """Free the document's key once its record is withdrawn: it may be reported anew."""
    conn.execute(
        document_reports.update().where(document_reports.c.id == report_id).values(active_key=None)
    )


def active_exists(conn: sa.Connection, key: str) -> bool:
    query = sa.select(document_reports.c.id).where(document_reports.c.active_key == key)
    return conn.execute(query).first() is not None


def existing_active_keys(conn: sa.Connection, keys: Iterable[str]) -> set[str]:
    """Which of these active keys are taken (a bulk load skips them); through the driver, as
    a load asks this for every line."""
    taken = select_in(conn, document_reports, ("active_key",), "active_key", list(keys))
    return {row.active_key for row in taken}


def get(conn: sa.Connection, report_id: str) -> DocumentReport | None:
    row = conn.execute(
        sa.select(document_reports).where(document_reports.c.id == report_id)
    ).first()
    if row is None:
        return None
    envelope = records_store.get(conn, report_id)
    assert envelope is not None  # the foreign key holds it
    return _report(row, envelope)


def lookup(conn: sa.Connection, keys: Sequence[tuple[str, str]]) -> list[DocumentReport]:
    """Live reports filed under any ``(ocr_key, issuing_state)``; the caller sorts hits out.

    Written for the driver: building and caching a Core statement costs more than SQLite's
    lookup itself (about 280 against 35 microseconds for one key), and this runs for every
    check. One column in ``IN``, so each key is one seek in the ``(ocr_key, ...)`` index; a
    clean number, nearly all border traffic, is answered from that index alone.
    """
    wanted = set(keys)
    filed = select_in(conn, document_reports, DOCUMENT_COLUMNS, "ocr_key",
                      sorted({key for key, _ in wanted}), "AND active_key IS NOT NULL")  # fmt: skip
    rows = [row for row in filed if (row.ocr_key, row.issuing_state) in wanted]
    if not rows:
        return []
    envelopes = records_store.get_many(conn, [row.id for row in rows])
    return [_report(row, envelopes[row.id]) for row in rows]


def list_visible(
    conn: sa.Connection,
    visible: sa.ColumnElement[bool],
    *,
    issuing_state: str | None,
    number: str | None,
    status: str | None,
    after: str | None,
    limit: int,
) -> list[DocumentReport]:
    """Reports passing ``visible`` (the SQL access rule), newest first."""
    query = (
        sa.select(document_reports)
        .join(records, records.c.id == document_reports.c.id)
        .where(visible)
    )
    if issuing_state is not None:
        query = query.where(document_reports.c.issuing_state == issuing_state)
    if number is not None:
        query = query.where(document_reports.c.ocr_key == ocr_key(number_key(number)))
    if status is not None:
        query = query.where(document_reports.c.status == status)
    if after is not None:
        query = query.where(document_reports.c.id < after)
    rows = conn.execute(query.order_by(document_reports.c.id.desc()).limit(limit)).all()
    envelopes = records_store.get_many(conn, [row.id for row in rows])
    return [_report(row, envelopes[row.id]) for row in rows]


def _report(row: Any, envelope: Envelope) -> DocumentReport:
    holder = None
    if row.holder_surname or row.holder_given_names or row.holder_birth_date:
        holder = Holder(
            surname=row.holder_surname,
            given_names=row.holder_given_names,
            birth_date=row.holder_birth_date,
        )
    recovered: datetime | None = row.recovered_at
    return DocumentReport(
        id=row.id,
        number=row.number,
        issuing_state=row.issuing_state,
        type=DocumentType(row.type),
        status=DocumentStatus(row.status),
        reported_on=row.reported_on,
        expiry_date=row.expiry_date,
        holder=holder,
        mrz=row.mrz,
        recovered_at=recovered,
        envelope=envelope,
    )


# ---- travel documents named in notices in force --------------------------------------------


@dataclass(frozen=True, slots=True)
class NamedDocument:
    """A document a notice in force names, with the notice's envelope (for access)."""

    number: str  # number_key
    issuing_state: str
    document_type: str
    notice_type: str
    notice: Envelope


def link_notice(conn: sa.Connection, notice_id: str, notice_type: str,
                documents: Iterable[tuple[str, str, str]]) -> None:  # fmt: skip
    """Name ``(document_type, number, issuing_state)`` documents for a notice in force."""
    rows = {
        (number_key(number), state): {
            "notice_id": notice_id,
            "number": number_key(number),
            "issuing_state": state,
            "ocr_key": ocr_key(number_key(number)),
            "document_type": doc_type,
            "notice_type": notice_type,
        }
        for doc_type, number, state in documents
    }
    unlink_notice(conn, notice_id)
    if rows:
        conn.execute(notice_documents.insert(), list(rows.values()))


def unlink_notice(conn: sa.Connection, notice_id: str) -> None:
    conn.execute(notice_documents.delete().where(notice_documents.c.notice_id == notice_id))


def named_in_notices(conn: sa.Connection, keys: Sequence[tuple[str, str]]) -> list[NamedDocument]:
    """Documents named in notices under any ``(ocr_key, issuing_state)``. Through the driver,
    as ``lookup``: every check asks, and nearly always the answer is none."""
    if not keys:
        return []
    wanted = set(keys)
    named = select_in(conn, notice_documents, _NAMED_COLUMNS, "ocr_key",
                      sorted({key for key, _ in keys}))  # fmt: skip
    rows = [row for row in named if (row.ocr_key, row.issuing_state) in wanted]
    if not rows:
        return []
    envelopes = records_store.get_many(conn, sorted({row.notice_id for row in rows}))
    return [
        NamedDocument(row.number, row.issuing_state, row.document_type, row.notice_type, envelope)
        for row in rows
        if (envelope := envelopes.get(row.notice_id)) is not None and not envelope.deleted
    ]


_NAMED_COLUMNS = (
    "notice_id", "number", "issuing_state", "ocr_key", "document_type", "notice_type",
)  # fmt: skip


# ---- offline copies ---------------------------------------------------------------------------


def iter_live_visible(
    conn: sa.Connection, visible: sa.ColumnElement[bool], today: date, batch: int = 20_000
) -> Iterator[tuple[str, ...]]:
    """Every live report passing ``visible`` (the SQL access rule), as (id, owner,
    issuing_state, type, status, number_key, ocr_key, updated_at ISO), in batches: an offline
    package's documents, read with flat memory."""
    after = ""
    while True:
        query = (
            sa.select(
                document_reports.c.id,
                records.c.owner,
                document_reports.c.issuing_state,
                document_reports.c.type,
                document_reports.c.status,
                document_reports.c.number_key,
                document_reports.c.ocr_key,
                records.c.updated_at,
            )
            .join(records, records.c.id == document_reports.c.id)
            .where(
                visible,
                document_reports.c.active_key.is_not(None),
                records.c.review_by >= today,  # past review, a report leaves screening
                document_reports.c.id > after,
            )
            .order_by(document_reports.c.id)
            .limit(batch)
        )
        rows = [(*(str(v) for v in row[:-1]), row[-1].isoformat()) for row in conn.execute(query)]
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1][0]
