"""Audit entries and the result of verifying the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class PendingEntry:
    """An entry a unit of work collected; it gets its place in the chain when it is written."""

    id: str
    at: datetime
    actor: str
    member: str
    action: str
    record_ids: tuple[str, ...] = ()
    query_digest: str | None = None
    result_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChainedEntry:
    """An entry with its place in the chain and the hashes that hold it there."""

    seq: int
    id: str
    at: datetime
    actor: str
    member: str
    action: str
    record_ids: tuple[str, ...]
    query_digest: str | None
    result_ids: tuple[str, ...]
    prev_hash: str
    hash: str = field(default="")


def entry_hash(seq: int, prev_hash: str, entry: PendingEntry | ChainedEntry) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of every field."""
    body = {
        "seq": seq,
        "id": entry.id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "member": entry.member,
        "action": entry.action,
        "record_ids": list(entry.record_ids),
        "query_digest": entry.query_digest,
        "result_ids": list(entry.result_ids),
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def query_digest(query: Any) -> str:
    """A digest of a search's parameters: the log proves what was asked without storing it."""
    canonical = json.dumps(query, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class AuditView(BaseModel):
    """An audit entry as shown to a record's owner."""

    seq: int
    id: str
    at: datetime
    actor: str
    member: str
    action: str
    record_ids: list[str]
    result_ids: list[str]
    query_digest: str | None


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of walking the chain: whole, or the first entry that breaks it."""

    ok: bool
    checked: int
    bad_seq: int | None = None
    bad_id: str | None = None
    reason: str | None = None
