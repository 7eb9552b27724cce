"""The public extracts of Red and Yellow notices whose owners asked for one: read by anyone,
without login; nothing beyond the extract."""

from __future__ import annotations

from vigil.core.pagination import Page, PageRequest, page_of
from vigil.errors import InvalidInput, NotFound
from vigil.notices import kinds, store
from vigil.notices.models import (
    IN_FORCE,
    Channel,
    Notice,
    PublicExtract,
)
from vigil.storage.uow import UnitOfWork


def public_extracts(
    uow: UnitOfWork, *, page: PageRequest, type_: str | None = None
) -> Page[PublicExtract]:
    """The extracts owners chose to publish, for anyone (no login): names, birth year,
    nationalities, sex, and the charges or circumstances; nothing else of the notice."""
    if type_ is not None and type_ not in kinds.PUBLIC_TYPES:
        raise InvalidInput("Public extracts exist for red and yellow notices only.")
    rows = store.list_notices(
        uow.conn,
        visible=None,
        states=list(IN_FORCE),
        channel=Channel.NOTICE,
        type_=type_,
        public_only=True,
        after=page.after,
        limit=page.limit + 1,
    )
    extracts = [_extract(n) for n in rows if n.type in kinds.PUBLIC_TYPES]
    return page_of(extracts, page, key=lambda e: e.id)


def public_extract(uow: UnitOfWork, *, notice_id: str) -> PublicExtract:
    notice = store.get(uow.conn, notice_id)
    if (
        notice is None
        or notice.envelope.deleted
        or notice.state not in IN_FORCE
        or not notice.public_extract
        or notice.type not in kinds.PUBLIC_TYPES
    ):
        raise NotFound(f"No public notice {notice_id}.")
    return _extract(notice)


def _extract(notice: Notice) -> PublicExtract:
    person = notice.person
    assert notice.published_at is not None
    birth = person.birth_date if person else None
    return PublicExtract(
        id=notice.id,
        type=notice.type,
        requesting_member=notice.envelope.owner,
        names=person.names if person else [],
        birth_year=int(birth[:4]) if birth else None,
        sex=person.sex if person else None,
        nationalities=person.nationalities if person else [],
        charges=notice.fields.charges,
        circumstances=notice.fields.circumstances,
        minor=notice.fields.minor,
        published_at=notice.published_at,
    )
