"""The members of the screening scenarios: NGA (a Red Notice), KEN (a stolen passport), ESP
(the border, and its NCB), and a reviewer of the General Secretariat."""

from __future__ import annotations

import pytest

from tests.conftest import Officer, make_user
from vigil.access.roles import Role
from vigil.storage.engine import Database


@pytest.fixture
def officers(db: Database) -> dict[str, Officer]:
    return {
        "NGA": make_user(db, "NGA"),
        "KEN": make_user(db, "KEN"),
        "ESP": make_user(db, "ESP", Role.FRONTLINE),
        "ESP_NCB": make_user(db, "ESP"),
        "GS": make_user(db, "GS", Role.REVIEWER),
    }
