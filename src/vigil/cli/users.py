"""``vigil users``: accounts and their tokens."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.table import Table

from vigil.access import service as access
from vigil.access.actors import operator
from vigil.access.models import TokenInfo, User
from vigil.access.roles import Role, parse_role
from vigil.cli.common import JsonOpt, console, database, emit_json, reported
from vigil.core.pagination import page_request
from vigil.storage.uow import UnitOfWork

app = typer.Typer(help="Accounts of members and their API tokens.", no_args_is_help=True)

RoleOpt = Annotated[str, typer.Option("--role", help=f"One of {', '.join(r.value for r in Role)}.")]


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("Password: ")


@app.command("add")
def add(
    member: Annotated[str, typer.Option("--member", help="ISO 3166-1 alpha-3 code, or GS.")],
    role: RoleOpt,
    name: Annotated[str, typer.Option("--name", help="The person or machine.")],
    login: Annotated[str | None, typer.Option("--login", help="Web login name.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the web password from stdin.")
    ] = False,
    days: Annotated[int | None, typer.Option("--days", help="Token lifetime in days.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a user and print its API token (shown only now)."""
    password = _password(password_stdin) if login is not None else None
    with reported(), database() as db, UnitOfWork(db, write=True) as uow:
        created = access.add_user(
            uow,
            actor=operator(),
            member=member.upper(),
            role=parse_role(role),
            name=name,
            login=login,
            password=password,
            token_days=days,
        )
    if as_json:
        emit_json(
            {
                **created.user.model_dump(mode="json"),
                "token": created.token,
                "token_id": created.token_id,
                "expires_at": created.expires_at.isoformat(),
            }
        )
        return
    console.print(
        f"Created {created.user.name} ({created.user.member}, {created.user.role.value})."
    )
    console.print("API token (shown once; keep it safe):")
    print(created.token)


@app.command("list")
def list_users(
    member: Annotated[str | None, typer.Option("--member")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List users (of one member with --member)."""
    users = []
    with reported(), database() as db:
        cursor = None
        while True:
            with UnitOfWork(db, write=False) as uow:
                page = access.list_users(
                    uow,
                    actor=operator(),
                    page=page_request(cursor, 500),
                    member=member.upper() if member else None,
                )
            users.extend(page.items)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    if as_json:
        emit_json(users)
        return
    table = Table("id", "member", "role", "name", "login", "status")
    for u in users:
        table.add_row(
            u.id,
            u.member,
            u.role.value,
            u.name,
            u.login or "",
            "disabled" if u.disabled else "active",
        )
    console.print(table)


@app.command("revoke")
def revoke(
    user_id: Annotated[
        str | None, typer.Argument(help="Disable this user and all its tokens.")
    ] = None,
    token: Annotated[str | None, typer.Option("--token-id", help="Revoke only this token.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Disable a user (all its tokens and sessions stop at once), or revoke one token."""
    if (user_id is None) == (token is None):
        console.print("[red]error:[/red] give a USER_ID or --token-id, not both")
        raise typer.Exit(2)
    result: TokenInfo | User
    with reported(), database() as db, UnitOfWork(db, write=True) as uow:
        if token is not None:
            result = access.revoke_token(uow, actor=operator(), token_id=token)
        else:
            assert user_id is not None
            result = access.disable_user(uow, actor=operator(), user_id=user_id)
    if as_json:
        emit_json(result)
    else:
        console.print("Revoked.")


@app.command("passwd")
def passwd(
    user_id: Annotated[str, typer.Argument()],
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Set a user's web password."""
    password = _password(password_stdin)
    with reported(), database() as db, UnitOfWork(db, write=True) as uow:
        access.set_password(uow, actor=operator(), user_id=user_id, password=password)
    console.print("Password set.")
