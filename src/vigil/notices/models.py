"""Notices and diffusions as members request, review and read them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from vigil.access.envelope import Audience, AudienceKind, Envelope, EnvelopeIn


class NoticeType(StrEnum):
    RED = "red"  # wanted: arrest with a view to extradition
    YELLOW = "yellow"  # missing person
    BLUE = "blue"  # locate a person and collect information
    BLACK = "black"  # unidentified body
    GREEN = "green"  # warning about a person's criminal activity
    ORANGE = "orange"  # imminent threat
    PURPLE = "purple"  # modus operandi, objects, devices, concealment
    UN_SPECIAL = "un_special"  # INTERPOL-UN Security Council Special Notice


class DiffusionType(StrEnum):
    """A diffusion is sent by a member to the members it chooses, without review first."""

    WANTED = "wanted"
    MISSING = "missing"
    INFORMATION = "information"
    WARNING = "warning"


class Channel(StrEnum):
    NOTICE = "notice"
    DIFFUSION = "diffusion"


class State(StrEnum):
    DRAFT = "draft"
    REQUESTED = "requested"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"  # for more information
    PUBLISHED = "published"
    MODIFIED = "modified"  # published, with the owner's changes awaiting review
    REJECTED = "rejected"
    CANCELLED = "cancelled"  # by the owner, after publication
    WITHDRAWN = "withdrawn"  # a request withdrawn before publication, or a diffusion
    EXPIRED = "expired"  # its review date passed


# States in which a notice is in force: in screening, shown to its audience.
IN_FORCE = frozenset({State.PUBLISHED, State.MODIFIED})
# States a reviewer works on.
AWAITING_REVIEW = frozenset({State.REQUESTED, State.UNDER_REVIEW, State.MODIFIED})


class Decision(StrEnum):
    PUBLISH = "publish"
    REJECT = "reject"
    RETURN = "return"


class DiffusionDecision(StrEnum):
    """A diffusion is reviewed after delivery: it stands, or it is withdrawn."""

    COMPLIANT = "compliant"
    WITHDRAW = "withdraw"


class NoticeFields(BaseModel):
    """What a notice or diffusion says, besides its person: each type needs some of these
    (``notices.kinds``); the others must be left out."""

    model_config = ConfigDict(extra="forbid")

    summary: str | None = Field(default=None, max_length=4000, description="The facts.")
    # Red (and wanted diffusions)
    charges: list[str] = Field(default_factory=list, max_length=30)
    warrant_reference: str | None = Field(default=None, max_length=200)
    warrant_issued_by: str | None = Field(default=None, max_length=200)
    warrant_date: date | None = None
    law: str | None = Field(default=None, max_length=1000, description="Law and articles.")
    max_penalty_years: float | None = Field(default=None, ge=0, le=200)
    sentence_remaining_months: float | None = Field(default=None, ge=0, le=2400)
    # Yellow and Black (and missing diffusions)
    circumstances: str | None = Field(default=None, max_length=4000)
    minor: bool | None = None
    missing_since: date | None = None
    last_seen_place: str | None = Field(default=None, max_length=300)
    found_date: date | None = None
    found_place: str | None = Field(default=None, max_length=300)
    # Blue
    information_sought: str | None = Field(default=None, max_length=4000)
    # Green
    criminal_activity: str | None = Field(default=None, max_length=4000)
    # Orange
    threat: str | None = Field(default=None, max_length=4000)
    # Purple
    modus_operandi: str | None = Field(default=None, max_length=4000)
    objects: list[str] = Field(default_factory=list, max_length=50)
    concealment: str | None = Field(default=None, max_length=2000)
    # UN Special
    un_committee: str | None = Field(default=None, max_length=200)
    un_reference: str | None = Field(default=None, max_length=100)
    sanctions: list[Literal["asset_freeze", "travel_ban", "arms_embargo"]] = Field(
        default_factory=list
    )
    # The requesting member says so when it knows the person holds refugee status: it weighs
    # in the review (INTERPOL's policy on refugees under Article 3 and the 1951 Convention).
    refugee_status: bool | None = None

    @field_validator("charges", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("charges", "objects")
    @classmethod
    def _no_blanks(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value if v.strip()]
        if any(len(v) > 500 for v in cleaned):
            raise ValueError("each entry is at most 500 characters")
        return cleaned


class NoticeIn(EnvelopeIn, NoticeFields):
    """A notice request as the owner drafts it."""

    model_config = ConfigDict(extra="forbid")

    type: NoticeType
    person_id: str | None = Field(default=None, max_length=36)
    public_extract: bool = Field(
        default=False, description="Red and Yellow only: publish an extract at /public/notices."
    )

    @model_validator(mode="after")
    def _public_needs_everyone(self) -> NoticeIn:
        # A public page reaches every member: an extract of a notice some members may not
        # see would leak it to them.
        if self.public_extract and self.audience.kind is not AudienceKind.ALL:
            raise ValueError('a public extract needs the audience "all"')
        return self


class DiffusionIn(EnvelopeIn, NoticeFields):
    """A diffusion: sent at once to the members named in ``to`` (its audience)."""

    model_config = ConfigDict(extra="forbid")

    type: DiffusionType
    person_id: str | None = Field(default=None, max_length=36)
    to: list[str] = Field(min_length=1, max_length=250, description="Members (alpha-3).")

    @model_validator(mode="after")
    def _to_is_the_audience(self) -> DiffusionIn:
        if "audience" in self.model_fields_set:
            raise ValueError('a diffusion\'s audience is its "to" list; leave audience out')
        return self


class DocumentRef(BaseModel):
    """A travel document of the notice's person: checking it at a border shows the notice."""

    type: str
    number: str
    issuing_state: str


