"""Person records in the workspace: screen a name, the list, one record, the record form, and
the owner's edit and delete pages. Each handler calls one service function; a screening is a form
post, so that the name screened stays out of addresses and logs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from vigil.access.actors import Actor
from vigil.access.envelope import HANDLING_MEANING
from vigil.access.roles import forbid_unless
from vigil.api.deps import DbDep, reading, writing
from vigil.core.pagination import page_request
from vigil.errors import InvalidInput, VigilError
from vigil.persons import screening, service
from vigil.persons.models import Category, Name, PartnerScreening, Person, PersonIn, ScreenQuery
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web.enrolments import record_page
from vigil.web.pages import error_page, form_post, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
NAV = "persons"
_CODES = re.compile(r"[\s,;]+")
# A name line may say its kind first ("latin: Mohamed Ali Hassan"); the words are the model's.
_KIND_PREFIX = re.compile(r"^(original|latin|alias|nickname|maiden|former)\s*:\s*", re.I)
_QUOTED = re.compile(r"“([^”]*)”")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a form was refused; ``field`` names the form field at fault ("" for the form)."""

    field: str
    message: str


class ScreenForm(BaseModel):
    """The screening form as typed, all text: shown again with the results."""

    csrf_token: str = ""
    name: str = ""
    birth_date: str = ""
    nationality: str = ""
    sex: str = ""
    document_number: str = ""

    def query(self) -> ScreenQuery:
        """The query the form describes (``ValidationError`` names the fields at fault)."""
        optional = {
            "birth_date": self.birth_date.strip(),
            "nationality": self.nationality.strip().upper(),
            "sex": self.sex,
            "document_number": self.document_number.strip(),
        }
        fields = {name: value for name, value in optional.items() if value}
        return ScreenQuery.model_validate({"name": self.name.strip(), **fields})


class PersonForm(BaseModel):
    """The record form as typed, all text: shown again as it was when the record is refused."""

    csrf_token: str = ""
    names: str = ""
    birth_date: str = ""
    sex: str = ""
    nationalities: str = ""
    category: str = Category.WANTED.value
    audience: str = ""
    handling: str = "H0"
    handling_text: str = ""

    @classmethod
    def of(cls, person: Person) -> PersonForm:
        """The form as the record fills it, for its owner to change (audience left unchanged)."""
        return cls(
            names="\n".join(_name_line(number, name) for number, name in enumerate(person.names)),
            birth_date=person.birth_date or "",
            sex=person.sex or "",
            nationalities=", ".join(person.nationalities),
            category=person.category.value,
            handling=person.envelope.handling,
            handling_text=person.envelope.handling_text or "",
        )

    def person_in(self, member: str, current: Person | None = None) -> PersonIn:
        """The record the form describes (``ValidationError`` names the fields at fault); when
        it changes ``current``, what the form does not show is kept as the record says it."""
        fields: dict[str, Any] = _kept(current) if current else {}
        fields |= {
            "names": self._names(current.names if current else []),
            "nationalities": [c for c in _CODES.split(self.nationalities.upper()) if c],
            "category": self.category,
            "handling": self.handling,
        }
        optional = {
            "birth_date": self.birth_date.strip(),
            "sex": self.sex,
            "handling_text": self.handling_text.strip(),
        }
        fields.update({name: value for name, value in optional.items() if value})
        # Left at the default, the audience is the service's to choose (victims: owner only).
        if self.audience == "all":
            fields["audience"] = "all"
        elif self.audience == "only":
            fields["audience"] = {"only": [member]}
        return PersonIn.model_validate(fields)

    def _names(self, known: list[Name]) -> list[dict[str, Any]]:
        """One name a line, the first primary (``original``), the others aliases by default; a
        name already ``known`` as typed keeps its parts (given, family...), which the form hides."""
        parts: dict[tuple[str, str], dict[str, Any]] = {
            (n.full, n.kind): n.model_dump(exclude={"script"}) for n in known
        }
        names: list[dict[str, Any]] = []
        for number, line in enumerate(n.strip() for n in self.names.splitlines() if n.strip()):
            prefix = _KIND_PREFIX.match(line)
            kind = prefix.group(1).lower() if prefix else _default_kind(number)
            full = line[prefix.end() :] if prefix else line
            names.append(parts.get((full, kind), {"full": full, "kind": kind}))
        return names


def _default_kind(number: int) -> str:
    return "original" if number == 0 else "alias"


def _name_line(number: int, name: Name) -> str:
    """A name as the form reads it back: its kind said only where the default is not it."""
    return name.full if name.kind == _default_kind(number) else f"{name.kind}: {name.full}"


def _kept(person: Person) -> dict[str, Any]:
    """What a record says that the form does not show: its details, audience and provenance."""
    envelope = person.envelope
    kept: dict[str, Any] = person.details.model_dump()
    kept |= {"audience": envelope.audience, "provenance": envelope.provenance}
    # An overdue review date cannot be stored again: the owner's edit is its review.
    if not envelope.review_overdue:
        kept["review_by"] = envelope.review_by
    return kept


@dataclass(frozen=True, slots=True)
class Filters:
    """What the list is narrowed to, as typed in its filter form."""

    category: str = ""

    def category_value(self) -> Category | None:
        if not self.category:
            return None
        try:
            return Category(self.category)
        except ValueError:
            raise InvalidInput(f"Unknown category {self.category!r}.") from None

    def link(self, cursor: str) -> str:
        """The next page's address, with the same filters."""
        fields = {"category": self.category, "cursor": cursor}
        return "/persons?" + urlencode({name: value for name, value in fields.items() if value})


