"""A respondent's way through a wave: start, save page by page, submit, resume, withdraw.

Every write first claims the response row with an UPDATE guarded by its status. That takes the row
lock (PostgreSQL) or the write lock (SQLite) before anything else, so a double submit or two tabs
never interleave, and a finished response cannot be changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, case, delete, insert, select, update
from sqlmodel import Session
from sqlmodel import select as select_model

from survey.db import serialized_writes
from survey.models import Answer, Channel, Response, ResponseStatus, Wave, Workshop
from survey.questionnaire import Questionnaire
from survey.questionnaire.answers import Cell, values_of
from survey.questionnaire.flow import first_missing, shown_question_ids
from survey.security import hash_receipt_code, new_receipt_code

# The hot path's statements are built once, against the tables: building statements and the ORM's
# bulk machinery cost more than the SQL itself on a page submission.
RESPONSES = Response.__table__
ANSWERS = Answer.__table__
_IN_PROGRESS = (RESPONSES.c.id == bindparam("response_id")) & (RESPONSES.c.status == ResponseStatus.in_progress)
_CLAIM = update(RESPONSES).where(_IN_PROGRESS).values(updated_on=bindparam("today"))
_CLAIM_PAGE = _CLAIM.values(
    page_reached=case(
        (RESPONSES.c.page_reached < bindparam("page_index"), bindparam("page_index")),
        else_=RESPONSES.c.page_reached,
    )
)
_CELLS = (
    select(ANSWERS.c.question_id, ANSWERS.c.item, ANSWERS.c.value, ANSWERS.c.text)
    .where(ANSWERS.c.response_id == bindparam("response_id"))
    .order_by(ANSWERS.c.id)
)
_CLEAR_QUESTIONS = delete(ANSWERS).where(
    ANSWERS.c.response_id == bindparam("response_id"),
    ANSWERS.c.question_id.in_(bindparam("question_ids", expanding=True)),
)


@dataclass(frozen=True)
class Started:
    response: Response
    receipt_code: str


def start(session: Session, wave: Wave, language: str, workshop: Workshop | None = None) -> Started:
    """A new response online, or in a workshop with the workshop's own questionnaire version."""
    code = new_receipt_code()
    response = Response(
        wave_id=wave.id,
        questionnaire_version_id=workshop.questionnaire_version_id if workshop else wave.questionnaire_version_id,
        channel=Channel.workshop if workshop else Channel.online,
        workshop_id=workshop.id if workshop else None,
        language=language,
        code_hash=hash_receipt_code(code),
    )
    with serialized_writes(session):
        session.add(response)
        session.commit()
    return Started(response=response, receipt_code=code)


def get(session: Session, response_id: str) -> Response | None:
    return session.get(Response, response_id)


def by_code(session: Session, wave: Wave, code: str) -> Response | None:
    return session.exec(
        select_model(Response).where(Response.wave_id == wave.id, Response.code_hash == hash_receipt_code(code))
    ).first()


def cells_of(session: Session, response_id: str) -> list[Cell]:
    return [Cell(*row) for row in session.execute(_CELLS, {"response_id": response_id})]


def _claim(session: Session, response_id: str, page_index: int | None = None) -> bool:
    params = {"response_id": response_id, "today": date.today(), "page_index": page_index}
    result = session.execute(_CLAIM if page_index is None else _CLAIM_PAGE, params)
    return result.rowcount == 1


def _insert(session: Session, response_id: str, cells: Sequence[Cell]) -> None:
    if cells:
        session.execute(
            insert(ANSWERS),
            [
                {
                    "response_id": response_id,
                    "question_id": c.question_id,
                    "item": c.item,
                    "value": c.value,
                    "text": c.text,
                }
                for c in cells
            ],
        )


def save_page(
    session: Session,
    response_id: str,
    page_index: int,
    question_ids: Sequence[str],
    cells: Sequence[Cell],
    *,
    completed: bool,
) -> bool:
    """Replace the answers to one page's questions; False if the response is no longer in progress.

    Only a completed page (checked, "next") moves the resume point on; going back or saving for later
    keeps the answers without claiming the page is done.
    """
    with serialized_writes(session):
        if not _claim(session, response_id, page_index if completed else None):
            session.rollback()
            return False
        session.execute(_CLEAR_QUESTIONS, {"response_id": response_id, "question_ids": list(question_ids)})
        _insert(session, response_id, cells)
        session.commit()
    return True


@dataclass(frozen=True)
class SubmitOutcome:
    submitted: bool
    already_done: bool = False
    missing_page: int | None = None


def submit(session: Session, response_id: str, questionnaire: Questionnaire) -> SubmitOutcome:
    """Finish a response: required answers present, answers to skipped questions dropped. Idempotent."""
    with serialized_writes(session):
        if not _claim(session, response_id):
            session.rollback()
            return SubmitOutcome(submitted=False, already_done=True)
        values = values_of(cells_of(session, response_id))
        missing = first_missing(questionnaire, values)
        if missing is not None:
            session.rollback()
            return SubmitOutcome(submitted=False, missing_page=missing)
        keep = shown_question_ids(questionnaire, values)
        session.execute(delete(ANSWERS).where(ANSWERS.c.response_id == response_id, ANSWERS.c.question_id.not_in(keep)))
        session.execute(
            update(RESPONSES)
            .where(RESPONSES.c.id == response_id)
            .values(status=ResponseStatus.submitted, submitted_on=date.today())
        )
        session.commit()
    return SubmitOutcome(submitted=True)


def withdraw(session: Session, response: Response) -> None:
    """Withdrawal deletes every answer; only the fact that something was withdrawn remains."""
    with serialized_writes(session):
        session.execute(delete(ANSWERS).where(ANSWERS.c.response_id == response.id))
        session.execute(
            update(RESPONSES)
            .where(RESPONSES.c.id == response.id)
            .values(status=ResponseStatus.withdrawn, updated_on=date.today())
        )
        session.commit()
