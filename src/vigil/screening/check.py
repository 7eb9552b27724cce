"""One check of a traveller against everything the member may see, and passenger lists.

A check runs the document check (stolen and lost documents, and documents named in notices),
name screening (persons, with the notices in force on them) and, with a photo, the face
search; it answers once: ``hit``, ``possible`` or ``none``, every match explained with what it
asks the officer to do. Hits are recorded by the databases themselves (their events carry the
check's id, so each hit points back at its check); face candidates wait for an examiner.
"""

from __future__ import annotations

import time

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.roles import Role
from vigil.biometrics import service as biometrics
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.documents import checks as documents
from vigil.documents.models import DocumentCheck, DocumentQuery, PartnerCheck
from vigil.documents.mrz import parse_mrz
from vigil.errors import InvalidInput
from vigil.persons import screening as persons
from vigil.persons.models import (
    Candidate,
    Category,
    PartnerScreening,
    Screening,
    ScreenQuery,
)
from vigil.screening import actions
from vigil.screening.actions import ACTION_TEXT, Action
from vigil.screening.events import ListChecked
from vigil.screening.models import (
    CheckAnswer,
    Hit,
    ManifestAnswer,
    ManifestIn,
    ManifestSummary,
    NoticeAction,
    PartnerAnswer,
    Result,
    TravellerIn,
)
from vigil.storage.uow import UnitOfWork

# What a person record asks for when no notice is in force on it.
_CATEGORY_ACTIONS = {
    Category.WANTED: Action.REPORT,
    Category.SUSPECT: Action.REPORT,
    Category.MISSING: Action.PROTECT,
    Category.VICTIM: Action.PROTECT,
    Category.AT_RISK: Action.PROTECT,
    Category.WITNESS: Action.LOCATE,
    Category.UNIDENTIFIED: Action.REPORT,
}


def check(
    uow: UnitOfWork, *, actor: Actor, traveller: TravellerIn, photo: bytes | None = None
) -> CheckAnswer | PartnerAnswer:
    """Check one traveller: document, name and (with a photo) face, in one answer.

    Raises:
        Forbidden: the actor may not screen.
        InvalidInput: an unreadable MRZ or photo, an unknown issuing state.
    """
    actor.require("screening.check")
    if photo is not None and actor.role is Role.PARTNER:
        raise InvalidInput("Partners check documents and names; a face search is for officers.")
    check_id = new_id()
    document, person = _queries(traveller)
    found_document = (
        documents.check(uow, actor=actor, query=document, check_id=check_id) if document else None
    )
    found_person = (
        persons.screen(uow, actor=actor, query=person, check_id=check_id) if person else None
    )
    faces = biometrics.search_faces(uow, actor=actor, image=photo) if photo else None
    if actor.role is Role.PARTNER:  # hit or none, from the databases' own partner answers
        said_hit = (
            isinstance(found_document, PartnerCheck) and found_document.result == "hit"
        ) or (isinstance(found_person, PartnerScreening) and found_person.result == "hit")
        uow.audit(actor, "screening.check", query={"check": check_id})
        return PartnerAnswer(result="hit" if said_hit else "none")
    hits = _document_hits(found_document if isinstance(found_document, DocumentCheck) else None)
    hits += _person_hits(found_person if isinstance(found_person, Screening) else None)
    face_search_id = None
    if faces is not None:
        face_search_id = faces.id
        hits += [
            Hit(
                hit_id=None,
                kind="face",
                match="possible",
                record_id=c.person_id,
                owner=c.owner,
                title=f"Face like {c.name} (rank {c.rank})",
                explanation=[f"face score {c.score:.2f}: an examiner must compare the photos"],
                action=Action.EXAMINE,
                action_text=ACTION_TEXT[Action.EXAMINE],
                score=c.score,
            )
            for c in faces.candidates
            if c.above_threshold
        ]
    answer = _answer(check_id, hits, face_search_id)
    uow.audit(
        actor,
        "screening.check",
        query={"check": check_id, "direction": traveller.direction, "ref": traveller.reference},
        results=[h.record_id for h in hits],
    )
    return answer


