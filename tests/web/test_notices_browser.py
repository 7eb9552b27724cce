"""Notices in headless Chromium: an NCB requests a Red Notice through its form, which checks
itself as the officer types; a reviewer opens the request, reads the checklist and publishes
it; the public page shows the extract, in Arabic too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import make_user
from tests.web.conftest import LiveServer
from tests.web.test_browser import ARTIFACTS, PASSWORD, choose_language, sign_in
from tests.web.test_persons_browser import _person
from vigil.access.envelope import Audience
from vigil.access.roles import Role

pytestmark = pytest.mark.browser

NAME = "Chukwuemeka Okonkwo"
CHARGE = "Trafficking in persons for sexual exploitation"


def _sign_out(page: Page) -> None:
    page.click("form[action='/logout'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/login"))


def test_a_red_notice_from_request_to_the_public_page(live_server: LiveServer, page: Page) -> None:
    db = live_server.db
    nga = make_user(db, "NGA", Role.NCB, login="nga.officer", password=PASSWORD)
    make_user(db, "GS", Role.REVIEWER, login="gs.reviewer", password=PASSWORD)
    person = _person(db, nga, NAME, birth_date="1979-06-14", sex="M", nationalities=["NGA"],
                     audience=Audience.only("NGA"))  # fmt: skip

    # The NCB starts from its person record and chooses the type.
    sign_in(page, "nga.officer")
    page.goto(f"/persons/{person.id}")
    page.click("#person-notice-link")
    page.click("#notice-types a[data-type='red']")
    expect(page.locator("#notice-type")).to_contain_text("Red: wanted for arrest")
    form = page.locator("#notice-form")
    expect(form.locator("[name=person_id]")).to_have_value(person.id)
    expect(form.locator("[name=circumstances]")).to_have_count(0)

    # As the officer types: a required field emptied, a penalty out of range, a mangled id.
    warrant = form.locator("[name=warrant_reference]")
    warrant.fill("FHC/L/123/2026")
    warrant.fill("")
    expect(page.locator("#error-warrant_reference")).to_have_text("Required for this type.")
    expect(warrant).to_have_attribute("aria-invalid", "true")
    penalty = form.locator("[name=max_penalty_years]")
    penalty.fill("250")
    expect(page.locator("#error-max_penalty_years")).to_have_text("Between 0 and 200.")
    penalty.fill("15")
    expect(page.locator("#error-max_penalty_years")).to_be_hidden()
    form.locator("[name=person_id]").fill("not-an-id")
    expect(page.locator("#error-person_id")).to_contain_text("36 characters")
    form.locator("[name=person_id]").fill(person.id)
    expect(page.locator("#error-person_id")).to_be_hidden()

    # Sending it incomplete stays on the page, each missing field said beside it.
    page.click("#notice-submit")
    expect(page).to_have_url(re.compile(r"/notices/new\?"))
    expect(page.locator("#error-charges")).to_have_text("Required for this type.")
    expect(page.locator("#error-warrant_reference")).to_be_visible()
    expect(page.locator("[name=charges]")).to_be_focused()

    form.locator("[name=charges]").fill(CHARGE)
    expect(page.locator("#error-charges")).to_be_hidden()
    warrant.fill("FHC/L/123/2026")
    form.locator("[name=public_extract]").check()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "notice-form.png", full_page=True)
    page.click("#notice-submit")
    expect(page).to_have_url(re.compile(r"/notices/[0-9a-f-]{36}$"))
    notice_id = page.url.rsplit("/", 1)[1]
    expect(page.locator("#notice-state")).to_have_attribute("data-state", "draft")
    page.click("#notice-request")
    expect(page.locator("#notice-state")).to_have_attribute("data-state", "requested")
    _sign_out(page)

    # The reviewer finds it in the queue, reads the checklist and publishes it.
    sign_in(page, "gs.reviewer")
    page.click("a[data-nav='notices']")
    expect(page).to_have_url(re.compile(r"/notices/review$"))
    page.click(f"#notices tr[data-notice='{notice_id}'] a")
    checks = page.locator("#checklist tr[data-check]")
    expect(checks.first).to_be_visible()
    assert checks.count() >= 8
    expect(page.locator("#checklist tr[data-check='threshold']")).to_have_attribute(
        "data-status", "pass"
    )
    expect(page.locator("#checklist")).to_have_attribute("data-worst", "pass")
    page.screenshot(path=ARTIFACTS / "notice-review.png", full_page=True)
    page.click("#notice-decide")  # no reasons yet: refused before it leaves the page
    expect(page.locator("#error-review")).to_have_text("Give your reasons.")
    page.fill("#notice-decision-form textarea[name=reasons]", "Ordinary-law offence; compliant.")
    page.check("#notice-decision-form input[value=publish]")
    page.click("#notice-decide")
    expect(page.locator("#notice-state")).to_have_attribute("data-state", "published")
    expect(page.locator("#notice-history tr[data-to='published'] td").last).to_have_text(
        "Ordinary-law offence; compliant."
    )
    _sign_out(page)

    # Anyone reads the extract, without signing in, in Arabic too.
    page.goto("/public/notices")
    extract = page.locator(f".vigil-extract[data-extract='{notice_id}']")
    expect(extract.locator(".vigil-extract-name")).to_have_text(NAME)
    extract.locator(".vigil-extract-name").click()
    expect(page.locator("#public-name")).to_have_text(NAME)
    expect(page.locator("[data-field=charges]")).to_contain_text(CHARGE)
    expect(page.locator("[data-field=birth_year]")).to_have_text("1979")
    expect(page.locator("main")).not_to_contain_text("FHC/L/123/2026")
    choose_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("[data-field=charges]")).to_contain_text(CHARGE)
    expect(page.locator("main")).to_contain_text("سنة الميلاد")  # Birth year
    page.screenshot(path=ARTIFACTS / "public-notice-ar.png", full_page=True)
