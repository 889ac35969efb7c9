"""Human coding of a wave's free-text answers: the queue, a coder's decisions, and what counts as coded.

Every coder decides per answer; choosing no code is a decision too (a ``CodingReview`` without
accepted codings). A stable, configurable share of answers is coded blind by two coders: they see
neither each other's decisions nor the machine's suggestions, so their agreement measures the
codebook and the coders, not the machine they both looked at.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, select

from analysis.reliability import Decision
from analysis.training import CodedText
from survey.models import (
    Answer,
    Coding,
    CodingReview,
    CodingStatus,
    Response,
    ResponseStatus,
    User,
    Wave,
    Workshop,
)
from survey.questionnaire import Questionnaire
from survey.report_questions import QUOTE_CONSENT, has_quote_consent
from survey.waves import questionnaire_for, questionnaire_version

HUMAN = "user"
"""``Coding.source`` of a coder's decision."""

Span = tuple[int, int] | None


def wave_questionnaires(db: Session, wave: Wave) -> list[Questionnaire]:
    """The wave's questionnaire first, then the other versions its workshops asked (the short workshop one)."""
    versions = db.exec(
        select(Workshop.questionnaire_version_id)
        .where(Workshop.wave_id == wave.id, Workshop.questionnaire_version_id != wave.questionnaire_version_id)
        .distinct()
        .order_by(Workshop.questionnaire_version_id)
    ).all()
    return [questionnaire_for(db, wave), *(questionnaire_version(db, version) for version in versions)]


def codable_questions(db: Session, wave: Wave) -> list[str]:
    """Open questions whose answers are coded (long free text; short text holds names of places and such), of
    every questionnaire the wave's responses were given: answers written in a workshop are coded like all others."""
    questions = (q for questionnaire in wave_questionnaires(db, wave) for q in questionnaire.questions())
    return list(dict.fromkeys(q.id for q in questions if q.type == "long_text"))


