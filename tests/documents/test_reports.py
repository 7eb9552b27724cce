from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import Officer, make_user
from tests.documents.helpers import report
from vigil.access.roles import Role
from vigil.documents import service
from vigil.documents.models import DocumentReportChange, DocumentReportIn, DocumentStatus
from vigil.errors import Conflict, Forbidden, NotFound
from vigil.storage.engine import Database
from vigil.storage.tables import audit_log
from vigil.storage.uow import UnitOfWork


def _actions(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.scalars(sa.select(audit_log.c.action).order_by(audit_log.c.seq)))


def test_the_issuing_state_reports_its_document(db: Database, fra: Officer) -> None:
    made = report(db, fra, "c01x-00t47", holder={"surname": "MARTIN"})
    assert made.number == "C01X00T47"
    assert made.envelope.owner == "FRA"
    assert made.envelope.title == "FRA passport C01X00T47 (stolen)"
    with UnitOfWork(db, write=False) as uow:
        seen = service.get(uow, actor=fra.actor, report_id=made.id)
    assert seen.holder is not None and seen.holder.surname == "MARTIN"
    assert _actions(db)[-2:] == ["documents.report", "documents.read"]


def test_only_the_issuing_state_may_report(db: Database, fra: Officer) -> None:
    with pytest.raises(Forbidden, match="issuing state"):
        report(db, fra, issuing_state="DEU")


def test_frontline_officers_do_not_report(db: Database) -> None:
    frontline = make_user(db, "FRA", Role.FRONTLINE)
    with pytest.raises(Forbidden):
        report(db, frontline)


def test_a_blank_is_reported_as_a_stolen_blank_only() -> None:
    with pytest.raises(ValueError, match="stolen_blank"):
        DocumentReportIn(number="X1", issuing_state="FRA", type="blank", status="lost")
    with pytest.raises(ValueError, match="stolen_blank"):
        DocumentReportIn(number="X1", issuing_state="FRA", type="passport", status="stolen_blank")


def test_the_same_document_is_reported_once(db: Database, fra: Officer) -> None:
    report(db, fra, "AB123")
    with pytest.raises(Conflict, match="already reported"):
        report(db, fra, "ab-123", status="lost")
    report(db, fra, "AB123", type="id_card")  # another document with the same number


def test_recovered_document_may_be_reported_again(db: Database, fra: Officer) -> None:
    first = report(db, fra, "AB123")
    with UnitOfWork(db, write=True) as uow:
        recovered = service.recover(uow, actor=fra.actor, report_id=first.id)
    assert recovered.recovered_at is not None
    with pytest.raises(Conflict, match="recovered"), UnitOfWork(db, write=True) as uow:
        service.recover(uow, actor=fra.actor, report_id=first.id)
    assert report(db, fra, "AB123").id != first.id
    assert "documents.recover" in _actions(db)


def test_owner_corrects_a_report_and_its_keys_follow(db: Database, fra: Officer) -> None:
    made = report(db, fra, "AB123")
    change = DocumentReportChange(number="AB124", status="lost")
    with UnitOfWork(db, write=True) as uow:
        changed = service.change(uow, actor=fra.actor, report_id=made.id, change=change)
    assert (changed.number, changed.status.value) == ("AB124", "lost")
    assert changed.envelope.title == "FRA passport AB124 (lost)"
    report(db, fra, "AB123")  # the old key is free again


def test_another_member_cannot_change_withdraw_or_recover(
    db: Database, fra: Officer, deu: Officer
) -> None:
    made = report(db, fra)
    with pytest.raises(Forbidden), UnitOfWork(db, write=True) as uow:
        service.recover(uow, actor=deu.actor, report_id=made.id)
    with pytest.raises(Forbidden), UnitOfWork(db, write=True) as uow:
        service.delete(uow, actor=deu.actor, report_id=made.id)


def test_a_withdrawn_report_is_gone_and_its_document_may_be_reported_anew(
    db: Database, fra: Officer
) -> None:
    made = report(db, fra)
    with UnitOfWork(db, write=True) as uow:
        service.delete(uow, actor=fra.actor, report_id=made.id)
    with pytest.raises(NotFound), UnitOfWork(db, write=False) as uow:
        service.get(uow, actor=fra.actor, report_id=made.id)
    report(db, fra)


def test_a_restricted_report_is_not_found_by_excluded_members(
    db: Database, fra: Officer, deu: Officer
) -> None:
    made = report(db, fra, audience={"except": ["DEU"]})
    with pytest.raises(NotFound), UnitOfWork(db, write=False) as uow:
        service.get(uow, actor=deu.actor, report_id=made.id)


def test_list_filters_by_number_state_and_status(db: Database, fra: Officer, deu: Officer) -> None:
    from vigil.core.pagination import page_request

    report(db, fra, "AB123")
    report(db, fra, "ZZ999", status="lost")
    report(db, deu, "AB123", audience={"only": ["DEU"]})
    with UnitOfWork(db, write=False) as uow:
        page = service.list_reports(
            uow, actor=fra.actor, page=page_request(None, 10), number="ab123"
        )
        lost = service.list_reports(
            uow, actor=fra.actor, page=page_request(None, 10), status=DocumentStatus.LOST
        )
    assert [(r.issuing_state, r.number) for r in page.items] == [("FRA", "AB123")]
    assert [r.number for r in lost.items] == ["ZZ999"]
