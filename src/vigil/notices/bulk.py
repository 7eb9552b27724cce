"""Bulk loads of notices from JSON Lines (the synthetic world's ``notices.jsonl``, a national
system's export): idempotent on the owner's ``ref``, errors reported per line.

A line is a notice request (``NoticeIn``'s fields, a nested ``envelope`` allowed) with its
``ref``, and its person as ``person_id`` or as ``person_ref`` (the owner's reference of a
person record already loaded). ``state`` says how far it goes:

- ``draft`` (the default) or ``requested``: an NCB loading its own requests for review;
- ``published``, with ``published_on``/``published_at``: a notice another system reviewed and
  published, brought in by the operator (``--as-owners``); nobody is alerted, it is in
  screening at once (or ``expired`` when five years have passed since).

Notices are few beside persons and documents (INTERPOL publishes some 10,000 a year), so each
line goes through the service functions that a single request uses, in transactions of
``_BATCH`` lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from pydantic import ValidationError

from vigil.access.actors import Actor
from vigil.access.roles import Role
from vigil.core.countries import GS, is_member
from vigil.documents import bulk as documents_bulk
from vigil.documents.bulk import Line, LineError, LoadSummary, Progress
from vigil.errors import InvalidInput, VigilError, validation_message
from vigil.notices import lifecycle, service, store
from vigil.notices.models import NoticeIn
from vigil.persons import service as persons
from vigil.records import lines as lines_
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

__all__ = ["LineError", "LoadSummary", "load", "read_lines"]

_BATCH = 500
_STATES = ("draft", "requested", "published")


def load(
    db: Database,
    *,
    actor: Actor,
    lines: Iterable[Line],
    as_owners: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load notices, one transaction per ``_BATCH`` lines.

    Args:
        actor: who loads. Without ``as_owners`` every line is the actor's member's own, and
            may be a draft or a request (publication is the reviewers').
        as_owners: the operator loads for each line's ``owner`` NCB, published notices
            included (audited under the operator's name).

    Raises:
        Forbidden: the actor may not request notices (or, with ``as_owners``, migrate them).
    """
    actor.require("notices.migrate" if as_owners else "notices.request")
    summary = LoadSummary()
    for batch in lines_.batches(lines, _BATCH):
        with UnitOfWork(db, write=True) as uow:
            added, present = _write_batch(uow, actor, as_owners, batch, summary)
        summary.read += len(batch)
        summary.added += added
        summary.already_present += present
        if progress is not None:
            progress(len(batch))
    return summary


def read_lines(source: IO[bytes]) -> Iterator[Line]:
    """Numbered lines (1-based) of a JSON Lines source, blank lines skipped."""
    return documents_bulk.read_lines(source, documents_bulk.SourceFormat.JSONL)


class _Parsed:
    __slots__ = ("notice_in", "number", "owner", "person_ref", "published_on", "ref", "state")

    def __init__(self, number: int, fields: dict[str, Any], actor: Actor, as_owners: bool):
        values = lines_.flattened(fields)
        self.number = number
        owner = values.pop("owner", None)
        if owner is not None and not isinstance(owner, str):
            raise InvalidInput("owner: a member code such as FRA")
        self.owner = _owner(actor, owner.upper() if owner else None, as_owners)
        ref = values.pop("ref", None)
        if not isinstance(ref, str | int) or not str(ref).strip() or len(str(ref)) > 200:
            raise InvalidInput("ref: each line needs the owner's reference (at most 200)")
        self.ref = str(ref).strip()
        self.person_ref = values.pop("person_ref", None)
        self.state = values.pop("state", "draft")
        if self.state not in _STATES:
            raise InvalidInput(f"state: one of {', '.join(_STATES)}")
        if self.state == "published" and not as_owners:
            raise InvalidInput(
                "state: only the operator migrating reviewed notices loads them published; "
                "load drafts or requests"
            )
        published = values.pop("published_on", None) or values.pop("published_at", None)
        values.pop("published_at", None)
        self.published_on = _day(published) if self.state == "published" else None
        provenance = values.get("provenance")
        if provenance is None or isinstance(provenance, dict):
            values["provenance"] = {"owner_ref": self.ref, **(provenance or {})}
        self.notice_in = NoticeIn.model_validate(values)

    @property
    def key(self) -> tuple[str, str]:
        return (self.owner, self.ref)


