"""The members of the messaging scenarios."""

from __future__ import annotations

import pytest

from tests.conftest import Officer, make_user
from vigil.storage.engine import Database


@pytest.fixture
def o(db: Database) -> dict[str, Officer]:
    return {m: make_user(db, m) for m in ("ESP", "ITA", "LBY", "NGA", "FRA")}
