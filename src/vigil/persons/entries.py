"""What the name index keeps of each person record (``Entry``), how it is made from a record,
and the access decisions taken on it: the parts of an envelope, and the notices in force about
the person, whose audiences may also match it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from vigil.access.actors import Actor
from vigil.access.envelope import Audience
from vigil.access.rules import can_match_parts
from vigil.persons.matching import identifier_key
from vigil.persons.names import Reading, readings


@dataclass(frozen=True, slots=True)
class NoticeLink:
    """A notice in force about a record: its audience may match the record too, and sees the
    notice on every hit (even when the person record itself is the owner's alone)."""

    id: str
    type: str
    owner: str
    audience: Audience
    review_by: date
    title: str


@dataclass(frozen=True, slots=True)
class Entry:
    """What screening needs of one record, kept in memory: names read, facts, envelope parts."""

    id: str
    owner: str
    audience: Audience
    review_by: date
    category: str
    names: tuple[tuple[str, tuple[Reading, ...]], ...]  # (full name, its readings)
    birth_date: str | None
    birth_date_to: str | None
    sex: str | None
    nationalities: tuple[str, ...]
    identifiers: frozenset[str]
    notices: tuple[NoticeLink, ...] = ()

    def posted_keys(self) -> set[str]:
        keys = {key for _, forms in self.names for reading in forms for key in index_keys(reading)}
        keys.update(document_key(number) for number in self.identifiers)
        return keys


def may_match(actor: Actor, entry: Entry, today: date) -> bool:
    """The record's own envelope lets the actor match it, or a notice in force about it does."""
    return can_match_parts(actor, entry.owner, entry.audience, entry.review_by, today=today) or any(
        can_match_parts(actor, n.owner, n.audience, n.review_by, today=today) for n in entry.notices
    )


def notices_seen(actor: Actor, entry: Entry, today: date) -> list[NoticeLink]:
    """The notices about a record that the actor's member was told of."""
    return [
        n
        for n in entry.notices
        if can_match_parts(actor, n.owner, n.audience, n.review_by, today=today)
    ]


def index_keys(reading: Reading) -> Iterable[str]:
    for token, key in zip(reading.tokens, reading.keys, strict=True):
        if len(token) >= 2:
            yield "t:" + token
        if len(key) >= 2:
            yield "k:" + key
        if len(token) >= 4:
            yield "p:" + token[:3]


def document_key(number: str) -> str:
    """A document or id number's posting, in ``identifier_key`` form whatever way it was
    written: a record that holds the traveller's document is a candidate whatever its names."""
    return "d:" + identifier_key(number)


def query_keys(forms: Sequence[Reading], document: str | None = None) -> set[str]:
    keys = {key for reading in forms for key in index_keys(reading)}
    if document:
        keys.add(document_key(document))
    return keys


def entry_of(
    *,
    record_id: str,
    owner: str,
    audience: Audience,
    review_by: date,
    category: str,
    names: Sequence[str],
    birth_date: str | None,
    birth_date_to: str | None,
    sex: str | None,
    nationalities: Sequence[str],
    identifiers: Iterable[str],
    notices: Iterable[NoticeLink] = (),
) -> Entry:
    return Entry(
        id=record_id,
        owner=owner,
        audience=_interned(audience),
        review_by=review_by,
        category=category,
        names=tuple((name, readings(name)) for name in dict.fromkeys(names)),
        birth_date=birth_date,
        birth_date_to=birth_date_to,
        sex=sex,
        nationalities=tuple(nationalities),
        identifiers=frozenset(identifiers),
        notices=tuple(
            NoticeLink(n.id, n.type, n.owner, _interned(n.audience), n.review_by, n.title)
            for n in notices
        ),
    )


_AUDIENCES: dict[Audience, Audience] = {}


def _interned(audience: Audience) -> Audience:
    """One object per distinct audience: most records share "all" or "only their owner"."""
    return _AUDIENCES.setdefault(audience, audience)
