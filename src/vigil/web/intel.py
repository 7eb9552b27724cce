"""Intelligence reports in the workspace: the search (words, filters, the period the reports
cover) with the member's subscriptions, each with its cancel button, and the subscription form;
the report form (a route's legs are rows the page's script adds); and one report with its route
drawn on a world map, its thread and reply form, and, for the owner's modus operandi reports,
the Purple Notice request. Each handler calls one service function (the search page also lists
the member's subscriptions); a refused form comes back as typed (HTTP 422)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

import pycountry
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from vigil.access.actors import Actor
from vigil.access.envelope import HANDLING_MEANING
from vigil.access.roles import forbid_unless
from vigil.api.deps import DbDep, reading, writing
from vigil.core.pagination import page_request
from vigil.errors import InvalidInput, VigilError
from vigil.messaging import networks, reports
from vigil.messaging.models import (
    CrimeArea,
    Indicator,
    Report,
    ReportKind,
    SubscriptionIn,
    TransportMode,
)
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web.forms import Problem, Refusal, submit
from vigil.web.message_forms import (
    REPLY_TYPES,
    Attachments,
    MessageForm,
    ReportForm,
    SubscriptionForm,
    attachments_in,
)
from vigil.web.messages import message_choices
from vigil.web.pages import error_page, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
NAV = "intel"
# The world map route reports are drawn on, installed with the front-end assets (make assets).
WORLD_MAP = "/static/vendor/countries-110m.json"


@dataclass(frozen=True, slots=True)
class Filters:
    """What the search is narrowed to, as typed in its form."""

    q: str = ""
    kind: str = ""
    country: str = ""
    crime_area: str = ""
    period_from: str = ""
    period_to: str = ""

    def kind_value(self) -> ReportKind | None:
        try:
            return ReportKind(self.kind) if self.kind else None
        except ValueError:
            raise InvalidInput(f"Unknown kind {self.kind!r}.") from None

    def crime_area_value(self) -> str | None:
        if self.crime_area and self.crime_area not in set(CrimeArea):
            raise InvalidInput(f"Unknown crime area {self.crime_area!r}.")
        return self.crime_area or None

    def period_value(self) -> tuple[date | None, date | None]:
        """The period typed, as dates (the service says whether it ends before it starts)."""
        return _day("period_from", self.period_from), _day("period_to", self.period_to)

    def link(self, cursor: str) -> str:
        """The next page's address, with the same filters."""
        fields = {"q": self.q, "kind": self.kind, "country": self.country,
                  "crime_area": self.crime_area, "period_from": self.period_from,
                  "period_to": self.period_to, "cursor": cursor}  # fmt: skip
        return "/intel?" + urlencode({name: value for name, value in fields.items() if value})


def _day(name: str, typed: str) -> date | None:
    if not typed:
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise InvalidInput(f"{name}: {typed!r} is not a date (YYYY-MM-DD).") from None


def numeric_code(code: str) -> str:
    """A country's ISO 3166-1 numeric code, by which the world map names its countries."""
    country = pycountry.countries.get(alpha_3=code)
    return "" if country is None else str(country.numeric)


