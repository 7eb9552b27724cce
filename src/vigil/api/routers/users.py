"""Users and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from vigil.access import service as access
from vigil.access.models import IssuedToken, TokenInfo, User
from vigil.api.deps import ActorDep, DbDep, PageDep, reading, writing
from vigil.api.idempotency import run_idempotent
from vigil.api.schemas import PageOut, TokenIn, UserCreated, UserIn

router = APIRouter(prefix="/api/v1", tags=["users"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


@router.post("/users", status_code=201, response_model=UserCreated)
def add_user(
    body: UserIn, request: Request, actor: ActorDep, db: DbDep, key: IdempotencyKey = None
) -> JSONResponse:
    """Create a user of a member with a first API token (shown once)."""
    return run_idempotent(
        request,
        db,
        actor,
        key=key,
        payload=body.model_dump(exclude={"password"}),
        create=lambda uow: access.add_user(
            uow,
            actor=actor,
            member=body.member,
            role=body.role,
            name=body.name,
            login=body.login,
            password=body.password,
            token_days=body.token_days,
        ),
        secret_fields=("token",),
    )


@router.get("/users")
def list_users(
    actor: ActorDep, db: DbDep, page: PageDep, member: str | None = None
) -> PageOut[User]:
    """Users of the caller's member (any member's, for the General Secretariat)."""
    with reading(db) as uow:
        return PageOut.of(access.list_users(uow, actor=actor, page=page, member=member))


@router.post("/users/{user_id}/disable")
def disable_user(user_id: str, actor: ActorDep, db: DbDep) -> User:
    """Disable a user; its tokens and sessions stop working at once."""
    with writing(db) as uow:
        return access.disable_user(uow, actor=actor, user_id=user_id)


@router.post("/tokens", status_code=201, response_model=IssuedToken)
def issue_token(
    body: TokenIn, request: Request, actor: ActorDep, db: DbDep, key: IdempotencyKey = None
) -> JSONResponse:
    """A new API token for the caller (shown once)."""
    return run_idempotent(
        request,
        db,
        actor,
        key=key,
        payload=body,
        create=lambda uow: access.issue_token(uow, actor=actor, label=body.label, days=body.days),
        secret_fields=("token",),
    )


@router.get("/tokens")
def list_tokens(actor: ActorDep, db: DbDep) -> list[TokenInfo]:
    """The caller's tokens, without their secrets."""
    with reading(db) as uow:
        return access.list_tokens(uow, actor=actor)


@router.delete("/tokens/{token_id}")
def revoke_token(token_id: str, actor: ActorDep, db: DbDep) -> TokenInfo:
    """Revoke a token (the caller's own, or one of a user it administers)."""
    with writing(db) as uow:
        return access.revoke_token(uow, actor=actor, token_id=token_id)
