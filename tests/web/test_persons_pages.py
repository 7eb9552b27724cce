from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Officer, make_user
from vigil.access.envelope import Audience
from vigil.access.roles import Role
from vigil.core.pagination import PageRequest
from vigil.persons import service
from vigil.persons.models import Person, PersonIn
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web import persons as persons_pages

PASSWORD = "correct horse battery"


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _sign_in(client: TestClient, db: Database, member: str, role: Role = Role.NCB) -> str:
    login = f"{member.lower()}.{role.value}"
    make_user(db, member, role, login=login, password=PASSWORD)
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"login": login, "password": PASSWORD, "csrf_token": _form_token(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return _form_token(client.get("/inbox").text)


def _person(db: Database, owner: Officer, *names: str | dict[str, str], **fields: Any) -> Person:
    person_in = PersonIn.model_validate({"names": list(names), "category": "wanted", **fields})
    with UnitOfWork(db, write=True) as uow:
        return service.record(uow, actor=owner.actor, person_in=person_in)


def _screen(client: TestClient, csrf: str, **fields: str) -> str:
    answer = client.post("/persons/screen", data={"csrf_token": csrf, **fields})
    assert answer.status_code == 200, answer.text
    return answer.text


def _verdict(html: str) -> str:
    found = re.search(r'id="screen-result" data-result="(\w+)"', html)
    assert found is not None
    return found.group(1)


def test_screening_shows_each_candidate_with_score_hit_and_evidence(
    client: TestClient, db: Database
) -> None:
    wanted = _person(
        db, make_user(db, "DEU"), "Youssef Haddad", birth_date="1970-03-02", nationalities=["LBN"]
    )
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    page = _screen(client, csrf, name="Yousef Hadad", birth_date="1970-03-02", nationality="lbn")
    assert _verdict(page) == "hit"
    assert f'data-candidate="{wanted.id}" data-hit="true"' in page
    assert 'class="vigil-hit">HIT</mark>' in page
    assert 'data-feature="name"' in page and 'data-feature="birth_date"' in page
    assert re.search(r'data-weight="[\d.]+">\+\d\.\d\d</td>', page)
    assert "<progress value=" in page and 'value="Yousef Hadad"' in page
    assert "“<bdi>Yousef Hadad</bdi>” ~ “<bdi>Youssef Haddad</bdi>”" in page


def test_a_part_spelt_as_another_name_is_shown_as_evidence_in_the_officers_language(
    client: TestClient, db: Database
) -> None:
    albania = make_user(db, "ALB")
    _person(db, albania, "Dritan Krasniqi", birth_date="1990")
    for name in ("Driton Hoxha", "Dritan Berisha"):
        _person(db, albania, name, birth_date="1961")
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    client.cookies.set("vigil_lang", "fr")
    page = _screen(client, csrf, name="Driton Krasniqi", birth_date="1990")
    assert 'data-feature="name_part"' in page and "Partie du nom" in page
    assert 'data-weight="-0.5">-0.50</td>' in page


def test_names_quoted_in_an_explanation_are_cut_out_to_be_isolated() -> None:
    parts = persons_pages.quoted_parts("“Yusuf” ~ “يوسف”: 0.89, same sounds")
    assert parts == ["", "Yusuf", " ~ ", "يوسف", ": 0.89, same sounds"]


def test_screening_with_no_resemblance_says_so(client: TestClient, db: Database) -> None:
    _person(db, make_user(db, "DEU"), "Youssef Haddad")
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    page = _screen(client, csrf, name="Claire Martin")
    assert _verdict(page) == "none" and 'id="screen-empty"' in page


def test_bad_screening_input_is_shown_in_the_form(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    data = {"csrf_token": csrf, "name": "Ali Hassan", "birth_date": "1970-13", "nationality": "F"}
    answer = client.post("/persons/screen", data=data)
    assert answer.status_code == 422
    assert 'id="screen-errors"' in answer.text
    assert 'data-field="birth_date">Birth date:' in answer.text
    assert 'data-field="nationality">Nationality:' in answer.text
    assert 'value="Ali Hassan"' in answer.text and "screen-result" not in answer.text

    no_letters = client.post("/persons/screen", data={"csrf_token": csrf, "name": "1234"})
    assert no_letters.status_code == 422 and "a name needs at least one letter" in no_letters.text


def test_screening_form_without_the_session_token_is_refused(
    client: TestClient, db: Database
) -> None:
    _sign_in(client, db, "FRA", Role.FRONTLINE)
    answer = client.post("/persons/screen", data={"csrf_token": "forged", "name": "Ali"})
    assert answer.status_code == 403 and "screen-result" not in answer.text


def test_partner_learns_only_hit_or_no_hit(client: TestClient, db: Database) -> None:
    wanted = _person(db, make_user(db, "DEU"), "Youssef Haddad", birth_date="1970-03-02")
    csrf = _sign_in(client, db, "FRA", Role.PARTNER)
    assert 'href="/persons/screen"' in client.get("/inbox").text
    page = _screen(client, csrf, name="Youssef Haddad", birth_date="1970-03-02")
    assert _verdict(page) == "hit" and 'id="partner-note"' in page
    assert wanted.id not in page and "data-candidate" not in page and "DEU" not in page
    assert _verdict(_screen(client, csrf, name="Claire Martin")) == "none"
    assert client.get("/persons").status_code == 403
    assert client.get(f"/persons/{wanted.id}").status_code == 403
    assert client.get("/persons/new").status_code == 403


def test_reviewer_may_not_screen(client: TestClient, db: Database) -> None:
    _sign_in(client, db, "GS", Role.REVIEWER)
    assert client.get("/persons/screen").status_code == 403
    assert 'data-nav="persons"' not in client.get("/inbox").text


def test_list_is_newest_first_filtered_by_category_and_paged(
    client: TestClient, db: Database
) -> None:
    deu = make_user(db, "DEU")
    first = _person(db, deu, "Anna Schmidt", category="missing")
    second = _person(db, deu, "Jonas Weber")
    _sign_in(client, db, "FRA", Role.ANALYST)
    page = client.get("/persons").text
    assert page.index(second.id) < page.index(first.id)
    missing = client.get("/persons", params={"category": "missing"}).text
    assert first.id in missing and second.id not in missing
    bad = client.get("/persons", params={"category": "fugitive"})
    assert bad.status_code == 200 and 'id="filter-error"' in bad.text


def test_list_pages_keep_the_filter(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(persons_pages, "PAGE_SIZE", 1)
    deu = make_user(db, "DEU")
    older = _person(db, deu, "Anna Schmidt", category="missing")
    _person(db, deu, "Lena Vogel", category="missing")
    _sign_in(client, db, "FRA")
    page = client.get("/persons", params={"category": "missing"}).text
    more = re.search(r'href="([^"]+)" id="persons-more"', page)
    assert more is not None and "category=missing" in more.group(1)
    assert older.id in client.get(more.group(1).replace("&amp;", "&")).text


def test_record_page_shows_every_name_and_the_envelope(client: TestClient, db: Database) -> None:
    made = _person(
        db,
        make_user(db, "EGY"),
        "محمد علي حسن",
        {"full": "Mohamed Ali Hassan", "kind": "latin"},
        {"full": "Abu Ali", "kind": "alias"},
        birth_date="1980-05",
        sex="M",
        nationalities=["EGY"],
        handling="H2",
        identifiers=[{"type": "passport", "number": "A1234567", "issuing_state": "EGY"}],
    )
    _sign_in(client, db, "FRA")
    page = client.get(f"/persons/{made.id}").text
    assert '<tr data-kind="original" data-script="Arab">' in page
    assert '<td dir="auto" class="vigil-person-name">محمد علي حسن</td>' in page
    assert 'data-kind="latin" data-script="Latn"' in page and "Latin transcription" in page
    assert 'data-kind="alias"' in page and "Abu Ali" in page
    assert '<article id="person-handling" data-handling="H2">' in page
    assert "No onward sharing without the owner" in page
    assert "A1234567" in page and "1980-05" in page and "Male" in page
    assert '<dd dir="ltr" id="person-owner">EGY</dd>' in page


def test_record_the_user_may_not_see_is_not_found(client: TestClient, db: Database) -> None:
    hidden = _person(db, make_user(db, "DEU"), "Jonas Weber", audience=Audience.only("DEU"))
    _sign_in(client, db, "FRA")
    assert client.get(f"/persons/{hidden.id}").status_code == 404
    assert client.get("/persons/01a22964-0000-7000-8000-000000000000").status_code == 404
    assert hidden.id not in client.get("/persons").text


def test_ncb_records_a_person_with_several_names(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "FRA")
    assert 'id="person-form"' in client.get("/persons/new").text
    form = {
        "csrf_token": csrf,
        "names": "محمد علي حسن\r\nlatin: Mohamed Ali Hassan\r\nAbu Ali\r\n",
        "birth_date": "1980",
        "sex": "M",
        "nationalities": "egy, fra",
        "category": "suspect",
        "audience": "all",
        "handling": "H1",
    }
    filed = client.post("/persons/new", data=form, follow_redirects=False)
    assert filed.status_code == 303
    page = client.get(filed.headers["location"]).text
    assert page.count('class="vigil-person-name"') == 3
    assert 'data-kind="latin"' in page and 'data-kind="alias"' in page
    assert "EGY, FRA" in page and 'data-category="suspect"' in page
    assert 'id="person-audience">Every member' in page


def test_victim_is_shared_with_its_owner_only_by_default(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "FRA")
    form = {"csrf_token": csrf, "names": "Marie Dubois", "category": "victim", "audience": ""}
    filed = client.post("/persons/new", data=form, follow_redirects=False)
    assert filed.status_code == 303
    page = client.get(filed.headers["location"]).text
    assert re.search(r'id="person-audience">Only <span dir="ltr">FRA</span>', page)


def test_refused_record_shows_why_and_keeps_what_was_typed(
    client: TestClient, db: Database
) -> None:
    csrf = _sign_in(client, db, "FRA")
    form = {
        "csrf_token": csrf,
        "names": "Jean Valjean",
        "birth_date": "1769-02",
        "category": "wanted",
    }
    answer = client.post("/persons/new", data=form)
    assert answer.status_code == 422
    assert 'id="person-errors"' in answer.text and "Birth date:" in answer.text
    assert "Jean Valjean</textarea>" in answer.text

    unknown = client.post("/persons/new", data={**form, "birth_date": "", "nationalities": "XXX"})
    assert unknown.status_code == 422 and "Unknown nationalities: XXX" in unknown.text
    assert client.post("/persons/new", data={**form, "names": " "}).status_code == 422


def test_only_ncb_users_record_persons(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    assert client.get("/persons/new").status_code == 403
    form = {"csrf_token": csrf, "names": "Jean Valjean", "category": "wanted"}
    assert client.post("/persons/new", data=form).status_code == 403
    assert 'id="persons-new-link"' not in client.get("/persons").text


def test_record_form_without_the_session_token_is_refused(client: TestClient, db: Database) -> None:
    _sign_in(client, db, "FRA")
    form = {"csrf_token": "forged", "names": "Jean Valjean", "category": "wanted"}
    assert client.post("/persons/new", data=form).status_code == 403
    analyst = make_user(db, "FRA", Role.ANALYST).actor
    with UnitOfWork(db, write=False) as uow:
        listed = service.list_persons(uow, actor=analyst, page=PageRequest())
    assert listed.items == []


def test_owner_edits_a_record_in_the_form_it_was_filed_with(
    client: TestClient, db: Database
) -> None:
    made = _person(
        db,
        make_user(db, "FRA"),
        "محمد علي حسن",
        {"full": "Mohamed Ali Hassan", "kind": "latin", "given": "Mohamed", "family": "Hassan"},
        {"full": "Abu Ali", "kind": "alias"},
        birth_date="1980-05",
        nationalities=["EGY"],
        identifiers=[{"type": "passport", "number": "A1234567"}],
    )
    csrf = _sign_in(client, db, "FRA")
    record = client.get(f"/persons/{made.id}").text
    assert f'href="/persons/{made.id}/edit"' in record
    assert f'href="/persons/{made.id}/delete"' in record
    form = client.get(f"/persons/{made.id}/edit").text
    assert "محمد علي حسن\nlatin: Mohamed Ali Hassan\nAbu Ali</textarea>" in form
    assert 'value="1980-05"' in form and 'value="EGY"' in form
    assert f'action="/persons/{made.id}/edit"' in form
    fields = {
        "csrf_token": csrf,
        "names": "محمد علي حسن\nlatin: Mohamed Ali Hassan\nnickname: Abu Ali",
        "birth_date": "1980-05-17",
        "nationalities": "EGY",
        "category": "missing",
        "handling": "H0",
    }
    saved = client.post(f"/persons/{made.id}/edit", data=fields, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/persons/{made.id}"
    with UnitOfWork(db, write=False) as uow:
        changed = service.get(uow, actor=make_user(db, "FRA").actor, person_id=made.id)
    assert [n.kind for n in changed.names] == ["original", "latin", "nickname"]
    assert (changed.birth_date, changed.category.value) == ("1980-05-17", "missing")
    assert changed.names[1].family == "Hassan"  # parts the form hides are kept
    assert changed.details.identifiers[0].number == "A1234567"


def test_a_bad_edit_is_shown_in_the_form_and_changes_nothing(
    client: TestClient, db: Database
) -> None:
    made = _person(db, make_user(db, "FRA"), "Jean Valjean", birth_date="1969")
    csrf = _sign_in(client, db, "FRA")
    fields = {"csrf_token": csrf, "names": "Jean Valjean", "birth_date": "1969-13",
              "category": "wanted"}  # fmt: skip
    answer = client.post(f"/persons/{made.id}/edit", data=fields)
    assert answer.status_code == 422
    assert (
        'id="person-errors"' in answer.text and 'data-field="birth_date">Birth date:' in answer.text
    )
    assert 'value="1969-13"' in answer.text
    assert 'id="person-birth-date">1969<' in client.get(f"/persons/{made.id}").text


def test_owner_deletes_a_record_after_confirming(client: TestClient, db: Database) -> None:
    made = _person(db, make_user(db, "FRA"), "Jean Valjean")
    csrf = _sign_in(client, db, "FRA")
    confirm = client.get(f"/persons/{made.id}/delete")
    assert confirm.status_code == 200 and 'id="person-delete-form"' in confirm.text
    forged = client.post(f"/persons/{made.id}/delete", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    deleted = client.post(
        f"/persons/{made.id}/delete", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert deleted.status_code == 303 and deleted.headers["location"] == "/persons"
    assert client.get(f"/persons/{made.id}").status_code == 404


def test_a_member_that_does_not_own_a_record_may_not_edit_or_delete_it(
    client: TestClient, db: Database
) -> None:
    made = _person(db, make_user(db, "DEU"), "Jonas Weber")
    csrf = _sign_in(client, db, "FRA")
    record = client.get(f"/persons/{made.id}").text
    assert 'id="person-edit-link"' not in record and 'id="person-delete-link"' not in record
    assert client.get(f"/persons/{made.id}/edit").status_code == 403
    assert client.get(f"/persons/{made.id}/delete").status_code == 403
    fields = {"csrf_token": csrf, "names": "Hans Weber", "category": "wanted"}
    assert client.post(f"/persons/{made.id}/edit", data=fields).status_code == 403
    assert client.post(f"/persons/{made.id}/delete", data={"csrf_token": csrf}).status_code == 403
    assert "Jonas Weber" in client.get(f"/persons/{made.id}").text


def test_strangers_are_sent_to_sign_in(client: TestClient) -> None:
    for path in ("/persons", "/persons/screen", "/persons/new", "/persons/x", "/persons/x/edit"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
