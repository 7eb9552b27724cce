"""Request and response shapes that only the HTTP API has (domain types are reused as is)."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from vigil.access.models import User
from vigil.access.roles import Role
from vigil.core.pagination import Page
from vigil.documents.bulk import LoadSummary

T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    """One page; pass ``next_cursor`` as ``cursor`` to get the next (null: no more)."""

    items: list[T]
    next_cursor: str | None

    @classmethod
    def of(cls, page: Page[T]) -> PageOut[T]:
        return cls(items=page.items, next_cursor=page.next_cursor)


class LoginIn(BaseModel):
    login: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class SessionOut(BaseModel):
    user_id: str
    member: str
    role: Role
    name: str
    csrf_token: str
    expires_at: datetime


class UserIn(BaseModel):
    member: str = Field(min_length=2, max_length=3)
    role: Role
    name: str = Field(min_length=1, max_length=200)
    login: str | None = Field(default=None, min_length=3, max_length=200)
    password: str | None = Field(default=None, max_length=1000)
    token_days: int | None = None


class UserCreated(BaseModel):
    user: User
    token: str | None = Field(description="Shown once; null when the answer is a replay.")
    token_id: str
    expires_at: datetime


class TokenIn(BaseModel):
    label: str = Field(min_length=1, max_length=200)
    days: int | None = None


class Me(BaseModel):
    user_id: str
    member: str
    role: Role
    name: str
    networks: list[str]


class UnreadCount(BaseModel):
    unread: int


class LineErrorOut(BaseModel):
    line: int
    message: str


class LoadOut(BaseModel):
    """What a bulk load did: lines read, added, already present, refused (with why)."""

    read: int
    added: int
    already_present: int
    refused: int
    errors: list[LineErrorOut]

    @classmethod
    def of(cls, summary: LoadSummary) -> LoadOut:
        return cls(
            read=summary.read,
            added=summary.added,
            already_present=summary.already_present,
            refused=summary.refused,
            errors=[LineErrorOut(line=e.line, message=e.message) for e in summary.errors],
        )
