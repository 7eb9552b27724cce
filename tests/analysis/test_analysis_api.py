"""Online ads and money transfers through the HTTP API: recorded, found by phone and account,
seen only as their owners allow, audited, loaded in bulk."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import Officer, make_user
from vigil.access.roles import Role
from vigil.storage.engine import Database
from vigil.storage.tables import audit_log

AD: dict[str, Any] = {
    "posted_at": "2026-06-29T23:51:00Z",
    "site": "jobs-board.example",
    "text": "Se buscan chicas para trabajar de model en London. Tel +44 7400 663616",
    "phones": ["+44 7400 663616"],
    "city": "London",
    "country": "GBR",
}
# Fan-in: three payers into one Albanian account, which passes the money on.
MULE = "AL4155159734O1R2UUTY9FEQ47C9"
PAYERS = ("GB93RVBC38870038610578", "GB75PEPM57340388400242", "GB69INBE92416654516906")


def _transfer(source: str, target: str, amount: str, at: str = "2026-11-01T10:00:00Z"
              ) -> dict[str, Any]:  # fmt: skip
    return {"at": at, "from_account": source, "to_account": target, "amount": amount,
            "currency": "EUR", "channel": "bank_transfer"}  # fmt: skip


def test_an_ad_is_found_by_its_phone_in_any_written_form(
    client: TestClient, fra: Officer, deu: Officer
) -> None:
    made = client.post("/api/v1/ads", json=AD, headers=fra.headers)
    assert made.status_code == 201, made.text
    ad = made.json()
    assert ad["phones"] == ["+447400663616"] and ad["envelope"]["owner"] == "FRA"
    # The same London number in an ad placed in Spain.
    other = {**AD, "text": "Camareras en Madrid", "phones": ["+44 (0)7400 663616"],
             "city": "Madrid", "country": "ESP"}  # fmt: skip
    assert client.post("/api/v1/ads", json=other, headers=deu.headers).status_code == 201
    for form, written_in in (("0044 7400 663616", None), ("07400663616", "gbr")):
        params = {"phone": form, **({"phone_country": written_in} if written_in else {})}
        found = client.get("/api/v1/ads", params=params, headers=deu.headers).json()
        assert len(found["items"]) == 2
    in_spain = client.get("/api/v1/ads", params={"phone": "+447400663616", "country": "esp"},
                          headers=deu.headers).json()  # fmt: skip
    assert [a["city"] for a in in_spain["items"]] == ["Madrid"]
    unknown = client.get("/api/v1/ads", params={"country": "ZZZ"}, headers=deu.headers)
    assert unknown.status_code == 422 and "country" in unknown.json()["detail"]
    assert client.get(f"/api/v1/ads/{ad['id']}", headers=deu.headers).json()["text"] == AD["text"]


def test_an_ad_for_the_owner_only_is_not_found_by_others(
    client: TestClient, fra: Officer, deu: Officer
) -> None:
    own = {**AD, "audience": {"kind": "only", "codes": ["FRA"]}}
    ad = client.post("/api/v1/ads", json=own, headers=fra.headers).json()
    assert client.get(f"/api/v1/ads/{ad['id']}", headers=deu.headers).status_code == 404
    found = client.get("/api/v1/ads", params={"phone": "+447400663616"}, headers=deu.headers)
    assert found.json()["items"] == []
    mine = client.get("/api/v1/ads", params={"phone": "+447400663616"}, headers=fra.headers)
    assert [a["id"] for a in mine.json()["items"]] == [ad["id"]]


def test_frontline_officers_and_partners_do_not_read_analysis_material(
    client: TestClient, db: Database, fra: Officer
) -> None:
    client.post("/api/v1/ads", json=AD, headers=fra.headers)
    for role in (Role.FRONTLINE, Role.PARTNER):
        officer = make_user(db, "DEU", role)
        assert client.get("/api/v1/ads", headers=officer.headers).status_code == 403
        refused = client.post("/api/v1/ads", json=AD, headers=officer.headers)
        assert refused.status_code == 403
    analyst = make_user(db, "DEU", Role.ANALYST)
    assert len(client.get("/api/v1/ads", headers=analyst.headers).json()["items"]) == 1


def test_bad_input_is_problem_json_naming_the_field(client: TestClient, fra: Officer) -> None:
    for path, body, field in [
        ("/api/v1/ads", {**AD, "phones": ["call me"]}, "phone"),
        ("/api/v1/ads", {**AD, "country": "XXX"}, "country"),
        ("/api/v1/ads", {**AD, "posted_at": "2099-01-01T00:00:00Z"}, "posted_at"),
        ("/api/v1/transfers", _transfer("GB94RVBC38870038610578", MULE, "10"), "IBAN"),
        ("/api/v1/transfers", _transfer(PAYERS[0], MULE, "10.001"), "decimal places"),
        ("/api/v1/transfers", _transfer(MULE, MULE, "10"), "same account"),
        ("/api/v1/transfers", {**_transfer(PAYERS[0], MULE, "1"), "currency": "EURO"}, "4217"),
    ]:
        response = client.post(path, json=body, headers=fra.headers)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert field in response.json()["detail"], response.json()
    bad_phone = client.get("/api/v1/ads", params={"phone": "call me"}, headers=fra.headers)
    assert bad_phone.status_code == 422 and "phone" in bad_phone.json()["detail"]
    bad_account = client.get("/api/v1/accounts/x/flows", headers=fra.headers)
    assert bad_account.status_code == 422


def test_the_same_reference_twice_is_a_conflict(client: TestClient, fra: Officer) -> None:
    ad = {**AD, "provenance": {"owner_ref": "FRA-AD-1"}}
    assert client.post("/api/v1/ads", json=ad, headers=fra.headers).status_code == 201
    again = client.post("/api/v1/ads", json=ad, headers=fra.headers)
    assert again.status_code == 409 and "FRA-AD-1" in again.json()["detail"]


def test_an_account_flows_show_fan_in_and_pass_through(
    client: TestClient, fra: Officer, deu: Officer
) -> None:
    for i, payer in enumerate(PAYERS):
        sent = client.post("/api/v1/transfers", json=_transfer(payer, MULE, f"{400 + i}.50"),
                           headers=fra.headers)  # fmt: skip
        assert sent.status_code == 201, sent.text
    onward = _transfer(MULE, "DE89370400440532013000", "1100", "2026-11-01T14:00:00Z")
    assert client.post("/api/v1/transfers", json=onward, headers=deu.headers).status_code == 201
    flows = client.get(f"/api/v1/accounts/{MULE}/flows", headers=fra.headers).json()
    assert (flows["incoming"], flows["outgoing"]) == (3, 1)
    assert flows["totals"] == [{"currency": "EUR", "incoming": "1204.50", "outgoing": "1100.00"}]
    assert flows["counterparties"][0]["received"] == 1  # the onward account
    assert {c["account"] for c in flows["counterparties"]} == {*PAYERS, "DE89370400440532013000"}
    spaced = "AL41 5515 9734 O1R2 UUTY 9FEQ 47C9"
    into = client.get("/api/v1/transfers", params={"account": spaced, "direction": "in"},
                      headers=fra.headers).json()  # fmt: skip
    assert len(into["items"]) == 3 and all(t["to_account"] == MULE for t in into["items"])
    first = client.get("/api/v1/transfers", params={"account": MULE, "limit": 2},
                       headers=fra.headers).json()  # fmt: skip
    rest = client.get("/api/v1/transfers", params={"account": MULE, "cursor":
                      first["next_cursor"]}, headers=fra.headers).json()  # fmt: skip
    assert len(first["items"]) + len(rest["items"]) == 4
    one = client.get(f"/api/v1/transfers/{into['items'][0]['id']}", headers=deu.headers)
    assert one.json()["amount"] in {"400.50", "401.50", "402.50"}


def test_searches_and_reads_are_audited_with_what_they_returned(
    client: TestClient, db: Database, fra: Officer, deu: Officer
) -> None:
    ad = client.post("/api/v1/ads", json=AD, headers=fra.headers).json()
    client.get("/api/v1/ads", params={"phone": "+447400663616"}, headers=deu.headers)
    client.get(f"/api/v1/ads/{ad['id']}", headers=deu.headers)
    client.get(f"/api/v1/accounts/{MULE}/flows", headers=deu.headers)
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log.c.action, audit_log.c.member)).all()
    assert {("ads.record", "FRA"), ("ads.search", "DEU"), ("ads.read", "DEU"),
            ("transfers.account", "DEU")} <= set(rows)  # fmt: skip


def test_bulk_import_skips_what_is_stored_and_lists_bad_lines(
    client: TestClient, fra: Officer
) -> None:
    lines = [
        {"ref": "T1", **_transfer(PAYERS[0], MULE, "10")},
        {"ref": "T2", **_transfer(PAYERS[1], MULE, "oops")},
        {"ref": "T3", "owner": "DEU", **_transfer(PAYERS[2], MULE, "12")},
        {"ref": "T4", **_transfer(PAYERS[2], MULE, "12")},
    ]
    body = "\n".join(json.dumps(line) for line in lines)
    headers = {**fra.headers, "Content-Type": "application/x-ndjson"}
    first = client.post("/api/v1/transfers/import", content=body, headers=headers).json()
    assert (first["added"], first["refused"]) == (2, 2)
    assert [e["line"] for e in first["errors"]] == [2, 3]
    assert "not your member" in first["errors"][1]["message"]
    again = client.post("/api/v1/transfers/import", content=body, headers=headers).json()
    assert (again["added"], again["already_present"]) == (0, 2)
    ads = client.post("/api/v1/ads/import", content=json.dumps({"ref": "A1", **AD}),
                      headers=headers).json()  # fmt: skip
    assert ads["added"] == 1
    wrong_type = client.post("/api/v1/ads/import", content="{}", headers=fra.headers)
    assert wrong_type.status_code == 422
