from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Officer, make_user
from tests.web.test_persons_pages import _person, _sign_in
from vigil.access.envelope import Audience
from vigil.access.roles import Role
from vigil.notices import review as reviewing
from vigil.notices import service
from vigil.notices.models import Decision, Notice, NoticeFields, NoticeIn
from vigil.persons.models import Person
from vigil.storage.engine import Database
from vigil.storage.uow import UnitOfWork
from vigil.web import notices as notices_pages
from vigil.web.notice_forms import WIDGETS

RED = {
    "type": "red",
    "charges": ["Trafficking in persons for sexual exploitation"],
    "warrant_reference": "FHC/L/123/2026",
    "law": "Trafficking in Persons Act 2015, s. 16",
    "max_penalty_years": 15,
}


def _wanted(db: Database, owner: Officer, name: str = "Chukwuemeka Okonkwo") -> Person:
    return _person(
        db, owner, name, birth_date="1979-06-14", sex="M", nationalities=["NGA"],
        audience=Audience.only(owner.actor.member),
    )  # fmt: skip


def _draft(db: Database, owner: Officer, person: Person | None, **fields: Any) -> Notice:
    body = {**RED, "person_id": person.id if person else None, **fields}
    with UnitOfWork(db, write=True) as uow:
        return service.create(uow, actor=owner.actor, notice_in=NoticeIn.model_validate(body))


def _requested(db: Database, owner: Officer, person: Person, **fields: Any) -> Notice:
    made = _draft(db, owner, person, **fields)
    with UnitOfWork(db, write=True) as uow:
        return service.request(uow, actor=owner.actor, notice_id=made.id)


def _published(db: Database, owner: Officer, person: Person, **fields: Any) -> Notice:
    made = _requested(db, owner, person, **fields)
    reviewer = make_user(db, "GS", Role.REVIEWER)
    with UnitOfWork(db, write=True) as uow:
        return reviewing.review(
            uow, actor=reviewer.actor, notice_id=made.id, decision=Decision.PUBLISH,
            reasons="Compliant.",
        )  # fmt: skip


def _browser(client: TestClient, db: Database, member: str, role: Role = Role.NCB) -> tuple[
    TestClient, str
]:  # fmt: skip
    """Another officer signed in with cookies of its own; its CSRF token."""
    other = TestClient(client.app)
    return other, _sign_in(other, db, member, role)


def _red_form(csrf: str, person_id: str, **fields: str) -> dict[str, str]:
    return {
        "csrf_token": csrf, "type": "red", "person_id": person_id,
        "charges": "Trafficking in persons\r\nMoney laundering", "warrant_reference": "W-1",
        "law": "TIP Act, s. 16", "max_penalty_years": "15", "audience": "all", "handling": "H0",
        **fields,
    }  # fmt: skip


def _shown_fields(html: str) -> set[str]:
    form = html[html.index('id="notice-fields"') :]
    return set(re.findall(r'name="(\w+)"', form[: form.index("</fieldset>\n  <fieldset>")]))


