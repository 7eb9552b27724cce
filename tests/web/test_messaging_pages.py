"""Networks, secure messages and intelligence reports in the workspace: the forms and their
refusals as typed, handling codes and grading on every message, corrections linked, read
receipts, attachments through the session, the message search and the reports' period filter,
the route map's data, and who sees what."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import make_user
from tests.web.test_biometrics_pages import _sign_in as sign_in
from vigil.access.roles import Role
from vigil.storage.engine import Database

ROUTE_FORM = {
    "kind": "route",
    "crime_areas": ["migrant_smuggling"],
    "leg_from": ["NGA", "NER", "LBY"],
    "leg_to": ["NER", "LBY", "ITA"],
    "leg_mode": ["road", "road", "sea"],
    "leg_crossing": ["Jibia / Maradi", "Agadez - Sebha", ""],
    "indicators": ["recruitment_social_media", "debt_bondage"],
    "text": "Smugglers collect migrants in Kano and move them through Agadez to Sebha; boats "
    "leave Zuwara for Lampedusa at night.",
    "handling": "H1",
}


def _officer(client: TestClient, db: Database, member: str) -> tuple[TestClient, str]:
    """Another officer signed in with cookies of its own; its CSRF token."""
    other = TestClient(client.app)
    return other, sign_in(other, db, member)


def _post(client: TestClient, path: str, data: dict[str, Any], **kwargs: Any) -> str:
    answer = client.post(path, data=data, follow_redirects=False, **kwargs)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def _network(client: TestClient, csrf: str, members: str = "ITA, LBY, NGA") -> str:
    form = {"csrf_token": csrf, "name": "Central Mediterranean", "members": members,
            "kind": "operational"}  # fmt: skip
    return _post(client, "/networks", form).rsplit("/", 1)[1]


def test_a_network_is_created_joined_and_left_through_its_pages(
    client: TestClient, db: Database
) -> None:
    csrf = sign_in(client, db, "ESP")
    refused = client.post("/networks", data={"csrf_token": csrf, "name": "Sahel routes",
                                             "members": "NER, XYZ"})  # fmt: skip
    assert refused.status_code == 422 and "not members: XYZ" in refused.text
    assert 'value="Sahel routes"' in refused.text and 'value="NER, XYZ"' in refused.text

    network = _network(client, csrf)
    page = client.get(f"/networks/{network}").text
    assert 'id="network-moderator"' in page and 'data-member="ITA"' in page
    assert 'id="network-leave-form"' in page and 'id="network-requests-empty"' in page

    fra, fra_csrf = _officer(client, db, "FRA")
    directory = fra.get("/networks").text
    assert 'id="my-networks-empty"' in directory and f'data-network="{network}"' in directory
    assert 'id="network-requests"' not in fra.get(f"/networks/{network}").text
    _post(fra, f"/networks/{network}/requests",
          {"csrf_token": fra_csrf, "reason": "Boats land in Corsica too."})  # fmt: skip
    again = fra.post(f"/networks/{network}/requests",
                     data={"csrf_token": fra_csrf, "reason": "Please."})  # fmt: skip
    assert again.status_code == 200  # pending: not a member yet, so it may ask again
    ita, ita_csrf = _officer(client, db, "ITA")
    request_id = re.findall(r'data-request="([\w-]+)"', client.get(f"/networks/{network}").text)[0]
    not_moderator = ita.post(f"/networks/{network}/requests/{request_id}",
                             data={"csrf_token": ita_csrf, "decision": "approve"})  # fmt: skip
    assert not_moderator.status_code == 403 and 'id="action-errors"' in not_moderator.text
    _post(client, f"/networks/{network}/requests/{request_id}",
          {"csrf_token": csrf, "decision": "approve"})  # fmt: skip
    assert 'data-member="FRA"' in fra.get(f"/networks/{network}").text
    assert f'data-network="{network}"' in fra.get("/networks").text.split("Directory")[0]

    _post(ita, f"/networks/{network}/leave", {"csrf_token": ita_csrf})
    left = ita.get(f"/networks/{network}").text
    assert 'data-member="ITA"' not in left and 'id="network-join-form"' in left


def test_a_moderator_adds_a_member_and_names_a_user(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "ESP")
    network = _network(client, csrf)
    page = client.get(f"/networks/{network}").text
    assert 'id="network-add-member-form"' in page and 'id="network-set-user-form"' in page
    unknown = client.post(f"/networks/{network}/members", data={"csrf_token": csrf,
                                                                "member": "xyz"})  # fmt: skip
    assert unknown.status_code == 422 and 'data-action="add-member"' in unknown.text
    assert "not members: XYZ" in unknown.text and 'value="xyz"' in unknown.text
    _post(client, f"/networks/{network}/members", {"csrf_token": csrf, "member": "fra"})
    assert 'data-member="FRA"' in client.get(f"/networks/{network}").text

    officer = make_user(db, "FRA", Role.ANALYST)
    user_id = officer.actor.user_id
    outsider = make_user(db, "DEU").actor.user_id
    refused = client.post(f"/networks/{network}/users", data={"csrf_token": csrf,
                          "user_id": outsider, "role": "moderator"})  # fmt: skip
    assert refused.status_code == 422 and 'data-action="set-user"' in refused.text
    assert f'value="{outsider}"' in refused.text and 'value="moderator" selected' in refused.text
    _post(client, f"/networks/{network}/users",
          {"csrf_token": csrf, "user_id": user_id, "role": "moderator"})  # fmt: skip
    assert f'data-user="{user_id}"' in client.get(f"/networks/{network}").text

    ita, ita_csrf = _officer(client, db, "ITA")
    assert 'id="network-add-member-form"' not in ita.get(f"/networks/{network}").text
    not_moderator = ita.post(f"/networks/{network}/members",
                             data={"csrf_token": ita_csrf, "member": "DEU"})  # fmt: skip
    assert not_moderator.status_code == 403 and 'id="action-errors"' in not_moderator.text


def _thread(client: TestClient, csrf: str, **fields: str) -> str:
    form = {
        "csrf_token": csrf, "subject": "Passport AK0456721", "to": "ITA", "handling": "H1",
        "type": "request_for_information", "text": "Who issued it?",
        "questions": "Holder's address?\nTravel history?", **fields,
    }  # fmt: skip
    return _post(client, "/messages/new", form).rsplit("/", 1)[1]


def _messages(html: str) -> list[dict[str, str]]:
    found = re.findall(r'<article class="vigil-message" id="message-([\w-]+)"([^>]*)>', html)
    return [
        {"id": mid, **dict(re.findall(r'data-([\w-]+)="([^"]*)"', attrs))} for mid, attrs in found
    ]


def test_messages_show_handling_grading_corrections_and_receipts(
    client: TestClient, db: Database
) -> None:
    csrf = sign_in(client, db, "ESP")
    thread = _thread(client, csrf)
    page = client.get(f"/messages/{thread}").text
    (first,) = _messages(page)
    assert (first["type"], first["handling"]) == ("request_for_information", "H1")
    assert "Not for use in court without the owner's consent." in page
    assert '<li dir="auto">Travel history?</li>' in page and "not graded" in page
    assert f'data-thread="{thread}"' in client.get("/messages").text

    ita, ita_csrf = _officer(client, db, "ITA")
    answer = {"csrf_token": ita_csrf, "type": "reply", "in_reply_to": first["id"],
              "text": "Issued in Rome, 2021.", "handling": "H2", "source_reliability": "B",
              "information_credibility": "2"}  # fmt: skip
    _post(ita, f"/messages/{thread}", answer)
    read = ita.get(f"/messages/{thread}").text
    reply = _messages(read)[1]
    assert (reply["handling"], reply["grading"], reply["member"]) == ("H2", "B2", "ITA")
    assert "No onward sharing without the owner's consent." in read
    assert 'data-read-by="ITA"' in read.split(f'id="message-{first["id"]}"')[1]
    assert f'data-correct="{reply["id"]}"' in read and f'data-correct="{first["id"]}"' not in read

    correcting = ita.get(f"/messages/{thread}?correct={reply['id']}").text
    assert f'id="correcting" data-corrects="{reply["id"]}"' in correcting
    assert ">Issued in Rome, 2021.</textarea>" in correcting
    correcting_form = {"csrf_token": ita_csrf, "type": "correction", "corrects": reply["id"],
                       "text": "Issued in Milan."}  # fmt: skip
    _post(ita, f"/messages/{thread}", correcting_form)
    shown = client.get(f"/messages/{thread}").text
    assert 'data-corrected-by="' in shown and "Issued in Rome, 2021." in shown
    correction = _messages(shown)[2]
    assert f'href="#message-{reply["id"]}" data-corrects="{reply["id"]}"' in shown
    assert correction["type"] == "correction"
    foreign = client.post(f"/messages/{thread}", data={**correcting_form, "csrf_token": csrf,
                                                      "text": "x"})  # fmt: skip
    assert foreign.status_code == 403 and ">x</textarea>" in foreign.text

    fra, _ = _officer(client, db, "FRA")
    assert fra.get(f"/messages/{thread}").status_code == 404


def test_a_refused_message_comes_back_as_typed(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "ESP")
    no_questions = client.post("/messages/new", data={
        "csrf_token": csrf, "subject": "Boat at Zuwara", "to": "ITA",
        "type": "request_for_information", "text": "Seen it?",
    })  # fmt: skip
    assert no_questions.status_code == 422 and "asks questions" in no_questions.text
    assert (
        'value="Boat at Zuwara"' in no_questions.text
        and ">Seen it?</textarea>" in no_questions.text
    )
    both = client.post("/messages/new", data={"csrf_token": csrf, "subject": "s", "to": "ITA",
                                              "network_id": "n1", "type": "spontaneous_information",
                                              "text": "t"})  # fmt: skip
    assert both.status_code == 422 and "to members (to) or to a network" in both.text
    thread = _thread(client, csrf)
    said = {"csrf_token": csrf, "type": "spontaneous_information", "text": "Keep this close.",
            "handling": "H3"}  # fmt: skip
    h3 = client.post(f"/messages/{thread}", data=said)
    assert h3.status_code == 422 and "handling H3 needs handling_text" in h3.text
    assert ">Keep this close.</textarea>" in h3.text and 'value="H3" selected' in h3.text


def _found(html: str) -> list[dict[str, str]]:
    """The messages a search lists: each row's data attributes, and where its link leads."""
    rows = re.findall(r'<tr data-message="([\w-]+)"([^>]*)>\s*<td><a href="([^"]+)"', html)
    return [
        {"id": mid, "href": href, **dict(re.findall(r'data-([\w-]+)="([^"]*)"', attrs))}
        for mid, attrs, href in rows
    ]


