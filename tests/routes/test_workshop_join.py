"""Joining a workshop by its code, answering its own questionnaire, and voting on its statements (both databases)."""

from __future__ import annotations

import random
from datetime import date

from babel import Locale
from litestar.testing import TestClient
from markupsafe import escape
from sqlmodel import Session, select

from survey import responses, statements
from survey.demo.synthetic import fill
from survey.i18n import translator
from survey.models import Channel, Response, ResponseStatus, StatementVote, Vote, Wave, Workshop
from survey.questionnaire.answers import form_of
from survey.settings import PROJECT_ROOT
from survey.waves import questionnaire_version
from survey.workshops import close_workshop, create_workshop
from tests.conftest import csrf_token
from tests.routes.test_respondent import CODE, CONSENT

TEXTS = {"community_concerns": ["Mieten steigen."], "what_works_well": ["Das Nachbarschaftscafé."]}


def room(db: Session, wave: Wave, languages: tuple[str, ...] = ("de", "en")) -> Workshop:
    return create_workshop(
        db, wave=wave, organisation="Verein A", title="Abendrunde", held_on=date(2026, 5, 20), languages=list(languages)
    )


def join(client: TestClient, workshop: Workshop, lang: str = "de") -> str:
    base = f"/w/{workshop.join_code}"
    token = csrf_token(client.get(f"{base}?lang={lang}").text)
    started = client.post(f"{base}/start", data={"_csrf_token": token, **CONSENT}, follow_redirects=False)
    assert started.status_code == 303
    assert started.headers["location"] == f"{base}/p/0"
    return token


def answer_all(client: TestClient, db: Session, workshop: Workshop, token: str) -> str:
    """Post complete synthetic answers page by page; returns the thank-you page's address."""
    q = questionnaire_version(db, workshop.questionnaire_version_id)
    form = form_of(fill(q, random.Random(3), districts=[], answer_rate=1.0, texts=TEXTS), locale=Locale("de"))
    location = f"/w/{workshop.join_code}/p/0"
    for _ in range(10):
        is_last = 'value="submit"' in client.get(location).text
        posted = client.post(
            location,
            data={"_csrf_token": token, "action": "submit" if is_last else "next", **form},
            follow_redirects=False,
        )
        assert posted.status_code == 303, posted.text
        location = posted.headers["location"]
        if location.endswith("/thanks"):
            return location
    raise AssertionError("the workshop questionnaire did not end")


def responses_of(db: Session, workshop: Workshop) -> list[Response]:
    db.expire_all()
    return list(db.exec(select(Response).where(Response.workshop_id == workshop.id)).all())


