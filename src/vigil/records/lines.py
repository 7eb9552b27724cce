"""What every bulk load of records does with its lines: cut them into batches, find whose
record each line is, and keep the owner's reference.

The loads of documents, persons, notices, ads and transfers each validate their own record;
the rules here are the ones they share, so that a line means the same in every file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from vigil.access.actors import Actor
from vigil.access.envelope import Audience, AudienceKind
from vigil.access.roles import Role
from vigil.core.countries import GS, is_member
from vigil.errors import InvalidInput
from vigil.records import service as records
from vigil.storage.uow import UnitOfWork

T = TypeVar("T")

REF_MAX = 200


def batches(lines: Iterable[T], size: int) -> Iterator[list[T]]:
    """The lines in lists of ``size`` (the last one shorter)."""
    batch: list[T] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def flattened(fields: dict[str, Any]) -> dict[str, Any]:
    """A line's fields with a nested ``envelope`` flattened into them and the ground-truth
    fields (``truth_*``, in the synthetic world's files) dropped; ``fields`` is left as it is.

    Raises:
        InvalidInput: an ``envelope`` that is not an object (refused with its line, where
            flattening it would stop the whole load).
    """
    values = dict(fields)
    for key in [key for key in values if key.startswith("truth_")]:
        del values[key]
    envelope = values.pop("envelope", None)
    if isinstance(envelope, dict):
        values.update(envelope)
    elif envelope is not None:
        raise InvalidInput("envelope: an object of the envelope's fields, such as audience")
    return values


def split(fields: dict[str, Any]) -> tuple[str | None, str, dict[str, Any]]:
    """A line's owner, its reference, and the record's own fields.

    A nested ``envelope`` is flattened into the fields, the reference becomes the envelope's
    ``provenance.owner_ref`` unless the line gives one, and ground-truth fields (``truth_*``,
    in the synthetic world's files) are dropped.

    Raises:
        InvalidInput: no ``ref`` (a load run again could not skip the line), an owner that
            is not a code, an envelope that is not an object.
    """
    values = flattened(fields)
    owner = values.pop("owner", None)
    ref = values.pop("ref", None)
    if not isinstance(ref, str | int) or not str(ref).strip():
        raise InvalidInput("ref: each line needs the owner's reference (a rerun skips it)")
    ref = str(ref).strip()
    if len(ref) > REF_MAX:
        raise InvalidInput(f"ref: at most {REF_MAX} characters")
    if owner is not None and not isinstance(owner, str):
        raise InvalidInput("owner: a member code such as FRA")
    provenance = values.get("provenance")
    if provenance is None or isinstance(provenance, dict):
        values["provenance"] = {"owner_ref": ref, **(provenance or {})}
    return (owner.upper() if owner else None), ref, values


def acting(actor: Actor, owner: str | None, *, as_owners: bool) -> Actor:
    """Who files the line's record.

    Without ``as_owners`` the actor files it for its own member, and a line's ``owner``, if
    given, must be that member. With it, the operator files it for the line owner's NCB
    (world loads, migrations from a national system), and the audit names the operator.

    Raises:
        InvalidInput: the owner is missing, another member, or not a member that owns records.
    """
    if not as_owners:
        if owner is not None and owner != actor.member:
            raise InvalidInput(f"owner: {owner} is not your member ({actor.member})")
        return actor
    if owner is None:
        raise InvalidInput("owner: each line needs its owner (the member whose record it is)")
    if owner == GS or not is_member(owner):
        raise InvalidInput(f"owner: {owner} is not a member that owns records")
    return Actor(user_id=actor.user_id, member=owner, role=Role.NCB, name=actor.name)


def audience_problem(uow: UnitOfWork, audience: Audience) -> str | None:
    """Why a line's audience cannot stand (it names networks that do not exist), or ``None``.

    Checked in the writing transaction: the rest of a line is checked before, without the
    database.
    """
    if audience.kind is not AudienceKind.NETWORKS:
        return None
    try:
        records.check_audience(uow, audience)
    except InvalidInput as exc:
        return exc.detail
    return None
