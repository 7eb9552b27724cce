"""Intelligence reports in headless Chromium: a member publishes a route report to its
network through the form, adding legs as rows; another member opens it, sees the route drawn
on the world map, replies in its thread with an H2 handling code, and finds that reply again
through the messages search box."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import make_user
from tests.web.conftest import LiveServer
from tests.web.test_browser import ARTIFACTS, PASSWORD, sign_in
from tests.web.test_notices_browser import _sign_out
from vigil.access.roles import Role
from vigil.messaging import networks
from vigil.messaging.models import NetworkIn
from vigil.storage.uow import UnitOfWork

pytestmark = pytest.mark.browser

LEGS = [("NGA", "NER", "road", "Jibia / Maradi"), ("NER", "LBY", "road", "Agadez - Sebha"),
        ("LBY", "ITA", "sea", "")]  # fmt: skip


def test_a_route_report_is_drawn_on_the_map_and_discussed(
    live_server: LiveServer, page: Page
) -> None:
    db = live_server.db
    esp = make_user(db, "ESP", Role.NCB, login="esp.officer", password=PASSWORD)
    make_user(db, "ITA", Role.NCB, login="ita.officer", password=PASSWORD)
    network_in = NetworkIn(name="Central Mediterranean", members=["ITA", "LBY", "NGA"])
    with UnitOfWork(db, write=True) as uow:
        network = networks.create(uow, actor=esp.actor, network_in=network_in)

    sign_in(page, "esp.officer")
    page.click("a[data-nav='intel']")
    page.click("#publish-link")
    form = page.locator("#report-form")
    form.locator("select[name=kind]").select_option("route")
    form.locator("input[name=crime_areas][value=migrant_smuggling]").check()
    for number, (start, end, mode, crossing) in enumerate(LEGS):
        if number:
            page.click("#route-add")  # a new row, starting where the last leg ended
        row = form.locator("#route-rows tr").nth(number)
        expect(row.locator("[name=leg_from]")).to_have_value(start if number else "")
        row.locator("[name=leg_from]").fill(start)
        row.locator("[name=leg_to]").fill(end)
        row.locator("[name=leg_mode]").select_option(mode)
        row.locator("[name=leg_crossing]").fill(crossing)
    form.locator("textarea[name=text]").fill(
        "Smugglers collect migrants in Kano; boats leave Zuwara for Lampedusa at night."
    )
    form.locator("select[name=audience]").select_option(f"network:{network.id}")
    page.click("#report-submit")
    expect(page).to_have_url(re.compile(r"/intel/[\w-]+$"))
    report_url = page.url
    expect(page.locator("#route-map")).to_have_attribute("data-drawn", "true")
    _sign_out(page)

    sign_in(page, "ita.officer")
    page.click("a[data-nav='intel']")
    page.click(f"#reports a[href='{report_url.split(live_server.url)[1]}']")
    svg = page.locator("#route-map")
    expect(svg).to_have_attribute("data-drawn", "true")
    legs = svg.locator("path.vigil-leg")
    expect(legs).to_have_count(3)
    drawn = [(leg.get_attribute("data-from"), leg.get_attribute("data-to"),
              leg.get_attribute("data-mode")) for leg in legs.all()]  # fmt: skip
    assert drawn == [(a, b, m) for a, b, m, _ in LEGS]
    assert all(leg.get_attribute("marker-end") == "url(#vigil-arrow)" for leg in legs.all())
    assert svg.locator("path.vigil-country").count() > 150
    expect(svg.locator("path.vigil-country-route")).to_have_count(4)
    expect(svg.locator("g.vigil-stop text")).to_have_text(["NGA", "NER", "LBY", "ITA"])
    # Nigeria is drawn south-west of Libya, and Italy north of Libya: the projection holds.
    stops = {
        code: svg.locator(f"g.vigil-stop[data-code={code}] circle")
        for code in ("NGA", "LBY", "ITA")
    }
    at = {code: (float(c.get_attribute("cx") or 0), float(c.get_attribute("cy") or 0))
          for code, c in stops.items()}  # fmt: skip
    assert at["NGA"][1] > at["LBY"][1] > at["ITA"][1] and at["NGA"][0] < at["LBY"][0]
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300

    reply = page.locator("#reply-form")
    reply.locator("textarea[name=text]").fill("Boats also leave from Sabratha since October.")
    reply.locator("select[name=handling]").select_option("H2")
    reply.locator("select[name=source_reliability]").select_option("B")
    reply.locator("select[name=information_credibility]").select_option("2")
    page.click("#reply-submit")
    message = page.locator("#thread article.vigil-message").last
    expect(message).to_have_attribute("data-handling", "H2")
    expect(message).to_have_attribute("data-grading", "B2")
    expect(message.locator(".vigil-handling-meaning")).to_have_text(
        "No onward sharing without the owner's consent."
    )
    expect(page.locator("#route-map")).to_have_attribute("data-drawn", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "intel-route.png", full_page=True)
    thread = page.locator("#report-thread-link").get_attribute("href")

    page.click("a[data-nav='messages']")
    words = page.locator("#messages-search input[name=q]")
    words.press("Enter")  # nothing typed: the service says what is missing
    expect(page.locator("#search-error")).to_contain_text("give the words to search for")
    words.fill("sabratha october")
    page.click("#messages-search-submit")
    expect(words).to_have_value("sabratha october")
    found = page.locator("#found-messages tbody tr")
    expect(found).to_have_count(1)
    expect(found).to_have_attribute("data-member", "ITA")
    expect(found).to_have_attribute("data-handling", "H2")
    expect(found.locator(".vigil-handling-meaning")).to_have_text(
        "No onward sharing without the owner's consent."
    )
    expect(found.locator(".vigil-found-text")).to_have_text(
        "Boats also leave from Sabratha since October."
    )
    found.locator("a.vigil-found-thread").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(str(thread))}#message-[\w-]+$"))
    expect(page.locator("#thread-messages article.vigil-message").last).to_have_attribute(
        "data-handling", "H2"
    )