def test_ncb_requests_a_red_notice_through_its_form(client: TestClient, db: Database) -> None:
    csrf = _sign_in(client, db, "NGA")
    person = _wanted(db, make_user(db, "NGA"))
    chooser = client.get(f"/notices/new?person_id={person.id}").text
    assert f'href="/notices/new?type=red&amp;person_id={person.id}" data-type="red"' in chooser
    assert 'data-type="un_special"' in chooser and 'data-type="wanted"' not in chooser

    form = client.get(f"/notices/new?type=red&person_id={person.id}").text
    assert f'name="person_id" value="{person.id}"' in form
    assert re.search(r'name="warrant_reference" value=""[^>]* required maxlength="200"', form)
    assert re.search(r'name="max_penalty_years" value=""[^>]* min="0" max="200"', form)
    assert 'data-any-of="max_penalty_years_or_sentence_remaining_months"' in form
    assert 'name="public_extract"' in form and "data-validate" in form

    filed = client.post("/notices/new", data=_red_form(csrf, person.id), follow_redirects=False)
    assert filed.status_code == 303
    page = client.get(filed.headers["location"]).text
    assert 'id="notice-state" data-state="draft"' in page
    assert "<li><bdi>Money laundering</bdi></li>" in page
    assert 'id="notice-requested-audience">Every member' in page
    notice_id = filed.headers["location"].rsplit("/", 1)[1]
    sent = client.post(f"/notices/{notice_id}/request", data={"csrf_token": csrf},
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    page = client.get(f"/notices/{notice_id}").text
    assert 'data-state="requested"' in page and 'data-from="draft" data-to="requested"' in page
    assert 'id="notice-withdraw-form"' in page and 'id="notice-request-form"' not in page


@pytest.mark.parametrize(
    ("type_", "shown", "required"),
    [
        ("yellow", {"circumstances", "minor", "missing_since", "last_seen_place"}, "circumstances"),
        ("black", {"circumstances", "found_date", "found_place"}, "found_place"),
        ("purple", {"modus_operandi", "objects", "concealment"}, "modus_operandi"),
        ("un_special", {"un_committee", "un_reference", "sanctions"}, "un_reference"),
    ],
)
def test_each_type_shows_only_its_own_fields(
    client: TestClient, db: Database, type_: str, shown: set[str], required: str
) -> None:
    _sign_in(client, db, "NGA")
    form = client.get(f"/notices/new?type={type_}").text
    assert _shown_fields(form) == shown | {"summary", "refugee_status"}
    assert re.search(rf'name="{required}"[^>]*required', form)
    assert ('name="public_extract"' in form) == (type_ == "yellow")
    person_required = type_ == "yellow"
    assert bool(re.search(r'name="person_id"[^>]*\srequired\s', form)) == person_required


def test_every_field_of_a_notice_has_an_input() -> None:
    assert set(WIDGETS) == set(NoticeFields.model_fields)


def test_a_refused_notice_comes_back_as_typed_with_each_reason_beside_its_input(
    client: TestClient, db: Database
) -> None:
    csrf = _sign_in(client, db, "NGA")
    person = _wanted(db, make_user(db, "NGA"))
    form = _red_form(csrf, person.id, warrant_reference="", max_penalty_years="",
                     warrant_date="2026-02-31")  # fmt: skip
    answer = client.post("/notices/new", data=form)
    assert answer.status_code == 422
    html = answer.text
    assert 'id="notice-errors"' in html
    assert re.search(r'id="error-warrant_reference" data-error-for="warrant_reference" >'
                     r"Required for this type\.</small>", html)  # fmt: skip
    assert 'id="error-max_penalty_years_or_sentence_remaining_months" data-error-for=' in html
    assert "Give at least one of these." in html
    assert re.search(r'data-error-for="warrant_date" ><span dir="ltr">', html)
    assert "Trafficking in persons\r\nMoney laundering</textarea>" in html
    assert 'value="2026-02-31"' in html and "TIP Act, s. 16</textarea>" in html

    too_long = client.post("/notices/new", data=_red_form(csrf, person.id, max_penalty_years="250"))
    assert too_long.status_code == 422 and 'value="250"' in too_long.text
    assert re.search(r'data-error-for="max_penalty_years" ><span dir="ltr">', too_long.text)
    # A person record of another member is refused beside the person input.
    theirs = _wanted(db, make_user(db, "FRA"), "Jean Valjean")
    answer = client.post("/notices/new", data=_red_form(csrf, theirs.id))
    assert answer.status_code == 422 and 'id="error-person_id"' in answer.text
    assert re.search(r'data-error-for="person_id" ><span dir="ltr">No person', answer.text)
    with UnitOfWork(db, write=False) as uow:
        listed = service.list_notices(uow, actor=make_user(db, "NGA").actor, page=_first())
    assert listed.items == []


def _first() -> Any:
    from vigil.core.pagination import PageRequest

    return PageRequest()


def test_another_member_and_the_reviewers_get_404_for_a_draft(
    client: TestClient, db: Database
) -> None:
    draft = _draft(db, make_user(db, "NGA"), _wanted(db, make_user(db, "NGA")))
    _sign_in(client, db, "FRA")
    assert client.get(f"/notices/{draft.id}").status_code == 404
    assert client.get(f"/notices/{draft.id}/edit").status_code == 404
    assert draft.id not in client.get("/notices").text
    reviewer, _ = _browser(client, db, "GS", Role.REVIEWER)
    assert reviewer.get(f"/notices/{draft.id}").status_code == 404
    assert draft.id not in reviewer.get("/notices/review").text


def test_a_frontline_officer_reads_notices_but_cannot_request_one(
    client: TestClient, db: Database
) -> None:
    nga = make_user(db, "NGA")
    published = _published(db, nga, _wanted(db, nga))
    csrf = _sign_in(client, db, "FRA", Role.FRONTLINE)
    listed = client.get("/notices").text
    assert published.id in listed and 'id="notices-new-link"' not in listed
    assert 'href="/notices" aria-current="page" data-nav="notices"' in listed
    assert client.get("/notices/new").status_code == 403
    assert client.get("/diffusions/new?type=wanted").status_code == 403
    refused = client.post("/notices/new", data=_red_form(csrf, "x" * 36))
    assert refused.status_code == 403 and "notices.request" in refused.text
    page = client.get(f"/notices/{published.id}").text
    assert 'id="owner-actions"' not in page and 'id="reviewer-actions"' not in page


@pytest.mark.parametrize(
    ("role", "link"),
    [(Role.NCB, "/notices"), (Role.ANALYST, "/notices"), (Role.REVIEWER, "/notices/review"),
     (Role.PARTNER, None), (Role.ADMIN, None)],
)  # fmt: skip
def test_the_notices_entry_follows_the_permission_table(
    client: TestClient, db: Database, role: Role, link: str | None
) -> None:
    _sign_in(client, db, "GS" if role in (Role.REVIEWER, Role.ADMIN) else "FRA", role)
    inbox = client.get("/inbox").text
    if link is None:
        assert 'data-nav="notices"' not in inbox
        assert client.get("/notices").status_code == 403
    else:
        assert f'<a href="{link}"  data-nav="notices">' in inbox


def test_the_review_queue_lists_what_awaits_review_newest_first(
    client: TestClient, db: Database
) -> None:
    nga = make_user(db, "NGA")
    first = _requested(db, nga, _wanted(db, nga))
    second = _requested(db, nga, _wanted(db, nga, "Ngozi Adichie"))
    draft = _draft(db, nga, _wanted(db, nga, "Emeka Obi"))
    published = _published(db, nga, _wanted(db, nga, "Ifeoma Eze"))
    _sign_in(client, db, "GS", Role.REVIEWER)
    queue = client.get("/notices/review").text
    assert queue.index(second.id) < queue.index(first.id)
    assert draft.id not in queue and published.id not in queue
    everything = client.get("/notices").text
    assert published.id in everything and draft.id not in everything
    ncb, _ = _browser(client, db, "NGA")
    assert ncb.get("/notices/review").status_code == 403


def test_reviewer_sees_the_checklist_and_publishes(client: TestClient, db: Database) -> None:
    nga = make_user(db, "NGA")
    flagged = _requested(db, nga, _wanted(db, nga), charges=["Insulting the head of state"])
    csrf = _sign_in(client, db, "GS", Role.REVIEWER)
    page = client.get(f"/notices/{flagged.id}").text
    assert 'id="checklist" data-worst="flag"' in page
    assert re.search(r'class="vigil-check vigil-check-flag" data-check="article3.political" '
                     r'data-status="flag"', page)  # fmt: skip
    assert 'class="vigil-status vigil-status-flag"><span aria-hidden="true">⚑</span> Flag' in page
    assert 'data-check="threshold" data-status="pass"' in page
    assert 'id="notice-take-up-form"' in page
    took = client.post(f"/notices/{flagged.id}/take-up", data={"csrf_token": csrf},
                       follow_redirects=False)  # fmt: skip
    assert took.status_code == 303
    page = client.get(f"/notices/{flagged.id}").text
    assert 'data-state="under_review"' in page and 'id="notice-take-up-form"' not in page
    decided = client.post(
        f"/notices/{flagged.id}/review",
        data={"csrf_token": csrf, "decision": "publish", "reasons": "Ordinary-law offence too."},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    page = client.get(f"/notices/{flagged.id}").text
    assert 'data-state="published"' in page
    assert "<td><bdi>Ordinary-law offence too.</bdi></td>" in page


def test_the_checklist_lists_like_named_persons_recorded_by_others(
    client: TestClient, db: Database
) -> None:
    nga = make_user(db, "NGA")
    theirs = _person(db, make_user(db, "DEU"), "Chukwuemeka Okonkwo", birth_date="1979-06-14")
    made = _requested(db, nga, _wanted(db, nga))
    _sign_in(client, db, "GS", Role.REVIEWER)
    page = client.get(f"/notices/{made.id}").text
    assert 'data-check="duplicates.persons" data-status="flag"' in page
    match = f'<li data-match="{theirs.id}"><bdi>Chukwuemeka Okonkwo</bdi> · <span dir="ltr">DEU'
    assert match in page


def test_a_failing_check_refuses_publication_beside_the_decision(
    client: TestClient, db: Database
) -> None:
    nga = make_user(db, "NGA")
    below = _requested(db, nga, _wanted(db, nga), max_penalty_years=1)
    csrf = _sign_in(client, db, "GS", Role.REVIEWER)
    assert 'data-check="threshold" data-status="fail"' in client.get(f"/notices/{below.id}").text
    decision = {"csrf_token": csrf, "decision": "publish", "reasons": "ok"}
    refused = client.post(f"/notices/{below.id}/review", data=decision)
    assert refused.status_code == 409
    assert re.search(r'id="error-review" data-error-for="review" ><span dir="ltr">Not publishable: '
                     r"threshold", refused.text)  # fmt: skip
    decision = {"csrf_token": csrf, "decision": "return", "reasons": " "}
    no_reasons = client.post(f"/notices/{below.id}/review", data=decision)
    assert no_reasons.status_code == 422 and 'id="action-errors"' in no_reasons.text
    returned = client.post(
        f"/notices/{below.id}/review",
        data={"csrf_token": csrf, "decision": "return", "reasons": "Penalty below two years."},
        follow_redirects=False,
    )
    assert returned.status_code == 303
    owner, _ = _browser(client, db, "NGA")
    page = owner.get(f"/notices/{below.id}").text
    assert 'data-state="returned"' in page and "Penalty below two years." in page
    assert 'id="notice-edit-link"' in page and 'id="notice-request-form"' in page


def test_owner_withdraws_a_request_with_reasons(client: TestClient, db: Database) -> None:
    nga = make_user(db, "NGA")
    made = _requested(db, nga, _wanted(db, nga))
    csrf = _sign_in(client, db, "NGA")
    empty = client.post(f"/notices/{made.id}/withdraw", data={"csrf_token": csrf, "reasons": ""})
    assert empty.status_code == 422 and 'id="error-withdraw"' in empty.text
    forged = client.post(f"/notices/{made.id}/withdraw", data={"csrf_token": "x", "reasons": "r"})
    assert forged.status_code == 403
    done = client.post(f"/notices/{made.id}/withdraw",
                       data={"csrf_token": csrf, "reasons": "Arrested at home."},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    page = client.get(f"/notices/{made.id}").text
    assert 'data-from="requested" data-to="withdrawn"' in page and "Arrested at home." in page
    assert 'id="owner-actions"' not in page


def test_owner_proposes_changes_to_a_published_notice_and_cancels_it(
    client: TestClient, db: Database
) -> None:
    nga = make_user(db, "NGA")
    published = _published(db, nga, _wanted(db, nga))
    csrf = _sign_in(client, db, "NGA")
    page = client.get(f"/notices/{published.id}").text
    assert "Propose changes" in page and 'id="notice-cancel-form"' in page
    form = client.get(f"/notices/{published.id}/edit").text
    assert 'name="max_penalty_years" value="15"' in form and "readonly" in form
    assert "Trafficking in persons for sexual exploitation</textarea>" in form
    fields = _red_form(
        csrf, str(published.person_id), charges="Trafficking in persons",
        warrant_reference="FHC/L/123/2026", max_penalty_years="20", law="",
    )  # fmt: skip
    saved = client.post(f"/notices/{published.id}/edit", data=fields, follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(f"/notices/{published.id}").text
    assert 'data-state="modified"' in page and 'id="notice-pending"' in page
    assert re.search(r'id="notice-fields">.*data-field="max_penalty_years"><span dir="ltr">15<',
                     page, re.S)  # the published text stays in force  # fmt: skip
    cancelled = client.post(f"/notices/{published.id}/cancel",
                            data={"csrf_token": csrf, "reasons": "Extradited."},
                            follow_redirects=False)  # fmt: skip
    assert cancelled.status_code == 303
    assert 'data-state="cancelled"' in client.get(f"/notices/{published.id}").text
    assert client.get(f"/notices/{published.id}/edit").status_code == 403


def test_a_notice_for_every_member_but_deu_is_not_shown_to_deu(
    client: TestClient, db: Database
) -> None:
    csrf = _sign_in(client, db, "NGA")
    person = _wanted(db, make_user(db, "NGA"))
    form = _red_form(csrf, person.id, audience="except", audience_codes="deu")
    filed = client.post("/notices/new", data=form, follow_redirects=False)
    assert filed.status_code == 303
    notice_id = filed.headers["location"].rsplit("/", 1)[1]
    client.post(f"/notices/{notice_id}/request", data={"csrf_token": csrf})
    reviewer = make_user(db, "GS", Role.REVIEWER)
    with UnitOfWork(db, write=True) as uow:
        reviewing.review(uow, actor=reviewer.actor, notice_id=notice_id,
                       decision=Decision.PUBLISH, reasons="Compliant.")  # fmt: skip
    fra, _ = _browser(client, db, "FRA")
    assert notice_id in fra.get("/notices").text
    assert 'id="notice-audience">Every member except <span dir="ltr">DEU' in fra.get(
        f"/notices/{notice_id}").text  # fmt: skip
    deu, _ = _browser(client, db, "DEU")
    assert notice_id not in deu.get("/notices").text
    assert deu.get(f"/notices/{notice_id}").status_code == 404


def test_ncb_sends_a_diffusion_and_the_reviewer_finds_it_compliant(
    client: TestClient, db: Database
) -> None:
    csrf = _sign_in(client, db, "NGA")
    person = _wanted(db, make_user(db, "NGA"))
    chooser = client.get("/diffusions/new").text
    assert 'data-type="wanted"' in chooser and 'data-type="red"' not in chooser
    form = client.get("/diffusions/new?type=missing").text
    assert 'name="to"' in form and 'name="audience"' not in form
    assert _shown_fields(form) == {"summary", "circumstances", "minor", "missing_since",
                                   "last_seen_place", "refugee_status"}  # fmt: skip
    data = {**_red_form(csrf, person.id), "type": "wanted", "to": "FRA"}
    missing_to = client.post("/diffusions/new", data={**data, "to": ""})
    assert missing_to.status_code == 422 and 'id="error-to" data-error-for="to" >Required' in (
        missing_to.text
    )
    sent = client.post("/diffusions/new", data=data, follow_redirects=False)
    assert sent.status_code == 303
    diffusion_id = sent.headers["location"].rsplit("/", 1)[1]
    fra, _ = _browser(client, db, "FRA")
    assert 'data-channel="diffusion"' in fra.get(f"/notices/{diffusion_id}").text
    reviewer, reviewer_csrf = _browser(client, db, "GS", Role.REVIEWER)
    page = reviewer.get(f"/notices/{diffusion_id}").text
    assert 'action="/diffusions/' in page and 'value="compliant"' in page
    decision = {"csrf_token": reviewer_csrf, "decision": "compliant", "reasons": "Within rules."}
    decided = reviewer.post(
        f"/diffusions/{diffusion_id}/review", data=decision, follow_redirects=False
    )
    assert decided.status_code == 303
    assert "Within rules." in reviewer.get(f"/notices/{diffusion_id}").text


def test_list_filters_by_type_state_and_channel_and_pages_keep_them(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notices_pages, "PAGE_SIZE", 1)
    nga = make_user(db, "NGA")
    older = _draft(db, nga, _wanted(db, nga))
    newer = _draft(db, nga, _wanted(db, nga, "Ngozi Adichie"))
    purple = _draft(
        db, nga, None, type="purple", modus_operandi="Fake modelling ads.", charges=[],
        warrant_reference=None, law=None, max_penalty_years=None,
    )  # fmt: skip
    _sign_in(client, db, "NGA")
    page = client.get("/notices", params={"type": "red", "state": "draft"}).text
    assert newer.id in page and purple.id not in page and older.id not in page
    more = re.search(r'href="([^"]+)" id="notices-more"', page)
    assert more is not None and "type=red" in more.group(1) and "state=draft" in more.group(1)
    assert older.id in client.get(more.group(1).replace("&amp;", "&")).text
    assert purple.id in client.get("/notices", params={"channel": "notice", "type": "purple"}).text
    bad = client.get("/notices", params={"state": "lost"})
    assert bad.status_code == 200 and 'id="filter-error"' in bad.text


def test_the_notice_names_its_persons_travel_documents(client: TestClient, db: Database) -> None:
    nga = make_user(db, "NGA")
    person = _person(
        db, nga, "Chukwuemeka Okonkwo", birth_date="1979-06-14", audience=Audience.only("NGA"),
        identifiers=[{"type": "passport", "number": "A01234567", "issuing_state": "NGA"}],
    )  # fmt: skip
    published = _published(db, nga, person)
    _sign_in(client, db, "FRA", Role.FRONTLINE)
    page = client.get(f"/notices/{published.id}").text
    assert '<li data-document="NGA A01234567"><span dir="ltr">passport NGA A01234567</span>' in page


def test_person_page_offers_its_owner_a_notice_request(client: TestClient, db: Database) -> None:
    person = _wanted(db, make_user(db, "NGA"))
    _sign_in(client, db, "NGA")
    page = client.get(f"/persons/{person.id}").text
    assert f'href="/notices/new?person_id={person.id}"' in page


def test_strangers_are_sent_to_sign_in(client: TestClient) -> None:
    for path in ("/notices", "/notices/review", "/notices/new", "/notices/x", "/diffusions/new"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_the_inbox_opens_a_published_notice_on_its_own_page(
    client: TestClient, db: Database
) -> None:
    nga = make_user(db, "NGA")
    notice = _published(db, nga, _wanted(db, nga))
    fra, _ = _browser(client, db, "FRA")
    inbox = fra.get("/inbox").text
    assert f'href="/notices/{notice.id}"' in inbox
