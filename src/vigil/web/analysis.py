"""Online ads and money transfers in the workspace: the ad search (a phone and the country
it is written in, where the ad is placed, site, posting dates), one ad with each phone leading
to the other ads giving it, and the ad form (NCBs); the transfer search, one transfer, the
transfer form (NCBs), and one account's flows with its counterparties and first transfers (the
one page that calls two service functions). A filter or form the service refuses comes back as
typed, with its reason and the service's status (HTTP 422; 409 for a reference used already)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from vigil.access.envelope import HANDLING_MEANING, Audience
from vigil.access.roles import forbid_unless
from vigil.analysis import ads, transfers
from vigil.analysis.models import AdIn, Channel, Direction, TransferIn
from vigil.api.deps import DbDep, reading
from vigil.core.pagination import PageRequest, page_request
from vigil.errors import InvalidInput, VigilError
from vigil.web.forms import Problem, Refusal, submit
from vigil.web.pages import error_page, to_login
from vigil.web.session import PageSession, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
NAV = "analysis"
AD_FORM = "analysis_ad_new.html"
TRANSFER_FORM = "analysis_transfer_new.html"


def _day(name: str, typed: str, *, end: bool = False) -> datetime | None:
    """A date typed in a filter as a bound in UTC; ``end`` gives the next midnight, so that
    "until" takes in the whole day it names (the service's bound excludes itself)."""
    if not typed:
        return None
    try:
        start = datetime.combine(date.fromisoformat(typed), time(), tzinfo=UTC)
        return start + timedelta(days=1) if end else start
    except (ValueError, OverflowError):  # OverflowError: the day after 9999-12-31
        raise InvalidInput(f"{name}: {typed!r} is not a date (YYYY-MM-DD)") from None


def _link(path: str, fields: dict[str, str]) -> str:
    return f"{path}?" + urlencode({name: value for name, value in fields.items() if value})


@dataclass(frozen=True, slots=True)
class AdFilters:
    """What the ad search is narrowed to, as typed in its form."""

    phone: str = ""
    phone_country: str = ""
    country: str = ""
    site: str = ""
    since: str = ""
    until: str = ""

    def link(self, cursor: str) -> str:
        """The next page's address, with the same filters."""
        fields = {"phone": self.phone, "phone_country": self.phone_country,
                  "country": self.country, "site": self.site, "since": self.since,
                  "until": self.until, "cursor": cursor}  # fmt: skip
        return _link("/ads", fields)


@dataclass(frozen=True, slots=True)
class TransferFilters:
    """What the transfer search is narrowed to, as typed in its form."""

    account: str = ""
    direction: str = Direction.BOTH.value
    since: str = ""
    until: str = ""

    def direction_value(self) -> Direction:
        try:
            return Direction(self.direction or Direction.BOTH.value)
        except ValueError:
            raise InvalidInput(f"direction: {self.direction!r} is not in, out or both") from None

    def link(self, cursor: str) -> str:
        """The next page's address, with the same filters."""
        fields = {"account": self.account, "direction": self.direction, "since": self.since,
                  "until": self.until, "cursor": cursor}  # fmt: skip
        return _link("/transfers", fields)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class RecordForm(BaseModel):
    """What every record form asks, as typed: who may see the record, its handling, and the
    member's own reference."""

    csrf_token: str = ""
    owner_ref: str = ""
    audience: str = "all"
    handling: str = "H0"
    handling_text: str = ""

    def envelope_fields(self, member: str) -> dict[str, Any]:
        """The envelope's fields as the record model takes them."""
        fields: dict[str, Any] = {
            "handling": self.handling, "handling_text": self.handling_text.strip(),
            "audience": Audience.only(member) if self.audience == "only" else self.audience,
        }  # fmt: skip
        if self.owner_ref.strip():
            fields["provenance"] = {"owner_ref": self.owner_ref.strip()}
        return fields


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields typed in: an empty one is left to the model's default."""
    return {name: value for name, value in fields.items() if value not in ("", [])}


class AdForm(RecordForm):
    """The ad form as typed, all text: shown again as it was when the ad is refused."""

    posted_at: str = ""
    site: str = ""
    url: str = ""
    text: str = ""
    city: str = ""
    country: str = ""
    language: str = ""
    phones: str = ""
    emails: str = ""

    def ad_in(self, member: str) -> AdIn:
        """The ad the form describes (``ValidationError`` names the fields at fault); phones
        and e-mails one a line, a time without offset read as UTC."""
        fields: dict[str, Any] = {
            "posted_at": self.posted_at.strip(), "site": self.site.strip(),
            "url": self.url.strip(), "text": self.text.strip(), "city": self.city.strip(),
            "country": self.country.strip().upper(), "language": self.language.strip().lower(),
            "phones": _lines(self.phones), "emails": _lines(self.emails),
        }  # fmt: skip
        return AdIn.model_validate(_given({**fields, **self.envelope_fields(member)}))


class TransferForm(RecordForm):
    """The transfer form as typed, all text: shown again as it was when it is refused."""

    at: str = ""
    from_account: str = ""
    to_account: str = ""
    amount: str = ""
    currency: str = ""
    channel: str = Channel.BANK_TRANSFER.value
    reference: str = ""

    def transfer_in(self, member: str) -> TransferIn:
        """The transfer the form describes (``ValidationError`` names the fields at fault);
        a time without offset read as UTC."""
        fields: dict[str, Any] = {
            "at": self.at.strip(), "from_account": self.from_account.strip(),
            "to_account": self.to_account.strip(), "amount": self.amount.strip(),
            "currency": self.currency.strip(), "channel": self.channel,
            "reference": self.reference.strip(),
        }  # fmt: skip
        return TransferIn.model_validate(_given({**fields, **self.envelope_fields(member)}))


@router.get("/ads")
def ads_page(
    request: Request,
    db: DbDep,
    cursor: str | None = None,
    phone: str = "",
    phone_country: str = "",
    country: str = "",
    site: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    # Codes cut at 10, not 3: the service names a wrong code rather than searching another.
    filters = AdFilters(phone.strip()[:100], phone_country.strip().upper()[:10],
                        country.strip().upper()[:10], site.strip()[:200], since.strip(),
                        until.strip())  # fmt: skip
    filter_error, status = None, 200
    try:
        with reading(db) as uow:
            page = ads.search(
                uow, actor=session.actor, page=page_request(cursor, PAGE_SIZE),
                phone=filters.phone or None, phone_country=filters.phone_country or None,
                country=filters.country or None, site=filters.site or None,
                since=_day("since", filters.since), until=_day("until", filters.until, end=True),
            )  # fmt: skip
    except InvalidInput as exc:  # an unreadable phone, country or date, a tampered cursor
        page, filter_error, status = None, exc.detail, exc.status
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "page": page,
        "next_link": filters.link(page.next_cursor) if page and page.next_cursor else None,
        "filters": filters,
        "filter_error": filter_error,
    }
    return render(request, "analysis_ads.html", context, status_code=status)


@router.get("/ads/new")
def new_ad_page(request: Request, db: DbDep) -> Response:
    return _blank_form(request, db, AD_FORM, AdForm())


@router.post("/ads/new")
def record_ad(request: Request, db: DbDep, form: Annotated[AdForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    made = submit(db, session, form.csrf_token, lambda uow: ads.record(
        uow, actor=session.actor, ad_in=form.ad_in(session.actor.member)))  # fmt: skip
    if isinstance(made, Refusal):
        return _form_page(request, session, AD_FORM, form, problems=made.problems,
                          status=made.status)  # fmt: skip
    return RedirectResponse(f"/ads/{made.id}", status_code=303)


@router.get("/ads/{ad_id}")
def ad_page(ad_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            ad = ads.get(uow, actor=session.actor, ad_id=ad_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    return render(request, "analysis_ad.html", {"session": session, "nav": NAV, "ad": ad})


@router.get("/transfers")
def transfers_page(
    request: Request,
    db: DbDep,
    cursor: str | None = None,
    account: str = "",
    direction: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    filters = TransferFilters(account.strip()[:100], direction.strip() or Direction.BOTH.value,
                              since.strip(), until.strip())  # fmt: skip
    filter_error, status = None, 200
    try:
        with reading(db) as uow:
            page = transfers.search(
                uow, actor=session.actor, page=page_request(cursor, PAGE_SIZE),
                account=filters.account or None, direction=filters.direction_value(),
                since=_day("since", filters.since), until=_day("until", filters.until, end=True),
            )  # fmt: skip
    except InvalidInput as exc:  # an unreadable account or date, a tampered cursor
        page, filter_error, status = None, exc.detail, exc.status
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "page": page,
        "next_link": filters.link(page.next_cursor) if page and page.next_cursor else None,
        "filters": filters,
        "filter_error": filter_error,
        "directions": list(Direction),
    }
    return render(request, "analysis_transfers.html", context, status_code=status)


@router.get("/transfers/new")
def new_transfer_page(request: Request, db: DbDep) -> Response:
    return _blank_form(request, db, TRANSFER_FORM, TransferForm())


@router.post("/transfers/new")
def record_transfer(request: Request, db: DbDep, form: Annotated[TransferForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    # A Conflict (409) when the member has used this reference already.
    made = submit(db, session, form.csrf_token, lambda uow: transfers.record(
        uow, actor=session.actor, transfer_in=form.transfer_in(session.actor.member)))  # fmt: skip
    if isinstance(made, Refusal):
        return _form_page(request, session, TRANSFER_FORM, form, problems=made.problems,
                          status=made.status)  # fmt: skip
    return RedirectResponse(f"/transfers/{made.id}", status_code=303)


@router.get("/transfers/{transfer_id}")
def transfer_page(transfer_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            transfer = transfers.get(uow, actor=session.actor, transfer_id=transfer_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {"session": session, "nav": NAV, "transfer": transfer}
    return render(request, "analysis_transfer.html", context)


@router.get("/accounts/{account}")
def account_flows_page(account: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            flows = transfers.flows(uow, actor=session.actor, account=account)
            page = transfers.search(uow, actor=session.actor, page=PageRequest(limit=PAGE_SIZE),
                                    account=flows.account)  # fmt: skip
    except VigilError as exc:
        return error_page(request, session, exc)
    filters = TransferFilters(flows.account)
    context = {
        "session": session,
        "nav": NAV,
        "flows": flows,
        "page": page,
        "all_link": _link("/transfers", {"account": flows.account}),
        "next_link": filters.link(page.next_cursor) if page.next_cursor else None,
    }
    return render(request, "analysis_account.html", context)


def _blank_form(request: Request, db: DbDep, template: str, form: RecordForm) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        forbid_unless(session.actor.role, "analysis.record")  # spares a form that would fail
    except VigilError as exc:
        return error_page(request, session, exc)
    return _form_page(request, session, template, form)


def _form_page(
    request: Request,
    session: PageSession,
    template: str,
    form: RecordForm,
    *,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "session": session,
        "nav": NAV,
        "form": form,
        "problems": problems or [],
        "handlings": list(HANDLING_MEANING),
        "channels": list(Channel),
    }
    return render(request, template, context, status_code=status)