def in_double_sample(answer_id: int, share: float) -> bool:
    """Stable membership: raising the share only adds answers, it never swaps those already double-coded."""
    digest = hashlib.sha256(f"double-coding:{answer_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def codable_answers(db: Session, wave: Wave):
    """Query for the wave's submitted, non-empty free-text answers, in a stable order."""
    return _codable(db, wave, select(Answer))


def codable_columns(db: Session, wave: Wave, *columns):
    """The same answers as rows of ``columns`` (of Answer and Response).

    ``codable_answers(...).with_only_columns(a, b)`` would keep SQLModel's scalar select, whose results
    hold only the first column.
    """
    return _codable(db, wave, select(*columns).select_from(Answer))


def _codable(db: Session, wave: Wave, query):
    return (
        query.join(Response, Response.id == Answer.response_id)
        .where(
            Response.wave_id == wave.id,
            Response.status == ResponseStatus.submitted,
            Answer.question_id.in_(codable_questions(db, wave)),
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .order_by(Answer.id)
    )


@dataclass(frozen=True)
class Progress:
    answers: int
    done: int
    """Answers with all the reviews they need (two in the double-coding sample, else one)."""
    double_sample: int
    mine: int
    """Answers the current coder has decided on."""


def _review_counts(db: Session, wave: Wave) -> tuple[list[int], Counter[int], set[int]]:
    ids = list(db.exec(codable_answers(db, wave).with_only_columns(Answer.id)))
    counts: Counter[int] = Counter()
    for answer_id, n in db.exec(
        select(CodingReview.answer_id, func.count())
        .where(CodingReview.answer_id.in_(ids))
        .group_by(CodingReview.answer_id)
    ):
        counts[answer_id] = n
    double = {answer_id for answer_id in ids if in_double_sample(answer_id, wave.double_coding_share)}
    return ids, counts, double


def _mine(db: Session, user: User, ids: list[int]) -> set[int]:
    return set(
        db.exec(select(CodingReview.answer_id).where(CodingReview.user_id == user.id, CodingReview.answer_id.in_(ids)))
    )


def progress(db: Session, wave: Wave, user: User) -> Progress:
    ids, counts, double = _review_counts(db, wave)
    done = sum(1 for answer_id in ids if counts[answer_id] >= (2 if answer_id in double else 1))
    return Progress(len(ids), done, len(double), len(_mine(db, user, ids)))


def next_answer(db: Session, wave: Wave, user: User) -> int | None:
    """The first answer that still needs a decision and that this coder has not decided on."""
    ids, counts, double = _review_counts(db, wave)
    mine = _mine(db, user, ids)
    for answer_id in ids:
        if answer_id not in mine and counts[answer_id] < (2 if answer_id in double else 1):
            return answer_id
    return None


@dataclass(frozen=True)
class AnswerView:
    answer: Answer
    blind: bool
    suggestions: list[Coding]
    """Machine suggestions, empty when coding blind."""
    decisions: dict[str, Span]
    """The coder's own accepted codes with their segments, when revisiting the answer."""
    memo: str
    quotable: bool = False
    """This coder approved the answer for quoting."""
    quote_consent: bool | None = None
    """Whether the respondent allowed quotes; None when the questionnaire does not ask."""


def answer_in_wave(db: Session, wave: Wave, answer_id: int) -> Answer | None:
    return db.exec(codable_answers(db, wave).where(Answer.id == answer_id)).first()


def view(db: Session, wave: Wave, answer: Answer, user: User) -> AnswerView:
    blind = in_double_sample(answer.id, wave.double_coding_share)
    codings = db.exec(select(Coding).where(Coding.answer_id == answer.id).order_by(Coding.start, Coding.id)).all()
    suggestions = [] if blind else [c for c in codings if c.source != HUMAN]
    decisions = {
        c.code: _span(c.start, c.end)
        for c in codings
        if c.source == HUMAN and c.user_id == user.id and c.status == CodingStatus.accepted
    }
    review = db.exec(
        select(CodingReview).where(CodingReview.answer_id == answer.id, CodingReview.user_id == user.id)
    ).first()
    return AnswerView(
        answer,
        blind,
        suggestions,
        decisions,
        (review.memo or "") if review else "",
        quotable=review.quotable if review else False,
        quote_consent=quote_consent(db, answer),
    )


def asked_in(db: Session, answer: Answer) -> Questionnaire:
    """The questionnaire version the answer was given to (a workshop's may differ from its wave's)."""
    version = db.exec(select(Response.questionnaire_version_id).where(Response.id == answer.response_id)).one()
    return questionnaire_version(db, version)


def quote_consent(db: Session, answer: Answer) -> bool | None:
    """The respondent's answer to the quote consent question: coders approve quotes, respondents allow them."""
    if not has_quote_consent(asked_in(db, answer)):
        return None
    value = db.exec(
        select(Answer.value).where(Answer.response_id == answer.response_id, Answer.question_id == QUOTE_CONSENT)
    ).first()
    return value is True  # stored as JSON true or false


def _span(start: int | None, end: int | None) -> Span:
    return (start, end) if start is not None and end is not None else None


def save_review(
    db: Session, answer: Answer, user: User, accepted: Mapping[str, Span], memo: str, *, quotable: bool = False
) -> None:
    """Replace the coder's decisions on the answer (and their approval for quoting) in one transaction.

    Machine suggestions not accepted are recorded as this coder's rejections, so training and
    evaluation can tell "wrong" from "not looked at".
    """
    suggestions = db.exec(select(Coding).where(Coding.answer_id == answer.id, Coding.source != HUMAN)).all()
    suggested_spans = {c.code: _span(c.start, c.end) for c in suggestions}
    db.exec(delete(Coding).where(Coding.answer_id == answer.id, Coding.user_id == user.id, Coding.source == HUMAN))
    for code, span in accepted.items():
        span = span or suggested_spans.get(code)
        db.add(_decision(answer, user, code, span, CodingStatus.accepted))
    for code in suggested_spans.keys() - accepted.keys():
        db.add(_decision(answer, user, code, None, CodingStatus.rejected))
    for suggestion in suggestions:
        suggestion.status = CodingStatus.accepted if suggestion.code in accepted else CodingStatus.rejected
        db.add(suggestion)
    review = db.exec(
        select(CodingReview).where(CodingReview.answer_id == answer.id, CodingReview.user_id == user.id)
    ).first() or CodingReview(answer_id=answer.id, user_id=user.id)
    review.memo = memo.strip() or None
    review.quotable = quotable
    db.add(review)
    db.commit()


def _decision(answer: Answer, user: User, code: str, span: Span, status: CodingStatus) -> Coding:
    start, end = span or (None, None)
    return Coding(answer_id=answer.id, code=code, start=start, end=end, source=HUMAN, user_id=user.id, status=status)


def decisions(db: Session, wave: Wave) -> list[Decision]:
    """Every coder's accepted codes per reviewed answer, in review order (the first reviewer comes first)."""
    ids = codable_answers(db, wave).with_only_columns(Answer.id).scalar_subquery()
    reviews = db.exec(
        select(CodingReview.answer_id, CodingReview.user_id)
        .where(CodingReview.answer_id.in_(ids))
        .order_by(CodingReview.reviewed_at, CodingReview.id)
    ).all()
    accepted: dict[tuple[int, int], set[str]] = {}
    for answer_id, user_id, code in db.exec(
        select(Coding.answer_id, Coding.user_id, Coding.code).where(
            Coding.answer_id.in_(ids), Coding.source == HUMAN, Coding.status == CodingStatus.accepted
        )
    ):
        accepted.setdefault((answer_id, user_id), set()).add(code)
    return [
        Decision(str(answer_id), str(user_id), frozenset(accepted.get((answer_id, user_id), ())))
        for answer_id, user_id in reviews
    ]


def final_codes(reviews: Iterable[Decision]) -> Iterator[tuple[str, frozenset[str]]]:
    """Per reviewed answer, the codes at least half of its coders accepted: what reports count."""
    by_unit: dict[str, list[frozenset[str]]] = {}
    for decision in reviews:
        by_unit.setdefault(decision.unit, []).append(decision.codes)
    for unit, sets in by_unit.items():
        votes = Counter(code for codes in sets for code in codes)
        yield unit, frozenset(code for code, n in votes.items() if 2 * n >= len(sets))


def double_coded(reviews: Iterable[Decision]) -> list[Decision]:
    """The decisions on answers that at least two coders decided on: what agreement is measured on."""
    reviews = list(reviews)
    coders = Counter(decision.unit for decision in reviews)
    return [decision for decision in reviews if coders[decision.unit] >= 2]


def set_double_coding_share(db: Session, wave: Wave, percent: str) -> str | None:
    """Set the share from a percentage typed by a person ("20", "12,5"); returns an error code or None."""
    try:
        value = float(percent.strip().removesuffix("%").strip().replace(",", "."))
    except ValueError:
        return "share_invalid"
    if not 0 <= value <= 100:  # also refuses nan
        return "share_invalid"
    wave.double_coding_share = value / 100
    db.add(wave)
    db.commit()
    return None


def coded_texts(db: Session, wave: Wave) -> list[CodedText]:
    """The wave's reviewed answers with their final codes: the training data for a wave's own model."""
    final = dict(final_codes(decisions(db, wave)))
    rows = db.execute(
        codable_columns(db, wave, Answer.id, Answer.text, Answer.language, Response.language, Answer.question_id)
    ).all()
    return [
        CodedText(text, text_language or survey_language, question, final[str(answer_id)])
        for answer_id, text, text_language, survey_language, question in rows
        if str(answer_id) in final
    ]
