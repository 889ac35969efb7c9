"""The questionnaire as the report needs it: which questions it counts, with labels in the report language.

Labels come through the same gettext catalogs residents see, so the report quotes the questions as they
were asked; "Prefer not to say" and "Other" are interface strings and come from the messages catalog.
"""

from __future__ import annotations

from analysis.report_input import ClosedQuestion
from survey.i18n import Translator
from survey.questionnaire.schema import (
    NO_ANSWER,
    OTHER,
    District,
    LongText,
    Matrix,
    MultipleChoice,
    Questionnaire,
    Scale,
    SingleChoice,
)

GROUPS = ("age_group", "gender", "years_in_germany", "migration_experience")
"""Questions whose answers the report breaks code counts down by, when a questionnaire has them."""
QUOTE_CONSENT = "quote_consent"
"""The consent question by which respondents allow their free text to be quoted."""

Counted = SingleChoice | MultipleChoice | Scale | Matrix


def closed_questions(questionnaire: Questionnaire, t: Translator) -> list[ClosedQuestion]:
    """Single and multiple choice, scale and matrix questions, in questionnaire order."""
    return [_closed(questionnaire, q, t) for q in questionnaire.questions() if isinstance(q, Counted)]


def _closed(questionnaire: Questionnaire, question: Counted, t: Translator) -> ClosedQuestion:
    if isinstance(question, Scale):
        options = [(str(n), _scale_label(question, n, t)) for n in range(question.min, question.max + 1)]
    else:
        options = [(c.value, t.content_text(c.text)) for c in questionnaire.choices_of(question)]
    if getattr(question, "other", False):
        options.append((OTHER, t.gettext("Other")))
    if question.no_answer:
        options.append((NO_ANSWER, t.gettext("Prefer not to say")))
    items = [(i.id, t.content_text(i.text)) for i in question.items] if isinstance(question, Matrix) else []
    return ClosedQuestion(question.id, t.content_text(question.text), question.type, options, items)


def _scale_label(question: Scale, point: int, t: Translator) -> str:
    """End points carry their words ("1 – not welcome at all"), points between are numbers."""
    ends = {question.min: question.min_label, question.max: question.max_label}
    return f"{point} – {t.content_text(ends[point])}" if point in ends else str(point)


def text_questions(questionnaire: Questionnaire, t: Translator) -> dict[str, str]:
    """The free-text questions that are coded (long text), id → label."""
    return {q.id: t.content_text(q.text) for q in questionnaire.questions() if isinstance(q, LongText)}


def district_question(questionnaire: Questionnaire) -> str | None:
    return next((q.id for q in questionnaire.questions() if isinstance(q, District)), None)


def group_questions(questionnaire: Questionnaire) -> list[str]:
    present = {q.id for q in questionnaire.questions()}
    return [group for group in GROUPS if group in present]


def has_quote_consent(questionnaire: Questionnaire) -> bool:
    return any(q.id == QUOTE_CONSENT and q.type == "consent" for q in questionnaire.questions())
