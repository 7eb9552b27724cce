"""The notice and diffusion forms: one per type, showing the fields its type takes
(``notices.kinds``) with the limits the model sets, and kept as typed when refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from vigil.access.envelope import AudienceKind
from vigil.notices.kinds import KINDS, PUBLIC_TYPES
from vigil.notices.models import DiffusionIn, Notice, NoticeFields, NoticeIn
from vigil.web.forms import Problem, problems_of

_CODES = re.compile(r"[\s,;]+")
M = TypeVar("M", bound=BaseModel)

# How the form asks for each of a notice's fields ("lines": one entry a line); the limits
# (maxlength, min, max) come from the model.
WIDGETS: dict[str, str] = {
    "summary": "textarea",
    "charges": "lines",
    "warrant_reference": "text",
    "warrant_issued_by": "text",
    "warrant_date": "date",
    "law": "textarea",
    "max_penalty_years": "number",
    "sentence_remaining_months": "number",
    "circumstances": "textarea",
    "minor": "checkbox",
    "missing_since": "date",
    "last_seen_place": "text",
    "found_date": "date",
    "found_place": "text",
    "information_sought": "textarea",
    "criminal_activity": "textarea",
    "threat": "textarea",
    "modus_operandi": "textarea",
    "objects": "lines",
    "concealment": "textarea",
    "un_committee": "text",
    "un_reference": "text",
    "sanctions": "choices",
    "refugee_status": "checkbox",
}
SANCTIONS = ("asset_freeze", "travel_ban", "arms_embargo")


class Refused(Exception):
    """The form does not describe a valid notice: the problems, each by its input."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message or p.code for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Input:
    """One of the notice's fields as the form draws it."""

    name: str
    widget: str
    required: bool
    value: Any
    maxlength: int | None = None
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Fields of which at least one must be given (``Kind.any_of``)."""

    key: str
    inputs: list[Input]


class NoticeForm(BaseModel):
    """The notice or diffusion form as typed, all text: shown again as it was when refused."""

    csrf_token: str = ""
    type: str = ""
    person_id: str = ""
    public_extract: str = ""
    audience: str = "all"
    audience_codes: str = ""
    to: str = ""
    handling: str = "H0"
    handling_text: str = ""
    # The notice's own fields, as WIDGETS draws them.
    summary: str = ""
    charges: str = ""
    warrant_reference: str = ""
    warrant_issued_by: str = ""
    warrant_date: str = ""
    law: str = ""
    max_penalty_years: str = ""
    sentence_remaining_months: str = ""
    circumstances: str = ""
    minor: str = ""
    missing_since: str = ""
    last_seen_place: str = ""
    found_date: str = ""
    found_place: str = ""
    information_sought: str = ""
    criminal_activity: str = ""
    threat: str = ""
    modus_operandi: str = ""
    objects: str = ""
    concealment: str = ""
    un_committee: str = ""
    un_reference: str = ""
    sanctions: list[str] = []
    refugee_status: str = ""

    @classmethod
    def of(cls, notice: Notice) -> NoticeForm:
        """The form as a notice fills it, for its owner to change (the pending changes of a
        published notice, where there are some)."""
        audience = notice.requested_audience
        typed: dict[str, Any] = {
            "type": notice.type,
            "person_id": notice.person_id or "",
            "public_extract": "on" if notice.public_extract else "",
            "audience": audience.kind.value,
            "audience_codes": " ".join(audience.codes),
            "handling": notice.envelope.handling,
            "handling_text": notice.envelope.handling_text or "",
        }
        fields = notice.pending or notice.fields
        for name, widget in WIDGETS.items():
            typed[name] = _typed(widget, getattr(fields, name))
        return cls.model_validate(typed)

    def shown(self) -> list[Input | Group]:
        """The inputs of the form's type, in the model's order, each group where it starts."""
        kind = KINDS[self.type]
        groups = {name: names for names in kind.any_of for name in names}
        rows: list[Input | Group] = []
        for name in NoticeFields.model_fields:
            if name not in kind.allowed or (name in groups and name != groups[name][0]):
                continue
            if name in groups:
                inputs = [self._input(member, required=False) for member in groups[name]]
                rows.append(Group(group_key(groups[name]), inputs))
            else:
                rows.append(self._input(name, required=name in kind.required))
        return rows

    def notice_in(self) -> NoticeIn:
        """The notice the form describes; ``Refused`` names the inputs at fault."""
        body = {**self._fields(), "type": self.type, "audience": self._audience()}
        body["public_extract"] = bool(self.public_extract) and self.type in PUBLIC_TYPES
        return _validated(NoticeIn, body, self._missing())

    def diffusion_in(self) -> DiffusionIn:
        """The diffusion the form describes; ``Refused`` names the inputs at fault."""
        body = {**self._fields(), "type": self.type, "to": _codes(self.to)}
        problems = self._missing() + ([] if body["to"] else [Problem("to", code="required")])
        return _validated(DiffusionIn, body, problems)

    def _fields(self) -> dict[str, Any]:
        kind = KINDS.get(self.type)
        allowed = kind.allowed if kind else frozenset()
        body: dict[str, Any] = {"handling": self.handling}
        body |= {name: value for name in allowed if (value := self._value(name)) is not None}
        optional = {"person_id": self.person_id.strip(), "handling_text": self.handling_text}
        body |= {name: value for name, value in optional.items() if value.strip()}
        return body

    def _missing(self) -> list[Problem]:
        """What the type needs and the form leaves empty: the page's own ``required``
        constraints, checked again here, since a browser may skip them."""
        kind = KINDS.get(self.type)
        if kind is None:
            return []  # the model names the unknown type
        problems = []
        if kind.person == "required" and not self.person_id.strip():
            problems.append(Problem("person_id", code="required"))
        problems += [Problem(n, code="required") for n in kind.required if self._value(n) is None]
        for names in kind.any_of:
            if all(self._value(name) is None for name in names):
                problems.append(Problem(group_key(names), code="any_of"))
        return problems

    def _value(self, name: str) -> Any:
        """A field as the model reads it; None when the form leaves it empty."""
        widget = WIDGETS[name]
        if widget == "choices":
            return list(self.sanctions) or None
        raw = str(getattr(self, name)).strip()
        if widget == "lines":
            return [line.strip() for line in raw.splitlines() if line.strip()] or None
        if widget == "checkbox":
            return True if raw else None
        return raw or None

    def _audience(self) -> Any:
        if self.audience == AudienceKind.ALL:
            return "all"
        return {self.audience: _codes(self.audience_codes)}

    def _input(self, name: str, *, required: bool) -> Input:
        limits: dict[str, Any] = {}
        for rule in NoticeFields.model_fields[name].metadata:  # annotated_types Ge, Le, MaxLen
            if hasattr(rule, "ge"):
                limits["min"] = rule.ge
            if hasattr(rule, "le"):
                limits["max"] = rule.le
            # A list's max_length counts its entries, not characters.
            if hasattr(rule, "max_length") and WIDGETS[name] in ("text", "textarea"):
                limits["maxlength"] = rule.max_length
        return Input(name, WIDGETS[name], required, getattr(self, name), **limits)


def group_key(names: tuple[str, ...]) -> str:
    """How the form names a group of fields (its problems, its error message)."""
    return "_or_".join(names)


def _codes(text: str) -> list[str]:
    return [code for code in _CODES.split(text.upper()) if code]


def _typed(widget: str, value: Any) -> Any:
    """A stored field as the form shows it."""
    if value is None:
        return [] if widget == "choices" else ""
    if widget == "choices":
        return list(value)
    if widget == "lines":
        return "\n".join(value)
    if widget == "checkbox":
        return "on" if value else ""
    if widget == "number":
        return f"{value:g}"
    return str(value)


def _validated(model: type[M], body: dict[str, Any], problems: list[Problem]) -> M:
    """The model ``body`` describes, unless it or the form's own checks find problems."""
    try:
        made = model.model_validate(body)
    except ValidationError as exc:
        raise Refused(problems + problems_of(exc)) from None
    if problems:
        raise Refused(problems)
    return made
