"""The one access decision: may this actor see this record?

Every path (get, list, search, screening candidates, counts, exports, alerts, error messages)
asks ``can_see``. Stores that filter in SQL first use ``records.store.visible_clause``, which
states the same rule for the database; a test holds the two to agreement.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from vigil.access.actors import Actor
from vigil.access.envelope import Audience, AudienceKind, Envelope
from vigil.access.roles import Role
from vigil.core import clock
from vigil.core.countries import GS


def can_see(actor: Actor, envelope: Envelope) -> bool:
    """Whether ``actor`` may see the record behind ``envelope``.

    - A deleted record is seen by nobody.
    - Partners learn hit or no hit from screening, never a record itself.
    - The owner's own users see their records.
    - The General Secretariat holds no national data: it sees a record only when the owner
      names it in an ``only`` audience (its review duties grant access through their own path).
    - Otherwise the audience decides: everyone, only the named members, everyone except the
      named members, or the members of the named networks.
    """
    return sees(actor, envelope.owner, envelope.audience, deleted=envelope.deleted)


def sees(actor: Actor, owner: str, audience: Audience, *, deleted: bool = False) -> bool:
    """``can_see`` on the parts of an envelope (in-memory indexes keep only these)."""
    if deleted or actor.role is Role.PARTNER:
        return False
    if actor.member == owner:
        return True
    if actor.member == GS:
        return audience.kind is AudienceKind.ONLY and GS in audience.codes
    match audience.kind:
        case AudienceKind.ALL:
            return True
        case AudienceKind.ONLY:
            return actor.member in audience.codes
        case AudienceKind.EXCEPT:
            return actor.member not in audience.codes
        case AudienceKind.NETWORKS:
            return not actor.networks.isdisjoint(audience.codes)
    return False


def can_match(actor: Actor, envelope: Envelope) -> bool:
    """Whether a check made by ``actor`` may match the record (and so report a hit).

    The record must be in screening and visible to the actor's member. A partner matches
    what its member's officers would, and its answer is cut down to hit or no hit by the
    service; the owner is alerted either way (INTERPOL's I-Checkit model).
    """
    return can_match_parts(
        actor, envelope.owner, envelope.audience, envelope.review_by, deleted=envelope.deleted
    )


def can_match_parts(
    actor: Actor,
    owner: str,
    audience: Audience,
    review_by: date,
    *,
    deleted: bool = False,
    today: date | None = None,
) -> bool:
    """``can_match`` on the parts of an envelope (in-memory indexes keep only these).

    ``today``: the date read once by a caller deciding for many records at once."""
    if deleted or review_by < (today or clock.today()):
        return False
    return sees_as_checker(actor, owner, audience)


def sees_as_checker(actor: Actor, owner: str, audience: Audience) -> bool:
    """``sees`` for a check: a partner matches what its member's officers would."""
    if actor.role is Role.PARTNER:
        actor = dataclasses.replace(actor, role=Role.FRONTLINE)
    return sees(actor, owner, audience)


def in_screening(envelope: Envelope) -> bool:
    """Whether a record takes part in screening: not once its review date has passed."""
    return not envelope.deleted and not envelope.review_overdue
