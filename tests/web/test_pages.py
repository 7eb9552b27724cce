from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import make_record, make_user
from vigil.access.envelope import Audience
from vigil.storage.engine import Database

PASSWORD = "correct horse battery"


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, login: str) -> str:
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"login": login, "password": PASSWORD, "csrf_token": _form_token(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return _form_token(client.get("/inbox").text)


def test_pages_send_strangers_to_sign_in(client: TestClient) -> None:
    answer = client.get("/inbox", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_sign_in_form_without_its_token_is_refused(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password=PASSWORD)
    client.get("/login")
    answer = client.post("/login", data={"login": "ana", "password": PASSWORD, "csrf_token": "x"})
    assert answer.status_code == 403
    assert "vigil_session" not in answer.cookies


def test_officer_signs_in_and_reads_the_inbox(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password=PASSWORD)
    owner = make_user(db, "DEU")
    make_record(db, owner, audience=Audience.only("FRA"), announce=True, title="Wanted: J. Doe")
    _sign_in(client, "ana")
    inbox = client.get("/inbox")
    assert inbox.status_code == 200
    assert "Wanted: J. Doe" in inbox.text


def test_marking_read_from_a_form_needs_the_session_token(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password=PASSWORD)
    make_record(db, make_user(db, "DEU"), audience=Audience.only("FRA"), announce=True)
    csrf = _sign_in(client, "ana")
    alert_id = client.get("/api/v1/alerts").json()["items"][0]["id"]
    forged = client.post(f"/inbox/{alert_id}/read", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    client.post(f"/inbox/{alert_id}/read", data={"csrf_token": csrf})
    assert client.get("/api/v1/alerts/unread-count").json() == {"unread": 0}


def test_arabic_pages_are_right_to_left(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password=PASSWORD)
    _sign_in(client, "ana")
    client.get("/lang/ar?next=/inbox")
    page = client.get("/inbox").text
    assert '<html lang="ar" dir="rtl"' in page
    assert "التنبيهات" in page


def test_language_switch_never_redirects_off_site(client: TestClient) -> None:
    answer = client.get("/lang/fr?next=//evil.example/", follow_redirects=False)
    assert answer.headers["location"] == "/inbox"


def test_a_record_page_shows_handling_and_hides_what_others_own(
    client: TestClient, db: Database
) -> None:
    make_user(db, "FRA", login="ana", password=PASSWORD)
    deu = make_user(db, "DEU")
    shared = make_record(db, deu, title="shared with all")
    hidden = make_record(db, deu, audience=Audience.only("DEU"), title="German only")
    _sign_in(client, "ana")
    page = client.get(f"/records/{shared.id}")
    assert "shared with all" in page.text and "H0" in page.text
    assert client.get(f"/records/{hidden.id}").status_code == 404
    assert "German only" not in client.get("/records").text


def test_a_new_token_is_shown_once_on_the_account_page(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password=PASSWORD)
    csrf = _sign_in(client, "ana")
    answer = client.post("/account/tokens", data={"label": "laptop", "csrf_token": csrf})
    assert answer.status_code == 201
    token = re.search(r"(vgl_[A-Za-z0-9_\-]+)", answer.text)
    assert token is not None
    assert token.group(1) not in client.get("/account").text


def test_sign_out_ends_the_session(client: TestClient, db: Database) -> None:
    make_user(db, "FRA", login="ana", password=PASSWORD)
    csrf = _sign_in(client, "ana")
    client.post("/logout", data={"csrf_token": csrf})
    assert client.get("/inbox", follow_redirects=False).status_code == 303
