"""Search rows without their text: what a search reads is the index, not a copy of the words.

The text was kept three times: in the message or report, in ``search_documents.body`` and, on
SQLite, in the FTS5 table, which is the only copy a search reads there. On PostgreSQL the body
was read only to compute the tsvector; it is now computed when the row is written, and the row
holds the tsvector alone (about 820 bytes, not 1,250: ten rows to a page, not six). The index
on (kind, record_id) no longer carries the tsvector (it was 1.2 GB at 1,000,000 records, as big
as the table): a broad search now finds the newest records' matches through the full-text index
intersected with a range of ids (``messaging/fulltext.py``), and reads only those rows.

PostgreSQL rewrites the table (CLUSTER, in id order, which is the order the records came in),
so that the dropped text's space comes back at once, then vacuums it; it holds the table's lock
meanwhile: 45 s at 1,000,000 records.

Downgrading puts a body back: on SQLite the FTS5 table's exact copy; on PostgreSQL the words
of the tsvector (searches find the same records; their positions, which ranking weighs, are
those of the word list).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 12:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_documents ALTER COLUMN tsv DROP EXPRESSION")
        op.execute("ALTER TABLE search_documents ALTER COLUMN tsv SET NOT NULL")
        op.drop_column("search_documents", "body")
        op.drop_index("ix_search_documents_kind_record_id", table_name="search_documents")
        op.create_index(
            "ix_search_documents_kind_record_id", "search_documents", ["kind", "record_id"]
        )
        op.execute("CLUSTER search_documents USING pk_search_documents")
        # A rewritten table has no visibility map until a vacuum, and autovacuum waits for
        # inserts to come: the slices' bounds would read the table instead of the index.
        with op.get_context().autocommit_block():
            op.execute("VACUUM ANALYZE search_documents")
    else:
        with op.batch_alter_table("search_documents", schema=None) as batch_op:
            batch_op.drop_column("body")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("search_documents", sa.Column("body", sa.Text(), nullable=True))
        op.execute(
            "UPDATE search_documents SET body = array_to_string(tsvector_to_array(tsv), ' ')"
        )
        op.alter_column("search_documents", "body", nullable=False)
        op.drop_index("ix_search_documents_kind_record_id", table_name="search_documents")
        op.drop_index("ix_search_documents_tsv", table_name="search_documents")
        op.drop_column("search_documents", "tsv")
        op.execute(
            "ALTER TABLE search_documents ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED"
        )
        op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)")
        op.execute(
            "CREATE INDEX ix_search_documents_kind_record_id ON search_documents "
            "(kind, record_id) INCLUDE (tsv)"
        )
    else:
        with op.batch_alter_table("search_documents", schema=None) as batch_op:
            batch_op.add_column(sa.Column("body", sa.Text(), nullable=False, server_default=""))
        op.execute(
            "UPDATE search_documents SET body = coalesce((SELECT f.body FROM search_fts f "
            "WHERE f.record_id = search_documents.record_id), '')"
        )