def test_a_typed_code_leads_to_its_workshop(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = room(db, wave)
    assert 'name="code"' in client.get("/w").text
    typed = f"{workshop.join_code[:3].lower()} - {workshop.join_code[3:].lower()}"
    found = client.get("/w", params={"code": typed}, follow_redirects=False)
    assert found.status_code == 303
    assert found.headers["location"] == f"/w/{workshop.join_code}"
    wrong = client.get("/w", params={"code": "ZZZZZZ", "lang": "de"})
    assert wrong.status_code == 400
    assert 'class="error-summary"' in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    assert 'value="ZZZZZZ"' in wrong.text  # what was typed stays in the field


def test_joining_answers_the_workshop_questionnaire_with_channel_workshop(
    client: TestClient, db: Session, wave: Wave
) -> None:
    workshop = room(db, wave)
    assert workshop.questionnaire_version_id != wave.questionnaire_version_id
    intro = client.get(f"/w/{workshop.join_code.lower()}?lang=en")
    assert intro.status_code == 200
    assert 'lang="en"' in intro.text
    assert "Abendrunde" in intro.text
    assert "Verein A" in intro.text
    assert f'action="/w/{workshop.join_code}/start"' in intro.text  # canonical address from a lower-case one

    thanks = answer_all(client, db, workshop, join(client, workshop, "en"))
    page = client.get(thanks)
    assert CODE.search(page.text)
    assert f'href="/w/{workshop.join_code}/statements"' in page.text

    [response] = responses_of(db, workshop)
    assert response.status == ResponseStatus.submitted
    assert response.channel == Channel.workshop
    assert response.language == "en"
    assert response.questionnaire_version_id == workshop.questionnaire_version_id
    texts = {cell.question_id: cell.text for cell in responses.cells_of(db, response.id) if cell.text}
    assert texts["community_concerns"] == "Mieten steigen."


def test_only_the_workshop_languages_are_offered(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = room(db, wave, ("en",))
    page = client.get(f"/w/{workshop.join_code}?lang=de")
    assert 'lang="en"' in page.text  # German is a language of the wave, not of this workshop
    assert 'hreflang="de"' not in page.text


def test_a_closed_workshop_refuses_new_answers_and_says_so(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = room(db, wave)
    token = join(client, workshop)
    close_workshop(db, workshop)
    page = client.get(f"/w/{workshop.join_code}?lang=en")
    assert "This workshop has ended and takes no more answers" in page.text
    assert f'action="/w/{workshop.join_code}/start"' not in page.text
    refused = client.post(
        f"/w/{workshop.join_code}/start", data={"_csrf_token": token, **CONSENT}, follow_redirects=False
    )
    assert refused.headers["location"] == f"/w/{workshop.join_code}"
    saved = client.post(
        f"/w/{workshop.join_code}/p/0",
        data={"_csrf_token": token, "action": "next", "community_concerns": "Zu spät"},
        follow_redirects=False,
    )
    assert saved.headers["location"] == f"/w/{workshop.join_code}"
    [response] = responses_of(db, workshop)  # the one started before closing; nothing added, nothing saved
    assert responses.cells_of(db, response.id) == []


def test_receipt_codes_resume_only_through_their_own_door(client: TestClient, db: Session, wave: Wave) -> None:
    """A workshop response follows the workshop's questionnaire, so the wave's pages must not resume it."""
    workshop = room(db, wave)
    in_room = responses.start(db, wave, "de", workshop)
    online = responses.start(db, wave, "de")
    token = csrf_token(client.get(f"/s/{wave.slug}/resume").text)
    for door, code in ((f"/s/{wave.slug}", in_room.receipt_code), (f"/w/{workshop.join_code}", online.receipt_code)):
        refused = client.post(f"{door}/resume", data={"_csrf_token": token, "code": code})
        assert refused.status_code == 400, door
    resumed = client.post(
        f"/w/{workshop.join_code}/resume",
        data={"_csrf_token": token, "code": in_room.receipt_code},
        follow_redirects=False,
    )
    assert resumed.headers["location"] == f"/w/{workshop.join_code}/p/0"


def test_participants_vote_on_statements_and_may_change_their_vote(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = room(db, wave)
    first = statements.add_statement(db, workshop, "Wir brauchen mehr Sprachkurse am Abend.", "de")
    second = statements.add_statement(db, workshop, "The library is a good meeting place.", "en")
    base = f"/w/{workshop.join_code}"
    assert client.get(f"{base}/statements", follow_redirects=False).headers["location"] == base  # join first

    token = join(client, workshop)
    page = client.get(f"{base}/statements?lang=de")
    assert 'lang="en" dir="auto">The library is a good meeting place.' in page.text
    votes = {f"vote.{first.id}": "agree", f"vote.{second.id}": "pass"}
    saved = client.post(f"{base}/statements", data={"_csrf_token": token, **votes}, follow_redirects=False)
    assert saved.headers["location"] == f"{base}/statements?saved=true"
    changed = client.post(
        f"{base}/statements", data={"_csrf_token": token, f"vote.{first.id}": "disagree"}, follow_redirects=False
    )
    assert changed.status_code == 303
    [response] = responses_of(db, workshop)
    assert statements.votes_of(db, workshop, response.id) == {first.id: Vote.disagree, second.id: Vote.pass_}
    page = client.get(f"{base}/statements")
    assert f'id="q-vote-{first.id}-disagree" value="disagree" checked' in page.text


def test_a_vote_outside_the_choices_is_refused_and_nothing_is_stored(
    client: TestClient, db: Session, wave: Wave
) -> None:
    workshop = room(db, wave)
    statement = statements.add_statement(db, workshop, "Mehr Beratung auf Türkisch.", "de")
    token = join(client, workshop)
    refused = client.post(
        f"/w/{workshop.join_code}/statements?lang=de",
        data={"_csrf_token": token, f"vote.{statement.id}": "maybe"},
    )
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.text
    assert db.exec(select(StatementVote)).all() == []


def test_votes_stop_when_the_workshop_closes(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = room(db, wave)
    statement = statements.add_statement(db, workshop, "Mehr Beratung auf Türkisch.", "de")
    token = join(client, workshop)
    close_workshop(db, workshop)
    late = client.post(
        f"/w/{workshop.join_code}/statements",
        data={"_csrf_token": token, f"vote.{statement.id}": "agree"},
        follow_redirects=False,
    )
    assert late.status_code == 303
    assert db.exec(select(StatementVote)).all() == []
    assert "votes can no longer be changed" in client.get(f"/w/{workshop.join_code}/statements?lang=en").text


def test_the_printed_workshop_questionnaire_has_a_form_number_box(client: TestClient, db: Session, wave: Wave) -> None:
    workshop = room(db, wave)
    page = client.get(f"/w/{workshop.join_code}/print?lang=en")
    assert page.status_code == 200
    assert 'class="paper-form-number"' in page.text
    question = questionnaire_version(db, workshop.questionnaire_version_id).pages[0].questions[0]
    assert escape(translator(PROJECT_ROOT / "locales", "en").content_text(question.text)) in page.text
    assert client.get(f"/s/{wave.slug}/print").text.count("paper-form-number") == 0