@router.get("/intel")
def intel_page(
    request: Request,
    db: DbDep,
    cursor: str | None = None,
    q: str = "",
    kind: str = "",
    country: str = "",
    crime_area: str = "",
    period_from: str = "",
    period_to: str = "",
    subscribed: bool = False,
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    filters = Filters(q.strip()[:500], kind.strip(), country.strip().upper(), crime_area.strip(),
                      period_from.strip(), period_to.strip())  # fmt: skip
    return _search(request, db, session, filters, cursor, SubscriptionForm(), subscribed=subscribed)


@router.post("/intel/subscriptions")
def subscribe(request: Request, db: DbDep, form: Annotated[SubscriptionForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    made = submit(db, session, form.csrf_token, lambda uow: reports.subscribe(
        uow, actor=session.actor,
        subscription_in=SubscriptionIn.model_validate(form.fields())))  # fmt: skip
    if isinstance(made, Refusal):
        return _search(request, db, session, Filters(), None, form, problems=made.problems,
                       status=made.status)  # fmt: skip
    return RedirectResponse("/intel?subscribed=true", status_code=303)


@router.post("/intel/subscriptions/{subscription_id}/cancel")
def unsubscribe(
    subscription_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, csrf_token)
        with writing(db) as uow:
            reports.unsubscribe(uow, actor=session.actor, subscription_id=subscription_id)
    except VigilError as exc:
        refused = [Problem(subscription_id, exc.detail)]
        return _search(request, db, session, Filters(), None, SubscriptionForm(),
                       cancel_problems=refused, status=exc.status)  # fmt: skip
    return RedirectResponse("/intel#subscriptions", status_code=303)


@router.get("/intel/new")
def new_report_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        forbid_unless(session.actor.role, "intel.publish")  # spares a form that would fail
    except VigilError as exc:
        return error_page(request, session, exc)
    return _report_form(request, db, session, ReportForm())


@router.post("/intel/new")
def publish(request: Request, db: DbDep, form: Annotated[ReportForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    made = submit(db, session, form.csrf_token, lambda uow: reports.publish(
        uow, actor=session.actor, report_in=form.report_in(session.actor.member)))  # fmt: skip
    if isinstance(made, Refusal):
        return _report_form(request, db, session, form, problems=made.problems,
                            status=made.status)  # fmt: skip
    return RedirectResponse(f"/intel/{made.id}", status_code=303)


@router.get("/intel/{report_id}")
def report_page(report_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return _report(request, db, session, report_id)


@router.post("/intel/{report_id}/replies")
def reply(
    report_id: str,
    request: Request,
    db: DbDep,
    form: Annotated[MessageForm, Form()],
    attachments: Attachments = [],  # noqa: B006 (FastAPI copies defaults per request)
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> str:
        message_in = form.message_in(attachments_in(attachments))
        reports.reply(uow, actor=actor, report_id=report_id, message_in=message_in)
        return f"/intel/{report_id}#thread"

    return _act(request, db, report_id, form.csrf_token, act, form=form)


@router.post("/intel/{report_id}/purple-notice")
def purple_notice(
    report_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> str:
        made = reports.to_purple_notice(uow, actor=actor, report_id=report_id)
        return f"/notices/{made.id}"

    return _act(request, db, report_id, csrf_token, act)


def _act(
    request: Request,
    db: Database,
    report_id: str,
    csrf_token: str,
    act: Callable[[UnitOfWork, Actor], str],
    *,
    form: MessageForm | None = None,
) -> Response:
    """A form of the report page: done, to where it leads; refused, the report again with
    the reason, and the reply as typed."""
    session = current(request, db)
    if session is None:
        return to_login(request)
    done = submit(db, session, csrf_token, lambda uow: act(uow, session.actor))
    if isinstance(done, Refusal):
        return _report(request, db, session, report_id, form=form, problems=done.problems,
                       status=done.status)  # fmt: skip
    return RedirectResponse(done, status_code=303)


def _search(
    request: Request,
    db: Database,
    session: PageSession,
    filters: Filters,
    cursor: str | None,
    subscription: SubscriptionForm,
    *,
    subscribed: bool = False,
    problems: list[Problem] | None = None,
    cancel_problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    filter_error, mine = None, None
    try:
        with reading(db) as uow:
            mine = reports.subscriptions(uow, actor=session.actor)
            since, until = filters.period_value()
            page = reports.search(
                uow, actor=session.actor, page=page_request(cursor, PAGE_SIZE),
                q=filters.q or None, kind=filters.kind_value(), country=filters.country or None,
                crime_area=filters.crime_area_value(), period_from=since, period_to=until,
            )  # fmt: skip
    except InvalidInput as exc:
        page, filter_error = None, exc.detail  # unknown kind, reversed period, tampered cursor
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "page": page,
        "next_link": filters.link(page.next_cursor) if page and page.next_cursor else None,
        "filters": filters,
        "filter_error": filter_error,
        "subscription": subscription,
        "subscribed": subscribed,
        "subscriptions": mine,
        "problems": problems or [],
        "cancel_problems": cancel_problems or [],
        **_choices(),
    }
    return render(request, "intel.html", context, status_code=status)


def _report_form(
    request: Request,
    db: Database,
    session: PageSession,
    form: ReportForm,
    *,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    try:
        with reading(db) as uow:
            mine = networks.list_networks(uow, actor=session.actor, mine=True)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "form": form,
        "legs": form.legs() or [{"from": "", "to": "", "mode": "", "crossing": ""}],
        "networks": mine,
        "problems": problems or [],
        "handlings": list(HANDLING_MEANING),
        "message_languages": message_choices()["message_languages"],
        **_choices(),
    }
    return render(request, "intel_new.html", context, status_code=status)


def _report(
    request: Request,
    db: Database,
    session: PageSession,
    report_id: str,
    *,
    form: MessageForm | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    try:
        with writing(db) as uow:  # reading the report's thread marks it read (receipts)
            dossier = reports.dossier(uow, actor=session.actor, report_id=report_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    report = dossier.report
    context = {
        "session": session,
        "nav": NAV,
        "report": report,
        "thread": dossier.thread,
        "stops": _stops(report),
        "world_map": WORLD_MAP,
        "form": form or _reply_form(dossier.thread),
        "problems": problems or [],
        "types": REPLY_TYPES,
        "action": f"/intel/{report.id}/replies",
        **message_choices(),
    }
    return render(request, "intel_report.html", context, status_code=status)


def _reply_form(thread: Any) -> MessageForm:
    if thread is None or not thread.messages:
        return MessageForm(type="spontaneous_information")
    return MessageForm(type="reply", in_reply_to=thread.messages[-1].id)


def _stops(report: Report) -> list[tuple[str, str]]:
    """The countries a route passes through, in order, with the map's codes for them."""
    if not report.route:
        return []
    codes = [report.route[0].from_, *(leg.to for leg in report.route)]
    return [(code, numeric_code(code)) for code in codes]


def _choices() -> dict[str, Any]:
    return {
        "kinds": list(ReportKind),
        "crime_areas": list(CrimeArea),
        "indicators": list(Indicator),
        "modes": list(TransportMode),
    }