def test_a_message_search_finds_the_members_messages_and_not_another_members(
    client: TestClient, db: Database
) -> None:
    csrf = sign_in(client, db, "ESP")
    thread = _thread(client, csrf, text="Two boats left Zuwara at night, hawala paid in Kano.")
    fra, fra_csrf = _officer(client, db, "FRA")
    theirs = _thread(fra, fra_csrf, to="DEU", text="The Kano hawala broker moved to Agadez.")

    page = client.get("/messages", params={"q": "hawala kano"}).text
    (found,) = _found(page)
    assert (found["thread"], found["member"], found["handling"]) == (thread, "ESP", "H1")
    assert found["href"] == f"/messages/{thread}#message-{found['id']}"
    assert "Two boats left Zuwara at night" in page and 'value="hawala kano"' in page
    assert "Not for use in court without the owner's consent." in page
    assert theirs not in page and 'id="threads"' not in page
    assert [m["thread"] for m in _found(fra.get("/messages?q=hawala").text)] == [theirs]

    ita, _ = _officer(client, db, "ITA")
    assert [m["thread"] for m in _found(ita.get("/messages?q=zuwara").text)] == [thread]
    assert 'data-read-by="ITA"' not in client.get(f"/messages/{thread}").text  # found, not read
    assert 'id="found-empty"' in ita.get("/messages?q=agadez").text


