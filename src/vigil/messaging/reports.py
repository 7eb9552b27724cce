"""Intelligence reports (threats, trends, routes, modus operandi): structured to be searched
and analysed later; subscriptions alert members to the reports that concern them; a modus
operandi report becomes a Purple Notice request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from vigil.access.actors import Actor
from vigil.access.envelope import AudienceKind
from vigil.access.roles import allows
from vigil.access.rules import can_see
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import Conflict, Forbidden, InvalidInput, NotFound
from vigil.messaging import fulltext, store, threads
from vigil.messaging.events import ReportPublished
from vigil.messaging.models import (
    Leg,
    Linked,
    MessageIn,
    Report,
    ReportIn,
    ReportKind,
    Subscription,
    SubscriptionIn,
    Thread,
)
from vigil.notices import service as notices
from vigil.notices.models import Notice, NoticeIn
from vigil.records import service as records
from vigil.records import store as records_store
from vigil.storage.uow import UnitOfWork

KIND = "intel_report"


def publish(uow: UnitOfWork, *, actor: Actor, report_in: ReportIn) -> Report:
    """Publish a report to its audience (a network, members, everyone); subscribers who may
    see it are alerted."""
    actor.require("intel.publish")
    records.check_audience(uow, report_in.audience)
    if report_in.audience.kind is AudienceKind.NETWORKS:
        outside = set(report_in.audience.codes) - actor.networks
        if outside:
            raise InvalidInput(f"Not networks of yours: {', '.join(sorted(outside))}.")
    title = report_in.title or _title(report_in)
    now = clock.now()
    envelope = records.envelope_of(actor=actor, kind=KIND, title=title, envelope=report_in,
                                   now=now)  # fmt: skip
    records_store.insert(uow.conn, envelope)
    countries = report_in.all_countries()
    store.insert_report(
        uow.conn,
        {
            "id": envelope.id, "kind": report_in.kind.value,
            "crime_areas": [c.value for c in report_in.crime_areas], "countries": countries,
            "route": [leg.model_dump(mode="json", by_alias=True) for leg in report_in.route],
            "period_from": report_in.period_from, "period_to": report_in.period_to,
            "indicators": [i.value for i in report_in.indicators]
            + report_in.other_indicators,
            "linked": report_in.linked.model_dump(), "text": report_in.text,
            "language": report_in.language, "published_at": now,
        },
    )  # fmt: skip
    fulltext.index_text(uow.conn, envelope.id, KIND, f"{title}\n{' '.join(countries)}\n"
                     f"{report_in.text}")  # fmt: skip
    uow.audit(actor, "intel.publish", records=[envelope.id])
    uow.emit(ReportPublished(report_id=envelope.id, kind=report_in.kind.value,
                             countries=countries,
                             crime_areas=[c.value for c in report_in.crime_areas],
                             title=title))  # fmt: skip
    return _report(store.report_rows(uow.conn, [envelope.id])[envelope.id], envelope, None)


def get(uow: UnitOfWork, *, actor: Actor, report_id: str) -> Report:
    """A report the actor may see; "not found" otherwise."""
    actor.require("intel.read")
    envelope = _visible(uow, actor, report_id)
    uow.audit(actor, "intel.read", records=[report_id])
    row = store.report_rows(uow.conn, [report_id])[report_id]
    return _report(row, envelope, store.thread_about(uow.conn, report_id))


@dataclass(frozen=True, slots=True)
class ReportDossier:
    """A report with its thread, as its page shows them (no thread: none yet, or the actor
    does not read messages)."""

    report: Report
    thread: Thread | None


def dossier(uow: UnitOfWork, *, actor: Actor, report_id: str) -> ReportDossier:
    """A report the actor may see and its thread, read by the actor (read receipts)."""
    report = get(uow, actor=actor, report_id=report_id)
    thread = None
    if report.thread_id is not None and allows(actor.role, "messages.read"):
        thread = threads.read(uow, actor=actor, thread_id=report.thread_id)
    return ReportDossier(report, thread)


def search(
    uow: UnitOfWork,
    *,
    actor: Actor,
    page: PageRequest,
    q: str | None = None,
    kind: ReportKind | None = None,
    country: str | None = None,
    crime_area: str | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
) -> Page[Report]:
    """Reports the actor may see: full-text (``q``, every word) and structured filters (a
    period keeps the reports whose own period meets it).

    Raises:
        InvalidInput: a period that ends before it starts.
    """
    actor.require("intel.read")
    if period_from and period_to and period_to < period_from:
        raise InvalidInput("period_to is before period_from.")
    visible = records_store.visible_clause(actor)
    ids = None
    if q:
        # The filters are applied after the search: then it must find more.
        wanted = 500 if country or crime_area or period_from or period_to else page.limit + 1
        ids = fulltext.search(uow.conn, q, visible, kinds=[KIND], limit=wanted)
    rows = store.list_reports(
        uow.conn, visible, kind=kind.value if kind else None,
        country=country.upper() if country else None, crime_area=crime_area, ids=ids,
        after=page.after if ids is None else None, limit=page.limit + 1 if ids is None else 500,
        period=(period_from, period_to),
    )  # fmt: skip
    if ids is not None:  # best first, as the search ranked them
        order = {report_id: i for i, report_id in enumerate(ids)}
        rows.sort(key=lambda r: order.get(r.id, len(order)))
    envelopes = records_store.get_many(uow.conn, [r.id for r in rows])
    found = [_report(r, envelopes[r.id], None) for r in rows if can_see(actor, envelopes[r.id])]
    result = page_of(found, page, key=lambda r: r.id) if ids is None else _first(found, page)
    query: dict[str, Any] = {
        "q": q,
        "kind": kind,
        "country": country,
        "crime_area": crime_area,
        "period_from": period_from,
        "period_to": period_to,
    }
    uow.audit(actor, "intel.search", query=query, results=[r.id for r in result.items])
    return result


def reply(uow: UnitOfWork, *, actor: Actor, report_id: str, message_in: MessageIn) -> Thread:
    """A message in the report's thread (opened on the first reply), seen by the report's
    audience."""
    envelope = _visible(uow, actor, report_id)
    return threads.start_about(uow, actor=actor, record=envelope,
                               subject=f"Re: {envelope.title}", message_in=message_in)  # fmt: skip


def to_purple_notice(uow: UnitOfWork, *, actor: Actor, report_id: str) -> Notice:
    """Draft a Purple Notice from one of the member's modus operandi reports: the method,
    the objects and indicators carried over; the owner completes and requests it."""
    envelope = _visible(uow, actor, report_id)
    if envelope.owner != actor.member:
        raise Forbidden("Only the member that wrote the report requests a notice from it.")
    row = store.report_rows(uow.conn, [report_id])[report_id]
    if row.kind != ReportKind.MODUS_OPERANDI.value:
        raise Conflict("A Purple Notice comes from a modus operandi report.")
    method = row.text if len(row.text) <= 4000 else row.text[:3997] + "..."
    notice_in = NoticeIn.model_validate({
        "type": "purple", "modus_operandi": method, "summary": envelope.title,
        "objects": [i.replace("_", " ") for i in row.indicators][:50],
        "audience": envelope.audience.model_dump(), "handling": envelope.handling,
        "handling_text": envelope.handling_text,
    })  # fmt: skip
    made = notices.create(uow, actor=actor, notice_in=notice_in)
    uow.audit(actor, "intel.to_notice", records=[report_id, made.id])
    return made


def subscribe(uow: UnitOfWork, *, actor: Actor, subscription_in: SubscriptionIn) -> Subscription:
    """Alert the actor's member to reports of these kinds, countries and crime areas."""
    actor.require("intel.read")
    made = Subscription(
        id=new_id(), member=actor.member, created_by=actor.ref, created_at=clock.now(),
        **subscription_in.model_dump(),
    )  # fmt: skip
    store.insert_subscription(uow.conn, made)
    uow.audit(actor, "intel.subscribe", query=subscription_in.model_dump(mode="json"))
    return made


