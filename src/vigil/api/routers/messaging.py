"""Intelligence networks, secure messages and intelligence reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from vigil.api.deps import ActorDep, DbDep, PageDep, reading, writing
from vigil.api.schemas import PageOut
from vigil.messaging import networks, reports, threads
from vigil.messaging.models import (
    CrimeArea,
    DecisionIn,
    JoinRequest,
    JoinRequestIn,
    MemberIn,
    Message,
    MessageIn,
    Network,
    NetworkIn,
    Report,
    ReportIn,
    ReportKind,
    Subscription,
    SubscriptionIn,
    Thread,
    ThreadIn,
    UserIn,
)
from vigil.notices.models import Notice

router = APIRouter(prefix="/api/v1", tags=["networks and messages"])


@router.post("/networks", status_code=201)
def create_network(body: NetworkIn, actor: ActorDep, db: DbDep) -> Network:
    """A network of member NCBs (yours included); you moderate it."""
    with writing(db) as uow:
        return networks.create(uow, actor=actor, network_in=body)


@router.get("/networks")
def list_networks(actor: ActorDep, db: DbDep, mine: bool = False) -> list[Network]:
    """The networks (``mine``: those your member belongs to)."""
    with reading(db) as uow:
        return networks.list_networks(uow, actor=actor, mine=mine)


@router.get("/networks/{network_id}")
def get_network(network_id: str, actor: ActorDep, db: DbDep) -> Network:
    with reading(db) as uow:
        return networks.get(uow, actor=actor, network_id=network_id)


@router.post("/networks/{network_id}/members", status_code=201)
def add_member(network_id: str, body: MemberIn, actor: ActorDep, db: DbDep) -> Network:
    """A moderator adds a member NCB."""
    with writing(db) as uow:
        return networks.add_member(uow, actor=actor, network_id=network_id, member=body.member)


@router.delete("/networks/{network_id}/members/{member}")
def remove_member(network_id: str, member: str, actor: ActorDep, db: DbDep) -> Network:
    """A moderator removes a member, or a member leaves: access ends at once."""
    with writing(db) as uow:
        return networks.remove_member(
            uow, actor=actor, network_id=network_id, member=member.upper()
        )


@router.post("/networks/{network_id}/users")
def set_user(network_id: str, body: UserIn, actor: ActorDep, db: DbDep) -> Network:
    """A moderator names a user as participant or moderator."""
    with writing(db) as uow:
        return networks.set_user(uow, actor=actor, network_id=network_id, user_in=body)


@router.post("/networks/{network_id}/requests", status_code=201)
def request_to_join(
    network_id: str, body: JoinRequestIn, actor: ActorDep, db: DbDep
) -> JoinRequest:
    """Ask to join a network; its moderators decide."""
    with writing(db) as uow:
        return networks.request_to_join(uow, actor=actor, network_id=network_id, reason=body.reason)


@router.get("/networks/{network_id}/requests")
def join_requests(network_id: str, actor: ActorDep, db: DbDep) -> list[JoinRequest]:
    with reading(db) as uow:
        return networks.join_requests(uow, actor=actor, network_id=network_id)


@router.post("/networks/requests/{request_id}/decision")
def decide(request_id: str, body: DecisionIn, actor: ActorDep, db: DbDep) -> JoinRequest:
    with writing(db) as uow:
        return networks.decide(uow, actor=actor, request_id=request_id, approve=body.approve)


@router.post("/messages/threads", status_code=201)
def start_thread(body: ThreadIn, actor: ActorDep, db: DbDep) -> Thread:
    """A thread to members (``to``) or a network (``network_id``), with its first message."""
    with writing(db) as uow:
        return threads.start(uow, actor=actor, thread_in=body)


@router.get("/messages/threads")
def list_threads(actor: ActorDep, db: DbDep, page: PageDep) -> PageOut[Thread]:
    with reading(db) as uow:
        return PageOut.of(threads.list_threads(uow, actor=actor, page=page))


@router.get("/messages")
def search_messages(
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words, all of them.")],
) -> PageOut[Message]:
    """Messages you may see holding every word: best first, or newest first when thousands
    match. Each names its thread; finding a message does not mark it read."""
    with reading(db) as uow:
        return PageOut.of(threads.search(uow, actor=actor, q=q, page=page))


@router.get("/messages/threads/{thread_id}")
def read_thread(thread_id: str, actor: ActorDep, db: DbDep) -> Thread:
    """A thread and its messages (marked read by you: read receipts)."""
    with writing(db) as uow:
        return threads.read(uow, actor=actor, thread_id=thread_id)


@router.post("/messages/threads/{thread_id}/messages", status_code=201)
def send(thread_id: str, body: MessageIn, actor: ActorDep, db: DbDep) -> Message:
    """A message: its type's fields, handling code and grading; never edited afterwards."""
    with writing(db) as uow:
        return threads.send(uow, actor=actor, thread_id=thread_id, message_in=body)


