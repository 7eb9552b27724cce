"""Loading, listing and removing the tables of equivalent name parts that every screening
reads queries with (``persons.equivalents``). One set for the whole installation, kept by its
administrators; each process's name index reads it again after a change."""

from __future__ import annotations

import re
from pathlib import Path

from vigil.access.actors import Actor
from vigil.core import clock
from vigil.errors import InvalidInput, NotFound
from vigil.persons import equivalents_store
from vigil.persons.equivalents import Format, TableError, parse, tokens_of_pair
from vigil.persons.models import EquivalentsLoaded, EquivalentSource, SkippedLine
from vigil.storage.uow import UnitOfWork

_SOURCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# The longest part kept (the column's width); longer tokens are not names.
_LONGEST_PART = 100
# The first skipped lines an answer lists; all are counted.
_SKIPPED_SHOWN = 20


def load(
    uow: UnitOfWork,
    *,
    actor: Actor,
    data: bytes,
    source: str | None = None,
    format: str | None = None,
    file_name: str | None = None,
) -> EquivalentsLoaded:
    """Store a table of equivalents (UTF-8 text) under ``source``, by default the file's name
    without its extension, replacing one loaded under it before; read in ``format``
    (``nicknames`` or ``synonyms``) or, without one, in the format its first line shows.

    Raises:
        Forbidden: the actor is not an administrator.
        InvalidInput: a bad source name or format, text that is not UTF-8, or a table with
            no pair of names in it.
    """
    actor.require("persons.equivalents.manage")
    source = source or (Path(file_name).stem if file_name else "")
    if not _SOURCE.fullmatch(source):
        raise InvalidInput(
            f"Invalid source name {source!r}: 1 to 100 letters, digits, '.', '_' or '-'."
        )
    if format and format not in Format.__members__.values():
        raise InvalidInput(f"Unknown format {format!r}: nicknames or synonyms.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"The table is not UTF-8 text (byte {exc.start}).") from exc
    try:
        parsed = parse(text, Format(format) if format else None)
    except TableError as exc:
        raise InvalidInput(f"Table {source!r}: {exc}.") from exc
    pairs = [
        (a, b)
        for pair in parsed.pairs
        for a, b in tokens_of_pair(pair)
        if len(a) <= _LONGEST_PART and len(b) <= _LONGEST_PART
    ]
    stored = equivalents_store.replace(
        uow.conn,
        name=source,
        format=parsed.format.value,
        file_name=file_name,
        pairs_read=len(parsed.pairs),
        lines_skipped=len(parsed.skipped),
        pairs=pairs,
        loaded_at=clock.now(),
        loaded_by=actor.ref,
    )
    uow.audit(actor, "persons.equivalents.load", query={"source": source, **_counts(stored)})
    skipped = [SkippedLine(line=n, reason=r) for n, r in parsed.skipped[:_SKIPPED_SHOWN]]
    return EquivalentsLoaded(**stored, skipped=skipped)


def _counts(stored: dict[str, object]) -> dict[str, object]:
    return {k: stored[k] for k in ("format", "pairs_read", "pairs_kept", "lines_skipped")}


def listed(uow: UnitOfWork, *, actor: Actor) -> list[EquivalentSource]:
    """The tables loaded, by name.

    Raises:
        Forbidden: the actor's role may not see them (partners).
    """
    actor.require("persons.equivalents.read")
    return [EquivalentSource(**row) for row in equivalents_store.sources(uow.conn)]


def offline_rows(uow: UnitOfWork) -> list[tuple[str, str, str]]:
    """Every pair of parts, as ``(source, token, other)``, for an offline package: a border
    post reads names as the installation does. Not audited: no record is read."""
    return list(equivalents_store.rows(uow.conn))


def remove(uow: UnitOfWork, *, actor: Actor, source: str) -> None:
    """Stop reading queries with a table.

    Raises:
        Forbidden: the actor is not an administrator.
        NotFound: no table is loaded under that name.
    """
    actor.require("persons.equivalents.manage")
    removed = equivalents_store.remove(
        uow.conn, source, removed_at=clock.now(), removed_by=actor.ref
    )
    if not removed:
        raise NotFound(f"No table of equivalents is loaded as {source!r}.")
    uow.audit(actor, "persons.equivalents.remove", query={"source": source})
