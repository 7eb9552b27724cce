"""What each notice and diffusion type must say, and what it may not."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.notices.models import DiffusionType, NoticeFields, NoticeType

# A Red Notice asks for an arrest with a view to extradition: only for an offence punishable
# by at least two years, or a sentence with at least six months left (INTERPOL's RPD, art. 83).
RED_MIN_PENALTY_YEARS = 2.0
RED_MIN_REMAINING_MONTHS = 6.0

_COMMON = frozenset({"summary", "refugee_status"})


@dataclass(frozen=True)
class Kind:
    """The rules of one type."""

    label: str
    person: str  # "required", "optional"
    required: tuple[str, ...]  # fields that must be given (a tuple inside: any one of them)
    allowed: frozenset[str]
    any_of: tuple[tuple[str, ...], ...] = ()


_RED = Kind(
    label="Red: wanted for arrest",
    person="required",
    required=("charges", "warrant_reference"),
    any_of=(("max_penalty_years", "sentence_remaining_months"),),
    allowed=_COMMON
    | {
        "charges", "warrant_reference", "warrant_issued_by", "warrant_date", "law",
        "max_penalty_years", "sentence_remaining_months",
    },
)  # fmt: skip
_YELLOW = Kind(
    label="Yellow: missing person",
    person="required",
    required=("circumstances",),
    allowed=_COMMON | {"circumstances", "minor", "missing_since", "last_seen_place"},
)
_BLUE = Kind(
    label="Blue: locate and collect information",
    person="required",
    required=("information_sought",),
    allowed=_COMMON | {"information_sought", "charges", "last_seen_place"},
)
_GREEN = Kind(
    label="Green: warning about criminal activity",
    person="required",
    required=("criminal_activity",),
    allowed=_COMMON | {"criminal_activity", "charges"},
)

KINDS: dict[str, Kind] = {
    NoticeType.RED: _RED,
    NoticeType.YELLOW: _YELLOW,
    NoticeType.BLUE: _BLUE,
    NoticeType.BLACK: Kind(
        label="Black: unidentified body",
        person="optional",
        required=("circumstances", "found_place"),
        allowed=_COMMON | {"circumstances", "found_date", "found_place"},
    ),
    NoticeType.GREEN: _GREEN,
    NoticeType.ORANGE: Kind(
        label="Orange: imminent threat",
        person="optional",
        required=("threat",),
        allowed=_COMMON | {"threat", "objects", "modus_operandi"},
    ),
    NoticeType.PURPLE: Kind(
        label="Purple: modus operandi",
        person="optional",
        required=("modus_operandi",),
        allowed=_COMMON | {"modus_operandi", "objects", "concealment"},
    ),
    NoticeType.UN_SPECIAL: Kind(
        label="INTERPOL-UN Security Council Special Notice",
        person="optional",
        required=("un_committee", "un_reference", "sanctions"),
        allowed=_COMMON | {"un_committee", "un_reference", "sanctions"},
    ),
    # Diffusions follow the notice they stand in for.
    DiffusionType.WANTED: _RED,
    DiffusionType.MISSING: _YELLOW,
    DiffusionType.INFORMATION: _BLUE,
    DiffusionType.WARNING: _GREEN,
}

# Types whose owner may ask for a public extract.
PUBLIC_TYPES = frozenset({NoticeType.RED, NoticeType.YELLOW})


def given(fields: NoticeFields) -> set[str]:
    """The fields that say something (empty lists and blank strings do not)."""
    found = set()
    for name in NoticeFields.model_fields:
        value = getattr(fields, name)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            continue
        found.add(name)
    return found


def problems(type_: str, fields: NoticeFields, *, person_id: str | None) -> list[str]:
    """What keeps ``fields`` from being a valid notice of ``type_``; empty when valid."""
    kind = KINDS[type_]
    found = given(fields)
    out: list[str] = []
    if kind.person == "required" and person_id is None:
        out.append(f"a {type_} notice is about a person: give person_id")
    missing = [name for name in kind.required if name not in found]
    if missing:
        out.append(f"{type_} needs {', '.join(missing)}")
    for names in kind.any_of:
        if not found.intersection(names):
            out.append(f"{type_} needs one of {', '.join(names)}")
    extra = sorted(found - kind.allowed)
    if extra:
        out.append(f"{type_} does not take {', '.join(extra)}")
    return out
