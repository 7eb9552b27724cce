"""SQL of users, tokens, web sessions, failed logins and network membership."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from vigil.access.models import TokenInfo, User
from vigil.access.roles import Role
from vigil.storage.tables import (
    api_tokens,
    login_failures,
    members,
    network_members,
    users,
    web_sessions,
)


def member_exists(conn: sa.Connection, code: str) -> bool:
    return conn.execute(sa.select(members.c.code).where(members.c.code == code)).first() is not None


def insert_user(conn: sa.Connection, row: dict[str, Any]) -> None:
    conn.execute(users.insert().values(**row))


def login_taken(conn: sa.Connection, login: str) -> bool:
    return conn.execute(sa.select(users.c.id).where(users.c.login == login)).first() is not None


def get_user(conn: sa.Connection, user_id: str) -> User | None:
    row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
    return None if row is None else _user(row)


def user_by_login(conn: sa.Connection, login: str) -> tuple[User, str | None] | None:
    row = conn.execute(sa.select(users).where(users.c.login == login)).first()
    return None if row is None else (_user(row), row.password_hash)


def list_users(
    conn: sa.Connection, *, member: str | None, after: str | None, limit: int
) -> list[User]:
    query = sa.select(users).order_by(users.c.id).limit(limit)
    if member is not None:
        query = query.where(users.c.member == member)
    if after is not None:
        query = query.where(users.c.id > after)
    return [_user(row) for row in conn.execute(query)]


def set_password(conn: sa.Connection, user_id: str, password_hash: str) -> None:
    conn.execute(users.update().where(users.c.id == user_id).values(password_hash=password_hash))


def disable_user(conn: sa.Connection, user_id: str, at: datetime) -> None:
    conn.execute(users.update().where(users.c.id == user_id).values(disabled_at=at))


def insert_token(conn: sa.Connection, row: dict[str, Any]) -> None:
    conn.execute(api_tokens.insert().values(**row))


def token_owner(conn: sa.Connection, token_hash: str, now: datetime) -> User | None:
    """The enabled user behind an unexpired, unrevoked token."""
    query = (
        sa.select(users)
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(
            api_tokens.c.token_hash == token_hash,
            api_tokens.c.revoked_at.is_(None),
            api_tokens.c.expires_at > now,
            users.c.disabled_at.is_(None),
        )
    )
    row = conn.execute(query).first()
    return None if row is None else _user(row)


def get_token(conn: sa.Connection, token_id: str) -> TokenInfo | None:
    row = conn.execute(sa.select(api_tokens).where(api_tokens.c.id == token_id)).first()
    return None if row is None else _token(row)


def tokens_of(conn: sa.Connection, user_id: str) -> list[TokenInfo]:
    query = sa.select(api_tokens).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)
    return [_token(row) for row in conn.execute(query)]


def revoke_token(conn: sa.Connection, token_id: str, at: datetime) -> None:
    conn.execute(
        api_tokens.update()
        .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )


def revoke_all_of(conn: sa.Connection, user_id: str, at: datetime) -> None:
    for table in (api_tokens, web_sessions):
        conn.execute(
            table.update()
            .where(table.c.user_id == user_id, table.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )


def insert_session(conn: sa.Connection, row: dict[str, Any]) -> None:
    conn.execute(web_sessions.insert().values(**row))


def session_owner(conn: sa.Connection, token_hash: str, now: datetime) -> tuple[User, str] | None:
    """The user and CSRF token of a live session."""
    query = (
        sa.select(users, web_sessions.c.csrf_token)
        .join(web_sessions, web_sessions.c.user_id == users.c.id)
        .where(
            web_sessions.c.token_hash == token_hash,
            web_sessions.c.revoked_at.is_(None),
            web_sessions.c.expires_at > now,
            users.c.disabled_at.is_(None),
        )
    )
    row = conn.execute(query).first()
    return None if row is None else (_user(row), row.csrf_token)


def end_session(conn: sa.Connection, token_hash: str, at: datetime) -> None:
    conn.execute(
        web_sessions.update().where(web_sessions.c.token_hash == token_hash).values(revoked_at=at)
    )


def record_failure(conn: sa.Connection, login: str, client: str, at: datetime) -> None:
    conn.execute(login_failures.insert().values(login=login, client=client, at=at))


def failures_since(conn: sa.Connection, *, login: str, client: str, since: datetime) -> int:
    """Failed logins for this login name or from this client since ``since`` (the larger)."""
    counts = []
    for column, value in ((login_failures.c.login, login), (login_failures.c.client, client)):
        query = sa.select(sa.func.count()).where(column == value, login_failures.c.at > since)
        counts.append(conn.scalar(query) or 0)
    return max(counts)


def clear_failures(conn: sa.Connection, login: str) -> None:
    conn.execute(login_failures.delete().where(login_failures.c.login == login))


def networks_of(conn: sa.Connection, member: str) -> frozenset[str]:
    query = sa.select(network_members.c.network_id).where(network_members.c.member == member)
    return frozenset(conn.scalars(query))


def _user(row: Any) -> User:
    return User(
        id=row.id,
        member=row.member,
        role=Role(row.role),
        name=row.name,
        login=row.login,
        created_at=row.created_at,
        created_by=row.created_by,
        disabled=row.disabled_at is not None,
    )


def _token(row: Any) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        user_id=row.user_id,
        prefix=row.prefix,
        label=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked=row.revoked_at is not None,
    )
