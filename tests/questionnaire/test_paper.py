"""The paper version: numbered questions and skip instructions in words."""

from __future__ import annotations

from survey.questionnaire import load
from survey.questionnaire.paper import Condition, paper_form
from tests.conftest import DATA, DEFAULT_QUESTIONNAIRE


def test_numbers_skip_notes_and_follow_file_order() -> None:
    pages = paper_form(load(DATA / "all-types.yaml"))
    numbered = [(item.number, item.question.id) for page in pages for item in page.questions]
    assert numbered == [
        (1, "colour"),
        (2, "pets"),
        (3, "mood"),
        (4, "ties"),
        (None, "info"),
        (5, "nickname"),
        (6, "story"),
        (7, "age"),
        (8, "where"),
        (9, "quote_ok"),
        (10, "budget"),
    ]


def test_conditions_in_words() -> None:
    pages = {page.page.id: page for page in paper_form(load(DATA / "all-types.yaml"))}
    assert pages["second"].conditions == [Condition(1, "Rot")]
    story = next(item for item in pages["second"].questions if item.question.id == "story")
    assert story.conditions == [Condition(2, "Katze")]
    assert pages["first"].conditions is None


def test_default_questionnaire_conditions() -> None:
    pages = {page.page.id: page for page in paper_form(load(DEFAULT_QUESTIONNAIRE))}
    discrimination_any = next(
        item.number for item in pages["discrimination"].questions if item.question.id == "discrimination_any"
    )
    assert pages["discrimination_details"].conditions == [Condition(discrimination_any, "Ja")]
    assert all(c.choice_text is None for c in pages["quotes"].conditions)
    assert len(pages["quotes"].conditions) == 4
