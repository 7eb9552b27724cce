"""The vector indexes of 1:N search, in memory, current with the store.

Faces: dlib's 128 numbers in an exact faiss index (L2); a million take 0.5 GB and a search
scans them all in tens of milliseconds (BENCHMARKS.md compares the approximate indexes).
Fingers: the pair histograms of ``descriptors`` in an exact inner-product index, the candidate
stage; bozorth3 ranks the best ``FINGER_SHORTLIST`` of them on their minutiae.

Like the name index, an index is derived data: built from ``biometric_templates`` on first use
in a process and brought up to date from ``biometric_changes`` before each search, so every
worker process sees every other's enrolments at its next search. Candidates are filtered by
the caller's access rule before the list is cut.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import sqlalchemy as sa

from vigil import settings
from vigil.biometrics import descriptors, faces, fingerprints
from vigil.biometrics.models import Modality
from vigil.storage.engine import Database

# Prints compared with bozorth3 per search, at most (the candidate stage picks them).
FINGER_SHORTLIST = 200
_REREAD = 256  # changes read again on PostgreSQL, as the name index does
_FORMAT = 2  # 2: the centred finger descriptors (snapshots of 1 hold the old ones)
_log = logging.getLogger(__name__)

# One search, one thread: with OpenMP's threads a single-probe search over a million faces took
# 150 ms of CPU for 25 ms of work, and its p99 went from 35 to 172 ms (BENCHMARKS.md,
# "Biometrics"). A server answers several searches at once; faiss is used for nothing else.
faiss.omp_set_num_threads(1)


@dataclass(frozen=True, slots=True)
class Item:
    seq: int
    template_id: str
    person_id: str
    finger: int | None


class VectorIndex:
    """One modality's templates: the faiss index (ids are template seqs) and what each is."""

    def __init__(self, modality: Modality) -> None:
        self.modality = modality
        dim = faces.DIMENSIONS if modality is Modality.FACE else descriptors.DIMENSIONS
        flat = faiss.IndexFlatL2(dim) if modality is Modality.FACE else faiss.IndexFlatIP(dim)
        self._index: Any = faiss.IndexIDMap2(flat)
        self._items: dict[int, Item] = {}
        self._by_template: dict[str, int] = {}
        self._minutiae: dict[int, fingerprints.Print] = {}
        self._lock = threading.Lock()
        self.seq = 0
        self.applied: set[int] = set()
        self.built = False

    def __len__(self) -> int:
        return len(self._items)

    def put(self, row: Any) -> None:
        """Add a template row (``store.iter_rows``), replacing the one with its id."""
        vector, found = _vector(self.modality, bytes(row.data))
        with self._lock:
            self._drop(row.id)
            self._index.add_with_ids(vector[None, :], np.asarray([row.seq], dtype=np.int64))
            self._items[row.seq] = Item(row.seq, row.id, row.person_id, row.finger)
            self._by_template[row.id] = row.seq
            if found is not None:
                self._minutiae[row.seq] = found

    def put_many(self, rows: list[Any]) -> None:
        """Add templates not in the index yet, in one call to faiss (builds)."""
        if not rows:
            return
        made = [_vector(self.modality, bytes(r.data)) for r in rows]
        with self._lock:
            self._index.add_with_ids(
                np.stack([v for v, _ in made]), np.asarray([r.seq for r in rows], dtype=np.int64)
            )
            for row, (_, found) in zip(rows, made, strict=True):
                self._items[row.seq] = Item(row.seq, row.id, row.person_id, row.finger)
                self._by_template[row.id] = row.seq
                if found is not None:
                    self._minutiae[row.seq] = found

    def remove(self, template_id: str) -> None:
        with self._lock:
            self._drop(template_id)

    def _drop(self, template_id: str) -> None:
        seq = self._by_template.pop(template_id, None)
        if seq is not None:
            self._index.remove_ids(np.asarray([seq], dtype=np.int64))
            self._items.pop(seq, None)
            self._minutiae.pop(seq, None)

    def nearest(
        self, vector: np.ndarray, k: int, allowed: Callable[[list[Item]], set[str]]
    ) -> list[tuple[Item, float]]:
        """The ``k`` nearest templates whose persons ``allowed`` lets through (it is given
        candidates in batches and answers the person ids that may be shown), nearest first:
        (item, L2 distance) for faces, (item, histogram similarity) for fingers."""
        found: list[tuple[Item, float]] = []
        depth = max(4 * k, 64)
        with self._lock:
            total = self._index.ntotal
            seen = 0
            while total and len(found) < k:
                depth = min(depth, total)
                values, ids = self._index.search(vector[None, :].astype(np.float32), depth)
                if self.modality is Modality.FACE:
                    # faiss's L2 indexes answer squared distances; MATCH_DISTANCE is a distance.
                    values = np.sqrt(np.maximum(values, 0.0))
                batch = [
                    (self._items[int(i)], float(v))
                    for v, i in zip(values[0][seen:], ids[0][seen:], strict=True)
                    if int(i) in self._items
                ]
                if batch:
                    permitted = allowed([item for item, _ in batch])
                    found.extend((i, v) for i, v in batch if i.person_id in permitted)
                seen = depth
                if depth >= total:
                    break
                depth *= 4
        return found[:k]

    def prints(self, items: list[Item]) -> list[fingerprints.Print]:
        with self._lock:
            return [self._minutiae[item.seq] for item in items]

    # snapshots
    def state(self) -> tuple[bytes, dict[int, Item], dict[int, fingerprints.Print], int]:
        with self._lock:
            data = faiss.serialize_index(self._index).tobytes()
            return data, dict(self._items), dict(self._minutiae), self.seq

    def restore(
        self, data: bytes, items: dict[int, Item], prints: dict[int, fingerprints.Print], seq: int
    ) -> None:
        with self._lock:
            self._index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
            self._items = items
            self._by_template = {item.template_id: s for s, item in items.items()}
            self._minutiae = prints
            self.seq = seq
            self.built = True


