"""Person records (the nominal database) and the screening of names against them."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from vigil.access.envelope import Envelope, EnvelopeIn
from vigil.notices.models import NoticeRef


class Category(StrEnum):
    WANTED = "wanted"
    MISSING = "missing"
    SUSPECT = "suspect"
    VICTIM = "victim"
    WITNESS = "witness"
    # A body or a living person whose identity is unknown (INTERPOL's Black Notice cases).
    UNIDENTIFIED = "unidentified"
    # A child or vulnerable adult a member fears will be trafficked abroad: a check (at
    # departure above all) is a protect-the-person hit, never an arrest.
    AT_RISK = "at_risk"


NameKind = Literal["original", "latin", "alias", "nickname", "maiden", "former"]

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def checked_partial_date(value: str) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, each part a real one; else ``ValueError``."""
    if not _PARTIAL_DATE.match(value):
        raise ValueError("a birth date is YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")]
    if not 1850 <= parts[0] <= 2100:
        raise ValueError(f"birth year {parts[0]} is out of range")
    date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return value


class Name(BaseModel):
    """One name of a person, in any script, with its parts where the owner knows them."""

    model_config = ConfigDict(extra="forbid")

    full: str = Field(min_length=1, max_length=300)
    kind: NameKind = "original"
    given: str | None = Field(default=None, max_length=200)
    family: str | None = Field(default=None, max_length=200)
    patronymic: str | None = Field(default=None, max_length=200)
    matronymic: str | None = Field(default=None, max_length=200)
    script: str | None = Field(default=None, max_length=4, description="ISO 15924; detected.")

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"full": value} if isinstance(value, str) else value

    @field_validator("full")
    @classmethod
    def _has_letters(cls, value: str) -> str:
        if not any(c.isalpha() for c in value):
            raise ValueError("a name needs at least one letter")
        return value.strip()


class Identifier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = Field(min_length=1, max_length=40, description="passport, national_id...")
    number: str = Field(min_length=1, max_length=60)
    issuing_state: str | None = Field(default=None, max_length=3)


class PersonDetails(BaseModel):
    """What a record says about a person besides names, birth, sex and nationality."""

    model_config = ConfigDict(extra="forbid")

    birth_date_to: str | None = Field(default=None, description="End of a birth date range.")
    place_of_birth: str | None = Field(default=None, max_length=200)
    identifiers: list[Identifier] = Field(default_factory=list, max_length=50)
    languages: list[str] = Field(default_factory=list, max_length=20)
    distinguishing_marks: str | None = Field(default=None, max_length=2000)
    phones: list[str] = Field(default_factory=list, max_length=50)
    emails: list[str] = Field(default_factory=list, max_length=50)
    addresses: list[str] = Field(default_factory=list, max_length=50)
    bank_accounts: list[str] = Field(default_factory=list, max_length=50)
    minor: bool | None = None


class PersonIn(EnvelopeIn, PersonDetails):
    """A person record as the owner files it: names (any script; the first is primary)."""

    model_config = ConfigDict(extra="forbid")

    names: list[Name] = Field(min_length=1, max_length=50)
    birth_date: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    sex: Literal["M", "F", "X"] | None = None
    nationalities: list[str] = Field(default_factory=list, max_length=10)
    category: Category

    @field_validator("birth_date", "birth_date_to")
    @classmethod
    def _partial(cls, value: str | None) -> str | None:
        return None if value is None else checked_partial_date(value)

    def details(self) -> PersonDetails:
        return PersonDetails.model_validate(
            self.model_dump(include=set(PersonDetails.model_fields))
        )


class Person(BaseModel):
    """A person record as members see it."""

    id: str
    names: list[Name]
    birth_date: str | None = None
    sex: str | None = None
    nationalities: list[str] = []
    category: Category
    details: PersonDetails
    envelope: Envelope

    @property
    def primary_name(self) -> str:
        return self.names[0].full


class ScreenQuery(BaseModel):
    """A name to screen, with what else the officer knows of the traveller."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    birth_date: str | None = None
    nationality: str | None = Field(default=None, min_length=3, max_length=3)
    sex: Literal["M", "F", "X"] | None = None
    document_number: str | None = Field(default=None, max_length=60)
    limit: int = Field(default=10, ge=1, le=100)

    @field_validator("birth_date")
    @classmethod
    def _partial(cls, value: str | None) -> str | None:
        return None if value is None else checked_partial_date(value)

    @field_validator("name")
    @classmethod
    def _has_letters(cls, value: str) -> str:
        if not any(c.isalpha() for c in value):
            raise ValueError("a name needs at least one letter")
        return value


class Evidence(BaseModel):
    """One scored piece of evidence: what was compared, its weight, and why, in one line."""

    feature: Literal["name", "name_part", "birth_date", "sex", "nationality", "identifier"]
    weight: float
    explanation: str


class Candidate(BaseModel):
    """A record the name may be, with a calibrated score and the evidence that decided it."""

    id: str
    score: float
    hit: bool
    hit_id: str | None = None
    owner: str
    category: Category
    name: str
    matched_name: str
    birth_date: str | None = None
    nationalities: list[str] = []
    explanation: list[Evidence]
    notices: list[NoticeRef] = Field(
        default=[], description="Notices in force about the record that the caller was told of."
    )


class Screening(BaseModel):
    candidates: list[Candidate]
    threshold: float


class PartnerScreening(BaseModel):
    """All a partner learns: hit or none."""

    result: Literal["hit", "none"]


class BatchScreening(BaseModel):
    results: list[Screening | PartnerScreening]
    hits: int


class EquivalentSource(BaseModel):
    """A table of equivalent name parts loaded into this installation (nicknames, a given
    name across languages and scripts): queries are read with the parts it pairs."""

    source: str = Field(description="The name it was loaded under; loading again replaces it.")
    format: Literal["nicknames", "synonyms"]
    file_name: str | None = None
    pairs_read: int = Field(description="Pairs of names the table lists.")
    pairs_kept: int = Field(
        description="Pairs of name parts kept: those that read as one part each and sound "
        "different (the name engine finds the others alike already)."
    )
    lines_skipped: int
    loaded_at: datetime
    loaded_by: str


class SkippedLine(BaseModel):
    line: int
    reason: str


class EquivalentsLoaded(EquivalentSource):
    """A load's answer: the table as stored, and the first lines that were not pairs."""

    skipped: list[SkippedLine] = []
