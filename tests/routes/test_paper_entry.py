"""Typing in paper forms: one response per form number, with the answers checked and the skip logic applied."""

from __future__ import annotations

from datetime import date

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from survey import paper_entry
from survey.models import Answer, Channel, Response, ResponseStatus, Role, Wave, Workshop
from survey.users import add_user
from survey.workshops import close_workshop, create_workshop
from tests.conftest import PASSWORD, csrf_token, login

CONSENT = {"consent.participation": "yes", "consent.special_categories": "yes"}


def make_room(db: Session, wave: Wave, **overrides: object) -> Workshop:
    options = {"title": "Abendrunde", "held_on": date(2025, 5, 20), "languages": ["de", "en"]} | overrides
    return create_workshop(db, wave=wave, organisation="Verein A", **options)


@pytest.fixture
def room(db: Session, wave: Wave) -> Workshop:
    return make_room(db, wave)


@pytest.fixture
def long_room(db: Session, wave: Wave) -> Workshop:
    """A workshop that asks the wave's full questionnaire: page-level skip logic, numbers, districts."""
    return make_room(db, wave, title="Lange Runde", questionnaire="default")


@pytest.fixture
def typist(client: TestClient, db: Session) -> str:
    login(client, add_user(db, "typist@example.org", Role.facilitator, PASSWORD, "Verein A").email)
    return csrf_token(client.get("/admin/workshops").text)


def enter(client: TestClient, room: Workshop, csrf: str, lang: str = "en", **fields: object):
    return client.post(
        f"/admin/workshops/{room.id}/paper?lang={lang}",
        data={"_csrf_token": csrf, **CONSENT, **fields},
        follow_redirects=False,
    )


def answers_of(db: Session, response: Response) -> dict[str, object]:
    rows = db.exec(select(Answer).where(Answer.response_id == response.id)).all()
    return {row.question_id: row.value if row.value is not None else row.text for row in rows}


