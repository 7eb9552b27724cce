"""``vigil audit``: check the chain; see who touched a record."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from vigil.audit import service as audit
from vigil.cli.common import JsonOpt, TokenOpt, actor_for, console, database, emit_json, reported
from vigil.core.pagination import page_request
from vigil.storage.uow import UnitOfWork

app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)


@app.command("verify")
def verify(as_json: JsonOpt = False) -> None:
    """Check every entry of the chain; exit 1 naming the first bad entry."""
    with database() as db, Progress(console=console, transient=True) as progress:
        task = progress.add_task("Verifying the audit chain", total=None)
        result = audit.verify(db, progress=lambda n: progress.update(task, completed=n))
    if as_json:
        emit_json(
            {
                "ok": result.ok,
                "checked": result.checked,
                "bad_seq": result.bad_seq,
                "bad_id": result.bad_id,
                "reason": result.reason,
            }
        )
    elif result.ok:
        console.print(f"The audit chain is whole: {result.checked} entries.")
    else:
        which = (
            f"entry {result.bad_id} (seq {result.bad_seq})"
            if result.bad_id
            else f"seq {result.bad_seq}"
        )
        console.print(f"[red]The audit chain is broken at {which}:[/red] {result.reason}")
    if not result.ok:
        raise typer.Exit(1)


@app.command("trail")
def trail(
    record_id: Annotated[str, typer.Argument(help="A record your member owns.")],
    token: TokenOpt,
    limit: Annotated[int, typer.Option("--limit")] = 100,
    as_json: JsonOpt = False,
) -> None:
    """Who read, searched or changed one of your records."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            page = audit.record_trail(
                uow, actor=actor, record_id=record_id, page=page_request(None, limit)
            )
    if as_json:
        emit_json(page.items)
        return
    table = Table("when", "member", "actor", "action")
    for e in page.items:
        table.add_row(e.at.isoformat(timespec="seconds"), e.member, e.actor, e.action)
    console.print(table)
