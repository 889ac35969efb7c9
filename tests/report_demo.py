"""A small demo wave with human codes and approved quotes, so that report tests see every part filled."""

from __future__ import annotations

from sqlmodel import Session, select

from survey.coding import codable_answers, save_review
from survey.coding_form import codebook
from survey.demo.seed import DEMO_SLUG, seed_demo
from survey.models import Answer, CodingReview, Role, Wave
from survey.settings import Settings
from survey.users import add_user
from survey.waves import wave_by_slug
from tests.conftest import PASSWORD

CODED = 80
"""Answers a coder decides on; every fourth is approved for quoting."""


def coded_demo(db: Session, settings: Settings, responses: int = 150) -> Wave:
    seed_demo(db, settings, responses=responses)
    wave = wave_by_slug(db, DEMO_SLUG)
    coder = add_user(db, "report-coder@example.org", Role.coder, PASSWORD)
    book = codebook()
    leaves = [code.id for code in book.leaves()]
    answers = db.exec(codable_answers(db, wave).limit(CODED)).all()
    for index, answer in enumerate(answers):
        applicable = [code for code in leaves if book.applies(code, answer.question_id)]
        save_review(db, answer, coder, {applicable[index % 3]: None}, "")
        if index % 4 == 0:
            _approve_quote(db, answer)
    return wave


def _approve_quote(db: Session, answer: Answer) -> None:
    review = db.exec(select(CodingReview).where(CodingReview.answer_id == answer.id)).one()
    review.quotable = True
    db.add(review)
    db.commit()
