from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_user
from tests.web.test_notices_pages import _published, _wanted
from tests.web.test_persons_pages import _sign_in
from vigil.storage.engine import Database


def test_public_pages_show_the_extract_to_anyone_without_signing_in(
    client: TestClient, db: Database
) -> None:
    nga = make_user(db, "NGA")
    public = _published(db, nga, _wanted(db, nga), public_extract=True, handling="H1")
    private = _published(db, nga, _wanted(db, nga, "Ngozi Adichie"))
    listed = client.get("/public/notices", follow_redirects=False)
    assert listed.status_code == 200
    assert f'data-extract="{public.id}" data-type="red"' in listed.text
    assert private.id not in listed.text and "Ngozi Adichie" not in listed.text
    assert 'data-nav="public"' in listed.text and 'name="vigil-csrf"' not in listed.text

    one = client.get(f"/public/notices/{public.id}", follow_redirects=False)
    assert one.status_code == 200
    page = one.text
    assert '<h1 id="public-name"><bdi>Chukwuemeka Okonkwo</bdi></h1>' in page
    assert 'data-field="birth_year"><span dir="ltr">1979</span>' in page
    assert "1979-06-14" not in page
    assert "Trafficking in persons for sexual exploitation" in page
    # Nothing beyond the extract: no warrant, law, penalty, handling or person record.
    for secret in ("FHC/L/123/2026", "Trafficking in Persons Act", "H1", str(public.person_id)):
        assert secret not in page
    assert client.get(f"/public/notices/{private.id}").status_code == 404


def test_public_list_filters_red_and_yellow_only(client: TestClient, db: Database) -> None:
    nga = make_user(db, "NGA")
    red = _published(db, nga, _wanted(db, nga), public_extract=True)
    yellow = _published(
        db, nga, _wanted(db, nga, "Adaeze Nwosu"), public_extract=True, type="yellow",
        circumstances="Left school on 3 March.", minor=True, charges=[], warrant_reference=None,
        law=None, max_penalty_years=None,
    )  # fmt: skip
    only_yellow = client.get("/public/notices", params={"type": "yellow"}).text
    assert yellow.id in only_yellow and red.id not in only_yellow
    assert "Left school on 3 March." in only_yellow and 'data-field="minor"' in only_yellow
    blue = client.get("/public/notices", params={"type": "blue"})
    assert blue.status_code == 200 and 'id="filter-error"' in blue.text


@pytest.mark.parametrize(
    ("code", "heading"),
    [("ar", "النشرات العلنية"), ("fr", "Notices publiques"), ("es", "Notificaciones públicas")],
)
def test_public_pages_speak_the_chosen_language(
    client: TestClient, db: Database, code: str, heading: str
) -> None:
    nga = make_user(db, "NGA")
    public = _published(db, nga, _wanted(db, nga), public_extract=True)
    switched = client.get(f"/lang/{code}?next=/public/notices", follow_redirects=False)
    assert switched.headers["location"] == "/public/notices"
    listed = client.get("/public/notices").text
    assert f'<html lang="{code}" dir="{"rtl" if code == "ar" else "ltr"}"' in listed
    assert f"<h1>{heading}</h1>" in listed
    page = client.get(f"/public/notices/{public.id}").text
    assert f'<html lang="{code}"' in page
    assert '<h1 id="public-name"><bdi>Chukwuemeka Okonkwo</bdi></h1>' in page


def test_a_signed_in_officer_sees_the_same_public_pages(client: TestClient, db: Database) -> None:
    nga = make_user(db, "NGA")
    public = _published(db, nga, _wanted(db, nga), public_extract=True)
    _sign_in(client, db, "FRA")
    assert public.id in client.get("/public/notices").text
    unknown = client.get("/public/notices/01a22964-0000-7000-8000-000000000000")
    assert unknown.status_code == 404 and 'href="/public/notices"' in unknown.text
