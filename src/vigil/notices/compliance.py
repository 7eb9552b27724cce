"""The compliance checklist a reviewer sees for each request: computed, never decisive.

Checks, each ``pass``, ``flag`` (the reviewer should look) or ``fail`` (publication is
refused until the owner fixes it):

- ``required_fields``: what the type needs (``notices.kinds``);
- ``threshold``: a Red Notice's penalty threshold (2 years, or 6 months left to serve);
- ``data_quality``: enough identifying particulars to avoid a misidentification;
- ``article3.*``: neutrality risk indicators (``notices.article3``), and known refugee status;
- ``duplicates.notices`` and ``duplicates.persons``: the same person already under a notice,
  or recorded by another member, found with the name engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vigil.notices import article3, kinds
from vigil.notices.models import Check, DiffusionType, Notice, NoticeFields, NoticeType


@dataclass(frozen=True)
class Similar:
    """A record the name engine found like the notice's person."""

    id: str
    owner: str
    name: str
    score: float
    notices: list[str]  # notices in force about it


def checks(notice: Notice, fields: NoticeFields, similar: list[Similar]) -> list[Check]:
    """Every check of the notice as it would be published (``fields``: its text, or the
    changes awaiting review)."""
    found = [
        _required(notice.type, notice.person_id, fields),
        *_threshold(notice.type, fields),
        _data_quality(notice),
        *_article3(notice, fields),
        *_duplicates(notice, similar),
    ]
    return found


def failures(notice_type: str, person_id: str | None, fields: NoticeFields) -> list[Check]:
    """The checks that keep a notice from publication, whoever decides (the rules only, no
    duplicate search)."""
    found = [_required(notice_type, person_id, fields), *_threshold(notice_type, fields)]
    return [c for c in found if c.status == "fail"]


def _required(notice_type: str, person_id: str | None, fields: NoticeFields) -> Check:
    problems = kinds.problems(notice_type, fields, person_id=person_id)
    if problems:
        return Check(id="required_fields", status="fail", message="; ".join(problems) + ".")
    return Check(
        id="required_fields", status="pass", message="Every field the type needs is given."
    )


def _threshold(notice_type: str, fields: NoticeFields) -> list[Check]:
    if notice_type not in (NoticeType.RED, DiffusionType.WANTED):
        return []
    penalty, remaining = fields.max_penalty_years, fields.sentence_remaining_months
    if penalty is not None and penalty >= kinds.RED_MIN_PENALTY_YEARS:
        return [Check(id="threshold", status="pass", message=f"Punishable by {penalty:g} years.")]
    if remaining is not None and remaining >= kinds.RED_MIN_REMAINING_MONTHS:
        return [
            Check(
                id="threshold",
                status="pass",
                message=f"{remaining:g} months of the sentence left to serve.",
            )
        ]
    return [
        Check(
            id="threshold",
            status="fail",
            message=(
                f"Below the threshold: an offence punishable by at least "
                f"{kinds.RED_MIN_PENALTY_YEARS:g} years, or at least "
                f"{kinds.RED_MIN_REMAINING_MONTHS:g} months left to serve."
            ),
        )
    ]


def _data_quality(notice: Notice) -> Check:
    person = notice.person
    if person is None:
        return Check(id="data_quality", status="pass", message="The notice names no person.")
    missing = []
    if not any(len(name.split()) >= 2 for name in person.names):
        missing.append("a forename and a family name")
    if person.birth_date is None:
        missing.append("a birth date (at least the year)")
    if person.sex is None and not person.nationalities:
        missing.append("the sex or a nationality")
    if missing:
        return Check(
            id="data_quality",
            status="flag",
            message="Too few particulars to avoid a misidentification: missing "
            + ", ".join(missing)
            + ".",
        )
    return Check(
        id="data_quality",
        status="pass",
        message="Name, birth date and further particulars are given.",
    )


def _texts(notice: Notice, fields: NoticeFields) -> list[str]:
    values: list[str] = []
    for value in fields.model_dump(exclude_none=True).values():
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, list):
            values.extend(v for v in value if isinstance(v, str))
    return values


def _article3(notice: Notice, fields: NoticeFields) -> list[Check]:
    texts = _texts(notice, fields)
    raised = {indicator.id: words for indicator, words in article3.indicators(texts)}
    out = []
    for indicator in article3.INDICATORS:
        words = raised.get(indicator.id)
        if words:
            out.append(
                Check(
                    id=indicator.id,
                    status="flag",
                    message=f"{indicator.message}: the request says {', '.join(words)}.",
                )
            )
        else:
            out.append(
                Check(id=indicator.id, status="pass", message=f"No sign of: {indicator.message}.")
            )
    refuge = article3.mentions_refuge(texts)
    if fields.refugee_status or refuge:
        said = "the owner states the person holds refugee status" if fields.refugee_status else ""
        if refuge:
            said = "; ".join(filter(None, [said, f"the request says {', '.join(refuge)}"]))
        out.append(
            Check(
                id="article3.refugee",
                status="flag",
                message=f"Refugee status or asylum ({said}): a request about a refugee from "
                "the country they fled is not published.",
            )
        )
    else:
        out.append(Check(id="article3.refugee", status="pass", message="No known refugee status."))
    return out


def _duplicates(notice: Notice, similar: list[Similar]) -> list[Check]:
    if notice.person is None:
        return [
            Check(id="duplicates.notices", status="pass", message="The notice names no person."),
            Check(id="duplicates.persons", status="pass", message="The notice names no person."),
        ]
    under_notice = [s for s in similar if [n for n in s.notices if n != notice.id]]
    others = [s for s in similar if s.id != notice.person_id]
    return [
        _duplicate_check(
            "duplicates.notices",
            under_notice,
            "already under a notice or diffusion in force",
            "No notice in force about this person or a like-named one.",
        ),
        _duplicate_check(
            "duplicates.persons",
            others,
            "recorded under another record",
            "No other record of a like-named person.",
        ),
    ]


def _duplicate_check(id_: str, found: list[Similar], what: str, clear: str) -> Check:
    if not found:
        return Check(id=id_, status="pass", message=clear)
    matches: list[dict[str, Any]] = [
        {"id": s.id, "owner": s.owner, "name": s.name, "score": round(s.score, 3),
         "notices": s.notices}
        for s in found
    ]  # fmt: skip
    return Check(
        id=id_,
        status="flag",
        message=f"{len(found)} like-named person(s) {what}: compare before publishing.",
        matches=matches,
    )