@router.get(
    "/messages/{message_id}/attachments/{sha256}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def attachment(message_id: str, sha256: str, actor: ActorDep, db: DbDep) -> Response:
    with reading(db) as uow:
        name, media_type, data = threads.attachment(
            uow, actor=actor, message_id=message_id, sha256=sha256
        )
    safe = "".join(c for c in name if c.isalnum() or c in "._- ") or "attachment"
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})  # fmt: skip


@router.post("/intel/reports", status_code=201)
def publish(body: ReportIn, actor: ActorDep, db: DbDep) -> Report:
    """Publish an intelligence report (threat, trend, route, modus_operandi)."""
    with writing(db) as uow:
        return reports.publish(uow, actor=actor, report_in=body)


@router.get("/intel/reports")
def search_reports(
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=500, description="Words, all of them.")] = None,
    kind: ReportKind | None = None,
    country: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    crime_area: CrimeArea | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
) -> PageOut[Report]:
    """Reports you may see: full text (``q``) and filters; a period keeps the reports whose
    own period meets it."""
    with reading(db) as uow:
        return PageOut.of(
            reports.search(
                uow, actor=actor, page=page, q=q, kind=kind, country=country,
                crime_area=crime_area.value if crime_area else None, period_from=period_from,
                period_to=period_to,
            )
        )  # fmt: skip


@router.get("/intel/reports/{report_id}")
def get_report(report_id: str, actor: ActorDep, db: DbDep) -> Report:
    with reading(db) as uow:
        return reports.get(uow, actor=actor, report_id=report_id)


@router.post("/intel/reports/{report_id}/replies", status_code=201)
def reply(report_id: str, body: MessageIn, actor: ActorDep, db: DbDep) -> Thread:
    """A message in the report's thread (its audience's)."""
    with writing(db) as uow:
        return reports.reply(uow, actor=actor, report_id=report_id, message_in=body)


@router.post("/intel/reports/{report_id}/purple-notice", status_code=201)
def to_purple_notice(report_id: str, actor: ActorDep, db: DbDep) -> Notice:
    """Draft a Purple Notice request from your modus operandi report."""
    with writing(db) as uow:
        return reports.to_purple_notice(uow, actor=actor, report_id=report_id)


@router.post("/intel/subscriptions", status_code=201)
def subscribe(body: SubscriptionIn, actor: ActorDep, db: DbDep) -> Subscription:
    """Be alerted to reports of these ``kinds`` naming these ``countries``."""
    with writing(db) as uow:
        return reports.subscribe(uow, actor=actor, subscription_in=body)


@router.get("/intel/subscriptions")
def subscriptions(actor: ActorDep, db: DbDep) -> list[Subscription]:
    with reading(db) as uow:
        return reports.subscriptions(uow, actor=actor)


@router.delete("/intel/subscriptions/{subscription_id}", status_code=204)
def unsubscribe(subscription_id: str, actor: ActorDep, db: DbDep) -> Response:
    with writing(db) as uow:
        reports.unsubscribe(uow, actor=actor, subscription_id=subscription_id)
    return Response(status_code=204)
