"""``vigil networks``, ``vigil messages`` and ``vigil intel``: working groups, secure messages
and intelligence reports."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from vigil.cli.common import (
    JsonOpt,
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
from vigil.errors import InvalidInput
from vigil.messaging import networks, reports, threads
from vigil.messaging.models import (
    MemberIn,
    MessageIn,
    NetworkIn,
    ReportIn,
    ReportKind,
    SubscriptionIn,
    Thread,
    ThreadIn,
    UserIn,
)
from vigil.storage.uow import UnitOfWork

networks_app = typer.Typer(help="Intelligence networks (working groups).", no_args_is_help=True)
messages_app = typer.Typer(help="Secure messages between members.", no_args_is_help=True)
intel_app = typer.Typer(help="Intelligence reports: publish, search, subscribe.",
                        no_args_is_help=True)  # fmt: skip

NetworkArg = Annotated[str, typer.Argument(help="The network's id.")]
FieldsOpt = Annotated[
    str | None, typer.Option("--fields", help="More fields as JSON (handling, grading...).")
]
TypeOpt = Annotated[
    str, typer.Option("--type", help="request_for_information, reply, spontaneous_information, "
                      "hit_follow_up or correction.")
]  # fmt: skip


def _run(token: str, write: bool, call: Any) -> Any:
    with database() as db:
        actor = actor_for(db, token)
        with UnitOfWork(db, write=write) as uow:
            return call(uow, actor)


# ---- networks ----------------------------------------------------------------------------------


@networks_app.command("create")
def create_network(
    name: Annotated[str, typer.Argument()],
    token: TokenOpt,
    members: Annotated[list[str], typer.Option("--member", help="A member (repeat).")],
    kind: Annotated[
        str, typer.Option("--kind", help="operational or expert_group")
    ] = "operational",
    description: Annotated[str | None, typer.Option("--description")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a network of members (yours included); you moderate it. Prints its id."""
    with reported():
        body = validated(NetworkIn, {"name": name, "members": members, "kind": kind,
                                     "description": description})  # fmt: skip
        made = _run(token, True, lambda uow, a: networks.create(uow, actor=a, network_in=body))
    _network_done(made, as_json)


@networks_app.command("list")
def list_networks(
    token: TokenOpt, mine: Annotated[bool, typer.Option("--mine")] = False, as_json: JsonOpt = False
) -> None:
    """The networks (--mine: your member's)."""
    with reported():
        found = _run(token, False, lambda uow, a: networks.list_networks(uow, actor=a, mine=mine))
    if as_json:
        emit_json(found)
        return
    table = Table("id", "name", "kind", "members")
    for n in found:
        table.add_row(n.id, escape(n.name), n.kind.value, " ".join(n.members))
    console.print(table)


@networks_app.command("show")
def show_network(network_id: NetworkArg, token: TokenOpt) -> None:
    """A network, as JSON."""
    with reported():
        found = _run(token, False, lambda uow, a: networks.get(uow, actor=a, network_id=network_id))
        emit_json(found)


@networks_app.command("add")
def add_member(
    network_id: NetworkArg, member: str, token: TokenOpt, as_json: JsonOpt = False
) -> None:
    """Moderators: add a member."""
    with reported():
        code = validated(MemberIn, {"member": member}).member
        made = _run(token, True, lambda uow, a: networks.add_member(
            uow, actor=a, network_id=network_id, member=code))  # fmt: skip
    _network_done(made, as_json)


@networks_app.command("remove")
def remove_member(network_id: NetworkArg, member: str, token: TokenOpt,
                  as_json: JsonOpt = False) -> None:  # fmt: skip
    """Moderators: remove a member; or your member leaves (give your own code)."""
    with reported():
        made = _run(token, True, lambda uow, a: networks.remove_member(
            uow, actor=a, network_id=network_id, member=member.upper()))  # fmt: skip
    _network_done(made, as_json)


@networks_app.command("user")
def set_user(network_id: NetworkArg, user_id: str, token: TokenOpt,
             role: Annotated[str, typer.Option("--role")] = "member") -> None:  # fmt: skip
    """Moderators: name a user as participant or moderator."""
    with reported():
        body = validated(UserIn, {"user_id": user_id, "role": role})
        _run(token, True, lambda uow, a: networks.set_user(uow, actor=a, network_id=network_id,
                                                           user_in=body))  # fmt: skip
    console.print(f"{user_id}: {role}")


