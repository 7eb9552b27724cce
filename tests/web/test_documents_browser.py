"""The documents workspace in headless Chromium: report, check by number and by MRZ, upload a
manifest, and read the check page in Arabic."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import make_user
from tests.documents.helpers import report
from tests.web.conftest import LiveServer
from tests.web.test_browser import ARTIFACTS, PASSWORD, choose_language, sign_in
from vigil.access.roles import Role
from vigil.documents.mrz import make_mrz

pytestmark = pytest.mark.browser

NUMBER = "12AB34567"


def _mrz() -> str:
    lines = make_mrz(
        format="TD3", document_code="P", issuing_state="FRA", document_number=NUMBER,
        surname="Martin", given_names="Claire", nationality="FRA",
        birth_date=date(1985, 6, 1), sex="F", expiry_date=date(2031, 6, 1),
    )  # fmt: skip
    return "\n".join(lines)


def test_ncb_reports_a_document_then_checks_it_by_number_mrz_and_manifest(
    live_server: LiveServer, page: Page
) -> None:
    make_user(live_server.db, "FRA", Role.NCB, login="fra.ncb", password=PASSWORD)
    sign_in(page, "fra.ncb")
    expect(page).to_have_url(re.compile(r"/inbox$"))

    page.click("a[data-nav='documents']")
    page.click("#report-document summary")
    expect(page.locator("input[name=issuing_state]").first).to_have_value("FRA")
    page.fill("#report-form input[name=number]", NUMBER)
    page.select_option("#report-form select[name=status]", "stolen")
    page.fill("#report-form input[name=holder_surname]", "Martin")
    page.select_option("#report-form select[name=handling]", "H2")
    page.click("#report-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/documents/[0-9a-f-]{36}$"))
    expect(page.locator("#report-handling mark")).to_have_text("H2")

    page.click("a[data-nav='documents-check']")
    page.fill("#check-form input[name=number]", NUMBER.lower())
    page.fill("#check-form input[name=issuing_state]", "FRA")
    page.click("#check-form button[type=submit]")
    expect(page.locator("#check-result")).to_have_attribute("data-result", "hit")
    expect(page.locator("#check-verdict")).to_have_text("Hit")
    expect(page.locator("#check-matches tbody tr")).to_have_attribute("data-action", "seize")

    page.fill("#check-form input[name=number]", "")
    page.fill("#check-form input[name=issuing_state]", "")
    page.fill("#check-form textarea[name=mrz]", _mrz())
    page.click("#check-form button[type=submit]")
    expect(page.locator("#mrz-verdict")).to_have_attribute("data-valid", "true")
    expect(page.locator("[data-field=surname]")).to_have_text("MARTIN")
    expect(page.locator("#check-result")).to_have_attribute("data-result", "hit")
    assert "MARTIN" not in page.url  # the MRZ went in the body, never the address

    page.click("a[data-nav='documents-manifest']")
    manifest = f"number,issuing_state\nX1234567,ESP\n{NUMBER},FRA\nY7654321,DEU\n"
    page.set_input_files(
        "#manifest-form input[name=manifest]",
        files=[{"name": "flight.csv", "mimeType": "text/csv", "buffer": manifest.encode()}],
    )
    page.click("#manifest-form button[type=submit]")
    rows = page.locator("#manifest-results tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_have_attribute("data-result", "hit")
    expect(rows.first).to_have_attribute("data-row", "3")
    expect(page.locator("[data-total=hits]")).to_have_text("1")
    expect(page.locator("[data-total=none]")).to_have_text("2")


def test_check_page_reads_right_to_left_in_arabic(live_server: LiveServer, page: Page) -> None:
    db = live_server.db
    report(db, make_user(db, "DEU"), number="C01X00T47", status="lost")
    make_user(db, "ESP", Role.FRONTLINE, login="esp.border", password=PASSWORD)
    sign_in(page, "esp.border")
    page.click("a[data-nav='documents-check']")
    choose_language(page, "ar")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main h1")).to_have_text("التحقق من وثيقة")
    page.fill("#check-form input[name=number]", "C01X00T47")
    page.fill("#check-form input[name=issuing_state]", "DEU")
    page.click("#check-form button[type=submit]")
    expect(page.locator("#check-verdict")).to_have_text("نتيجة إيجابية")
    expect(page.locator("#check-matches")).to_contain_text("مُبلَّغ عن فقدانها")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "documents-check-ar.png", full_page=True)
