"""Demo accounts, one per role, created once; their passwords are kept in the data folder."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from vigil.access import service as access
from vigil.access import store as access_store
from vigil.access.actors import operator
from vigil.access.roles import Role
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

# (login, member, role, name): two NCBs so that sharing between countries can be shown.
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str], ...] = (
    ("fra.ncb", "FRA", Role.NCB, "NCB Paris officer"),
    ("deu.ncb", "DEU", Role.NCB, "NCB Wiesbaden officer"),
    ("esp.frontline", "ESP", Role.FRONTLINE, "Madrid-Barajas border officer"),
    ("nld.analyst", "NLD", Role.ANALYST, "NCB The Hague analyst"),
    ("gs.reviewer", "GS", Role.REVIEWER, "General Secretariat reviewer"),
    ("fra.partner", "FRA", Role.PARTNER, "Airline document check"),
    ("fra.admin", "FRA", Role.ADMIN, "NCB Paris administrator"),
)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    login: str
    password: str
    member: str
    role: str
    token: str


def ensure_demo_accounts(db: Database, logins_file: Path) -> list[DemoLogin]:
    """Create the demo accounts that do not exist yet; return every demo login.

    Passwords and tokens are random, shown only to the operator, and kept (mode 600) in
    ``logins_file`` so that ``make run`` can print them again.
    """
    known = _read(logins_file)
    for login, member, role, name in DEMO_ACCOUNTS:
        with UnitOfWork(db, write=True) as uow:
            if access_store.login_taken(uow.conn, login):
                continue
            password = secrets.token_urlsafe(12)
            created = access.add_user(
                uow,
                actor=operator("demo"),
                member=member,
                role=role,
                name=name,
                login=login,
                password=password,
            )
        known[login] = DemoLogin(login, password, member, role.value, created.token)
    _write(logins_file, known)
    return [known[login] for login, *_ in DEMO_ACCOUNTS if login in known]


def _read(path: Path) -> dict[str, DemoLogin]:
    if not path.exists():
        return {}
    return {row["login"]: DemoLogin(**row) for row in json.loads(path.read_text())}


def _write(path: Path, logins: dict[str, DemoLogin]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps([asdict(v) for v in logins.values()], indent=2)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(data)
