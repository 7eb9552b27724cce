"""Offline copies for border posts with poor connectivity: a member exports a signed,
encrypted package of what it may see (live document reports, and persons under notices in
force; never victims); a post checks travellers against it with no network, queues its hits,
and sends them when back online.

A package file is ``MAGIC``, a JSON header (id, member, dates, base, kind), a nonce, the
payload compressed and encrypted with AES-256-GCM (the header is its associated data, so it
cannot be altered either), and an Ed25519 signature of all of it by this installation. The
payload is a JSON part (the persons, and where the binary parts lie) followed by the document
reports as sorted columns of bytes (``offline_documents``), which the post reads in place. Keys:
the packages of one chain (a full package and the increments that refresh it) share one key,
derived from this installation's secret and the chain's first package; it is shown once, when
the full package is made, to be carried to the post apart from the file. An expired package,
one that does not decrypt, or one whose signature fails, refuses to load.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.envelope import Audience
from vigil.core import clock
from vigil.core.ids import new_id
from vigil.documents import service as documents
from vigil.documents.keys import checked_number, member_state, number_key, ocr_key
from vigil.documents.mrz import parse_mrz
from vigil.errors import Conflict, InvalidInput, NotFound
from vigil.persons import screening as persons
from vigil.persons.entries import NoticeLink, entry_of
from vigil.persons.index import NameIndex
from vigil.persons.models import ScreenQuery
from vigil.persons.names import readings
from vigil.persons.screening import rank, threshold_for
from vigil.screening import actions, offline_documents, store
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

MAGIC = b"VIGIL-OFFLINE-2\n"
# Format 1 carried the reports as JSON, which a post could not hold at a national scale.
_FORMER_MAGIC = b"VIGIL-OFFLINE-1\n"
_LARGEST = 2**31 - 1  # what AES-GCM seals in one piece
_SIGNATURE = 64
_NONCE = 12
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
    key = _chain_key(root_id or package_id)
    content = _seal(header, people, reports, keep, key)
    store.add_offline_package(
        uow.conn,
        {
            "id": package_id, "member": actor.member, "created_by": actor.ref,
            "created_at": now, "expires_at": now + timedelta(days=days), "base_id": base_id,
            "records": len(ids) + len(people), "digest": _digest(content),
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


def signer_public_key() -> bytes:
    """This installation's public signing key (raw 32 bytes), for border posts to trust."""
    return (
        _signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def _root(uow: UnitOfWork, package_id: str) -> str:
    current = store.offline_package(uow.conn, package_id)
    seen = 0
    while current is not None and current["base_id"] is not None and seen < 10_000:
        current = store.offline_package(uow.conn, current["base_id"])
        seen += 1
    if current is None:
        raise NotFound("The package chain is broken.")
    return str(current["id"])


def _seal(
    header: dict[str, Any],
    people: list[dict[str, Any]],
    reports: offline_documents.DocumentTable,
    keep: np.ndarray | None,
    key: bytes,
) -> bytes:
    head = json.dumps(header, sort_keys=True).encode()
    layout = {
        "persons": people,
        "documents": reports.layout(),
        "keep": None if keep is None else {"rows": len(keep), "dtype": keep.dtype.str},
    }
    described = json.dumps(layout, separators=(",", ":")).encode()
    packer = zlib.compressobj(6)
    pieces = [packer.compress(struct.pack(">I", len(described)) + described)]
    buffers = list(reports.buffers())
    if keep is not None:
        buffers.append(np.ascontiguousarray(keep).data.cast("B"))
    pieces += [packer.compress(b) for b in buffers]
    pieces.append(packer.flush())
    body = b"".join(pieces)
    del pieces
    if len(body) > _LARGEST:
        raise Conflict("The package would exceed 2 GiB: export it for fewer records.")
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, body, MAGIC + head)
    signed = MAGIC + struct.pack(">I", len(head)) + head + nonce + sealed
    return signed + _signing_key().sign(signed)


def _digest(content: bytes) -> str:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(content)
    return digest.finalize().hex()


# ---- keys of this installation ----------------------------------------------------------------


def _keys_dir() -> Path:
    folder = settings.DATA_DIR / "keys"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _secret_file(name: str, make: bytes) -> bytes:
    path = _keys_dir() / name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(make)
        return make


def _signing_key() -> Ed25519PrivateKey:
    raw = _secret_file("offline-signing.key", Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    ))  # fmt: skip
    return Ed25519PrivateKey.from_private_bytes(raw)


def _chain_key(root_id: str) -> bytes:
    secret = _secret_file("offline-secret", os.urandom(32))
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"vigil-offline:" + root_id.encode()
    ).derive(secret)


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
        signer: the public key to trust (``signer_public_key``); this installation's own
            when not given.

    Raises:
        Conflict: expired, tampered with, signed by another key, or increments out of order.
        InvalidInput: not a package, or a key that is not one.
    """
    now = now or clock.now()
    try:
        secret = base64.urlsafe_b64decode(key.encode())
    except (ValueError, TypeError):
        raise InvalidInput("The key is not a package key.") from None
    trusted = Ed25519PublicKey.from_public_bytes(signer or signer_public_key())
    copy: OfflineCopy | None = None
    for content in packages:
        header, people, reports, keep = _open(content, secret, trusted)
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
    assert copy is not None, "no package given"
    copy.records = len(copy.documents) + len(copy.persons)
    return copy


def _open(
    content: bytes, key: bytes, trusted: Ed25519PublicKey
) -> tuple[
    dict[str, Any], list[dict[str, Any]], offline_documents.DocumentTable, np.ndarray | None
]:
    """The header, persons, document reports and (in an increment) the ids still standing."""
    if content.startswith(_FORMER_MAGIC):
        raise Conflict("This package was made by an earlier version of Vigil, which a post no "
                       "longer reads: export a new full package.")  # fmt: skip
    if not content.startswith(MAGIC) or len(content) < len(MAGIC) + 4 + _NONCE + _SIGNATURE:
        raise InvalidInput("Not an offline screening package.")
    signed, signature = content[:-_SIGNATURE], content[-_SIGNATURE:]
    try:
        trusted.verify(signature, signed)
    except InvalidSignature:
        raise Conflict("The package's signature fails: it was altered, or signed by another "
                       "installation.") from None  # fmt: skip
    (length,) = struct.unpack(">I", signed[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    head = signed[start : start + length]
    nonce = signed[start + length : start + length + _NONCE]
    try:
        body = AESGCM(key).decrypt(nonce, signed[start + length + _NONCE :], MAGIC + head)
    except (InvalidTag, ValueError):
        raise Conflict("The package does not open with this key (or was altered).") from None
    del signed
    data = zlib.decompress(body)
    del body
    (described,) = struct.unpack(">I", data[:4])
    layout = json.loads(data[4 : 4 + described])
    try:
        reports, offset = offline_documents.DocumentTable.read(
            layout["documents"], data, 4 + described
        )
        keep = None
        if layout["keep"] is not None:
            keep = np.frombuffer(data, dtype=np.dtype(layout["keep"]["dtype"]),
                                 count=int(layout["keep"]["rows"]), offset=offset)  # fmt: skip
    except (ValueError, TypeError, KeyError) as exc:  # signed by us, so a version mismatch
        raise Conflict(
            f"The package's parts are not where this version reads them: {exc}."
        ) from None
    return json.loads(head), layout["persons"], reports, keep


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
        shortlist = copy.persons.shortlist(readings(name), lambda e: True, number)
        threshold = threshold_for(member)
        for ranked in rank(shortlist, query, copy.persons.bearers)[:10]:
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
