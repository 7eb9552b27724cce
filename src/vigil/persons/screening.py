"""Screening names against the person records: candidates, scores, explanations, hits.

A screening only reads: it runs in a reading unit of work, and its hits travel as events
committed with its audit entry by the group writer (as document checks do).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.roles import Role
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.errors import InvalidInput
from vigil.notices.models import NoticeRef
from vigil.persons.entries import Entry, NoticeLink, may_match, notices_seen
from vigil.persons.events import PersonHit
from vigil.persons.index import NameIndex, index_for, sync
from vigil.persons.matching import (
    MOST_SEX,
    Feature,
    birth_feature,
    differing_part,
    identifier_feature,
    identifier_key,
    name_feature,
    nationality_feature,
    other_name_feature,
    score,
    score_bound,
    sex_feature,
    weakly_dated,
)
from vigil.persons.models import (
    BatchScreening,
    Candidate,
    Category,
    Evidence,
    PartnerScreening,
    Screening,
    ScreenQuery,
)
from vigil.persons.names import Reading, readings
from vigil.persons.shortlist import Shortlist
from vigil.persons.shortlist_similarity import best_names
from vigil.persons.similarity import NameMatch
from vigil.storage.uow import UnitOfWork

# Candidates scoring below this are not worth an officer's attention, and are not shown.
SHOWN_FROM = 0.2
_NAME_FLOOR = 0.6
# Records of a shortlist whose evidence is weighed in full, closest names first.
_SCORED = 60


def _conflict_rules_out() -> bool:
    """Whether a birth date in conflict rules a candidate out whatever its names (even the
    same) and sex say: then the shortlist's birth years set those aside before their names
    are read (``rank``). True with the weights as they are; a test says so."""
    conflict = birth_feature("2000", "1990", None)
    return conflict is not None and score_bound(1.0, [conflict], more=MOST_SEX) < SHOWN_FROM


_CONFLICT_RULES_OUT = _conflict_rules_out()


def threshold_for(member: str) -> float:
    """The score from which a candidate is a hit for this member's officers."""
    return settings.SCREEN_THRESHOLDS.get(member, settings.SCREEN_THRESHOLD)


def screen(
    uow: UnitOfWork, *, actor: Actor, query: ScreenQuery, check_id: str | None = None
) -> Screening | PartnerScreening:
    """Screen one name (with birth date, nationality, sex, document where known).

    ``check_id``: the traveller check this screening is part of (its hits point back at it).

    Returns:
        Candidates the actor may match, best first, each with its score and the evidence;
        those at or above the member's threshold are hits, recorded and alerted to both
        members. A partner learns hit or none.

    Raises:
        Forbidden: the actor's role may not screen.
    """
    actor.require("persons.screen")
    index = _ready(uow)
    answer = _screen(uow, actor, index, query, check_id)
    uow.audit(
        actor,
        "persons.screen",
        query=query.model_dump(mode="json", exclude_none=True),
        results=[c.id for c in answer.candidates],
    )
    return _for(actor, answer)


def screen_batch(
    uow: UnitOfWork, *, actor: Actor, queries: list[ScreenQuery], check_id: str | None = None
) -> BatchScreening:
    """Screen a list (a passenger list, a crew list) in the order given.

    Raises:
        Forbidden: as ``screen``.
        InvalidInput: more than ``settings.SCREEN_BATCH_MAX`` names.
    """
    actor.require("persons.screen")
    if len(queries) > settings.SCREEN_BATCH_MAX:
        raise InvalidInput(
            f"A batch holds at most {settings.SCREEN_BATCH_MAX} names; got {len(queries)}."
        )
    index = _ready(uow)
    answers = [_screen(uow, actor, index, q, check_id) for q in queries]
    uow.audit(
        actor,
        "persons.screen_batch",
        query=[q.model_dump(mode="json", exclude_none=True) for q in queries],
        results=[c.id for a in answers for c in a.candidates],
    )
    return BatchScreening(
        results=[_for(actor, a) for a in answers],
        hits=sum(1 for a in answers if any(c.hit for c in a.candidates)),
    )


@dataclass(frozen=True, slots=True)
class Alike:
    """A record like a given person, for a reviewer's duplicate search."""

    id: str
    owner: str
    name: str
    score: float
    notices: list[str]


