"""The equivalent names page: administrators load and remove tables from the workspace;
officers see what is loaded; bad files are refused with the reason and load nothing."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from tests.web.test_persons_pages import _sign_in
from vigil.access.roles import Role
from vigil.core.countries import GS
from vigil.persons import equivalents_store
from vigil.storage.engine import Database

NICKNAMES = b"name1,relationship,name2\nwilliam,has_nickname,bill\nrobert,has_nickname,bob\n"


def _upload(
    client: TestClient, csrf: str, data: bytes, name: str = "nick.csv", **fields: str
) -> httpx.Response:
    return client.post(
        "/persons/equivalents",
        data={"csrf_token": csrf, **fields},
        files={"table": (name, data, "text/csv")},
    )


def test_an_administrator_loads_and_removes_a_table(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, GS, Role.ADMIN)
    page = client.get("/persons/equivalents")
    assert page.status_code == 200 and 'id="equivalents-none"' in page.text
    assert 'href="/persons/equivalents"' in page.text  # the admin's way in, from the menu
    loaded = _upload(client, csrf, NICKNAMES, source="nicknames-en")
    assert loaded.status_code == 200, loaded.text
    assert 'id="equivalents-loaded"' in loaded.text
    assert re.search(r'<tr data-source="nicknames-en">', loaded.text)
    with db.engine.connect() as conn:
        assert [s["pairs_kept"] for s in equivalents_store.sources(conn)] == [2]
    removed = client.post(
        "/persons/equivalents/nicknames-en/remove", data={"csrf_token": csrf},
        follow_redirects=False,
    )  # fmt: skip
    assert removed.status_code == 303
    with db.engine.connect() as conn:
        assert equivalents_store.sources(conn) == []


def test_a_bad_file_is_refused_with_the_reason(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, GS, Role.ADMIN)
    empty = _upload(client, csrf, b"lonely\n", name="x.txt")
    assert empty.status_code == 422
    assert 'id="equivalents-error"' in empty.text and "no pair of names found" in empty.text
    latin1 = _upload(client, csrf, "josé, josef\n".encode("latin-1"))
    assert latin1.status_code == 422 and "UTF-8" in latin1.text
    odd = _upload(client, csrf, NICKNAMES, format="xml")
    assert odd.status_code == 422 and "Unknown format" in odd.text
    forged = _upload(client, "not-the-token", NICKNAMES)
    assert forged.status_code == 403
    with db.engine.connect() as conn:
        assert equivalents_store.sources(conn) == []


def test_officers_see_the_tables_but_may_not_change_them(client: TestClient, db: Database) -> None:
    admin_client = TestClient(client.app)
    admin_csrf = _sign_in(admin_client, db, GS, Role.ADMIN)
    assert _upload(admin_client, admin_csrf, NICKNAMES, source="nick").status_code == 200
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    page = client.get("/persons/equivalents")
    assert page.status_code == 200 and 'data-source="nick"' in page.text
    assert 'id="equivalents-form"' not in page.text and "data-remove" not in page.text
    assert _upload(client, csrf, NICKNAMES, source="mine").status_code == 403
    refused = client.post("/persons/equivalents/nick/remove", data={"csrf_token": csrf})
    assert refused.status_code == 403