def _vector(modality: Modality, data: bytes) -> tuple[np.ndarray, fingerprints.Print | None]:
    if modality is Modality.FACE:
        return np.frombuffer(data, dtype=np.float32).copy(), None
    found = fingerprints.from_template(data)
    return descriptors.descriptor(found.minutiae), found


# One pair of indexes per database per process.
_INDEXES: weakref.WeakKeyDictionary[Database, dict[Modality, VectorIndex]] = (
    weakref.WeakKeyDictionary()
)
_BUILD_LOCK = threading.Lock()


def index_for(db: Database, modality: Modality) -> VectorIndex:
    with _BUILD_LOCK:
        pair = _INDEXES.get(db)
        if pair is None:
            pair = _INDEXES[db] = {m: VectorIndex(m) for m in Modality}
        return pair[modality]


def sync(index: VectorIndex, conn: sa.Connection) -> None:
    """Bring the index up to the store: built in full the first time, then change by change."""
    from vigil.biometrics import store

    with _BUILD_LOCK:
        if not index.built:
            _build(index, conn)
        reread = 0 if conn.dialect.name == "sqlite" else _REREAD
        changes = [
            c
            for c in store.changes_after(conn, max(0, index.seq - reread))
            if c[0] not in index.applied
        ]
        if not changes:
            return
        ids = list(dict.fromkeys(template_id for _, template_id in changes))
        rows = store.rows_for(conn, ids)
        for template_id in ids:
            row = rows.get(template_id)
            if row is None:
                index.remove(template_id)
            elif row.modality == index.modality.value:
                index.put(row)
        index.seq = max(index.seq, changes[-1][0])
        index.applied.update(seq for seq, _ in changes)
        index.applied = {seq for seq in index.applied if seq > index.seq - _REREAD}


def _build(index: VectorIndex, conn: sa.Connection) -> None:
    from vigil.biometrics import store

    path = _snapshot_path(conn.engine.url, index.modality)
    if _load(index, conn, path):
        _log.info("%s index loaded from %s: %d templates", index.modality, path, len(index))
        return
    index.seq = store.last_change(conn)
    batch: list[Any] = []
    for row in store.iter_rows(conn, index.modality):
        batch.append(row)
        if len(batch) >= 5_000:
            index.put_many(batch)
            batch = []
    index.put_many(batch)
    index.built = True
    try:
        _save(index, conn, path)
    except OSError as exc:
        _log.warning("the %s index snapshot was not written: %s", index.modality, exc)


def _snapshot_path(url: sa.URL, modality: Modality) -> Path:
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return settings.DATA_DIR / "index" / f"biometrics-{modality.value}-{digest}.pickle"


def _marker(conn: sa.Connection, seq: int) -> str | None:
    from vigil.storage.tables import biometric_changes

    query = sa.select(biometric_changes.c.template_id).where(biometric_changes.c.seq == seq)
    found = conn.execute(query).scalar()
    return None if found is None else str(found)


def _save(index: VectorIndex, conn: sa.Connection, path: Path) -> None:
    if len(index) < settings.INDEX_SNAPSHOT_MIN:
        return
    data, items, prints, seq = index.state()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    with partial.open("wb") as handle:
        pickle.dump((_FORMAT, _marker(conn, seq), seq, data, items, prints), handle, protocol=5)
    os.replace(partial, path)


def _load(index: VectorIndex, conn: sa.Connection, path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            found, marker, seq, data, items, prints = pickle.load(handle)  # noqa: S301 - ours
    except FileNotFoundError:
        return False
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError) as exc:
        _log.warning("ignoring the biometric index snapshot %s: %s", path, exc)
        return False
    if found != _FORMAT or _marker(conn, seq) != marker:
        return False
    index.restore(data, items, prints, seq)
    return True


def warm_up(db: Database) -> threading.Thread:
    """Build both indexes (and load the face models) in a thread of their own at start-up:
    a search that arrives meanwhile waits for them, nothing else does."""

    def build() -> None:
        try:
            with db.engine.connect() as conn:
                for modality in Modality:
                    sync(index_for(db, modality), conn)
            faces.warm()
        except sa.exc.SQLAlchemyError as exc:  # not migrated yet: the first search retries
            _log.warning("the biometric indexes were not built at start-up: %s", exc)

    thread = threading.Thread(target=build, name="vigil-biometrics-warm-up", daemon=True)
    thread.start()
    return thread
