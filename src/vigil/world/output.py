"""Writing the world: one JSON Lines file per record kind, ground truth under ``truth/``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson

RECORD_KINDS = (
    "persons",
    "documents",
    "notices",
    "ads",
    "transactions",
)
TRUTH_KINDS = (
    "same_person",
    "networks",
    "victim_routes",
    "laundering",
    "ad_networks",
)


class WorldWriter:
    """Appends JSON lines to the world's files and counts them; files open on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.counts: Counter[str] = Counter()
        self._files: dict[str, IO[bytes]] = {}

    def __enter__(self) -> WorldWriter:
        (self.root / "truth").mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for fh in self._files.values():
            fh.close()

    def write(self, kind: str, rows: Iterable[dict[str, Any]]) -> None:
        """Append rows to ``<kind>.jsonl`` (or ``truth/<kind>.jsonl`` for ground truths)."""
        fh = self._file(kind)
        count = 0
        for row in rows:
            fh.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
            count += 1
        self.counts[kind] += count

    def write_raw(self, kind: str, data: bytes, count: int) -> None:
        """Append lines already serialised by a worker process."""
        self._file(kind).write(data)
        self.counts[kind] += count

    def _file(self, kind: str) -> IO[bytes]:
        if kind not in self._files:
            if kind in TRUTH_KINDS:
                path = self.root / "truth" / f"{kind}.jsonl"
            elif kind in RECORD_KINDS:
                path = self.root / f"{kind}.jsonl"
            else:
                raise ValueError(f"unknown world file {kind}")
            self._files[kind] = path.open("wb")
        return self._files[kind]
