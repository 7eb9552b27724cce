"""Travel document reports in the workspace: the list, the report form, one report, and the
owner's recover and withdraw buttons. Each handler calls one service function."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from vigil.access.envelope import HANDLING_MEANING
from vigil.access.roles import allows
from vigil.api.deps import DbDep, reading, writing
from vigil.core.pagination import page_request
from vigil.documents import service
from vigil.documents.models import DocumentReportIn, DocumentStatus, DocumentType
from vigil.errors import InvalidInput, VigilError
from vigil.storage.engine import Database
from vigil.web.pages import error_page, form_post, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
_CODES = re.compile(r"[\s,;]+")


class ReportForm(BaseModel):
    """The report form as typed, all text: shown again as it was when the report is refused."""

    csrf_token: str = ""
    number: str = ""
    issuing_state: str = ""
    type: str = DocumentType.PASSPORT.value
    status: str = DocumentStatus.STOLEN.value
    reported_on: str = ""
    expiry_date: str = ""
    holder_surname: str = ""
    holder_given_names: str = ""
    holder_birth_date: str = ""
    audience: str = "all"
    audience_codes: str = ""
    handling: str = "H0"
    handling_text: str = ""
    review_by: str = ""

    def report_in(self) -> DocumentReportIn:
        """The report the form describes (``ValidationError`` names the fields at fault)."""
        fields: dict[str, Any] = {
            "number": self.number.strip(),
            "issuing_state": self.issuing_state.strip(),
            "type": self.type,
            "status": self.status,
            "audience": self._audience(),
            "handling": self.handling,
        }
        optional = {
            "reported_on": self.reported_on,
            "expiry_date": self.expiry_date,
            "handling_text": self.handling_text,
            "review_by": self.review_by,
        }
        fields.update({name: value.strip() for name, value in optional.items() if value.strip()})
        holder = {
            "surname": self.holder_surname.strip(),
            "given_names": self.holder_given_names.strip(),
            "birth_date": self.holder_birth_date.strip(),
        }
        if any(holder.values()):
            fields["holder"] = {name: value for name, value in holder.items() if value}
        return DocumentReportIn.model_validate(fields)

    def _audience(self) -> Any:
        if self.audience == "all":
            return "all"
        codes = [code for code in _CODES.split(self.audience_codes.upper()) if code]
        return {self.audience: codes}


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a report was refused; ``field`` names the form field at fault ("" for the form)."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Filters:
    """What the list is narrowed to, as typed in its filter form."""

    issuing_state: str = ""
    number: str = ""
    status: str = ""

    def status_value(self) -> DocumentStatus | None:
        if not self.status:
            return None
        try:
            return DocumentStatus(self.status)
        except ValueError:
            raise InvalidInput(f"Unknown status {self.status!r}.") from None

    def link(self, cursor: str) -> str:
        """The next page's address, with the same filters."""
        fields = {
            "issuing_state": self.issuing_state,
            "number": self.number,
            "status": self.status,
            "cursor": cursor,
        }
        return "/documents?" + urlencode({name: value for name, value in fields.items() if value})


@router.get("/documents")
def documents_page(
    request: Request,
    db: DbDep,
    cursor: str | None = None,
    issuing_state: str = "",
    number: str = "",
    status: str = "",
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    filters = Filters(issuing_state.strip(), number.strip(), status.strip())
    form = ReportForm(issuing_state=session.actor.member)
    return _list(request, db, session, filters=filters, cursor=cursor, form=form)


@router.post("/documents")
def report_document(request: Request, db: DbDep, form: Annotated[ReportForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, form.csrf_token)
        report_in = form.report_in()
        with writing(db) as uow:
            made = service.report(uow, actor=session.actor, report_in=report_in)
    except ValidationError as exc:
        problems, status = _problems(exc), 422
    except VigilError as exc:
        problems, status = [Problem("", exc.detail)], exc.status
    else:
        return RedirectResponse(f"/documents/{made.id}", status_code=303)
    # Refused: the form comes back as typed, with the reasons, above the list's first page.
    return _list(
        request,
        db,
        session,
        filters=Filters(),
        cursor=None,
        form=form,
        problems=problems,
        status=status,
    )


@router.get("/documents/{report_id}")
def report_page(report_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        with reading(db) as uow:
            report = service.get(uow, actor=session.actor, report_id=report_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    actor = session.actor
    context = {
        "session": session,
        "nav": "documents",
        "report": report,
        # The buttons only spare the owner a refused request: the service decides.
        "manage": allows(actor.role, "documents.report") and report.envelope.owner == actor.member,
    }
    return render(request, "documents_report.html", context)


@router.post("/documents/{report_id}/recover")
def recover_document(
    report_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    return form_post(
        request,
        db,
        csrf_token,
        lambda uow, actor: service.recover(uow, actor=actor, report_id=report_id),
        f"/documents/{report_id}",
    )


@router.post("/documents/{report_id}/withdraw")
def withdraw_document(
    report_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    return form_post(
        request,
        db,
        csrf_token,
        lambda uow, actor: service.delete(uow, actor=actor, report_id=report_id),
        "/documents",
    )


def _list(
    request: Request,
    db: Database,
    session: PageSession,
    *,
    filters: Filters,
    cursor: str | None,
    form: ReportForm,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    """The list page, with the report form (and why it was refused, if it was)."""
    filter_error = None
    try:
        with reading(db) as uow:
            page = service.list_reports(
                uow,
                actor=session.actor,
                page=page_request(cursor, PAGE_SIZE),
                issuing_state=filters.issuing_state or None,
                number=filters.number or None,
                status=filters.status_value(),
            )
    except InvalidInput as exc:
        page, filter_error = None, exc.detail  # a filter that names no state or status
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": "documents",
        "page": page,
        "next_link": filters.link(page.next_cursor) if page and page.next_cursor else None,
        "filters": filters,
        "filter_error": filter_error,
        "can_report": allows(session.actor.role, "documents.report"),
        "form": form,
        "problems": problems or [],
        "types": list(DocumentType),
        "statuses": list(DocumentStatus),
        "handlings": list(HANDLING_MEANING),
    }
    return render(request, "documents.html", context, status_code=status)


def _problems(exc: ValidationError) -> list[Problem]:
    """Pydantic's errors named by the form field they came from (``holder_surname``...)."""
    problems = []
    for error in exc.errors():
        field = "_".join(str(part) for part in error["loc"][:2])
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(Problem(field, message))
    return problems
