"""``vigil biometrics``: enrol faces and fingerprints, search 1:N, record examiners' decisions."""

from __future__ import annotations

import mimetypes
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from vigil.biometrics import fingerprints, service
from vigil.biometrics.models import Decision, Search, Template
from vigil.cli.common import JsonOpt, TokenOpt, actor_for, console, database, emit_json, reported
from vigil.errors import InvalidInput
from vigil.storage.uow import UnitOfWork

app = typer.Typer(
    help="Faces and fingerprints on person records: enrol, search 1:N, decide as examiner.",
    no_args_is_help=True,
)

# Exit code of a search when a candidate is above the threshold: an examiner must look (a
# search never identifies anyone by itself; only a confirmed match is a hit).
EXIT_CANDIDATE = 11

KeepOpt = Annotated[
    bool, typer.Option("--keep-image", help="Keep the image for examiners (else template only).")
]
LimitOpt = Annotated[int, typer.Option("--limit", help="Candidates, at most.")]
ImageOpt = Annotated[Path | None, typer.Option("--image", help="A fingerprint image (500 ppi).")]
TemplateOpt = Annotated[
    Path | None, typer.Option("--template", help="An ISO/IEC 19794-2 minutiae record.")
]


def _bytes(path: Path | None) -> bytes | None:
    if path is None:
        return None
    if not path.is_file():
        raise InvalidInput(f"No file {path}.")
    return path.read_bytes()


def _media_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@app.command("enrol-face")
def enrol_face(
    person_id: str,
    image: Annotated[Path, typer.Argument(help="A frontal photo (JPEG, PNG).")],
    token: TokenOpt,
    keep: KeepOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Enrol a face on one of your person records; a refused photo says why (exit 2)."""
    with reported():
        data = _bytes(image)
        assert data is not None
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                made = service.enrol_face(
                    uow, actor=actor, person_id=person_id, image=data,
                    media_type=_media_type(image), keep_image=keep,
                )  # fmt: skip
    _enrolled(made, as_json)


@app.command("enrol-finger")
def enrol_finger(
    person_id: str,
    token: TokenOpt,
    finger: Annotated[int, typer.Option("--finger", help="1 right thumb ... 10 left little.")],
    image: ImageOpt = None,
    template: TemplateOpt = None,
    keep: KeepOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Enrol one finger from an image or an ISO/IEC 19794-2 template."""
    with reported():
        picture, record = _bytes(image), _bytes(template)
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                made = service.enrol_fingerprint(
                    uow, actor=actor, person_id=person_id, finger=finger, image=picture,
                    template=record, media_type=_media_type(image) if image else "image/png",
                    keep_image=keep,
                )  # fmt: skip
    _enrolled(made, as_json)


@app.command("list")
def list_templates(person_id: str, token: TokenOpt, as_json: JsonOpt = False) -> None:
    """The faces and fingers enrolled on a person record."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            found = service.templates(uow, actor=actor, person_id=person_id)
    if as_json:
        emit_json(found)
        return
    table = Table("id", "modality", "finger", "quality", "source", "image kept", "enrolled")
    for t in found:
        finger = fingerprints.FINGERS.get(t.finger or 0, "")
        table.add_row(t.id, t.modality.value, finger, f"{t.quality:g}", t.source,
                      "yes" if t.image_kept else "no", t.created_at.date().isoformat())  # fmt: skip
    console.print(table)


@app.command("delete")
def delete(template_id: str, token: TokenOpt) -> None:
    """Delete an enrolled face or finger of one of your records: erased, out of search."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            service.delete_template(uow, actor=actor, template_id=template_id)
    console.print(f"deleted: {template_id}")


@app.command("search-face")
def search_face(
    image: Annotated[Path, typer.Argument(help="The probe photo (not kept).")],
    token: TokenOpt,
    limit: LimitOpt = 10,
    as_json: JsonOpt = False,
) -> None:
    """Search a photo 1:N: candidates for an examiner. Exit 0 when none is above the
    threshold, 11 when one is (look at it; decide with `vigil biometrics decide`)."""
    with reported():
        data = _bytes(image)
        assert data is not None
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                found = service.search_faces(uow, actor=actor, image=data, limit=limit)
    _searched(found, as_json)


@app.command("search-finger")
def search_finger(
    token: TokenOpt,
    image: ImageOpt = None,
    template: TemplateOpt = None,
    finger: Annotated[int | None, typer.Option("--finger", help="Only this finger.")] = None,
    limit: LimitOpt = 10,
    as_json: JsonOpt = False,
) -> None:
    """Search a print 1:N (image or template): exit 0 or 11, as `search-face`."""
    with reported():
        picture, record = _bytes(image), _bytes(template)
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                found = service.search_fingerprints(
                    uow, actor=actor, image=picture, template=record, finger=finger, limit=limit
                )
    _searched(found, as_json)


@app.command("show")
def show(search_id: str, token: TokenOpt, as_json: JsonOpt = False) -> None:
    """A search of your member, with the decisions taken on its candidates."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            found = service.get_search(uow, actor=actor, search_id=search_id)
    if as_json:
        emit_json(found)
    else:
        _print_search(found)


@app.command("decide")
def decide(
    search_id: str,
    person_id: str,
    token: TokenOpt,
    decision: Annotated[Decision, typer.Option("--decision")],
    note: Annotated[str | None, typer.Option("--note", help="What the examiner saw.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record your decision on a candidate: a match is a hit (both members are alerted)."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            made = service.decide(
                uow, actor=actor, search_id=search_id, person_id=person_id, decision=decision,
                note=note,
            )  # fmt: skip
    if as_json:
        emit_json(made)
    else:
        console.print(f"{made.decision.value}: {person_id}" + (" (hit)" if made.hit_id else ""))


def _enrolled(made: Template, as_json: bool) -> None:
    if as_json:
        emit_json(made)
    else:
        console.print(f"enrolled {made.modality.value} (quality {made.quality:g})")
        sys.stdout.write(made.id + "\n")


def _searched(found: Search, as_json: bool) -> None:
    if as_json:
        emit_json(found)
    else:
        _print_search(found)
    if any(c.above_threshold for c in found.candidates):
        raise typer.Exit(EXIT_CANDIDATE)


def _print_search(found: Search) -> None:
    console.print(f"search {found.id} ({found.modality.value}): the probe was not kept")
    if not found.candidates:
        console.print("no candidates")
        return
    table = Table("rank", "score", "person", "owner", "name", "finger", "decision")
    for c in found.candidates:
        score = f"[bold]{c.score:g}[/bold]" if c.above_threshold else f"{c.score:g}"
        table.add_row(
            str(c.rank), score, c.person_id, c.owner, escape(c.name),
            fingerprints.FINGERS.get(c.finger or 0, ""), c.decision.value if c.decision else "",
        )  # fmt: skip
    console.print(table)
    sys.stdout.write(found.id + "\n")
