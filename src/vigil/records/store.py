"""SQL of record envelopes, including the SQL statement of the access rule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from vigil.access.actors import Actor
from vigil.access.envelope import Audience, AudienceKind, Envelope, Provenance
from vigil.access.roles import Role
from vigil.core.countries import GS
from vigil.storage.dialect import select_in
from vigil.storage.tables import network_members, networks, record_audience, records

_RECORD_COLUMNS = tuple(c.name for c in records.c)


def visible_clause(actor: Actor) -> sa.ColumnElement[bool]:
    """``access.rules.can_see`` stated in SQL, so lists filter before rows leave the database.

    Every row it lets through is still passed to ``can_see``; a test holds the two to agreement.
    """
    if actor.role is Role.PARTNER:
        return sa.false()
    named = sa.exists().where(
        record_audience.c.record_id == records.c.id, record_audience.c.code == actor.member
    )
    if actor.member == GS:
        audience = sa.and_(records.c.audience_kind == AudienceKind.ONLY.value, named)
    else:
        in_network = sa.exists().where(
            record_audience.c.record_id == records.c.id,
            record_audience.c.code.in_(sorted(actor.networks) or [""]),
        )
        audience = sa.or_(
            records.c.audience_kind == AudienceKind.ALL.value,
            sa.and_(records.c.audience_kind == AudienceKind.ONLY.value, named),
            sa.and_(records.c.audience_kind == AudienceKind.EXCEPT.value, ~named),
            sa.and_(records.c.audience_kind == AudienceKind.NETWORKS.value, in_network),
        )
    return sa.and_(
        records.c.deleted_at.is_(None), sa.or_(records.c.owner == actor.member, audience)
    )


def insert(conn: sa.Connection, envelope: Envelope) -> None:
    conn.execute(records.insert().values(**_columns(envelope), id=envelope.id))
    _write_audience(conn, envelope.id, envelope.audience)


# The columns of ``values_of``, in its order.
VALUE_COLUMNS = (
    "id", "kind", "owner", "created_by", "created_at", "updated_at", "title", "audience_kind",
    "handling", "handling_text", "review_by", "source_agency", "owner_ref",
    "source_reliability", "information_credibility",
)  # fmt: skip


def values_of(envelope: Envelope) -> tuple[Any, ...]:
    """The ``records`` row of an envelope as a tuple in ``VALUE_COLUMNS`` order (bulk loads
    build ten million, without a dict for each)."""
    provenance = envelope.provenance
    return (
        envelope.id,
        envelope.kind,
        envelope.owner,
        envelope.created_by,
        envelope.created_at,
        envelope.updated_at,
        envelope.title,
        envelope.audience.kind.value,
        envelope.handling,
        envelope.handling_text,
        envelope.review_by,
        provenance.source_agency,
        provenance.owner_ref,
        provenance.source_reliability,
        provenance.information_credibility,
    )


def rows_of(envelope: Envelope) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``records`` row of a new envelope and its ``record_audience`` rows (bulk loads)."""
    audience = [{"record_id": envelope.id, "code": c} for c in envelope.audience.codes]
    return dict(zip(VALUE_COLUMNS, values_of(envelope), strict=True)), audience


def update(conn: sa.Connection, envelope: Envelope) -> None:
    conn.execute(records.update().where(records.c.id == envelope.id).values(**_columns(envelope)))
    conn.execute(record_audience.delete().where(record_audience.c.record_id == envelope.id))
    _write_audience(conn, envelope.id, envelope.audience)


def mark_deleted(conn: sa.Connection, record_id: str, at: datetime) -> None:
    conn.execute(
        records.update().where(records.c.id == record_id).values(deleted_at=at, updated_at=at)
    )


def get(conn: sa.Connection, record_id: str) -> Envelope | None:
    """The envelope of one record, deleted or not (callers decide with ``can_see``)."""
    row = conn.execute(sa.select(records).where(records.c.id == record_id)).first()
    if row is None:
        return None
    return _envelopes(conn, [row])[0]


