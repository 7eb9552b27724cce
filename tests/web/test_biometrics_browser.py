"""Biometrics in headless Chromium: an NCB enrols a face on its person record; another member's
NCB searches with another photo of the same person, compares the probe side by side with the
candidate's enrolment image, and records a match; the search opens again without its probe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import LiveServer, make_user
from tests.web.test_browser import ARTIFACTS, PASSWORD, choose_language, sign_in
from tests.web.test_persons_browser import _person
from vigil.access.roles import Role

pytestmark = pytest.mark.browser

FACES = Path(__file__).resolve().parents[3] / "shared" / "data" / "face-recognition-examples"
needs_faces = pytest.mark.skipif(not FACES.is_dir(), reason="../shared/data is not here")


def _sign_out(page: Page) -> None:
    page.click("form[action='/logout'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/login"))


def _loaded(image: Locator) -> bool:
    return bool(image.evaluate("element => element.complete && element.naturalWidth > 0"))


@needs_faces
def test_a_face_enrolled_by_one_ncb_is_found_compared_and_matched_by_another(
    live_server: LiveServer, page: Page
) -> None:
    db = live_server.db
    usa = make_user(db, "USA", Role.NCB, login="usa.officer", password=PASSWORD)
    make_user(db, "DEU", Role.NCB, login="deu.examiner", password=PASSWORD)
    person = _person(db, usa, "Barack Obama", nationalities=["USA"])

    # The owner's NCB enrols a face from the record page, keeping the photo for examiners.
    sign_in(page, "usa.officer")
    page.goto(f"/persons/{person.id}")
    form = page.locator("#enrol-face-form")
    form.locator("input[name=image]").set_input_files(FACES / "train/obama/obama.jpg")
    form.locator("input[name=keep_image]").check()
    form.locator("button[type=submit]").click()
    row = page.locator("#person-templates tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-modality", "face")
    expect(row).to_have_attribute("data-image-kept", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "biometrics-record.png", full_page=True)
    _sign_out(page)

    # Another member's NCB searches with another photo of the same man.
    sign_in(page, "deu.examiner")
    page.click("a[data-nav='biometrics']")
    expect(page).to_have_url(re.compile(r"/biometrics/search$"))
    search = page.locator("#face-search-form")
    search.locator("input[name=image]").set_input_files(FACES / "test/obama1.jpg")
    search.locator("button[type=submit]").click()

    probe = page.locator("#probe-image")
    candidate = page.locator(".vigil-biometric-candidate").first
    enrolled = candidate.locator("img.vigil-enrolled-image")
    expect(probe).to_be_visible()
    expect(candidate).to_have_attribute("data-candidate", person.id)
    expect(candidate).to_have_attribute("data-rank", "1")
    expect(candidate).to_have_attribute("data-above-threshold", "true")
    expect(candidate.locator(".vigil-candidate-name")).to_have_text("Barack Obama")
    expect(candidate.locator(".vigil-owner")).to_have_text("USA")
    expect(candidate.locator(".vigil-score")).to_have_text(re.compile(r"^0\.\d\d$"))
    expect(enrolled).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#probe-image, img.vigil-enrolled-image')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert _loaded(probe) and _loaded(enrolled)  # the data: URL and the kept image both shown
    assert str(probe.get_attribute("src")).startswith("data:image/jpeg;base64,")
    # Side by side: the probe on the inline start, the candidate's image beside it.
    probe_box, enrolled_box = probe.bounding_box(), enrolled.bounding_box()
    assert probe_box is not None and enrolled_box is not None
    assert probe_box["x"] + probe_box["width"] <= enrolled_box["x"]
    assert abs(probe_box["y"] - enrolled_box["y"]) < probe_box["height"]
    page.screenshot(path=ARTIFACTS / "biometrics-candidates.png", full_page=True)

    # The examiner records a match: a hit, and the search opens again without its probe.
    decision = candidate.locator("form.vigil-decision-form")
    decision.locator("input[value=match]").check()
    decision.locator("textarea[name=note]").fill("Same ears, same mole on the left cheek.")
    decision.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/biometrics/searches/[0-9a-f-]{36}#candidate-"))
    expect(page.locator("#probe-gone")).to_contain_text("The probe photo was not kept")
    expect(page.locator("#probe-image")).to_have_count(0)
    decided = page.locator(f"#candidate-{person.id}")
    expect(decided).to_have_attribute("data-decision", "match")
    expect(decided.locator(".vigil-hit-note")).to_contain_text(
        "The owner, USA, and your member, DEU, were alerted."
    )
    expect(decided.locator("form")).to_have_count(0)

    # In Arabic the page reads right to left, the probe column on the right.
    choose_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#probe-gone")).to_contain_text("لم تُحفظ الصورة المبحوث عنها")
    probe_box = page.locator("#probe").bounding_box()
    enrolled_box = page.locator("img.vigil-enrolled-image").bounding_box()
    assert probe_box is not None and enrolled_box is not None
    assert probe_box["x"] >= enrolled_box["x"] + enrolled_box["width"]
    page.screenshot(path=ARTIFACTS / "biometrics-search-ar.png", full_page=True)
