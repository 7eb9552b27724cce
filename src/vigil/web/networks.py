"""Intelligence networks in the workspace: the directory with the member's own networks and the
form to create one, and one network with its members and users, its join requests for its
moderators with the forms to add a member and name a user, and the buttons to leave or ask
to join. Each handler calls one service function;
a refused form comes back with the reason, as typed (HTTP 422)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from vigil.access.actors import Actor
from vigil.api.deps import DbDep, reading, writing
from vigil.errors import VigilError
from vigil.messaging import networks
from vigil.messaging.models import JoinRequestIn, MemberIn, NetworkIn, NetworkKind, UserIn
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web.forms import Problem, problems_of
from vigil.web.pages import error_page, to_login
from vigil.web.session import PageSession, check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = "networks"
_CODES = re.compile(r"[\s,;]+")


class NetworkForm(BaseModel):
    """The new network form as typed."""

    csrf_token: str = ""
    name: str = ""
    members: str = ""
    kind: str = NetworkKind.OPERATIONAL.value
    description: str = ""

    def network_in(self) -> NetworkIn:
        return NetworkIn.model_validate({
            "name": self.name.strip(), "kind": self.kind,
            "members": [c for c in _CODES.split(self.members.upper()) if c],
            "description": self.description.strip() or None,
        })  # fmt: skip


@router.get("/networks")
def networks_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return _directory(request, db, session, NetworkForm())


@router.post("/networks")
def create_network(request: Request, db: DbDep, form: Annotated[NetworkForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, form.csrf_token)
        network_in = form.network_in()
        with writing(db) as uow:
            made = networks.create(uow, actor=session.actor, network_in=network_in)
    except ValidationError as exc:
        problems, status = problems_of(exc), 422
    except VigilError as exc:
        problems, status = [Problem("", exc.detail)], exc.status
    else:
        return RedirectResponse(f"/networks/{made.id}", status_code=303)
    return _directory(request, db, session, form, problems=problems, status=status)


@router.get("/networks/{network_id}")
def network_page(network_id: str, request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    return _network(request, db, session, network_id)


@router.post("/networks/{network_id}/leave")
def leave_network(
    network_id: str, request: Request, db: DbDep, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        networks.remove_member(uow, actor=actor, network_id=network_id, member=actor.member)

    return _act(request, db, network_id, csrf_token, "leave", act)


@router.post("/networks/{network_id}/requests")
def request_to_join(
    network_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        said = JoinRequestIn(reason=reason.strip() or None)
        networks.request_to_join(uow, actor=actor, network_id=network_id, reason=said.reason)

    return _act(request, db, network_id, csrf_token, "join", act, typed={"reason": reason})


@router.post("/networks/{network_id}/members")
def add_member(
    network_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    member: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        said = MemberIn.model_validate({"member": member.strip().upper()})
        networks.add_member(uow, actor=actor, network_id=network_id, member=said.member)

    return _act(request, db, network_id, csrf_token, "add-member", act, typed={"member": member})


@router.post("/networks/{network_id}/users")
def set_user(
    network_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    user_id: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "member",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        user_in = UserIn.model_validate({"user_id": user_id.strip(), "role": role})
        networks.set_user(uow, actor=actor, network_id=network_id, user_in=user_in)

    typed = {"user_id": user_id, "role": role}
    return _act(request, db, network_id, csrf_token, "set-user", act, typed=typed)


@router.post("/networks/{network_id}/requests/{request_id}")
def decide(
    network_id: str,
    request_id: str,
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    decision: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: UnitOfWork, actor: Actor) -> None:
        networks.decide(uow, actor=actor, request_id=request_id, approve=decision == "approve")

    return _act(request, db, network_id, csrf_token, f"decide-{request_id}", act)


def _act(
    request: Request,
    db: Database,
    network_id: str,
    csrf_token: str,
    action: str,
    act: Callable[[UnitOfWork, Actor], None],
    *,
    typed: dict[str, str] | None = None,
) -> Response:
    """One button of the network page: done, back to the network; refused, the network again
    with the reason beside the button's form."""
    session = current(request, db)
    if session is None:
        return to_login(request)
    try:
        check_csrf(session, csrf_token)
        with writing(db) as uow:
            act(uow, session.actor)
    except ValidationError as exc:
        problems, status = [Problem(action, p.message) for p in problems_of(exc)], 422
    except VigilError as exc:
        problems, status = [Problem(action, exc.detail)], exc.status
    else:
        return RedirectResponse(f"/networks/{network_id}", status_code=303)
    return _network(request, db, session, network_id, problems=problems, typed=typed,
                    status=status)  # fmt: skip


def _directory(
    request: Request,
    db: Database,
    session: PageSession,
    form: NetworkForm,
    *,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    try:
        with reading(db) as uow:
            listed = networks.list_networks(uow, actor=session.actor)
    except VigilError as exc:
        return error_page(request, session, exc)
    member = session.actor.member
    context = {
        "session": session,
        "nav": NAV,
        "mine": [n for n in listed if member in n.members],
        "others": [n for n in listed if member not in n.members],
        "form": form,
        "problems": problems or [],
        "kinds": list(NetworkKind),
    }
    return render(request, "networks.html", context, status_code=status)


def _network(
    request: Request,
    db: Database,
    session: PageSession,
    network_id: str,
    *,
    problems: list[Problem] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    try:
        with reading(db) as uow:
            dossier = networks.dossier(uow, actor=session.actor, network_id=network_id)
    except VigilError as exc:
        return error_page(request, session, exc)
    context = {
        "session": session,
        "nav": NAV,
        "dossier": dossier,
        "network": dossier.network,
        "problems": problems or [],
        "typed": typed or {},
    }
    return render(request, "networks_network.html", context, status_code=status)
