"""Online advertisements: recorded by members, found again by the phone numbers they give.

Networks re-use a few phones across many ads, in many countries and languages; a phone is the
first link an analyst follows, from an ad to the network's other ads (and, later, to persons).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vigil.access.actors import Actor
from vigil.access.envelope import Envelope
from vigil.analysis import store
from vigil.analysis.common import ref_key, utc, visible_envelopes
from vigil.analysis.models import Ad, AdIn
from vigil.core.countries import alpha3_code
from vigil.core.pagination import Page, PageRequest, page_of
from vigil.core.traces import phone_key
from vigil.errors import Conflict, InvalidInput, NotFound
from vigil.records import service as records
from vigil.records import store as records_store
from vigil.storage.tables import ads
from vigil.storage.uow import UnitOfWork

KIND = "online_ad"


def record(uow: UnitOfWork, *, actor: Actor, ad_in: AdIn) -> Ad:
    """File an ad for the actor's member.

    Raises:
        Conflict: the member filed an ad under the same reference (``provenance.owner_ref``).
    """
    actor.require("analysis.record")
    envelope = records.new_envelope(uow, actor=actor, kind=KIND, title=title_of(ad_in),
                                    envelope=ad_in)  # fmt: skip
    row = row_of(envelope.id, ad_in, ref_key(envelope.owner, ad_in))
    if row["ref_key"] and store.existing_ref_keys(uow.conn, ads, [row["ref_key"]]):
        raise Conflict(f"Your member has filed an ad as {ad_in.provenance.owner_ref!r} already.")
    store.insert_ads(uow.conn, [(envelope, row)])
    uow.audit(actor, "ads.record", records=[envelope.id])
    return _ad(row, envelope)


def title_of(ad_in: AdIn) -> str:
    """What lists show of an ad: its site, place and the start of its text."""
    place = ", ".join(p for p in (ad_in.city, ad_in.country) if p)
    return f"{ad_in.site}{f' ({place})' if place else ''}: {ad_in.text[:120]}"


def row_of(ad_id: str, ad_in: AdIn, key: str | None) -> dict[str, Any]:
    """The ``ads`` row of a new ad (bulk loads build these in worker threads)."""
    return {
        "id": ad_id,
        "posted_at": ad_in.posted_at,
        "site": ad_in.site,
        "url": ad_in.url,
        "text": ad_in.text,
        "city": ad_in.city,
        "country": ad_in.country,
        "language": ad_in.language,
        "phones": ad_in.phones,
        "emails": ad_in.emails,
        "image_hashes": ad_in.image_hashes,
        "ref_key": key,
    }


def get(uow: UnitOfWork, *, actor: Actor, ad_id: str) -> Ad:
    """One ad the actor may see; "not found" otherwise."""
    actor.require("analysis.read")
    envelope = visible_envelopes(uow, actor, [ad_id]).get(ad_id)
    row = store.ad_rows(uow.conn, [ad_id]).get(ad_id)
    if envelope is None or row is None:  # can_see hides deleted records too
        raise NotFound(f"No ad {ad_id}.")
    uow.audit(actor, "ads.read", records=[ad_id])
    return _ad(row, envelope)


def search(
    uow: UnitOfWork,
    *,
    actor: Actor,
    page: PageRequest,
    phone: str | None = None,
    phone_country: str | None = None,
    country: str | None = None,
    site: str | None = None,
    owner: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[Ad]:
    """Ads the actor may see, newest recorded first: all those giving ``phone`` (in any form;
    a national form is read as a number of ``phone_country``), placed in ``country``, of a
    site, an owner, or posted in ``[since, until)``.

    Raises:
        InvalidInput: a phone that cannot be read, an unknown country code.
    """
    actor.require("analysis.read")
    where = store.AdFilter(
        phone=_phone(phone, _country("phone_country", phone_country)),
        country=_country("country", country), site=site, owner=owner, since=utc(since),
        until=utc(until),
    )  # fmt: skip
    visible = records_store.visible_clause(actor)
    ids = store.ad_ids(uow.conn, visible, where, after=page.after, limit=page.limit + 1)
    found = _ads(uow, actor, ids)
    result = page_of(found, page, key=lambda a: a.id)
    query: dict[str, Any] = {
        "phone": where.phone,
        "country": country,
        "site": site,
        "owner": owner,
        "since": since,
        "until": until,
        "after": page.after,
    }
    uow.audit(actor, "ads.search", query=query, results=[a.id for a in result.items])
    return result


def _phone(value: str | None, country: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return phone_key(value, country)
    except ValueError as exc:
        raise InvalidInput(f"phone: {exc}") from None


def _country(field: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return alpha3_code(value)
    except ValueError as exc:
        raise InvalidInput(f"{field}: {exc}") from None


def _ads(uow: UnitOfWork, actor: Actor, ids: list[str]) -> list[Ad]:
    envelopes = visible_envelopes(uow, actor, ids)
    rows = store.ad_rows(uow.conn, list(envelopes))
    return [_ad(rows[i], envelopes[i]) for i in ids if i in envelopes and i in rows]


def _ad(row: Any, envelope: Envelope) -> Ad:
    values = dict(row) if isinstance(row, dict) else dict(row._mapping)
    values.pop("ref_key", None)
    return Ad(envelope=envelope, **values)
