"""Biometrics: enrol faces and fingerprints on person records; search 1:N for an examiner;
record the examiner's decision, and make a confirmed match a hit.

The probe of a search is read in memory and forgotten: neither the image nor its template is
stored (INTERPOL's Biometric Hub deletes search images after use). What is kept of a search is
who made it, when, and the candidates it showed, for the examiner's decisions and the audit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from vigil.access.actors import Actor
from vigil.biometrics import faces as face_engine
from vigil.biometrics import fingerprints, images, store
from vigil.biometrics.events import BiometricHit
from vigil.biometrics.index import FINGER_SHORTLIST, Item, VectorIndex, index_for, sync
from vigil.biometrics.models import (
    Candidate,
    Decision,
    ExaminerDecision,
    Modality,
    Search,
    Template,
)
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.errors import Conflict, Forbidden, InvalidInput, NotFound
from vigil.persons import screening as person_screening
from vigil.persons import service as persons
from vigil.storage.uow import UnitOfWork

MAX_CANDIDATES = 50


# ---- enrolment -----------------------------------------------------------------------------


def enrol_face(
    uow: UnitOfWork,
    *,
    actor: Actor,
    person_id: str,
    image: bytes,
    media_type: str,
    keep_image: bool = False,
) -> Template:
    """Enrol a face on one of the member's person records, after the quality checks.

    Raises:
        NotFound: no such person record the actor may see. Forbidden: not the owner's NCB.
        InvalidInput: the photo is refused (no face, several faces, too small, blurred,
            turned away), with the reason.
    """
    _owned_person(uow, actor, person_id)
    face = face_engine.one_face(image, strict=True)
    return _enrol(
        uow, actor, person_id, Modality.FACE, None, face.embedding.astype(np.float32).tobytes(),
        round(face.sharpness, 1), "image", (media_type, image) if keep_image else None,
    )  # fmt: skip


def enrol_fingerprint(
    uow: UnitOfWork,
    *,
    actor: Actor,
    person_id: str,
    finger: int,
    image: bytes | None = None,
    template: bytes | None = None,
    media_type: str = "image/png",
    keep_image: bool = False,
) -> Template:
    """Enrol one finger (1-10, ISO/IEC 19794-2 positions) from an image or a template.

    Raises:
        InvalidInput: neither or both of image and template; an unreadable one; too few
            minutiae; a finger out of range.
    """
    _owned_person(uow, actor, person_id)
    if finger not in fingerprints.FINGERS:
        raise InvalidInput("finger: 1-10 (1 right thumb ... 5 right little, 6-10 the left hand).")
    found = _print(image, template)
    record = fingerprints.template_bytes(found, finger)
    kept = (media_type, image) if keep_image and image is not None else None
    return _enrol(
        uow, actor, person_id, Modality.FINGER, finger, record, float(len(found.minutiae)),
        "image" if image is not None else "template", kept,
    )  # fmt: skip


def templates(uow: UnitOfWork, *, actor: Actor, person_id: str) -> list[Template]:
    """The faces and fingers enrolled on a person record the actor may see."""
    persons.visible(uow, actor=actor, person_id=person_id)
    found = store.templates_of(uow.conn, person_id)
    uow.audit(actor, "biometrics.templates", records=[person_id], results=[t.id for t in found])
    return found


def delete_template(uow: UnitOfWork, *, actor: Actor, template_id: str) -> None:
    """Delete an enrolled face or finger (the person's owner only): it leaves search at once,
    and its numbers and image are erased."""
    template = store.get_template(uow.conn, template_id)
    if template is None:
        raise NotFound(f"No template {template_id}.")
    _owned_person(uow, actor, template.person_id)
    store.delete_template(uow.conn, template_id, clock.now())
    uow.audit(actor, "biometrics.delete", records=[template.person_id], results=[template_id])


def image(uow: UnitOfWork, *, actor: Actor, template_id: str) -> tuple[str, bytes]:
    """The enrolment image kept with a template, for an examiner who may see its person, with
    the type its bytes show (not the one declared when it was enrolled).

    Raises:
        NotFound: no such template, no image kept, or a person the actor may not see.
    """
    actor.require("biometrics.examine")
    template = store.get_template(uow.conn, template_id)
    if template is None or not template.image_kept:
        raise NotFound(f"No image kept for template {template_id}.")
    if not person_screening.matchable(uow, actor=actor, person_ids=[template.person_id]):
        raise NotFound(f"No image kept for template {template_id}.")
    found = store.image_of(uow.conn, template_id)
    if found is None:
        raise NotFound(f"No image kept for template {template_id}.")
    uow.audit(actor, "biometrics.image", records=[template.person_id], results=[template_id])
    _, data = found
    return images.shown_type(data) or "application/octet-stream", data


# ---- search --------------------------------------------------------------------------------


def search_faces(uow: UnitOfWork, *, actor: Actor, image: bytes, limit: int = 10) -> Search:
    """Search a photo against every face the actor may match: a ranked list of candidates for
    an examiner, never an identification. The photo is not kept.

    Raises:
        InvalidInput: no face, or several, in the photo.
    """
    actor.require("biometrics.search")
    probe = face_engine.one_face(image, strict=False).embedding
    index = _ready(uow, Modality.FACE)
    found = index.nearest(probe, _bounded(limit), _allowed(uow, actor))
    candidates = [
        (item, max(0.0, 1.0 - distance), distance < face_engine.MATCH_DISTANCE)
        for item, distance in found
    ]
    return _record_search(uow, actor, Modality.FACE, candidates, probe.tobytes())


def search_fingerprints(
    uow: UnitOfWork,
    *,
    actor: Actor,
    image: bytes | None = None,
    template: bytes | None = None,
    finger: int | None = None,
    limit: int = 10,
) -> Search:
    """Search a print (image or template) against the prints the actor may match: the
    candidate stage shortlists ``FINGER_SHORTLIST`` by their pair histograms, bozorth3 ranks
    them. ``finger`` limits the search to one finger position. The probe is not kept."""
    actor.require("biometrics.search")
    if finger is not None and finger not in fingerprints.FINGERS:
        raise InvalidInput("finger: 1-10.")
    probe = _print(image, template)
    index = _ready(uow, Modality.FINGER)
    from vigil.biometrics.descriptors import descriptor

    allowed = _allowed(uow, actor, finger)
    shortlist = index.nearest(descriptor(probe.minutiae), FINGER_SHORTLIST, allowed)
    ranked = _bozorth_ranked(index, probe, [item for item, _ in shortlist])
    candidates = [
        (item, float(points), points >= fingerprints.MATCH_SCORE)
        for item, points in ranked[: _bounded(limit)]
        if points > 0
    ]
    digest = fingerprints.template_bytes(probe)
    return _record_search(uow, actor, Modality.FINGER, candidates, digest)


def get_search(uow: UnitOfWork, *, actor: Actor, search_id: str) -> Search:
    """A search of the actor's member, with the decisions taken on its candidates."""
    actor.require("biometrics.examine")
    found = store.get_search(uow.conn, search_id)
    if found is None or found.member != actor.member:
        raise NotFound(f"No search {search_id}.")
    uow.audit(actor, "biometrics.search_read", results=[c.person_id for c in found.candidates])
    return found


def decide(
    uow: UnitOfWork,
    *,
    actor: Actor,
    search_id: str,
    person_id: str,
    decision: Decision,
    note: str | None = None,
) -> ExaminerDecision:
    """Record an examiner's decision on one candidate (once); a ``match`` becomes a hit that
    alerts the record's owner and the searching member.

    Raises:
        NotFound: no such search of the member, or no such candidate in it.
        Conflict: the candidate was decided already.
    """
    actor.require("biometrics.examine")
    search = store.get_search(uow.conn, search_id)
    if search is None or search.member != actor.member:
        raise NotFound(f"No search {search_id}.")
    candidate = next((c for c in search.candidates if c.person_id == person_id), None)
    if candidate is None:
        raise NotFound(f"{person_id} is not a candidate of search {search_id}.")
    if candidate.decision is not None:
        raise Conflict(f"This candidate was decided already ({candidate.decision.value}).")
    now = clock.now()
    hit_id = new_id() if decision is Decision.MATCH else None
    made = ExaminerDecision(
        search_id=search_id, person_id=person_id, decision=decision, note=note,
        examiner=actor.ref, member=actor.member, decided_at=now, hit_id=hit_id,
    )  # fmt: skip
    store.insert_decision(uow.conn, made)
    uow.audit(
        actor, "biometrics.decide", records=[person_id],
        query={"search": search_id, "decision": decision.value},
    )  # fmt: skip
    if hit_id is not None:
        uow.emit(
            BiometricHit(
                hit_id=hit_id, search_id=search_id, modality=search.modality.value,
                record_id=person_id, owner=candidate.owner, checking_member=actor.member,
                checked_by=actor.ref, checked_at=now.isoformat(), name=candidate.name,
                score=candidate.score,
            )
        )  # fmt: skip
    return made


# ---- the rules behind them ----------------------------------------------------------------


def _enrol(
    uow: UnitOfWork,
    actor: Actor,
    person_id: str,
    modality: Modality,
    finger: int | None,
    data: bytes,
    quality: float,
    source: str,
    kept: tuple[str, bytes] | None,
) -> Template:
    made = Template(
        id=new_id(), person_id=person_id, modality=modality, finger=finger, quality=quality,
        source=source, image_kept=kept is not None, created_at=clock.now(), created_by=actor.ref,
    )  # fmt: skip
    store.insert_template(uow.conn, made, data, kept)
    uow.audit(actor, f"biometrics.enrol_{modality.value}", records=[person_id], results=[made.id])
    return made


def _owned_person(uow: UnitOfWork, actor: Actor, person_id: str) -> None:
    actor.require("biometrics.enrol")
    person = persons.get(uow, actor=actor, person_id=person_id)
    if person.envelope.owner != actor.member:
        raise Forbidden("Only the member that owns a person record enrols its biometrics.")


def _print(image: bytes | None, template: bytes | None) -> fingerprints.Print:
    if (image is None) == (template is None):
        raise InvalidInput("Send an image or an ISO/IEC 19794-2 template, one of the two.")
    if image is not None:
        return fingerprints.from_image(image)
    assert template is not None
    return fingerprints.from_template(template)


def _ready(uow: UnitOfWork, modality: Modality) -> VectorIndex:
    index = index_for(uow.db, modality)
    sync(index, uow.conn)
    return index


def _allowed(
    uow: UnitOfWork, actor: Actor, finger: int | None = None
) -> Callable[[list[Item]], set[str]]:
    """The access rule of the candidates, applied before the list is cut: the persons the
    actor may match (and, for prints, only the finger asked for)."""

    def allowed(items: list[Item]) -> set[str]:
        wanted = [i.person_id for i in items if finger is None or i.finger == finger]
        return set(person_screening.matchable(uow, actor=actor, person_ids=wanted))

    return allowed


def _bozorth_ranked(
    index: VectorIndex, probe: fingerprints.Print, items: list[Item]
) -> list[tuple[Item, int]]:
    matcher = fingerprints.matcher(probe)
    scored = [
        (item, fingerprints.score(matcher, fingerprints.matcher(found)))
        for item, found in zip(items, index.prints(items), strict=True)
    ]
    # One candidate per person: its best finger.
    best: dict[str, tuple[Item, int]] = {}
    for item, points in scored:
        if item.person_id not in best or best[item.person_id][1] < points:
            best[item.person_id] = (item, points)
    return sorted(best.values(), key=lambda pair: -pair[1])


def _record_search(
    uow: UnitOfWork,
    actor: Actor,
    modality: Modality,
    found: list[tuple[Item, float, bool]],
    probe: bytes,
) -> Search:
    people = person_screening.matchable(
        uow, actor=actor, person_ids=[item.person_id for item, _, _ in found]
    )
    kept = store.kept_images(uow.conn, [item.template_id for item, _, _ in found])
    candidates: list[Candidate] = []
    for item, value, strong in found:
        if item.person_id in {c.person_id for c in candidates} or item.person_id not in people:
            continue
        owner, name = people[item.person_id]
        candidates.append(
            Candidate(
                rank=len(candidates) + 1, person_id=item.person_id, score=round(value, 4),
                template_id=item.template_id, owner=owner, name=name, finger=item.finger,
                above_threshold=strong, image_kept=item.template_id in kept,
            )
        )  # fmt: skip
    search = Search(
        id=new_id(), modality=modality, member=actor.member, created_at=clock.now(),
        candidates=candidates,
    )  # fmt: skip
    store.insert_search(uow.conn, search, actor.ref)
    # The audit names the probe by a digest of its template: enough to tell two searches
    # of one probe apart from others, nothing to rebuild a face or a print from.
    uow.audit(
        actor, f"biometrics.search_{modality.value}",
        query={"probe": hashlib.sha256(probe).hexdigest(), "search": search.id},
        results=[c.person_id for c in candidates],
    )  # fmt: skip
    return search


def _bounded(limit: int) -> int:
    if not 1 <= limit <= MAX_CANDIDATES:
        raise InvalidInput(f"limit: 1-{MAX_CANDIDATES}.")
    return limit
