"""``vigil records``: record envelopes of any kind."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from vigil.cli.common import JsonOpt, TokenOpt, actor_for, console, database, emit_json, reported
from vigil.core.pagination import page_request
from vigil.errors import InvalidInput
from vigil.records import service as records
from vigil.records.service import EnvelopeChange
from vigil.storage.uow import UnitOfWork

app = typer.Typer(help="Envelopes of shared records.", no_args_is_help=True)


@app.command("list")
def list_records(
    token: TokenOpt,
    kind: Annotated[str | None, typer.Option("--kind")] = None,
    owner: Annotated[str | None, typer.Option("--owner")] = None,
    review_due: Annotated[
        bool, typer.Option("--review-due", help="Only those past review.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Records you may see, newest first."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            page = records.list_records(
                uow,
                actor=actor,
                page=page_request(cursor, limit),
                kind=kind,
                owner=owner.upper() if owner else None,
                review_due=review_due,
            )
    if as_json:
        emit_json(
            {
                "items": [r.model_dump(mode="json") for r in page.items],
                "next_cursor": page.next_cursor,
            }
        )
        return
    table = Table("id", "kind", "owner", "handling", "review by", "title")
    for r in page.items:
        table.add_row(r.id, r.kind, r.owner, r.handling, str(r.review_by), r.title)
    console.print(table)
    if page.next_cursor:
        console.print(f"more: --cursor {page.next_cursor}")


@app.command("show")
def show(record_id: str, token: TokenOpt) -> None:
    """One record's envelope, as JSON."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            emit_json(records.get(uow, actor=actor, record_id=record_id))


@app.command("envelope")
def change(
    record_id: str,
    token: TokenOpt,
    change_json: Annotated[
        str, typer.Argument(help='e.g. \'{"audience": {"only": ["FRA"]}, "handling": "H2"}\'')
    ],
) -> None:
    """Change a record's audience, handling, review date or provenance (owner only)."""
    with reported():
        try:
            change = EnvelopeChange.model_validate(json.loads(change_json))
        except (ValueError, ValidationError) as exc:
            raise InvalidInput(f"Not a valid envelope change: {exc}") from exc
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                emit_json(
                    records.change_envelope(uow, actor=actor, record_id=record_id, change=change)
                )
