"""The frontline page in headless Chromium: an officer pastes the MRZ of a traveller whose
passport was reported stolen and who is wanted under a Red Notice, and sees what to do."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import make_user
from tests.web.conftest import LiveServer
from tests.web.test_browser import ARTIFACTS, PASSWORD, sign_in
from tests.web.test_screening_pages import traveller_who_hits
from vigil.access.roles import Role

pytestmark = pytest.mark.browser


def test_an_officer_pastes_an_mrz_and_sees_the_action(live_server: LiveServer, page: Page) -> None:
    db = live_server.db
    scenario = traveller_who_hits(db)
    make_user(db, "ESP", Role.FRONTLINE, login="esp.border", password=PASSWORD)

    sign_in(page, "esp.border")
    page.click("a[data-nav='screening']")
    expect(page).to_have_url(re.compile(r"/screening$"))
    page.fill("#screening-form textarea[name=mrz]", scenario.mrz)
    page.select_option("#screening-form select[name=direction]", "arrival")
    page.click("#screening-submit")

    result = page.locator("#screening-result")
    expect(result).to_have_attribute("data-result", "hit")
    expect(page.locator("#screening-verdict")).to_have_text("Hit")
    expect(page.locator("#screening-action")).to_have_text("Hold: wanted for arrest")
    expect(page.locator("#screening-action-text")).to_contain_text("confirm the identity")
    person = result.locator(".vigil-screening-hit[data-kind='person']")
    expect(person.locator(f"[data-notice='{scenario.notice_id}']")).to_contain_text("Red")
    document = result.locator(".vigil-screening-hit[data-kind='document']")
    expect(document).to_have_attribute("data-action", "seize")
    expect(document.locator(".vigil-hit-action")).to_have_text("Seize the document")
    size = page.eval_on_selector(
        "#screening-action", "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 28  # the action in large type
    # The MRZ stays in the form, and nowhere in the address.
    expect(page.locator("#screening-form textarea[name=mrz]")).to_have_value(scenario.mrz)
    assert "AK0456721" not in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "screening-hit.png", full_page=True)

    person.locator(".vigil-hit-link").click()
    expect(page).to_have_url(re.compile(r"/hits/[\w-]+$"))
    expect(page.locator("#hit-deadline")).to_have_attribute("data-urgency", "urgent")
    expect(page.locator("#hit-action-form")).to_be_visible()
