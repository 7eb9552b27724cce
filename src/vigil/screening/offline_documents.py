"""The document reports of an offline copy, held as sorted columns of bytes.

A member's package can carry a national extract of the stolen and lost documents database:
millions of reports. Parsed from JSON into a dict of Python tuples, 10M reports took 90 s to
load and held 8.6 GB at the post. As columns they take about 50 bytes a report (469 MiB),
the package carries them as they lie in memory (loading them is pointing arrays at the
decrypted bytes: 4.5 s), and a check is two binary searches on the sorted lookup keys.

Columns, one row per report, sorted by ``key``:

- ``key``: the issuing state and the number's OCR key (``FRA:12AB0C``), what a check looks up;
- ``number``: the number key, to tell a hit (the same key) from a possible hit (the same OCR
  key only);
- ``id``: the report's id, as its 16 bytes;
- ``owner``: the member that reported it;
- ``type``, ``status``: an index into the table's ``types`` and ``statuses``, which travel
  with it, so a post reads a package whatever the order of its own enumerations.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from vigil.documents.models import DocumentStatus, DocumentType

COLUMNS = ("key", "number", "id", "owner", "type", "status")
_CHUNK = 50_000


class Report(NamedTuple):
    id: str
    owner: str
    issuing_state: str
    type: str
    status: str
    number_key: str


@dataclass(frozen=True)
class DocumentTable:
    """Reports in columns sorted by lookup key. Arrays may be views of a package's bytes:
    they are never written to; every change makes a new table."""

    columns: dict[str, np.ndarray]
    types: tuple[str, ...]
    statuses: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.columns["key"])

    def find(self, issuing_state: str, ocr: str) -> list[Report]:
        """The reports filed under this state and OCR key."""
        keys = self.columns["key"]
        wanted = lookup_key(issuing_state, ocr)
        start = int(np.searchsorted(keys, wanted, side="left"))
        end = int(np.searchsorted(keys, wanted, side="right"))
        return [self._report(i) for i in range(start, end)]

    def _report(self, i: int) -> Report:
        c = self.columns
        return Report(
            id=str(uuid.UUID(bytes=bytes(c["id"][i]).ljust(16, b"\0"))),
            owner=c["owner"][i].decode(),
            issuing_state=c["key"][i].decode().split(":", 1)[0],
            type=self.types[c["type"][i]],
            status=self.statuses[c["status"][i]],
            number_key=c["number"][i].decode(),
        )

    def keeping(self, ids: np.ndarray) -> DocumentTable:
        """The rows whose id is among ``ids`` (what an increment says still stands)."""
        return self._rows(among(self.columns["id"], ids))

    def replaced_by(self, changed: DocumentTable) -> DocumentTable:
        """This table with ``changed``'s rows in place of any of the same id, sorted again."""
        if not len(changed):
            return self
        mine = self._rows(~among(self.columns["id"], changed.columns["id"]))
        theirs = changed._recoded(self.types, self.statuses)
        merged = {
            name: np.concatenate([mine.columns[name], theirs.columns[name]]) for name in COLUMNS
        }
        return _sorted(merged, theirs.types, theirs.statuses)

    def _rows(self, mask: np.ndarray) -> DocumentTable:
        return DocumentTable(
            {name: column[mask] for name, column in self.columns.items()},
            self.types,
            self.statuses,
        )

    def _recoded(self, types: tuple[str, ...], statuses: tuple[str, ...]) -> DocumentTable:
        """The same rows with codes into the union of both tables' names (``types`` first)."""
        all_types = types + tuple(t for t in self.types if t not in types)
        all_statuses = statuses + tuple(s for s in self.statuses if s not in statuses)
        columns = dict(self.columns)
        columns["type"] = _recode(columns["type"], self.types, all_types)
        columns["status"] = _recode(columns["status"], self.statuses, all_statuses)
        return DocumentTable(columns, all_types, all_statuses)

    # ---- in a package ---------------------------------------------------------------------

    def layout(self) -> dict[str, Any]:
        """What a reader needs to find the columns in the bytes ``buffers`` gives."""
        return {
            "rows": len(self),
            "columns": [[name, self.columns[name].dtype.str] for name in COLUMNS],
            "types": list(self.types),
            "statuses": list(self.statuses),
        }

    def buffers(self) -> Iterator[memoryview]:
        for name in COLUMNS:
            yield np.ascontiguousarray(self.columns[name]).data.cast("B")

    @classmethod
    def read(cls, layout: dict[str, Any], data: bytes, offset: int) -> tuple[DocumentTable, int]:
        """The table laid out at ``offset`` in ``data`` (no copy), and the offset after it.

        Raises:
            ValueError: the layout does not describe these bytes.
        """
        rows = int(layout["rows"])
        columns: dict[str, np.ndarray] = {}
        for name, dtype in layout["columns"]:
            kind = np.dtype(dtype)
            if kind.hasobject:
                raise ValueError(f"column {name}: {dtype} is not a plain type")
            columns[name] = np.frombuffer(data, dtype=kind, count=rows, offset=offset)
            offset += kind.itemsize * rows
        if set(columns) != set(COLUMNS):
            raise ValueError(f"columns {sorted(columns)}, not {sorted(COLUMNS)}")
        return cls(columns, tuple(layout["types"]), tuple(layout["statuses"])), offset


