"""``vigil hits``: confirm or deny, record the action, follow hits up."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from vigil.cli.common import (
    JsonOpt,
    TokenOpt,
    actor_for,
    console,
    database,
    emit_json,
    reported,
    validated,
)
from vigil.core.pagination import page_request
from vigil.screening import followup
from vigil.screening.models import (
    ActionIn,
    ActionTaken,
    DeadlinesIn,
    HitRecord,
    HitStatus,
    Identity,
)
from vigil.storage.uow import UnitOfWork

app = typer.Typer(help="Hits: confirm or deny, record the action, follow up.", no_args_is_help=True)


@app.command("list")
def list_hits(
    token: TokenOpt,
    role: Annotated[str | None, typer.Option("--role", help="owner or checking")] = None,
    status: Annotated[HitStatus | None, typer.Option("--status")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Your member's hits, newest first."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            page = followup.list_hits(uow, actor=actor, page=page_request(cursor, limit),
                                      role=role, status=status)  # fmt: skip
    if as_json:
        emit_json({"items": [h.model_dump(mode="json") for h in page.items],
                   "next_cursor": page.next_cursor})  # fmt: skip
        return
    table = Table("id", "kind", "owner", "checked by", "urgency", "status", "deadline")
    for h in page.items:
        deadline = h.deadline_at.isoformat(timespec="minutes") if h.deadline_at else ""
        late = " [red](overdue)[/red]" if h.overdue else ""
        table.add_row(h.id, h.kind, h.owner, h.checking_member, h.urgency.value,
                      h.status.value, deadline + late)  # fmt: skip
    console.print(table)
    if page.next_cursor:
        console.print(f"more: --cursor {page.next_cursor}")


@app.command("show")
def show_hit(hit_id: str, token: TokenOpt) -> None:
    """One hit with its follow-up, as JSON."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            emit_json(followup.get(uow, actor=actor, hit_id=hit_id))


@app.command("identity")
def identity(
    hit_id: str,
    token: TokenOpt,
    answer: Annotated[Identity, typer.Option("--answer", help="confirmed or denied")],
    note: Annotated[str | None, typer.Option("--note")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The owner confirms or denies the identity (denied: a false hit)."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            done = followup.answer_identity(uow, actor=actor, hit_id=hit_id, identity=answer,
                                            note=note)  # fmt: skip
    _hit_done(done, as_json)


@app.command("action")
def action(
    hit_id: str,
    token: TokenOpt,
    taken: Annotated[ActionTaken, typer.Option("--action")],
    reason: Annotated[str | None, typer.Option("--reason", help="Required with no_action.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The checking member records what it did (the hit is then closed)."""
    with reported():
        body = validated(ActionIn, {"action": taken, "reason": reason})
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                done = followup.record_action(uow, actor=actor, hit_id=hit_id,
                                              action=body.action, reason=body.reason)  # fmt: skip
    _hit_done(done, as_json)


@app.command("note")
def note(hit_id: str, token: TokenOpt, text: Annotated[str, typer.Argument()],
         as_json: JsonOpt = False) -> None:  # fmt: skip
    """A message to the other member, kept on the hit."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            done = followup.add_note(uow, actor=actor, hit_id=hit_id, text=text)
    _hit_done(done, as_json)


@app.command("escalate")
def escalate(as_json: JsonOpt = False) -> None:
    """Operator: escalate the hits past their deadline now (the server does it on its own)."""
    with reported(), database() as db:
        done = followup.sweep(db)
    if as_json:
        emit_json({"escalated": done})
    else:
        console.print(f"{len(done)} hit(s) escalated")


@app.command("deadlines")
def deadlines(
    token: TokenOpt,
    urgent: Annotated[int | None, typer.Option("--urgent", help="Minutes.")] = None,
    routine: Annotated[int | None, typer.Option("--routine", help="Minutes.")] = None,
) -> None:
    """Your member's deadlines to answer hits; set them with --urgent / --routine."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        if urgent is None and routine is None:
            with UnitOfWork(db, write=False) as uow:
                emit_json(followup.deadlines(uow, actor=actor))
            return
        change = validated(DeadlinesIn, {"urgent": urgent, "routine": routine})
        with UnitOfWork(db, write=True) as uow:
            emit_json(followup.set_deadlines(uow, actor=actor, change=change))


def _hit_done(done: HitRecord, as_json: bool) -> None:
    if as_json:
        emit_json(done)
    else:
        console.print(
            f"hit {done.id}: {done.status.value}" + (f", {done.action}" if done.action else "")
        )
