"""The frontline page and hits in the workspace: one answer with the action to take, refusals
as typed, passenger lists, nothing of a photo kept, the follow-up forms of each member, and
the nav by permission."""

from __future__ import annotations

import base64
import io
import json
import re
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import make_user
from tests.web.test_biometrics_pages import FACES, needs_faces
from tests.web.test_biometrics_pages import _sign_in as sign_in
from tests.web.test_notices_pages import _published, _wanted
from vigil import settings
from vigil.access.roles import PERMISSIONS, Role
from vigil.core import clock
from vigil.documents import service as documents
from vigil.documents.models import DocumentReportIn
from vigil.documents.mrz import make_mrz
from vigil.storage.engine import Database
from vigil.storage.tables import metadata
from vigil.storage.uow import UnitOfWork

NAME = "Chukwuemeka Okonkwo"
PASSPORT = "AK0456721"


@dataclass(frozen=True)
class Scenario:
    """NGA wants the traveller under a Red Notice; KEN reported his passport stolen."""

    person_id: str
    notice_id: str
    report_id: str
    mrz: str


def traveller_who_hits(db: Database) -> Scenario:
    nga, ken = make_user(db, "NGA"), make_user(db, "KEN")
    person = _wanted(db, nga, NAME)
    notice = _published(db, nga, person)
    report_in = DocumentReportIn(number=PASSPORT, issuing_state="KEN", type="passport",
                                 status="stolen")  # fmt: skip
    with UnitOfWork(db, write=True) as uow:
        report = documents.report(uow, actor=ken.actor, report_in=report_in)
    mrz = make_mrz(
        format="TD3", document_code="P", issuing_state="KEN", document_number=PASSPORT,
        surname="OKONKWO", given_names="CHUKWUEMEKA", nationality="NGA",
        birth_date=date(1979, 6, 14), sex="M", expiry_date=date(2030, 1, 1),
    )  # fmt: skip
    return Scenario(person.id, notice.id, report.id, "\n".join(mrz))


def _check(client: TestClient, csrf: str, status: int = 200, **fields: str) -> str:
    answer = client.post("/screening", data={"csrf_token": csrf, **fields})
    assert answer.status_code == status, answer.text
    return answer.text


def _hit_ids(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-kind="(\w+)" data-match="hit"[^>]* data-hit="([\w-]+)"', html))


def test_an_mrz_that_hits_shows_the_action_in_large_type(client: TestClient, db: Database) -> None:
    scenario = traveller_who_hits(db)
    csrf = sign_in(client, db, "ESP", Role.FRONTLINE)
    assert 'id="screening-form"' in client.get("/screening").text

    page = _check(client, csrf, mrz=scenario.mrz, direction="arrival")
    assert 'id="screening-result" data-result="hit" data-action="arrest"' in page
    assert re.search(r'class="vigil-action" id="screening-action" data-action="arrest">'
                     r"Hold: wanted for arrest</p>", page)  # fmt: skip
    assert "it must confirm the identity before any arrest" in page
    person = page[page.index('data-kind="person"') :]
    assert f'data-record="{scenario.person_id}"' in person[:300]
    assert f'data-notice="{scenario.notice_id}" data-type="red" data-action="arrest"' in person
    document = page[page.index('data-kind="document"') :]
    assert 'data-action="seize"' in document[:200] and f"KEN passport {PASSPORT}" in document
    assert f'href="/documents/{scenario.report_id}"' in document
    hits = _hit_ids(page)
    assert set(hits) == {"person", "document"}
    assert f'href="/hits/{hits["person"]}"' in page
    assert scenario.mrz.splitlines()[0].replace("<", "&lt;") in page  # kept as typed


def test_a_traveller_nothing_matches_is_said_so(client: TestClient, db: Database) -> None:
    traveller_who_hits(db)
    csrf = sign_in(client, db, "ESP", Role.FRONTLINE)
    page = _check(client, csrf, document_number="X1234567", issuing_state="fra",
                  name="Jeanne Martin")  # fmt: skip
    assert 'data-result="none"' in page and 'id="screening-none"' in page


def test_a_refused_check_keeps_what_was_typed(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "ESP", Role.FRONTLINE)
    both = _check(client, csrf, 422, mrz="P<KENOKONKWO", document_number="AK0456721",
                  issuing_state="KEN", name="Okonkwo")  # fmt: skip
    assert 'id="screening-errors"' in both and "give mrz or document, not both" in both
    assert (
        'name="document_number" value="AK0456721"' in both and ">P&lt;KENOKONKWO</textarea>" in both
    )
    bad_date = _check(client, csrf, 422, name="Jeanne Martin", birth_date="1979-13-45",
                      nationality="FRA")  # fmt: skip
    assert re.search(r'<li class="vigil-error" data-field="birth_date">Birth date: ', bad_date)
    assert 'name="birth_date" value="1979-13-45"' in bad_date
    assert 'name="name" value="Jeanne Martin"' in bad_date
    nothing = _check(client, csrf, 422)
    assert "give an mrz, a document or a name" in nothing
    expired = client.post("/screening", data={"csrf_token": "stale", "name": "Jeanne Martin"})
    assert expired.status_code == 403 and 'value="Jeanne Martin"' in expired.text


def _contents(db: Database) -> dict[str, set[str]]:
    with db.engine.connect() as conn:
        return {
            t.name: {repr(tuple(row)) for row in conn.execute(sa.select(t))}
            for t in metadata.sorted_tables
        }


def _png_without_a_face() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 180, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_photo_without_a_face_is_refused_and_not_kept(
    client: TestClient, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = sign_in(client, db, "ESP", Role.FRONTLINE)
    spool, data_dir = tmp_path / "spool", tmp_path / "data"
    spool.mkdir()
    data_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))  # where uploads would spool
    monkeypatch.setattr(settings, "DATA_DIR", data_dir)
    before = _contents(db)
    photo = _png_without_a_face()
    answer = client.post("/screening", data={"csrf_token": csrf, "name": "Jeanne Martin"},
                         files={"photo": ("p.png", photo, "image/png")})  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert 'id="screening-errors"' in answer.text and 'value="Jeanne Martin"' in answer.text
    assert _contents(db) == before
    assert list(spool.iterdir()) == [] and list(data_dir.iterdir()) == []


