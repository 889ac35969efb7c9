"""A wave's workshop with participants' free texts, collective statements and votes, for coding and report tests."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import Session

from survey.models import (
    Answer,
    Channel,
    Response,
    ResponseStatus,
    StatementVote,
    Vote,
    Wave,
    Workshop,
    WorkshopStatement,
)
from survey.workshops import create_workshop

HELD_ON = date(2025, 5, 20)
CONCERN = "Bei der Wohnungssuche werden wir wegen unserer Herkunft abgelehnt."
HOUSING_STATEMENT = "Wir brauchen bezahlbare Wohnungen und Hilfe bei der Wohnungssuche."


def workshop(db: Session, wave: Wave, organisation: str = "Verein Brücke", held_on: date = HELD_ON) -> Workshop:
    """A workshop that asked the short workshop questionnaire."""
    return create_workshop(
        db, wave=wave, organisation=organisation, title="Abendrunde", held_on=held_on, languages=["de"]
    )


def participant(
    db: Session,
    wave: Wave,
    held: Workshop,
    texts: dict[str, str] | None = None,
    status: ResponseStatus = ResponseStatus.submitted,
) -> Response:
    """A response given in the workshop, with free texts by question id."""
    response = Response(
        wave_id=wave.id,
        questionnaire_version_id=held.questionnaire_version_id,
        channel=Channel.workshop,
        language="de",
        status=status,
        code_hash=uuid.uuid4().hex,
        workshop_id=held.id,
        submitted_on=HELD_ON if status == ResponseStatus.submitted else None,
    )
    db.add(response)
    db.flush()
    db.add_all(Answer(response_id=response.id, question_id=q, text=text) for q, text in (texts or {}).items())
    db.commit()
    return response


def statement(
    db: Session, wave: Wave, held: Workshop, text: str, votes: list[Vote] = (), **columns: object
) -> WorkshopStatement:
    """A statement with one vote from each of ``votes``' new participants."""
    row = WorkshopStatement(workshop_id=held.id, text=text, language="de", **columns)
    db.add(row)
    db.commit()
    for vote in votes:
        voter = participant(db, wave, held)
        db.add(StatementVote(statement_id=row.id, response_id=voter.id, vote=vote))
    db.commit()
    return row