@networks_app.command("request")
def request_to_join(
    network_id: NetworkArg,
    token: TokenOpt,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
) -> None:
    """Ask to join a network."""
    with reported():
        made = _run(token, True, lambda uow, a: networks.request_to_join(
            uow, actor=a, network_id=network_id, reason=reason))  # fmt: skip
    sys.stdout.write(made.id + "\n")


@networks_app.command("decide")
def decide(request_id: str, token: TokenOpt,
           approve: Annotated[bool, typer.Option("--approve/--refuse")]) -> None:  # fmt: skip
    """Moderators: approve or refuse a join request."""
    with reported():
        made = _run(token, True, lambda uow, a: networks.decide(uow, actor=a,
                                                                request_id=request_id,
                                                                approve=approve))  # fmt: skip
    console.print(f"{made.member}: {made.status}")


def _network_done(made: Any, as_json: bool) -> None:
    if as_json:
        emit_json(made)
    else:
        console.print(f"{escape(made.name)}: {' '.join(made.members)}")
        sys.stdout.write(made.id + "\n")


# ---- messages ------------------------------------------------------------------------------


def _message(kind: str, text: str, extra: str | None) -> MessageIn:
    return validated(MessageIn, {**(json_object(extra) if extra else {}), "type": kind,
                                 "text": text})  # fmt: skip


