"""The migrations build the schema that the tables declare: nothing missing, nothing extra."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from vigil.storage.engine import Database
from vigil.storage.tables import metadata


def test_migrations_match_the_declared_tables(db: Database) -> None:
    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in differences if not _search_by_dialect(d)] == []


def _search_by_dialect(difference: Any) -> bool:
    """What the migrations add for full-text search on one dialect alone, undeclared on
    purpose: the FTS5 tables on SQLite, the tsvector column and its index on PostgreSQL."""
    if not isinstance(difference, tuple):
        return False
    match difference[0]:
        case "remove_table":
            return str(difference[1].name).startswith("search_fts")
        case "remove_index":
            return str(difference[1].name) == "ix_search_documents_tsv"
        case "remove_column":
            return difference[2] == "search_documents" and difference[3].name == "tsv"
    return False
