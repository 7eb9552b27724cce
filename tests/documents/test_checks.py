from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import Officer, make_user
from tests.documents.helpers import check, report
from vigil.access.roles import Role
from vigil.core import clock
from vigil.documents import checks, service
from vigil.documents.models import DocumentCheck, DocumentQuery, PartnerCheck
from vigil.documents.mrz import make_mrz
from vigil.errors import Forbidden, InvalidInput
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, audit_log, hits
from vigil.storage.uow import UnitOfWork


def _mrz(number: str, state: str = "D") -> str:
    lines = make_mrz(
        format="TD3", document_code="P", issuing_state=state, document_number=number,
        surname="MUSTERMANN", given_names="ERIKA", nationality=state,
        birth_date=date(1983, 8, 12), sex="F", expiry_date=date(2031, 10, 31),
    )  # fmt: skip
    return "\n".join(lines)


def _rows(db: Database, table: sa.Table) -> list[sa.Row]:
    # In key order: PostgreSQL returns rows in no set order (the audit log's last entry is
    # its highest seq, not the last row read).
    with db.engine.connect() as conn:
        return list(conn.execute(sa.select(table).order_by(*table.primary_key.columns)))


@pytest.fixture
def frontline(db: Database) -> Officer:
    return make_user(db, "ITA", Role.FRONTLINE)


def test_exact_number_is_a_hit_with_owner_and_action(
    db: Database, deu: Officer, frontline: Officer
) -> None:
    made = report(db, deu, "C01X00T47")
    answer = check(db, frontline, number="c01x 00t47", issuing_state="DEU")
    assert isinstance(answer, DocumentCheck)
    assert answer.result == "hit"
    [match] = answer.matches
    assert (match.owner, match.action.value, match.report.id) == ("DEU", "seize", made.id)


def test_a_match_only_after_ocr_folding_is_possible(
    db: Database, deu: Officer, frontline: Officer
) -> None:
    report(db, deu, "C01X00T47")
    answer = check(db, frontline, number="CO1XO0T47", issuing_state="DEU")
    assert answer.result == "possible"


def test_unknown_number_is_none_and_still_audited(db: Database, frontline: Officer) -> None:
    assert check(db, frontline, number="NOPE1", issuing_state="DEU").result == "none"
    assert [r.action for r in _rows(db, audit_log)][-1] == "documents.check"


def test_the_mrz_is_read_and_germanys_d_is_deu(
    db: Database, deu: Officer, frontline: Officer
) -> None:
    report(db, deu, "C01X00T47")
    answer = check(db, frontline, mrz=_mrz("C01X00T47"))
    assert isinstance(answer, DocumentCheck)
    assert (answer.result, answer.issuing_state, answer.mrz_valid) == ("hit", "DEU", True)


def test_an_mrz_with_a_failing_check_digit_is_still_checked(
    db: Database, deu: Officer, frontline: Officer
) -> None:
    report(db, deu, "C01X00T47")
    lines = _mrz("C01X00T47").split("\n")
    broken = lines[1][:9] + ("0" if lines[1][9] != "0" else "1") + lines[1][10:]
    answer = check(db, frontline, mrz=f"{lines[0]}\n{broken}")
    assert isinstance(answer, DocumentCheck)
    assert (answer.result, answer.mrz_valid) == ("hit", False)


def test_an_mrz_of_no_member_state_has_no_reports(db: Database, frontline: Officer) -> None:
    assert check(db, frontline, mrz=_mrz("L1234567", "UNO")).result == "none"


def test_unknown_typed_state_is_invalid(db: Database, frontline: Officer) -> None:
    with pytest.raises(InvalidInput, match="issuing state"):
        check(db, frontline, number="X1", issuing_state="ZZZ")


def test_a_hit_records_the_hit_and_alerts_both_members(
    db: Database, deu: Officer, frontline: Officer
) -> None:
    made = report(db, deu)
    answer = check(db, frontline, number="C01X00T47", issuing_state="DEU")
    assert isinstance(answer, DocumentCheck)
    [hit] = _rows(db, hits)
    assert (hit.id, hit.record_id, hit.owner, hit.checking_member, hit.match) == (
        answer.matches[0].hit_id, made.id, "DEU", "ITA", "hit",
    )  # fmt: skip
    assert sorted(a.member for a in _rows(db, alerts)) == ["DEU", "ITA"]


def test_a_partner_learns_only_the_result_and_the_owner_is_alerted(
    db: Database, deu: Officer
) -> None:
    airline = make_user(db, "QAT", Role.PARTNER)
    report(db, deu)
    answer = check(db, airline, number="C01X00T47", issuing_state="DEU")
    assert answer == PartnerCheck(result="hit")
    assert set(answer.model_dump()) == {"result"}
    assert "DEU" in {a.member for a in _rows(db, alerts)}