class PersonSummary(BaseModel):
    """The notice's person as its audience reads it (the owner publishes this much)."""

    id: str
    names: list[str]
    birth_date: str | None = None
    sex: str | None = None
    nationalities: list[str] = []
    category: str
    documents: list[DocumentRef] = []


class Transition(BaseModel):
    at: datetime
    actor: str
    member: str
    from_state: State | None
    to_state: State
    reasons: str | None = None


class Notice(BaseModel):
    id: str
    channel: Channel
    type: str
    state: State
    person_id: str | None
    person: PersonSummary | None = None
    fields: NoticeFields
    public_extract: bool
    requested_audience: Audience = Field(description="Who sees it once published.")
    published_at: datetime | None = None
    reviewer: str | None = Field(default=None, description="The reviewer who took it up.")
    pending: NoticeFields | None = Field(
        default=None, description="Changes to a published notice awaiting review."
    )
    history: list[Transition] = []
    envelope: Envelope


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    reasons: str = Field(min_length=1, max_length=4000)


class DiffusionReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: DiffusionDecision
    reasons: str = Field(min_length=1, max_length=4000)


class ReasonsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reasons: str = Field(min_length=1, max_length=4000)


CheckStatus = Literal["pass", "flag", "fail"]


class Check(BaseModel):
    """One line of the compliance checklist."""

    id: str
    status: CheckStatus
    message: str
    matches: list[dict[str, Any]] = []


class Checklist(BaseModel):
    notice_id: str
    state: State
    checks: list[Check]

    @property
    def worst(self) -> CheckStatus:
        statuses = {c.status for c in self.checks}
        return "fail" if "fail" in statuses else "flag" if "flag" in statuses else "pass"


class Action(StrEnum):
    """What an actor may do next with a notice (each is one service function)."""

    CHANGE = "change"
    REQUEST = "request"
    WITHDRAW = "withdraw"
    CANCEL = "cancel"
    TAKE_UP = "take_up"
    REVIEW = "review"
    REVIEW_DIFFUSION = "review_diffusion"


class Dossier(BaseModel):
    """A notice as one actor works on it: what it may do next and, for a reviewer, the
    checklist."""

    notice: Notice
    actions: list[Action]
    checklist: Checklist | None = None


class NoticeRef(BaseModel):
    """A notice as a screening hit shows it."""

    id: str
    type: str
    owner: str
    title: str


class PublicExtract(BaseModel):
    """What anyone may read of a Red or Yellow notice whose owner asked for an extract."""

    id: str
    type: str
    requesting_member: str
    names: list[str]
    birth_year: int | None = None
    sex: str | None = None
    nationalities: list[str] = []
    charges: list[str] = []
    circumstances: str | None = None
    minor: bool | None = None
    published_at: datetime
