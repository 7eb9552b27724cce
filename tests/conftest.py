"""Fixtures: a migrated database (SQLite, or PostgreSQL with VIGIL_TEST_DATABASE_URL), users,
records and HTTP clients. Each test starts from empty tables (members stay)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
import uvicorn
from fastapi.testclient import TestClient

from vigil.access import service as access
from vigil.access.actors import Actor, operator
from vigil.access.envelope import Audience, Envelope, EnvelopeIn
from vigil.access.roles import Role
from vigil.api.app import create_app
from vigil.records import service as records
from vigil.runtime import open_database
from vigil.storage.engine import Database
from vigil.storage.migrate import upgrade
from vigil.storage.tables import metadata
from vigil.storage.uow import UnitOfWork

_KEEP = {"members"}
ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 10.0


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist's workers inherit COLUMNS=80 and LINES=24, which the CLI's console fixes
    # as its size when imported: a test could then not widen it by setting COLUMNS.
    if hasattr(config, "workerinput"):
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> str:
    url = os.environ.get("VIGIL_TEST_DATABASE_URL")
    if url is None:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'vigil.db'}"
    # Tests run in parallel processes (pytest-xdist): a database of its own for each.
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if worker is not None:
        url = _database_of_its_own(url, worker)
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # a clean slate: drop what an earlier run left
        metadata.drop_all(conn)
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    return url


def _database_of_its_own(url: str, worker: str) -> str:
    """``url`` with its database name suffixed by ``worker``, created when missing."""
    own = sa.make_url(url)
    own = own.set(database=f"{own.database}_{worker}")
    admin = sa.create_engine(own.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}
        )
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
    admin.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    db = Database.from_url(database_url)
    upgrade(db)
    db.close()
    return database_url


def _empty_tables(db: Database) -> None:
    with db.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if table.name not in _KEEP:
                conn.execute(table.delete())


@pytest.fixture
def db(migrated: str) -> Iterator[Database]:
    """A database whose commands handle events inline (deterministic)."""
    database = open_database(migrated, serving=False)
    _empty_tables(database)
    yield database
    database.close()


@pytest.fixture
def serving_db(migrated: str) -> Iterator[Database]:
    """A database as the server runs it: group-commit audit, background dispatcher."""
    database = open_database(migrated, serving=True)
    _empty_tables(database)
    yield database
    database.close()


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


@dataclass(frozen=True)
class Officer:
    actor: Actor
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_user(
    db: Database,
    member: str,
    role: Role = Role.NCB,
    *,
    login: str | None = None,
    password: str | None = None,
) -> Officer:
    with UnitOfWork(db, write=True) as uow:
        created = access.add_user(
            uow,
            actor=operator("test"),
            member=member,
            role=role,
            name=f"{member} {role.value}",
            login=login,
            password=password,
        )
    with UnitOfWork(db, write=False) as uow:
        actor = access.authenticate_token(uow, created.token)
    return Officer(actor=actor, token=created.token)


def make_record(
    db: Database,
    owner: Officer,
    *,
    audience: Audience | None = None,
    title: str = "a record",
    announce: bool = False,
    kind: str = "test.record",
) -> Envelope:
    envelope = EnvelopeIn(audience=audience or Audience.everyone())
    with UnitOfWork(db, write=True) as uow:
        return records.register(
            uow, actor=owner.actor, kind=kind, title=title, envelope=envelope, announce=announce
        )


@pytest.fixture
def fra(db: Database) -> Officer:
    return make_user(db, "FRA")


@pytest.fixture
def deu(db: Database) -> Officer:
    return make_user(db, "DEU")


@dataclass(frozen=True)
class LiveServer:
    url: str
    db: Database


@pytest.fixture
def live_server(migrated: str) -> Iterator[LiveServer]:
    """The app as `make run` serves it: background dispatcher, uvicorn on a free local port."""
    db = open_database(migrated, serving=True)
    _empty_tables(db)
    # The socket is bound before the server starts, so no other process can take the port.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    config = uvicorn.Config(
        create_app(db), log_level="warning", lifespan="on", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://{host}:{port}", db=db)
    finally:
        server.should_exit = True
        thread.join(timeout=START_SECONDS)
        sock.close()
        db.close()
