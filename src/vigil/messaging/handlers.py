"""Reactions to messaging events: alerts."""

from __future__ import annotations

from vigil.alerts.service import alert_members
from vigil.events import Event
from vigil.messaging import reports
from vigil.messaging.events import MessageSent, NetworkChanged, ReportPublished
from vigil.storage.uow import UnitOfWork


def on_message_sent(uow: UnitOfWork, event: Event, event_id: str) -> None:
    assert isinstance(event, MessageSent)
    alert_members(uow, event_id=event_id, members=event.members, kind=event.type,
                  title=event.title, record_id=event.message_id,
                  body={"thread_id": event.thread_id})  # fmt: skip


def on_report_published(uow: UnitOfWork, event: Event, event_id: str) -> None:
    assert isinstance(event, ReportPublished)
    members = reports.subscribers(uow, event, event.report_id)
    alert_members(uow, event_id=event_id, members=members, kind=event.type,
                  title=f"Report for your subscription: {event.title}",
                  record_id=event.report_id,
                  body={"kind": event.kind, "countries": event.countries})  # fmt: skip


def on_network_changed(uow: UnitOfWork, event: Event, event_id: str) -> None:
    assert isinstance(event, NetworkChanged)
    verb = "joined" if event.joined else "left"
    alert_members(uow, event_id=event_id, members=[event.member], kind=event.type,
                  title=f"{event.member} {verb} the network {event.name}",
                  body={"network_id": event.network_id, "joined": event.joined})  # fmt: skip
