"""Networks, threads and messages, intelligence reports and subscriptions."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from vigil.access.envelope import Envelope, EnvelopeIn, Handling
from vigil.core.countries import is_member

# ---- networks ----------------------------------------------------------------------------------


class NetworkKind(StrEnum):
    EXPERT_GROUP = "expert_group"  # policy, trends (INTERPOL's expert group on THB)
    OPERATIONAL = "operational"  # cases, routes (its specialised operational network, SON)


def _members(codes: list[str]) -> list[str]:
    upper = sorted({c.strip().upper() for c in codes})
    unknown = [c for c in upper if not is_member(c) or c == "GS"]
    if unknown:
        raise ValueError(f"not members: {', '.join(unknown)}")
    return upper


class NetworkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    members: list[str] = Field(min_length=1, max_length=250, description="Alpha-3 codes.")
    kind: NetworkKind = NetworkKind.OPERATIONAL
    description: str | None = Field(default=None, max_length=4000)

    @field_validator("members")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return _members(value)


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member: str = Field(min_length=3, max_length=3)

    @field_validator("member")
    @classmethod
    def _known(cls, value: str) -> str:
        return _members([value])[0]


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str
    role: Literal["member", "moderator"] = "member"


class NetworkUser(BaseModel):
    user_id: str
    member: str
    name: str
    role: str


class Network(BaseModel):
    id: str
    name: str
    kind: NetworkKind
    description: str | None
    members: list[str]
    users: list[NetworkUser] = []
    created_at: datetime
    created_by: str


class JoinRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=2000)


class JoinRequest(BaseModel):
    id: str
    network_id: str
    member: str
    requested_by: str
    requested_at: datetime
    reason: str | None
    status: Literal["pending", "approved", "refused"]
    decided_by: str | None = None
    decided_at: datetime | None = None


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approve: bool


# ---- messages ------------------------------------------------------------------------------


class MessageType(StrEnum):
    REQUEST = "request_for_information"
    REPLY = "reply"
    SPONTANEOUS = "spontaneous_information"
    HIT_FOLLOW_UP = "hit_follow_up"
    CORRECTION = "correction"


Language = Literal["en", "fr", "es", "ar"]
Reliability = Literal["A", "B", "C", "X"]
Credibility = Literal["1", "2", "3", "4"]

# Attachments: at most this big, of these types (documents and images officers exchange).
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = frozenset({
    "application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
})  # fmt: skip


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    media_type: str
    content_base64: str = Field(description="The file, base64 (at most 5 MB once decoded).")

    @field_validator("media_type")
    @classmethod
    def _allowed(cls, value: str) -> str:
        if value not in ATTACHMENT_TYPES:
            raise ValueError(f"attachments are one of {', '.join(sorted(ATTACHMENT_TYPES))}")
        return value


class MessageIn(BaseModel):
    """A message as sent: its type's fields, its handling code and grading."""

    model_config = ConfigDict(extra="forbid")

    type: MessageType
    text: str = Field(min_length=1, max_length=20_000)
    language: Language | None = None
    handling: Handling = "H0"
    handling_text: str | None = Field(default=None, max_length=2000)
    source_reliability: Reliability | None = None
    information_credibility: Credibility | None = None
    # request_for_information
    questions: list[str] = Field(default_factory=list, max_length=30)
    reply_by: date | None = None
    # reply and correction
    in_reply_to: str | None = None
    corrects: str | None = None
    # hit_follow_up
    hit_id: str | None = None
    case_reference: str | None = Field(default=None, max_length=200)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _fields_of_type(self) -> MessageIn:
        needs = {
            MessageType.REQUEST: ("questions", "a request for information asks questions"),
            MessageType.REPLY: ("in_reply_to", "a reply names the message it answers"),
            MessageType.HIT_FOLLOW_UP: ("hit_id", "a hit follow-up names its hit"),
            MessageType.CORRECTION: ("corrects", "a correction names the message it corrects"),
        }
        if self.type in needs:
            name, why = needs[self.type]
            if not getattr(self, name):
                raise ValueError(f"{why} ({name})")
        if self.handling == "H3" and not (self.handling_text or "").strip():
            raise ValueError("handling H3 needs handling_text stating the restriction")
        return self

    def fields(self) -> dict[str, Any]:
        """The type's own fields, as stored."""
        return self.model_dump(
            mode="json",
            include={"questions", "reply_by", "in_reply_to", "corrects", "hit_id",
                     "case_reference"},
            exclude_defaults=True,
        )  # fmt: skip