def test_a_report_hidden_from_the_checking_member_does_not_hit(db: Database, deu: Officer) -> None:
    report(db, deu, audience={"only": ["FRA"]})
    italy = make_user(db, "ITA", Role.FRONTLINE)
    assert check(db, italy, number="C01X00T47", issuing_state="DEU").result == "none"
    assert _rows(db, hits) == []


def test_recovered_withdrawn_and_overdue_reports_do_not_hit(
    db: Database, deu: Officer, frontline: Officer
) -> None:
    recovered = report(db, deu, "R1")
    withdrawn = report(db, deu, "W1")
    report(db, deu, "O1", review_by=(clock.today() + timedelta(days=1)).isoformat())
    with UnitOfWork(db, write=True) as uow:
        service.recover(uow, actor=deu.actor, report_id=recovered.id)
        service.delete(uow, actor=deu.actor, report_id=withdrawn.id)
    later = clock.now() + timedelta(days=3)
    with clock.frozen_at(later):
        for number in ("R1", "W1", "O1"):
            assert check(db, frontline, number=number, issuing_state="DEU").result == "none"


def test_reviewers_do_not_check_documents(db: Database) -> None:
    reviewer = make_user(db, "GS", Role.REVIEWER)
    with pytest.raises(Forbidden):
        check(db, reviewer, number="X1", issuing_state="DEU")


def test_a_manifest_is_answered_in_order_with_totals(
    db: Database, deu: Officer, frontline: Officer
) -> None:
    report(db, deu, "C01X00T47")
    report(db, deu, "AB123", status="lost")
    queries = [
        DocumentQuery(number="X9", issuing_state="FRA"),
        DocumentQuery(number="AB123", issuing_state="DEU"),
        DocumentQuery(mrz=_mrz("C01X00T47")),
        DocumentQuery(number="ABI23", issuing_state="DEU"),
    ]
    with UnitOfWork(db, write=False) as uow:
        answer = checks.check_batch(uow, actor=frontline.actor, queries=queries)
    assert [r.result for r in answer.results] == ["none", "hit", "hit", "possible"]
    assert (answer.hits, answer.possible, answer.none) == (2, 1, 1)
    assert len(_rows(db, hits)) == 3
    assert [r.action for r in _rows(db, audit_log)][-1] == "documents.check_batch"


def test_a_manifest_with_a_bad_line_names_it_and_checks_nothing(
    db: Database, frontline: Officer
) -> None:
    queries = [DocumentQuery(number="X9", issuing_state="FRA"),
               DocumentQuery(number="X9", issuing_state="QQQ")]  # fmt: skip
    with pytest.raises(InvalidInput, match="document 1"), UnitOfWork(db, write=False) as uow:
        checks.check_batch(uow, actor=frontline.actor, queries=queries)


def test_a_manifest_over_the_limit_is_refused(
    db: Database, frontline: Officer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vigil.settings.CHECK_BATCH_MAX", 2)
    queries = [DocumentQuery(number=f"X{i}", issuing_state="FRA") for i in range(3)]
    with pytest.raises(InvalidInput, match="at most 2"), UnitOfWork(db, write=False) as uow:
        checks.check_batch(uow, actor=frontline.actor, queries=queries)


def test_the_query_needs_a_number_and_state_or_an_mrz() -> None:
    with pytest.raises(ValueError, match="number and issuing_state"):
        DocumentQuery(number="X1")


def test_a_possible_hit_is_none_to_a_partner_but_alerts_the_owner(
    db: Database, deu: Officer
) -> None:
    airline = make_user(db, "QAT", Role.PARTNER)
    report(db, deu, "C01X00T47")
    assert check(db, airline, number="CO1XOOT47", issuing_state="DEU") == PartnerCheck(
        result="none"
    )
    assert [h.match for h in _rows(db, hits)] == ["possible"]


@pytest.mark.parametrize("served", [True, False], ids=["group writer", "reading unit"])
def test_a_check_in_a_thread_answers_once_its_hit_and_audit_entry_are_durable(
    serving_db: Database, db: Database, served: bool
) -> None:
    """Through a server's group writer, or a command's reading unit: the same answers."""
    owner, officer = make_user(db, "DEU"), make_user(db, "ITA", Role.FRONTLINE)
    report(db, owner, "C01X00T47")
    database = serving_db if served else db
    query = DocumentQuery(number="C01X00T47", issuing_state="DEU")
    answer = checks.check_in_thread(database, actor=officer.actor, query=query)
    assert isinstance(answer, DocumentCheck) and answer.result == "hit"
    [match] = answer.matches
    assert [row.id for row in _rows(database, hits)] == [match.hit_id]
    assert {row.member for row in _rows(database, alerts)} == {"DEU", "ITA"}
    assert [r.action for r in _rows(database, audit_log)][-1] == "documents.check"
    clean = DocumentQuery(number="NOPE1", issuing_state="DEU")
    assert checks.check_in_thread(database, actor=officer.actor, query=clean).result == "none"
    reviewer = make_user(db, "GS", Role.REVIEWER)
    with pytest.raises(Forbidden):
        checks.check_in_thread(database, actor=reviewer.actor, query=clean)