@needs_faces
def test_nothing_of_a_photo_is_stored_after_a_check(
    client: TestClient, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nga = make_user(db, "NGA")
    obama = client.post("/api/v1/persons", json={"names": ["Barack Obama"], "category": "wanted"},
                        headers=nga.headers).json()["id"]  # fmt: skip
    enrolled = client.post(
        f"/api/v1/persons/{obama}/faces", headers=nga.headers,
        files={"image": ("o.jpg", (FACES / "train/obama/obama.jpg").read_bytes(), "image/jpeg")},
    )  # fmt: skip
    assert enrolled.status_code == 201, enrolled.text
    csrf = sign_in(client, db, "ESP", Role.FRONTLINE)
    spool, data_dir = tmp_path / "spool", tmp_path / "data"
    spool.mkdir()
    data_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    monkeypatch.setattr(settings, "DATA_DIR", data_dir)
    photo = (FACES / "test/obama1.jpg").read_bytes()
    answer = client.post(
        "/screening", data={"csrf_token": csrf, "name": "Someone Else", "nationality": "USA"},
        files={"photo": ("p.jpg", photo, "image/jpeg")},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert 'data-result="possible"' in page and 'data-kind="face"' in page
    assert f'data-record="{obama}"' in page and 'id="screening-photo-note"' in page
    assert "data:image" not in page  # the page does not carry the photo back either
    pieces = [photo[1000:1032], base64.b64encode(photo[999:1047]).decode()]
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                for value in row:
                    if isinstance(value, bytes | bytearray):
                        assert not any(isinstance(p, bytes) and p in value for p in pieces)
                    elif value is not None:
                        assert pieces[1] not in str(value)
    assert list(spool.iterdir()) == [] and list(data_dir.iterdir()) == []


def _upload(client: TestClient, csrf: str, name: str, body: bytes, **fields: str) -> Any:
    return client.post("/screening/manifest", data={"csrf_token": csrf, **fields},
                       files={"manifest": (name, body, "text/csv")})  # fmt: skip


def test_a_passenger_list_shows_each_traveller_and_the_summary(
    client: TestClient, db: Database
) -> None:
    traveller_who_hits(db)
    csrf = sign_in(client, db, "ESP", Role.FRONTLINE)
    assert 'id="list-form"' in client.get("/screening/manifest").text
    csv = (
        "surname,given_names,birth_date,nationality,document_number,issuing_state\n"
        "MARTIN,Jeanne,1990-01-01,FRA,X1234567,FRA\n"
        f"OKONKWO,Chukwuemeka,1979-06-14,NGA,{PASSPORT},KEN\n"
        "DUPONT,Paul,1985-05-05,BEL,B7654321,BEL\n"
    )
    page = _upload(client, csrf, "ib3166.csv", csv.encode(), reference="IB3166").text
    assert '<strong data-total="travellers">3</strong>' in page
    assert 'data-total="hits" class="vigil-error">1</strong>' in page
    assert '<strong data-total="none">2</strong>' in page
    assert 'data-row="2" data-result="hit" data-action="arrest"' in page
    assert 'data-row="1" data-result="none"' in page and 'value="IB3166"' in page
    listed = [{"name": "Jeanne Martin", "document": {"number": "X1", "issuing_state": "FRA"}}]
    as_json = _upload(client, csrf, "list.json", json.dumps(listed).encode()).text
    assert '<strong data-total="travellers">1</strong>' in as_json


def test_a_list_that_cannot_be_read_comes_back_with_the_reason(
    client: TestClient, db: Database
) -> None:
    csrf = sign_in(client, db, "ESP", Role.FRONTLINE)
    bad = b"name,birth_date\nJeanne Martin,1990-13-45\n"
    answer = _upload(client, csrf, "bad.csv", bad, reference="AF1234", direction="departure")
    assert answer.status_code == 422
    assert 'id="list-error"' in answer.text and "line 2" in answer.text
    assert 'value="AF1234"' in answer.text and 'value="departure" selected' in answer.text
    none = client.post("/screening/manifest", data={"csrf_token": csrf})
    assert none.status_code == 422 and "Choose a passenger list" in none.text


def _hits_of_a_check(client: TestClient, db: Database) -> tuple[dict[str, str], str]:
    scenario = traveller_who_hits(db)
    csrf = sign_in(client, db, "ESP", Role.FRONTLINE)
    return _hit_ids(_check(client, csrf, mrz=scenario.mrz)), csrf


def test_each_member_gets_the_forms_of_its_part_in_a_hit(client: TestClient, db: Database) -> None:
    hits, esp_csrf = _hits_of_a_check(client, db)
    hit = hits["person"]
    esp_page = client.get(f"/hits/{hit}").text
    assert 'id="hit-action-form"' in esp_page and 'id="hit-identity-form"' not in esp_page
    assert 'data-urgency="urgent"' in esp_page and 'id="hit-deadline-at"' in esp_page
    # An arrest before the owner confirms is refused; the choice stays as made.
    early = client.post(f"/hits/{hit}/action", data={"csrf_token": esp_csrf, "action": "arrested"})
    assert early.status_code == 409 and "once the owner has confirmed" in early.text
    assert 'value="arrested" selected' in early.text
    nothing = client.post(f"/hits/{hit}/action", data={"csrf_token": esp_csrf,
                                                       "action": "no_action"})  # fmt: skip
    assert nothing.status_code == 422 and "no_action needs a reason" in nothing.text

    nga = TestClient(client.app)
    nga_csrf = sign_in(nga, db, "NGA")
    listed = nga.get("/hits?role=owner").text
    assert f'data-hit="{hit}" data-status="open" data-overdue="false"' in listed
    nga_page = nga.get(f"/hits/{hit}").text
    assert 'id="hit-identity-form"' in nga_page and 'id="hit-action-form"' not in nga_page
    # The owner's NCB may open a secure thread about the hit, with the checking member.
    assert f'href="/messages/new?hit_id={hit}&amp;to=ESP" id="hit-thread-link"' in nga_page
    thread_form = nga.get(f"/messages/new?hit_id={hit}&to=ESP").text
    assert 'value="hit_follow_up" selected' in thread_form and hit in thread_form
    said = {"csrf_token": nga_csrf, "identity": "confirmed", "note": "Prints match."}
    assert nga.post(f"/hits/{hit}/identity", data=said, follow_redirects=False).status_code == 303
    confirmed = nga.get(f"/hits/{hit}").text
    assert 'data-status="confirmed"' in confirmed and 'data-kind="identity"' in confirmed
    assert "Prints match." in confirmed and 'id="hit-identity-form"' not in confirmed

    arrest = {"csrf_token": esp_csrf, "action": "arrested"}
    assert client.post(f"/hits/{hit}/action", data=arrest,
                       follow_redirects=False).status_code == 303  # fmt: skip
    closed = client.get(f"/hits/{hit}").text
    assert 'id="hit-status" data-status="closed"' in closed and "Arrested" in closed
    note = {"csrf_token": esp_csrf, "text": "Handed over to the NCB."}
    assert client.post(f"/hits/{hit}/notes", data=note, follow_redirects=False).status_code == 303
    assert 'data-kind="note" data-member="ESP"' in client.get(f"/hits/{hit}").text
    empty = client.post(f"/hits/{hit}/notes", data={"csrf_token": esp_csrf, "text": " "})
    assert empty.status_code == 422 and 'id="action-errors"' in empty.text

    fra = TestClient(client.app)
    sign_in(fra, db, "FRA")
    assert fra.get(f"/hits/{hit}").status_code == 404


def test_hits_past_their_deadline_are_marked_overdue(client: TestClient, db: Database) -> None:
    hits, _ = _hits_of_a_check(client, db)
    with clock.frozen_at(clock.now() + timedelta(minutes=61)):
        listed = client.get("/hits?role=checking&status=open").text
        page = client.get(f"/hits/{hits['document']}").text
    assert f'data-hit="{hits["document"]}" data-status="open" data-overdue="true"' in listed
    assert listed.count("vigil-overdue-mark") == 2 and 'id="hit-overdue"' in page
    assert 'data-hit="' not in client.get("/hits?role=owner").text
    unknown = client.get("/hits?status=lost")
    assert unknown.status_code == 200 and 'id="filter-error"' in unknown.text


def test_an_ncb_sets_its_own_hit_deadlines(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "NGA")
    assert 'id="deadlines-link"' in client.get("/hits").text
    page = client.get("/hits/deadlines").text
    assert 'data-deadline="urgent"' in page and 'id="deadlines-form"' in page
    refused = client.post("/hits/deadlines", data={"csrf_token": csrf, "urgent": "0",
                                                   "routine": "480"})  # fmt: skip
    assert refused.status_code == 422 and 'id="deadlines-errors"' in refused.text
    assert 'data-field="urgent"' in refused.text and 'value="0"' in refused.text
    done = client.post("/hits/deadlines", data={"csrf_token": csrf, "urgent": "30",
                       "routine": "480"}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    saved = client.get(done.headers["location"]).text
    assert 'id="deadlines-saved"' in saved
    assert re.search(r'data-deadline="urgent"><span dir="ltr">30</span>', saved)
    assert re.search(r'data-deadline="routine"><span dir="ltr">480</span>', saved)

    officer = TestClient(client.app)
    officer_csrf = sign_in(officer, db, "NGA", Role.FRONTLINE)
    assert 'id="deadlines-link"' not in officer.get("/hits").text
    assert 'id="deadlines-form"' not in officer.get("/hits/deadlines").text
    forbidden = officer.post("/hits/deadlines", data={"csrf_token": officer_csrf, "urgent": "5"})
    assert forbidden.status_code == 403 and 'id="deadlines-errors"' in forbidden.text


NAV = {
    "screening": "screening.check",
    "hits": "hits.read",
    "networks": "networks.read",
    "messages": "messages.read",
    "intel": "intel.read",
}


def test_the_nav_follows_the_permission_table(client: TestClient, db: Database) -> None:
    cases = [("FRA", role) for role in Role if role is not Role.REVIEWER] + [("GS", Role.REVIEWER)]
    for member, role in cases:
        sign_in(client, db, member, role)
        inbox = client.get("/inbox").text
        for nav, permission in NAV.items():
            shown = f'data-nav="{nav}"' in inbox
            assert shown == (role in PERMISSIONS[permission]), (role, nav)
        expected = 200 if role in PERMISSIONS["screening.check"] else 403
        assert client.get("/screening").status_code == expected, role


def test_strangers_are_sent_to_sign_in(client: TestClient) -> None:
    for path in ("/screening", "/screening/manifest", "/hits", "/hits/x", "/networks",
                 "/networks/x", "/messages", "/messages/new", "/messages/x", "/intel",
                 "/intel/new", "/intel/x", "/messages/x/attachments/y"):  # fmt: skip
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_the_action_is_said_in_the_officers_language(client: TestClient, db: Database) -> None:
    scenario = traveller_who_hits(db)
    csrf = sign_in(client, db, "ESP", Role.FRONTLINE)
    client.cookies.set("vigil_lang", "ar")
    page = _check(client, csrf, mrz=scenario.mrz)
    assert 'dir="rtl"' in page and "احتجاز: مطلوب للقبض عليه" in page
    assert "حجز الوثيقة" in page  # seize the document


def test_a_partner_learns_hit_or_none_and_searches_no_face(
    client: TestClient, db: Database
) -> None:
    scenario = traveller_who_hits(db)
    csrf = sign_in(client, db, "ESP", Role.PARTNER)
    assert 'name="photo"' not in client.get("/screening").text
    page = _check(client, csrf, mrz=scenario.mrz)
    assert 'data-result="hit"' in page and 'id="partner-note"' in page
    assert "data-kind=" not in page and scenario.person_id not in page
    csv = f"surname,given_names,document_number,issuing_state\nOKONKWO,C,{PASSPORT},KEN\n"
    listed = _upload(client, csrf, "list.csv", csv.encode()).text
    assert 'data-row="1" data-result="hit"' in listed and "/hits/" not in listed
