"""Offline copies for border posts with poor connectivity: a member exports a signed,
encrypted package of what it may see (live document reports, and persons under notices in
force; never victims); a post checks travellers against it with no network, queues its hits,
and sends them when back online.

The file itself, its seal and the keys are in ``offline_file``. An expired package, one that
does not decrypt, or one whose signature fails, refuses to load.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.envelope import Audience
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.documents import service as documents
from vigil.documents.keys import checked_number, member_state, number_key, ocr_key
from vigil.documents.mrz import parse_mrz
from vigil.errors import Conflict, InvalidInput, NotFound
from vigil.persons import equivalents_service as persons_equivalents
from vigil.persons import screening as persons
from vigil.persons.entries import NoticeLink, entry_of
from vigil.persons.equivalents import Equivalents
from vigil.persons.index import NameIndex
from vigil.persons.models import ScreenQuery
from vigil.persons.screening import query_forms, rank, threshold_for
from vigil.screening import actions, offline_documents, offline_file, store
from vigil.screening import check as checking
from vigil.screening.actions import ACTION_TEXT, Action
from vigil.screening.models import (
    CheckAnswer,
    Hit,
    NoticeAction,
    OfflineHit,
    PartnerAnswer,
    Result,
    TravellerIn,
)
from vigil.storage.uow import UnitOfWork

_DOCUMENT_ACTIONS = {"stolen": Action.SEIZE, "lost": Action.VERIFY_HOLDER}


@dataclass(frozen=True)
class Exported:
    id: str
    member: str
    kind: str  # full | increment
    base_id: str | None
    expires_at: datetime
    records: int
    key: str | None  # shown once, with a full package; an increment uses its chain's key
    content: bytes


# ---- making packages ------------------------------------------------------------------------


def export(
    uow: UnitOfWork, *, actor: Actor, base_id: str | None = None, days: int | None = None
) -> Exported:
    """A package of what the actor's member may see, valid ``days``; with ``base_id``, an
    increment refreshing that package (what changed since, and which records still stand).

    Raises:
        Forbidden: the actor may not manage screening. NotFound: no such base package of
            the member.
    """
    actor.require("screening.manage")
    days = days or settings.OFFLINE_PACKAGE_DAYS
    if not 1 <= days <= 90:
        raise InvalidInput("days: 1-90.")
    now = clock.now()
    root_id, since = None, None
    if base_id is not None:
        base = store.offline_package(uow.conn, base_id)
        if base is None or base["member"] != actor.member:
            raise NotFound(f"No offline package {base_id}.")
        root_id, since = _root(uow, base_id), base["created_at"]
    package_id = new_id()
    # One pass over the store: while the columns are built, the id of every report that
    # stands is kept for the audit entry and for an increment's list.
    ids: list[str] = []

    def listed() -> Iterator[tuple[str, ...]]:
        for row in documents.offline_reports(uow, actor=actor):
            ids.append(row[0])
            if since is None or row[7] > since.isoformat():
                yield row

    reports = offline_documents.build(listed())
    people = persons.offline_entries(uow, actor=actor)
    # An increment carries what changed since its base, and which reports still stand; the
    # post drops the others (recovered, deleted, withdrawn from its member, past review).
    keep = offline_documents.ids_column(ids) if since is not None else None
    header = {
        "format": 2, "id": package_id, "member": actor.member, "created_at": now.isoformat(),
        "expires_at": (now + timedelta(days=days)).isoformat(), "base_id": base_id,
        "root_id": root_id or package_id, "kind": "increment" if base_id else "full",
    }  # fmt: skip
    key = offline_file.chain_key(root_id or package_id)
    # The post reads names with the installation's equivalent name parts, as a check online.
    equivalents = persons_equivalents.offline_rows(uow)
    content = offline_file.seal(header, people, reports, keep, key, equivalents)
    store.add_offline_package(
        uow.conn,
        {
            "id": package_id, "member": actor.member, "created_by": actor.ref,
            "created_at": now, "expires_at": now + timedelta(days=days), "base_id": base_id,
            "records": len(ids) + len(people), "digest": offline_file.digest(content),
        },
    )  # fmt: skip
    uow.audit(actor, "screening.offline_export", query={"package": package_id, "base": base_id},
              results=ids + [p["id"] for p in people])  # fmt: skip
    return Exported(
        id=package_id, member=actor.member, kind="increment" if base_id else "full",
        base_id=base_id,
        expires_at=now + timedelta(days=days), records=len(ids) + len(people),
        key=None if base_id else base64.urlsafe_b64encode(key).decode(), content=content,
    )  # fmt: skip


def _root(uow: UnitOfWork, package_id: str) -> str:
    current = store.offline_package(uow.conn, package_id)
    seen = 0
    while current is not None and current["base_id"] is not None and seen < 10_000:
        current = store.offline_package(uow.conn, current["base_id"])
        seen += 1
    if current is None:
        raise NotFound("The package chain is broken.")
    return str(current["id"])


# ---- at the border post ---------------------------------------------------------------------


@dataclass
class OfflineCopy:
    """A loaded package (and its increments): what the post checks travellers against."""

    id: str
    member: str
    expires_at: datetime
    documents: offline_documents.DocumentTable = field(
        default_factory=lambda: offline_documents.build([])
    )
    persons: NameIndex = field(default_factory=NameIndex)
    records: int = 0


def load(
    packages: list[bytes], key: str, *, signer: bytes | None = None, now: datetime | None = None
) -> OfflineCopy:
    """Open a full package and the increments that follow it, in order.

    Args:
        key: the chain's key, as shown when the full package was made.
        signer: the public key to trust (``offline_file.signer_public_key``); this
            installation's own when not given.

    Raises:
        Conflict: expired, tampered with, signed by another key, or increments out of order.
        InvalidInput: not a package, or a key that is not one.
    """
    now = now or clock.now()
    try:
        secret = base64.urlsafe_b64decode(key.encode())
    except (ValueError, TypeError):
        raise InvalidInput("The key is not a package key.") from None
    trusted = offline_file.trusted_signer(signer)
    copy: OfflineCopy | None = None
    for content in packages:
        header, people, reports, keep, equivalents = offline_file.open_sealed(
            content, secret, trusted
        )
        if datetime.fromisoformat(header["expires_at"]) < now:
            raise Conflict(f"The package {header['id']} expired on {header['expires_at']}.")
        if copy is None:
            if header["kind"] != "full":
                raise Conflict("Start with a full package; increments follow it.")
            copy = OfflineCopy(
                id=header["id"], member=header["member"],
                expires_at=datetime.fromisoformat(header["expires_at"]), documents=reports,
            )  # fmt: skip
        else:
            if header["base_id"] != copy.id:
                raise Conflict(f"The increment {header['id']} does not follow package {copy.id}.")
            copy.id, copy.expires_at = header["id"], datetime.fromisoformat(header["expires_at"])
            documents = copy.documents if keep is None else copy.documents.keeping(keep)
            copy.documents = documents.replaced_by(reports)
        copy.persons = _name_index(people)
        copy.persons.equivalents = Equivalents.from_rows(equivalents)
    assert copy is not None, "no package given"
    copy.records = len(copy.documents) + len(copy.persons)
    return copy


def _name_index(people: list[dict[str, Any]]) -> NameIndex:
    """The package's persons in a name index of their own: the post may match them all (the
    package holds only what its member may see), each with the notices it was told of."""
    index = NameIndex()
    everyone = Audience.everyone()
    for p in people:
        notices = [
            NoticeLink(n["id"], n["type"], n["owner"], everyone, date.max, n["title"])
            for n in p["notices"]
        ]
        index.put(
            entry_of(
                record_id=p["id"], owner=p["owner"], audience=everyone, review_by=date.max,
                category=p["category"], names=p["names"], birth_date=p["birth_date"],
                birth_date_to=p["birth_date_to"], sex=p["sex"],
                nationalities=p["nationalities"], identifiers=p["identifiers"], notices=notices,
            )
        )  # fmt: skip
    index.built = True
    return index


def check(copy: OfflineCopy, traveller: TravellerIn, *, member: str) -> CheckAnswer:
    """Check a traveller against the copy, as the online check would (documents by number,
    names by the name engine), with no network: hits have no record yet (``hit_id`` None)
    and wait in the post's queue."""
    hits: list[Hit] = []
    number, state, name, birth, nationality, sex = _fields(traveller)
    if number and state:
        asked = number_key(number)
        for rid, owner, issuing, doc_type, status, filed in copy.documents.find(
            state, ocr_key(asked)
        ):
            action = _DOCUMENT_ACTIONS.get(status, Action.REFUSE)
            hits.append(
                Hit(
                    hit_id=None, kind="document", match="hit" if filed == asked else "possible",
                    record_id=rid, owner=owner,
                    title=f"{issuing} {doc_type} {filed}: reported {status}",
                    explanation=[f"document number {asked} is on file (offline copy {copy.id})"],
                    action=action, action_text=ACTION_TEXT[action],
                )
            )  # fmt: skip
    if name:
        query = ScreenQuery(name=name, birth_date=birth, nationality=nationality, sex=sex,
                            document_number=number)  # fmt: skip
        forms = query_forms(copy.persons, name)
        shortlist = copy.persons.shortlist(forms, lambda e: True, number)
        threshold = threshold_for(member)
        for ranked in rank(shortlist, query, forms=forms)[:10]:
            if ranked.score < threshold:
                continue
            entry = ranked.entry
            notices = [
                NoticeAction(id=n.id, type=n.type, owner=n.owner, title=n.title,
                             action=actions.for_notice(n.type))
                for n in entry.notices
            ]  # fmt: skip
            action = actions.strongest([n.action for n in notices]) or Action.REPORT
            hits.append(
                Hit(
                    hit_id=None, kind="person", match="hit", record_id=entry.id,
                    owner=entry.owner, title=f"{entry.names[0][0]} ({entry.category})",
                    explanation=[f.explanation for f in ranked.features], notices=notices,
                    action=action, action_text=ACTION_TEXT[action],
                    score=round(ranked.score, 4),
                )
            )  # fmt: skip
    kinds = {h.match for h in hits}
    result: Result = "hit" if "hit" in kinds else "possible" if kinds else "none"
    return CheckAnswer(
        check_id=new_id(), result=result, action=actions.strongest([h.action for h in hits]),
        hits=hits, checked_at=clock.now(),
    )  # fmt: skip


