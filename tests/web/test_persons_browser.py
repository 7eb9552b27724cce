"""The persons workspace in headless Chromium: names recorded in Arabic and Chinese script are
found from their Latin spelling and the other way round, a foreign name in katakana finds its
Latin form, each candidate explained; the record
page and the screening page read right to left where they should."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import Officer, make_user
from tests.web.conftest import LiveServer
from tests.web.test_browser import ARTIFACTS, PASSWORD, choose_language, sign_in
from vigil.access.roles import Role
from vigil.core.countries import GS
from vigil.persons import service
from vigil.persons.models import Person, PersonIn
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork

pytestmark = pytest.mark.browser

ARABIC = "محمد علي حسن"
CHINESE = "习近平"


def _person(db: Database, owner: Officer, name: str, **fields: object) -> Person:
    person_in = PersonIn.model_validate({"names": [name], "category": "wanted", **fields})
    with UnitOfWork(db, write=True) as uow:
        return service.record(uow, actor=owner.actor, person_in=person_in)


def _screen(page: Page, name: str) -> Locator:
    """Screen ``name`` from the form; the best candidate."""
    page.fill("#screen-form input[name=name]", name)
    page.click("#screen-form button[type=submit]")
    expect(page.locator("#screen-result")).to_be_visible()
    return page.locator(".vigil-candidate").first


def _direction(locator: Locator) -> str:
    return str(locator.evaluate("element => getComputedStyle(element).direction"))


def test_names_are_found_across_scripts_with_their_explanation(
    live_server: LiveServer, page: Page
) -> None:
    db = live_server.db
    egy, chn = make_user(db, "EGY"), make_user(db, "CHN")
    arabic = _person(db, egy, ARABIC, nationalities=["EGY"], birth_date="1975")
    chinese = _person(db, chn, CHINESE, nationalities=["CHN"])
    latin = _person(db, make_user(db, "LBN"), "Youssef Haddad", nationalities=["LBN"])
    russian = _person(db, make_user(db, "RUS"), "Vladimir Putin", nationalities=["RUS"])
    make_user(db, "ESP", Role.FRONTLINE, login="esp.border", password=PASSWORD)
    sign_in(page, "esp.border")
    expect(page).to_have_url(re.compile(r"/inbox$"))

    page.click("a[data-nav='persons']")
    expect(page.locator("#persons tbody tr")).to_have_count(4)
    page.click("#persons-screen-link")
    expect(page).to_have_url(re.compile(r"/persons/screen$"))

    best = _screen(page, "Mohamed Ali Hassan")
    expect(best).to_have_attribute("data-candidate", arabic.id)
    expect(best.locator(".vigil-candidate-name")).to_have_text(ARABIC)
    expect(best.locator(".vigil-matched")).to_have_text(ARABIC)
    expect(best.locator("[data-feature=name] td").last).to_contain_text("Mohamed Ali Hassan")
    expect(best.locator("[data-feature=name] td").nth(1)).to_have_text(re.compile(r"^\+\d\.\d\d$"))
    expect(best.locator(".vigil-score")).to_have_text(re.compile(r"^\d{1,3}%$"))
    expect(best.locator("progress")).to_be_visible()
    assert _direction(best.locator(".vigil-candidate-name")) == "rtl"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "persons-screen.png", full_page=True)

    best = _screen(page, "Xi Jinping")
    expect(best).to_have_attribute("data-candidate", chinese.id)
    expect(best).to_have_attribute("data-hit", "true")
    expect(best.locator("mark.vigil-hit")).to_have_text("HIT")
    expect(best.locator(".vigil-candidate-name")).to_have_text(CHINESE)
    expect(best.locator("[data-feature=name] td").last).to_contain_text("Xi Jinping")

    best = _screen(page, "يوسف حداد")
    expect(best).to_have_attribute("data-candidate", latin.id)
    expect(best.locator(".vigil-candidate-name")).to_have_text("Youssef Haddad")
    expect(best.locator("[data-feature=name] td").last).to_contain_text("يوسف حداد")

    # A foreign name as Japanese writes it, read back towards its Latin spelling.
    best = _screen(page, "ウラジーミル・プーチン")
    expect(best).to_have_attribute("data-candidate", russian.id)
    expect(best.locator("[data-feature=name] td").last).to_contain_text(
        "“urajimir putin” (a foreign name in katakana)"
    )

    _screen(page, "Mohamed Ali Hassan").locator(".vigil-candidate-name").click()
    expect(page).to_have_url(re.compile(rf"/persons/{arabic.id}$"))
    name = page.locator("#person-names tbody tr").first
    expect(name).to_have_attribute("data-script", "Arab")
    assert _direction(name.locator(".vigil-person-name")) == "rtl"
    expect(page.locator("#person-handling")).to_have_attribute("data-handling", "H0")


def test_screening_page_reads_right_to_left_in_arabic(live_server: LiveServer, page: Page) -> None:
    db = live_server.db
    _person(db, make_user(db, "DEU"), "Youssef Haddad", birth_date="1970-03-02")
    make_user(db, "FRA", Role.FRONTLINE, login="fra.border", password=PASSWORD)
    sign_in(page, "fra.border")
    page.goto("/persons/screen")
    choose_language(page, "ar")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main h1")).to_have_text("فحص اسم")
    page.fill("#screen-form input[name=birth_date]", "1970-03-02")
    best = _screen(page, "Youssef Haddad")
    expect(page.locator("#screen-verdict")).to_have_text("نتيجة إيجابية")
    expect(best.locator("mark.vigil-hit")).to_have_text("إيجابية")
    expect(best.locator("[data-feature=birth_date] td").first).to_have_text("تاريخ الميلاد")
    assert _direction(best.locator(".vigil-candidate-name")) == "ltr"  # a Latin name stays LTR


def test_an_administrator_loads_nicknames_and_a_screening_finds_bill_as_william(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    db = live_server.db
    william = _person(db, make_user(db, "USA"), "William Clinton", sex="M", nationalities=["USA"])
    make_user(db, GS, Role.ADMIN, login="gs.admin", password=PASSWORD)
    make_user(db, "ESP", Role.FRONTLINE, login="esp.border", password=PASSWORD)
    table = tmp_path / "nicknames.csv"
    table.write_text("name1,relationship,name2\nwilliam,has_nickname,bill\n", encoding="utf-8")

    sign_in(page, "gs.admin")
    page.click("a[data-nav='persons']")
    expect(page).to_have_url(re.compile(r"/persons/equivalents$"))
    expect(page.locator("#equivalents-none")).to_be_visible()
    page.fill("#equivalents-form input[name=source]", "nicknames-en")
    page.set_input_files("#equivalents-form input[type=file]", str(table))
    page.click("#equivalents-form button[type=submit]")
    expect(page.locator("#equivalents-loaded")).to_contain_text("nicknames-en")
    expect(page.locator("#equivalents-tables tr[data-source='nicknames-en']")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "persons-equivalents.png", full_page=True)
    page.click("form[action='/logout'] button[type=submit]")

    sign_in(page, "esp.border")
    page.goto("/persons/screen")
    page.select_option("#screen-form select[name=sex]", "M")
    page.fill("#screen-form input[name=nationality]", "USA")
    best = _screen(page, "Bill Clinton")
    expect(best).to_have_attribute("data-candidate", william.id)
    expect(best).to_have_attribute("data-hit", "true")
    expect(best.locator("[data-feature=name] td").last).to_contain_text(
        "“bill” as “william” (nicknames-en)"
    )
