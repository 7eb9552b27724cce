"""What every command shares: opening the database, the acting user, output and errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from vigil.access import service as access
from vigil.access.actors import Actor, operator
from vigil.documents.bulk import LoadSummary
from vigil.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthenticated,
    VigilError,
)
from vigil.runtime import open_database
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

console = Console(stderr=True)

# Exit codes scripts can rely on (1 is kept for "the check failed", as in `audit verify`).
EXIT_CODES: dict[type[VigilError], int] = {
    InvalidInput: 2,
    NotFound: 3,
    Unauthenticated: 4,
    Forbidden: 4,
    Conflict: 5,
    TooManyRequests: 6,
}

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
TokenOpt = Annotated[
    str,
    typer.Option("--token", envvar="VIGIL_TOKEN", help="Your API token (or set VIGIL_TOKEN)."),
]


@contextmanager
def database() -> Iterator[Database]:
    """The configured database, with events handled inline before the command returns."""
    db = open_database(serving=False)
    try:
        yield db
    finally:
        db.close()


def fail(error: VigilError) -> NoReturn:
    """Print the error for a person and exit with its code."""
    console.print(f"[red]error:[/red] {error.detail}")
    raise typer.Exit(EXIT_CODES.get(type(error), 1))


@contextmanager
def reported() -> Iterator[None]:
    """Turn service errors into a message and an exit code (no traceback)."""
    try:
        yield
    except VigilError as exc:
        fail(exc)


def actor_for(db: Database, token: str) -> Actor:
    """The user behind a token, authenticated exactly as the API does."""
    with UnitOfWork(db, write=False) as uow:
        return access.authenticate_token(uow, token)


def emit_json(value: Any) -> None:
    """Write ``value`` as JSON on standard output."""
    if isinstance(value, BaseModel):
        text = value.model_dump_json(indent=2)
    elif isinstance(value, list) and all(isinstance(v, BaseModel) for v in value):
        text = json.dumps([v.model_dump(mode="json") for v in value], indent=2, ensure_ascii=False)
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(text + "\n")


OptionalToken = Annotated[
    str | None,
    typer.Option("--token", envvar="VIGIL_TOKEN", help="Your API token (or set VIGIL_TOKEN)."),
]


def json_object(text: str) -> dict[str, Any]:
    """A JSON object given on the command line, or ``InvalidInput`` saying what is wrong."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"Not JSON: {exc.msg}.") from None
    if not isinstance(value, dict):
        raise InvalidInput("Expected a JSON object.")
    return value


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], fields: dict[str, Any]) -> M:
    """``fields`` (options left out are None) as ``model``, or ``InvalidInput`` naming the
    first field that is wrong."""
    try:
        return model.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "input"
        raise InvalidInput(f"{where}: {first['msg']}") from None


def loading_actor(db: Database, token: str | None, as_owners: bool, name: str) -> Actor:
    """Who runs a bulk load: the token's user, or the local operator acting for each line's
    owner (``--as-owners``, no token)."""
    if as_owners:
        if token is not None:
            raise InvalidInput("--as-owners is for the local operator: give no token.")
        return operator(name)
    if token is None:
        raise InvalidInput("Give --token (or VIGIL_TOKEN), or --as-owners as operator.")
    return actor_for(db, token)


def load_with_progress(
    source: Path, load: Callable[[IO[bytes], Callable[[int], None]], LoadSummary]
) -> LoadSummary:
    """Run ``load`` over a file with a progress bar counting its lines."""
    if not source.is_file():
        raise InvalidInput(f"No file {source}.")
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}"),
               TimeElapsedColumn())  # fmt: skip
    with source.open("rb") as raw, Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"loading {source.name}", total=None)
        return load(raw, lambda n: bar.advance(task, n))


def report_load(summary: LoadSummary, as_json: bool) -> None:
    """Print what a load did; exit 1 when it refused lines (they are listed)."""
    if as_json:
        emit_json(
            {"read": summary.read, "added": summary.added,
             "already_present": summary.already_present, "refused": summary.refused,
             "errors": [{"line": e.line, "message": e.message} for e in summary.errors]}
        )  # fmt: skip
    else:
        console.print(
            f"{summary.read:,} lines: {summary.added:,} added, "
            f"{summary.already_present:,} already present, {summary.refused:,} refused"
        )
        for error in summary.errors[:20]:
            console.print(f"  line {error.line}: {escape(error.message)}")
    if summary.refused:
        raise typer.Exit(1)
