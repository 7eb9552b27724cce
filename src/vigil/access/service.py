"""Accounts, tokens, sessions and authentication."""

from __future__ import annotations

from datetime import timedelta

from vigil import settings
from vigil.access import secrets, store, token_cache
from vigil.access.actors import Actor
from vigil.access.models import IssuedToken, NewUser, TokenInfo, User, WebSession
from vigil.access.roles import Role, check_role_for_member
from vigil.core import clock
from vigil.core.countries import GS
from vigil.core.ids import new_id
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthenticated,
)
from vigil.storage.uow import UnitOfWork

MIN_PASSWORD_LENGTH = 12


def add_user(
    uow: UnitOfWork,
    *,
    actor: Actor,
    member: str,
    role: Role,
    name: str,
    login: str | None = None,
    password: str | None = None,
    token_days: int | None = None,
) -> NewUser:
    """Create a user of ``member`` and a first API token for it.

    Administrators manage their own member's users; the General Secretariat's administrators
    (and the local operator) set up any member's.

    Raises:
        Forbidden: the actor may not manage users of that member.
        InvalidInput: unknown member, a role the member may not have, a weak password.
        Conflict: the login is taken.
    """
    _may_manage(actor, member)
    if not store.member_exists(uow.conn, member):
        raise InvalidInput(f"{member} is not a member.")
    check_role_for_member(member, role)
    if not name.strip():
        raise InvalidInput("A user needs a name.")
    if login is not None and store.login_taken(uow.conn, login):
        raise Conflict(f"The login {login!r} is taken.")
    if (password is None) != (login is None):
        raise InvalidInput("A web login needs both a login name and a password.")
    user_id = new_id()
    store.insert_user(
        uow.conn,
        {
            "id": user_id,
            "member": member,
            "role": role.value,
            "name": name.strip(),
            "login": login,
            "password_hash": None if password is None else _password_hash(password),
            "created_at": clock.now(),
            "created_by": actor.ref,
        },
    )
    issued = _issue(uow, user_id, label="first token", days=token_days)
    uow.audit(actor, "users.add", records=[user_id])
    user = store.get_user(uow.conn, user_id)
    assert user is not None
    return NewUser(
        user=user, token=issued.token, token_id=issued.info.id, expires_at=issued.info.expires_at
    )


def list_users(
    uow: UnitOfWork, *, actor: Actor, page: PageRequest, member: str | None = None
) -> Page[User]:
    """Users of the actor's member (any member's, for the General Secretariat)."""
    actor.require("users.manage")
    if actor.member != GS:
        if member not in (None, actor.member):
            raise Forbidden("Administrators see only their own member's users.")
        member = actor.member
    rows = store.list_users(uow.conn, member=member, after=page.after, limit=page.limit + 1)
    result = page_of(rows, page, key=lambda u: u.id)
    uow.audit(actor, "users.list", query={"member": member}, results=[u.id for u in result.items])
    return result


def disable_user(uow: UnitOfWork, *, actor: Actor, user_id: str) -> User:
    """Disable a user and revoke all its tokens and sessions at once."""
    user = _managed_user(uow, actor, user_id)
    now = clock.now()
    store.disable_user(uow.conn, user_id, now)
    store.revoke_all_of(uow.conn, user_id, now)
    uow.after_commit(token_cache.clear)
    uow.audit(actor, "users.disable", records=[user_id])
    return user.model_copy(update={"disabled": True})


def set_password(uow: UnitOfWork, *, actor: Actor, user_id: str, password: str) -> None:
    """Set a user's web password (its own, or as administrator of its member)."""
    if actor.user_id != user_id:
        _managed_user(uow, actor, user_id)
    store.set_password(uow.conn, user_id, _password_hash(password))
    uow.audit(actor, "users.password", records=[user_id])


def issue_token(
    uow: UnitOfWork, *, actor: Actor, label: str, days: int | None = None
) -> IssuedToken:
    """A new API token for the actor itself (for a script or another machine)."""
    actor.require("tokens.own")
    issued = _issue(uow, actor.user_id, label=label, days=days)
    uow.audit(actor, "tokens.issue", records=[issued.info.id])
    return issued


def list_tokens(uow: UnitOfWork, *, actor: Actor) -> list[TokenInfo]:
    """The actor's own tokens, without their secrets."""
    actor.require("tokens.own")
    return store.tokens_of(uow.conn, actor.user_id)


def revoke_token(uow: UnitOfWork, *, actor: Actor, token_id: str) -> TokenInfo:
    """Revoke a token: the actor's own, or one of a user the actor administers."""
    token = store.get_token(uow.conn, token_id)
    if token is None:
        raise NotFound(f"No token {token_id}.")
    if token.user_id != actor.user_id:
        _managed_user(uow, actor, token.user_id)
    store.revoke_token(uow.conn, token_id, clock.now())
    uow.after_commit(token_cache.clear)
    uow.audit(actor, "tokens.revoke", records=[token_id])
    return token.model_copy(update={"revoked": True})


