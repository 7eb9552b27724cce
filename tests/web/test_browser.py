"""The workspace in headless Chromium: signing in, languages, live alerts and who sees what."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ROOT, make_record, make_user
from tests.web.conftest import LiveServer
from vigil.access.envelope import Audience
from vigil.access.roles import Role

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ARTIFACTS = ROOT / "test-artifacts"
CONVOY = "Convoy sighted at Kehl"


def sign_in(page: Page, login: str, password: str = PASSWORD) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/inbox$"))
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")


def choose_language(page: Page, code: str) -> None:
    page.click("summary#language-menu")
    page.click(f"a[data-lang='{code}']")
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_officer_signs_in_switches_to_arabic_and_sees_the_inbox(
    live_server: LiveServer, page: Page
) -> None:
    db = live_server.db
    make_user(db, "FRA", Role.NCB, login="fra.officer", password=PASSWORD)
    deu = make_user(db, "DEU", Role.NCB)
    make_record(db, deu, audience=Audience.everyone(), title=CONVOY, announce=True)
    db.dispatcher.drain()  # the alert is in the inbox before the page is rendered

    sign_in(page, "fra.officer")

    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.locator("#alerts")).to_contain_text(CONVOY)
    choose_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main h1")).to_have_text("التنبيهات")
    expect(page.locator("#alerts")).to_contain_text(CONVOY)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "inbox-ar.png", full_page=True)


def test_new_alert_appears_live_in_the_open_inbox(live_server: LiveServer, page: Page) -> None:
    db = live_server.db
    make_user(db, "FRA", Role.NCB, login="fra.officer", password=PASSWORD)
    esp = make_user(db, "ESP", Role.NCB)
    sign_in(page, "fra.officer")
    expect(page).to_have_url(re.compile(r"/inbox$"))
    # The stream counts alerts from the moment it connects: wait until it has.
    expect(page.locator("#live-status")).to_have_text(re.compile("^Live:"))

    make_record(db, esp, audience=Audience.only("FRA"), title="Boat leaving Almería", announce=True)

    expect(page.locator("#alerts tbody")).to_contain_text("Boat leaving Almería")
    expect(page.locator("#unread-badge")).to_have_text(re.compile(r"^[1-9]\d*$"))
    expect(page.locator("#unread-badge")).to_be_visible()


def test_wrong_password_is_refused_in_the_chosen_language(
    live_server: LiveServer, page: Page
) -> None:
    make_user(live_server.db, "FRA", Role.NCB, login="fra.officer", password=PASSWORD)
    page.goto("/login")
    choose_language(page, "fr")

    page.fill("input[name=login]", "fra.officer")
    page.fill("input[name=password]", "not the password at all")
    page.click("form[action='/login'] button[type=submit]")

    expect(page.locator("[role=alert]")).to_have_text("Identifiant ou mot de passe incorrect.")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_restricted_record_alert_not_shown_to_excluded_member(
    live_server: LiveServer, page: Page
) -> None:
    db = live_server.db
    fra = make_user(db, "FRA", Role.NCB)
    make_user(db, "DEU", Role.NCB, login="deu.officer", password=PASSWORD)
    restricted = Audience.only("FRA", "ESP")
    make_record(db, fra, audience=restricted, title="Pyrenees crossing", announce=True)
    make_record(db, fra, audience=Audience.everyone(), title="Port of Calais", announce=True)
    db.dispatcher.drain()

    sign_in(page, "deu.officer")

    # The alert everyone received shows the inbox is rendered, so the absence below means something.
    expect(page.locator("#alerts")).to_contain_text("Port of Calais")
    expect(page.locator("#alerts")).not_to_contain_text("Pyrenees crossing")


def test_alert_committed_while_the_inbox_loads_still_arrives_live(
    live_server: LiveServer, page: Page
) -> None:
    from playwright.sync_api import Route

    db = live_server.db
    make_user(db, "FRA", Role.NCB, login="fra.officer", password=PASSWORD)
    esp = make_user(db, "ESP", Role.NCB)

    def alert_before_the_stream_connects(route: Route) -> None:
        make_record(db, esp, audience=Audience.only("FRA"), title="Between two", announce=True)
        db.dispatcher.drain()
        route.continue_()

    page.route("**/api/v1/alerts/stream*", alert_before_the_stream_connects)
    sign_in(page, "fra.officer")
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.locator("#alerts tbody")).to_contain_text("Between two")
    expect(page.locator("#unread-badge")).to_have_text("1")


def test_language_switch_keeps_where_the_officer_was_going(
    live_server: LiveServer, page: Page
) -> None:
    make_user(live_server.db, "FRA", Role.NCB, login="fra.officer", password=PASSWORD)
    page.goto("/records")
    expect(page).to_have_url(re.compile(r"/login\?next=/records$"))
    choose_language(page, "es")
    page.fill("input[name=login]", "fra.officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/records$"))
    expect(page.locator("main h1")).to_have_text("Registros")


def test_officer_pastes_an_mrz_and_sees_it_read_with_the_faulty_field(
    live_server: LiveServer, page: Page
) -> None:
    from datetime import date

    from vigil.documents.mrz import make_mrz

    make_user(live_server.db, "ESP", Role.FRONTLINE, login="esp.border", password=PASSWORD)
    first, second = make_mrz(
        format="TD3",
        document_code="P",
        issuing_state="ESP",
        document_number="PAA123456",
        surname="García López",
        given_names="María José",
        nationality="ESP",
        birth_date=date(1990, 3, 4),
        sex="F",
        expiry_date=date(2030, 3, 4),
    )
    sign_in(page, "esp.border")
    page.click("a[data-nav='mrz']")
    page.fill("textarea[name=mrz]", f"{first}\n{second}")
    page.click("form[action='/mrz'] button[type=submit]")
    expect(page.locator("#mrz-verdict")).to_have_attribute("data-valid", "true")
    expect(page.locator("[data-field=surname]")).to_have_text("GARCIA LOPEZ")

    broken = second[:19] + ("1" if second[19] != "1" else "2") + second[20:]
    page.fill("textarea[name=mrz]", f"{first}\n{broken}")
    page.click("form[action='/mrz'] button[type=submit]")
    expect(page.locator("#mrz-verdict")).to_have_attribute("data-valid", "false")
    expect(page.locator("#mrz-problems")).to_contain_text("birth_date")
