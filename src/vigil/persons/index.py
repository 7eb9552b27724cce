"""The name index: candidate generation for screening, in memory, current with the store.

Screening must never score the whole table. Each reading of each name a record holds is
posted under its tokens (``t:``), their phonetic keys (``k:``) and their first three letters
(``p:``, for slips at the end of a word). A query collects the postings of its own keys,
weighs each key by its rarity (a shared "mohammed" says little, a shared "okonkwo" a lot),
and hands the best few hundred records it may see to scoring.

The index is derived data. It is built from the ``persons`` rows on first use in a process,
and before each search it reads ``person_changes`` past the last change it applied, so every
process (``vigil serve --workers N``) sees every other's writes at the next query.
"""

from __future__ import annotations

import gc
import logging
import math
import threading
import weakref
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from vigil.access.actors import Actor
from vigil.core import clock
from vigil.persons.access_columns import Access
from vigil.persons.births import BirthYears
from vigil.persons.entries import Entry, query_keys
from vigil.persons.equivalents import NONE, Equivalents
from vigil.persons.name_table import NameTable
from vigil.persons.names import Reading
from vigil.persons.shortlist import Shortlist
from vigil.storage.engine import Database

# A query reads postings rarest key first, and stops adding keys past this many postings:
# the commonest tokens ("mohammed", "ali") rank candidates the rarer ones already found.
_POSTINGS_BUDGET = 60_000
# Records scored per query, at most; and how many candidates may be examined to find them.
SHORTLIST = 200
_EXAMINED = 4_000
# Changes read again at each sync on PostgreSQL, in case one committed after a later one.
_REREAD = 256


@dataclass(frozen=True)
class State:
    """Everything an index holds, for its snapshot on disk (``persons.snapshot``)."""

    entries: list[Entry | None]
    slots: dict[str, int]
    postings: dict[str, array[int]]
    seq: int
    applied: set[int]
    table: NameTable
    access: Access
    births: BirthYears


