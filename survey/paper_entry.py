"""Typing in paper forms collected at a workshop: one form becomes one submitted response, in one transaction.

Paper respondents skip what they like, so nothing is required; answers to questions the skip logic hides are
dropped, as a submitted online response drops them. The form number written on the sheet is unique per
workshop, so no form is counted twice.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from survey.db import serialized_writes
from survey.models import Answer, Channel, Response, ResponseStatus, Wave, Workshop
from survey.questionnaire import Questionnaire
from survey.questionnaire.answers import Cell, FieldError, is_shown, parse_page, values_of
from survey.questionnaire.paper import PaperPage, paper_form

FORM_NUMBER_FIELD = "paper_form"
CONSENT_FIELD = "consent"
MAX_FORM_NUMBER_LENGTH = 40
"""As long as ``Response.paper_form`` holds."""


class PaperEntryError(ValueError):
    """A paper form cannot be stored; ``code`` names the reason for translated messages."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class PaperForm:
    """A typed-in paper form, checked: its number, the answers to store and what is wrong with it."""

    number: str
    cells: list[Cell]
    errors: dict[str, FieldError]


def accepts_paper_forms(wave: Wave, today: date) -> bool:
    """Whether paper forms can be entered: while the wave accepts answers, even after the workshop closed.

    Closing a workshop stops phones joining the room; the sheets collected there are typed in later, often
    days after the session, and are answers given while it was open.
    """
    return wave.accepts_answers(today)


def entry_pages(questionnaire: Questionnaire) -> list[PaperPage]:
    """The numbered paper form with nothing marked required, as the typist sees it."""
    return [
        dataclasses.replace(
            page,
            questions=[
                dataclasses.replace(item, question=item.question.model_copy(update={"required": False}))
                if getattr(item.question, "required", False)
                else item
                for item in page.questions
            ],
        )
        for page in paper_form(questionnaire)
    ]


def read_paper_form(
    questionnaire: Questionnaire, form: Mapping[str, str | Sequence[str]], *, districts: Sequence[str], locale: Locale
) -> PaperForm:
    """Check a typed-in form: its number, every consent box ticked, and the answers of the pages shown.

    Pages are read in order with the answers of the pages before, like a respondent goes through them
    (``flow.shown_question_ids``), so answers on a skipped page never decide what a later page shows.
    """
    number = " ".join(_last(form, FORM_NUMBER_FIELD).split())
    errors: dict[str, FieldError] = {}
    if not number:
        errors[FORM_NUMBER_FIELD] = FieldError("form_number_missing")
    elif len(number) > MAX_FORM_NUMBER_LENGTH:
        errors[FORM_NUMBER_FIELD] = FieldError("form_number_too_long", {"max": MAX_FORM_NUMBER_LENGTH})
    if any(_last(form, f"{CONSENT_FIELD}.{s.id}") != "yes" for s in questionnaire.consent.statements):
        errors[CONSENT_FIELD] = FieldError("paper_consent")
    cells: list[Cell] = []
    values: dict[str, Any] = {}
    for page in questionnaire.pages:
        if not is_shown(page.relevant, values):
            continue
        result = parse_page(
            questionnaire, page, form, values=values, districts=districts, locale=locale, check_required=False
        )
        cells += result.cells
        errors |= result.errors
        values = values_of(cells)
    return PaperForm(number, cells, errors)


def _last(form: Mapping[str, str | Sequence[str]], name: str) -> str:
    raw = form.get(name, "")
    if not isinstance(raw, str):
        raw = raw[-1] if raw else ""
    return raw.strip()


def enter_paper_form(session: Session, workshop: Workshop, wave: Wave, paper: PaperForm, language: str) -> Response:
    """Store a checked form as a submitted paper response of the workshop, answers and all, or nothing.

    A number entered before is refused; the unique constraint on (workshop, form number) catches two
    typists entering the same sheet at once.
    """
    if paper.errors:
        raise PaperEntryError("invalid")
    if not accepts_paper_forms(wave, date.today()):
        raise PaperEntryError("wave_closed")
    response = Response(
        wave_id=wave.id,
        questionnaire_version_id=workshop.questionnaire_version_id,
        channel=Channel.paper,
        language=language,
        status=ResponseStatus.submitted,
        code_hash=secrets.token_hex(32),  # a paper form has no receipt code: a value nobody holds fills the column
        submitted_on=date.today(),
        workshop_id=workshop.id,
        paper_form=paper.number,
    )
    with serialized_writes(session):
        if _entered(session, workshop, paper.number):
            raise PaperEntryError("form_number_taken")
        try:
            session.add(response)
            session.flush()
            if paper.cells:
                rows = [dataclasses.asdict(cell) | {"response_id": response.id} for cell in paper.cells]
                session.execute(insert(Answer.__table__), rows)
            session.commit()
        except IntegrityError:
            session.rollback()
            raise PaperEntryError("form_number_taken") from None
    return response


def _entered(session: Session, workshop: Workshop, number: str) -> bool:
    query = select(Response.id).where(Response.workshop_id == workshop.id, Response.paper_form == number)
    return session.exec(query).first() is not None


def paper_forms_entered(session: Session, workshop: Workshop) -> int:
    query = select(func.count()).select_from(Response)
    return session.exec(query.where(Response.workshop_id == workshop.id, Response.channel == Channel.paper)).one()
