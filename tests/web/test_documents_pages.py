from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from tests.conftest import make_user
from tests.documents.helpers import report
from vigil.access.actors import Actor
from vigil.access.roles import Role, allows
from vigil.core.countries import GS
from vigil.documents.manifests import read_manifest
from vigil.documents.mrz import make_mrz
from vigil.errors import InvalidInput, NotFound
from vigil.storage.engine import Database
from vigil.web import documents as documents_pages
from vigil.web.session import PageSession
from vigil.web.templating import render

PASSWORD = "correct horse battery"
SEIZE_FR = "Signalé volé : retenez le document"


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


def _report_form(csrf: str, **fields: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "number": "12AB34567",
        "issuing_state": "FRA",
        "type": "passport",
        "status": "stolen",
        "holder_surname": "Martin",
        "holder_given_names": "Claire",
        "holder_birth_date": "1985-06-01",
        "audience": "all",
        "handling": "H2",
        **fields,
    }


def _check(client: TestClient, csrf: str, **fields: str) -> str:
    answer = client.post("/documents/check", data={"csrf_token": csrf, **fields})
    assert answer.status_code == 200, answer.text
    return answer.text


def _verdict(html: str) -> str:
    found = re.search(r'id="check-result" data-result="(\w+)"', html)
    assert found is not None
    return found.group(1)


def test_ncb_reports_views_checks_and_recovers_a_document(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "FRA")
    assert 'id="report-form"' in client.get("/documents").text

    filed = client.post("/documents", data=_report_form(csrf), follow_redirects=False)
    assert filed.status_code == 303
    page = client.get(filed.headers["location"]).text
    assert '<article id="report-handling" data-handling="H2">' in page
    assert "No onward sharing without the owner" in page
    assert 'id="recover"' in page and 'id="withdraw"' in page

    hit = _check(client, csrf, number="12ab-34567", issuing_state="fra")
    assert _verdict(hit) == "hit"
    assert 'data-action="seize"' in hit and "seize the document" in hit

    client.post(f"{filed.headers['location']}/recover", data={"csrf_token": csrf})
    recovered = client.get(filed.headers["location"]).text
    assert 'id="report-recovered"' in recovered and 'id="recover"' not in recovered
    assert _verdict(_check(client, csrf, number="12AB34567", issuing_state="FRA")) == "none"


def test_actions_are_said_in_the_officers_language(client: TestClient, db: Database) -> None:
    report(db, make_user(db, "DEU"), number="C01X00T47")
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    client.get("/lang/fr")
    page = _check(client, csrf, number="C01X00T47", issuing_state="DEU")
    assert SEIZE_FR in page and "seize the document" not in page


def test_partner_learns_only_hit_or_no_hit(client: TestClient, db: Database) -> None:
    filed = report(db, make_user(db, "DEU"), number="C01X00T47")
    csrf = _sign_in(client, db, "FRA", Role.PARTNER)
    page = _check(client, csrf, number="C01X00T47", issuing_state="DEU")
    assert _verdict(page) == "hit"
    assert 'id="partner-note"' in page
    assert filed.id not in page and "check-matches" not in page and "data-action" not in page
    assert _verdict(_check(client, csrf, number="X9999999", issuing_state="DEU")) == "none"
    assert client.get("/documents").status_code == 403


def test_pasted_mrz_is_shown_read_and_checked(client: TestClient, db: Database) -> None:
    report(db, make_user(db, "DEU"), number="C01X00T47")
    csrf = _sign_in(client, db, "ESP", Role.FRONTLINE)
    mrz = make_mrz(
        format="TD3", document_code="P", issuing_state="D", document_number="C01X00T47",
        surname="MUSTERMANN", given_names="ERIKA", nationality="D",
        birth_date=date(1983, 8, 12), sex="F", expiry_date=date(2031, 10, 31),
    )  # fmt: skip
    page = _check(client, csrf, mrz="\r\n".join(mrz))
    assert _verdict(page) == "hit"
    assert '<td dir="ltr" data-field="surname">MUSTERMANN</td>' in page
    assert 'data-valid="true"' in page