class NameIndex:
    """Postings from index keys to record slots, and the entries in those slots."""

    def __init__(self) -> None:
        self._entries: list[Entry | None] = []
        self._slots: dict[str, int] = {}
        self._postings: dict[str, array[int]] = {}
        self._table = NameTable()
        self._access = Access()
        self._births = BirthYears()
        self._lock = threading.Lock()
        self.seq = 0  # the highest person change applied
        self.applied: set[int] = set()  # the changes applied among the last _REREAD
        self.built = False
        # The equivalent name parts loaded (``persons.equivalents``): queries are read with
        # them; the records and postings do not depend on them.
        self.equivalents: Equivalents = NONE

    def __len__(self) -> int:
        return len(self._slots)

    def state(self) -> State:
        with self._lock:
            return State(
                list(self._entries),
                dict(self._slots),
                {key: array("I", p) for key, p in self._postings.items()},
                self.seq,
                set(self.applied),
                self._table.copy(),
                self._access.copy(),
                self._births.copy(),
            )

    def restore(self, state: State) -> None:
        with self._lock:
            self._entries = state.entries
            self._slots = state.slots
            self._postings = state.postings
            self.seq = state.seq
            self.applied = state.applied
            self._table = state.table
            self._access = state.access
            self._births = state.births
            self.built = True

    def put(self, entry: Entry) -> None:
        """Add a record, or replace the one with its id (its old slot is left empty)."""
        with self._lock:
            self._drop(entry.id)
            slot = len(self._entries)
            self._entries.append(entry)
            self._table.add(slot, entry.names)
            self._access.add(slot, entry)
            self._births.add(slot, entry.birth_date, entry.birth_date_to)
            self._slots[entry.id] = slot
            for key in entry.posted_keys():
                postings = self._postings.get(key)
                if postings is None:
                    postings = self._postings[key] = array("I")
                postings.append(slot)

    def remove(self, record_id: str) -> None:
        with self._lock:
            self._drop(record_id)

    def _drop(self, record_id: str) -> None:
        slot = self._slots.pop(record_id, None)
        if slot is not None:
            self._entries[slot] = None
            self._access.drop(slot)

    def entries(self) -> list[Entry]:
        """Every live entry (a copy of the list: the index may change meanwhile)."""
        with self._lock:
            return [e for e in self._entries if e is not None]

    def get(self, record_id: str) -> Entry | None:
        slot = self._slots.get(record_id)
        return None if slot is None else self._entries[slot]

    def candidates(
        self, actor: Actor, forms: Sequence[Reading], document: str | None = None
    ) -> Shortlist:
        """The records sharing the most (rarest) keys with the query that the actor may match;
        at most ``SHORTLIST``, best first. Records the actor may not match are skipped before
        the shortlist is cut, so they neither appear nor take a place. ``document``: the
        traveller's document number, as written; its holders come first."""
        today = clock.today()
        with self._lock:
            ranked = self._ranked(query_keys(forms, document))
            kept: list[np.ndarray] = []
            found = 0
            # The best ranked first: nearly always they fill the shortlist on their own.
            for start in range(0, len(ranked), 2 * SHORTLIST):
                chunk = ranked[start : start + 2 * SHORTLIST]
                chunk = chunk[self._access.allowed(chunk, actor, today, self._entries)]
                kept.append(chunk[: SHORTLIST - found])
                found += len(kept[-1])
                if found == SHORTLIST:
                    break
            slots = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)
            return self._shortlist(slots)

    def shortlist(
        self,
        forms: Sequence[Reading],
        allowed: Callable[[Entry], bool],
        document: str | None = None,
    ) -> Shortlist:
        """``candidates`` with another rule for which records may take part (evaluations, a
        reviewer's duplicate search, an offline copy), decided record by record."""
        with self._lock:
            kept: list[int] = []
            for slot in self._ranked(query_keys(forms, document)).tolist():
                entry = self._entries[slot]
                if entry is not None and allowed(entry):
                    kept.append(slot)
                    if len(kept) == SHORTLIST:
                        break
            return self._shortlist(np.array(kept, dtype=np.int64))

    def _shortlist(self, slots: np.ndarray) -> Shortlist:
        # Under the lock: a record put meanwhile grows the table's arrays, which it cannot
        # while they are read.
        names = self._table.gather(slots)
        return Shortlist(
            slots, names, self._table, self._entries, self._posted, self._births.of(slots)
        )

    def _posted(self, key: str) -> np.ndarray:
        with self._lock:
            postings = self._postings.get(key)
            return np.array(postings if postings is not None else [], dtype=np.int64)

    def _ranked(self, keys: set[str]) -> np.ndarray:
        """Slots sharing keys with the query, most (rarest) shared first, ``_EXAMINED`` at most."""
        total = max(len(self._slots), 1)
        posted = sorted(
            (len(p), key, p) for key in keys if (p := self._postings.get(key)) is not None
        )
        if not posted:
            return np.zeros(0, dtype=np.int64)
        runs: list[array[int]] = []
        weights: list[float] = []
        budget = 0
        for count, _key, postings in posted:
            if budget and budget + count > _POSTINGS_BUDGET:
                break
            budget += count
            runs.append(postings)
            weights.append(math.log(1.0 + total / count))
        unique, sums = merged(runs, weights)
        if len(unique) > _EXAMINED:
            best = np.argpartition(-sums, _EXAMINED)[:_EXAMINED]
        else:
            best = np.arange(len(unique))
        best = best[np.argsort(-sums[best], kind="stable")]
        ranked: np.ndarray = unique[best].astype(np.int64)
        return ranked


