"""Bulk loads of online ads and money transfers from JSON Lines (the synthetic world's
``ads.jsonl`` and ``transactions.jsonl``, a national system's export): idempotent on the
owner's ``ref``, errors reported per line without stopping the load.

A line is an ``AdIn`` or a ``TransferIn`` (a nested ``envelope`` allowed) with its ``ref``,
and its ``owner`` when the operator loads for many members. Each batch is one transaction and
one audit entry naming every record it added.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError

from vigil import settings
from vigil.access.actors import Actor
from vigil.access.envelope import Envelope, EnvelopeIn
from vigil.analysis import ads, store, transfers
from vigil.analysis.models import AdIn, TransferIn
from vigil.documents import bulk as documents_bulk
from vigil.documents.bulk import Line, LineError, LoadSummary, Progress
from vigil.errors import InvalidInput, VigilError, validation_message
from vigil.records import lines as lines_
from vigil.records import service as records
from vigil.storage.engine import Database
from vigil.storage.tables import ads as ads_table
from vigil.storage.tables import transfers as transfers_table
from vigil.storage.uow import UnitOfWork

__all__ = ["Kind", "LineError", "LoadSummary", "load", "read_lines"]


class Kind(StrEnum):
    ADS = "ads"
    TRANSFERS = "transfers"


@dataclass(frozen=True, slots=True)
class _Spec:
    """How one kind of line becomes a record."""

    model: type[BaseModel]
    record_kind: str
    table: sa.Table
    title: Callable[[Any], str]
    row: Callable[[str, Any, str | None], dict[str, Any]]
    insert: Callable[[sa.Connection, list[tuple[Envelope, dict[str, Any]]]], None]
    action: str


_SPECS = {
    Kind.ADS: _Spec(AdIn, ads.KIND, ads_table, ads.title_of, ads.row_of, store.insert_ads,
                    "ads.import"),
    Kind.TRANSFERS: _Spec(TransferIn, transfers.KIND, transfers_table, transfers.title_of,
                          transfers.row_of, store.insert_transfers, "transfers.import"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Made:
    line: int
    envelope: Envelope
    row: dict[str, Any]


def load(
    db: Database,
    *,
    actor: Actor,
    kind: Kind,
    lines: Iterable[Line],
    as_owners: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load ads or transfers, one transaction per ``settings.IMPORT_BATCH_ROWS`` lines.

    Args:
        actor: who loads. Without ``as_owners`` every line is filed by the actor's member (a
            line's ``owner``, when given, must be that member).
        as_owners: the operator loads on behalf of each line's ``owner`` NCB (world loads,
            migrations from a national system); audit entries name the operator.
        progress: called with the number of lines handled after each batch.

    Raises:
        Forbidden: without ``as_owners``, the actor may not record ads and transfers.
    """
    if not as_owners:  # refused at once rather than line by line
        actor.require("analysis.record")
    spec = _SPECS[kind]
    summary = LoadSummary()
    for batch in lines_.batches(lines, settings.IMPORT_BATCH_ROWS):
        refused: list[LineError] = []
        made = [m for line in batch if (m := _made(spec, actor, as_owners, line, refused))]
        with UnitOfWork(db, write=True) as uow:
            added, present = _write_batch(uow, spec, actor, made, refused)
        summary.read += len(batch)
        summary.added += added
        summary.already_present += present
        for error in sorted(refused, key=lambda e: e.line):
            summary.refuse(error.line, error.message)
        if progress is not None:
            progress(len(batch))
    return summary


def read_lines(source: IO[bytes]) -> Iterator[Line]:
    """Numbered lines (1-based) of a JSON Lines source, blank lines skipped."""
    return documents_bulk.read_lines(source, documents_bulk.SourceFormat.JSONL)


def _made(
    spec: _Spec, actor: Actor, as_owners: bool, line: Line, refused: list[LineError]
) -> _Made | None:
    """The line's record checked against the rules, or ``None`` with the reason in ``refused``."""
    number, content = line
    if isinstance(content, LineError):
        refused.append(content)
        return None
    try:
        fields = json.loads(content) if isinstance(content, str) else content
        if not isinstance(fields, dict):
            raise InvalidInput("not a JSON object")
        owner, ref, values = lines_.split(fields)
        acting = lines_.acting(actor, owner, as_owners=as_owners)
        value = spec.model.model_validate(values)
        assert isinstance(value, EnvelopeIn)
        envelope = records.envelope_of(
            actor=acting, kind=spec.record_kind, title=spec.title(value), envelope=value
        )
        return _Made(number, envelope, spec.row(envelope.id, value, f"{acting.member}/{ref}"))
    except json.JSONDecodeError as exc:
        refused.append(LineError(number, f"not JSON: {exc.msg} at column {exc.colno}"))
    except ValidationError as exc:
        refused.append(LineError(number, validation_message(exc)))
    except VigilError as exc:
        refused.append(LineError(number, exc.detail))
    return None


def _write_batch(
    uow: UnitOfWork, spec: _Spec, actor: Actor, made: list[_Made], refused: list[LineError]
) -> tuple[int, int]:
    """Insert the batch's new records; returns how many went in and how many were present."""
    stored = store.existing_ref_keys(uow.conn, spec.table, [m.row["ref_key"] for m in made])
    fresh: dict[str, _Made] = {}
    present = 0
    for m in made:
        key = m.row["ref_key"]
        if key in stored or key in fresh:
            present += 1
        elif (problem := lines_.audience_problem(uow, m.envelope.audience)) is not None:
            refused.append(LineError(m.line, problem))
        else:
            fresh[key] = m
    spec.insert(uow.conn, [(m.envelope, m.row) for m in fresh.values()])
    if fresh:
        uow.audit(actor, spec.action, records=[m.envelope.id for m in fresh.values()])
    return len(fresh), present
