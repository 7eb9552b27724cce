"""Biometric templates, searches and the examiners' decisions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Modality(StrEnum):
    FACE = "face"
    FINGER = "finger"


class Decision(StrEnum):
    """What a human examiner concludes about one candidate: only ``match`` makes a hit."""

    MATCH = "match"
    NO_MATCH = "no_match"
    INCONCLUSIVE = "inconclusive"


class Template(BaseModel):
    """One enrolled face or finger of a person record (the numbers themselves stay inside)."""

    id: str
    person_id: str
    modality: Modality
    finger: int | None = None
    quality: float = Field(description="Face: sharpness; finger: the number of minutiae.")
    source: str = Field(description="image, or template (an ISO/IEC 19794-2 record).")
    image_kept: bool
    created_at: datetime
    created_by: str


class Candidate(BaseModel):
    """A record a probe resembles, for an examiner to compare: never an identification."""

    rank: int
    person_id: str
    score: float = Field(description="Face: 1 - distance; finger: the bozorth3 score.")
    template_id: str
    owner: str
    name: str
    finger: int | None = None
    above_threshold: bool = Field(
        description="Face closer than 0.6, finger scoring 40 or more: look at it first."
    )
    image_kept: bool = False
    decision: Decision | None = None


class Search(BaseModel):
    """A 1:N search: its candidates ranked, and the examiners' decisions on them. The probe
    is not kept."""

    id: str
    modality: Modality
    member: str
    created_at: datetime
    candidates: list[Candidate]
    decisions: list[ExaminerDecision] = []


class DecisionIn(BaseModel):
    decision: Decision
    note: str | None = Field(default=None, max_length=2000)


class ExaminerDecision(BaseModel):
    search_id: str
    person_id: str
    decision: Decision
    note: str | None
    examiner: str
    member: str
    decided_at: datetime
    hit_id: str | None = None