def test_an_empty_message_search_says_what_is_missing(client: TestClient, db: Database) -> None:
    sign_in(client, db, "ESP")
    empty = client.get("/messages?q=++")
    assert empty.status_code == 200 and 'id="search-error"' in empty.text
    assert "q: give the words to search for." in empty.text
    assert 'name="q" value=""' in empty.text and 'aria-invalid="true"' in empty.text
    assert 'id="search-error"' not in client.get("/messages").text


def test_attachments_are_downloaded_through_the_session(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "ESP")
    pdf = b"%PDF-1.4 a scanned passport page"
    location = _post(client, "/messages/new", {
        "csrf_token": csrf, "subject": "Scan", "to": "ITA", "type": "spontaneous_information",
        "text": "See attached.",
    }, files=[("attachments", ("scan.pdf", pdf, "application/pdf"))])  # fmt: skip
    page = client.get(location).text
    link = re.search(r'href="(/messages/[\w-]+/attachments/[0-9a-f]{64})" download', page)
    assert link is not None and ">scan.pdf</a>" in page
    ita, _ = _officer(client, db, "ITA")
    got = ita.get(link.group(1))
    assert got.status_code == 200 and got.content == pdf
    assert got.headers["content-disposition"] == 'attachment; filename="scan.pdf"'
    fra, _ = _officer(client, db, "FRA")
    assert fra.get(link.group(1)).status_code == 404
    exe = [("attachments", ("x.exe", b"MZ", "application/x-msdownload"))]
    said = {"csrf_token": csrf, "type": "spontaneous_information", "text": "A program."}
    wrong = client.post(location, data=said, files=exe)
    assert wrong.status_code == 422 and ">A program.</textarea>" in wrong.text


