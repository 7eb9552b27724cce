"""Which handlers each event type goes to: the one place to read how domains react."""

from __future__ import annotations

from vigil.alerts.handlers import on_record_shared
from vigil.biometrics.events import BiometricHit
from vigil.biometrics.handlers import on_biometric_hit
from vigil.documents.events import DocumentHit
from vigil.documents.handlers import on_document_hit
from vigil.events.dispatcher import Handler
from vigil.messaging.events import MessageSent, NetworkChanged, ReportPublished
from vigil.messaging.handlers import (
    on_message_sent,
    on_network_changed,
    on_report_published,
)
from vigil.notices.events import NoticeEnded, NoticeModified, NoticePublished
from vigil.notices.handlers import on_notice_event
from vigil.persons.events import PersonHit
from vigil.persons.handlers import on_person_hit
from vigil.records.events import RecordShared
from vigil.screening.events import HitFollowedUp, ListChecked
from vigil.screening.handlers import on_hit_followed_up, on_list_checked

HANDLERS: dict[str, list[Handler]] = {
    RecordShared.type: [on_record_shared],
    DocumentHit.type: [on_document_hit],
    PersonHit.type: [on_person_hit],
    NoticePublished.type: [on_notice_event],
    NoticeModified.type: [on_notice_event],
    NoticeEnded.type: [on_notice_event],
    BiometricHit.type: [on_biometric_hit],
    HitFollowedUp.type: [on_hit_followed_up],
    ListChecked.type: [on_list_checked],
    MessageSent.type: [on_message_sent],
    ReportPublished.type: [on_report_published],
    NetworkChanged.type: [on_network_changed],
}
