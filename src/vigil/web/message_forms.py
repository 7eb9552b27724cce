"""The message forms of the workspace (a new thread, a reply or correction, a reply to a
report) and the report form, all text as typed, so that a refused form comes back as it was.
Files attached are read into memory and handed to the service as it takes them (base64)."""

from __future__ import annotations

import base64
import re
from typing import Annotated, Any

from fastapi import File, UploadFile
from pydantic import BaseModel

from vigil.access.envelope import Audience, AudienceKind
from vigil.messaging.models import (
    MAX_ATTACHMENT_BYTES,
    AttachmentIn,
    MessageIn,
    MessageType,
    ReportIn,
    ThreadIn,
)
from vigil.web.pages import read_upload

_CODES = re.compile(r"[\s,;]+")
# A form may carry a file input left empty: browsers send it as an empty text part.
Attachments = Annotated[list[UploadFile | str], File()]
# The types a thread's first message, and a reply, may take (corrections have their own link).
FIRST_TYPES = (MessageType.REQUEST, MessageType.SPONTANEOUS, MessageType.HIT_FOLLOW_UP)
REPLY_TYPES = (MessageType.REPLY, MessageType.REQUEST, MessageType.SPONTANEOUS)
NETWORK_PREFIX = "network:"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value not in ("", None, [])}


def attachments_in(uploads: list[UploadFile | str]) -> list[AttachmentIn]:
    """The files attached, read into memory (each spooled file is gone once read).

    Raises:
        InvalidInput: a file larger than the service takes.
        ValidationError: a file of a type the service does not take.
    """
    found = []
    for upload in uploads:
        if isinstance(upload, str):
            continue
        data = read_upload(upload, MAX_ATTACHMENT_BYTES)
        if data is None:
            continue
        found.append(
            AttachmentIn(
                name=upload.filename or "attachment",
                media_type=upload.content_type or "application/octet-stream",
                content_base64=base64.b64encode(data).decode(),
            )
        )
    return found


class MessageForm(BaseModel):
    """A message as typed: its type, text, handling code and grading, and its type's fields."""

    csrf_token: str = ""
    type: str = MessageType.REPLY.value
    text: str = ""
    language: str = ""
    handling: str = "H0"
    handling_text: str = ""
    source_reliability: str = ""
    information_credibility: str = ""
    questions: str = ""
    reply_by: str = ""
    in_reply_to: str = ""
    corrects: str = ""
    hit_id: str = ""
    case_reference: str = ""

    def fields(self, attachments: list[AttachmentIn]) -> dict[str, Any]:
        """The message the form describes, as the service's model takes it."""
        fields = {
            "type": self.type, "text": self.text.strip(), "language": self.language,
            "handling": self.handling, "handling_text": self.handling_text.strip(),
            "source_reliability": self.source_reliability,
            "information_credibility": self.information_credibility,
            "questions": _lines(self.questions), "reply_by": self.reply_by.strip(),
            "hit_id": self.hit_id.strip(), "case_reference": self.case_reference.strip(),
            "attachments": [a.model_dump() for a in attachments],
        }  # fmt: skip
        # The hidden references count for their own types only: a reply turned into a
        # request for information answers no message.
        if self.type == MessageType.REPLY.value:
            fields["in_reply_to"] = self.in_reply_to
        if self.type == MessageType.CORRECTION.value:
            fields["corrects"] = self.corrects
        return _given(fields)

    def message_in(self, attachments: list[AttachmentIn]) -> MessageIn:
        """The message (``ValidationError`` names the fields at fault)."""
        return MessageIn.model_validate(self.fields(attachments))


class ThreadForm(MessageForm):
    """A new thread as typed: its subject, to members or to a network, and its first message."""

    type: str = MessageType.REQUEST.value
    subject: str = ""
    to: str = ""
    network_id: str = ""

    def thread_in(self, attachments: list[AttachmentIn]) -> ThreadIn:
        return ThreadIn.model_validate({
            "subject": self.subject.strip(), "to": [c for c in _CODES.split(self.to.upper()) if c],
            "network_id": self.network_id or None, "message": self.fields(attachments),
        })  # fmt: skip


class ReportForm(BaseModel):
    """An intelligence report as typed; the route's legs are rows of four inputs."""

    csrf_token: str = ""
    kind: str = ""
    title: str = ""
    crime_areas: list[str] = []
    countries: str = ""
    leg_from: list[str] = []
    leg_to: list[str] = []
    leg_mode: list[str] = []
    leg_crossing: list[str] = []
    period_from: str = ""
    period_to: str = ""
    indicators: list[str] = []
    other_indicators: str = ""
    text: str = ""
    language: str = ""
    audience: str = "all"
    handling: str = "H0"
    handling_text: str = ""

    def legs(self) -> list[dict[str, str]]:
        """The route's rows as typed, the empty ones left out."""
        rows = zip(self.leg_from, self.leg_to, self.leg_mode, self.leg_crossing, strict=False)
        legs = [
            {"from": a.strip().upper(), "to": b.strip().upper(), "mode": m, "crossing": c.strip()}
            for a, b, m, c in rows
        ]
        return [leg for leg in legs if leg["from"] or leg["to"] or leg["crossing"]]

    def report_in(self, member: str) -> ReportIn:
        """The report (``ValidationError`` names the fields at fault)."""
        fields = {
            "kind": self.kind, "title": self.title.strip(), "crime_areas": self.crime_areas,
            "countries": [c for c in _CODES.split(self.countries.upper()) if c],
            "route": [_given(leg) for leg in self.legs()],
            "period_from": self.period_from.strip(), "period_to": self.period_to.strip(),
            "indicators": self.indicators, "other_indicators": _lines(self.other_indicators),
            "text": self.text.strip(), "language": self.language, "handling": self.handling,
            "handling_text": self.handling_text.strip(), "audience": self.audience_of(member),
        }  # fmt: skip
        return ReportIn.model_validate(_given(fields))

    def audience_of(self, member: str) -> Audience | str:
        if self.audience.startswith(NETWORK_PREFIX):
            network = self.audience.removeprefix(NETWORK_PREFIX)
            return Audience(kind=AudienceKind.NETWORKS, codes=(network,))
        if self.audience == "only":
            return Audience.only(member)
        return self.audience


class SubscriptionForm(BaseModel):
    """The subscription form as typed."""

    csrf_token: str = ""
    countries: str = ""
    kinds: list[str] = []
    crime_areas: list[str] = []

    def fields(self) -> dict[str, Any]:
        codes = [c for c in _CODES.split(self.countries.upper()) if c]
        return {"countries": codes, "kinds": self.kinds, "crime_areas": self.crime_areas}
