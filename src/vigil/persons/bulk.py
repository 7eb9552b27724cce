"""Bulk loads of person records from JSON Lines (the synthetic world's ``persons.jsonl``, a
national system's export): idempotent, errors reported per line without stopping the load.

Each line carries ``ref``, the owner's own reference for the person. The owner and the
reference identify the line: a load that runs again, or resumes after being killed, skips the
lines a previous run committed. Each batch of lines is one transaction, and the name index
picks the new persons up from ``person_changes`` at its next search.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO

from pydantic import ValidationError

from vigil import settings
from vigil.access.actors import Actor
from vigil.documents import bulk as documents_bulk
from vigil.documents.bulk import Line, LineError, LoadSummary, Progress
from vigil.errors import InvalidInput, VigilError, validation_message
from vigil.persons import bulk_store, service
from vigil.persons.models import Person, PersonIn
from vigil.records import lines as lines_
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

__all__ = ["LineError", "LoadSummary", "load", "read_lines"]


@dataclass(frozen=True, slots=True)
class _Made:
    line: int
    ref: str
    person: Person

    @property
    def key(self) -> tuple[str, str]:
        return (self.person.envelope.owner, self.ref)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A batch of lines made into persons, and the lines refused."""

    size: int
    made: list[_Made]
    refused: list[LineError]


def load(
    db: Database,
    *,
    actor: Actor,
    lines: Iterable[Line],
    as_owners: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load person records, one transaction per ``settings.IMPORT_BATCH_ROWS`` lines.

    Args:
        actor: who loads. Without ``as_owners`` every line is filed by the actor's member (a
            line's ``owner``, when given, must be that member), as ``service.record`` files.
        lines: numbered JSON Lines texts (``read_lines``).
        as_owners: the operator loads on behalf of each line's ``owner`` NCB (world loads,
            migrations from a national system); audit entries name the operator.
        progress: called with the number of lines handled after each batch.

    Returns:
        The counts, and the first thousand refused lines with their reasons.

    Raises:
        Forbidden: without ``as_owners``, the actor may not record persons.
    """
    if not as_owners:  # refused at once rather than line by line
        actor.require("persons.record")
    summary = LoadSummary()
    batches = lines_.batches(lines, settings.IMPORT_BATCH_ROWS)
    for batch in _prepared_ahead(actor, as_owners, batches):
        with UnitOfWork(db, write=True) as uow:
            added, present = _write_batch(uow, actor, batch.made, batch.refused)
        summary.read += batch.size
        summary.added += added
        summary.already_present += present
        for error in sorted(batch.refused, key=lambda e: e.line):
            summary.refuse(error.line, error.message)
        if progress is not None:
            progress(batch.size)
    return summary


def _prepared_ahead(
    actor: Actor, as_owners: bool, batches: Iterator[list[Line]]
) -> Iterator[_Prepared]:
    """Batches made ready one ahead, in a thread: the next is validated while the database
    writes the current one (the driver lets go of the interpreter while it waits)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="persons-load") as pool:
        pending: Future[_Prepared] | None = None
        for batch in batches:
            following = pool.submit(_prepare, actor, as_owners, batch)
            if pending is not None:
                yield pending.result()
            pending = following
        if pending is not None:
            yield pending.result()


def _prepare(actor: Actor, as_owners: bool, batch: list[Line]) -> _Prepared:
    refused: list[LineError] = []
    made = [m for line in batch if (m := _made(actor, as_owners, line, refused)) is not None]
    return _Prepared(len(batch), made, refused)


def read_lines(source: IO[bytes]) -> Iterator[Line]:
    """Numbered lines (1-based) of a JSON Lines source, blank lines skipped."""
    return documents_bulk.read_lines(source, documents_bulk.SourceFormat.JSONL)


def _made(actor: Actor, as_owners: bool, line: Line, refused: list[LineError]) -> _Made | None:
    """The line's person checked against the rules, or ``None`` with the reason in ``refused``."""
    number, content = line
    if isinstance(content, LineError):
        refused.append(content)
        return None
    try:
        fields = json.loads(content) if isinstance(content, str) else content
        if not isinstance(fields, dict):
            raise InvalidInput("not a JSON object")
        owner, ref, values = lines_.split(fields)
        person_in = PersonIn.model_validate(values)
        acting = lines_.acting(actor, owner, as_owners=as_owners)
        return _Made(number, ref, service.new_person(actor=acting, person_in=person_in))
    except json.JSONDecodeError as exc:
        refused.append(LineError(number, f"not JSON: {exc.msg} at column {exc.colno}"))
    except ValidationError as exc:
        refused.append(LineError(number, validation_message(exc)))
    except VigilError as exc:
        refused.append(LineError(number, exc.detail))
    return None


def _write_batch(
    uow: UnitOfWork, actor: Actor, made: list[_Made], refused: list[LineError]
) -> tuple[int, int]:
    """Insert the batch's new persons; returns how many went in and how many were present."""
    stored = bulk_store.existing_refs(uow.conn, {m.key for m in made})
    fresh: dict[tuple[str, str], _Made] = {}
    present = 0
    for m in made:
        if m.key in stored or m.key in fresh:
            present += 1
        elif (problem := lines_.audience_problem(uow, m.person.envelope.audience)) is not None:
            refused.append(LineError(m.line, problem))
        else:
            fresh[m.key] = m
    bulk_store.insert_many(uow.conn, [(m.person, m.ref) for m in fresh.values()])
    if fresh:
        uow.audit(actor, "persons.import", records=[m.person.id for m in fresh.values()])
    return len(fresh), present
