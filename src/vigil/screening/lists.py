"""Passenger and crew lists as airlines and shipping lines send them: CSV with a header (the
API/PNR columns), or JSON (``{"travellers": [...]}`` or a bare list of travellers)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pydantic import ValidationError

from vigil.errors import InvalidInput, validation_message
from vigil.screening.models import ManifestIn, TravellerIn

# CSV passenger lists: the PAXLST-like columns airlines send (API/PNR data), by any of
# these names.
_CSV_COLUMNS = {
    "name": ("name", "full_name"),
    "surname": ("surname", "family_name", "last_name"),
    "given_names": ("given_names", "given_name", "first_name", "forenames"),
    "birth_date": ("birth_date", "date_of_birth", "dob"),
    "nationality": ("nationality",),
    "sex": ("sex", "gender"),
    "document_number": ("document_number", "passport_number", "document"),
    "issuing_state": ("issuing_state", "document_issuing_state", "issuer"),
    "mrz": ("mrz",),
}


def read_list(data: bytes, filename: str = "") -> ManifestIn:
    """A passenger list from a file: JSON when it says so (by its name or its first
    character), CSV otherwise.

    Raises:
        InvalidInput: not UTF-8, not JSON, no traveller, or lines that cannot be read.
    """
    text = _text(data)
    if filename.lower().endswith(".json") or text.lstrip()[:1] in ("{", "["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"Not JSON: {exc.msg} at line {exc.lineno}.") from None
        if isinstance(value, list):
            value = {"travellers": value}
        try:
            return ManifestIn.model_validate(value)
        except ValidationError as exc:
            raise InvalidInput(validation_message(exc)) from None
    return ManifestIn(travellers=read_csv(data))


def read_csv(data: bytes) -> list[TravellerIn]:
    """The travellers of a CSV list, one a line after the header.

    Raises:
        InvalidInput: not UTF-8, no header, no traveller, or lines that cannot be read.
    """
    reader = csv.DictReader(io.StringIO(_text(data)))
    if not reader.fieldnames:
        raise InvalidInput("The CSV list has no header line.")
    header = {h.strip().lower(): h for h in reader.fieldnames}
    columns = {
        field: next((header[n] for n in names if n in header), None)
        for field, names in _CSV_COLUMNS.items()
    }
    travellers: list[TravellerIn] = []
    problems: list[str] = []
    for line, row in enumerate(reader, start=2):
        value = {f: (row.get(c) or "").strip() for f, c in columns.items() if c is not None}
        try:
            travellers.append(TravellerIn.model_validate(_traveller(value)))
        except ValidationError as exc:
            problems.append(f"line {line}: {validation_message(exc)}")
    if problems:
        raise InvalidInput(f"{len(problems)} lines cannot be read: {'; '.join(problems[:20])}")
    if not travellers:
        raise InvalidInput("The list holds no traveller.")
    return travellers


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The list is not UTF-8 text.") from None


def _traveller(value: dict[str, str]) -> dict[str, Any]:
    name = value.get("name") or " ".join(
        p for p in (value.get("given_names"), value.get("surname")) if p
    )
    fields: dict[str, Any] = {
        "name": name or None, "birth_date": value.get("birth_date") or None,
        "nationality": (value.get("nationality") or "").upper() or None,
        "sex": (value.get("sex") or "").upper()[:1] or None, "mrz": value.get("mrz") or None,
    }  # fmt: skip
    if value.get("document_number"):
        fields["document"] = {
            "number": value["document_number"],
            "issuing_state": (value.get("issuing_state") or "").upper(),
        }
    return {k: v for k, v in fields.items() if v is not None}
