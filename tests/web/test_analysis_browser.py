"""Online ads and money transfers in headless Chromium: an NCB officer records an ad through
the form, follows one of its phones to every ad giving it, records a transfer through its form
(after a mistyped IBAN is refused) and follows it to the receiving account; an analyst opens a
mule account from the transfers list and reads its flows, in Arabic too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import make_user
from tests.web.conftest import LiveServer
from tests.web.test_analysis_pages import MULE, ONWARD, PAYERS, _fan_in
from tests.web.test_browser import ARTIFACTS, PASSWORD, choose_language, sign_in
from vigil.access.roles import Role

pytestmark = pytest.mark.browser


def test_an_ad_is_recorded_and_its_phone_leads_to_the_other_ads(
    live_server: LiveServer, page: Page
) -> None:
    make_user(live_server.db, "FRA", Role.NCB, login="fra.officer", password=PASSWORD)
    sign_in(page, "fra.officer")
    page.click("a[data-nav='analysis']")
    expect(page).to_have_url(re.compile(r"/ads$"))
    page.click("#record-ad-link")
    form = page.locator("#ad-form")
    form.locator("input[name=posted_at]").fill("2026-06-29T23:51")
    form.locator("input[name=site]").fill("jobs-board.example")
    form.locator("textarea[name=text]").fill(
        "Se buscan chicas para trabajar de modelo en Londres. WhatsApp 07400 663616"
    )
    form.locator("input[name=city]").fill("London")
    form.locator("input[name=country]").fill("GBR")
    form.locator("textarea[name=phones]").fill("07400 663616\n+44 7400 111222")
    form.locator("textarea[name=emails]").fill("recruit.london@example.com")
    form.locator("select[name=handling]").select_option("H2")
    page.click("#ad-submit")
    expect(page).to_have_url(re.compile(r"/ads/[\w-]+$"))
    ad_url = page.url.split(live_server.url)[1]
    expect(page.locator("#ad-handling")).to_have_attribute("data-handling", "H2")
    expect(page.locator("#ad-phones a.vigil-phone")).to_have_text(
        ["+447400663616", "+447400111222"]
    )

    page.click("#ad-phones a[data-phone='+447400663616']")
    expect(page).to_have_url(re.compile(r"/ads\?phone=%2B447400663616$"))
    expect(page.locator("#ads-search input[name=phone]")).to_have_value("+447400663616")
    rows = page.locator("#ads tbody tr")
    expect(rows).to_have_count(1)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "analysis-ads.png", full_page=True)
    rows.locator("a.vigil-ad-text").click()
    expect(page).to_have_url(re.compile(re.escape(ad_url) + "$"))
    page.screenshot(path=ARTIFACTS / "analysis-ad.png", full_page=True)


def test_a_transfer_is_recorded_and_leads_to_the_receiving_account(
    live_server: LiveServer, page: Page
) -> None:
    make_user(live_server.db, "FRA", Role.NCB, login="fra.officer", password=PASSWORD)
    sign_in(page, "fra.officer")
    page.click("a[data-nav='analysis']")
    page.click("#transfers-link")
    page.click("#record-transfer-link")
    expect(page).to_have_url(re.compile(r"/transfers/new$"))
    form = page.locator("#transfer-form")
    form.locator("input[name=at]").fill("2026-11-01T10:00")
    form.locator("input[name=from_account]").fill("GB94 RVBC 3887 0038 6105 78")
    form.locator("input[name=to_account]").fill("AL41 5515 9734 O1R2 UUTY 9FEQ 47C9")
    form.locator("input[name=amount]").fill("400.50")
    form.locator("input[name=currency]").fill("eur")
    form.locator("select[name=channel]").select_option("hawala")
    form.locator("input[name=owner_ref]").fill("FRA-FIU-88")
    page.click("#transfer-submit")
    errors = page.locator("#transfer-errors li[data-field=from_account]")
    expect(errors).to_contain_text("is not a valid IBAN")
    expect(form.locator("select[name=channel]")).to_have_value("hawala")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "analysis-transfer-form.png", full_page=True)
    form.locator("input[name=from_account]").fill(PAYERS[0])
    page.click("#transfer-submit")
    expect(page).to_have_url(re.compile(r"/transfers/[\w-]+$"))
    expect(page.locator("#transfer-amount")).to_have_text("400.50 EUR")
    expect(page.locator("#transfer-facts dd[data-field=channel]")).to_have_attribute(
        "data-channel", "hawala"
    )
    page.click("#transfer-facts dd[data-field=to_account] a.vigil-account")
    expect(page).to_have_url(re.compile(rf"/accounts/{MULE}$"))
    expect(page.locator("#account-incoming")).to_have_text("1")
    expect(page.locator(f"#counterparties tr[data-counterparty='{PAYERS[0]}']")).to_have_count(1)
    page.screenshot(path=ARTIFACTS / "analysis-transfer-account.png", full_page=True)


def test_an_account_is_opened_from_the_transfers_list(live_server: LiveServer, page: Page) -> None:
    db = live_server.db
    _fan_in(db)
    make_user(db, "ITA", Role.ANALYST, login="ita.analyst", password=PASSWORD)
    sign_in(page, "ita.analyst")
    page.click("a[data-nav='analysis']")
    expect(page.locator("#record-ad-link")).to_have_count(0)
    page.click("#transfers-link")
    page.locator("#transfers-search input[name=account]").fill(ONWARD)
    page.click("#transfers-search-submit")
    rows = page.locator("#transfers tbody tr")
    expect(rows).to_have_count(1)
    rows.locator(f"a.vigil-account[data-account='{MULE}']").click()
    expect(page).to_have_url(re.compile(rf"/accounts/{MULE}$"))
    expect(page.locator("#account-incoming")).to_have_text("3")
    expect(page.locator("#account-outgoing")).to_have_text("1")
    expect(page.locator("#totals tr[data-currency=EUR] td")).to_have_text(
        ["EUR", "1204.50", "1100.00"]
    )
    expect(page.locator("#counterparties tbody tr")).to_have_count(4)

    page.click(f"#counterparties a[data-account='{PAYERS[0]}']")
    expect(page).to_have_url(re.compile(rf"/accounts/{PAYERS[0]}$"))
    expect(page.locator("#account-outgoing")).to_have_text("1")
    page.go_back()
    choose_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#account-counterparties h2")).to_have_text("الأطراف المقابلة")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "analysis-account-ar.png", full_page=True)
