"""Users, tokens and sessions as the service hands them out."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from vigil.access.roles import Role


class User(BaseModel):
    id: str
    member: str
    role: Role
    name: str
    login: str | None
    created_at: datetime
    created_by: str
    disabled: bool


class TokenInfo(BaseModel):
    """A token as listed: never the secret itself, only its prefix."""

    id: str
    user_id: str
    prefix: str
    label: str
    created_at: datetime
    expires_at: datetime
    revoked: bool


class IssuedToken(BaseModel):
    """A new token: the only time its secret is shown."""

    token: str
    info: TokenInfo


class NewUser(BaseModel):
    """A user just created, with the token made for it."""

    user: User
    token: str
    token_id: str
    expires_at: datetime


class WebSession(BaseModel):
    """A signed-in browser: the cookie value (shown once) and its CSRF token."""

    cookie: str
    csrf_token: str
    expires_at: datetime