def subscriptions(uow: UnitOfWork, *, actor: Actor) -> list[Subscription]:
    actor.require("intel.read")
    return store.subscriptions(uow.conn, actor.member)


def unsubscribe(uow: UnitOfWork, *, actor: Actor, subscription_id: str) -> None:
    actor.require("intel.read")
    if not store.delete_subscription(uow.conn, subscription_id, actor.member):
        raise NotFound(f"No subscription {subscription_id}.")
    uow.audit(actor, "intel.unsubscribe", query={"subscription": subscription_id})


def subscribers(uow: UnitOfWork, event: ReportPublished, record_id: str) -> set[str]:
    """Members whose subscriptions the report matches and who may see it (the handler's)."""
    envelope = records_store.get(uow.conn, record_id)
    if envelope is None:
        return set()
    audience = records.audience_members(uow, envelope)
    found = set()
    for sub in store.subscriptions(uow.conn):
        if sub.member not in audience or sub.member == envelope.owner:
            continue
        if sub.kinds and event.kind not in sub.kinds:
            continue
        if sub.countries and not set(sub.countries) & set(event.countries):
            continue
        if sub.crime_areas and not set(sub.crime_areas) & set(event.crime_areas):
            continue
        found.add(sub.member)
    return found


def _visible(uow: UnitOfWork, actor: Actor, report_id: str) -> Any:
    actor.require("intel.read")
    envelope = records_store.get(uow.conn, report_id)
    if envelope is None or envelope.kind != KIND or not can_see(actor, envelope):
        raise NotFound(f"No report {report_id}.")
    return envelope


def _title(report_in: ReportIn) -> str:
    kind = report_in.kind.value.replace("_", " ")
    if report_in.route:
        path = " → ".join([report_in.route[0].from_, *(leg.to for leg in report_in.route)])
        return f"{kind.capitalize()}: {path}"
    return f"{kind.capitalize()}: {report_in.text[:80]}"


def _report(row: Any, envelope: Any, thread_id: str | None) -> Report:
    return Report(
        id=row.id, kind=ReportKind(row.kind), title=envelope.title, crime_areas=row.crime_areas,
        countries=row.countries, route=[Leg.model_validate(leg) for leg in row.route],
        period_from=row.period_from, period_to=row.period_to, indicators=row.indicators,
        linked=Linked.model_validate(row.linked), text=row.text, language=row.language,
        published_at=row.published_at, thread_id=thread_id, envelope=envelope,
    )  # fmt: skip


def _first(found: list[Report], page: PageRequest) -> Page[Report]:
    """Search results are ranked, not paged by id: the best ``limit``."""
    return Page(items=found[: page.limit], next_cursor=None)
