"""Which pages and questions a respondent sees, given the answers so far."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from survey.questionnaire.answers import is_shown, relevant_questions
from survey.questionnaire.schema import Item, Matrix, Questionnaire


def shown_pages(questionnaire: Questionnaire, values: Mapping[str, Any]) -> list[int]:
    return [index for index, page in enumerate(questionnaire.pages) if is_shown(page.relevant, values)]


def next_page(questionnaire: Questionnaire, values: Mapping[str, Any], after: int) -> int | None:
    return next((i for i in shown_pages(questionnaire, values) if i > after), None)


def previous_page(questionnaire: Questionnaire, values: Mapping[str, Any], before: int) -> int | None:
    return next((i for i in reversed(shown_pages(questionnaire, values)) if i < before), None)


def shown_question_ids(questionnaire: Questionnaire, values: Mapping[str, Any]) -> set[str]:
    return {
        question.id
        for index in shown_pages(questionnaire, values)
        for question in relevant_questions(questionnaire.pages[index], values)
    }


def first_missing(questionnaire: Questionnaire, values: Mapping[str, Any]) -> int | None:
    """Index of the first shown page with an unanswered required question (None: complete)."""
    for index in shown_pages(questionnaire, values):
        for question in relevant_questions(questionnaire.pages[index], values):
            if not getattr(question, "required", False):
                continue
            value = values.get(question.id)
            if isinstance(question, Matrix):
                value = value or {}
                if any(value.get(item.id) is None for item in question.items):
                    return index
            elif value in (None, "", [], False):
                return index
    return None


def item_order(question: Matrix, seed: str) -> list[Item]:
    """Matrix items in the respondent's own stable order when the question rotates them."""
    items = list(question.items)
    if question.rotate:
        random.Random(f"{seed}:{question.id}").shuffle(items)
    return items
