"""Traveller checks, passenger lists, and hits with their follow-up."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from vigil.persons.models import Evidence, checked_partial_date
from vigil.screening.actions import Action, Urgency

Result = Literal["hit", "possible", "none"]


class DocumentIn(BaseModel):
    """A travel document as read off it when there is no MRZ to paste."""

    model_config = ConfigDict(extra="forbid")

    number: str = Field(min_length=1, max_length=40)
    issuing_state: str = Field(min_length=1, max_length=3)


class TravellerIn(BaseModel):
    """One traveller: an MRZ or document fields, and what is known of the person. The MRZ's
    name, birth date, nationality and sex are used when not given apart."""

    model_config = ConfigDict(extra="forbid")

    mrz: str | None = Field(default=None, max_length=400)
    document: DocumentIn | None = None
    name: str | None = Field(default=None, max_length=300)
    birth_date: str | None = None
    nationality: str | None = Field(default=None, min_length=3, max_length=3)
    sex: Literal["M", "F", "X"] | None = None
    direction: Literal["arrival", "departure", "transit"] | None = None
    reference: str | None = Field(
        default=None, max_length=100, description="Your own: a seat, a booking, a queue."
    )

    @field_validator("birth_date")
    @classmethod
    def _partial(cls, value: str | None) -> str | None:
        return None if value is None else checked_partial_date(value)

    @model_validator(mode="after")
    def _something(self) -> TravellerIn:
        if self.mrz and self.document:
            raise ValueError("give mrz or document, not both")
        if not (self.mrz or self.document or self.name):
            raise ValueError("give an mrz, a document or a name")
        return self


class NoticeAction(BaseModel):
    """A notice in force on a matched record, and what it asks of the officer."""

    id: str
    type: str
    owner: str
    title: str
    action: Action


class Hit(BaseModel):
    """One matched record, explained, with what to do."""

    hit_id: str | None = Field(description="The hit record for the follow-up (None: a "
                               "biometric candidate, until an examiner confirms it).")  # fmt: skip
    kind: Literal["document", "person", "face"]
    match: Literal["hit", "possible"]
    record_id: str
    owner: str
    title: str
    explanation: list[str]
    notices: list[NoticeAction] = []
    action: Action
    action_text: str
    score: float | None = None
    evidence: list[Evidence] = []


class CheckAnswer(BaseModel):
    """The one answer of a traveller check."""

    check_id: str
    result: Result
    action: Action | None = Field(description="What the most demanding hit asks for.")
    hits: list[Hit]
    checked_at: datetime
    face_search_id: str | None = None


class PartnerAnswer(BaseModel):
    """All a partner (an airline, an NGO) learns."""

    result: Literal["hit", "none"]


class ManifestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    travellers: list[TravellerIn] = Field(min_length=1)
    reference: str | None = Field(
        default=None, max_length=100, description="The flight or vessel, e.g. IB3166 2026-11-30."
    )
    direction: Literal["arrival", "departure", "transit"] | None = None


class ManifestSummary(BaseModel):
    travellers: int
    hits: int
    possible: int
    none: int
    seconds: float


class ManifestAnswer(BaseModel):
    check_id: str
    summary: ManifestSummary
    results: list[CheckAnswer | PartnerAnswer]


# ---- hits and their follow-up ----------------------------------------------------------------


class HitStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    FALSE_HIT = "false_hit"
    CLOSED = "closed"


class Identity(StrEnum):
    CONFIRMED = "confirmed"
    DENIED = "denied"


class ActionTaken(StrEnum):
    ARRESTED = "arrested"
    LOCATED = "located"
    REFUSED_ENTRY = "refused_entry"
    CHILD_PROTECTED = "child_protected"
    DOCUMENT_SEIZED = "document_seized"
    NO_ACTION = "no_action"


class IdentityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    identity: Identity
    note: str | None = Field(default=None, max_length=4000)


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: ActionTaken
    reason: str | None = Field(
        default=None, max_length=4000, description="Required with no_action."
    )

    @model_validator(mode="after")
    def _reason_for_nothing(self) -> ActionIn:
        if self.action is ActionTaken.NO_ACTION and not (self.reason or "").strip():
            raise ValueError("no_action needs a reason")
        return self


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)


class HitMessage(BaseModel):
    member: str
    actor: str
    kind: str
    value: str | None
    text: str | None
    at: datetime


class HitRecord(BaseModel):
    """A hit as its two members follow it up."""

    id: str
    kind: str
    match: str
    record_id: str
    owner: str
    checking_member: str
    checked_by: str
    checked_at: datetime
    summary: dict[str, Any]
    status: HitStatus
    check_id: str | None
    urgency: Urgency
    deadline_at: datetime | None
    escalated_at: datetime | None
    action: str | None
    closed_at: datetime | None
    overdue: bool
    messages: list[HitMessage] = []


class DeadlinesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    urgent: int | None = Field(default=None, ge=1, le=24 * 60)
    routine: int | None = Field(default=None, ge=1, le=7 * 24 * 60)


class Deadlines(BaseModel):
    member: str
    urgent: int
    routine: int


class OfflineHit(BaseModel):
    """A hit found at a border post offline, sent when it is back online."""

    model_config = ConfigDict(extra="forbid")

    package_id: str
    record_id: str
    kind: Literal["document", "person"]
    checked_at: datetime
    traveller: TravellerIn