def alike(
    uow: UnitOfWork,
    *,
    names: list[str],
    birth_date: str | None,
    sex: str | None,
    nationalities: list[str],
    min_score: float,
    limit: int = 10,
) -> list[Alike]:
    """Records of any owner that the name engine scores at least ``min_score`` against any
    of ``names``: the duplicate search of a notice's compliance review, done for the General
    Secretariat's review duty (its caller decides who may ask, and audits it). No hits are
    recorded: nobody is being screened."""
    index = _ready(uow)
    best: dict[str, Alike] = {}
    for name in names:
        choices: list[str | None] = [*nationalities] or [None]
        for nationality in choices:
            query = ScreenQuery(
                name=name, birth_date=birth_date, sex=sex, nationality=nationality, limit=limit
            )
            forms = query_forms(index, name)
            shortlist = index.shortlist(forms, lambda e: True)
            for ranked in rank(shortlist, query, forms=forms):
                if ranked.score < min_score:
                    continue
                entry = ranked.entry
                if entry.id not in best or best[entry.id].score < ranked.score:
                    best[entry.id] = Alike(
                        id=entry.id,
                        owner=entry.owner,
                        name=entry.names[0][0],
                        score=ranked.score,
                        notices=[n.id for n in entry.notices],
                    )
    return sorted(best.values(), key=lambda a: -a.score)[:limit]


def matchable(
    uow: UnitOfWork, *, actor: Actor, person_ids: list[str]
) -> dict[str, tuple[str, str]]:
    """Which of these persons a check by ``actor`` may match (their own envelope, or a notice
    in force about them, allows it), with each one's owner and primary name: the access rule
    of other databases' candidates (biometric search). Not audited: the caller audits."""
    index = _ready(uow)
    today = clock.today()
    found: dict[str, tuple[str, str]] = {}
    for person_id in person_ids:
        entry = index.get(person_id)
        if entry is not None and may_match(actor, entry, today):
            found[person_id] = (entry.owner, entry.names[0][0])
    return found


def offline_entries(uow: UnitOfWork, *, actor: Actor) -> list[dict[str, Any]]:
    """The persons with a notice in force the actor was told of (victims never), as an
    offline copy for a border post carries them: names, birth, sex, nationalities, document
    keys and the notices. The caller audits the export."""
    actor.require("persons.screen")
    index = _ready(uow)
    today = clock.today()
    found = []
    for entry in index.entries():
        if not entry.notices or entry.category == Category.VICTIM.value:
            continue
        notices = notices_seen(actor, entry, today)
        if not notices:
            continue
        found.append(
            {
                "id": entry.id, "owner": entry.owner, "category": entry.category,
                "names": [name for name, _ in entry.names], "birth_date": entry.birth_date,
                "birth_date_to": entry.birth_date_to, "sex": entry.sex,
                "nationalities": list(entry.nationalities),
                "identifiers": sorted(entry.identifiers),
                "notices": [
                    {"id": n.id, "type": n.type, "owner": n.owner, "title": n.title}
                    for n in notices
                ],
            }
        )  # fmt: skip
    return found


def _ready(uow: UnitOfWork) -> NameIndex:
    index = index_for(uow.db)
    sync(index, uow.conn)
    return index


def query_forms(index: NameIndex, name: str) -> tuple[Reading, ...]:
    """How a screened name is read: its readings, and the same with a part taken as each
    equivalent the loaded tables list (``persons.equivalents``)."""
    return index.equivalents.expand(readings(name))


@dataclass(frozen=True, slots=True)
class Ranked:
    """A candidate record scored against a query, with its evidence."""

    score: float
    entry: Entry
    features: list[Feature]
    matched_name: str


def rank(
    shortlist: Shortlist,
    query: ScreenQuery,
    forms: Sequence[Reading] | None = None,
) -> list[Ranked]:
    """Score a shortlist against the query, best first, dropping those below ``SHOWN_FROM``.

    A name's bearers are counted among the shortlist (``Shortlist.bearers``), so that records
    hidden from the actor never count. ``forms``: the query name's readings
    (default: ``readings``, without the equivalents ``query_forms`` adds). Pure: the
    evaluation harness (``persons.evaluation``) ranks with it too.
    """
    forms = forms or readings(query.name)
    # Weighed in full: the _SCORED closest names at or above _NAME_FLOOR (below it, nothing
    # else but the document can lift a record to be shown), and any record holding the
    # query's document number, whatever its names.
    document = identifier_key(query.document_number) if query.document_number else None
    holders = shortlist.holding(query.document_number) if query.document_number else []
    # Those whose birth year alone rules them out, as the loop below would, without reading
    # their entries (most strangers of a close name); never a holder of the document.
    ruled_out = shortlist.born.conflicting(query.birth_date) if _CONFLICT_RULES_OUT else None
    if ruled_out is not None and holders:
        ruled_out[holders] = False
    matches = best_names(
        forms, shortlist.names, shortlist.table, _Names(shortlist), _NAME_FLOOR,
        most=_SCORED, also=holders, skip=ruled_out,
    )  # fmt: skip
    weighed: list[tuple[NameMatch, Entry, Feature | None, Feature | None]] = []
    for position, match in enumerate(matches):
        entry = shortlist.entry(position) if match is not None else None
        if match is None or entry is None:
            continue
        birth = birth_feature(query.birth_date, entry.birth_date, entry.birth_date_to)
        if (
            birth is not None
            and birth.weight < 0
            and (document is None or document not in entry.identifiers)
            and score_bound(match.similarity, [birth], more=MOST_SEX) < SHOWN_FROM
        ):
            # The birth date rules the candidate out whatever its sex says (and its
            # documents, which may only take away): most strangers of a close name stop
            # here. Exact, as ``could_show`` below; nor is such a candidate a rival.
            continue
        weighed.append((match, entry, birth, sex_feature(query.sex, entry.sex)))
    # Candidates of one name whom the birth date fits only weakly compete: one of them at
    # most is the traveller (or several records of one person, which then share the hit).
    rivals = Counter(match.record.joined for match, _, birth, sex in weighed if _rival(birth, sex))
    ranked: list[Ranked] = []
    for match, entry, birth, sex in weighed:
        document_feature = identifier_feature(query.document_number, entry.identifiers, document)
        if not could_show(match, [f for f in (birth, sex, document_feature) if f is not None]):
            continue  # most strangers of a close name: their birth date rules them out
        others = rivals[match.record.joined] - _rival(birth, sex) if weakly_dated(birth) else 0
        features = [name_feature(match, query.name, shortlist.bearers(match.record), birth, others)]
        for feature in (  # in this order: the score sums them
            other_name_feature(differing_part(match), shortlist.part_bearers),
            birth,
            sex,
            nationality_feature(query.nationality, entry.nationalities),
            document_feature,
        ):
            if feature is not None:
                features.append(feature)
        value = score(features)
        if value >= SHOWN_FROM:
            ranked.append(Ranked(value, entry, features, match.record_name))
    ranked.sort(key=lambda r: -r.score)
    return ranked