def manifest(uow: UnitOfWork, *, actor: Actor, manifest_in: ManifestIn) -> ManifestAnswer:
    """Screen a passenger or crew list: every traveller's answer in the order given, and a
    summary. Every traveller is read before any is checked: a bad one fails the list, named.

    Raises:
        InvalidInput: more than ``settings.MANIFEST_MAX`` travellers, or unreadable ones.
    """
    actor.require("screening.check")
    started = time.perf_counter()
    travellers = manifest_in.travellers
    if len(travellers) > settings.MANIFEST_MAX:
        raise InvalidInput(
            f"A list holds at most {settings.MANIFEST_MAX} travellers; got {len(travellers)}."
        )
    queries = _all_queries(travellers)
    check_id = new_id()
    with_documents = [(i, d) for i, (d, _) in enumerate(queries) if d is not None]
    with_names = [(i, p) for i, (_, p) in enumerate(queries) if p is not None]
    documents_found: dict[int, DocumentCheck] = {}
    partner_hits: set[int] = set()  # a partner's answers say hit or none, nothing else
    if with_documents:
        batch = documents.check_batch(
            uow, actor=actor, queries=[d for _, d in with_documents], check_id=check_id
        )
        for (i, _), checked in zip(with_documents, batch.results, strict=True):
            if isinstance(checked, DocumentCheck):
                documents_found[i] = checked
            elif checked.result == "hit":
                partner_hits.add(i)
    persons_found: dict[int, Screening] = {}
    if with_names:
        screened = persons.screen_batch(
            uow, actor=actor, queries=[p for _, p in with_names], check_id=check_id
        )
        for (i, _), named in zip(with_names, screened.results, strict=True):
            if isinstance(named, Screening):
                persons_found[i] = named
            elif named.result == "hit":
                partner_hits.add(i)
    answers = [
        _answer(
            check_id,
            _document_hits(documents_found.get(i)) + _person_hits(persons_found.get(i)),
            None,
        )
        for i in range(len(travellers))
    ]
    results: list[CheckAnswer | PartnerAnswer] = list(answers)
    if actor.role is Role.PARTNER:
        results = [
            PartnerAnswer(result="hit" if a.result == "hit" or i in partner_hits else "none")
            for i, a in enumerate(answers)
        ]
    counts = {"hit": 0, "possible": 0, "none": 0}
    for one in results:
        counts[one.result] += 1
    overall: Result = "hit" if counts["hit"] else "possible" if counts["possible"] else "none"
    uow.emit(
        ListChecked(
            check_id=check_id, member=actor.member, actor=actor.ref,
            checked_at=clock.now().isoformat(), travellers=len(travellers), result=overall,
            reference=manifest_in.reference,
        )
    )  # fmt: skip
    uow.audit(
        actor,
        "screening.manifest",
        query={"check": check_id, "reference": manifest_in.reference,
               "travellers": len(travellers)},
        results=[h.record_id for a in answers for h in a.hits],
    )  # fmt: skip
    return ManifestAnswer(
        check_id=check_id,
        summary=ManifestSummary(
            travellers=len(travellers), hits=counts["hit"], possible=counts["possible"],
            none=counts["none"], seconds=round(time.perf_counter() - started, 3),
        ),
        results=results,
    )  # fmt: skip


# ---- what a traveller's fields ask of each database ---------------------------------------------


def _queries(traveller: TravellerIn) -> tuple[DocumentQuery | None, ScreenQuery | None]:
    name, birth, nationality, sex = (
        traveller.name, traveller.birth_date, traveller.nationality, traveller.sex,
    )  # fmt: skip
    document: DocumentQuery | None = None
    number: str | None = None
    if traveller.mrz:
        parsed = parse_mrz(traveller.mrz, ocr_tolerant=True)
        document = DocumentQuery(mrz=traveller.mrz)
        number = parsed.document_number or None
        read_name = " ".join(p for p in (parsed.given_names, parsed.surname) if p).strip()
        name = name or read_name or None
        birth = birth or (parsed.birth_date.isoformat() if parsed.birth_date else None)
        nationality = nationality or (parsed.nationality if len(parsed.nationality) == 3 else None)
        sex = sex or (parsed.sex if parsed.sex in ("M", "F") else None)
    elif traveller.document:
        document = DocumentQuery(
            number=traveller.document.number, issuing_state=traveller.document.issuing_state
        )
        number = traveller.document.number
    person = None
    if name:
        person = ScreenQuery(
            name=name, birth_date=birth, nationality=nationality.upper() if nationality else None,
            sex=sex, document_number=number,
        )  # fmt: skip
    return document, person


