from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import sqlalchemy as sa

from tests.conftest import make_record, make_user
from vigil.access.actors import Actor
from vigil.access.envelope import Audience, AudienceKind, Envelope
from vigil.access.roles import Role
from vigil.access.rules import can_see, in_screening
from vigil.core import clock
from vigil.records import store as records_store
from vigil.storage.engine import Database
from vigil.storage.tables import network_members, networks, records

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def envelope(audience: Audience, *, owner: str = "FRA", deleted: bool = False) -> Envelope:
    return Envelope(
        id="r1",
        kind="k",
        owner=owner,
        title="t",
        created_by="user:x",
        created_at=NOW,
        updated_at=NOW,
        audience=audience,
        handling="H0",
        review_by=date(2030, 1, 1),
        deleted=deleted,
    )


def actor(member: str, role: Role = Role.NCB, networks: frozenset[str] = frozenset()) -> Actor:
    return Actor(user_id="u", member=member, role=role, name="n", networks=networks)


def test_owner_always_sees_its_own_record() -> None:
    assert can_see(actor("FRA"), envelope(Audience.only("ESP")))


def test_only_audience_hides_record_from_members_not_named() -> None:
    restricted = envelope(Audience.only("FRA"))
    assert not can_see(actor("DEU"), restricted)
    assert can_see(actor("ESP"), envelope(Audience.only("ESP")))


def test_except_audience_hides_record_from_named_members_only() -> None:
    record = envelope(Audience(kind=AudienceKind.EXCEPT, codes=("DEU",)))
    assert not can_see(actor("DEU"), record)
    assert can_see(actor("ITA"), record)


def test_network_audience_reaches_network_members_only() -> None:
    record = envelope(Audience(kind=AudienceKind.NETWORKS, codes=("net-1",)))
    assert can_see(actor("ITA", networks=frozenset({"net-1"})), record)
    assert not can_see(actor("ITA", networks=frozenset({"net-2"})), record)


def test_partners_never_see_records_and_nobody_sees_deleted_ones() -> None:
    assert not can_see(actor("FRA", Role.PARTNER), envelope(Audience.everyone()))
    assert not can_see(actor("FRA"), envelope(Audience.everyone(), deleted=True))


def test_general_secretariat_sees_national_data_only_when_named() -> None:
    assert not can_see(actor("GS", Role.REVIEWER), envelope(Audience.everyone()))
    assert can_see(actor("GS", Role.REVIEWER), envelope(Audience.only("GS")))


def test_records_past_review_date_leave_screening() -> None:
    record = envelope(Audience.everyone())
    with clock.frozen_at(datetime(2031, 1, 1, tzinfo=UTC)):
        assert record.review_overdue
        assert not in_screening(record)
    with clock.frozen_at(NOW):
        assert in_screening(record)


def test_sql_filter_agrees_with_can_see_for_every_audience_and_actor(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            networks.insert().values(id="net-1", name="THB experts", created_at=NOW, created_by="t")
        )
        conn.execute(network_members.insert().values(network_id="net-1", member="ITA"))
    owners = {code: make_user(db, code) for code in ("FRA", "DEU")}
    audiences = [
        Audience.everyone(),
        Audience.only("DEU"),
        Audience.only("GS", "ITA"),
        Audience(kind=AudienceKind.EXCEPT, codes=("DEU", "ITA")),
        Audience(kind=AudienceKind.NETWORKS, codes=("net-1",)),
    ]
    for owner, audience in itertools.product(owners.values(), audiences):
        make_record(db, owner, audience=audience)
    actors = [
        actor("FRA"),
        actor("DEU"),
        actor("ESP"),
        actor("ITA", networks=frozenset({"net-1"})),
        actor("GS", Role.REVIEWER),
        actor("FRA", Role.PARTNER),
        actor("DEU", Role.ANALYST),
    ]
    with db.engine.connect() as conn:
        every = records_store.list_visible(
            conn,
            actor("GS", Role.REVIEWER),
            kind=None,
            owner=None,
            review_before=None,
            after=None,
            limit=1000,
        )
        all_ids = [row.id for row in conn.execute(sa.select(records.c.id))]
        envelopes = records_store.get_many(conn, all_ids)
        for who in actors:
            by_sql = {
                e.id
                for e in records_store.list_visible(
                    conn, who, kind=None, owner=None, review_before=None, after=None, limit=1000
                )
            }
            by_rule = {i for i, e in envelopes.items() if can_see(who, e)}
            assert by_sql == by_rule, who
    assert len(all_ids) == 10
    assert len(every) == 2  # GS is named in one audience per owner
