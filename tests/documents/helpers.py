"""Small builders shared by the document tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import Officer
from vigil.documents import checks, service
from vigil.documents.models import (
    DocumentCheck,
    DocumentQuery,
    DocumentReport,
    DocumentReportIn,
    PartnerCheck,
)
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork


def report(
    db: Database, owner: Officer, number: str = "C01X00T47", **fields: Any
) -> DocumentReport:
    values = {
        "number": number,
        "issuing_state": owner.actor.member,
        "type": "passport",
        "status": "stolen",
        **fields,
    }
    with UnitOfWork(db, write=True) as uow:
        return service.report(uow, actor=owner.actor, report_in=DocumentReportIn(**values))


def check(db: Database, who: Officer, **query: Any) -> DocumentCheck | PartnerCheck:
    with UnitOfWork(db, write=False) as uow:
        return checks.check(uow, actor=who.actor, query=DocumentQuery(**query))