def _all_queries(
    travellers: list[TravellerIn],
) -> list[tuple[DocumentQuery | None, ScreenQuery | None]]:
    found = []
    problems = []
    for position, traveller in enumerate(travellers, start=1):
        try:
            found.append(_queries(traveller))
        except (InvalidInput, ValueError) as exc:
            detail = exc.detail if isinstance(exc, InvalidInput) else str(exc)
            problems.append(f"traveller {position}: {detail}")
    if problems:
        shown = "; ".join(problems[:20])
        raise InvalidInput(f"{len(problems)} travellers cannot be checked: {shown}")
    return found


# ---- one answer out of the databases' answers ---------------------------------------------------


def _document_hits(found: DocumentCheck | None) -> list[Hit]:
    if found is None:
        return []
    hits = [
        Hit(
            hit_id=m.hit_id,
            kind="document",
            match=m.match,
            record_id=m.report.id,
            owner=m.owner,
            title=f"{m.report.issuing_state} {m.report.type.value} {m.report.number}: "
            f"reported {m.report.status.value}",
            explanation=[_document_explanation(m.match, m.report.number, found.number)],
            action=Action(m.action.value),
            action_text=ACTION_TEXT[Action(m.action.value)],
        )
        for m in found.matches
    ]
    for n in found.notices:
        action = actions.for_notice(n.notice.type)
        hits.append(
            Hit(
                hit_id=n.hit_id,
                kind="document",
                match=n.match,
                record_id=n.notice.id,
                owner=n.notice.owner,
                title=f"{found.issuing_state} {n.document_type} {found.number} is named in "
                f"{n.notice.title}",
                explanation=[_document_explanation(n.match, found.number, found.number)],
                notices=[
                    NoticeAction(
                        id=n.notice.id,
                        type=n.notice.type,
                        owner=n.notice.owner,
                        title=n.notice.title,
                        action=action,
                    )
                ],
                action=action,
                action_text=ACTION_TEXT[action],
            )
        )
    return hits


def _document_explanation(match: str, filed: str, asked: str) -> str:
    if match == "hit":
        return f"document number {asked} is the number on file"
    return f"document number {asked} matches {filed} once letters OCR confuses are folded"


def _person_hits(found: Screening | None) -> list[Hit]:
    if found is None:
        return []
    return [_person_hit(c) for c in found.candidates if c.hit]


def _person_hit(c: Candidate) -> Hit:
    notices = [
        NoticeAction(id=n.id, type=n.type, owner=n.owner, title=n.title,
                     action=actions.for_notice(n.type))
        for n in c.notices
    ]  # fmt: skip
    action = actions.strongest([n.action for n in notices]) or _CATEGORY_ACTIONS.get(
        c.category, Action.REPORT
    )
    return Hit(
        hit_id=c.hit_id, kind="person", match="hit", record_id=c.id, owner=c.owner,
        title=f"{c.name} ({c.category.value})",
        explanation=[e.explanation for e in c.explanation], notices=notices, action=action,
        action_text=ACTION_TEXT[action], score=c.score, evidence=c.explanation,
    )  # fmt: skip


def _answer(check_id: str, hits: list[Hit], face_search_id: str | None) -> CheckAnswer:
    kinds = {h.match for h in hits}
    result: Result = "hit" if "hit" in kinds else "possible" if kinds else "none"
    hits.sort(key=lambda h: (h.match != "hit", list(Action).index(h.action)))
    return CheckAnswer(
        check_id=check_id,
        result=result,
        action=actions.strongest([h.action for h in hits if h.match == "hit"])
        or actions.strongest([h.action for h in hits]),
        hits=hits,
        checked_at=clock.now(),
        face_search_id=face_search_id,
    )
