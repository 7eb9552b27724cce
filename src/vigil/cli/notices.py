"""``vigil notices``: request, review, publish and cancel notices; send diffusions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
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
from vigil.notices import bulk, service
from vigil.notices import public as extracts
from vigil.notices import review as reviewing
from vigil.notices.models import (
    Channel,
    Checklist,
    Decision,
    DiffusionDecision,
    DiffusionIn,
    DiffusionType,
    Notice,
    NoticeIn,
    NoticeType,
    ReasonsIn,
    State,
)
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

app = typer.Typer(
    help="Notices (red, yellow, purple...) and diffusions: request, review, publish, cancel.",
    no_args_is_help=True,
)

# Exit code of `checklist` when a check fails (publication would be refused) or flags.
EXIT_FAIL = 12
EXIT_FLAG = 13

PersonOpt = Annotated[
    str | None, typer.Option("--person", help="The person record's id (your member's own).")
]
ChargesOpt = Annotated[list[str] | None, typer.Option("--charge", help="A charge (repeat).")]
WarrantOpt = Annotated[str | None, typer.Option("--warrant", help="Warrant or judgment ref.")]
PenaltyOpt = Annotated[
    float | None, typer.Option("--max-penalty-years", help="Maximum penalty, in years.")
]
CircumstancesOpt = Annotated[str | None, typer.Option("--circumstances")]
MinorOpt = Annotated[bool | None, typer.Option("--minor/--adult", help="Yellow: a minor?")]
ModusOpt = Annotated[str | None, typer.Option("--modus-operandi", help="Purple: the method.")]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        help='Any other field as JSON, e.g. \'{"law": "...", "audience": {"except": ["DEU"]}}\'',
    ),
]
ReasonsOpt = Annotated[str, typer.Option("--reasons", help="Why (kept with the transition).")]


def _fields(
    charges: list[str] | None,
    warrant: str | None,
    penalty: float | None,
    circumstances: str | None,
    minor: bool | None,
    modus: str | None,
    extra: str | None,
) -> dict[str, Any]:
    given: dict[str, Any] = {
        "charges": charges or None,
        "warrant_reference": warrant,
        "max_penalty_years": penalty,
        "circumstances": circumstances,
        "minor": minor,
        "modus_operandi": modus,
    }
    return {**(json_object(extra) if extra else {}), **{k: v for k, v in given.items() if v}}


def _notice_in(
    type_: NoticeType, person: str | None, public: bool, fields: dict[str, Any]
) -> NoticeIn:
    return validated(
        NoticeIn, {**fields, "type": type_, "person_id": person, "public_extract": public or None}
    )


@app.command("create")
def create(
    token: TokenOpt,
    type_: Annotated[NoticeType, typer.Option("--type", help="The notice's colour.")],
    person: PersonOpt = None,
    charges: ChargesOpt = None,
    warrant: WarrantOpt = None,
    penalty: PenaltyOpt = None,
    circumstances: CircumstancesOpt = None,
    minor: MinorOpt = None,
    modus: ModusOpt = None,
    public: Annotated[
        bool, typer.Option("--public-extract", help="Red and yellow: publish an extract.")
    ] = False,
    extra: FieldsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Draft a notice (only your member sees it until a reviewer publishes it); prints its id."""
    with reported():
        notice_in = _notice_in(type_, person, public,
                               _fields(charges, warrant, penalty, circumstances, minor, modus,
                                       extra))  # fmt: skip
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                made = service.create(uow, actor=actor, notice_in=notice_in)
    _done(made, "drafted", as_json)