def _route_report(client: TestClient, csrf: str, network: str) -> str:
    form = {**ROUTE_FORM, "csrf_token": csrf, "audience": f"network:{network}"}
    return _post(client, "/intel/new", form).rsplit("/", 1)[1]


def test_a_route_report_is_published_to_a_network_and_only_its_members_see_it(
    client: TestClient, db: Database
) -> None:
    csrf = sign_in(client, db, "ESP")
    network = _network(client, csrf)
    form = client.get("/intel/new").text
    assert f'value="network:{network}"' in form and 'id="route-row-template"' in form
    report = _route_report(client, csrf, network)
    page = client.get(f"/intel/{report}").text
    assert "Route: NGA → NER → LBY → ITA" in page
    assert 'data-map="/static/vendor/countries-110m.json"' in page
    legs = re.findall(r'<tr data-from="(\w+)" data-to="(\w+)" data-from-id="(\d+)" '
                      r'data-to-id="(\d+)" data-mode="(\w+)"', page)  # fmt: skip
    assert legs == [("NGA", "NER", "566", "562", "road"), ("NER", "LBY", "562", "434", "road"),
                    ("LBY", "ITA", "434", "380", "sea")]  # fmt: skip
    assert "/static/intel.js" in page and "/static/vendor/topojson-client.min.js" in page

    ita, ita_csrf = _officer(client, db, "ITA")
    found = ita.get("/intel?q=zuwara+lampedusa").text
    assert f'data-report="{report}"' in found
    assert f'data-report="{report}"' in ita.get("/intel?country=NER&kind=route").text
    _post(ita, f"/intel/{report}/replies", {
        "csrf_token": ita_csrf, "type": "spontaneous_information", "handling": "H2",
        "source_reliability": "B", "information_credibility": "2",
        "text": "Boats also leave from Sabratha since October.",
    })  # fmt: skip
    thread_page = client.get(f"/intel/{report}").text
    (reply,) = _messages(thread_page)
    assert (reply["handling"], reply["grading"], reply["member"]) == ("H2", "B2", "ITA")
    thread = re.search(r'href="/messages/([\w-]+)" id="report-thread-link"', thread_page)
    assert thread is not None

    fra, _ = _officer(client, db, "FRA")
    assert fra.get(f"/intel/{report}").status_code == 404
    assert fra.get(f"/messages/{thread.group(1)}").status_code == 404
    assert f'data-report="{report}"' not in fra.get("/intel?q=zuwara").text
    assert f'data-report="{report}"' not in fra.get("/intel").text


