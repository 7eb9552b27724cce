"""``vigil persons``: record wanted, missing and other persons, screen names, load in bulk."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Column, Table

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
    load_with_progress,
    loading_actor,
    report_load,
    reported,
    validated,
)
from vigil.core.pagination import page_request
from vigil.errors import InvalidInput, validation_message
from vigil.persons import bulk, equivalents_service, screening, service
from vigil.persons.equivalents import Format
from vigil.persons.models import (
    BatchScreening,
    Category,
    PartnerScreening,
    PersonIn,
    Screening,
    ScreenQuery,
)
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

app = typer.Typer(
    help="Person records (wanted, missing, suspects, victims...) and name screening.",
    no_args_is_help=True,
)

# Exit code when a screening has a hit: scripts at a gate branch on it, as `documents check`.
EXIT_HIT = 10


# The options of a person record, shared by `record` and `change`.
NamesOpt = Annotated[
    list[str], typer.Option("--name", help="A name in any script (repeat; first is primary).")
]
CategoryOpt = Annotated[Category, typer.Option("--category")]
BirthDateOpt = Annotated[
    str | None, typer.Option("--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD.")
]
SexOpt = Annotated[str | None, typer.Option("--sex", help="M, F or X.")]
NationalitiesOpt = Annotated[
    list[str] | None, typer.Option("--nationality", help="Alpha-3 (repeat).")
]
FieldsOpt = Annotated[
    str | None,
    typer.Option("--fields", help='More fields as JSON, e.g. \'{"handling": "H1"}\''),
]


@app.command("record")
def record(
    token: TokenOpt,
    names: NamesOpt,
    category: CategoryOpt,
    birth_date: BirthDateOpt = None,
    sex: SexOpt = None,
    nationalities: NationalitiesOpt = None,
    ref: Annotated[str | None, typer.Option("--ref", help="Your own reference.")] = None,
    extra: FieldsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """File a person record for your member; prints its id."""
    with reported():
        person_in = _person_in(names, category, birth_date, sex, nationalities, extra)
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                made = service.record(uow, actor=actor, person_in=person_in, ref=ref)
    if as_json:
        emit_json({"id": made.id})
    else:
        console.print(f"recorded: {escape(made.envelope.title)}")
        sys.stdout.write(made.id + "\n")


@app.command("change")
def change(
    person_id: str,
    token: TokenOpt,
    names: NamesOpt,
    category: CategoryOpt,
    birth_date: BirthDateOpt = None,
    sex: SexOpt = None,
    nationalities: NationalitiesOpt = None,
    extra: FieldsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Replace what one of your records says (give every field, as for `record`); its id and
    history stay."""
    with reported():
        person_in = _person_in(names, category, birth_date, sex, nationalities, extra)
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                changed = service.change(uow, actor=actor, person_id=person_id, person_in=person_in)
    if as_json:
        emit_json({"id": changed.id})
    else:
        console.print(f"changed: {escape(changed.envelope.title)}")
        sys.stdout.write(changed.id + "\n")


@app.command("show")
def show(person_id: str, token: TokenOpt) -> None:
    """One person record, as JSON."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            emit_json(service.get(uow, actor=actor, person_id=person_id))


@app.command("list")
def list_persons(
    token: TokenOpt,
    category: Annotated[Category | None, typer.Option("--category")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Owning member (alpha-3).")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Person records you may see, newest first."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            page = service.list_persons(
                uow, actor=actor, page=page_request(cursor, limit), category=category, owner=owner
            )
    if as_json:
        emit_json(
            {
                "items": [p.model_dump(mode="json") for p in page.items],
                "next_cursor": page.next_cursor,
            }
        )
        return
    table = Table(
        Column("id", no_wrap=True), "owner", "category", "name", "born", "nationalities",
        "handling",
    )  # fmt: skip
    for p in page.items:
        table.add_row(
            p.id, p.envelope.owner, p.category.value, escape(p.primary_name), p.birth_date or "",
            " ".join(p.nationalities), p.envelope.handling,
        )  # fmt: skip
    console.print(table)
    if page.next_cursor:
        console.print(f"more: --cursor {page.next_cursor}")


@app.command("delete")
def delete(person_id: str, token: TokenOpt) -> None:
    """Delete one of your records: it leaves screening at once; its audit trail remains."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            service.delete(uow, actor=actor, person_id=person_id)
    console.print(f"deleted: {person_id}")


