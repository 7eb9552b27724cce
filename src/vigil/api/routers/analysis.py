"""Online ads and money transfers: recorded, loaded in bulk, found by phone and by account."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from vigil.analysis import ads, bulk, transfers
from vigil.analysis.models import AccountFlows, Ad, AdIn, Direction, Transfer, TransferIn
from vigil.api.deps import ActorDep, DbDep, PageDep, json_lines, reading
from vigil.api.idempotency import run_idempotent
from vigil.api.schemas import LoadOut, PageOut

router = APIRouter(prefix="/api/v1", tags=["analysis"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
_IMPORT_BODY = {
    "requestBody": {
        "content": {"application/x-ndjson": {}},
        "description": "One record a line, each with its `ref`; the caller's member's own only.",
    }
}


@router.post("/ads", status_code=201, response_model=Ad)
def record_ad(
    body: AdIn, request: Request, actor: ActorDep, db: DbDep, key: IdempotencyKey = None
) -> JSONResponse:
    """File an online ad (an NCB, for its own member). Phones are stored in E.164."""
    return run_idempotent(
        request, db, actor, key=key, payload=body.model_dump(mode="json"),
        create=lambda uow: ads.record(uow, actor=actor, ad_in=body),
    )  # fmt: skip


@router.get("/ads")
def search_ads(
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
    phone: str | None = None,
    phone_country: str | None = None,
    country: str | None = None,
    site: str | None = None,
    owner: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> PageOut[Ad]:
    """Ads the caller may see, newest recorded first: by phone (any written form; a national
    form is read as a number of `phone_country`), the country the ad is placed in, site,
    owner, or posting time in [since, until)."""
    with reading(db) as uow:
        result = ads.search(uow, actor=actor, page=page, phone=phone,
                            phone_country=phone_country, country=country, site=site,
                            owner=owner, since=since, until=until)  # fmt: skip
        return PageOut.of(result)


@router.post("/ads/import", response_model=LoadOut, openapi_extra=_IMPORT_BODY)
async def import_ads(request: Request, actor: ActorDep, db: DbDep) -> LoadOut:
    """Load many ads; lines already stored (same ref) are skipped, bad lines are listed."""
    lines = bulk.read_lines(io.BytesIO(await json_lines(request)))
    summary = await run_in_threadpool(bulk.load, db, actor=actor, kind=bulk.Kind.ADS,
                                      lines=lines)  # fmt: skip
    return LoadOut.of(summary)


@router.get("/ads/{ad_id}")
def get_ad(ad_id: str, actor: ActorDep, db: DbDep) -> Ad:
    """One ad (404 when it does not exist or the caller may not see it)."""
    with reading(db) as uow:
        return ads.get(uow, actor=actor, ad_id=ad_id)


@router.post("/transfers", status_code=201, response_model=Transfer)
def record_transfer(
    body: TransferIn, request: Request, actor: ActorDep, db: DbDep, key: IdempotencyKey = None
) -> JSONResponse:
    """File a money transfer (an NCB, for its own member). IBANs must pass their check."""
    return run_idempotent(
        request, db, actor, key=key, payload=body.model_dump(mode="json"),
        create=lambda uow: transfers.record(uow, actor=actor, transfer_in=body),
    )  # fmt: skip


@router.get("/transfers")
def search_transfers(
    actor: ActorDep,
    db: DbDep,
    page: PageDep,
    account: str | None = None,
    direction: Direction = Direction.BOTH,
    owner: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> PageOut[Transfer]:
    """Transfers the caller may see, newest recorded first: into, out of or either side of an
    account, by owner, or made in [since, until)."""
    with reading(db) as uow:
        result = transfers.search(uow, actor=actor, page=page, account=account,
                                  direction=direction, owner=owner, since=since,
                                  until=until)  # fmt: skip
        return PageOut.of(result)


@router.post("/transfers/import", response_model=LoadOut, openapi_extra=_IMPORT_BODY)
async def import_transfers(request: Request, actor: ActorDep, db: DbDep) -> LoadOut:
    """Load many transfers; lines already stored (same ref) are skipped, bad lines listed."""
    lines = bulk.read_lines(io.BytesIO(await json_lines(request)))
    summary = await run_in_threadpool(bulk.load, db, actor=actor, kind=bulk.Kind.TRANSFERS,
                                      lines=lines)  # fmt: skip
    return LoadOut.of(summary)


@router.get("/transfers/{transfer_id}")
def get_transfer(transfer_id: str, actor: ActorDep, db: DbDep) -> Transfer:
    """One transfer (404 when it does not exist or the caller may not see it)."""
    with reading(db) as uow:
        return transfers.get(uow, actor=actor, transfer_id=transfer_id)


@router.get("/accounts/{account}/flows")
def account_flows(account: str, actor: ActorDep, db: DbDep) -> AccountFlows:
    """What the caller may see of an account's money: transfers in and out, sums by currency,
    first and last, and the most frequent counterparties."""
    with reading(db) as uow:
        return transfers.flows(uow, actor=actor, account=account)
