"""``vigil documents``: report stolen and lost travel documents, check them, load them in bulk."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from vigil.access.actors import Actor, operator
from vigil.cli.common import (
    JsonOpt,
    OptionalToken,
    TokenOpt,
    actor_for,
    console,
    database,
    emit_json,
    json_object,
    reported,
    validated,
)
from vigil.core.pagination import page_request
from vigil.documents import bulk, checks, service
from vigil.documents.manifests import read_manifest
from vigil.documents.models import (
    DocumentCheck,
    DocumentQuery,
    DocumentReportChange,
    DocumentReportIn,
    DocumentStatus,
)
from vigil.errors import InvalidInput
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

app = typer.Typer(
    help="Stolen, lost, revoked and invalidated travel documents.", no_args_is_help=True
)


@app.command("report")
def report(
    token: TokenOpt,
    number: Annotated[str, typer.Option("--number")],
    state: Annotated[str, typer.Option("--state", help="Issuing state, alpha-3 (your own).")],
    doc_type: Annotated[str, typer.Option("--type", help="passport, id_card, visa, ...")],
    status: Annotated[str, typer.Option("--status", help="stolen, lost, revoked, ...")],
    extra: Annotated[
        str | None,
        typer.Option(
            "--fields", help='More fields as JSON, e.g. \'{"audience": {"only": ["FRA"]}}\''
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Report one of your state's documents; prints its id."""
    with reported():
        fields: dict[str, Any] = json_object(extra) if extra else {}
        report_in = validated(
            DocumentReportIn,
            {
                **fields,
                "number": number,
                "issuing_state": state,
                "type": doc_type,
                "status": status,
            },
        )
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                made = service.report(uow, actor=actor, report_in=report_in)
    if as_json:
        emit_json({"id": made.id})
    else:
        console.print(f"reported: {made.envelope.title}")
        sys.stdout.write(made.id + "\n")


@app.command("show")
def show(report_id: str, token: TokenOpt) -> None:
    """One report, as JSON."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            emit_json(service.get(uow, actor=actor, report_id=report_id))


@app.command("list")
def list_reports(
    token: TokenOpt,
    state: Annotated[str | None, typer.Option("--state")] = None,
    number: Annotated[str | None, typer.Option("--number")] = None,
    status: Annotated[DocumentStatus | None, typer.Option("--status")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Reports you may see, newest first."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            page = service.list_reports(
                uow,
                actor=actor,
                page=page_request(cursor, limit),
                issuing_state=state,
                number=number,
                status=status,
            )
    if as_json:
        emit_json(
            {
                "items": [r.model_dump(mode="json") for r in page.items],
                "next_cursor": page.next_cursor,
            }
        )
        return
    table = Table("id", "state", "type", "number", "status", "handling", "recovered")
    for r in page.items:
        table.add_row(
            r.id, r.issuing_state, r.type.value, r.number, r.status.value,
            r.envelope.handling, "yes" if r.recovered_at else "",
        )  # fmt: skip
    console.print(table)
    if page.next_cursor:
        console.print(f"more: --cursor {page.next_cursor}")


@app.command("change")
def change(
    report_id: str,
    token: TokenOpt,
    change_json: Annotated[str, typer.Argument(help='e.g. \'{"status": "stolen"}\'')],
) -> None:
    """Correct a live report (owner only)."""
    with reported():
        body = validated(DocumentReportChange, json_object(change_json))
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                emit_json(service.change(uow, actor=actor, report_id=report_id, change=body))


@app.command("recover")
def recover(report_id: str, token: TokenOpt) -> None:
    """The document was found again: it leaves checks (owner only)."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            emit_json(service.recover(uow, actor=actor, report_id=report_id))