@router.get("/persons/screen")
def screen_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        forbid_unless(session.actor.role, "persons.screen")  # spares a form that would fail
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {"session": session, "nav": NAV, "form": ScreenForm(), "problems": []}
    return render(request, "persons_screen.html", context)


@router.post("/persons/screen")
def screen_name(request: Request, db: DbDep, form: Annotated[ScreenForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    context: dict[str, Any] = {
        "session": session,
        "nav": NAV,
        "form": form,
        "problems": [],
        "quoted_parts": quoted_parts,
    }
    status = 200
    try:
        check_csrf(session, form.csrf_token)
        query = form.query()
        with reading(db) as uow:
            answer = screening.screen(uow, actor=session.actor, query=query)
        context.update(answer=answer, partner=isinstance(answer, PartnerScreening))
    except ValidationError as exc:
        context["problems"], status = _problems(exc), 422
    except VigilError as exc:
        context["problems"], status = [Problem("", exc.detail)], exc.status
    return render(request, "persons_screen.html", context, status_code=status)


@router.get("/persons")
def persons_page(
    request: Request, db: DbDep, cursor: str | None = None, category: str = ""
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    filters = Filters(category.strip())
    filter_error = None
    try:
        with reading(db) as uow:
            page = service.list_persons(
                uow,
                actor=session.actor,
                page=page_request(cursor, PAGE_SIZE),
                category=filters.category_value(),
            )
    except InvalidInput as exc:
        page, filter_error = None, exc.detail  # an unknown category, a tampered cursor
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "page": page,
        "next_link": filters.link(page.next_cursor) if page and page.next_cursor else None,
        "filters": filters,
        "filter_error": filter_error,
        "categories": list(Category),
    }
    return render(request, "persons.html", context)


@router.get("/persons/new")
def new_person_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        forbid_unless(session.actor.role, "persons.record")  # spares a form that would fail
    except VigilError as exc:
        return error_page(request, session, exc)
    return _person_form(request, session, PersonForm())


@router.post("/persons/new")
def record_person(request: Request, db: DbDep, form: Annotated[PersonForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, form.csrf_token)
        person_in = form.person_in(session.actor.member)
        with writing(db) as uow:
            made = service.record(uow, actor=session.actor, person_in=person_in)
    except ValidationError as exc:
        problems, status = _problems(exc), 422
    except VigilError as exc:
        problems, status = [Problem("", exc.detail)], exc.status
    else:
        return RedirectResponse(f"/persons/{made.id}", status_code=303)
    # Refused: the form comes back as typed, with the reasons.
    return _person_form(request, session, form, problems=problems, status=status)


@router.get("/persons/{person_id}")
def person_page(person_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return record_page(request, db, session, person_id)


@router.get("/persons/{person_id}/edit")
def edit_person_page(person_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        person = _owned(db, session, person_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    return _person_form(request, session, PersonForm.of(person), person=person)


@router.post("/persons/{person_id}/edit")
def change_person(
    person_id: str, request: Request, db: DbDep, form: Annotated[PersonForm, Form()]
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, form.csrf_token)
        person = _owned(db, session, person_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    try:
        person_in = form.person_in(session.actor.member, current=person)
        with writing(db) as uow:
            service.change(uow, actor=session.actor, person_id=person_id, person_in=person_in)
    except ValidationError as exc:
        problems, status = _problems(exc), 422
    except VigilError as exc:
        problems, status = [Problem("", exc.detail)], exc.status
    else:
        return RedirectResponse(f"/persons/{person_id}", status_code=303)
    return _person_form(request, session, form, person=person, problems=problems, status=status)


@router.get("/persons/{person_id}/delete")
def delete_person_page(person_id: str, request: Request, db: DbDep) -> Response:
    # The record page asks again, not a script's confirm(): the CSP allows no inline script.
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        person = _owned(db, session, person_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {"session": session, "nav": NAV, "person": person, "confirm_delete": True}
    return render(request, "persons_record.html", context)


@router.post("/persons/{person_id}/delete")
def delete_person(
    person_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        service.delete(uow, actor=actor, person_id=person_id)

    return form_post(request, db, csrf_token, act, "/persons")


def _owned(db: Database, session: PageSession, person_id: str) -> Person:
    with reading(db) as uow:
        return service.editable(uow, actor=session.actor, person_id=person_id)


def _person_form(
    request: Request,
    session: PageSession,
    form: PersonForm,
    *,
    person: Person | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "session": session,
        "nav": NAV,
        "form": form,
        "person": person,
        "problems": problems or [],
        "categories": list(Category),
        "handlings": list(HANDLING_MEANING),
    }
    return render(request, "persons_new.html", context, status_code=status)


def _problems(exc: ValidationError) -> list[Problem]:
    """Pydantic's errors named by the form field they came from (``names``, ``birth_date``...)."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(Problem(field, message))
    return problems


def quoted_parts(explanation: str) -> list[str]:
    """An explanation cut at the names it quotes (odd places), which the page isolates in
    ``<bdi>``: an Arabic name would otherwise reorder the words and scores around it."""
    return _QUOTED.split(explanation)
