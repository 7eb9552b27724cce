"""What every workspace form does when it is sent: check its CSRF token, run one service call,
and, when the input or the service refuses, say why field by field so the page can show the
form again as typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import ValidationError

from vigil.api.deps import writing
from vigil.errors import VigilError
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web.session import PageSession, check_csrf

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a form was refused: ``field`` names the input (or group) at fault, "" the form;
    ``code`` a reason the page words itself ("required", "any_of"), else ``message``."""

    field: str
    message: str = ""
    code: str = ""


@dataclass(frozen=True, slots=True)
class Refusal:
    """A sent form that did nothing: its problems, and the HTTP status to show them with."""

    problems: list[Problem]
    status: int


def submit(
    db: Database, session: PageSession, csrf_token: str, act: Callable[[UnitOfWork], T]
) -> T | Refusal:
    """Check the form's token, then run ``act`` in one writing unit of work (nothing is
    written when it raises).

    Returns:
        What ``act`` returned; or a ``Refusal``: pydantic's errors by input (422), or the
        service's reason with its status (a forged token is the service's 403).
    """
    try:
        check_csrf(session, csrf_token)
        with writing(db) as uow:
            return act(uow)
    except ValidationError as exc:
        return Refusal(problems_in(exc), 422)
    except VigilError as exc:
        return Refusal([Problem("", exc.detail)], exc.status)


def problems_of(exc: ValidationError) -> list[Problem]:
    """Pydantic's errors named by the input they came from (``warrant_date``, ``audience``...)."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        problems.append(Problem(field, str(error["msg"]).removeprefix("Value error, ")))
    return problems


def problems_in(exc: ValidationError) -> list[Problem]:
    """Pydantic's errors named by the input they came from; where in a list (a route's leg)
    is said in the message, counted from 1."""
    problems = []
    for error in exc.errors():
        loc = [p for p in error["loc"] if p != "message"]
        field = str(loc[0]) if loc else ""
        where = " ".join(str(p + 1) if isinstance(p, int) else str(p) for p in loc[1:])
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(Problem(field, f"{where}: {message}" if where else message))
    return problems