@app.command("delete")
def delete(report_id: str, token: TokenOpt) -> None:
    """Withdraw a report (owner only); its audit trail remains."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            service.delete(uow, actor=actor, report_id=report_id)
    console.print(f"withdrawn: {report_id}")


@app.command("check")
def check(
    token: TokenOpt,
    number: Annotated[str | None, typer.Option("--number")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Issuing state (alpha-3).")] = None,
    mrz: Annotated[
        list[str] | None,
        typer.Option("--mrz", help="An MRZ line (repeat per line), or - for stdin."),
    ] = None,
) -> None:
    """Check one document; prints JSON and exits 0 on none, 10 on a hit, 11 on a possible hit."""
    with reported():
        text = sys.stdin.read() if mrz == ["-"] else "\n".join(mrz) if mrz else None
        query = validated(DocumentQuery, {"number": number, "issuing_state": state, "mrz": text})
        with database() as db:
            actor = actor_for(db, token)
            answer = checks.check_in_thread(db, actor=actor, query=query)
    emit_json(answer)
    _exit_for(answer.result)


@app.command("check-batch")
def check_batch(
    token: TokenOpt,
    manifest: Annotated[
        Path, typer.Argument(help="CSV (number,issuing_state or mrz) or JSON Lines.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Check a passenger manifest; exits 10 when any document is a hit, 11 on possible hits."""
    with reported():
        queries = _manifest(manifest)
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=False) as uow:
                answer = checks.check_batch(uow, actor=actor, queries=queries)
    if as_json:
        emit_json(answer)
    else:
        table = Table("#", "number", "state", "result")
        for index, result in enumerate(answer.results, start=1):
            if result.result != "none":
                number = result.number if isinstance(result, DocumentCheck) else ""
                state = result.issuing_state if isinstance(result, DocumentCheck) else ""
                table.add_row(str(index), number, state, result.result)
        console.print(table)
        console.print(f"{answer.hits} hits, {answer.possible} possible, {answer.none} none")
    _exit_for("hit" if answer.hits else "possible" if answer.possible else "none")


@app.command("import")
def import_reports(
    source: Annotated[Path, typer.Argument(help="JSON Lines or CSV file of reports.")],
    token: OptionalToken = None,
    as_issuing_states: Annotated[
        bool,
        typer.Option(
            "--as-issuing-states",
            help="Operator only (no token): load each line for its issuing state's NCB.",
        ),
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Processes validating lines (default: up to 2).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Load reports in bulk: lines already stored are skipped, so a killed load can rerun."""
    with reported(), database() as db:
        actor = _loader(db, token, as_issuing_states)
        summary = load_file(db, actor, source, as_issuing_states, workers)
    result = {
        "read": summary.read,
        "added": summary.added,
        "already_present": summary.already_present,
        "refused": summary.refused,
        "errors": [{"line": e.line, "message": e.message} for e in summary.errors],
    }
    if as_json:
        emit_json(result)
    else:
        console.print(
            f"{summary.read:,} lines: {summary.added:,} added, "
            f"{summary.already_present:,} already present, {summary.refused:,} refused"
        )
        for error in summary.errors[:20]:
            console.print(f"  line {error.line}: {error.message}")
    if summary.refused:
        raise typer.Exit(1)


def load_file(
    db: Database, actor: Actor, source: Path, as_issuing_states: bool, workers: int | None
) -> bulk.LoadSummary:
    """Load one file with a progress bar over its bytes (``vigil world load`` uses it too)."""
    if not source.is_file():
        raise InvalidInput(f"No file {source}.")
    # Validation is the slow part: up to two processes validate while this one writes.
    chosen = workers if workers is not None else min(2, os.cpu_count() or 1)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with source.open("rb") as raw, Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"loading {source.name}", total=None)
        return bulk.load(
            db,
            actor=actor,
            lines=bulk.read_lines(raw, bulk.format_of(source.name)),
            as_issuing_states=as_issuing_states,
            workers=chosen,
            progress=lambda n: bar.advance(task, n),
        )


def _loader(db: Database, token: str | None, as_issuing_states: bool) -> Actor:
    if as_issuing_states:
        if token is not None:
            raise InvalidInput("--as-issuing-states is for the local operator: give no token.")
        return operator("documents-import")
    if token is None:
        raise InvalidInput("Give --token (or VIGIL_TOKEN), or --as-issuing-states as operator.")
    return actor_for(db, token)


def _manifest(path: Path) -> list[DocumentQuery]:
    if not path.is_file():
        raise InvalidInput(f"No file {path}.")
    try:
        return [row.query for row in read_manifest(path.read_bytes(), path.name)]
    except InvalidInput as exc:
        rows = "; ".join(f"line {row}: {message}" for row, message in exc.extra.get("rows", []))
        raise InvalidInput(f"{exc.detail} {rows}".strip()) from None


def _exit_for(result: str) -> None:
    # Scripts at a border gate branch on the exit code without parsing JSON.
    if result == "hit":
        raise typer.Exit(10)
    if result == "possible":
        raise typer.Exit(11)