@messages_app.command("start")
def start(
    subject: Annotated[str, typer.Argument()],
    text: Annotated[str, typer.Argument()],
    token: TokenOpt,
    to: Annotated[list[str] | None, typer.Option("--to", help="A member (repeat).")] = None,
    network: Annotated[str | None, typer.Option("--network")] = None,
    kind: TypeOpt = "spontaneous_information",
    extra: FieldsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Start a thread to members (--to) or a network (--network)."""
    with reported():
        first = _message(kind, text, extra).model_dump()
        body = validated(ThreadIn, {"subject": subject, "to": to or [], "network_id": network,
                                    "message": first})  # fmt: skip
        made = _run(token, True, lambda uow, a: threads.start(uow, actor=a, thread_in=body))
    _thread_done(made, as_json)


@messages_app.command("send")
def send(thread_id: str, text: Annotated[str, typer.Argument()], token: TokenOpt,
         kind: TypeOpt = "spontaneous_information", extra: FieldsOpt = None,
         as_json: JsonOpt = False) -> None:  # fmt: skip
    """Send a message in a thread (a correction with --type correction and
    --fields '{"corrects": ID}')."""
    with reported():
        body = _message(kind, text, extra)
        made = _run(token, True, lambda uow, a: threads.send(uow, actor=a, thread_id=thread_id,
                                                             message_in=body))  # fmt: skip
    if as_json:
        emit_json(made)
    else:
        sys.stdout.write(made.id + "\n")


@messages_app.command("read")
def read(thread_id: str, token: TokenOpt, as_json: JsonOpt = False) -> None:
    """A thread with its messages (marked read by you)."""
    with reported():
        found = _run(token, True, lambda uow, a: threads.read(uow, actor=a, thread_id=thread_id))
    _thread_done(found, as_json)


@messages_app.command("threads")
def list_threads(
    token: TokenOpt,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor")] = None,
) -> None:
    """Your threads, newest first."""
    with reported():
        page = _run(token, False, lambda uow, a: threads.list_threads(
            uow, actor=a, page=page_request(cursor, limit)))  # fmt: skip
    table = Table("id", "subject", "last")
    for t in page.items:
        table.add_row(t.id, escape(t.subject), t.last_at.isoformat(timespec="minutes"))
    console.print(table)


@messages_app.command("search")
def search_messages(
    q: Annotated[str, typer.Argument(help="Words, all of them.")],
    token: TokenOpt,
    limit: Annotated[int, typer.Option("--limit")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Messages you may see holding every word (best first; newest first when thousands
    match), each with its thread."""
    with reported():
        page = _run(token, False, lambda uow, a: threads.search(
            uow, actor=a, q=q, page=page_request(None, limit)))  # fmt: skip
    if as_json:
        emit_json({"items": [m.model_dump(mode="json") for m in page.items]})
        return
    table = Table("thread", "message", "from", "sent", "handling", "text")
    for m in page.items:
        table.add_row(m.thread_id, m.id, m.member, m.sent_at.isoformat(timespec="minutes"),
                      m.handling, escape(m.text[:80]))  # fmt: skip
    console.print(table)


def _thread_done(thread: Thread, as_json: bool) -> None:
    if as_json:
        emit_json(thread)
        return
    console.print(f"[bold]{escape(thread.subject)}[/bold]  ({thread.id})")
    for m in thread.messages:
        grading = f" {m.grading}" if m.grading else ""
        console.print(f"  {m.sent_at:%Y-%m-%d %H:%M} {m.member} [{m.handling}{grading}] "
                      f"{m.type.value}: {escape(m.text)}")  # fmt: skip


# ---- intelligence reports -------------------------------------------------------------------


@intel_app.command("publish")
def publish(
    source: Annotated[Path, typer.Argument(help="The report as JSON (ReportIn's fields).")],
    token: TokenOpt,
    as_json: JsonOpt = False,
) -> None:
    """Publish an intelligence report from a JSON file. Prints its id."""
    with reported():
        if not source.is_file():
            raise InvalidInput(f"No file {source}.")
        try:
            fields = json.loads(source.read_text())
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{source}: not JSON ({exc.msg}).") from None
        body = validated(ReportIn, fields)
        made = _run(token, True, lambda uow, a: reports.publish(uow, actor=a, report_in=body))
    if as_json:
        emit_json(made)
    else:
        console.print(f"published: {escape(made.title)}")
        sys.stdout.write(made.id + "\n")


@intel_app.command("search")
def search(
    token: TokenOpt,
    q: Annotated[str | None, typer.Argument(help="Words, all of them.")] = None,
    kind: Annotated[ReportKind | None, typer.Option("--kind")] = None,
    country: Annotated[str | None, typer.Option("--country")] = None,
    crime_area: Annotated[str | None, typer.Option("--crime-area")] = None,
    period_from: Annotated[
        datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="Period met from.")
    ] = None,
    period_to: Annotated[
        datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Period met until.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Reports you may see, by words and filters (a period keeps the reports whose own period
    meets it)."""
    with reported():
        page = _run(token, False, lambda uow, a: reports.search(
            uow, actor=a, page=page_request(None, limit), q=q, kind=kind, country=country,
            crime_area=crime_area, period_from=period_from.date() if period_from else None,
            period_to=period_to.date() if period_to else None))  # fmt: skip
    if as_json:
        emit_json({"items": [r.model_dump(mode="json") for r in page.items]})
        return
    table = Table("id", "kind", "owner", "title", "countries")
    for r in page.items:
        table.add_row(r.id, r.kind.value, r.envelope.owner, escape(r.title), " ".join(r.countries))
    console.print(table)


@intel_app.command("show")
def show_report(report_id: str, token: TokenOpt) -> None:
    """A report, as JSON."""
    with reported():
        emit_json(_run(token, False, lambda uow, a: reports.get(uow, actor=a, report_id=report_id)))


@intel_app.command("reply")
def reply(report_id: str, text: Annotated[str, typer.Argument()], token: TokenOpt,
          kind: TypeOpt = "spontaneous_information", extra: FieldsOpt = None,
          as_json: JsonOpt = False) -> None:  # fmt: skip
    """A message in the report's thread."""
    with reported():
        body = _message(kind, text, extra)
        made = _run(token, True, lambda uow, a: reports.reply(uow, actor=a, report_id=report_id,
                                                              message_in=body))  # fmt: skip
    _thread_done(made, as_json)


@intel_app.command("subscribe")
def subscribe(
    token: TokenOpt,
    countries: Annotated[list[str] | None, typer.Option("--country")] = None,
    kinds: Annotated[list[str] | None, typer.Option("--kind")] = None,
    crime_areas: Annotated[list[str] | None, typer.Option("--crime-area")] = None,
) -> None:
    """Be alerted to reports of these kinds, countries, crime areas (any, when left out)."""
    with reported():
        body = validated(SubscriptionIn, {"countries": countries or [], "kinds": kinds or [],
                                          "crime_areas": crime_areas or []})  # fmt: skip
        made = _run(
            token, True, lambda uow, a: reports.subscribe(uow, actor=a, subscription_in=body)
        )
    sys.stdout.write(made.id + "\n")


@intel_app.command("purple-notice")
def purple_notice(report_id: str, token: TokenOpt) -> None:
    """Draft a Purple Notice request from your modus operandi report; prints its id."""
    with reported():
        made = _run(
            token, True, lambda uow, a: reports.to_purple_notice(uow, actor=a, report_id=report_id)
        )
    console.print(f"drafted: {escape(made.envelope.title)}")
    sys.stdout.write(made.id + "\n")
