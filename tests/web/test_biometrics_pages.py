"""Biometrics in the workspace: enrolment on the record page (the owner's NCB only), refusals
said beside the file, the examiner's candidate view with the probe from memory, decisions,
access, and nothing of a probe kept."""

from __future__ import annotations

import base64
import re
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import make_user
from tests.web.test_persons_pages import PASSWORD, _form_token, _person
from vigil import settings
from vigil.access.envelope import Audience
from vigil.access.roles import PERMISSIONS, Role
from vigil.biometrics import faces
from vigil.errors import Conflict
from vigil.storage.engine import Database
from vigil.storage.tables import alerts, biometric_templates, hits, metadata

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
FACES = DATA / "face-recognition-examples"
PRINTS = DATA / "fingerprints-sourceafis-testimages"
needs_faces = pytest.mark.skipif(not FACES.is_dir(), reason="../shared/data is not here")
needs_prints = pytest.mark.skipif(not PRINTS.is_dir(), reason="../shared/data is not here")

OBAMA = "train/obama/obama.jpg"
# What a search may add to the database: the search with its candidates, and its audit entries.
SEARCH_WRITES = {"biometric_searches", "audit_log", "audit_head", "audit_record_refs"}


def _sign_in(client: TestClient, db: Database, member: str, role: Role = Role.NCB) -> str:
    """Sign in as the member's user of that role (made the first time); the form token."""
    login = f"{member.lower()}.{role.value}"
    with suppress(Conflict):
        make_user(db, member, role, login=login, password=PASSWORD)
    form = {
        "login": login,
        "password": PASSWORD,
        "csrf_token": _form_token(client.get("/login").text),
    }
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303
    return _form_token(client.get("/inbox").text)


def _photo(name: str) -> dict[str, tuple[str, bytes, str]]:
    path = FACES / name
    return {"image": (path.name, path.read_bytes(), "image/jpeg")}


def _enrol_face(
    client: TestClient, csrf: str, person_id: str, name: str, *, keep: bool = False
) -> Any:
    data = {"csrf_token": csrf, **({"keep_image": "on"} if keep else {})}
    return client.post(
        f"/persons/{person_id}/faces", data=data, files=_photo(name), follow_redirects=False
    )


def _search_face(client: TestClient, csrf: str, name: str) -> Any:
    return client.post("/biometrics/search/face", data={"csrf_token": csrf}, files=_photo(name))


def _search_id(html: str) -> str:
    found = re.search(r'id="search-facts" data-search="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _candidates(html: str) -> list[str]:
    return re.findall(r'class="vigil-biometric-candidate" id="candidate-([^"]+)"', html)


def _enrolled_obama(client: TestClient, db: Database) -> str:
    """A FRA record with Obama's face enrolled, its image kept (FRA's NCB signed in)."""
    csrf = _sign_in(client, db, "FRA")
    person = client.post(
        "/persons/new",
        data={"csrf_token": csrf, "names": "Barack Obama", "category": "wanted",
              "audience": "all"},
        follow_redirects=False,
    )  # fmt: skip
    person_id = str(person.headers["location"]).rsplit("/", 1)[1]
    assert _enrol_face(client, csrf, person_id, OBAMA, keep=True).status_code == 303
    return person_id


@needs_faces
def test_owner_enrols_a_face_and_the_record_shows_it(client: TestClient, db: Database) -> None:
    person_id = _enrolled_obama(client, db)
    page = client.get(f"/persons/{person_id}").text
    assert 'id="enrol-face-form"' in page and 'enctype="multipart/form-data"' in page
    row = re.search(r'<tr data-template="([^"]+)" data-modality="face" data-finger="" '
                    r'data-image-kept="true">', page)  # fmt: skip
    assert row is not None
    assert f'href="/biometrics/templates/{row.group(1)}/image"' in page
    image = client.get(f"/biometrics/templates/{row.group(1)}/image")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert image.content == (FACES / OBAMA).read_bytes()
    assert image.headers["cache-control"] == "no-store"


@needs_faces
def test_only_the_owners_ncb_enrols(client: TestClient, db: Database) -> None:
    fra = make_user(db, "FRA")
    shared = _person(db, fra, "Alex Lacamoire")
    hidden = _person(db, fra, "Kit Harington", audience=Audience.only("FRA"))
    csrf = _sign_in(client, db, "DEU")
    page = client.get(f"/persons/{shared.id}").text
    assert 'id="person-biometrics"' in page and 'id="enrol-face-form"' not in page
    assert _enrol_face(client, csrf, shared.id, "train/alex_lacamoire/img1.jpg").status_code == 403
    assert _enrol_face(client, csrf, hidden.id, "train/kit_harington/john1.jpeg").status_code == 404
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    assert 'id="enrol-face-form"' not in client.get(f"/persons/{shared.id}").text
    assert _enrol_face(client, csrf, shared.id, "train/alex_lacamoire/img1.jpg").status_code == 403
    csrf = _sign_in(client, db, "FRA")
    forged = _enrol_face(client, "forged", shared.id, "train/alex_lacamoire/img1.jpg")
    assert forged.status_code == 403
    with db.engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(biometric_templates)) == 0