@app.command("change")
def change(
    notice_id: str,
    token: TokenOpt,
    type_: Annotated[NoticeType, typer.Option("--type")],
    person: PersonOpt = None,
    charges: ChargesOpt = None,
    warrant: WarrantOpt = None,
    penalty: PenaltyOpt = None,
    circumstances: CircumstancesOpt = None,
    minor: MinorOpt = None,
    modus: ModusOpt = None,
    public: Annotated[bool, typer.Option("--public-extract")] = False,
    extra: FieldsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rewrite a draft or returned request (give every field); on a published notice, propose
    the changes for review."""
    with reported():
        notice_in = _notice_in(type_, person, public,
                               _fields(charges, warrant, penalty, circumstances, minor, modus,
                                       extra))  # fmt: skip
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                changed = service.change(uow, actor=actor, notice_id=notice_id, notice_in=notice_in)
    _done(changed, "changed", as_json)


@app.command("request")
def request(notice_id: str, token: TokenOpt, as_json: JsonOpt = False) -> None:
    """Send a draft to the General Secretariat for review."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            done = service.request(uow, actor=actor, notice_id=notice_id)
    _done(done, "requested", as_json)


@app.command("withdraw")
def withdraw(
    notice_id: str, token: TokenOpt, reasons: ReasonsOpt, as_json: JsonOpt = False
) -> None:
    """Withdraw a request before publication, or a diffusion already sent."""
    with reported(), database() as db:
        why = validated(ReasonsIn, {"reasons": reasons}).reasons
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            done = service.withdraw(uow, actor=actor, notice_id=notice_id, reasons=why)
    _done(done, "withdrawn", as_json)


@app.command("cancel")
def cancel(notice_id: str, token: TokenOpt, reasons: ReasonsOpt, as_json: JsonOpt = False) -> None:
    """Cancel a published notice: it leaves screening at once and the members told are
    alerted."""
    with reported(), database() as db:
        why = validated(ReasonsIn, {"reasons": reasons}).reasons
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            done = service.cancel(uow, actor=actor, notice_id=notice_id, reasons=why)
    _done(done, "cancelled", as_json)


@app.command("take-up")
def take_up(notice_id: str, token: TokenOpt, as_json: JsonOpt = False) -> None:
    """Reviewers: take a request up (others see it is in hand)."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            done = reviewing.take_up(uow, actor=actor, notice_id=notice_id)
    _done(done, "under review", as_json)


@app.command("checklist")
def checklist(notice_id: str, token: TokenOpt, as_json: JsonOpt = False) -> None:
    """Reviewers: the computed checks of a request. Exits 0 when all pass, 13 when one
    flags, 12 when one fails (publication would be refused)."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            found = reviewing.checklist(uow, actor=actor, notice_id=notice_id)
    if as_json:
        emit_json(found)
    else:
        _print_checklist(found)
    worst = found.worst
    if worst != "pass":
        raise typer.Exit(EXIT_FAIL if worst == "fail" else EXIT_FLAG)


@app.command("review")
def review(
    notice_id: str,
    token: TokenOpt,
    decision: Annotated[Decision, typer.Option("--decision")],
    reasons: ReasonsOpt,
    as_json: JsonOpt = False,
) -> None:
    """Reviewers: publish, reject or return a request (or a published notice's changes)."""
    with reported(), database() as db:
        why = validated(ReasonsIn, {"reasons": reasons}).reasons
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            done = reviewing.review(
                uow, actor=actor, notice_id=notice_id, decision=decision, reasons=why
            )
    _done(done, done.state.value, as_json)


@app.command("diffuse")
def diffuse(
    token: TokenOpt,
    type_: Annotated[DiffusionType, typer.Option("--type")],
    to: Annotated[list[str], typer.Option("--to", help="A member to send to (repeat).")],
    person: PersonOpt = None,
    charges: ChargesOpt = None,
    warrant: WarrantOpt = None,
    penalty: PenaltyOpt = None,
    circumstances: CircumstancesOpt = None,
    minor: MinorOpt = None,
    modus: ModusOpt = None,
    extra: FieldsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Send a diffusion to the members named: delivered at once, reviewed afterwards."""
    with reported():
        fields = _fields(charges, warrant, penalty, circumstances, minor, modus, extra)
        diffusion_in = validated(
            DiffusionIn, {**fields, "type": type_, "person_id": person, "to": to}
        )
        with database() as db:
            actor = actor_for(db, token)
            with UnitOfWork(db, write=True) as uow:
                sent = service.diffuse(uow, actor=actor, diffusion_in=diffusion_in)
    _done(sent, "sent", as_json)


@app.command("review-diffusion")
def review_diffusion(
    notice_id: str,
    token: TokenOpt,
    decision: Annotated[DiffusionDecision, typer.Option("--decision")],
    reasons: ReasonsOpt,
    as_json: JsonOpt = False,
) -> None:
    """Reviewers: a diffusion already delivered is compliant, or withdrawn."""
    with reported(), database() as db:
        why = validated(ReasonsIn, {"reasons": reasons}).reasons
        actor = actor_for(db, token)
        with UnitOfWork(db, write=True) as uow:
            done = reviewing.review_diffusion(
                uow, actor=actor, notice_id=notice_id, decision=decision, reasons=why
            )
    _done(done, done.state.value, as_json)


@app.command("show")
def show(notice_id: str, token: TokenOpt) -> None:
    """One notice with its history, as JSON."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            emit_json(service.get(uow, actor=actor, notice_id=notice_id))


@app.command("list")
def list_notices(
    token: TokenOpt,
    state: Annotated[State | None, typer.Option("--state")] = None,
    type_: Annotated[str | None, typer.Option("--type")] = None,
    channel: Annotated[Channel | None, typer.Option("--channel")] = None,
    owner: Annotated[str | None, typer.Option("--owner")] = None,
    person: PersonOpt = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Notices you may read, newest first (reviewers: the requests and their decisions)."""
    with reported(), database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=False) as uow:
            page = service.list_notices(
                uow, actor=actor, page=page_request(cursor, limit), state=state, type_=type_,
                channel=channel, owner=owner, person_id=person,
            )  # fmt: skip
    if as_json:
        emit_json(
            {"items": [n.model_dump(mode="json") for n in page.items],
             "next_cursor": page.next_cursor}
        )  # fmt: skip
        return
    table = Table(Column("id", no_wrap=True), "owner", "channel", "type", "state", "title")
    for n in page.items:
        table.add_row(
            n.id, n.envelope.owner, n.channel.value, n.type, n.state.value,
            escape(n.envelope.title),
        )  # fmt: skip
    console.print(table)
    if page.next_cursor:
        console.print(f"more: --cursor {page.next_cursor}")


@app.command("public")
def public_list(
    type_: Annotated[str | None, typer.Option("--type", help="red or yellow")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor")] = None,
) -> None:
    """The public extracts (what /public/notices shows anyone), as JSON."""
    with reported(), database() as db, UnitOfWork(db, write=False) as uow:
        page = extracts.public_extracts(uow, page=page_request(cursor, limit), type_=type_)
    emit_json(
        {"items": [e.model_dump(mode="json") for e in page.items], "next_cursor": page.next_cursor}
    )


@app.command("import")
def import_notices(
    source: Annotated[Path, typer.Argument(help="JSON Lines of notices, each with ref.")],
    token: OptionalToken = None,
    as_owners: Annotated[
        bool,
        typer.Option(
            "--as-owners",
            help="Operator only (no token): load each line for its owner's NCB, published "
            "notices included.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Load notices in bulk (drafts or requests; published ones by the operator only): lines
    already stored (same owner and ref) are skipped, so a killed load can rerun."""
    with reported(), database() as db:
        actor = loading_actor(db, token, as_owners, "notices-import")
        summary = load_file(db, actor, source, as_owners)
    report_load(summary, as_json)


def load_file(db: Database, actor: Actor, source: Path, as_owners: bool) -> bulk.LoadSummary:
    """Load one file with a progress bar (``vigil world load`` uses it too)."""
    return load_with_progress(
        source,
        lambda raw, progress: bulk.load(
            db, actor=actor, lines=bulk.read_lines(raw), as_owners=as_owners, progress=progress
        ),
    )


@app.command("expire")
def expire(as_json: JsonOpt = False) -> None:
    """Operator: notices in force past their review date expire (run daily, e.g. from cron)."""
    with reported(), database() as db, UnitOfWork(db, write=True) as uow:
        expired = service.expire_due(uow, actor=operator("expire"))
    if as_json:
        emit_json({"expired": expired})
    else:
        console.print(f"{len(expired)} notice(s) expired")
        for notice_id in expired:
            sys.stdout.write(notice_id + "\n")


def _done(notice: Notice, what: str, as_json: bool) -> None:
    if as_json:
        emit_json({"id": notice.id, "state": notice.state.value})
    else:
        console.print(f"{what}: {escape(notice.envelope.title)} ({notice.state.value})")
        sys.stdout.write(notice.id + "\n")


_STYLE = {"pass": "green", "flag": "yellow", "fail": "red"}


def _print_checklist(found: Checklist) -> None:
    table = Table("check", "status", "message")
    for check in found.checks:
        style = _STYLE[check.status]
        message = escape(check.message)
        for match in check.matches:
            message += f"\n  {match['owner']} {match['id']} {escape(match['name'])} "
            message += f"({match['score']})"
        table.add_row(check.id, f"[{style}]{check.status}[/{style}]", message)
    console.print(table)