def get_many(conn: sa.Connection, record_ids: Sequence[str]) -> dict[str, Envelope]:
    """Envelopes by id, for checking many records at once (alerts, search results)."""
    if not record_ids:
        return {}
    # Through the driver: a border check that hits reads its report's envelope here, and the
    # Core statement would cost several times the lookup itself.
    wanted = list(dict.fromkeys(record_ids))
    rows = select_in(conn, records, _RECORD_COLUMNS, "id", wanted)
    codes: dict[str, list[str]] = {}
    for record_id, code in select_in(
        conn, record_audience, ("record_id", "code"), "record_id", _with_codes(rows)
    ):
        codes.setdefault(record_id, []).append(code)
    return {e.id: e for e in _built(rows, codes)}


def list_visible(
    conn: sa.Connection,
    actor: Actor,
    *,
    kind: str | None,
    owner: str | None,
    review_before: date | None,
    after: str | None,
    limit: int,
) -> list[Envelope]:
    """Envelopes the actor may see, newest first (ids are time-ordered), ``limit`` at most."""
    query = sa.select(records).where(visible_clause(actor))
    if kind is not None:
        query = query.where(records.c.kind == kind)
    if owner is not None:
        query = query.where(records.c.owner == owner)
    if review_before is not None:
        query = query.where(records.c.review_by < review_before)
    if after is not None:
        query = query.where(records.c.id < after)
    rows = conn.execute(query.order_by(records.c.id.desc()).limit(limit)).all()
    return _envelopes(conn, rows)


def existing_networks(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
    rows = conn.scalars(sa.select(networks.c.id).where(networks.c.id.in_(list(ids))))
    return set(rows)


def network_member_codes(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
    """Members of any of the given networks."""
    query = sa.select(network_members.c.member).where(network_members.c.network_id.in_(list(ids)))
    return set(conn.scalars(query))


def _columns(envelope: Envelope) -> dict[str, Any]:
    """The envelope's columns but its id."""
    return dict(zip(VALUE_COLUMNS[1:], values_of(envelope)[1:], strict=True))


def _write_audience(conn: sa.Connection, record_id: str, audience: Audience) -> None:
    if audience.codes:
        conn.execute(
            record_audience.insert(), [{"record_id": record_id, "code": c} for c in audience.codes]
        )


def _envelopes(conn: sa.Connection, rows: Sequence[sa.Row[Any]]) -> list[Envelope]:
    ids = _with_codes(rows)
    codes: dict[str, list[str]] = {}
    if ids:
        query = sa.select(record_audience).where(record_audience.c.record_id.in_(ids))
        for ref in conn.execute(query):
            codes.setdefault(ref.record_id, []).append(ref.code)
    return _built(rows, codes)


def _with_codes(rows: Sequence[Any]) -> list[str]:
    """The records whose audience names codes: one shared with all names none (the model
    refuses codes with "all", and an update rewrites them), so nearly every report costs no
    ``record_audience`` query."""
    return [row.id for row in rows if row.audience_kind != AudienceKind.ALL.value]


def _built(rows: Sequence[Any], codes: dict[str, list[str]]) -> list[Envelope]:
    """Envelopes from ``records`` rows and their audience codes by record id."""
    return [
        Envelope(
            id=row.id,
            kind=row.kind,
            owner=row.owner,
            title=row.title,
            created_by=row.created_by,
            created_at=row.created_at,
            updated_at=row.updated_at,
            audience=Audience(
                kind=AudienceKind(row.audience_kind), codes=tuple(sorted(codes.get(row.id, ())))
            ),
            handling=row.handling,
            handling_text=row.handling_text,
            review_by=row.review_by,
            provenance=Provenance(
                source_agency=row.source_agency,
                owner_ref=row.owner_ref,
                source_reliability=row.source_reliability,
                information_credibility=row.information_credibility,
            ),
            deleted=row.deleted_at is not None,
        )
        for row in rows
    ]