def lookup_key(issuing_state: str, ocr: str) -> bytes:
    return f"{issuing_state}:{ocr}".encode()


def build(rows: Iterable[tuple[str, ...]]) -> DocumentTable:
    """A table of reports given as (id, owner, issuing_state, type, status, number_key,
    ocr_key, ...), read in chunks so that only the columns are ever held whole."""
    types = tuple(t.value for t in DocumentType)
    statuses = tuple(s.value for s in DocumentStatus)
    type_code = {t: i for i, t in enumerate(types)}
    status_code = {s: i for i, s in enumerate(statuses)}
    parts: dict[str, list[np.ndarray]] = {name: [] for name in COLUMNS}
    chunk: list[tuple[str, ...]] = []

    def flush() -> None:
        parts["key"].append(np.array([lookup_key(r[2], r[6]) for r in chunk], dtype=np.bytes_))
        parts["number"].append(np.array([r[5].encode() for r in chunk], dtype=np.bytes_))
        parts["id"].append(np.array([uuid.UUID(r[0]).bytes for r in chunk], dtype="S16"))
        parts["owner"].append(np.array([r[1].encode() for r in chunk], dtype=np.bytes_))
        parts["type"].append(np.array([type_code[r[3]] for r in chunk], dtype=np.uint8))
        parts["status"].append(np.array([status_code[r[4]] for r in chunk], dtype=np.uint8))
        chunk.clear()

    for row in rows:
        chunk.append(row)
        if len(chunk) >= _CHUNK:
            flush()
    if chunk:
        flush()
    columns = {name: _joined(parts[name], name) for name in COLUMNS}
    return _sorted(columns, types, statuses)


def ids_column(ids: Iterable[str]) -> np.ndarray:
    """Report ids as the table holds them (an increment's list of what still stands)."""
    return np.array([uuid.UUID(i).bytes for i in ids], dtype="S16")


def among(ids: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Whether each id (16 bytes) is one of ``others``, exactly.

    ``np.isin`` on byte strings took 40 s for 10M ids against 10M, most of it sorting strings.
    Here each id is two 64-bit words: their exclusive or (a hash) is sorted and searched with
    the ids' hashes in sorted order too (a binary search per id in random order misses the
    cache 24 times), and both words of every hash that matches are compared.
    """
    if not len(ids) or not len(others):
        return np.zeros(len(ids), dtype=bool)
    mine = np.ascontiguousarray(ids, dtype="S16").view(np.uint64).reshape(-1, 2)
    theirs = np.ascontiguousarray(others, dtype="S16").view(np.uint64).reshape(-1, 2)
    their_hash = theirs[:, 0] ^ theirs[:, 1]
    order = np.argsort(their_hash)
    sorted_hash = their_hash[order]
    if np.any(sorted_hash[1:] == sorted_hash[:-1]):  # two of them share a hash: the slow way
        found: np.ndarray = np.isin(ids, others)
        return found
    my_hash = mine[:, 0] ^ mine[:, 1]
    asked = np.argsort(my_hash)
    places = np.empty(len(ids), dtype=np.int64)
    places[asked] = np.searchsorted(sorted_hash, my_hash[asked])
    places = np.minimum(places, len(sorted_hash) - 1)
    match = order[places]
    same: np.ndarray = (sorted_hash[places] == my_hash) & (theirs[match] == mine).all(axis=1)
    return same


def _joined(parts: list[np.ndarray], name: str) -> np.ndarray:
    if parts:
        return np.concatenate(parts)  # byte strings widen to the widest chunk's
    return np.array([], dtype="S16" if name == "id" else np.uint8 if name in ("type", "status")
                    else "S1")  # fmt: skip


def _sorted(
    columns: dict[str, np.ndarray], types: tuple[str, ...], statuses: tuple[str, ...]
) -> DocumentTable:
    order = np.argsort(columns["key"], kind="stable")
    return DocumentTable({name: columns[name][order] for name in COLUMNS}, types, statuses)


def _recode(codes: np.ndarray, old: tuple[str, ...], new: tuple[str, ...]) -> np.ndarray:
    if old == new[: len(old)]:
        return codes
    mapping = np.array([new.index(name) for name in old], dtype=np.uint8)
    recoded: np.ndarray = mapping[codes]
    return recoded
