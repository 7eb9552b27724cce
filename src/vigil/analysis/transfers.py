"""Money transfers: recorded by members (from their financial intelligence units), followed
from account to account.

Laundering shows in how money moves: many small payments into one account (fan-in), one
account paying many (fan-out), money passed on within hours, sums kept under reporting
thresholds. An account's flows (who pays it, whom it pays, how much, how fast) are what an
analyst reads first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vigil.access.actors import Actor
from vigil.access.envelope import Envelope
from vigil.analysis import store
from vigil.analysis.common import ref_key, utc, visible_envelopes
from vigil.analysis.models import (
    AccountFlows,
    Counterparty,
    Direction,
    Total,
    Transfer,
    TransferIn,
)
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.core.traces import account_key, from_minor, to_minor
from vigil.errors import Conflict, InvalidInput, NotFound
from vigil.records import service as records
from vigil.records import store as records_store
from vigil.storage.tables import transfers
from vigil.storage.uow import UnitOfWork

KIND = "transfer"
COUNTERPARTIES = 50


def record(uow: UnitOfWork, *, actor: Actor, transfer_in: TransferIn) -> Transfer:
    """File a transfer for the actor's member.

    Raises:
        Conflict: the member filed a transfer under the same reference already.
    """
    actor.require("analysis.record")
    envelope = records.new_envelope(uow, actor=actor, kind=KIND, title=title_of(transfer_in),
                                    envelope=transfer_in)  # fmt: skip
    row = row_of(envelope.id, transfer_in, ref_key(envelope.owner, transfer_in))
    if row["ref_key"] and store.existing_ref_keys(uow.conn, transfers, [row["ref_key"]]):
        owner_ref = transfer_in.provenance.owner_ref
        raise Conflict(f"Your member has filed a transfer as {owner_ref!r} already.")
    store.insert_transfers(uow.conn, [(envelope, row)])
    uow.audit(actor, "transfers.record", records=[envelope.id])
    return _transfer(row, envelope)


def title_of(transfer_in: TransferIn) -> str:
    return (
        f"{transfer_in.amount} {transfer_in.currency} {transfer_in.from_account} -> "
        f"{transfer_in.to_account} ({transfer_in.at:%Y-%m-%d})"
    )


def row_of(transfer_id: str, transfer_in: TransferIn, key: str | None) -> dict[str, Any]:
    """The ``transfers`` row of a new transfer (bulk loads build these in worker threads)."""
    return {
        "id": transfer_id,
        "at": transfer_in.at,
        "from_account": transfer_in.from_account,
        "to_account": transfer_in.to_account,
        "amount_minor": to_minor(transfer_in.amount, transfer_in.currency),
        "currency": transfer_in.currency,
        "channel": transfer_in.channel.value,
        "reference": transfer_in.reference,
        "ref_key": key,
    }


def get(uow: UnitOfWork, *, actor: Actor, transfer_id: str) -> Transfer:
    """One transfer the actor may see; "not found" otherwise."""
    actor.require("analysis.read")
    envelope = visible_envelopes(uow, actor, [transfer_id]).get(transfer_id)
    row = store.transfer_rows(uow.conn, [transfer_id]).get(transfer_id)
    if envelope is None or row is None:  # can_see hides deleted records too
        raise NotFound(f"No transfer {transfer_id}.")
    uow.audit(actor, "transfers.read", records=[transfer_id])
    return _transfer(row, envelope)


def search(
    uow: UnitOfWork,
    *,
    actor: Actor,
    page: PageRequest,
    account: str | None = None,
    direction: Direction = Direction.BOTH,
    owner: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[Transfer]:
    """Transfers the actor may see, newest recorded first: those into (``in``), out of
    (``out``) or either side of ``account`` (in any written form), of an owner, or made in
    ``[since, until)``."""
    actor.require("analysis.read")
    where = store.TransferFilter(
        account=_account(account), direction=direction.value, owner=owner, since=utc(since),
        until=utc(until),
    )  # fmt: skip
    visible = records_store.visible_clause(actor)
    ids = store.transfer_ids(uow.conn, visible, where, after=page.after, limit=page.limit + 1)
    envelopes = visible_envelopes(uow, actor, ids)
    rows = store.transfer_rows(uow.conn, list(envelopes))
    found = [_transfer(rows[i], envelopes[i]) for i in ids if i in envelopes and i in rows]
    result = page_of(found, page, key=lambda t: t.id)
    query: dict[str, Any] = {
        "account": where.account,
        "direction": direction.value,
        "owner": owner,
        "since": since,
        "until": until,
        "after": page.after,
    }
    uow.audit(actor, "transfers.search", query=query, results=[t.id for t in result.items])
    return result


def flows(uow: UnitOfWork, *, actor: Actor, account: str) -> AccountFlows:
    """What the actor may see of one account's money: transfers in and out, their sums by
    currency, first and last, and its most frequent counterparties."""
    actor.require("analysis.read")
    key = _account(account)
    if key is None:
        raise InvalidInput("account: name the account to follow")
    visible = records_store.visible_clause(actor)
    rows = store.account_flows(uow.conn, visible, key)
    currencies = sorted({r.currency for r in rows})
    totals = [
        Total(
            currency=c,
            incoming=from_minor(sum(r.minor for r in rows if r.currency == c and r.incoming), c),
            outgoing=from_minor(
                sum(r.minor for r in rows if r.currency == c and not r.incoming), c
            ),
        )
        for c in currencies
    ]
    others = store.counterparties(uow.conn, visible, key, COUNTERPARTIES)
    uow.audit(actor, "transfers.account", query={"account": key})
    return AccountFlows(
        account=key,
        incoming=sum(r.count for r in rows if r.incoming),
        outgoing=sum(r.count for r in rows if not r.incoming),
        first_at=min((r.first_at for r in rows), default=None),
        last_at=max((r.last_at for r in rows), default=None),
        totals=totals,
        counterparties=[Counterparty(account=a, sent=s, received=r) for a, s, r in others],
    )


def _account(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return account_key(value)
    except ValueError as exc:
        raise InvalidInput(f"account: {exc}") from None


def _transfer(row: Any, envelope: Envelope) -> Transfer:
    values = dict(row) if isinstance(row, dict) else dict(row._mapping)
    minor = values.pop("amount_minor")
    values.pop("ref_key", None)
    return Transfer(envelope=envelope, amount=from_minor(minor, values["currency"]), **values)