def _fields(
    traveller: TravellerIn,
) -> tuple[str | None, str | None, str | None, str | None, str | None, str | None]:
    name, birth, nationality, sex = (
        traveller.name, traveller.birth_date, traveller.nationality, traveller.sex,
    )  # fmt: skip
    number = state = None
    if traveller.mrz:
        parsed = parse_mrz(traveller.mrz, ocr_tolerant=True)
        number, state = parsed.document_number, member_state(parsed.issuing_state)
        name = name or " ".join(p for p in (parsed.given_names, parsed.surname) if p) or None
        birth = birth or (parsed.birth_date.isoformat() if parsed.birth_date else None)
        nationality = nationality or (parsed.nationality if len(parsed.nationality) == 3 else None)
        sex = sex or (parsed.sex if parsed.sex in ("M", "F") else None)
    elif traveller.document:
        number = checked_number(traveller.document.number)
        state = member_state(traveller.document.issuing_state)
    return number, state, name, birth, nationality, sex


def send_queued(
    uow: UnitOfWork, *, actor: Actor, queued: list[OfflineHit]
) -> list[CheckAnswer | PartnerAnswer]:
    """A post back online sends the hits it queued: each traveller is checked again online,
    under today's access rules, so the hits are recorded and both members alerted as for any
    check (a record withdrawn meanwhile no longer hits)."""
    actor.require("screening.check")
    answers = [checking.check(uow, actor=actor, traveller=q.traveller) for q in queued]
    uow.audit(
        actor, "screening.offline_hits",
        query={"packages": sorted({q.package_id for q in queued})},
        results=[q.record_id for q in queued],
    )  # fmt: skip
    return answers