def test_a_refused_report_keeps_its_legs_as_typed(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "ESP")
    broken = {**ROUTE_FORM, "csrf_token": csrf, "leg_from": ["NGA", "LBY", "LBY"],
              "audience": "all"}  # fmt: skip
    answer = client.post("/intel/new", data=broken)
    assert answer.status_code == 422 and "the route breaks between NER and LBY" in answer.text
    kept = re.findall(r'name="leg_from" value="(\w*)"', answer.text)
    assert kept[:3] == ["NGA", "LBY", "LBY"] and 'value="Jibia / Maradi"' in answer.text
    assert 'value="migrant_smuggling" checked' in answer.text
    unknown = client.post("/intel/new", data={**ROUTE_FORM, "csrf_token": csrf,
                                              "leg_to": ["NER", "LBY", "XYZ"]})  # fmt: skip
    assert unknown.status_code == 422 and "route 3 to: Value error" not in unknown.text
    assert "not members: XYZ" in unknown.text
    ita, ita_csrf = _officer(client, db, "ITA")
    theirs = _network(ita, ita_csrf, members="LBY")
    foreign = client.post("/intel/new", data={**ROUTE_FORM, "csrf_token": csrf,
                                              "audience": f"network:{theirs}"})  # fmt: skip
    assert foreign.status_code == 422 and "Not networks of yours" in foreign.text


def test_a_modus_operandi_report_becomes_a_purple_notice_request(
    client: TestClient, db: Database
) -> None:
    csrf = sign_in(client, db, "ESP")
    report = _post(client, "/intel/new", {
        "csrf_token": csrf, "kind": "modus_operandi",
        "crime_areas": ["trafficking_sexual_exploitation"],
        "indicators": ["recruitment_online_ads", "confiscated_documents"],
        "text": "Victims recruited through modelling ads; passports taken on arrival.",
        "audience": "all",
    }).rsplit("/", 1)[1]  # fmt: skip
    page = client.get(f"/intel/{report}").text
    assert 'id="purple-notice-form"' in page and 'id="route"' not in page
    notice = _post(client, f"/intel/{report}/purple-notice", {"csrf_token": csrf})
    assert notice.startswith("/notices/")
    assert 'data-state="draft"' in client.get(notice).text
    ita, _ = _officer(client, db, "ITA")
    assert 'id="purple-notice-form"' not in ita.get(f"/intel/{report}").text


def test_subscriptions_through_the_search_page(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "ITA")
    done = _post(client, "/intel/subscriptions",
                 {"csrf_token": csrf, "countries": "LBY", "kinds": ["route"]})  # fmt: skip
    assert 'id="subscribed"' in client.get(done).text
    refused = client.post("/intel/subscriptions", data={"csrf_token": csrf, "countries": "LBY, XYZ",
                                                        "kinds": ["route"]})  # fmt: skip
    assert refused.status_code == 422 and "not members: XYZ" in refused.text
    assert 'value="LBY, XYZ"' in refused.text and 'value="route" checked' in refused.text
    bad_filter = client.get("/intel?kind=rumour")
    assert bad_filter.status_code == 200 and 'id="filter-error"' in bad_filter.text


