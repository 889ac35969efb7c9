"""Synthetic answers that follow a questionnaire's own skip logic, for demos and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from survey.questionnaire.answers import Cell, relevant_questions, values_of
from survey.questionnaire.flow import shown_pages
from survey.questionnaire.schema import (
    NO_ANSWER,
    OTHER,
    Consent,
    District,
    LongText,
    Matrix,
    MultipleChoice,
    Note,
    Number,
    Questionnaire,
    Scale,
    ShortText,
    SingleChoice,
)


def fill(
    questionnaire: Questionnaire,
    rng: random.Random,
    *,
    districts: Sequence[str],
    district_weights: Sequence[float] | None = None,
    texts: Mapping[str, Sequence[str]] | None = None,
    answer_rate: float = 0.92,
) -> list[Cell]:
    """Answer every shown page in order; free text is drawn from ``texts`` (question id → answers)."""
    cells: list[Cell] = []
    texts = texts or {}
    index = 0
    while True:
        values = values_of(cells)
        pages = [i for i in shown_pages(questionnaire, values) if i >= index]
        if not pages:
            return cells
        index = pages[0]
        for question in relevant_questions(questionnaire.pages[index], values):
            if isinstance(question, Note):
                continue
            required = getattr(question, "required", False)
            if not required and rng.random() > answer_rate:
                continue
            cells.extend(_answer(questionnaire, question, rng, districts, district_weights, texts))
        index += 1


def _answer(
    q: Questionnaire,
    question: Any,
    rng: random.Random,
    districts: Sequence[str],
    district_weights: Sequence[float] | None,
    texts: Mapping[str, Sequence[str]],
) -> list[Cell]:
    na = getattr(question, "no_answer", False) and rng.random() < 0.03
    if isinstance(question, Matrix):
        values = [c.value for c in q.choices_of(question)]
        weights = _skewed(len(values))
        return [
            Cell(question.id, item.id, NO_ANSWER if na else rng.choices(values, weights)[0]) for item in question.items
        ]
    if na:
        return [Cell(question.id, value=NO_ANSWER)]
    if isinstance(question, District):
        return [Cell(question.id, value=rng.choices(list(districts), district_weights)[0])]
    if isinstance(question, SingleChoice):
        values = [c.value for c in q.choices_of(question)]
        return [Cell(question.id, value=rng.choices(values, _skewed(len(values)))[0])]
    if isinstance(question, MultipleChoice):
        choices = [c for c in q.choices_of(question) if not c.exclusive]
        limit = min(question.max_selected or 4, len(choices), 4)
        picked = [c.value for c in rng.sample(choices, rng.randint(max(1, question.min_selected or 1), limit))]
        if question.other and rng.random() < 0.05:  # "other" counts towards max_selected like any choice
            kept = picked[: question.max_selected - 1] if question.max_selected else picked
            return [Cell(question.id, value=[*kept, OTHER], text=rng.choice(["Sport", "Chor", "Moschee", "Kita"]))]
        return [Cell(question.id, value=picked)]
    if isinstance(question, Scale):
        return [Cell(question.id, value=rng.randint(question.min, question.max))]
    if isinstance(question, Number):
        low = int(question.min if question.min is not None else 0)
        high = int(question.max if question.max is not None else 100)
        return [Cell(question.id, value=min(high, max(low, round(rng.gauss(low + 2, 1.5)))))]
    if isinstance(question, ShortText | LongText):
        pool = texts.get(question.id)
        return [Cell(question.id, text=rng.choice(pool))] if pool else []
    if isinstance(question, Consent):
        return [Cell(question.id, value=rng.random() < 0.7)]
    return []


def _skewed(n: int) -> list[float]:
    """Earlier choices a bit more likely, as with real agreement scales."""
    return [1.0 / (1 + 0.35 * i) for i in range(n)]