def test_check_needs_a_number_and_state_or_an_mrz(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    answer = client.post("/documents/check", data={"csrf_token": csrf, "number": "C01X00T47"})
    assert answer.status_code == 422
    assert 'id="check-error"' in answer.text and 'value="C01X00T47"' in answer.text


def test_check_form_without_the_session_token_is_refused(client: TestClient, db: Database) -> None:
    _sign_in(client, db, "FRA", Role.FRONTLINE)
    data = {"csrf_token": "forged", "number": "C01X00T47", "issuing_state": "DEU"}
    answer = client.post("/documents/check", data=data)
    assert answer.status_code == 403
    assert "check-result" not in answer.text


def test_refused_report_shows_why_and_keeps_what_was_typed(
    client: TestClient, db: Database
) -> None:
    csrf = _sign_in(client, db, "FRA")
    form = _report_form(csrf, number="ZZ7654321", holder_birth_date="1985-13-40")
    answer = client.post("/documents", data=form)
    assert answer.status_code == 422
    assert 'id="report-errors"' in answer.text and "Birth date:" in answer.text
    assert 'value="ZZ7654321"' in answer.text and 'value="Martin"' in answer.text
    assert '<option value="H2" selected>' in answer.text


def test_report_of_another_states_document_is_refused_on_the_form(
    client: TestClient, db: Database
) -> None:
    csrf = _sign_in(client, db, "FRA")
    answer = client.post("/documents", data=_report_form(csrf, issuing_state="DEU"))
    assert answer.status_code == 403
    assert "Only the issuing state reports its documents" in answer.text
    assert 'value="DEU"' in answer.text


def test_list_filters_and_hides_buttons_from_other_members(
    client: TestClient, db: Database
) -> None:
    deu = make_user(db, "DEU")
    stolen = report(db, deu, number="C01X00T47")
    lost = report(db, deu, number="C02Y11U58", status="lost")
    _sign_in(client, db, "FRA")
    listed = client.get("/documents?issuing_state=deu&status=lost").text
    assert lost.id in listed and stolen.id not in listed
    assert stolen.id in client.get("/documents?number=c01x00t47").text
    assert 'id="filter-error"' in client.get("/documents?issuing_state=ZZZ").text
    page = client.get(f"/documents/{stolen.id}").text
    assert "C01X00T47" in page and 'id="recover"' not in page and 'id="withdraw"' not in page


def test_list_pages_with_the_cursor_and_keeps_the_filters(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents_pages, "PAGE_SIZE", 1)
    deu = make_user(db, "DEU")
    older = report(db, deu, number="C01X00T47", status="lost")
    report(db, deu, number="C02Y11U58")
    newer = report(db, deu, number="C03Z22V69", status="lost")
    _sign_in(client, db, "FRA")
    first = client.get("/documents?status=lost").text
    assert newer.id in first and older.id not in first
    more = re.search(r'<a href="([^"]+)" id="documents-more">', first)
    assert more is not None and "status=lost" in more.group(1)
    second = client.get(more.group(1).replace("&amp;", "&")).text
    assert older.id in second and newer.id not in second


def test_withdrawn_report_is_gone(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "FRA")
    filed = client.post("/documents", data=_report_form(csrf), follow_redirects=False)
    where = filed.headers["location"]
    assert client.post(f"{where}/withdraw", data={"csrf_token": "forged"}).status_code == 403
    gone = client.post(f"{where}/withdraw", data={"csrf_token": csrf}, follow_redirects=False)
    assert gone.headers["location"] == "/documents"
    assert client.get(where).status_code == 404


def _upload(client: TestClient, csrf: str, name: str, content: str) -> tuple[int, str]:
    answer = client.post(
        "/documents/manifest",
        data={"csrf_token": csrf},
        files={"manifest": (name, content.encode(), "text/plain")},
    )
    return answer.status_code, answer.text


def _rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-result="(\w+)" data-row="(\d+)">', html)


def test_manifest_shows_totals_with_hits_first(client: TestClient, db: Database) -> None:
    deu = make_user(db, "DEU")
    report(db, deu, number="C01X00T47")
    report(db, deu, number="C02Y11U58", status="lost")
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    manifest = "issuing_state,number,seat\nESP,AAA111,1A\nDEU,C02Y11U58,1B\n,,\nDEU,C01X00T4,2C\n"

    status, page = _upload(client, csrf, "flight.csv", manifest)

    assert status == 200
    assert _rows(page) == [("hit", "3"), ("none", "2"), ("none", "5")]
    assert '<strong data-total="hits" class="vigil-error">1</strong>' in page
    assert '<strong data-total="none">2</strong>' in page


def test_manifest_in_json_lines_for_a_partner_gives_results_only(
    client: TestClient, db: Database
) -> None:
    report(db, make_user(db, "DEU"), number="C01X00T47")
    csrf = _sign_in(client, db, "FRA", Role.PARTNER)
    manifest = (
        '{"number": "X1", "issuing_state": "ESP"}\n'
        "\n"
        '{"number": "C01X00T47", "issuing_state": "DEU", "seat": "2C"}\n'
    )
    status, page = _upload(client, csrf, "flight.jsonl", manifest)
    assert status == 200
    assert _rows(page) == [("hit", "3"), ("none", "1")]
    assert "/documents/0" not in page  # no link to any report


def test_a_bad_manifest_is_explained_on_the_page(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    status, page = _upload(client, csrf, "flight.jsonl", '{"number": "X1"}\n{"number": "X2"\n')
    assert status == 422
    assert 'id="manifest-error"' in page
    assert "Row 1: <span" in page and "Row 2: <span" in page and "not JSON" in page


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("flight.csv", b"passport,country\nX1,ESP\n", "header must name"),
        ("flight.txt", b"number,issuing_state\nX1,ZZZ\n", ""),  # read as CSV, checked later
        ("flight.csv", b"number,issuing_state\n,,\n", "holds no documents"),
        ("flight.csv", b"mrz,name\n,Ana\n", "rows cannot be checked"),
        ("flight.jsonl", b'["X1", "ESP"]\n', "rows cannot be checked"),
        ("flight.csv", b"\xff\xfe", "not UTF-8"),
    ],
)
def test_manifest_reading_names_what_is_wrong(name: str, content: bytes, expected: str) -> None:
    if not expected:
        assert [row.row for row in read_manifest(content, name)] == [2]
        return
    with pytest.raises(InvalidInput, match=expected):
        read_manifest(content, name)


def test_manifest_rows_name_their_line_in_the_file() -> None:
    with pytest.raises(InvalidInput) as raised:
        read_manifest(b"number,issuing_state\nX1,ESP\nX2,\n", "flight.csv")
    assert [row for row, _ in raised.value.extra["rows"]] == [3]


@pytest.mark.parametrize("role", list(Role))
def test_document_links_follow_the_roles_permissions(role: Role) -> None:
    member = GS if role in (Role.ADMIN, Role.REVIEWER) else "FRA"
    actor = Actor(user_id="u1", member=member, role=role, name="officer")
    request = Request({"type": "http", "path": "/account", "query_string": b"", "headers": []})
    context = {"session": PageSession(actor, "token"), "error": NotFound("gone")}
    nav = render(request, "error.html", context).body.decode()
    assert ('data-nav="documents"' in nav) == allows(role, "records.read")
    assert ('data-nav="documents-check"' in nav) == allows(role, "documents.check")
    assert ('data-nav="documents-manifest"' in nav) == allows(role, "documents.check")
