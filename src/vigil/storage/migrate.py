"""Bringing a database to the current schema, and the reference data that goes with it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from vigil.core.countries import members
from vigil.storage import indexes
from vigil.storage.engine import Database
from vigil.storage.tables import members as members_table
from vigil.storage.tables import metadata

_MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["engine"] = db.engine
    return config


def upgrade(db: Database) -> None:
    """Apply every pending migration, bring the member list up to date, and build any index
    a killed bulk load left set aside (``storage.indexes``)."""
    with db.writer():
        command.upgrade(alembic_config(db), "head")
        with db.engine.connect().execution_options(vigil_write=True) as conn, conn.begin():
            sync_members(conn)
    indexes.restore(db, metadata.sorted_tables)


def sync_members(conn: sa.Connection) -> None:
    """Insert members that are new to this database and refresh names (never delete)."""
    known = {row.code: row.name for row in conn.execute(sa.select(members_table))}
    for member in members():
        if member.code not in known:
            conn.execute(
                members_table.insert().values(code=member.code, name=member.name, kind=member.kind)
            )
        elif known[member.code] != member.name:
            conn.execute(
                members_table.update()
                .where(members_table.c.code == member.code)
                .values(name=member.name)
            )


def is_current(db: Database) -> bool:
    """Whether the database is at the newest migration (readiness)."""
    head = ScriptDirectory.from_config(alembic_config(db)).get_current_head()
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head
