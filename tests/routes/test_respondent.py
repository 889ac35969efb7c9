"""A resident's way through the default questionnaire over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import re

from litestar.testing import TestClient
from sqlmodel import Session, select

from survey.demo.synthetic import fill
from survey.i18n import translator
from survey.models import Answer, Response, ResponseStatus, Wave
from survey.questionnaire.answers import ERROR_MESSAGES, form_of, values_of
from survey.questionnaire.flow import shown_question_ids
from survey.security import hash_receipt_code
from survey.settings import PROJECT_ROOT
from survey.waves import questionnaire_for
from tests.conftest import csrf_token

CODE = re.compile(r'data-receipt-code="([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})"')
CONSENT = {"consent.participation": "yes", "consent.special_categories": "yes"}


def start(client: TestClient, wave: Wave, lang: str = "de") -> str:
    token = csrf_token(client.get(f"/s/{wave.slug}?lang={lang}").text)
    response = client.post(f"/s/{wave.slug}/start", data={"_csrf_token": token, **CONSENT}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/s/{wave.slug}/p/0"
    return token


def first_page(token: str) -> dict[str, str]:
    """The required attachment matrix of page 0, answered."""
    lines = {f"attachment.{item}": "close" for item in ("district", "city", "germany", "europe")}
    return {"_csrf_token": token, "action": "next", **lines}


def answers_for(db: Session, wave: Wave, seed: int = 1) -> dict[str, list[str]]:
    """A complete, valid set of form fields for every page (synthetic answers)."""
    q = questionnaire_for(db, wave)
    cells = fill(
        q,
        random.Random(seed),
        districts=wave.districts,
        answer_rate=1.0,
        texts={
            "belonging_situation_positive": ["Beim Stadtteilfest."],
            "discrimination_experience": ["Bei der Wohnungssuche."],
        },
    )
    return form_of(cells, locale=__import__("babel").Locale("de"))


def walk(client: TestClient, wave: Wave, token: str, form: dict, *, stop_before_submit: bool = False) -> str:
    """Post the form on every page until the thank-you page; returns the last location."""
    location = f"/s/{wave.slug}/p/0"
    for _ in range(20):
        page = client.get(location)
        is_last = 'value="submit"' in page.text
        if is_last and stop_before_submit:
            return location
        response = client.post(
            location,
            data={"_csrf_token": token, "action": "submit" if is_last else "next", **form},
            follow_redirects=False,
        )
        assert response.status_code == 303, re.findall(r'class="field-error"[^>]*>(.*?)</p>', response.text, re.S)
        location = response.headers["location"]
        if location.endswith("/thanks"):
            return location
    raise AssertionError("questionnaire did not end")


def stored(db: Session, wave: Wave) -> list[Response]:
    db.expire_all()
    return list(db.exec(select(Response).where(Response.wave_id == wave.id)).all())


def test_complete_survey_stores_every_answer_and_shows_the_code_once(
    client: TestClient, db: Session, wave: Wave
) -> None:
    token = start(client, wave)
    form = answers_for(db, wave)
    thanks = walk(client, wave, token, form)
    page = client.get(thanks)
    code = CODE.search(page.text).group(1)
    assert CODE.search(client.get(thanks).text) is None  # shown once only

    [response] = stored(db, wave)
    assert response.status == ResponseStatus.submitted
    assert response.code_hash == hash_receipt_code(code)
    assert response.language == "de"
    answers = db.exec(select(Answer).where(Answer.response_id == response.id)).all()
    got = form_of([_cell(a) for a in answers], locale=__import__("babel").Locale("de"))
    q = questionnaire_for(db, wave)
    shown = shown_question_ids(q, values_of([_cell(a) for a in answers]))
    expected = {k: v for k, v in form.items() if k.split(".")[0] in shown}
    assert got == expected
    assert code not in str([(a.value, a.text) for a in answers])


def _cell(answer: Answer):
    from survey.questionnaire.answers import Cell

    return Cell(answer.question_id, answer.item, answer.value, answer.text)


def test_consent_must_be_given_explicitly(client: TestClient, db: Session, wave: Wave) -> None:
    page = client.get(f"/s/{wave.slug}")
    assert 'type="checkbox" name="consent.participation"' in page.text
    assert "checked" not in page.text.split('name="consent.participation"')[1].split(">")[0]  # never pre-ticked
    response = client.post(
        f"/s/{wave.slug}/start", data={"_csrf_token": csrf_token(page.text), "consent.participation": "yes"}
    )
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text
    assert "Bitte kreuzen Sie dieses Feld an" in response.text or "tick" not in response.text
    assert stored(db, wave) == []  # nothing is stored without consent


def test_validation_errors_in_the_respondents_language_keep_values(client: TestClient, wave: Wave) -> None:
    german = translator(PROJECT_ROOT / "locales", "de").gettext(ERROR_MESSAGES["required_item"])
    assert german != ERROR_MESSAGES["required_item"]
    for lang, message in (("en", ERROR_MESSAGES["required_item"]), ("de", german)):
        token = start(client, wave, lang)
        response = client.post(
            f"/s/{wave.slug}/p/0?lang={lang}", data={"_csrf_token": token, "action": "next", "attachment.city": "close"}
        )
        assert response.status_code == 400
        assert f'<html lang="{lang}" dir="ltr">' in response.text
        assert 'class="error-summary"' in response.text
        assert message in response.text
        assert 'href="#q-attachment-district"' in response.text
        assert re.search(r'name="attachment\.city" id="[^"]+" value="close" checked', response.text)


def test_double_submit_stores_one_response(client: TestClient, db: Session, wave: Wave) -> None:
    token = start(client, wave)
    form = answers_for(db, wave, seed=3)
    last = walk(client, wave, token, form, stop_before_submit=True)
    cookies = dict(client.cookies)
    first = client.post(last, data={"_csrf_token": token, "action": "submit", **form}, follow_redirects=False)
    [response] = stored(db, wave)
    after_first = sorted(
        (a.question_id, a.item, str(a.value), a.text or "")
        for a in db.exec(select(Answer).where(Answer.response_id == response.id)).all()
    )
    client.cookies.clear()
    client.cookies.update(cookies)  # the second click carries the same cookie as the first
    second = client.post(last, data={"_csrf_token": token, "action": "submit", **form}, follow_redirects=False)
    assert first.headers["location"] == second.headers["location"] == f"/s/{wave.slug}/thanks"
    assert CODE.search(client.get(second.headers["location"]).text)  # the code still reaches the person
    [response] = stored(db, wave)
    assert response.status == ResponseStatus.submitted
    after_second = sorted(
        (a.question_id, a.item, str(a.value), a.text or "")
        for a in db.exec(select(Answer).where(Answer.response_id == response.id)).all()
    )
    assert after_second == after_first
    assert len({(q, i) for q, i, _, _ in after_second}) == len(after_second) > 10


def test_reload_and_back_never_duplicate_answers(client: TestClient, db: Session, wave: Wave) -> None:
    token = start(client, wave)
    page0 = {
        **first_page(token),
        "attachment.germany": "very_close",
        "attachment.europe": "_na",
        "other_country": "no",
    }
    for _ in range(3):  # reload re-posting the same page
        assert client.post(f"/s/{wave.slug}/p/0", data=page0, follow_redirects=False).status_code == 303
    back = client.post(
        f"/s/{wave.slug}/p/1", data={"_csrf_token": token, "action": "back", "welcome": "4"}, follow_redirects=False
    )
    assert back.headers["location"] == f"/s/{wave.slug}/p/0"
    page = client.get(f"/s/{wave.slug}/p/0").text
    assert re.search(r'name="attachment\.germany" id="[^"]+" value="very_close" checked', page)
    [response] = stored(db, wave)
    answers = db.exec(select(Answer).where(Answer.response_id == response.id)).all()
    keys = [(a.question_id, a.item) for a in answers]
    assert len(keys) == len(set(keys)) == 6  # 4 matrix lines, other_country, welcome (saved on back)
    assert {k: a.value for k, a in zip(keys, answers, strict=True)}[("welcome", "")] == 4


def test_pages_cannot_be_skipped_by_url(client: TestClient, wave: Wave) -> None:
    start(client, wave)
    response = client.get(f"/s/{wave.slug}/p/5", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/s/{wave.slug}/p/0"


def test_resume_on_another_device_with_the_code(client: TestClient, settings, engine, db: Session, wave: Wave) -> None:
    token = start(client, wave)
    data = {"_csrf_token": token, "action": "later", "attachment.district": "close", "attachment.city": "close"}
    response = client.post(f"/s/{wave.slug}/p/0", data=data, follow_redirects=False)
    assert response.headers["location"] == f"/s/{wave.slug}/later"
    code = re.search(r'data-resume-code="([^"]+)"', client.get(response.headers["location"]).text).group(1)

    from survey.app import create_app

    with TestClient(create_app(settings, engine)) as other:
        page = other.get(f"/s/{wave.slug}/resume")
        typed = code.lower().replace("-", " ")
        resumed = other.post(
            f"/s/{wave.slug}/resume", data={"_csrf_token": csrf_token(page.text), "code": typed}, follow_redirects=False
        )
        assert resumed.status_code == 303
        assert resumed.headers["location"] == f"/s/{wave.slug}/p/0"
        prefilled = other.get(resumed.headers["location"]).text
        assert re.search(r'name="attachment\.city" id="[^"]+" value="close" checked', prefilled)
        wrong = other.post(
            f"/s/{wave.slug}/resume?lang=en", data={"_csrf_token": csrf_token(page.text), "code": "AAAA-BBBB-CCCC"}
        )
        assert wrong.status_code == 400
        assert "We could not find this code" in wrong.text
    assert len(stored(db, wave)) == 1


def test_withdraw_deletes_every_answer(client: TestClient, settings, engine, db: Session, wave: Wave) -> None:
    token = start(client, wave)
    code = CODE.search(client.get(walk(client, wave, token, answers_for(db, wave, seed=5))).text).group(1)
    from survey.app import create_app

    with TestClient(create_app(settings, engine)) as other:
        form = csrf_token(other.get(f"/s/{wave.slug}/withdraw").text)
        unconfirmed = other.post(f"/s/{wave.slug}/withdraw", data={"_csrf_token": form, "code": code})
        assert unconfirmed.status_code == 400
        [response] = stored(db, wave)
        assert response.status == ResponseStatus.submitted
        done = other.post(f"/s/{wave.slug}/withdraw", data={"_csrf_token": form, "code": code, "confirm": "yes"})
        assert done.status_code == 200
        [response] = stored(db, wave)
        assert response.status == ResponseStatus.withdrawn
        assert db.exec(select(Answer).where(Answer.response_id == response.id)).all() == []
        again = other.post(f"/s/{wave.slug}/withdraw", data={"_csrf_token": form, "code": code, "confirm": "yes"})
        assert again.status_code == 400
        resumed = other.post(f"/s/{wave.slug}/resume", data={"_csrf_token": form, "code": code})
        assert resumed.status_code == 400


def test_submitted_code_cannot_reopen_the_questionnaire(client: TestClient, db: Session, wave: Wave) -> None:
    token = start(client, wave)
    code = CODE.search(client.get(walk(client, wave, token, answers_for(db, wave, seed=7))).text).group(1)
    response = client.post(f"/s/{wave.slug}/resume", data={"_csrf_token": token, "code": code})
    assert response.status_code == 400
    assert "bereits" in response.text or "already" in response.text


def test_language_negotiation_order(client: TestClient, wave: Wave) -> None:
    def lang_of(response) -> str:
        return re.search(r'<html lang="([^"]+)"', response.text).group(1)

    assert lang_of(client.get("/")) == "de"
    assert lang_of(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})) == "en"
    assert lang_of(client.get("/", headers={"Accept-Language": "fr, pl;q=0.5"})) == "de"
    chosen = client.get("/?lang=en", headers={"Accept-Language": "de"})
    assert lang_of(chosen) == "en"
    assert client.cookies.get("stimmen_lang") == "en"
    assert lang_of(client.get("/", headers={"Accept-Language": "de"})) == "en"  # cookie beats the header
    assert lang_of(client.get("/?lang=de")) == "de"  # query beats the cookie
    assert lang_of(client.get("/?lang=xx")) == "de"


def test_closed_wave_refuses_answers(client: TestClient, db: Session, wave: Wave) -> None:
    token = start(client, wave)
    wave.is_open = False
    db.add(wave)
    db.commit()
    assert "not open" in client.get(f"/s/{wave.slug}?lang=en").text
    response = client.post(f"/s/{wave.slug}/p/0", data={"_csrf_token": token, "action": "next"}, follow_redirects=False)
    assert response.headers["location"] == f"/s/{wave.slug}"
    assert wave.slug not in client.get("/").text


def test_forms_need_the_csrf_token(client: TestClient, db: Session, wave: Wave) -> None:
    client.get(f"/s/{wave.slug}")
    response = client.post(f"/s/{wave.slug}/start", data=CONSENT)
    assert response.status_code == 403
    assert stored(db, wave) == []


def test_oversized_and_malformed_input_is_rejected(client: TestClient, db: Session, wave: Wave) -> None:
    token = start(client, wave)
    huge = client.post(
        f"/s/{wave.slug}/p/2", data={"_csrf_token": token, "belonging_situation_negative": "x" * 400_000}
    )
    assert huge.status_code == 413
    assert "<html" in huge.text
    long_text = client.post(
        f"/s/{wave.slug}/p/1", data={"_csrf_token": token, "action": "next", "belonging_situation_positive": "y" * 3001}
    )
    assert long_text.status_code in (303, 400)
    assert client.get(f"/s/{wave.slug}/p/-1", follow_redirects=False).headers["location"] == f"/s/{wave.slug}/p/0"
    assert client.post(f"/s/{wave.slug}/p/999", data={"_csrf_token": token}).status_code == 404
    assert client.get("/s/no-such-wave").status_code == 404


def test_text_too_long_is_refused_on_its_page(client: TestClient, wave: Wave) -> None:
    token = start(client, wave)
    page0 = first_page(token)
    client.post(f"/s/{wave.slug}/p/0", data=page0)
    response = client.post(
        f"/s/{wave.slug}/p/1?lang=en",
        data={"_csrf_token": token, "action": "next", "belonging_situation_positive": "y" * 3001},
    )
    assert response.status_code == 400
    assert "at most 3,000 characters (now 3,001)" in response.text


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_nothing_identifying_is_stored() -> None:
    from sqlmodel import SQLModel

    columns = {c.name for t in ("response", "answer") for c in SQLModel.metadata.tables[t].columns}
    assert not {name for name in columns if any(s in name for s in ("ip", "agent", "mail", "name", "time"))}


def test_a_restart_without_configured_secret_keeps_people_in_their_survey(
    engine, database_url: str, wave: Wave
) -> None:
    from survey.app import create_app
    from survey.settings import Settings

    unset = Settings(database_url=database_url, secret_key="")
    with TestClient(create_app(unset, engine)) as before:
        start(before, wave)
        cookies = dict(before.cookies)
    with TestClient(create_app(unset, engine)) as after:  # a new process, or a second worker
        after.cookies.update(cookies)
        page = after.get(f"/s/{wave.slug}/p/0", follow_redirects=False)
        assert page.status_code == 200
        assert 'name="attachment.city"' in page.text


def test_paper_version_lists_every_question_with_skip_instructions(client: TestClient, db: Session, wave: Wave) -> None:
    page = client.get(f"/s/{wave.slug}/print?lang=en")
    assert page.status_code == 200
    assert '<html lang="en" dir="ltr">' in page.text
    q = questionnaire_for(db, wave)
    numbered = [question for question in q.questions() if question.type != "note"]
    assert f'<span class="number">{len(numbered)}.</span>' in page.text
    assert "Answer this only if:" in page.text
    assert "to question 11" in page.text
    assert all(district in page.text for district in wave.districts)


def test_switching_language_after_a_refused_consent_returns_to_the_consent_page(client: TestClient, wave: Wave) -> None:
    response = client.get(f"/s/{wave.slug}/start?lang=en", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/s/{wave.slug}?lang=en"
    assert '<html lang="en" dir="ltr">' in client.get(response.headers["location"]).text


def test_error_summary_names_the_matrix_line(client: TestClient, wave: Wave) -> None:
    token = start(client, wave)
    response = client.post(f"/s/{wave.slug}/p/0?lang=en", data={"_csrf_token": token, "action": "next"})
    assert 'href="#q-attachment-germany">Germany: Please answer this line.</a>' in response.text
