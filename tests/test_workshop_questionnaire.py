"""The short workshop questionnaire: valid, short, mergeable with the default one, translated everywhere."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from survey.catalogs import catalog_path, check_catalog
from survey.questionnaire import load
from survey.questionnaire.extract import messages, missing_translations
from survey.questionnaire.paper import paper_form
from survey.questionnaire.schema import LongText, MultipleChoice, SingleChoice
from survey.settings import PROJECT_ROOT
from tests.conftest import DEFAULT_QUESTIONNAIRE, NATIVE_NAMES

WORKSHOP = PROJECT_ROOT / "questionnaires" / "workshop.yaml"
LOCALES = PROJECT_ROOT / "locales"
SHIPPED = tuple(NATIVE_NAMES)
DEMOGRAPHICS = ("age_group", "migration_experience")


def test_workshop_questionnaire_loads_and_is_short() -> None:
    q = load(WORKSHOP)
    assert q.id == "workshop"
    assert 3 <= len(q.pages) <= 4
    assert q.estimated_minutes is not None
    assert q.estimated_minutes <= 6
    statements = {statement.id for statement in q.consent.statements}
    assert statements == {"participation", "special_categories"}  # explicit Art. 9 consent, as in the default
    assert "Art. 9" in next(s.text for s in q.consent.statements if s.id == "special_categories")


def test_workshop_asks_open_questions_and_priorities() -> None:
    q = load(WORKSHOP)
    free_text = [question.id for question in q.questions() if isinstance(question, LongText)]
    assert len(free_text) >= 3
    assert {"community_concerns", "what_works_well", "city_wishes"} <= set(free_text)
    # No ranking type in the schema: the top three priorities as a multiple choice.
    priorities = q.question("city_priorities")
    assert isinstance(priorities, MultipleChoice)
    assert priorities.max_selected == 3
    assert isinstance(q.question("concern_domains"), MultipleChoice)


def _values(q, question_id: str) -> list[tuple[str, str]]:
    question = q.question(question_id)
    return [(choice.value, choice.text) for choice in q.choices_of(question)]


@pytest.mark.parametrize("question_id", [*DEMOGRAPHICS, "city_priorities"])
def test_shared_questions_match_the_default_questionnaire(question_id: str) -> None:
    workshop, default = load(WORKSHOP), load(DEFAULT_QUESTIONNAIRE)
    assert type(workshop.question(question_id)) is type(default.question(question_id))
    assert _values(workshop, question_id) == _values(default, question_id)


def test_demographics_are_optional_single_choices_on_the_last_page() -> None:
    q = load(WORKSHOP)
    last = {question.id for question in q.pages[-1].questions}
    for question_id in DEMOGRAPHICS:
        question = q.question(question_id)
        assert isinstance(question, SingleChoice)
        assert not question.required
        assert question.no_answer
        assert question_id in last


def test_life_domains_are_those_of_the_default_questionnaire() -> None:
    workshop, default = load(WORKSHOP), load(DEFAULT_QUESTIONNAIRE)
    assert set(_values(workshop, "concern_domains")) <= set(_values(default, "discrimination_domains"))


def test_every_question_can_be_answered_on_paper() -> None:
    pages = paper_form(load(WORKSHOP))
    conditions = [item.conditions for page in pages for item in page.questions] + [p.conditions for p in pages]
    assert [] not in conditions  # every skip instruction can be put in words


def test_every_workshop_text_is_in_the_questionnaire_template() -> None:
    with (LOCALES / "questionnaires.pot").open("rb") as handle:
        template = {message.id for message in read_po(handle) if message.id}
    texts = {text for _, text, _ in messages(WORKSHOP.read_text(encoding="utf-8"))}
    assert texts - template == set(), "run stimmen i18n update"


@pytest.mark.parametrize("code", SHIPPED)
def test_workshop_is_translated_into_every_shipped_language(code: str) -> None:
    assert check_catalog(catalog_path(LOCALES, code, "questionnaires"), LOCALES / "questionnaires.pot") == []
    if code != "de":  # the German source needs no translation; its catalog is checked above
        assert missing_translations(WORKSHOP, LOCALES).get(code) == []  # None: language not offered at all