def test_subscriptions_are_listed_and_cancelled(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "ITA")
    assert 'id="subscriptions-empty"' in client.get("/intel").text
    _post(client, "/intel/subscriptions",
          {"csrf_token": csrf, "countries": "LBY", "kinds": ["route"]})  # fmt: skip
    page = client.get("/intel").text
    subscription = re.findall(r'data-subscription="([\w-]+)"', page)[0]
    assert f'action="/intel/subscriptions/{subscription}/cancel"' in page
    esp, esp_csrf = _officer(client, db, "ESP")
    assert f'data-subscription="{subscription}"' not in esp.get("/intel").text
    not_theirs = esp.post(f"/intel/subscriptions/{subscription}/cancel",
                          data={"csrf_token": esp_csrf})  # fmt: skip
    assert not_theirs.status_code == 404 and 'id="cancel-errors"' in not_theirs.text
    _post(client, f"/intel/subscriptions/{subscription}/cancel", {"csrf_token": csrf})
    assert 'id="subscriptions-empty"' in client.get("/intel").text


def _report_over(client: TestClient, csrf: str, since: str, until: str) -> str:
    form = {**ROUTE_FORM, "csrf_token": csrf, "audience": "all", "period_from": since,
            "period_to": until}  # fmt: skip
    return _post(client, "/intel/new", form).rsplit("/", 1)[1]


def test_the_period_filter_narrows_the_reports(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "ESP")
    spring = _report_over(client, csrf, "2025-03-01", "2025-05-31")
    summer = _report_over(client, csrf, "2025-06-01", "2025-08-31")

    def listed(query: str) -> list[str]:
        return re.findall(r'<tr data-report="([\w-]+)"', client.get(f"/intel?{query}").text)

    assert set(listed("")) == {spring, summer}
    assert listed("period_from=2025-07-01") == [summer]
    assert listed("period_to=2025-04-15") == [spring]
    assert listed("period_from=2025-05-15&period_to=2025-06-15") in ([spring, summer],
                                                                    [summer, spring])  # fmt: skip
    assert listed("q=zuwara+lampedusa&period_from=2025-07-01&kind=route") == [summer]
    assert listed("period_from=2026-01-01") == []
    kept = client.get("/intel?period_from=2025-07-01&period_to=2025-12-31").text
    assert 'name="period_from" value="2025-07-01"' in kept
    assert 'name="period_to" value="2025-12-31"' in kept


def test_a_reversed_period_shows_the_reason_with_the_form_kept(
    client: TestClient, db: Database
) -> None:
    sign_in(client, db, "ITA")
    reversed_ = client.get("/intel?q=boats&period_from=2025-08-01&period_to=2025-06-01")
    assert reversed_.status_code == 200 and 'id="filter-error"' in reversed_.text
    assert "period_to is before period_from." in reversed_.text
    assert 'id="reports"' not in reversed_.text and 'value="boats"' in reversed_.text
    assert 'name="period_from" value="2025-08-01" dir="ltr" >' in reversed_.text
    assert 'name="period_to" value="2025-06-01" dir="ltr" aria-invalid="true"' in reversed_.text
    not_a_date = client.get("/intel?period_from=2025-13-01").text
    assert "period_from: &#39;2025-13-01&#39; is not a date (YYYY-MM-DD)." in not_a_date


def test_the_world_map_is_served_from_this_installation(client: TestClient) -> None:
    for path in ("/static/vendor/topojson-client.min.js", "/static/intel.js"):
        assert client.get(path).status_code == 200, path
    world = client.get("/static/vendor/countries-110m.json")
    assert world.status_code == 200
    ids = {g.get("id") for g in json.loads(world.content)["objects"]["countries"]["geometries"]}
    assert {"566", "562", "434", "380", "724", "250"} <= ids  # NGA NER LBY ITA ESP FRA