def merged(runs: Sequence[array[int]], weights: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """The slots of several keys' postings (each run in slot order), each once and in slot
    order, with the sum of the weights of the keys posting it (as float32, summed in the
    runs' order).

    Each posting becomes one number, its slot shifted left and its run's rank in the low
    bits, and a plain sort of those numbers orders them by slot, then run: the order that a
    stable argsort of the slots gives, so the same sums, added in the same order. numpy
    sorts plain integers with SIMD, several times faster than it merges the runs stably.
    """
    shift = max(1, (len(runs) - 1).bit_length())
    wide = max((p[-1] for p in runs if len(p)), default=0) >= 1 << (32 - shift)
    kind = np.uint64 if wide else np.uint32
    codes = np.sort(
        np.concatenate(
            [np.left_shift(np.frombuffer(p, dtype=np.uint32).astype(kind), shift) | rank
             for rank, p in enumerate(runs)]
        )
    )  # fmt: skip
    ordered = codes >> shift
    starts = np.concatenate(([0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1))
    per_run = np.array(weights, dtype=np.float32).astype(np.float64)
    sums: np.ndarray = np.add.reduceat(per_run[codes & ((1 << shift) - 1)], starts)
    return ordered[starts], sums


_log = logging.getLogger(__name__)

# One index per database per process, built on first use.
_INDEXES: weakref.WeakKeyDictionary[Database, NameIndex] = weakref.WeakKeyDictionary()
_BUILD_LOCK = threading.Lock()


def index_for(db: Database) -> NameIndex:
    with _BUILD_LOCK:
        index = _INDEXES.get(db)
        if index is None:
            index = _INDEXES[db] = NameIndex()
        return index


def sync(index: NameIndex, conn: sa.Connection) -> None:
    """Bring the index up to the store: built in full the first time, then change by change."""
    from vigil.persons import store  # the index reads through the store's SQL

    with _BUILD_LOCK:
        if not index.built:
            _build(index, conn)
        _sync_equivalents(index, conn)
        # Sequence numbers are handed out before commit, so on PostgreSQL a lower one can
        # commit after a higher one was read: the last ``_REREAD`` changes are read again,
        # and those not applied yet are applied.
        reread = 0 if conn.dialect.name == "sqlite" else _REREAD  # SQLite commits in order
        changes = [
            change
            for change in store.changes_after(conn, max(0, index.seq - reread))
            if change[0] not in index.applied
        ]
        if not changes:
            return
        ids = list(dict.fromkeys(person_id for _, person_id in changes))
        found = {entry.id: entry for entry in store.entries(conn, ids)}
        for person_id in ids:
            if person_id in found:
                index.put(found[person_id])
            else:
                index.remove(person_id)
        index.seq = max(index.seq, changes[-1][0])
        index.applied.update(seq for seq, _ in changes)
        index.applied = {seq for seq in index.applied if seq > index.seq - _REREAD}


def _sync_equivalents(index: NameIndex, conn: sa.Connection) -> None:
    """Read the tables of equivalent name parts again when one was loaded or removed (by this
    process or another) since they were last read."""
    from vigil.persons import equivalents_store

    version = equivalents_store.version(conn)
    if version != index.equivalents.version:
        index.equivalents = Equivalents.from_rows(equivalents_store.rows(conn), version)
        _log.info(
            "name equivalents read: %d name parts (version %s)", len(index.equivalents), version
        )


def _build(index: NameIndex, conn: sa.Connection) -> None:
    """From the snapshot on disk when there is a good one, else from every record (and then
    a snapshot is written for the next process)."""
    from vigil.persons import snapshot, store

    path = snapshot.path_for_url(conn.engine.url)
    if snapshot.load(index, conn, path):
        _log.info("name index loaded from %s: %d records", path, len(index))
        return
    index.seq = store.last_change(conn)
    for entry in store.iter_entries(conn):
        index.put(entry)
    index.built = True
    try:
        if snapshot.save(index, conn, path):
            _log.info("name index of %d records saved to %s", len(index), path)
    except OSError as exc:  # a read-only data folder: the next process builds again
        _log.warning("the name index snapshot was not written: %s", exc)


def warm_up(db: Database) -> threading.Thread:
    """Build the index in a thread of its own (servers, at start-up): a screening that
    arrives meanwhile waits for it, and nothing else does."""

    def build() -> None:
        try:
            with db.engine.connect() as conn:
                sync(index_for(db), conn)
        except sa.exc.SQLAlchemyError as exc:  # not migrated yet: the first screening retries
            _log.warning("the name index was not built at start-up: %s", exc)
            return
        # A million entries in the collector's oldest generation would stall every full
        # pass: they live as long as the process, so they leave the collector's view.
        gc.freeze()

    thread = threading.Thread(target=build, name="vigil-name-index", daemon=True)
    thread.start()
    return thread