def _day(value: Any) -> date:
    if not isinstance(value, str):
        raise InvalidInput("published_on: the date the source published it, YYYY-MM-DD")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise InvalidInput(f"published_on: {value!r} is not a date (YYYY-MM-DD)") from None


def _owner(actor: Actor, owner: str | None, as_owners: bool) -> str:
    if not as_owners:
        if owner is not None and owner != actor.member:
            raise InvalidInput(f"owner: {owner} is not your member ({actor.member})")
        return actor.member
    if owner is None:
        raise InvalidInput("owner: each line needs its owner (the member whose notice it is)")
    if owner == GS or not is_member(owner):
        raise InvalidInput(f"owner: {owner} is not a member that owns records")
    return owner


def _parsed(
    actor: Actor, as_owners: bool, batch: list[Line], summary: LoadSummary
) -> list[_Parsed]:
    parsed = []
    for number, content in batch:
        if isinstance(content, LineError):
            summary.refuse(content.line, content.message)
            continue
        try:
            fields = json.loads(content) if isinstance(content, str) else content
            if not isinstance(fields, dict):
                raise InvalidInput("not a JSON object")
            parsed.append(_Parsed(number, fields, actor, as_owners))
        except json.JSONDecodeError as exc:
            summary.refuse(number, f"not JSON: {exc.msg} at column {exc.colno}")
        except ValidationError as exc:
            summary.refuse(number, validation_message(exc))
        except VigilError as exc:
            summary.refuse(number, exc.detail)
    return parsed


def _write_batch(
    uow: UnitOfWork, actor: Actor, as_owners: bool, batch: list[Line], summary: LoadSummary
) -> tuple[int, int]:
    lines = _parsed(actor, as_owners, batch, summary)
    stored = store.existing_refs(uow.conn, {line.key for line in lines})
    wanted = {(line.owner, str(line.person_ref)) for line in lines if line.person_ref}
    person_ids = persons.ids_by_ref(uow, keys=wanted)
    added = present = 0
    seen: set[tuple[str, str]] = set()
    for line in lines:
        if line.key in stored or line.key in seen:
            present += 1
            continue
        acting = _acting(actor, line.owner) if as_owners else actor
        try:
            notice_in = _with_person(line, person_ids)
            if line.published_on is not None:  # refused before anything of it is written
                lifecycle.check_publishable(notice_in)
            made = service.create(uow, actor=acting, notice_in=notice_in, ref=line.ref)
            if line.state in ("requested", "published"):
                made = service.request(uow, actor=acting, notice_id=made.id)
            if line.published_on is not None:
                service.migrate_published(
                    uow, operator=actor, owner=acting, notice_id=made.id,
                    published_on=line.published_on,
                )  # fmt: skip
        except VigilError as exc:
            summary.refuse(line.number, exc.detail)
            continue
        seen.add(line.key)
        added += 1
    return added, present


def _with_person(line: _Parsed, person_ids: dict[tuple[str, str], str]) -> NoticeIn:
    if not line.person_ref:
        return line.notice_in
    person_id = person_ids.get((line.owner, str(line.person_ref)))
    if person_id is None:
        raise InvalidInput(f"person_ref: {line.owner} has no person record {line.person_ref}")
    return line.notice_in.model_copy(update={"person_id": person_id})


def _acting(operator: Actor, owner: str) -> Actor:
    """The operator acting for the line owner's NCB (audited under the operator's name)."""
    return Actor(user_id=operator.user_id, member=owner, role=Role.NCB, name=operator.name)
