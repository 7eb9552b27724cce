"""``vigil screen``: check a traveller or a passenger list, online or against an offline copy
(``vigil hits`` follows hits up, ``vigil offline`` makes the packages)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from vigil.cli.common import (
    JsonOpt,
    OptionalToken,
    actor_for,
    console,
    database,
    emit_json,
    reported,
    validated,
)
from vigil.core import clock
from vigil.errors import InvalidInput, validation_message
from vigil.screening import check as checking
from vigil.screening import lists, offline
from vigil.screening.models import (
    CheckAnswer,
    ManifestAnswer,
    ManifestIn,
    OfflineHit,
    PartnerAnswer,
    TravellerIn,
)
from vigil.storage.uow import UnitOfWork

# Exit codes a gate's scripts branch on, as `documents check` and `persons screen` do.
EXIT_HIT = 10
EXIT_POSSIBLE = 11


MrzOpt = Annotated[str | None, typer.Option("--mrz", help="The MRZ, lines joined by \\n.")]
MrzFileOpt = Annotated[Path | None, typer.Option("--mrz-file", help="A file with the MRZ.")]
DocumentOpt = Annotated[str | None, typer.Option("--document", help="Document number.")]
StateOpt = Annotated[str | None, typer.Option("--issuing-state")]
DirectionOpt = Annotated[
    str | None, typer.Option("--direction", help="arrival, departure or transit.")
]
PhotoOpt = Annotated[Path | None, typer.Option("--photo", help="A face photo (not kept).")]
ManifestOpt = Annotated[
    Path | None, typer.Option("--manifest", help="A passenger list: JSON (travellers) or CSV.")
]
ReferenceOpt = Annotated[str | None, typer.Option("--reference", help="Flight or vessel.")]
PackagesOpt = Annotated[
    list[Path] | None,
    typer.Option("--offline", help="An offline package (repeat: full, then increments)."),
]
KeyOpt = Annotated[str | None, typer.Option("--key", help="The package chain's key.")]
QueueOpt = Annotated[
    Path | None, typer.Option("--queue", help="Offline: append hits here, to send later.")
]
SendQueueOpt = Annotated[
    Path | None, typer.Option("--send-queue", help="Send the hits queued offline.")
]


def screen(
    token: OptionalToken = None,
    mrz: MrzOpt = None,
    mrz_file: MrzFileOpt = None,
    document: DocumentOpt = None,
    issuing_state: StateOpt = None,
    name: Annotated[str | None, typer.Option("--name")] = None,
    dob: Annotated[str | None, typer.Option("--dob", help="YYYY[-MM[-DD]].")] = None,
    nationality: Annotated[str | None, typer.Option("--nationality")] = None,
    sex: Annotated[str | None, typer.Option("--sex")] = None,
    direction: DirectionOpt = None,
    photo: PhotoOpt = None,
    manifest: ManifestOpt = None,
    reference: ReferenceOpt = None,
    packages: PackagesOpt = None,
    key: KeyOpt = None,
    queue: QueueOpt = None,
    send_queue: SendQueueOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a traveller against everything your member may see: exit 0 none, 10 hit,
    11 possible. With --manifest, a passenger list; with --offline, an offline copy."""
    with reported():
        if send_queue is not None:
            _send_queue(token, send_queue, as_json)
            return
        if manifest is not None and packages:
            _offline_list(packages, key, manifest, queue, as_json)
            return
        if manifest is not None:
            listed = _manifest(token, manifest, reference, direction)
            _print_manifest(listed, as_json)
            _exit(listed.summary.hits, listed.summary.possible)
            return
        traveller = validated(TravellerIn, {
            "mrz": mrz_file.read_text().strip() if mrz_file else mrz,
            "document": {"number": document, "issuing_state": issuing_state or ""}
            if document else None,
            "name": name, "birth_date": dob, "nationality": nationality.upper() if nationality
            else None, "sex": sex, "direction": direction, "reference": reference,
        })  # fmt: skip
        if packages:
            answer = _offline(packages, key, traveller, queue)
        else:
            answer = _online(token, traveller, photo)
    _print_answer(answer, as_json)
    if isinstance(answer, CheckAnswer):
        _exit(answer.result == "hit", answer.result == "possible")
    else:
        _exit(answer.result == "hit", False)


def _online(token: str | None, traveller: TravellerIn, photo: Path | None) -> Any:
    if token is None:
        raise InvalidInput("Give --token (or VIGIL_TOKEN), or --offline with a package.")
    image = _read(photo) if photo else None
    with database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=image is not None) as uow:
            return checking.check(uow, actor=actor, traveller=traveller, photo=image)


