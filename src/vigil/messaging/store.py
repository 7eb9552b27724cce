"""SQL of networks, threads and messages, intelligence reports and subscriptions (their
full-text search is ``fulltext.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from vigil.messaging.models import (
    Attachment,
    JoinRequest,
    Network,
    NetworkKind,
    NetworkUser,
    Receipt,
    Subscription,
)
from vigil.storage.dialect import insert_ignoring_duplicates
from vigil.storage.tables import (
    attachment_blobs,
    intel_reports,
    intel_subscriptions,
    message_attachments,
    message_reads,
    message_threads,
    messages,
    network_members,
    network_requests,
    network_users,
    networks,
    records,
    users,
)

# ---- networks ----------------------------------------------------------------------------------


def insert_network(conn: sa.Connection, row: dict[str, Any], members: list[str]) -> None:
    conn.execute(networks.insert().values(**row))
    add_members(conn, row["id"], members)


def add_members(conn: sa.Connection, network_id: str, members: list[str]) -> None:
    insert_ignoring_duplicates(
        conn, network_members, [{"network_id": network_id, "member": m} for m in members]
    )


def remove_member(conn: sa.Connection, network_id: str, member: str) -> None:
    conn.execute(
        network_members.delete().where(
            network_members.c.network_id == network_id, network_members.c.member == member
        )
    )
    # Its named users leave with it.
    of_member = sa.select(users.c.id).where(users.c.member == member)
    conn.execute(
        network_users.delete().where(
            network_users.c.network_id == network_id, network_users.c.user_id.in_(of_member)
        )
    )


def set_user(conn: sa.Connection, network_id: str, user_id: str, role: str) -> None:
    conn.execute(
        network_users.delete().where(
            network_users.c.network_id == network_id, network_users.c.user_id == user_id
        )
    )
    conn.execute(network_users.insert().values(network_id=network_id, user_id=user_id, role=role))


def get_network(conn: sa.Connection, network_id: str) -> Network | None:
    row = conn.execute(sa.select(networks).where(networks.c.id == network_id)).first()
    if row is None:
        return None
    return _network(conn, row)


def networks_of_member(conn: sa.Connection, member: str) -> list[Network]:
    query = (
        sa.select(networks)
        .join(network_members, network_members.c.network_id == networks.c.id)
        .where(network_members.c.member == member)
        .order_by(networks.c.name)
    )
    return [_network(conn, row) for row in conn.execute(query)]


def all_networks(conn: sa.Connection) -> list[Network]:
    return [
        _network(conn, row) for row in conn.execute(sa.select(networks).order_by(networks.c.name))
    ]


def _network(conn: sa.Connection, row: Any) -> Network:
    members = sorted(
        conn.scalars(
            sa.select(network_members.c.member).where(network_members.c.network_id == row.id)
        )
    )
    named = conn.execute(
        sa.select(network_users.c.user_id, network_users.c.role, users.c.member, users.c.name)
        .join(users, users.c.id == network_users.c.user_id)
        .where(network_users.c.network_id == row.id)
        .order_by(users.c.member, users.c.name)
    )
    return Network(
        id=row.id, name=row.name, kind=NetworkKind(row.kind), description=row.description,
        members=members, created_at=row.created_at, created_by=row.created_by,
        users=[NetworkUser(user_id=u.user_id, member=u.member, name=u.name, role=u.role)
               for u in named],
    )  # fmt: skip


def insert_request(conn: sa.Connection, request: JoinRequest) -> None:
    conn.execute(network_requests.insert().values(**request.model_dump()))


def get_request(conn: sa.Connection, request_id: str) -> JoinRequest | None:
    row = conn.execute(
        sa.select(network_requests).where(network_requests.c.id == request_id)
    ).first()
    return None if row is None else JoinRequest.model_validate(dict(row._mapping))


def requests_of(conn: sa.Connection, network_id: str) -> list[JoinRequest]:
    query = (
        sa.select(network_requests)
        .where(network_requests.c.network_id == network_id)
        .order_by(network_requests.c.requested_at.desc())
    )
    return [JoinRequest.model_validate(dict(r._mapping)) for r in conn.execute(query)]


def decide_request(
    conn: sa.Connection, request_id: str, status: str, by: str, at: datetime
) -> None:
    conn.execute(
        network_requests.update()
        .where(network_requests.c.id == request_id)
        .values(status=status, decided_by=by, decided_at=at)
    )


# ---- threads and messages ---------------------------------------------------------------------


def insert_thread(conn: sa.Connection, row: dict[str, Any]) -> None:
    conn.execute(message_threads.insert().values(**row))


def touch_thread(conn: sa.Connection, thread_id: str, at: datetime) -> None:
    conn.execute(
        message_threads.update().where(message_threads.c.id == thread_id).values(last_at=at)
    )


def get_thread_row(conn: sa.Connection, thread_id: str) -> Any:
    return conn.execute(sa.select(message_threads).where(message_threads.c.id == thread_id)).first()


def thread_subjects(conn: sa.Connection, thread_ids: Sequence[str]) -> dict[str, str]:
    query = sa.select(message_threads.c.id, message_threads.c.subject).where(
        message_threads.c.id.in_(list(thread_ids))
    )
    return {str(i): str(subject) for i, subject in conn.execute(query)}


def thread_about(conn: sa.Connection, record_id: str) -> str | None:
    query = sa.select(message_threads.c.id).where(message_threads.c.about == record_id)
    found = conn.execute(query.limit(1)).scalar()
    return None if found is None else str(found)


def list_threads(
    conn: sa.Connection, visible: sa.ColumnElement[bool], *, after: str | None, limit: int
) -> list[Any]:
    """Threads passing ``visible``, the most recently active first (cursor: the thread id)."""
    query = (
        sa.select(message_threads)
        .join(records, records.c.id == message_threads.c.id)
        .where(visible)
    )
    if after is not None:
        query = query.where(message_threads.c.id < after)
    return list(conn.execute(query.order_by(message_threads.c.id.desc()).limit(limit)))


def insert_message(conn: sa.Connection, row: dict[str, Any]) -> None:
    conn.execute(messages.insert().values(**row))


def message_rows(conn: sa.Connection, thread_id: str) -> list[Any]:
    query = (
        sa.select(messages).where(messages.c.thread_id == thread_id).order_by(messages.c.sent_at)
    )
    return list(conn.execute(query))


def message_rows_by_id(conn: sa.Connection, message_ids: Sequence[str]) -> dict[str, Any]:
    rows = conn.execute(sa.select(messages).where(messages.c.id.in_(list(message_ids))))
    return {row.id: row for row in rows}


def get_message_row(conn: sa.Connection, message_id: str) -> Any:
    return conn.execute(sa.select(messages).where(messages.c.id == message_id)).first()


def store_blob(conn: sa.Connection, sha256: str, data: bytes) -> None:
    insert_ignoring_duplicates(
        conn, attachment_blobs, [{"sha256": sha256, "size": len(data), "data": data}]
    )


def attach(conn: sa.Connection, message_id: str, sha256: str, name: str, media_type: str) -> None:
    conn.execute(
        message_attachments.insert().values(
            message_id=message_id, sha256=sha256, name=name, media_type=media_type
        )
    )


def attachments_of(conn: sa.Connection, message_ids: Sequence[str]) -> dict[str, list[Attachment]]:
    if not message_ids:
        return {}
    query = (
        sa.select(message_attachments, attachment_blobs.c.size)
        .join(attachment_blobs, attachment_blobs.c.sha256 == message_attachments.c.sha256)
        .where(message_attachments.c.message_id.in_(list(message_ids)))
    )
    found: dict[str, list[Attachment]] = {}
    for r in conn.execute(query):
        found.setdefault(r.message_id, []).append(
            Attachment(sha256=r.sha256, name=r.name, media_type=r.media_type, size=r.size)
        )
    return found


def attachment(conn: sa.Connection, message_id: str, sha256: str) -> tuple[str, str, bytes] | None:
    query = (
        sa.select(
            message_attachments.c.name, message_attachments.c.media_type, attachment_blobs.c.data
        )
        .join(attachment_blobs, attachment_blobs.c.sha256 == message_attachments.c.sha256)
        .where(
            message_attachments.c.message_id == message_id, message_attachments.c.sha256 == sha256
        )
    )
    row = conn.execute(query).first()
    return None if row is None else (str(row.name), str(row.media_type), bytes(row.data))


def mark_read(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    insert_ignoring_duplicates(conn, message_reads, rows)


def receipts_of(conn: sa.Connection, message_ids: Sequence[str]) -> dict[str, list[Receipt]]:
    if not message_ids:
        return {}
    query = sa.select(message_reads).where(message_reads.c.message_id.in_(list(message_ids)))
    found: dict[str, list[Receipt]] = {}
    for r in conn.execute(query.order_by(message_reads.c.read_at)):
        found.setdefault(r.message_id, []).append(
            Receipt(user_id=r.user_id, member=r.member, read_at=r.read_at)
        )
    return found


# ---- intelligence reports and subscriptions ---------------------------------------------------


def insert_report(conn: sa.Connection, row: dict[str, Any]) -> None:
    conn.execute(intel_reports.insert().values(**row))


def report_rows(conn: sa.Connection, report_ids: Sequence[str]) -> dict[str, Any]:
    if not report_ids:
        return {}
    query = sa.select(intel_reports).where(intel_reports.c.id.in_(list(report_ids)))
    return {row.id: row for row in conn.execute(query)}


def list_reports(
    conn: sa.Connection,
    visible: sa.ColumnElement[bool],
    *,
    kind: str | None,
    country: str | None,
    crime_area: str | None,
    ids: Sequence[str] | None,
    after: str | None,
    limit: int,
    period: tuple[date | None, date | None] = (None, None),
) -> list[Any]:
    """Reports passing ``visible`` and the filters, newest first. ``period`` keeps those whose
    own period meets it (a report without a period bound is open on that side)."""
    query = (
        sa.select(intel_reports).join(records, records.c.id == intel_reports.c.id).where(visible)
    )
    if kind is not None:
        query = query.where(intel_reports.c.kind == kind)
    since, until = period
    if since is not None:
        query = query.where(
            sa.or_(intel_reports.c.period_to.is_(None), intel_reports.c.period_to >= since)
        )
    if until is not None:
        query = query.where(
            sa.or_(intel_reports.c.period_from.is_(None), intel_reports.c.period_from <= until)
        )
    if ids is not None:
        query = query.where(intel_reports.c.id.in_(list(ids)))
    # The JSON list filters (country, crime area) run in Python, the same on both databases:
    # the rows are read in batches, newest first, until ``limit`` pass or none are left (one
    # batch used to be all, and a rare country gave a short page with no next one).
    found: list[Any] = []
    batch = limit * 4 + 50
    while len(found) < limit:
        page = query if after is None else query.where(intel_reports.c.id < after)
        rows = list(conn.execute(page.order_by(intel_reports.c.id.desc()).limit(batch)))
        found += [r for r in rows if (country is None or country in r.countries)
                  and (crime_area is None or crime_area in r.crime_areas)]  # fmt: skip
        if len(rows) < batch:
            break
        after, batch = rows[-1].id, batch * 2
    return found[:limit]


def insert_subscription(conn: sa.Connection, subscription: Subscription) -> None:
    values = subscription.model_dump(mode="json") | {"created_at": subscription.created_at}
    conn.execute(intel_subscriptions.insert().values(**values))


def subscriptions(conn: sa.Connection, member: str | None = None) -> list[Subscription]:
    query = sa.select(intel_subscriptions)
    if member is not None:
        query = query.where(intel_subscriptions.c.member == member)
    return [Subscription.model_validate(dict(r._mapping)) for r in conn.execute(query)]


def delete_subscription(conn: sa.Connection, subscription_id: str, member: str) -> int:
    result = conn.execute(
        intel_subscriptions.delete().where(
            intel_subscriptions.c.id == subscription_id, intel_subscriptions.c.member == member
        )
    )
    return int(result.rowcount or 0)
