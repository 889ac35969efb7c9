"""What the JSON API answers, as typed records (they make the OpenAPI schema), and how each is made.

Every figure about people is taken from the report :class:`Section`, which has passed the privacy layer
(small cells suppressed, quotes approved, consented to and masked); nothing here counts answers itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel import Session, select

from analysis.report_model import ClosedResult, CodeCount, CoOccurrence, Quote, Section
from survey.coding import wave_questionnaires
from survey.i18n import Translator
from survey.models import Wave
from survey.questionnaire.schema import District, ShortText
from survey.report_questions import closed_questions, text_questions
from survey.waves import status_counts


@dataclass
class WaveOut:
    slug: str
    title: str
    opens_on: date | None
    closes_on: date | None
    is_open: bool
    districts: list[str]
    languages: list[str]
    min_cell_size: int
    respondents: int
    """Submitted responses."""


def waves(db: Session) -> list[WaveOut]:
    counts = status_counts(db)
    return [
        WaveOut(
            wave.slug,
            wave.title,
            wave.opens_on,
            wave.closes_on,
            wave.is_open,
            list(wave.districts),
            list(wave.languages),
            wave.min_cell_size,
            counts.get(wave.id, {}).get("submitted", 0),
        )
        for wave in db.exec(select(Wave).order_by(Wave.created_at.desc(), Wave.id.desc())).all()
    ]


@dataclass
class Option:
    value: str
    label: str


@dataclass
class QuestionOut:
    id: str
    kind: Literal["closed", "free_text"]
    type: str
    label: str
    options: list[Option]
    """Answer options in questionnaire order, "Other" and "Prefer not to say" (``_na``) included."""
    items: list[Option]
    """Matrix lines; empty for other types."""
    coded: bool
    """Free text that coders code (long text); short text holds names of places and such."""


@dataclass
class QuestionsOut:
    wave: str
    language: str
    questions: list[QuestionOut]


def questions(db: Session, wave: Wave, t: Translator) -> QuestionsOut:
    """Closed and free-text questions with labels as the report writes them (so they match ``/results``)."""
    questionnaire, *others = wave_questionnaires(db, wave)
    closed = {q.id: q for q in closed_questions(questionnaire, t)}
    coded = text_questions(questionnaire, t)
    found = []
    for question in questionnaire.questions():
        if question.id in closed:
            q = closed[question.id]
            options = [Option(value, label) for value, label in q.options]
            items = [Option(value, label) for value, label in q.items]
            found.append(QuestionOut(q.id, "closed", q.kind, q.label, options, items, False))
        elif isinstance(question, District):
            options = [Option(district, district) for district in wave.districts]
            found.append(
                QuestionOut(question.id, "closed", question.type, t.content_text(question.text), options, [], False)
            )
        elif question.id in coded or isinstance(question, ShortText):
            label = coded.get(question.id) or t.content_text(question.text)
            found.append(QuestionOut(question.id, "free_text", question.type, label, [], [], question.id in coded))
    listed = {question.id for question in found}
    for other in others:  # free texts only workshops asked are coded and reported too
        for question_id, label in text_questions(other, t).items():
            if question_id not in listed:
                listed.add(question_id)
                found.append(QuestionOut(question_id, "free_text", "long_text", label, [], [], True))
    return QuestionsOut(wave.slug, t.language.code, found)


@dataclass
class SectionHead:
    """What every answer built from the report section says about it."""

    wave: str
    language: str
    weighted: bool
    weighting: str | None
    respondents: int
    min_cell_size: int
    districts: list[str]
    suppressed_districts: list[str]
    previous_wave: str | None


def _head(section: Section) -> SectionHead:
    return SectionHead(
        section.wave,
        section.language,
        section.weighting is not None,
        section.weighting,
        section.respondents,
        section.min_cell_size,
        section.districts,
        section.suppressed_districts,
        section.previous_wave,
    )


@dataclass
class FieldResults:
    field: str
    title: str
    questions: list[ClosedResult]


@dataclass
class ResultsOut:
    section: SectionHead
    fields: list[FieldResults]


def results(section: Section) -> ResultsOut:
    fields = [FieldResults(f.id, f.title, f.closed) for f in section.fields if f.closed]
    return ResultsOut(_head(section), fields)


@dataclass
class FieldCodes:
    field: str
    title: str
    strengths: list[CodeCount]
    barriers: list[CodeCount]
    co_occurrences: list[CoOccurrence]


@dataclass
class CodesOut:
    section: SectionHead
    fields: list[FieldCodes]


def codes(section: Section) -> CodesOut:
    fields = [
        FieldCodes(f.id, f.title, f.strengths, f.barriers, f.co_occurrences)
        for f in section.fields
        if f.strengths or f.barriers
    ]
    return CodesOut(_head(section), fields)


@dataclass
class FieldQuotes:
    field: str
    title: str
    quotes: list[Quote]


@dataclass
class QuotesOut:
    section: SectionHead
    fields: list[FieldQuotes]


def quotes(section: Section) -> QuotesOut:
    return QuotesOut(_head(section), [FieldQuotes(f.id, f.title, f.quotes) for f in section.fields if f.quotes])
