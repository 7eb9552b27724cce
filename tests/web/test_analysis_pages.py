"""Online ads and money transfers in the workspace: an ad found by its phone in any written
form (a national one with the country it is written in, wherever the ad is placed), recorded
through the form (refused input shown as typed), seen only as its owner allows; a transfer
recorded through its form, and an account's flows with its totals and counterparties."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_user
from tests.web.test_biometrics_pages import _sign_in as sign_in
from vigil.access.roles import Role
from vigil.analysis import transfers
from vigil.analysis.models import Channel, TransferIn
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web import analysis

AD_FORM = {
    "posted_at": "2026-06-29T23:51",
    "site": "jobs-board.example",
    "text": "Se buscan chicas para trabajar de modelo en Londres. Tel +44 7400 663616",
    "city": "London",
    "country": "GBR",
    "phones": "+44 7400 663616\n0044 7400 111222\n",
    "emails": "Recruit.London@example.com",
    "handling": "H1",
}
TRANSFER_FORM = {
    "at": "2026-11-01T10:00",
    "from_account": "GB93 RVBC 3887 0038 6105 78",
    "to_account": "AL41 5515 9734 O1R2 UUTY 9FEQ 47C9",
    "amount": "400.50",
    "currency": "eur",
    "channel": "money_remitter",
    "reference": "alquiler",
    "handling": "H1",
}
# Fan-in: three payers into one Albanian account, which passes the money on.
MULE = "AL4155159734O1R2UUTY9FEQ47C9"
PAYERS = ("GB93RVBC38870038610578", "GB75PEPM57340388400242", "GB69INBE92416654516906")
ONWARD = "DE89370400440532013000"


def _record_ad(client: TestClient, csrf: str, **fields: str) -> str:
    answer = client.post("/ads/new", data={**AD_FORM, "csrf_token": csrf, **fields},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"]).rsplit("/", 1)[1]


def _record_transfer(client: TestClient, csrf: str, **fields: str) -> str:
    answer = client.post("/transfers/new", data={**TRANSFER_FORM, "csrf_token": csrf, **fields},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"]).rsplit("/", 1)[1]


def _ads(html: str) -> list[str]:
    return re.findall(r'<tr data-ad="([\w-]+)">', html)


def test_an_ad_is_found_by_its_phone_in_national_form(client: TestClient, db: Database) -> None:
    ad = _record_ad(client, sign_in(client, db, "FRA"))
    analyst = TestClient(client.app)
    sign_in(analyst, db, "DEU", Role.ANALYST)
    found = analyst.get("/ads", params={"phone": "07400 663616", "phone_country": "gbr"})
    assert found.status_code == 200 and _ads(found.text) == [ad]
    assert 'value="07400 663616"' in found.text
    assert '<input name="phone_country" value="GBR"' in found.text
    # Each phone links to the search for it, the + kept (not read back as a space).
    assert 'href="/ads?phone=%2B447400663616"' in found.text
    assert _ads(analyst.get("/ads?phone=%2B447400111222").text) == [ad]

    page = analyst.get(f"/ads/{ad}").text
    assert 'id="ad-handling" data-handling="H1"' in page
    assert "Not for use in court without the owner's consent." in page
    assert 'data-field="owner">FRA<' in page and 'data-email="recruit.london@example.com"' in page
    assert re.findall(r'data-phone="([^"]+)"', page) == ["+447400663616", "+447400111222"]


def test_a_national_phone_finds_the_ads_placed_in_every_country(
    client: TestClient, db: Database
) -> None:
    csrf = sign_in(client, db, "FRA")
    london = _record_ad(client, csrf)
    madrid = _record_ad(client, csrf, city="Madrid", country="ESP", phones="+44 7400 663616")
    written_in_gbr = {"phone": "07400663616", "phone_country": "GBR"}
    assert _ads(client.get("/ads", params=written_in_gbr).text) == [madrid, london]
    placed = client.get("/ads", params={**written_in_gbr, "country": "esp"})
    assert _ads(placed.text) == [madrid]
    assert '<input name="country" value="ESP"' in placed.text
    # Where the ad is placed says nothing of how its phone is written.
    unread = client.get("/ads", params={"phone": "07400663616", "country": "GBR"})
    assert unread.status_code == 422 and "phone: &#39;07400663616&#39;" in unread.text


def test_another_members_owner_only_ad_is_not_shown(client: TestClient, db: Database) -> None:
    ad = _record_ad(client, sign_in(client, db, "FRA"), audience="only")
    assert _ads(client.get("/ads?phone=%2B447400663616").text) == [ad]
    other = TestClient(client.app)
    sign_in(other, db, "DEU")
    searched = other.get("/ads?phone=%2B447400663616").text
    assert _ads(searched) == [] and 'id="ads-empty"' in searched
    assert other.get(f"/ads/{ad}").status_code == 404


def test_frontline_officers_are_refused_and_analysts_do_not_record(
    client: TestClient, db: Database
) -> None:
    sign_in(client, db, "FRA", Role.FRONTLINE)
    assert 'data-nav="analysis"' not in client.get("/inbox").text
    for path in ("/ads", "/ads/new", "/transfers", "/transfers/new", f"/accounts/{MULE}"):
        refused = client.get(path)
        assert refused.status_code == 403 and "Not allowed" in refused.text, path
    csrf = sign_in(client, db, "FRA", Role.FRONTLINE)
    posted = client.post("/transfers/new", data={**TRANSFER_FORM, "csrf_token": csrf})
    assert posted.status_code == 403 and 'id="transfer-errors"' in posted.text

    sign_in(client, db, "FRA", Role.ANALYST)
    listed = client.get("/ads").text
    assert 'data-nav="analysis"' in listed
    assert 'id="ads-new-link"' not in listed and 'id="record-ad-link"' not in listed
    assert client.get("/ads/new").status_code == 403
    transfers_listed = client.get("/transfers").text
    assert 'id="transfers-new-link"' not in transfers_listed
    assert 'id="record-transfer-link"' not in transfers_listed
    assert client.get("/transfers/new").status_code == 403
    sign_in(client, db, "FRA")
    assert client.get("/transfers").text.count('href="/transfers/new"') == 2


def test_an_unreadable_phone_shows_the_reason_and_keeps_the_form(
    client: TestClient, db: Database
) -> None:
    sign_in(client, db, "FRA")
    refused = client.get("/ads", params={"phone": "call me", "site": "jobs-board.example"})
    assert refused.status_code == 422 and 'id="filter-error"' in refused.text
    assert "phone: &#39;call me&#39; is not a phone number" in refused.text
    assert 'value="call me"' in refused.text and 'value="jobs-board.example"' in refused.text
    assert 'id="ads"' not in refused.text
    bad_day = client.get("/ads", params={"until": "2026-13-01"})
    assert bad_day.status_code == 422 and "&#39;2026-13-01&#39; is not a date" in bad_day.text
    assert client.get("/ads", params={"until": "9999-12-31"}).status_code == 422
    unknown = client.get("/ads", params={"phone": "07400663616", "phone_country": "xyz"})
    assert unknown.status_code == 422
    assert "phone_country: &#39;XYZ&#39; is not an ISO 3166 alpha-3 country code" in unknown.text
    invalid = re.findall(r'<input[^>]* name="(\w+)"[^>]*aria-invalid="true">', unknown.text)
    assert invalid == ["phone_country"]
    assert client.get("/ads", params={"country": "ZZZ"}).status_code == 422


def test_an_ad_is_recorded_through_the_form_and_a_refused_one_comes_back_as_typed(
    client: TestClient, db: Database
) -> None:
    csrf = sign_in(client, db, "FRA")
    form = client.get("/ads/new").text
    assert 'id="ad-form"' in form and 'id="ads-new-link"' in form
    bad = {**AD_FORM, "csrf_token": csrf, "phones": "call me", "emails": "not an address"}
    refused = client.post("/ads/new", data=bad)
    assert refused.status_code == 422 and 'id="ad-errors"' in refused.text
    assert 'data-field="emails"' in refused.text and "is not an e-mail address" in refused.text
    assert ">call me</textarea>" in refused.text and 'value="jobs-board.example"' in refused.text
    assert 'value="H1" selected' in refused.text
    h3 = client.post("/ads/new", data={**AD_FORM, "csrf_token": csrf, "handling": "H3"})
    assert h3.status_code == 422 and "handling H3 needs handling_text" in h3.text

    ad = _record_ad(client, csrf, owner_ref="FRA-AD-7", url="https://jobs-board.example/a/7")
    page = client.get(f"/ads/{ad}").text
    assert "Se buscan chicas" in page and "https://jobs-board.example/a/7" in page
    assert 'data-field="posted_at">2026-06-29 23:51 UTC<' in page
    twice = client.post("/ads/new", data={**AD_FORM, "csrf_token": csrf, "owner_ref": "FRA-AD-7"})
    assert twice.status_code == 409 and "FRA-AD-7" in twice.text


def test_the_more_link_keeps_the_search(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = sign_in(client, db, "FRA")
    first, second = _record_ad(client, csrf), _record_ad(client, csrf)
    monkeypatch.setattr(analysis, "PAGE_SIZE", 1)
    page = client.get("/ads?phone=07400663616&phone_country=GBR").text
    assert _ads(page) == [second]
    more = re.search(r'<a href="([^"]+)" id="ads-more">', page)
    assert more is not None and "phone=07400663616&amp;phone_country=GBR" in more.group(1)
    assert _ads(client.get(more.group(1).replace("&amp;", "&")).text) == [first]


def test_a_transfer_is_recorded_through_the_form(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "FRA")
    form = client.get("/transfers/new").text
    assert 'id="transfer-form"' in form and '<option value="bank_transfer" selected>' in form
    assert re.findall(r'<option value="(\w+)"', form)[: len(Channel)] == [c.value for c in Channel]
    made = _record_transfer(client, csrf, owner_ref="FRA-FIU-88", audience="only")
    page = client.get(f"/transfers/{made}").text
    assert 'id="transfer-amount" data-amount="400.50" data-currency="EUR"' in page
    assert 'data-field="at">2026-11-01 10:00 UTC<' in page
    assert f'href="/accounts/{PAYERS[0]}"' in page and f'href="/accounts/{MULE}"' in page
    assert 'data-channel="money_remitter"' in page and ">alquiler<" in page
    assert 'id="transfer-handling" data-handling="H1"' in page and "FRA-FIU-88" in page
    other = TestClient(client.app)
    sign_in(other, db, "DEU")
    assert other.get(f"/transfers/{made}").status_code == 404

    twice = client.post("/transfers/new", data={**TRANSFER_FORM, "csrf_token": csrf,
                                                "owner_ref": "FRA-FIU-88"})  # fmt: skip
    assert twice.status_code == 409 and 'id="transfer-errors"' in twice.text
    assert "FRA-FIU-88" in twice.text


def test_a_refused_transfer_comes_back_with_its_reasons(client: TestClient, db: Database) -> None:
    csrf = sign_in(client, db, "FRA")
    bad_iban = "GB94RVBC38870038610578"
    bad = {**TRANSFER_FORM, "csrf_token": csrf, "from_account": bad_iban, "currency": "EUX"}
    refused = client.post("/transfers/new", data=bad)
    assert refused.status_code == 422 and 'id="transfer-errors"' in refused.text
    assert 'data-field="from_account">From account: <span dir="ltr">' in refused.text
    assert f"&#39;{bad_iban}&#39; is not a valid IBAN" in refused.text
    assert 'data-field="currency"' in refused.text and "is not an ISO 4217 currency" in refused.text
    assert f'value="{bad_iban}"' in refused.text and 'value="alquiler"' in refused.text
    assert '<option value="money_remitter" selected>' in refused.text
    assert 'value="H1" selected' in refused.text
    cents = client.post("/transfers/new", data={**TRANSFER_FORM, "csrf_token": csrf,
                                                "amount": "400.505"})  # fmt: skip
    assert cents.status_code == 422 and "EUR has 2 decimal places; 400.505 has more" in cents.text
    stale = client.post("/transfers/new", data={**TRANSFER_FORM, "csrf_token": "stale"})
    assert stale.status_code == 403
    assert "<tr data-transfer=" not in client.get("/transfers").text  # none was recorded


def _transfer(db: Database, member: str, source: str, target: str, amount: str, hour: int
              ) -> None:  # fmt: skip
    officer = make_user(db, member)
    transfer_in = TransferIn.model_validate({
        "at": f"2026-11-01T{hour:02}:00:00Z", "from_account": source, "to_account": target,
        "amount": amount, "currency": "EUR", "channel": Channel.BANK_TRANSFER,
    })  # fmt: skip
    with UnitOfWork(db, write=True) as uow:
        transfers.record(uow, actor=officer.actor, transfer_in=transfer_in)


def _fan_in(db: Database) -> None:
    for i, payer in enumerate(PAYERS):
        _transfer(db, "FRA", payer, MULE, f"{400 + i}.50", 10 + i)
    _transfer(db, "DEU", MULE, ONWARD, "1100", 14)


def test_the_account_page_shows_totals_and_counterparties(client: TestClient, db: Database) -> None:
    _fan_in(db)
    sign_in(client, db, "ITA", Role.ANALYST)
    page = client.get("/accounts/AL41 5515 9734 O1R2 UUTY 9FEQ 47C9").text
    assert f'data-account="{MULE}"' in page
    assert 'data-incoming="3" data-outgoing="1"' in page
    assert 'id="account-first"><span dir="ltr">2026-11-01 10:00<' in page
    assert 'id="account-last"><span dir="ltr">2026-11-01 14:00<' in page
    assert '<tr data-currency="EUR" data-incoming="1204.50" data-outgoing="1100.00">' in page
    parties = dict(re.findall(r'data-counterparty="(\w+)" data-sent="(\d+)"', page))
    assert parties == {**dict.fromkeys(PAYERS, "1"), ONWARD: "0"}
    assert f'href="/accounts/{ONWARD}"' in page and f'href="/transfers?account={MULE}"' in page
    assert len(re.findall(r'<tr data-transfer="', page)) == 4

    into = client.get("/transfers", params={"account": MULE, "direction": "in"}).text
    assert len(re.findall(r'<tr data-transfer="', into)) == 3
    assert '<option value="in" selected>' in into
    shown = re.findall(r'<tr data-transfer="([\w-]+)"', into)[0]
    one = client.get(f"/transfers/{shown}").text
    assert 'id="transfer-handling" data-handling="H0"' in one and "Bank transfer" in one


def test_an_unreadable_account_is_refused_with_its_reason(client: TestClient, db: Database) -> None:
    sign_in(client, db, "FRA")
    bad_iban = "GB94RVBC38870038610578"
    refused = client.get("/transfers", params={"account": bad_iban, "direction": "out"})
    assert refused.status_code == 422 and "is not a valid IBAN" in refused.text
    assert f'value="{bad_iban}"' in refused.text and '<option value="out" selected>' in refused.text
    assert client.get("/transfers?direction=sideways").status_code == 422
    assert client.get("/accounts/x").status_code == 422


def test_an_empty_account_says_so(client: TestClient, db: Database) -> None:
    sign_in(client, db, "FRA")
    page = client.get(f"/accounts/{ONWARD}")
    assert page.status_code == 200 and 'id="account-empty"' in page.text
    assert 'data-incoming="0" data-outgoing="0"' in page.text


def test_arabic_pages_are_right_to_left_with_numbers_left_to_right(
    client: TestClient, db: Database
) -> None:
    _fan_in(db)
    sign_in(client, db, "FRA")
    client.cookies.set("vigil_lang", "ar")
    page = client.get(f"/accounts/{MULE}").text
    assert '<html lang="ar" dir="rtl"' in page and "الأطراف المقابلة" in page
    assert f'<span dir="ltr" id="account" data-account="{MULE}">' in page