def could_show(match: NameMatch, known: list[Feature]) -> bool:
    """Whether a candidate could score ``SHOWN_FROM`` with the features ``known`` so far:
    the rest (the name's bearers and rivals, a name part borne by others, the nationality)
    can add at most ``matching.MOST_UNKNOWN``. Skipping the others is exact: a candidate it
    drops would not have been shown."""
    return score_bound(match.similarity, known) >= SHOWN_FROM


def _rival(birth: Feature | None, sex: Feature | None) -> bool:
    return weakly_dated(birth) and (sex is None or sex.weight >= 0)


class _Names:
    """The names of a shortlist's records by position, read only when asked for."""

    def __init__(self, shortlist: Shortlist) -> None:
        self.shortlist = shortlist

    def __len__(self) -> int:
        return len(self.shortlist)

    def __getitem__(self, position: int) -> tuple[tuple[str, tuple[Reading, ...]], ...]:
        entry = self.shortlist.entry(position)
        return entry.names if entry is not None else ()


def _screen(
    uow: UnitOfWork, actor: Actor, index: NameIndex, query: ScreenQuery, check_id: str | None
) -> Screening:
    threshold = threshold_for(actor.member)
    forms = query_forms(index, query.name)
    shortlist = index.candidates(actor, forms, query.document_number)
    today = clock.today()
    candidates = [
        _candidate(uow, actor, r, threshold, notices_seen(actor, r.entry, today), check_id)
        for r in rank(shortlist, query, forms=forms)[: query.limit]
    ]
    return Screening(candidates=candidates, threshold=threshold)


def _candidate(
    uow: UnitOfWork,
    actor: Actor,
    ranked: Ranked,
    threshold: float,
    notices: list[NoticeLink],
    check_id: str | None,
) -> Candidate:
    value, entry, features, matched = (
        ranked.score,
        ranked.entry,
        ranked.features,
        ranked.matched_name,
    )
    hit = value >= threshold
    hit_id = new_id() if hit else None
    candidate = Candidate(
        id=entry.id,
        score=round(value, 4),
        hit=hit,
        hit_id=hit_id,
        owner=entry.owner,
        category=Category(entry.category),
        name=entry.names[0][0],
        matched_name=matched,
        birth_date=entry.birth_date,
        nationalities=list(entry.nationalities),
        explanation=[
            Evidence(feature=f.feature, weight=round(f.weight, 2), explanation=f.explanation)
            for f in sorted(features, key=lambda f: -abs(f.weight))
        ],
        notices=[NoticeRef(id=n.id, type=n.type, owner=n.owner, title=n.title) for n in notices],
    )
    if hit_id is not None:
        uow.emit(
            PersonHit(
                hit_id=hit_id,
                record_id=entry.id,
                owner=entry.owner,
                checking_member=actor.member,
                checked_by=actor.ref,
                checked_by_role=actor.role.value,
                checked_at=clock.now().isoformat(),
                score=value,
                name=candidate.name,
                category=entry.category,
                notices=[n.id for n in notices],
                notice_types=[n.type for n in notices],
                check_id=check_id,
            )
        )
    return candidate


def _for(actor: Actor, answer: Screening) -> Screening | PartnerScreening:
    """A partner (an NGO, an airline) learns hit or none, nothing of the records."""
    if actor.role is Role.PARTNER:
        return PartnerScreening(result="hit" if any(c.hit for c in answer.candidates) else "none")
    return answer
