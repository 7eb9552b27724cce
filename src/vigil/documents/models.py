"""Travel document reports (SLTD) and the checks made against them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vigil.access.envelope import Envelope, EnvelopeIn
from vigil.notices.models import NoticeRef


class DocumentType(StrEnum):
    PASSPORT = "passport"
    ID_CARD = "id_card"
    VISA = "visa"
    RESIDENCE_PERMIT = "residence_permit"
    # Seafarer's identity documents, refugee and stateless travel documents (1951 and 1954
    # conventions), emergency passports: anything else a state issues for travel.
    TRAVEL_DOCUMENT = "travel_document"
    BLANK = "blank"


class DocumentStatus(StrEnum):
    STOLEN = "stolen"
    LOST = "lost"
    REVOKED = "revoked"
    INVALIDATED = "invalidated"
    STOLEN_BLANK = "stolen_blank"


class Action(StrEnum):
    """What the officer in front of the document should do, by the report's status."""

    SEIZE = "seize"
    VERIFY_HOLDER = "verify_holder"
    REFUSE = "refuse"


ACTION_TEXT = {
    Action.SEIZE: (
        "Reported stolen: hold the document and the traveller for questioning, seize the "
        "document, and contact the owning NCB to confirm the report before acting further."
    ),
    Action.VERIFY_HOLDER: (
        "Reported lost: the person presenting it may not be its holder. Verify identity, and "
        "contact the owning NCB to confirm the report before acting further."
    ),
    Action.REFUSE: (
        "Revoked or invalidated by the issuing state: do not accept it as a travel document, "
        "and contact the owning NCB to confirm the report."
    ),
}

_ACTIONS = {
    DocumentStatus.STOLEN: Action.SEIZE,
    DocumentStatus.STOLEN_BLANK: Action.SEIZE,
    DocumentStatus.LOST: Action.VERIFY_HOLDER,
    DocumentStatus.REVOKED: Action.REFUSE,
    DocumentStatus.INVALIDATED: Action.REFUSE,
}


def action_for(status: DocumentStatus) -> Action:
    return _ACTIONS[status]


class Holder(BaseModel):
    """The holder the document was issued to, where the issuing state gives it."""

    model_config = ConfigDict(extra="forbid")

    surname: str | None = Field(default=None, max_length=120)
    given_names: str | None = Field(default=None, max_length=120)
    birth_date: date | None = None


class DocumentReportIn(EnvelopeIn):
    """A report filed by the issuing state: the document, its status, and the envelope."""

    model_config = ConfigDict(extra="forbid")

    number: str = Field(min_length=1, max_length=40)
    issuing_state: str = Field(min_length=1, max_length=3, description="ISO 3166-1 alpha-3.")
    type: DocumentType
    status: DocumentStatus
    reported_on: date | None = Field(default=None, description="When it was lost or stolen.")
    expiry_date: date | None = None
    holder: Holder | None = None
    mrz: str | None = Field(default=None, max_length=100, description="Lines joined by newlines.")

    @model_validator(mode="after")
    def _blank_is_stolen_blank(self) -> DocumentReportIn:
        # Blank booklets have no holder: SLTD records them only as stolen blanks.
        if (self.type is DocumentType.BLANK) != (self.status is DocumentStatus.STOLEN_BLANK):
            raise ValueError("a blank document is reported with status stolen_blank, and only it")
        return self


class DocumentReportChange(BaseModel):
    """Corrections an owner may make; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    number: str | None = Field(default=None, min_length=1, max_length=40)
    type: DocumentType | None = None
    status: DocumentStatus | None = None
    reported_on: date | None = None
    expiry_date: date | None = None
    holder: Holder | None = None


class DocumentReport(BaseModel):
    """A report as members see it: the document, its status and the record's envelope."""

    id: str
    number: str
    issuing_state: str
    type: DocumentType
    status: DocumentStatus
    reported_on: date | None = None
    expiry_date: date | None = None
    holder: Holder | None = None
    mrz: str | None = None
    recovered_at: datetime | None = None
    envelope: Envelope

    @property
    def live(self) -> bool:
        """Whether the report still takes part in checks (not recovered, not withdrawn)."""
        return self.recovered_at is None and not self.envelope.deleted


class DocumentQuery(BaseModel):
    """One document to check: a number and issuing state, or a machine readable zone."""

    model_config = ConfigDict(extra="forbid")

    number: str | None = Field(default=None, min_length=1, max_length=40)
    issuing_state: str | None = Field(default=None, min_length=1, max_length=3)
    mrz: str | None = Field(default=None, min_length=1, max_length=400)

    @model_validator(mode="after")
    def _one_way(self) -> DocumentQuery:
        if self.mrz is None and (self.number is None or self.issuing_state is None):
            raise ValueError("give number and issuing_state, or mrz")
        if self.mrz is not None and self.number is not None:
            raise ValueError("give number and issuing_state, or mrz, not both")
        return self


MatchKind = Literal["hit", "possible"]
Result = Literal["hit", "possible", "none"]


class DocumentMatch(BaseModel):
    """One report the document matched, with the hit record made of it."""

    match: MatchKind
    hit_id: str
    owner: str
    action: Action
    action_text: str
    report: DocumentReport


class NoticeMatch(BaseModel):
    """A notice in force that names the document checked (its holder is sought)."""

    match: MatchKind
    hit_id: str
    notice: NoticeRef
    document_type: str


class DocumentCheck(BaseModel):
    """The answer to one check. ``result`` is the strongest match (hit over possible), over
    the reports and the notices naming the document."""

    result: Result
    number: str
    issuing_state: str
    mrz_valid: bool | None = None
    matches: list[DocumentMatch] = []
    notices: list[NoticeMatch] = []


class PartnerCheck(BaseModel):
    """All a partner (airline, NGO, hotel) learns: hit or none (I-Checkit)."""

    result: Literal["hit", "none"]


class BatchCheck(BaseModel):
    """Answers in the order asked, and how many of each result."""

    results: list[DocumentCheck | PartnerCheck]
    hits: int
    possible: int
    none: int