def test_a_paper_form_is_stored_as_a_submitted_paper_response(
    client: TestClient, db: Session, room: Workshop, typist: str
) -> None:
    page = client.get(f"/admin/workshops/{room.id}/paper?lang=en")
    assert page.status_code == 200
    assert 'id="q-paper_form" maxlength="40" autocomplete="off" autofocus' in page.text
    assert "(required)" not in page.text  # paper respondents skip what they like
    saved = enter(
        client,
        room,
        typist,
        paper_form=" 17 ",
        community_concerns="Zu wenig Kitaplätze",
        concern_domains=["housing", "education"],
        age_group="age_30_44",
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/admin/workshops/{room.id}/paper?lang=en&saved=17"
    response = db.exec(select(Response)).one()
    assert (response.channel, response.status, response.paper_form) == (Channel.paper, ResponseStatus.submitted, "17")
    assert (response.workshop_id, response.wave_id, response.language) == (room.id, room.wave_id, "en")
    assert response.questionnaire_version_id == room.questionnaire_version_id
    assert response.submitted_on == date.today()
    assert answers_of(db, response) == {
        "community_concerns": "Zu wenig Kitaplätze",
        "concern_domains": ["housing", "education"],
        "age_group": "age_30_44",
        "quote_consent": False,  # shown after a free-text answer, unticked
    }
    after = client.get(saved.headers["location"]).text
    assert "Form 17 saved." in after
    assert "1 paper form entered for this workshop." in after
    assert "Kitaplätze</textarea>" not in after  # an empty form again


def test_a_form_number_is_entered_once(client: TestClient, db: Session, room: Workshop, typist: str) -> None:
    assert enter(client, room, typist, paper_form="17", age_group="age_18_29").status_code == 303
    again = enter(client, room, typist, paper_form="17", city_wishes="Mehr Bänke im Park", age_group="age_65_plus")
    assert again.status_code == 400
    assert "Paper form 17 has already been entered for this workshop." in again.text
    assert 'href="#q-paper_form"' in again.text
    assert "Mehr Bänke im Park</textarea>" in again.text
    assert 'value="age_65_plus" checked' in again.text
    assert len(db.exec(select(Response)).all()) == 1
    assert db.exec(select(Answer.value).where(Answer.question_id == "age_group")).all() == ["age_18_29"]


def test_the_database_is_the_last_guard_against_a_second_entry(
    client: TestClient, db: Session, room: Workshop, typist: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two typists saving the same sheet at once both pass the look-up; the unique constraint stops one."""
    assert enter(client, room, typist, paper_form="8").status_code == 303
    monkeypatch.setattr(paper_entry, "_entered", lambda *_: False)
    again = enter(client, room, typist, paper_form="8", age_group="under_18")
    assert again.status_code == 400
    assert "Paper form 8 has already been entered for this workshop." in again.text
    assert len(db.exec(select(Response)).all()) == 1
    assert db.exec(select(Answer)).all() == []
    assert enter(client, room, typist, paper_form="9").status_code == 303  # the session is usable again


def test_the_same_number_in_another_workshop_is_another_form(
    client: TestClient, db: Session, wave: Wave, room: Workshop, typist: str
) -> None:
    other = make_room(db, wave, title="Zweite Runde", languages=["de"])
    assert enter(client, room, typist, paper_form="1").status_code == 303
    assert enter(client, other, typist, lang="de", paper_form="1").status_code == 303
    assert {r.workshop_id for r in db.exec(select(Response)).all()} == {room.id, other.id}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"paper_form": ""}, "paper_form", "Please enter the number written on the paper form."),
        ({"paper_form": "1" * 41}, "paper_form", "Please enter a form number of at most 40 characters."),
        ({"consent.special_categories": ""}, "consent", "Enter only forms on which every consent box is ticked."),
        ({"age_group": "age_99"}, "age_group", "Please choose one of the options shown."),
        (
            {"city_priorities": ["participation", "public_safety", "culture_leisure", "meeting_places"]},
            "city_priorities",
            "Please choose at most 3 answers.",
        ),
        ({"concern_domains": ["other"]}, "concern_domains.other", "Please say what “other” means for you"),
    ],
)
def test_invalid_values_are_explained_and_kept(
    client: TestClient, db: Session, room: Workshop, typist: str, fields: dict, field: str, message: str
) -> None:
    form = {"paper_form": "5", "what_works_well": "Der Nachbarschaftstreff"} | fields
    refused = enter(client, room, typist, **form)
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.text
    assert f'href="#q-{field.replace(".", "-")}"' in refused.text
    assert message in refused.text
    assert "Der Nachbarschaftstreff</textarea>" in refused.text
    assert db.exec(select(Response)).all() == []


def test_answers_the_skip_logic_hides_are_dropped(
    client: TestClient, db: Session, long_room: Workshop, typist: str
) -> None:
    saved = enter(
        client,
        long_room,
        typist,
        lang="de",
        paper_form="3",
        discrimination_any="no",
        discrimination_frequency="often",  # on a page shown only after "yes"
        other_country="no",
        other_country_attachment="close",  # shown only after "yes"
        household_size="3",
        district="Hafen",
    )
    assert saved.status_code == 303
    stored = answers_of(db, db.exec(select(Response)).one())
    assert stored == {"discrimination_any": "no", "other_country": "no", "household_size": 3, "district": "Hafen"}


def test_numbers_are_checked_on_the_long_questionnaire(
    client: TestClient, db: Session, long_room: Workshop, typist: str
) -> None:
    refused = enter(client, long_room, typist, paper_form="4", household_size="zwei", district="Atlantis")
    assert refused.status_code == 400
    assert 'href="#q-household_size"' in refused.text
    assert 'href="#q-district"' in refused.text
    assert 'value="zwei"' in refused.text
    assert db.exec(select(Response)).all() == []


def test_paper_forms_are_entered_after_the_workshop_closed_but_not_after_the_wave(
    client: TestClient, db: Session, wave: Wave, room: Workshop, typist: str
) -> None:
    close_workshop(db, room)
    assert enter(client, room, typist, paper_form="1").status_code == 303
    wave.is_open = False
    db.add(wave)
    db.commit()
    page = client.get(f"/admin/workshops/{room.id}/paper?lang=en")
    assert "The wave no longer accepts answers" in page.text
    assert 'name="paper_form"' not in page.text
    refused = enter(client, room, typist, paper_form="2")
    assert refused.status_code == 400
    assert "The wave no longer accepts answers" in refused.text
    assert len(db.exec(select(Response)).all()) == 1


def test_the_form_language_is_one_of_the_workshops(client: TestClient, room: Workshop, typist: str) -> None:
    page = client.get(f"/admin/workshops/{room.id}/paper?lang=en").text
    assert '<select name="lang" id="form-language">' in page
    assert '<option value="en" lang="en" selected>' in page
    assert 'value="tr"' not in page
    assert f'action="/admin/workshops/{room.id}/paper?lang=en"' in page
    german = client.get(f"/admin/workshops/{room.id}/paper?lang=de").text
    assert f'action="/admin/workshops/{room.id}/paper?lang=de"' in german
    assert "Was beschäftigt Sie" in german