class ThreadIn(BaseModel):
    """A new thread: to members, or to a network; about a record, perhaps."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=300)
    to: list[str] = Field(default_factory=list, max_length=250)
    network_id: str | None = None
    about: str | None = Field(default=None, description="A record the thread discusses.")
    message: MessageIn

    @model_validator(mode="after")
    def _one_audience(self) -> ThreadIn:
        if bool(self.to) == bool(self.network_id):
            raise ValueError("a thread goes to members (to) or to a network (network_id)")
        if self.to:
            self.to = _members(self.to)
        return self


class Attachment(BaseModel):
    sha256: str
    name: str
    media_type: str
    size: int


class Receipt(BaseModel):
    user_id: str
    member: str
    read_at: datetime


class Message(BaseModel):
    id: str
    thread_id: str
    type: MessageType
    fields: dict[str, Any]
    text: str
    language: str | None
    sender: str
    member: str
    sent_at: datetime
    handling: str
    handling_text: str | None
    handling_meaning: str
    grading: str | None = Field(description="Source reliability and information credibility.")
    corrects: str | None = None
    corrected_by: list[str] = []
    attachments: list[Attachment] = []
    read_by: list[Receipt] = []
    thread_subject: str | None = Field(default=None, description="Given in search results.")


class Thread(BaseModel):
    id: str
    subject: str
    network_id: str | None
    about: str | None
    envelope: Envelope
    last_at: datetime
    messages: list[Message] = []


# ---- intelligence reports -------------------------------------------------------------------


class ReportKind(StrEnum):
    THREAT = "threat"
    TREND = "trend"
    ROUTE = "route"
    MODUS_OPERANDI = "modus_operandi"


class CrimeArea(StrEnum):
    SEXUAL_EXPLOITATION = "trafficking_sexual_exploitation"
    FORCED_LABOUR = "forced_labour"
    FORCED_CRIMINALITY = "forced_criminality"
    ORGAN_REMOVAL = "organ_removal"
    FORCED_MARRIAGE = "forced_marriage"
    MIGRANT_SMUGGLING = "migrant_smuggling"
    DOCUMENT_FRAUD = "document_fraud"
    MONEY_LAUNDERING = "money_laundering"
    DRUGS = "drugs"
    CYBERCRIME = "cybercrime"
    TERRORISM = "terrorism"


class TransportMode(StrEnum):
    ROAD = "road"
    SEA = "sea"
    AIR = "air"
    RAIL = "rail"
    FOOT = "foot"
    RIVER = "river"


class Indicator(StrEnum):
    ONLINE_ADS = "recruitment_online_ads"
    SOCIAL_MEDIA = "recruitment_social_media"
    DEBT_BONDAGE = "debt_bondage"
    DOCUMENTS_CONFISCATED = "confiscated_documents"
    FRAUDULENT_DOCUMENTS = "fraudulent_documents"
    FALSE_JOB_OFFERS = "false_job_offers"
    RESTRICTED_MOVEMENT = "restricted_movement"
    CASH_COURIERS = "cash_couriers"
    HAWALA = "hawala"
    SAFE_HOUSES = "safe_houses"


class Leg(BaseModel):
    """One leg of a route: from a country to the next, how, and where it crosses."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from", min_length=3, max_length=3)
    to: str = Field(min_length=3, max_length=3)
    mode: TransportMode
    crossing: str | None = Field(default=None, max_length=200, description="Border crossing.")

    @field_validator("from_", "to")
    @classmethod
    def _country(cls, value: str) -> str:
        return _members([value])[0]


class Linked(BaseModel):
    model_config = ConfigDict(extra="forbid")

    persons: list[str] = Field(default_factory=list, max_length=200)
    documents: list[str] = Field(default_factory=list, max_length=200)
    notices: list[str] = Field(default_factory=list, max_length=200)


class ReportIn(EnvelopeIn):
    """An intelligence report as its owner writes it."""

    model_config = ConfigDict(extra="forbid")

    kind: ReportKind
    title: str | None = Field(default=None, max_length=300)
    crime_areas: list[CrimeArea] = Field(min_length=1)
    countries: list[str] = Field(default_factory=list, max_length=250)
    route: list[Leg] = Field(default_factory=list, max_length=50)
    period_from: date | None = None
    period_to: date | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    other_indicators: list[str] = Field(default_factory=list, max_length=30)
    linked: Linked = Field(default_factory=Linked)
    text: str = Field(min_length=1, max_length=50_000)
    language: Language | None = None

    @field_validator("countries")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return _members(value) if value else []

    @model_validator(mode="after")
    def _route_and_period(self) -> ReportIn:
        if self.kind is ReportKind.ROUTE and not self.route:
            raise ValueError("a route report has its legs (route)")
        for before, after in zip(self.route, self.route[1:], strict=False):
            if before.to != after.from_:
                raise ValueError(f"the route breaks between {before.to} and {after.from_}")
        if self.period_from and self.period_to and self.period_from > self.period_to:
            raise ValueError("period_from is after period_to")
        return self

    def all_countries(self) -> list[str]:
        named = set(self.countries)
        for leg in self.route:
            named.update((leg.from_, leg.to))
        return sorted(named)


class Report(BaseModel):
    id: str
    kind: ReportKind
    title: str
    crime_areas: list[CrimeArea]
    countries: list[str]
    route: list[Leg]
    period_from: date | None
    period_to: date | None
    indicators: list[str]
    linked: Linked
    text: str
    language: str | None
    published_at: datetime
    thread_id: str | None = None
    envelope: Envelope

    model_config = ConfigDict(populate_by_name=True)


class SubscriptionIn(BaseModel):
    """What a member wants to hear of: reports of these kinds, naming these countries, in these
    crime areas; an empty list means any."""

    model_config = ConfigDict(extra="forbid")

    countries: list[str] = Field(default_factory=list, max_length=250)
    kinds: list[ReportKind] = Field(default_factory=list)
    crime_areas: list[CrimeArea] = Field(default_factory=list)

    @field_validator("countries")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return _members(value) if value else []


class Subscription(SubscriptionIn):
    id: str
    member: str
    created_by: str
    created_at: datetime
