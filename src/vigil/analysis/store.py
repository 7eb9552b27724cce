"""SQL of online ads (with their phones) and money transfers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from vigil.access.envelope import Envelope
from vigil.records import store as records_store
from vigil.storage.dialect import insert_rows
from vigil.storage.tables import ad_phones, ads, record_audience, records, transfers

# Parameters per IN list: under SQLite's oldest limit (999), as the other stores do.
_CHUNK = 900


def insert_ads(conn: sa.Connection, made: Sequence[tuple[Envelope, dict[str, Any]]]) -> None:
    """Store new ads: their envelopes, their rows (``id`` included), and their phones."""
    _insert_envelopes(conn, [envelope for envelope, _ in made])
    insert_rows(conn, ads, [row for _, row in made])
    phones = [{"ad_id": row["id"], "phone": p} for _, row in made for p in row["phones"]]
    insert_rows(conn, ad_phones, phones)


def insert_transfers(conn: sa.Connection, made: Sequence[tuple[Envelope, dict[str, Any]]]) -> None:
    """Store new transfers: their envelopes and their rows (``id`` included)."""
    _insert_envelopes(conn, [envelope for envelope, _ in made])
    insert_rows(conn, transfers, [row for _, row in made])


def _insert_envelopes(conn: sa.Connection, envelopes: Sequence[Envelope]) -> None:
    pairs = [records_store.rows_of(envelope) for envelope in envelopes]
    insert_rows(conn, records, [row for row, _ in pairs])
    insert_rows(conn, record_audience, [code for _, codes in pairs for code in codes])


def existing_ref_keys(conn: sa.Connection, table: sa.Table, keys: Iterable[str]) -> set[str]:
    """Which of these ``OWNER/ref`` keys ``table`` (ads or transfers) holds already."""
    wanted = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = sa.select(table.c.ref_key).where(table.c.ref_key.in_(chunk))
        found.update(conn.scalars(query))
    return found


def ad_rows(conn: sa.Connection, ids: Sequence[str]) -> dict[str, Any]:
    rows = conn.execute(sa.select(ads).where(ads.c.id.in_(list(ids)))).all()
    return {row.id: row for row in rows}


def transfer_rows(conn: sa.Connection, ids: Sequence[str]) -> dict[str, Any]:
    rows = conn.execute(sa.select(transfers).where(transfers.c.id.in_(list(ids)))).all()
    return {row.id: row for row in rows}


@dataclass(frozen=True, slots=True)
class AdFilter:
    phone: str | None = None
    country: str | None = None
    site: str | None = None
    owner: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def ad_ids(
    conn: sa.Connection,
    visible: sa.ColumnElement[bool],
    where: AdFilter,
    *,
    after: str | None,
    limit: int,
) -> list[str]:
    """Ids of the visible, live ads that pass the filter, newest recorded first."""
    query = sa.select(ads.c.id).join(records, records.c.id == ads.c.id).where(visible)
    if where.phone is not None:
        query = query.where(
            ads.c.id.in_(sa.select(ad_phones.c.ad_id).where(ad_phones.c.phone == where.phone))
        )
    if where.country is not None:
        query = query.where(ads.c.country == where.country)
    if where.site is not None:
        query = query.where(ads.c.site == where.site)
    if where.owner is not None:
        query = query.where(records.c.owner == where.owner)
    if where.since is not None:
        query = query.where(ads.c.posted_at >= where.since)
    if where.until is not None:
        query = query.where(ads.c.posted_at < where.until)
    if after is not None:
        query = query.where(ads.c.id < after)
    return list(conn.scalars(query.order_by(ads.c.id.desc()).limit(limit)))


@dataclass(frozen=True, slots=True)
class TransferFilter:
    account: str | None = None
    direction: str = "both"  # in | out | both, as the account receives or sends
    owner: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def transfer_ids(
    conn: sa.Connection,
    visible: sa.ColumnElement[bool],
    where: TransferFilter,
    *,
    after: str | None,
    limit: int,
) -> list[str]:
    """Ids of the visible, live transfers that pass the filter, newest recorded first."""
    query = (
        sa.select(transfers.c.id)
        .join(records, records.c.id == transfers.c.id)
        .where(visible, *_transfer_conditions(where))
    )
    if after is not None:
        query = query.where(transfers.c.id < after)
    return list(conn.scalars(query.order_by(transfers.c.id.desc()).limit(limit)))


def _transfer_conditions(where: TransferFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if where.account is not None:
        sides = {
            "in": transfers.c.to_account == where.account,
            "out": transfers.c.from_account == where.account,
        }
        if where.direction == "both":
            conditions.append(sa.or_(*sides.values()))
        else:
            conditions.append(sides[where.direction])
    if where.owner is not None:
        conditions.append(records.c.owner == where.owner)
    if where.since is not None:
        conditions.append(transfers.c.at >= where.since)
    if where.until is not None:
        conditions.append(transfers.c.at < where.until)
    return conditions


@dataclass(frozen=True, slots=True)
class FlowRow:
    """One direction and currency of an account's visible transfers."""

    incoming: bool
    currency: str
    count: int
    minor: int
    first_at: datetime
    last_at: datetime


def account_flows(
    conn: sa.Connection, visible: sa.ColumnElement[bool], account: str
) -> list[FlowRow]:
    """Counts, sums and dates of the account's visible transfers, by direction and currency.

    Summed in the database through ``visible`` (the access rule in SQL, held to ``can_see``
    by a test): an account of a money mule may move thousands of transfers.
    """
    found: list[FlowRow] = []
    for incoming, side in ((True, transfers.c.to_account), (False, transfers.c.from_account)):
        query = (
            sa.select(
                transfers.c.currency,
                sa.func.count(),
                sa.func.sum(transfers.c.amount_minor),
                sa.func.min(transfers.c.at),
                sa.func.max(transfers.c.at),
            )
            .join(records, records.c.id == transfers.c.id)
            .where(visible, side == account)
            .group_by(transfers.c.currency)
        )
        for currency, count, minor, first, last in conn.execute(query):
            found.append(FlowRow(incoming, currency, count, int(minor), first, last))
    return found


def counterparties(
    conn: sa.Connection, visible: sa.ColumnElement[bool], account: str, limit: int
) -> list[tuple[str, int, int]]:
    """(account, transfers from it, transfers to it) of the account's visible counterparties,
    the most frequent first."""
    sent = (
        sa.select(transfers.c.from_account.label("other"), sa.literal(1).label("sent"),
                  sa.literal(0).label("received"))
        .join(records, records.c.id == transfers.c.id)
        .where(visible, transfers.c.to_account == account)
    )  # fmt: skip
    received = (
        sa.select(transfers.c.to_account.label("other"), sa.literal(0).label("sent"),
                  sa.literal(1).label("received"))
        .join(records, records.c.id == transfers.c.id)
        .where(visible, transfers.c.from_account == account)
    )  # fmt: skip
    both = sa.union_all(sent, received).subquery()
    total = sa.func.count()
    query = (
        sa.select(both.c.other, sa.func.sum(both.c.sent), sa.func.sum(both.c.received))
        .group_by(both.c.other)
        .order_by(total.desc(), both.c.other)
        .limit(limit)
    )
    return [(str(o), int(s), int(r)) for o, s, r in conn.execute(query)]
