"""Networks, messages and intelligence reports through the API: the issue's scenario, and the
rules around it."""

from __future__ import annotations

import base64
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import Officer
from vigil.storage.engine import Database
from vigil.storage.tables import alerts

ROUTE = {
    "kind": "route",
    "crime_areas": ["migrant_smuggling"],
    "route": [
        {"from": "NGA", "to": "NER", "mode": "road", "crossing": "Jibia / Maradi"},
        {"from": "NER", "to": "LBY", "mode": "road", "crossing": "Agadez - Sebha"},
        {"from": "LBY", "to": "ITA", "mode": "sea"},
    ],
    "indicators": ["recruitment_social_media", "debt_bondage"],
    "text": "Smugglers collect migrants in Kano and move them through Agadez to Sebha; boats "
    "leave Zuwara for Lampedusa at night. Payment by hawala in Kano.",
}


def _ok(client: TestClient, who: Officer, path: str, body: Any = None, method: str = "POST") -> Any:
    response = client.request(method, path, json=body, headers=who.headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _network(client: TestClient, o: dict[str, Officer]) -> str:
    made = _ok(client, o["ESP"], "/api/v1/networks", {
        "name": "Migrant smuggling: central Mediterranean", "members": ["ITA", "LBY", "NGA"],
    })  # fmt: skip
    assert made["members"] == ["ESP", "ITA", "LBY", "NGA"]
    return str(made["id"])


def test_the_issue_scenario(client: TestClient, o: dict[str, Officer], db: Database) -> None:
    network = _network(client, o)
    # Tokens carry their member's networks from their next authentication.
    _ok(client, o["ITA"], "/api/v1/intel/subscriptions", {"countries": ["LBY"], "kinds": ["route"]})
    report = _ok(client, o["ESP"], "/api/v1/intel/reports",
                 {**ROUTE, "audience": {"networks": [network]}})  # fmt: skip
    assert report["countries"] == ["ITA", "LBY", "NER", "NGA"]
    assert report["title"].startswith("Route: NGA → NER → LBY → ITA")

    with db.engine.connect() as conn:
        told = {m for m, k in conn.execute(sa.select(alerts.c.member, alerts.c.kind))
                if k == "intel.report"}  # fmt: skip
    assert told == {"ITA"}

    # FRA, outside the network, finds it by no path.
    assert client.get(f"/api/v1/intel/reports/{report['id']}", headers=o["FRA"].headers
                      ).status_code == 404  # fmt: skip
    assert client.get("/api/v1/intel/reports?q=Zuwara", headers=o["FRA"].headers
                      ).json()["items"] == []  # fmt: skip
    assert client.get("/api/v1/intel/reports", headers=o["FRA"].headers).json()["items"] == []
    assert client.get(f"/api/v1/records/{report['id']}", headers=o["FRA"].headers
                      ).status_code == 404  # fmt: skip
    assert client.get("/api/v1/alerts", headers=o["FRA"].headers).json()["items"] == []
    # A member finds it by its words and by the country on its route.
    found = client.get("/api/v1/intel/reports?q=zuwara lampedusa", headers=o["ITA"].headers)
    assert [r["id"] for r in found.json()["items"]] == [report["id"]]
    by_country = client.get("/api/v1/intel/reports?country=NER&kind=route",
                            headers=o["ITA"].headers).json()  # fmt: skip
    assert [r["id"] for r in by_country["items"]] == [report["id"]]

    # ITA replies in the thread with an H2 handling code, which the reply shows.
    thread = _ok(client, o["ITA"], f"/api/v1/intel/reports/{report['id']}/replies", {
        "type": "spontaneous_information", "handling": "H2", "source_reliability": "B",
        "information_credibility": "2",
        "text": "Boats also leave from Sabratha since October; same organisers.",
    })  # fmt: skip
    (reply,) = thread["messages"]
    assert (reply["handling"], reply["grading"], reply["member"]) == ("H2", "B2", "ITA")
    assert "onward" in reply["handling_meaning"]
    seen = _ok(client, o["ESP"], f"/api/v1/messages/threads/{thread['id']}", method="GET")
    assert seen["messages"][0]["handling"] == "H2"
    assert client.get(f"/api/v1/messages/threads/{thread['id']}", headers=o["FRA"].headers
                      ).status_code == 404  # fmt: skip

    # NGA leaves the network and can no longer read the report or the thread.
    assert _ok(client, o["NGA"], f"/api/v1/intel/reports/{report['id']}", method="GET")
    left = _ok(client, o["NGA"], f"/api/v1/networks/{network}/members/NGA", method="DELETE")
    assert "NGA" not in left["members"]
    assert client.get(f"/api/v1/intel/reports/{report['id']}", headers=o["NGA"].headers
                      ).status_code == 404  # fmt: skip
    assert client.get(f"/api/v1/messages/threads/{thread['id']}", headers=o["NGA"].headers
                      ).status_code == 404  # fmt: skip
    assert client.get("/api/v1/intel/reports?q=Zuwara", headers=o["NGA"].headers
                      ).json()["items"] == []  # fmt: skip


def test_messages_are_never_edited_only_corrected(
    client: TestClient, o: dict[str, Officer]
) -> None:
    thread = _ok(client, o["ESP"], "/api/v1/messages/threads", {
        "subject": "Passport AK0456721", "to": ["ITA"],
        "message": {"type": "request_for_information", "text": "Who issued it?",
                    "questions": ["Holder's address?", "Travel history?"],
                    "reply_by": "2026-12-15", "handling": "H1"},
    })  # fmt: skip
    first = thread["messages"][0]
    assert first["fields"]["questions"] == ["Holder's address?", "Travel history?"]
    answer = _ok(client, o["ITA"], f"/api/v1/messages/threads/{thread['id']}/messages", {
        "type": "reply", "in_reply_to": first["id"], "text": "Issued in Rome, 2021.",
    })  # fmt: skip
    foreign = client.post(
        f"/api/v1/messages/threads/{thread['id']}/messages",
        json={"type": "correction", "corrects": answer["id"], "text": "x"},
        headers=o["ESP"].headers,
    )
    assert foreign.status_code == 403  # one corrects its own messages only
    fixed = _ok(client, o["ITA"], f"/api/v1/messages/threads/{thread['id']}/messages", {
        "type": "correction", "corrects": answer["id"], "text": "Issued in Milan, 2021.",
    })  # fmt: skip
    assert fixed["corrects"] == answer["id"]
    read = _ok(client, o["ESP"], f"/api/v1/messages/threads/{thread['id']}", method="GET")
    by_id = {m["id"]: m for m in read["messages"]}
    assert by_id[answer["id"]]["text"] == "Issued in Rome, 2021."  # the original stays
    assert by_id[answer["id"]]["corrected_by"] == [fixed["id"]]
    assert {r["member"] for r in by_id[first["id"]]["read_by"]} == {"ESP"}
    # No edit path exists.
    assert client.put(f"/api/v1/messages/threads/{thread['id']}/messages",
                      json={}, headers=o["ESP"].headers).status_code == 405  # fmt: skip
    for bad in ({"type": "request_for_information", "text": "x"},
                {"type": "reply", "text": "x"},
                {"type": "spontaneous_information", "text": "x", "handling": "H3"}):  # fmt: skip
        response = client.post(f"/api/v1/messages/threads/{thread['id']}/messages", json=bad,
                               headers=o["ESP"].headers)  # fmt: skip
        assert response.status_code == 422, bad


def test_attachments_are_kept_by_content_hash_with_limits(
    client: TestClient, o: dict[str, Officer]
) -> None:
    pdf = b"%PDF-1.4 the same file twice"
    att = {"name": "photo.pdf", "media_type": "application/pdf",
           "content_base64": base64.b64encode(pdf).decode()}  # fmt: skip
    thread = _ok(client, o["ESP"], "/api/v1/messages/threads", {
        "subject": "Files", "to": ["ITA"],
        "message": {"type": "spontaneous_information", "text": "See attached.",
                    "attachments": [att]},
    })  # fmt: skip
    (sent,) = thread["messages"][0]["attachments"]
    again = _ok(
        client,
        o["ESP"],
        f"/api/v1/messages/threads/{thread['id']}/messages",
        {"type": "spontaneous_information", "text": "Once more.", "attachments": [att]},
    )
    assert again["attachments"][0]["sha256"] == sent["sha256"]
    got = client.get(f"/api/v1/messages/{again['id']}/attachments/{sent['sha256']}",
                     headers=o["ITA"].headers)  # fmt: skip
    assert got.status_code == 200 and got.content == pdf
    assert client.get(f"/api/v1/messages/{again['id']}/attachments/{sent['sha256']}",
                      headers=o["FRA"].headers).status_code == 404  # fmt: skip
    too_big = {**att, "content_base64": base64.b64encode(b"x" * (5 * 1024 * 1024 + 1)).decode()}
    refused = client.post(f"/api/v1/messages/threads/{thread['id']}/messages", json={
        "type": "spontaneous_information", "text": "big", "attachments": [too_big]},
        headers=o["ESP"].headers)  # fmt: skip
    assert refused.status_code == 422 and "5 MB" in refused.json()["detail"]
    exe = {**att, "media_type": "application/x-msdownload"}
    wrong = client.post(f"/api/v1/messages/threads/{thread['id']}/messages", json={
        "type": "spontaneous_information", "text": "exe", "attachments": [exe]},
        headers=o["ESP"].headers)  # fmt: skip
    assert wrong.status_code == 422


def test_join_requests_and_moderation(client: TestClient, o: dict[str, Officer]) -> None:
    network = _network(client, o)
    request = _ok(client, o["FRA"], f"/api/v1/networks/{network}/requests",
                  {"reason": "Boats land in Corsica too."})  # fmt: skip
    not_moderator = client.post(f"/api/v1/networks/requests/{request['id']}/decision",
                                json={"approve": True}, headers=o["ITA"].headers)  # fmt: skip
    assert not_moderator.status_code == 403
    decided = _ok(client, o["ESP"], f"/api/v1/networks/requests/{request['id']}/decision",
                  {"approve": True})  # fmt: skip
    assert decided["status"] == "approved"
    assert "FRA" in _ok(client, o["FRA"], f"/api/v1/networks/{network}", method="GET")["members"]
    removed = client.delete(f"/api/v1/networks/{network}/members/ITA", headers=o["LBY"].headers)
    assert removed.status_code == 403  # only a moderator removes another member
    unknown = client.post("/api/v1/networks", json={"name": "x", "members": ["XYZ"]},
                          headers=o["ESP"].headers)  # fmt: skip
    assert unknown.status_code == 422


def test_a_modus_operandi_report_becomes_a_purple_notice_request(
    client: TestClient, o: dict[str, Officer]
) -> None:
    report = _ok(client, o["ESP"], "/api/v1/intel/reports", {
        "kind": "modus_operandi", "crime_areas": ["trafficking_sexual_exploitation"],
        "indicators": ["recruitment_online_ads", "confiscated_documents"],
        "text": "Victims recruited through modelling ads; passports taken on arrival.",
        "language": "en",
    })  # fmt: skip
    notice = _ok(client, o["ESP"], f"/api/v1/intel/reports/{report['id']}/purple-notice")
    assert (notice["type"], notice["state"]) == ("purple", "draft")
    assert notice["fields"]["modus_operandi"].startswith("Victims recruited")
    route = _ok(client, o["ESP"], "/api/v1/intel/reports", ROUTE)
    assert client.post(f"/api/v1/intel/reports/{route['id']}/purple-notice",
                       headers=o["ESP"].headers).status_code == 409  # fmt: skip
    broken = {**ROUTE, "route": [{"from": "NGA", "to": "NER", "mode": "road"},
                                 {"from": "LBY", "to": "ITA", "mode": "sea"}]}  # fmt: skip
    assert client.post("/api/v1/intel/reports", json=broken, headers=o["ESP"].headers
                       ).status_code == 422  # fmt: skip