@needs_faces
def test_a_refused_photo_is_said_beside_the_file_and_the_form_kept(
    client: TestClient, db: Database
) -> None:
    person = _person(db, make_user(db, "FRA"), "Barack Obama")
    csrf = _sign_in(client, db, "FRA")
    answer = _enrol_face(client, csrf, person.id, "test/obama_and_biden.jpg", keep=True)
    assert answer.status_code == 422
    error = re.search(r'id="error-enrol-face-image" >(.*?)</small>', answer.text)
    assert error is not None and "3 faces found: crop the photo to one person." in error.group(1)
    assert "<bdi>obama_and_biden.jpg</bdi>" in error.group(1)
    assert 'id="enrol-face-refused"' in answer.text
    assert re.search(r'name="keep_image" checked>', answer.text)
    assert 'aria-invalid="true" autofocus' in answer.text
    assert "Barack Obama" in answer.text  # the whole record page, nothing lost
    assert 'id="person-templates-empty"' in answer.text


@needs_prints
def test_fingerprints_enrol_from_an_image_or_a_template_and_wsq_is_refused(
    client: TestClient, db: Database
) -> None:
    person = _person(db, make_user(db, "FRA"), "Print Owner")
    csrf = _sign_in(client, db, "FRA")

    def enrol(finger: str, **files: tuple[str, bytes, str]) -> Any:
        return client.post(f"/persons/{person.id}/fingerprints",
                           data={"csrf_token": csrf, "finger": finger}, files=files,
                           follow_redirects=False)  # fmt: skip

    png = ("matching.png", (PRINTS / "matching.png").read_bytes(), "image/png")
    iso = ("iso-matching.dat", (PRINTS / "iso-matching.dat").read_bytes(), "application/x")
    assert enrol("2", image=png).status_code == 303
    assert enrol("7", template=iso).status_code == 303
    wsq = enrol("3", image=("print.wsq", (PRINTS / "wsq-original.wsq").read_bytes(), "image/x"))
    assert wsq.status_code == 422
    error = re.search(r'id="error-enrol-finger-image" >(.*?)</small>', wsq.text)
    assert error is not None and "WSQ" in error.group(1)
    assert '<option value="3" selected>' in wsq.text
    neither = enrol("3")
    assert neither.status_code == 422
    assert re.search(r'id="error-enrol-finger-form" >.*one of the two', neither.text)
    page = client.get(f"/persons/{person.id}").text
    assert 'data-modality="finger" data-finger="2"' in page and "Right index" in page
    assert 'data-modality="finger" data-finger="7"' in page and "ISO/IEC 19794-2 template" in page


@needs_faces
def test_owner_deletes_an_enrolled_face(client: TestClient, db: Database) -> None:
    person_id = _enrolled_obama(client, db)
    page = client.get(f"/persons/{person_id}").text
    action = re.search(r'action="(/persons/[^"]+/templates/[^"]+/delete)"', page)
    assert action is not None
    csrf = _sign_in(client, db, "DEU")
    assert client.post(action.group(1), data={"csrf_token": csrf}).status_code == 403
    csrf = _sign_in(client, db, "FRA")
    deleted = client.post(action.group(1), data={"csrf_token": csrf}, follow_redirects=False)
    assert deleted.status_code == 303
    assert deleted.headers["location"] == f"/persons/{person_id}#person-biometrics"
    assert 'id="person-templates-empty"' in client.get(f"/persons/{person_id}").text


