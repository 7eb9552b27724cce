from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.conftest import Officer, make_user
from vigil.access.roles import Role
from vigil.documents.mrz import make_mrz
from vigil.storage.engine import Database

REPORT = {"number": "C01X00T47", "issuing_state": "DEU", "type": "passport", "status": "stolen"}


def _report(client: TestClient, owner: Officer, **fields: object) -> str:
    response = client.post("/api/v1/documents", json={**REPORT, **fields}, headers=owner.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_report_answers_201_with_id_and_the_report_reads_back(
    client: TestClient, deu: Officer
) -> None:
    report_id = _report(client, deu, handling="H2", holder={"surname": "MUSTERMANN"})
    body = client.get(f"/api/v1/documents/{report_id}", headers=deu.headers).json()
    assert body["number"] == "C01X00T47"
    assert body["envelope"]["handling"] == "H2"
    assert body["holder"]["surname"] == "MUSTERMANN"


def test_check_by_number_and_by_mrz(client: TestClient, deu: Officer, db: Database) -> None:
    _report(client, deu)
    officer = make_user(db, "FRA", Role.FRONTLINE)
    by_number = client.post(
        "/api/v1/documents/check",
        json={"number": "C01X00T47", "issuing_state": "DEU"},
        headers=officer.headers,
    ).json()
    assert by_number["result"] == "hit"
    assert by_number["matches"][0]["owner"] == "DEU"
    assert by_number["matches"][0]["action"] == "seize"
    mrz = "\n".join(
        make_mrz(format="TD3", document_code="P", issuing_state="D", document_number="C01X00T47",
                 surname="MUSTERMANN", given_names="ERIKA", nationality="D",
                 birth_date=date(1983, 8, 12), sex="F", expiry_date=date(2031, 10, 31))
    )  # fmt: skip
    by_mrz = client.post("/api/v1/documents/check", json={"mrz": mrz}, headers=officer.headers)
    assert by_mrz.json()["result"] == "hit"


def test_a_partner_gets_only_the_result(client: TestClient, deu: Officer, db: Database) -> None:
    _report(client, deu)
    airline = make_user(db, "QAT", Role.PARTNER)
    body = client.post(
        "/api/v1/documents/check",
        json={"number": "C01X00T47", "issuing_state": "DEU"},
        headers=airline.headers,
    ).json()
    assert body == {"result": "hit"}


def test_reporting_another_states_document_is_forbidden_as_problem_json(
    client: TestClient, fra: Officer
) -> None:
    response = client.post("/api/v1/documents", json=REPORT, headers=fra.headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def test_bad_input_names_the_field(client: TestClient, deu: Officer) -> None:
    response = client.post(
        "/api/v1/documents", json={**REPORT, "status": "misplaced"}, headers=deu.headers
    )
    assert response.status_code == 422
    assert "status" in response.text
    check = client.post("/api/v1/documents/check", json={"number": "X"}, headers=deu.headers)
    assert check.status_code == 422


def test_reporting_twice_is_a_conflict_and_idempotency_key_replays(
    client: TestClient, deu: Officer
) -> None:
    headers = {**deu.headers, "Idempotency-Key": "report-1"}
    first = client.post("/api/v1/documents", json=REPORT, headers=headers)
    replay = client.post("/api/v1/documents", json=REPORT, headers=headers)
    assert first.json()["id"] == replay.json()["id"]
    again = client.post("/api/v1/documents", json=REPORT, headers=deu.headers)
    assert again.status_code == 409


def test_change_recover_and_delete(client: TestClient, deu: Officer, fra: Officer) -> None:
    report_id = _report(client, deu)
    url = f"/api/v1/documents/{report_id}"
    assert client.patch(url, json={"status": "lost"}, headers=fra.headers).status_code == 403
    assert (
        client.patch(url, json={"status": "lost"}, headers=deu.headers).json()["status"] == "lost"
    )
    recovered = client.post(f"{url}/recover", headers=deu.headers)
    assert recovered.json()["recovered_at"] is not None
    check = {"number": "C01X00T47", "issuing_state": "DEU"}
    assert (
        client.post("/api/v1/documents/check", json=check, headers=fra.headers).json()["result"]
        == "none"
    )
    assert client.delete(url, headers=deu.headers).status_code == 204
    assert client.get(url, headers=deu.headers).status_code == 404


def test_batch_check_answers_in_order(client: TestClient, deu: Officer, fra: Officer) -> None:
    _report(client, deu)
    documents = [
        {"number": "X1", "issuing_state": "FRA"},
        {"number": "C01X00T47", "issuing_state": "DEU"},
    ]
    body = client.post(
        "/api/v1/documents/check/batch", json={"documents": documents}, headers=fra.headers
    ).json()
    assert [r["result"] for r in body["results"]] == ["none", "hit"]
    assert (body["hits"], body["none"]) == (1, 1)


def test_list_filters_by_state(client: TestClient, deu: Officer, fra: Officer) -> None:
    _report(client, deu)
    _report(client, fra, issuing_state="FRA", number="11AA22222")
    items = client.get("/api/v1/documents?issuing_state=FRA", headers=deu.headers).json()["items"]
    assert [i["number"] for i in items] == ["11AA22222"]


def test_import_json_lines_and_csv(client: TestClient, deu: Officer) -> None:
    lines = '{"number": "A1", "issuing_state": "DEU", "type": "passport", "status": "lost"}\n{bad\n'
    body = client.post(
        "/api/v1/documents/import",
        content=lines,
        headers={**deu.headers, "Content-Type": "application/x-ndjson"},
    ).json()
    assert (body["added"], body["refused"], body["errors"][0]["line"]) == (1, 1, 2)
    csv = "number,issuing_state,type,status\nA1,DEU,passport,lost\nA2,DEU,visa,revoked\n"
    again = client.post(
        "/api/v1/documents/import", content=csv, headers={**deu.headers, "Content-Type": "text/csv"}
    ).json()
    assert (again["added"], again["already_present"]) == (1, 1)
    wrong = client.post("/api/v1/documents/import", content="x", headers=deu.headers)
    assert wrong.status_code == 422