def _offline(
    packages: list[Path],
    key: str | None,
    traveller: TravellerIn,
    queue: Path | None,
    copies: dict[tuple[tuple[str, ...], str], offline.OfflineCopy] | None = None,
) -> CheckAnswer:
    if key is None:
        raise InvalidInput("--offline needs --key, the package chain's key.")
    cache_key = (tuple(str(p) for p in packages), key)
    copy = (copies or {}).get(cache_key)
    if copy is None:
        copy = offline.load([_read(p) for p in packages], key)
        if copies is not None:
            copies[cache_key] = copy
    answer = offline.check(copy, traveller, member=copy.member)
    if queue is not None:
        with queue.open("a", encoding="utf-8") as lines:
            for hit in answer.hits:
                queued = OfflineHit(
                    package_id=copy.id, record_id=hit.record_id, kind=hit.kind,
                    checked_at=answer.checked_at, traveller=traveller,
                )  # fmt: skip
                lines.write(queued.model_dump_json() + "\n")
    return answer


def _offline_list(
    packages: list[Path], key: str | None, path: Path, queue: Path | None, as_json: bool
) -> None:
    """A whole list against an offline copy, loaded once (loading is the slow part)."""
    travellers = _travellers_of(path)
    answers = [_offline(packages, key, t, queue, copies=_COPIES) for t in travellers]
    if as_json:
        emit_json(answers)
    else:
        table = Table("#", "result", "what")
        for position, answer in enumerate(answers, start=1):
            if answer.result != "none":
                table.add_row(str(position), answer.result,
                              escape("; ".join(h.title for h in answer.hits)))  # fmt: skip
        console.print(f"{len(answers)} travellers checked offline")
        console.print(table)
    _exit(any(a.result == "hit" for a in answers), any(a.result == "possible" for a in answers))


# Offline copies loaded in this command, by the files and key they came from.
_COPIES: dict[tuple[tuple[str, ...], str], offline.OfflineCopy] = {}


def _send_queue(token: str | None, path: Path, as_json: bool) -> None:
    if token is None:
        raise InvalidInput("Sending queued hits needs --token (or VIGIL_TOKEN).")
    queued = []
    for number, line in enumerate(_read(path).decode().splitlines(), start=1):
        if line.strip():
            try:
                queued.append(OfflineHit.model_validate_json(line))
            except ValidationError as exc:
                raise InvalidInput(f"line {number}: {validation_message(exc)}") from None
    if not queued:
        raise InvalidInput(f"{path} holds no queued hit.")
    with database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            answers = offline.send_queued(uow, actor=actor, queued=queued)
    path.rename(path.with_name(path.name + f".sent-{clock.now():%Y%m%dT%H%M%S}"))
    if as_json:
        emit_json(answers)
    else:
        found = sum(1 for a in answers if a.result == "hit")
        console.print(f"{len(queued)} queued hits sent: {found} still hit online")


def _travellers_of(path: Path) -> list[TravellerIn]:
    """The travellers of a list file, read as the API and the workspace read them."""
    return lists.read_list(_read(path), path.name).travellers


def _manifest(
    token: str | None, path: Path, reference: str | None, direction: str | None
) -> ManifestAnswer:
    if token is None:
        raise InvalidInput("Give --token (or VIGIL_TOKEN).")
    travellers = _travellers_of(path)
    manifest_in = validated(ManifestIn, {"travellers": travellers, "reference": reference,
                                         "direction": direction})  # fmt: skip
    with database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            return checking.manifest(uow, actor=actor, manifest_in=manifest_in)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise InvalidInput(f"No file {path}.")
    return path.read_bytes()


def _exit(hit: bool | int, possible: bool | int) -> None:
    if hit:
        raise typer.Exit(EXIT_HIT)
    if possible:
        raise typer.Exit(EXIT_POSSIBLE)


def _print_answer(answer: CheckAnswer | PartnerAnswer, as_json: bool) -> None:
    if as_json:
        emit_json(answer)
        return
    if isinstance(answer, PartnerAnswer):
        console.print(f"result: {answer.result}")
        return
    action = f", action: {answer.action.value}" if answer.action else ""
    console.print(f"[bold]{answer.result.upper()}[/bold]{action}  (check {answer.check_id})")
    for hit in answer.hits:
        console.print(f"  {hit.match} {hit.kind}: {escape(hit.title)} (owner {hit.owner})")
        for notice in hit.notices:
            console.print(f"    {notice.type} notice {notice.id}: {escape(notice.title)}")
        for line in hit.explanation[:4]:
            console.print(f"    {escape(line)}")
        console.print(f"    [italic]{escape(hit.action_text)}[/italic]")
        if hit.hit_id:
            console.print(f"    hit {hit.hit_id}")


def _print_manifest(answer: ManifestAnswer, as_json: bool) -> None:
    if as_json:
        emit_json(answer)
        return
    s = answer.summary
    console.print(f"{s.travellers} travellers: {s.hits} hits, {s.possible} possible, "
                  f"{s.none} none ({s.seconds:.2f} s)")  # fmt: skip
    table = Table("#", "result", "what")
    for position, result in enumerate(answer.results, start=1):
        if result.result == "none":
            continue
        what = "; ".join(h.title for h in result.hits) if isinstance(result, CheckAnswer) else ""
        table.add_row(str(position), result.result, escape(what))
    console.print(table)
