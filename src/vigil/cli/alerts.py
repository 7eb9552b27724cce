"""``vigil alerts``: the member's inbox."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from vigil.alerts import service as alerts
from vigil.cli.common import JsonOpt, TokenOpt, actor_for, console, database, emit_json, reported
from vigil.core.pagination import page_request
from vigil.storage.uow import UnitOfWork

app = typer.Typer(help="Your member's alerts.", no_args_is_help=True)


@app.command("list")
def list_alerts(
    token: TokenOpt,
    unread: Annotated[bool, typer.Option("--unread")] = False,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Alerts, newest first."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            page = alerts.inbox(
                uow, actor=actor, page=page_request(None, limit), unread_only=unread
            )
    if as_json:
        emit_json(page.items)
        return
    table = Table("when", "kind", "title", "read")
    for a in page.items:
        table.add_row(
            a.created_at.isoformat(timespec="seconds"), a.kind, a.title, "yes" if a.read_at else ""
        )
    console.print(table)


@app.command("read")
def mark_read(alert_id: str, token: TokenOpt) -> None:
    """Mark an alert read."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            alerts.mark_read(uow, actor=actor, alert_id=alert_id)
    console.print("Marked read.")
