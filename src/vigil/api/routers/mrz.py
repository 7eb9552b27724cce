"""Reading machine readable zones (no record is touched, so nothing is audited)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from vigil.api.deps import ActorDep
from vigil.documents.mrz import ParsedMrz, parse_mrz

router = APIRouter(prefix="/api/v1", tags=["documents"])


class MrzIn(BaseModel):
    mrz: str = Field(min_length=1, max_length=400, description="The lines, joined by newlines.")
    ocr_tolerant: bool = Field(default=False, description="Correct common OCR confusions.")


@router.post("/mrz/parse")
def parse(body: MrzIn, actor: ActorDep) -> ParsedMrz:
    """The MRZ's fields, with every failing check named by field, line and position."""
    return parse_mrz(body.mrz, ocr_tolerant=body.ocr_tolerant)
