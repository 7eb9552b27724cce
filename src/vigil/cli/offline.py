"""``vigil offline``: screening packages for border posts with poor connectivity."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import (
    JsonOpt,
    TokenOpt,
    actor_for,
    console,
    database,
    emit_json,
    reported,
)
from vigil.screening import offline
from vigil.storage.uow import UnitOfWork

app = typer.Typer(help="Offline screening packages for border posts.", no_args_is_help=True)


@app.command("export")
def export(
    token: TokenOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the package.")],
    base: Annotated[str | None, typer.Option("--base", help="Refresh this package.")] = None,
    days: Annotated[int | None, typer.Option("--days", help="Valid for (default 7).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Export a package of what your member may see for a border post; prints the chain's
    key once (carry it apart from the file)."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            made = offline.export(uow, actor=actor, base_id=base, days=days)
    out.write_bytes(made.content)
    info = {"id": made.id, "kind": made.kind, "records": made.records,
            "expires_at": made.expires_at.isoformat(), "bytes": len(made.content),
            "key": made.key}  # fmt: skip
    if as_json:
        emit_json(info)
    else:
        console.print(f"{made.kind} package {made.id}: {made.records:,} records, "
                      f"{len(made.content):,} bytes, valid until {info['expires_at']}")  # fmt: skip
        if made.key:
            console.print("key (shown once; carry it to the post apart from the file):")
            sys.stdout.write(made.key + "\n")
