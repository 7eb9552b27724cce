"""Indexes set aside for a first bulk load come back: at its end, at the next load, or at
``vigil db upgrade`` after a load was killed."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import make_record, make_user
from vigil.storage import indexes
from vigil.storage.engine import Database
from vigil.storage.migrate import upgrade
from vigil.storage.tables import document_reports, records


def _names(db: Database, table: str) -> set[str]:
    with db.engine.connect() as conn:
        return {str(i["name"]) for i in sa.inspect(conn).get_indexes(table)}


def test_only_an_empty_table_loses_its_secondary_indexes_and_they_come_back(
    db: Database,
) -> None:
    make_record(db, make_user(db, "FRA"))  # records hold a row; document reports do not
    dropped = indexes.set_aside(db, [records, document_reports])
    assert [i.name for i in dropped] == ["ix_document_reports_ocr_key"]
    assert "ix_document_reports_ocr_key" not in _names(db, "document_reports")
    assert "ix_records_review_by" in _names(db, "records")
    assert indexes.restore(db, [records, document_reports]) == ["ix_document_reports_ocr_key"]
    assert indexes.restore(db, [records, document_reports]) == []


def test_an_upgrade_builds_what_a_killed_load_left_missing(db: Database) -> None:
    dropped = indexes.set_aside(db, [records, document_reports])
    assert {"ix_records_owner_kind", "ix_records_review_by", "ix_records_kind_id",
            "ix_document_reports_ocr_key"} == {str(i.name) for i in dropped}  # fmt: skip
    upgrade(db)
    assert "ix_records_kind_id" in _names(db, "records")
    assert "ix_document_reports_ocr_key" in _names(db, "document_reports")