def authenticate_token(uow: UnitOfWork, token: str) -> Actor:
    """The actor behind a bearer token; expired, revoked or unknown tokens are refused alike.

    Raises:
        Unauthenticated: the token is not valid now.
    """
    digest = secrets.digest(token)
    cached = token_cache.get(digest)
    if cached is not None:
        return cached
    user = store.token_owner(uow.conn, digest, clock.now())
    if user is None:
        raise Unauthenticated("The token is unknown, expired or revoked.")
    actor = _actor(uow, user)
    token_cache.put(digest, actor)
    return actor


def cached_token_actor(token: str) -> Actor | None:
    """The actor behind a token authenticated a moment ago, without the database (or None)."""
    return token_cache.get(secrets.digest(token))


def authenticate_session(uow: UnitOfWork, cookie: str) -> tuple[Actor, str]:
    """The actor and CSRF token behind a session cookie.

    Raises:
        Unauthenticated: the session is unknown, expired or ended.
    """
    found = store.session_owner(uow.conn, secrets.digest(cookie), clock.now())
    if found is None:
        raise Unauthenticated("The session has ended; sign in again.")
    user, csrf = found
    return _actor(uow, user), csrf


def attempt_login(
    uow: UnitOfWork, *, login: str, password: str, client: str
) -> tuple[Actor, WebSession] | None:
    """Check a password and open a web session; None for a wrong login or password.

    Failures are counted per login name and per client address and committed with the unit;
    past ``LOGIN_MAX_FAILURES`` in the window, attempts are refused before any check.

    Raises:
        TooManyRequests: too many recent failures for this login or client.
    """
    now = clock.now()
    window = timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
    if (
        store.failures_since(uow.conn, login=login, client=client, since=now - window)
        >= settings.LOGIN_MAX_FAILURES
    ):
        raise TooManyRequests(
            "Too many failed sign-ins; wait before trying again.",
            retry_after=settings.LOGIN_WINDOW_SECONDS,
        )
    found = store.user_by_login(uow.conn, login)
    user, stored = found if found is not None else (None, None)
    if user is None or user.disabled or not secrets.password_matches(stored, password):
        store.record_failure(uow.conn, login, client, now)
        return None
    store.clear_failures(uow.conn, login)
    cookie, csrf = secrets.new_secret(), secrets.new_secret()
    expires = now + timedelta(hours=settings.SESSION_TTL_HOURS)
    store.insert_session(
        uow.conn,
        {
            "id": new_id(),
            "user_id": user.id,
            "token_hash": secrets.digest(cookie),
            "csrf_token": csrf,
            "created_at": now,
            "expires_at": expires,
        },
    )
    actor = _actor(uow, user)
    uow.audit(actor, "auth.login", records=[user.id])
    return actor, WebSession(cookie=cookie, csrf_token=csrf, expires_at=expires)


def logout(uow: UnitOfWork, *, actor: Actor, cookie: str) -> None:
    """End a web session."""
    store.end_session(uow.conn, secrets.digest(cookie), clock.now())
    uow.audit(actor, "auth.logout", records=[actor.user_id])


def member_of(uow: UnitOfWork, *, user_id: str) -> str | None:
    """The member a user belongs to (None: no such user, or disabled). Not audited: callers
    that name users (networks) audit what they do with them."""
    user = store.get_user(uow.conn, user_id)
    return None if user is None or user.disabled else user.member


def _issue(uow: UnitOfWork, user_id: str, *, label: str, days: int | None) -> IssuedToken:
    lifetime = settings.TOKEN_TTL_DAYS if days is None else days
    if not 1 <= lifetime <= 730:
        raise InvalidInput("A token lives from 1 to 730 days.")
    token, now = secrets.new_token(), clock.now()
    info = TokenInfo(
        id=new_id(),
        user_id=user_id,
        prefix=token[:10],
        label=label[:200],
        created_at=now,
        expires_at=now + timedelta(days=lifetime),
        revoked=False,
    )
    store.insert_token(
        uow.conn, {**info.model_dump(exclude={"revoked"}), "token_hash": secrets.digest(token)}
    )
    return IssuedToken(token=token, info=info)


def _actor(uow: UnitOfWork, user: User) -> Actor:
    return Actor(
        user_id=user.id,
        member=user.member,
        role=user.role,
        name=user.name,
        networks=store.networks_of(uow.conn, user.member),
    )


def _may_manage(actor: Actor, member: str) -> None:
    actor.require("users.manage")
    if actor.member not in (GS, member):
        raise Forbidden("Administrators manage only their own member's users.")


def _managed_user(uow: UnitOfWork, actor: Actor, user_id: str) -> User:
    user = store.get_user(uow.conn, user_id)
    if user is None or actor.member not in (GS, user.member):
        raise NotFound(f"No user {user_id}.")
    _may_manage(actor, user.member)
    return user


def _password_hash(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
    return secrets.hash_password(password)
