"""Passenger manifests: the documents to check, read from CSV or JSON Lines, each with its row
in the file so answers and errors can point back at it."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from vigil.documents.models import DocumentQuery
from vigil.errors import InvalidInput, validation_message

# The columns (CSV) or keys (JSON Lines) of a manifest that name a document; others are ignored.
_QUERY_KEYS = ("number", "issuing_state", "mrz")
# Rows named in the error when a manifest has unreadable rows.
_ROWS_SHOWN = 20

# A manifest row's values, or why the row cannot be read.
Fields = dict[str, Any] | str


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One document of a manifest: its row in the file (a CSV's header is row 1) and query."""

    row: int
    query: DocumentQuery


def read_manifest(data: bytes, filename: str) -> list[ManifestRow]:
    """The documents of a manifest: CSV with a header row, or JSON Lines, one document each.

    Raises:
        InvalidInput: not UTF-8, no documents, a CSV header naming neither way of asking, or
            rows that cannot be read (listed in ``extra["rows"]``).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The file is not UTF-8 text.") from None
    rows: list[ManifestRow] = []
    bad: list[tuple[int, str]] = []
    for row, values in _csv_rows(text) if _is_csv(filename, text) else _json_rows(text):
        if isinstance(values, str):
            bad.append((row, values))
            continue
        try:
            rows.append(ManifestRow(row, DocumentQuery.model_validate(values)))
        except ValidationError as exc:
            bad.append((row, validation_message(exc)))
    if bad:
        raise InvalidInput(
            f"{len(bad)} rows cannot be checked; correct them and upload the file again.",
            rows=bad[:_ROWS_SHOWN],
        )
    if not rows:
        raise InvalidInput("The file holds no documents.")
    return rows


def _is_csv(filename: str, text: str) -> bool:
    """What the file's name says; else what its content does (JSON Lines start with ``{``)."""
    suffix = filename.lower().rpartition(".")[2]
    if suffix in ("jsonl", "ndjson", "json"):
        return False
    return suffix == "csv" or not text.lstrip().startswith("{")


def _csv_rows(text: str) -> list[tuple[int, Fields]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not ({"number", "issuing_state"} <= set(header) or "mrz" in header):
        raise InvalidInput(
            "The CSV header must name the columns number and issuing_state, or mrz; "
            f"it names: {', '.join(header) or 'nothing'}."
        )
    reader.fieldnames = header
    found: list[tuple[int, Fields]] = []
    for values in reader:
        if not any(isinstance(v, str) and v.strip() for v in values.values()):
            continue  # a row of empty cells, as spreadsheets leave at the end
        kept = {k: v.strip() for k, v in values.items() if k in _QUERY_KEYS and v and v.strip()}
        found.append((reader.line_num, kept))
    return found


def _json_rows(text: str) -> list[tuple[int, Fields]]:
    found: list[tuple[int, Fields]] = []
    for row, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            values = json.loads(line)
        except json.JSONDecodeError as exc:
            found.append((row, f"not JSON: {exc.msg} at column {exc.colno}"))
            continue
        if isinstance(values, dict):
            found.append((row, {k: v for k, v in values.items() if k in _QUERY_KEYS}))
        else:
            found.append((row, "not a JSON object"))
    return found
