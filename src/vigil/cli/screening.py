"""``vigil screen``: check a traveller or a passenger list, online or against an offline copy;
``vigil hits``: follow hits up; ``vigil offline``: packages for border posts."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from vigil.access.actors import operator
from vigil.cli.common import (
    JsonOpt,
    OptionalToken,
    TokenOpt,
    actor_for,
    console,
    database,
    emit_json,
    reported,
    validated,
)
from vigil.core import clock
from vigil.core.pagination import page_request
from vigil.errors import InvalidInput, validation_message
from vigil.screening import check as checking
from vigil.screening import followup, offline
from vigil.screening.models import (
    ActionIn,
    ActionTaken,
    CheckAnswer,
    DeadlinesIn,
    HitRecord,
    HitStatus,
    Identity,
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

hits_app = typer.Typer(help="Hits: confirm or deny, record the action, follow up.",
                       no_args_is_help=True)  # fmt: skip
offline_app = typer.Typer(help="Offline screening packages for border posts.",
                          no_args_is_help=True)  # fmt: skip


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
    """The travellers of a list file: CSV (a header line) or JSON (a list, or
    ``{"travellers": [...]}``)."""
    text = _read(path).decode("utf-8-sig")
    if path.suffix.lower() == ".csv":
        rows: list[Any] = [_csv_row(r) for r in csv.DictReader(io.StringIO(text))]
    else:
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}: not JSON ({exc.msg}).") from None
        rows = body if isinstance(body, list) else body.get("travellers", [])
    return validated(ManifestIn, {"travellers": rows}).travellers


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


def _csv_row(row: dict[str, str]) -> dict[str, Any]:
    value = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
    name = value.get("name") or " ".join(
        p for p in (value.get("given_names"), value.get("surname")) if p
    )
    found: dict[str, Any] = {
        "name": name or None, "birth_date": value.get("birth_date") or None,
        "nationality": value.get("nationality", "").upper() or None,
        "sex": value.get("sex", "").upper()[:1] or None, "mrz": value.get("mrz") or None,
    }  # fmt: skip
    if value.get("document_number"):
        found["document"] = {"number": value["document_number"],
                             "issuing_state": value.get("issuing_state", "").upper()}  # fmt: skip
    return {k: v for k, v in found.items() if v is not None}


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


# ---- vigil hits ---------------------------------------------------------------------------


@hits_app.command("list")
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


@hits_app.command("show")
def show_hit(hit_id: str, token: TokenOpt) -> None:
    """One hit with its follow-up, as JSON."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            emit_json(followup.get(uow, actor=actor, hit_id=hit_id))


@hits_app.command("identity")
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


@hits_app.command("action")
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


@hits_app.command("note")
def note(hit_id: str, token: TokenOpt, text: Annotated[str, typer.Argument()],
         as_json: JsonOpt = False) -> None:  # fmt: skip
    """A message to the other member, kept on the hit."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            done = followup.add_note(uow, actor=actor, hit_id=hit_id, text=text)
    _hit_done(done, as_json)


@hits_app.command("escalate")
def escalate(as_json: JsonOpt = False) -> None:
    """Operator: escalate the hits past their deadline now (the server does it on its own)."""
    with reported(), database() as db, UnitOfWork(db, write=True) as uow:
        done = followup.escalate_due(uow, actor=operator("escalation"))
    if as_json:
        emit_json({"escalated": done})
    else:
        console.print(f"{len(done)} hit(s) escalated")


@hits_app.command("deadlines")
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


# ---- vigil offline ------------------------------------------------------------------------


@offline_app.command("export")
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