@app.command("screen")
def screen(
    name: Annotated[str, typer.Argument(help="The name as read, in any script.")],
    token: TokenOpt,
    dob: Annotated[
        str | None, typer.Option("--dob", help="Birth date: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    nationality: Annotated[str | None, typer.Option("--nationality")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="M, F or X.")] = None,
    document: Annotated[str | None, typer.Option("--document", help="A document number.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Candidates shown, at most.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Screen one name; prints the candidates with their evidence and exits 0 when none is a
    hit, 10 on a hit."""
    with reported():
        query = validated(
            ScreenQuery,
            {"name": name, "birth_date": dob, "nationality": nationality, "sex": sex,
             "document_number": document, "limit": limit},
        )  # fmt: skip
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=False) as uow:
                answer = screening.screen(uow, actor=actor, query=query)
    if as_json:
        emit_json(answer)
    else:
        _print_screening(answer)
    _exit_for(_is_hit(answer))


@app.command("screen-batch")
def screen_batch(
    source: Annotated[Path, typer.Argument(help="JSON Lines, one query per line (name, ...).")],
    token: TokenOpt,
    as_json: JsonOpt = False,
) -> None:
    """Screen a list of names; exits 10 when any of them is a hit."""
    with reported():
        queries = _queries(source)
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=False) as uow:
                answer = screening.screen_batch(uow, actor=actor, queries=queries)
    if as_json:
        emit_json(answer)
    else:
        _print_batch(queries, answer)
    _exit_for(answer.hits > 0)


@app.command("import")
def import_persons(
    source: Annotated[Path, typer.Argument(help="JSON Lines of person records, each with ref.")],
    token: OptionalToken = None,
    as_owners: Annotated[
        bool,
        typer.Option(
            "--as-owners", help="Operator only (no token): load each line for its owner's NCB."
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Load person records in bulk: lines already stored (same owner and ref) are skipped, so a
    killed load can rerun."""
    with reported(), database() as db:
        actor = loading_actor(db, token, as_owners, "persons-import")
        summary = load_file(db, actor, source, as_owners)
    report_load(summary, as_json)


def load_file(db: Database, actor: Actor, source: Path, as_owners: bool) -> bulk.LoadSummary:
    """Load one file with a progress bar over its lines (``vigil world load`` uses it too)."""
    return load_with_progress(
        source,
        lambda raw, progress: bulk.load(
            db, actor=actor, lines=bulk.read_lines(raw), as_owners=as_owners, progress=progress
        ),
    )


def _person_in(
    names: list[str],
    category: Category,
    birth_date: str | None,
    sex: str | None,
    nationalities: list[str] | None,
    extra: str | None,
) -> PersonIn:
    """The record the options describe; ``--fields`` adds to them, never overrides them."""
    fields: dict[str, Any] = json_object(extra) if extra else {}
    return validated(
        PersonIn,
        {**fields, "names": names, "category": category.value, "birth_date": birth_date,
         "sex": sex, "nationalities": nationalities},
    )  # fmt: skip


def _queries(path: Path) -> list[ScreenQuery]:
    """The queries of a JSON Lines file; every bad line is named, and none is screened."""
    if not path.is_file():
        raise InvalidInput(f"No file {path}.")
    queries: list[ScreenQuery] = []
    problems: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                queries.append(ScreenQuery.model_validate(json.loads(line)))
            except json.JSONDecodeError as exc:
                problems.append(f"line {number}: not JSON ({exc.msg})")
            except ValidationError as exc:
                problems.append(f"line {number}: {validation_message(exc)}")
    if problems:
        raise InvalidInput(f"{len(problems)} lines cannot be screened: {'; '.join(problems[:20])}")
    return queries


def _is_hit(answer: Screening | PartnerScreening) -> bool:
    if isinstance(answer, PartnerScreening):
        return answer.result == "hit"
    return any(c.hit for c in answer.candidates)


def _print_screening(answer: Screening | PartnerScreening) -> None:
    if isinstance(answer, PartnerScreening):
        console.print(f"result: {answer.result}")
        return
    if not answer.candidates:
        console.print("no candidates")
    for c in answer.candidates:
        mark = "[bold red]HIT[/bold red] " if c.hit else "    "
        facts = ", ".join(x for x in (c.birth_date, " ".join(c.nationalities)) if x)
        console.print(
            f"{c.score:.2f} {mark}{escape(c.name)} ({facts or '-'}), {c.category.value}, "
            f"owner {c.owner}"
        )
        console.print(f"       record {c.id}")
        for notice in c.notices:
            console.print(
                f"       [bold]{notice.type} notice {notice.id}[/bold] ({notice.owner}): "
                f"{escape(notice.title)}"
            )
        for evidence in c.explanation:
            console.print(f"       {evidence.weight:+.2f} {escape(evidence.explanation)}")
    console.print(f"threshold {answer.threshold:.2f}")


def _print_batch(queries: list[ScreenQuery], answer: BatchScreening) -> None:
    table = Table("#", "name", "result", "best candidate", "score")
    for index, (query, result) in enumerate(zip(queries, answer.results, strict=True), start=1):
        if isinstance(result, PartnerScreening):
            table.add_row(str(index), escape(query.name), result.result, "", "")
            continue
        best = result.candidates[0] if result.candidates else None
        table.add_row(
            str(index), escape(query.name), "hit" if _is_hit(result) else "none",
            escape(best.name) if best else "", f"{best.score:.2f}" if best else "",
        )  # fmt: skip
    console.print(table)
    console.print(f"{answer.hits} of {len(queries)} names hit")


def _exit_for(hit: bool) -> None:
    # Scripts at a border gate branch on the exit code without parsing JSON.
    if hit:
        raise typer.Exit(EXIT_HIT)


equivalents_app = typer.Typer(
    help="Tables of equivalent name parts (nicknames, a given name across languages and "
    "scripts) that every screening reads queries with.",
    no_args_is_help=True,
)
app.add_typer(equivalents_app, name="equivalents")


def _admin(db: Database, token: str | None) -> Actor:
    """The token's user, or without one the local operator (the installation's administrator)."""
    return actor_for(db, token) if token is not None else operator("equivalents")


@equivalents_app.command("load")
def load_equivalents(
    source: Annotated[Path, typer.Argument(help="The table: a nicknames CSV or synonym lines.")],
    name: Annotated[
        str | None,
        typer.Option("--source", help="The name to load it under (default: the file's name)."),
    ] = None,
    table_format: Annotated[
        Format | None,
        typer.Option("--format", help="Default: as the file's first line shows."),
    ] = None,
    token: OptionalToken = None,
    as_json: JsonOpt = False,
) -> None:
    """Load a table (or replace the one loaded under the same name): screenings read each part
    of a query as its equivalents too (Bill as William, Giuseppe as Josef)."""
    with reported():
        if not source.is_file():
            raise InvalidInput(f"No file {source}.")
        with database() as db:
            actor = _admin(db, token)
            with UnitOfWork(db, write=True) as uow:
                loaded = equivalents_service.load(
                    uow, actor=actor, data=source.read_bytes(), source=name,
                    format=table_format, file_name=source.name,
                )  # fmt: skip
    if as_json:
        emit_json(loaded)
        return
    console.print(
        f"loaded {escape(loaded.source)} ({loaded.format}): {loaded.pairs_read:,} pairs of "
        f"names read, {loaded.pairs_kept:,} pairs of name parts kept, "
        f"{loaded.lines_skipped:,} lines skipped"
    )
    for skipped in loaded.skipped:
        console.print(f"  line {skipped.line}: {escape(skipped.reason)}")


@equivalents_app.command("list")
def list_equivalents(token: OptionalToken = None, as_json: JsonOpt = False) -> None:
    """The tables loaded."""
    with reported(), database() as db:
        actor = _admin(db, token)
        with UnitOfWork(db, write=False) as uow:
            tables = equivalents_service.listed(uow, actor=actor)
    if as_json:
        emit_json([t.model_dump(mode="json") for t in tables])
        return
    if not tables:
        console.print("no table of equivalents is loaded")
        return
    table = Table("source", "format", "file", "pairs kept", "loaded", "by")
    for t in tables:
        table.add_row(
            escape(t.source), t.format, escape(t.file_name or ""), f"{t.pairs_kept:,}",
            t.loaded_at.isoformat(timespec="seconds"), escape(t.loaded_by),
        )  # fmt: skip
    console.print(table)


@equivalents_app.command("remove")
def remove_equivalents(
    name: Annotated[str, typer.Argument(help="The name the table was loaded under.")],
    token: OptionalToken = None,
) -> None:
    """Stop reading queries with a table."""
    with reported(), database() as db:
        actor = _admin(db, token)
        with UnitOfWork(db, write=True) as uow:
            equivalents_service.remove(uow, actor=actor, source=name)
    console.print(f"removed: {escape(name)}")
