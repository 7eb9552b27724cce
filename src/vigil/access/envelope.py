"""The envelope every shared record carries: owner, audience, handling, review date, provenance."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    computed_field,
    model_serializer,
    model_validator,
)

from vigil.core import clock
from vigil.core.countries import is_member
from vigil.errors import InvalidInput


class AudienceKind(StrEnum):
    ALL = "all"
    ONLY = "only"
    EXCEPT = "except"
    NETWORKS = "networks"


class Audience(BaseModel):
    """Who besides the owner may see a record.

    In JSON: ``"all"``, ``{"only": ["FRA"]}``, ``{"except": ["DEU"]}`` or ``{"networks": [id]}``.
    """

    model_config = ConfigDict(frozen=True)

    kind: AudienceKind
    codes: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _from_json(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value != "all":
                raise ValueError('audience is "all" or an object such as {"only": ["FRA"]}')
            return {"kind": "all"}
        if isinstance(value, dict) and "kind" not in value:
            if len(value) != 1:
                raise ValueError("audience names exactly one of only, except, networks")
            ((kind, codes),) = value.items()
            if kind not in {"only", "except", "networks"}:
                raise ValueError(f"unknown audience {kind!r}; use only, except or networks")
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                raise ValueError(f"audience {kind} takes a list of codes")
            return {"kind": kind, "codes": tuple(dict.fromkeys(codes))}
        return value

    @model_validator(mode="after")
    def _codes_fit_kind(self) -> Audience:
        if self.kind is AudienceKind.ALL and self.codes:
            raise ValueError('audience "all" names no codes')
        if self.kind in (AudienceKind.ONLY, AudienceKind.NETWORKS) and not self.codes:
            raise ValueError(f"audience {self.kind.value} needs at least one code")
        if self.kind in (AudienceKind.ONLY, AudienceKind.EXCEPT):
            unknown = [c for c in self.codes if not is_member(c)]
            if unknown:
                raise ValueError(f"not members: {', '.join(unknown)}")
        return self

    @model_serializer
    def _to_json(self) -> Any:
        if self.kind is AudienceKind.ALL:
            return "all"
        return {self.kind.value: list(self.codes)}

    @classmethod
    def everyone(cls) -> Audience:
        return cls(kind=AudienceKind.ALL)

    @classmethod
    def only(cls, *codes: str) -> Audience:
        return cls(kind=AudienceKind.ONLY, codes=codes)


Handling = Literal["H0", "H1", "H2", "H3"]

# Europol's handling codes, shown wherever a record is shown.
HANDLING_MEANING: dict[str, str] = {
    "H0": "Police use only: to prevent and combat crime.",
    "H1": "Not for use in court without the owner's consent.",
    "H2": "No onward sharing without the owner's consent.",
    "H3": "Other restrictions (see text).",
}


class Provenance(BaseModel):
    """Where the information came from, with the 4x4 grading where the owner gave one."""

    model_config = ConfigDict(frozen=True)

    source_agency: str | None = Field(default=None, max_length=200)
    owner_ref: str | None = Field(default=None, max_length=200)
    source_reliability: Literal["A", "B", "C", "X"] | None = None
    information_credibility: Literal["1", "2", "3", "4"] | None = None


class EnvelopeIn(BaseModel):
    """What the owner says about a record when it shares it (defaults: everyone, H0, 5 years)."""

    model_config = ConfigDict(extra="forbid")

    audience: Audience = Field(default_factory=Audience.everyone)
    handling: Handling = "H0"
    handling_text: str | None = Field(default=None, max_length=2000)
    review_by: date | None = None
    provenance: Provenance = Field(default_factory=Provenance)

    @model_validator(mode="after")
    def _h3_has_text(self) -> EnvelopeIn:
        problem = handling_problem(self.handling, self.handling_text)
        if problem is not None:
            raise ValueError(problem)
        return self


def handling_problem(handling: str, text: str | None) -> str | None:
    """What is wrong with a handling code and its text, if anything (H3 must say its terms)."""
    if handling == "H3" and not (text or "").strip():
        return "handling H3 needs handling_text stating the restriction"
    return None


class Envelope(BaseModel):
    """A stored record's envelope, as every path shows it."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    owner: str
    title: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    audience: Audience
    handling: Handling
    handling_text: str | None = None
    review_by: date
    provenance: Provenance = Field(default_factory=Provenance)
    deleted: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def review_overdue(self) -> bool:
        """Past its review date: flagged everywhere and left out of screening."""
        return self.review_by < clock.today()


def default_review_by(max_years: int, today: date | None = None) -> date:
    """The latest review date allowed for a record created today."""
    today = today or clock.today()
    try:
        return today.replace(year=today.year + max_years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + max_years, day=28)


def checked_review_by(requested: date | None, max_years: int, today: date | None = None) -> date:
    """The review date to store: in the future and no later than ``max_years`` from today."""
    today = today or clock.today()
    latest = default_review_by(max_years, today)
    if requested is None:
        return latest
    if requested <= today:
        raise InvalidInput("review_by must be a date in the future.")
    if requested > latest:
        raise InvalidInput(f"review_by may be at most {max_years} years ahead ({latest}).")
    return requested