@needs_faces
def test_search_shows_the_probe_beside_each_candidate_for_the_examiner(
    client: TestClient, db: Database
) -> None:
    obama = _enrolled_obama(client, db)
    csrf = _sign_in(client, db, "DEU")
    assert 'data-nav="biometrics"' in client.get("/inbox").text
    assert 'id="face-search-form"' in client.get("/biometrics/search").text
    answer = _search_face(client, csrf, "test/obama1.jpg")
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    page = answer.text
    probe = base64.b64encode((FACES / "test/obama1.jpg").read_bytes()).decode()
    assert f'src="data:image/jpeg;base64,{probe}"' in page and 'id="probe-image"' in page
    assert _candidates(page) == [obama]
    assert 'data-rank="1" data-above-threshold="true"' in page and "Above the threshold" in page
    assert 'class="vigil-owner">FRA<' in page and "Barack Obama" in page
    assert re.search(r'class="vigil-score">0\.\d\d<', page)
    assert re.search(r'<img src="/biometrics/templates/[^"]+/image"', page)
    search_id = _search_id(page)
    assert f'action="/biometrics/searches/{search_id}/candidates/{obama}/decision"' in page


@needs_faces
def test_a_refused_search_photo_is_said_beside_the_file(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "DEU")
    answer = _search_face(client, csrf, "test/obama_and_biden.jpg")
    assert answer.status_code == 422
    error = re.search(r'id="error-face-image" >(.*?)</small>', answer.text)
    assert error is not None and "3 faces found" in error.group(1)
    assert "data:image" not in answer.text


@needs_faces
def test_a_match_is_recorded_and_the_search_opens_again_without_its_probe(
    client: TestClient, db: Database
) -> None:
    obama = _enrolled_obama(client, db)
    csrf = _sign_in(client, db, "DEU")
    search_id = _search_id(_search_face(client, csrf, "test/obama1.jpg").text)
    decision = f"/biometrics/searches/{search_id}/candidates/{obama}/decision"
    empty = client.post(decision, data={"csrf_token": csrf, "note": "Same scar"})
    assert empty.status_code == 422 and 'id="decision-errors"' in empty.text
    assert "Same scar</textarea>" in empty.text  # the note typed is kept
    decided = client.post(
        decision, data={"csrf_token": csrf, "decision": "match", "note": "Same scar"},
        follow_redirects=False,
    )  # fmt: skip
    assert decided.status_code == 303
    assert decided.headers["location"] == f"/biometrics/searches/{search_id}#candidate-{obama}"
    page = client.get(f"/biometrics/searches/{search_id}").text
    assert "The probe photo was not kept" in page and "data:image" not in page
    assert 'data-decision="match"' in page and f'id="hit-{obama}"' in page
    assert "HIT</mark> The owner, FRA, and your member, DEU, were alerted." in page
    assert "vigil-decision-form" not in page
    again = client.post(decision, data={"csrf_token": csrf, "decision": "no_match"})
    assert again.status_code == 409 and "decided already" in again.text
    with db.engine.connect() as conn:
        told = set(conn.execute(sa.select(alerts.c.member).where(
            alerts.c.kind == "biometrics.hit")).scalars())  # fmt: skip
        recorded = conn.execute(sa.select(hits.c.kind, hits.c.record_id)).all()
    assert told == {"FRA", "DEU"} and recorded == [("face", obama)]


@needs_faces
def test_a_person_restricted_from_the_searcher_is_never_a_candidate(
    client: TestClient, db: Database
) -> None:
    fra = make_user(db, "FRA")
    hidden = _person(db, fra, "Joe Biden (restricted)", audience=Audience.only("FRA"))
    shown = _person(db, fra, "Joe Biden")
    csrf = _sign_in(client, db, "FRA")
    assert _enrol_face(client, csrf, hidden.id, "train/biden/biden.jpg").status_code == 303
    assert _enrol_face(client, csrf, shown.id, "train/biden/biden2.jpg").status_code == 303
    csrf = _sign_in(client, db, "DEU")
    page = _search_face(client, csrf, "train/biden/biden.jpg").text
    assert _candidates(page) == [shown.id]
    assert hidden.id not in page and "restricted" not in page


@needs_faces
def test_frontline_searches_but_an_examiner_decides(client: TestClient, db: Database) -> None:
    _enrolled_obama(client, db)
    csrf = _sign_in(client, db, "DEU", Role.FRONTLINE)
    page = _search_face(client, csrf, "test/obama1.jpg").text
    assert len(_candidates(page)) == 1 and 'id="probe-image"' in page
    assert 'id="examiner-note"' in page and "Its enrolment image is shown to examiners." in page
    assert "/biometrics/templates/" not in page and "vigil-decision-form" not in page
    assert client.get(f"/biometrics/searches/{_search_id(page)}").status_code == 403


