"""Biometrics through the API: enrolment with quality checks, 1:N search filtered by access,
the examiner's decision, and nothing kept of a probe."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image, ImageFilter

from tests.conftest import Officer
from vigil.storage.engine import Database
from vigil.storage.tables import (
    alerts,
    audit_log,
    biometric_images,
    biometric_searches,
    biometric_templates,
    hits,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
FACES = DATA / "face-recognition-examples"
PRINTS = DATA / "fingerprints-sourceafis-testimages"
needs_faces = pytest.mark.skipif(not FACES.is_dir(), reason="../shared/data is not here")
needs_prints = pytest.mark.skipif(not PRINTS.is_dir(), reason="../shared/data is not here")


def _person(client: TestClient, owner: Officer, name: str, **fields: Any) -> str:
    response = client.post(
        "/api/v1/persons", json={"names": [name], "category": "wanted", **fields},
        headers=owner.headers,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _photo(path: Path) -> tuple[str, bytes, str]:
    return (path.name, path.read_bytes(), "image/jpeg")


def _enrol(client: TestClient, owner: Officer, person: str, path: Path, **form: Any) -> Any:
    return client.post(
        f"/api/v1/persons/{person}/faces", files={"image": _photo(path)},
        data={k: str(v).lower() for k, v in form.items()}, headers=owner.headers,
    )  # fmt: skip


@needs_faces
def test_face_enrolment_search_and_the_examiners_decision(
    client: TestClient, fra: Officer, deu: Officer, db: Database
) -> None:
    obama = _person(client, fra, "Barack Obama")
    biden = _person(client, fra, "Joe Biden")
    hidden = _person(client, fra, "Joe Biden (restricted)", audience={"only": ["FRA"]})
    assert (
        _enrol(client, fra, obama, FACES / "train/obama/obama.jpg", keep_image=True).status_code
        == 201
    )
    assert _enrol(client, fra, biden, FACES / "train/biden/biden.jpg").status_code == 201
    assert _enrol(client, fra, hidden, FACES / "train/biden/biden2.jpg").status_code == 201

    response = client.post(
        "/api/v1/biometrics/faces/search", files={"image": _photo(FACES / "test/obama1.jpg")},
        headers=deu.headers,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    search = response.json()
    first = search["candidates"][0]
    assert (first["person_id"], first["rank"], first["above_threshold"]) == (obama, 1, True)
    assert {"person_id", "score", "rank"} <= set(first)
    # A person restricted from the searcher is never a candidate.
    assert hidden not in {c["person_id"] for c in search["candidates"]}
    # The examiner sees the kept enrolment image beside the probe, and decides.
    picture = client.get(f"/api/v1/biometrics/templates/{first['template_id']}/image",
                         headers=deu.headers)  # fmt: skip
    assert picture.status_code == 200 and picture.content[:2] == b"\xff\xd8"
    decided = client.post(
        f"/api/v1/biometrics/searches/{search['id']}/candidates/{obama}/decision",
        json={"decision": "match", "note": "Same scar above the left eyebrow."},
        headers=deu.headers,
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["hit_id"]
    again = client.post(
        f"/api/v1/biometrics/searches/{search['id']}/candidates/{obama}/decision",
        json={"decision": "no_match"}, headers=deu.headers,
    )  # fmt: skip
    assert again.status_code == 409
    with db.engine.connect() as conn:
        told = set(conn.execute(sa.select(alerts.c.member).where(
            alerts.c.kind == "biometrics.hit")).scalars())  # fmt: skip
        recorded = conn.execute(sa.select(hits.c.kind, hits.c.record_id)).all()
    assert told == {"FRA", "DEU"} and recorded == [("face", obama)]


@needs_faces
def test_a_probe_photo_is_gone_after_the_search(
    client: TestClient, fra: Officer, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where uploads would spool
    person = _person(client, fra, "Rose Leslie")
    _enrol(client, fra, person, FACES / "train/rose_leslie/img1.jpg")
    probe = (FACES / "train/rose_leslie/img2.jpg").read_bytes()
    with db.engine.connect() as conn:
        before = conn.scalar(sa.select(sa.func.count()).select_from(biometric_templates))
    response = client.post(
        "/api/v1/biometrics/faces/search",
        files={"image": ("probe.jpg", probe, "image/jpeg")}, headers=fra.headers,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["candidates"][0]["person_id"] == person
    assert list(tmp_path.iterdir()) == []  # no file left behind
    with db.engine.connect() as conn:
        after = conn.scalar(sa.select(sa.func.count()).select_from(biometric_templates))
        images = conn.execute(sa.select(biometric_images.c.data)).scalars().all()
        searches = conn.execute(sa.select(biometric_searches)).mappings().all()
        entries = conn.execute(sa.select(audit_log.c.action)).scalars().all()
    assert after == before and images == []  # nothing of the probe was enrolled or kept
    assert all(probe not in bytes(str(dict(s)), "utf-8") for s in searches)
    assert "biometrics.search_face" in entries  # the search itself is audited


@needs_faces
def test_a_refused_photo_says_why(client: TestClient, fra: Officer, tmp_path: Path) -> None:
    person = _person(client, fra, "Kit Harington")
    several = _enrol(client, fra, person, FACES / "test/obama_and_biden.jpg")
    assert several.status_code == 422 and "3 faces" in several.json()["detail"]
    blurred = io.BytesIO()
    Image.open(FACES / "train/kit_harington/john1.jpeg").filter(
        ImageFilter.GaussianBlur(12)).save(blurred, format="JPEG")  # fmt: skip
    response = client.post(
        f"/api/v1/persons/{person}/faces",
        files={"image": ("blurred.jpg", blurred.getvalue(), "image/jpeg")}, headers=fra.headers,
    )  # fmt: skip
    assert response.status_code == 422, response.text
    assert "blurred" in response.json()["detail"] or "No face" in response.json()["detail"]
    junk = client.post(f"/api/v1/persons/{person}/faces",
                       files={"image": ("x.jpg", b"not a photo", "image/jpeg")},
                       headers=fra.headers)  # fmt: skip
    assert junk.status_code == 422 and "Not an image" in junk.json()["detail"]
    assert junk.headers["content-type"].startswith("application/problem+json")


@needs_faces
def test_only_the_owner_enrols(client: TestClient, fra: Officer, deu: Officer) -> None:
    person = _person(client, fra, "Alex Lacamoire")
    refused = _enrol(client, deu, person, FACES / "train/alex_lacamoire/img1.jpg")
    assert refused.status_code == 403


@needs_prints
def test_fingerprints_from_images_and_iso_templates(
    client: TestClient, fra: Officer, deu: Officer, db: Database
) -> None:
    known = _person(client, fra, "Print Owner")
    other = _person(client, fra, "Other Print")
    iso = _person(client, fra, "Iso Owner")

    def enrol(person: str, finger: int, **files: Any) -> Any:
        return client.post(f"/api/v1/persons/{person}/fingerprints", data={"finger": str(finger)},
                           files=files, headers=fra.headers)  # fmt: skip

    png = lambda name: (name, (PRINTS / name).read_bytes(), "image/png")  # noqa: E731
    dat = lambda name: (name, (PRINTS / name).read_bytes(), "application/octet-stream")  # noqa: E731
    assert enrol(known, 2, image=png("matching.png")).status_code == 201
    assert enrol(other, 2, image=png("nonmatching.png")).status_code == 201
    assert enrol(iso, 7, template=dat("iso-matching.dat")).status_code == 201
    wsq = enrol(known, 3, image=("w.wsq", (PRINTS / "wsq-original.wsq").read_bytes(), "image/wsq"))
    assert wsq.status_code == 422 and "WSQ" in wsq.json()["detail"]

    search = client.post("/api/v1/biometrics/fingerprints/search",
                         files={"image": png("probe.png")}, headers=deu.headers).json()  # fmt: skip
    best = search["candidates"][0]
    assert (best["person_id"], best["above_threshold"]) == (known, True)
    assert all(c["score"] < 40 for c in search["candidates"][1:])
    by_template = client.post("/api/v1/biometrics/fingerprints/search",
                              files={"template": dat("iso-probe.dat")},
                              headers=deu.headers).json()  # fmt: skip
    assert by_template["candidates"][0]["person_id"] == iso
    only_thumbs = client.post("/api/v1/biometrics/fingerprints/search",
                              files={"image": png("probe.png")}, data={"finger": "1"},
                              headers=deu.headers).json()  # fmt: skip
    assert only_thumbs["candidates"] == []
