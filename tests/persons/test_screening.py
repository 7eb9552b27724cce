"""Screening through the service: candidates, access, hits, and indexes kept current."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Officer, make_user
from vigil.access.roles import Role
from vigil.errors import InvalidInput
from vigil.persons import screening, service
from vigil.persons.models import PartnerScreening, Person, PersonIn, Screening, ScreenQuery
from vigil.runtime import open_database
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, audit_log, hits
from vigil.storage.uow import UnitOfWork


def _record(db: Database, owner: Officer, *names: str, **fields: Any) -> Person:
    values: dict[str, Any] = {"names": list(names), "category": "wanted", **fields}
    with UnitOfWork(db, write=True) as uow:
        return service.record(uow, actor=owner.actor, person_in=PersonIn(**values))


def _screen(db: Database, who: Officer, name: str, **query: Any) -> Screening:
    with UnitOfWork(db, write=False) as uow:
        answer = screening.screen(uow, actor=who.actor, query=ScreenQuery(name=name, **query))
    assert isinstance(answer, Screening)
    return answer


def _rows(db: Database, table: sa.Table) -> list[sa.Row[Any]]:
    with db.engine.connect() as conn:
        return list(conn.execute(sa.select(table)))


@pytest.fixture
def frontline(db: Database) -> Officer:
    return make_user(db, "ITA", Role.FRONTLINE)


def test_a_latin_query_finds_the_arabic_record_and_the_reverse(
    db: Database, fra: Officer, frontline: Officer
) -> None:
    arabic = _record(db, fra, "محمد علي حسن", birth_date="1985-03-02", sex="M")
    latin = _record(db, fra, "Ivan Sergeyevich Petrov")
    [first, *_] = _screen(db, frontline, "Mohamed Ali Hassan", birth_date="1985").candidates
    assert first.id == arabic.id
    assert first.explanation[0].feature in {"name", "birth_date"}
    [found, *_] = _screen(db, frontline, "Иван Петров").candidates
    assert found.id == latin.id


def test_candidates_are_explained_and_the_best_first(
    db: Database, fra: Officer, frontline: Officer
) -> None:
    right = _record(db, fra, "Maria Petrova", birth_date="1990-05-01", sex="F")
    _record(db, fra, "Marina Petrenko", birth_date="1972", sex="F")
    answer = _screen(db, frontline, "Maria Petrova", birth_date="1990-05-01", sex="F")
    assert answer.candidates[0].id == right.id
    scores = [c.score for c in answer.candidates]
    assert scores == sorted(scores, reverse=True)
    features = {e.feature for e in answer.candidates[0].explanation}
    assert features == {"name", "birth_date", "sex"}
    assert all(e.explanation for e in answer.candidates[0].explanation)


def test_a_hit_is_recorded_and_alerts_both_members(
    db: Database, fra: Officer, frontline: Officer
) -> None:
    made = _record(db, fra, "Maria Petrova", birth_date="1990-05-01")
    answer = _screen(db, frontline, "Maria Petrova", birth_date="1990-05-01")
    [candidate] = [c for c in answer.candidates if c.hit]
    [hit] = _rows(db, hits)
    assert (hit.id, hit.kind, hit.record_id, hit.owner, hit.checking_member) == (
        candidate.hit_id, "person", made.id, "FRA", "ITA",
    )  # fmt: skip
    assert sorted(a.member for a in _rows(db, alerts)) == ["FRA", "ITA"]
    assert any(row.action == "persons.screen" for row in _rows(db, audit_log))


def test_a_victim_is_restricted_to_its_owner_even_in_screening(
    db: Database, fra: Officer, frontline: Officer
) -> None:
    _record(db, fra, "Amina Diallo", category="victim", birth_date="2009")
    assert _screen(db, frontline, "Amina Diallo").candidates == []
    own = make_user(db, "FRA", Role.FRONTLINE)
    assert len(_screen(db, own, "Amina Diallo").candidates) == 1
    assert _rows(db, hits)[0].checking_member == "FRA"  # only the owner's own check hit


def test_a_hidden_record_takes_no_place_among_the_candidates(
    db: Database, fra: Officer, frontline: Officer
) -> None:
    for _ in range(3):
        _record(db, fra, "John Smith", audience={"only": ["DEU"]})
    visible = _record(db, fra, "Jon Smyth")
    answer = _screen(db, frontline, "John Smith", limit=1)
    assert [c.id for c in answer.candidates] == [visible.id]


def test_records_hidden_from_the_actor_never_count_among_a_names_bearers(
    db: Database, fra: Officer, frontline: Officer
) -> None:
    def best() -> tuple[float, str]:
        answer = _screen(db, frontline, "Kyaw Min Htun", birth_date="1990", sex="M")
        top = answer.candidates[0]
        return top.score, next(e.explanation for e in top.explanation if e.feature == "name")

    _record(db, fra, "Kyaw Min Htun", sex="M")
    alone = best()
    assert "bear this name" not in alone[1]
    for _ in range(3):  # the same name, seen by DEU only: ITA's officer must learn nothing
        _record(db, fra, "Kyaw Min Htun", birth_date="1990", sex="M", audience={"only": ["DEU"]})
    assert best() == alone
    _record(db, fra, "Kyaw Min Htun", sex="M")  # one more that ITA may see
    assert "2 records bear this name" in best()[1]


def test_a_part_spelt_as_another_name_the_actor_may_see_weighs_against(
    db: Database, fra: Officer, frontline: Officer
) -> None:
    def best() -> tuple[float, set[str]]:
        top = _screen(db, frontline, "Driton Krasniqi", birth_date="1990").candidates[0]
        assert top.id == wanted.id
        return top.score, {e.feature for e in top.explanation}

    wanted = _record(db, fra, "Dritan Krasniqi", birth_date="1990")
    alone = best()
    assert "name_part" not in alone[1]  # as far as ITA can tell, a misspelling
    for name in ("Driton Hoxha", "Dritan Berisha"):  # seen by DEU only: ITA learns nothing
        _record(db, fra, name, audience={"only": ["DEU"]})
    assert best() == alone
    for name in ("Driton Hoxha", "Dritan Berisha"):
        _record(db, fra, name)
    score, features = best()
    assert "name_part" in features and score < alone[0]


def test_a_title_typed_with_the_name_changes_nothing(
    db: Database, fra: Officer, frontline: Officer
) -> None:
    wanted = _record(db, fra, "Ali Hassan Mahmoud", birth_date="1979-04-02")
    plain = _screen(db, frontline, "Ali Hassan Mahmoud", birth_date="1979-04-02").candidates[0]
    titled = _screen(db, frontline, "Dr Ali Hassan Mahmoud", birth_date="1979-04-02")
    assert titled.candidates[0].id == wanted.id and titled.candidates[0].score == plain.score


def test_a_partner_learns_hit_or_none(db: Database, fra: Officer) -> None:
    ngo = make_user(db, "ITA", Role.PARTNER)
    _record(db, fra, "Maria Petrova", birth_date="1990-05-01")
    with UnitOfWork(db, write=False) as uow:
        hit = screening.screen(uow, actor=ngo.actor, query=ScreenQuery(name="Maria Petrova"))
        none = screening.screen(uow, actor=ngo.actor, query=ScreenQuery(name="Zhou Xun"))
    assert hit == PartnerScreening(result="hit")
    assert none == PartnerScreening(result="none")


def test_another_process_sees_records_changes_and_deletions(
    db: Database, migrated: str, fra: Officer, frontline: Officer
) -> None:
    other = open_database(migrated, serving=False)  # a second server process, its own index
    try:
        assert _screen(other, frontline, "Maria Petrova").candidates == []
        made = _record(db, fra, "Maria Petrova")
        assert [c.id for c in _screen(other, frontline, "Maria Petrova").candidates] == [made.id]
        with UnitOfWork(db, write=True) as uow:
            service.change(
                uow,
                actor=fra.actor,
                person_id=made.id,
                person_in=PersonIn(names=["Olga Ivanova"], category="missing"),
            )
        assert _screen(other, frontline, "Maria Petrova").candidates == []
        assert [c.id for c in _screen(other, frontline, "Olga Ivanova").candidates] == [made.id]
        with UnitOfWork(db, write=True) as uow:
            service.delete(uow, actor=fra.actor, person_id=made.id)
        assert _screen(other, frontline, "Olga Ivanova").candidates == []
    finally:
        other.close()


def test_batches_are_bounded(db: Database, frontline: Officer) -> None:
    queries = [ScreenQuery(name="A B")] * 1001
    with pytest.raises(InvalidInput), UnitOfWork(db, write=False) as uow:
        screening.screen_batch(uow, actor=frontline.actor, queries=queries)


def test_batch_answers_in_order(db: Database, fra: Officer, frontline: Officer) -> None:
    made = _record(db, fra, "Maria Petrova", birth_date="1990-05-01")
    queries = [ScreenQuery(name="Zhou Xun"), ScreenQuery(name="Maria Petrova")]
    with UnitOfWork(db, write=False) as uow:
        answer = screening.screen_batch(uow, actor=frontline.actor, queries=queries)
    first, second = answer.results
    assert isinstance(first, Screening) and isinstance(second, Screening)
    assert first.candidates == [] and second.candidates[0].id == made.id
    assert answer.hits == 1


def test_records_of_one_name_that_the_birth_year_fits_alike_compete(
    db: Database, fra: Officer, frontline: Officer
) -> None:
    def best(query_dob: str) -> tuple[float, str]:
        answer = _screen(db, frontline, "Kyaw Min Htun", birth_date=query_dob, sex="M",
                         nationality="MMR")  # fmt: skip
        top = answer.candidates[0]
        said = next(e.explanation for e in top.explanation if e.feature == "name")
        return top.score, said

    _record(db, fra, "Kyaw Min Htun", birth_date="1990", sex="M", nationalities=["MMR"])
    alone, said = best("1990-04-02")
    assert "other candidates" not in said
    # Two more of that name, born that year: at most one of the three is the traveller.
    for _ in range(2):
        _record(db, fra, "Kyaw Min Htun", birth_date="1990", sex="M", nationalities=["MMR"])
    crowded, said = best("1990-04-02")
    assert crowded < alone
    assert "2 other candidates of this name fit the birth date as well" in said
    # A full date that agrees tells one record from the others: no competition then.
    _record(db, fra, "Kyaw Min Htun", birth_date="1990-04-02", sex="M", nationalities=["MMR"])
    exact, said = best("1990-04-02")
    assert exact > alone and "other candidates" not in said