@needs_prints
def test_a_print_is_searched_by_template_and_no_image_is_shown(
    client: TestClient, db: Database
) -> None:
    person = _person(db, make_user(db, "FRA"), "Iso Owner")
    csrf = _sign_in(client, db, "FRA")
    iso = ("iso-matching.dat", (PRINTS / "iso-matching.dat").read_bytes(), "application/x")
    enrolled = client.post(f"/persons/{person.id}/fingerprints", files={"template": iso},
                           data={"csrf_token": csrf, "finger": "7"})  # fmt: skip
    assert enrolled.status_code == 200  # followed to the record page
    csrf = _sign_in(client, db, "DEU", Role.ANALYST)
    probe = ("iso-probe.dat", (PRINTS / "iso-probe.dat").read_bytes(), "application/x")
    answer = client.post("/biometrics/search/finger", data={"csrf_token": csrf, "finger": ""},
                         files={"template": probe})  # fmt: skip
    assert answer.status_code == 200
    assert _candidates(answer.text) == [person.id] and 'id="probe-template"' in answer.text
    assert "Left index" in answer.text and "data:image" not in answer.text
    out_of_range = client.post("/biometrics/search/finger", files={"template": probe},
                               data={"csrf_token": csrf, "finger": "11"})  # fmt: skip
    assert out_of_range.status_code == 422
    # Only a tampered form sends another finger: the reason is said beside the file sent.
    assert re.search(r'id="error-finger-template" >.*finger: 1-10', out_of_range.text)


def _contents(db: Database) -> dict[str, dict[str, tuple[Any, ...]]]:
    """Every row of every table, by its repr (JSON columns hold lists, which do not hash)."""
    with db.engine.connect() as conn:
        return {
            table.name: {repr(tuple(row)): tuple(row) for row in conn.execute(sa.select(table))}
            for table in metadata.sorted_tables
        }


def _values(rows: list[tuple[Any, ...]]) -> Iterator[Any]:
    for row in rows:
        yield from row


@needs_faces
def test_nothing_of_a_probe_is_stored_after_a_search_through_the_web(
    client: TestClient, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enrolled_obama(client, db)
    csrf = _sign_in(client, db, "DEU")
    data_dir, spool = tmp_path / "data", tmp_path / "spool"
    data_dir.mkdir()
    spool.mkdir()
    monkeypatch.setattr(settings, "DATA_DIR", data_dir)
    monkeypatch.setattr(tempfile, "tempdir", str(spool))  # where uploads would spool
    probe = (FACES / "test/obama1.jpg").read_bytes()
    numbers = faces.one_face(probe, strict=False).embedding.astype("float32").tobytes()
    before = _contents(db)
    page = _search_face(client, csrf, "test/obama1.jpg").text
    after = _contents(db)
    assert len(_candidates(page)) == 1 and "data:image/jpeg" in page  # the search ran
    changed = {name for name in after if after[name].keys() != before[name].keys()}
    assert changed <= SEARCH_WRITES, changed
    added = [row for name in changed for key, row in after[name].items() if key not in before[name]]
    assert "biometrics.search_face" in _values(added)
    pieces = [probe[1000:1032], numbers[:32], base64.b64encode(probe[999:1047]).decode()]
    for value in _values([row for rows in after.values() for row in rows.values()]):
        if isinstance(value, bytes | bytearray):
            assert not any(isinstance(p, bytes) and p in value for p in pieces)
        else:
            assert not any(isinstance(p, str) and p in str(value) for p in pieces)
    assert list(data_dir.iterdir()) == [] and list(spool.iterdir()) == []


def test_biometrics_nav_follows_the_permission_table(client: TestClient, db: Database) -> None:
    cases = [("FRA", role) for role in Role if role is not Role.REVIEWER] + [("GS", Role.REVIEWER)]
    for member, role in cases:
        _sign_in(client, db, member, role)
        shown = 'data-nav="biometrics"' in client.get("/inbox").text
        assert shown == (role in PERMISSIONS["biometrics.search"]), role
        expected = 200 if shown else 403
        assert client.get("/biometrics/search").status_code == expected, role


def test_strangers_are_sent_to_sign_in(client: TestClient) -> None:
    for path in ("/biometrics/search", "/biometrics/searches/x", "/biometrics/templates/x/image"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
