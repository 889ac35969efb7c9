"""Collective statements of a workshop: the facilitator records them, participants vote on them.

A vote belongs to the participant's response (deleted with it on withdrawal) and can be changed while the
workshop is open; the tally passes through the privacy layer like every other count, and counts only the
participants of the room's completed steps. A participant who changes a vote while the room watches still
moves a tally by one: votes on a group's own statements are less sensitive than the questionnaire's answers,
and the vote stays changeable because people change their minds in the discussion.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, func, select

from analysis.workshop_voices import shown_votes
from survey.models import Response, ResponseStatus, StatementVote, Vote, Workshop, WorkshopStatement
from survey.room_steps import counted_count, counted_responses

MAX_STATEMENT_LENGTH = 500
"""A statement is a sentence or two from a flip chart, not an essay."""


class StatementError(ValueError):
    """A statement or vote cannot be stored as asked; ``code`` names the reason for translated messages."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def statements_of(session: Session, workshop: Workshop) -> list[WorkshopStatement]:
    return list(
        session.exec(
            select(WorkshopStatement)
            .where(WorkshopStatement.workshop_id == workshop.id)
            .order_by(WorkshopStatement.position, WorkshopStatement.id)
        ).all()
    )


def add_statement(session: Session, workshop: Workshop, text: str, language: str) -> WorkshopStatement:
    text = " ".join(text.split())
    if not text:
        raise StatementError("statement_empty")
    if len(text) > MAX_STATEMENT_LENGTH:
        raise StatementError("statement_too_long")
    if language not in workshop.languages:
        raise StatementError("language_not_in_workshop")
    last = session.exec(
        select(func.max(WorkshopStatement.position)).where(WorkshopStatement.workshop_id == workshop.id)
    ).one()
    statement = WorkshopStatement(workshop_id=workshop.id, text=text, language=language, position=(last or 0) + 1)
    session.add(statement)
    session.commit()
    return statement


def remove_statement(session: Session, workshop: Workshop, statement_id: int) -> bool:
    """Delete a statement (and its votes) of this workshop; False if it has no such statement."""
    statement = session.get(WorkshopStatement, statement_id)
    if statement is None or statement.workshop_id != workshop.id:
        return False
    session.delete(statement)
    session.commit()
    return True


def votes_of(session: Session, workshop: Workshop, response_id: str) -> dict[int, Vote]:
    """One participant's votes, by statement id, to show them their own choices again."""
    rows = session.exec(
        select(StatementVote.statement_id, StatementVote.vote)
        .join(WorkshopStatement, WorkshopStatement.id == StatementVote.statement_id)
        .where(WorkshopStatement.workshop_id == workshop.id, StatementVote.response_id == response_id)
    )
    return {statement_id: Vote(vote) for statement_id, vote in rows}


def cast_votes(session: Session, workshop: Workshop, response_id: str, votes: dict[int, Vote]) -> None:
    """Replace the participant's votes on the given statements of this workshop (one transaction).

    The response must belong to the workshop and not be withdrawn; statements of other workshops are refused.
    """
    response = session.get(Response, response_id)
    if response is None or response.workshop_id != workshop.id or response.status == ResponseStatus.withdrawn:
        raise StatementError("not_a_participant")
    known = {statement.id for statement in statements_of(session, workshop)}
    if not set(votes) <= known:
        raise StatementError("unknown_statement")
    if not votes:
        return
    session.execute(
        delete(StatementVote).where(
            StatementVote.response_id == response_id, StatementVote.statement_id.in_(list(votes))
        )
    )
    session.add_all(
        StatementVote(statement_id=statement_id, response_id=response_id, vote=vote)
        for statement_id, vote in votes.items()
    )
    session.commit()


@dataclass(frozen=True)
class Tally:
    """Votes on one statement; counts are None where withheld (fewer voters than the minimum, or small counts)."""

    statement: WorkshopStatement
    voters: int | None
    counts: dict[Vote, int | None]


def tallies(session: Session, workshop: Workshop, minimum: int) -> list[Tally]:
    """Agree / disagree / pass per statement, through the privacy layer, from the participants the room's results
    count (``survey.room_steps``), so a tally does not move the moment one more person votes for the first time."""
    counted_count(session, workshop, minimum)
    rows = session.exec(
        select(StatementVote.statement_id, StatementVote.vote, func.count())
        .join(WorkshopStatement, WorkshopStatement.id == StatementVote.statement_id)
        .where(
            WorkshopStatement.workshop_id == workshop.id,
            StatementVote.response_id.in_(counted_responses(workshop)),
        )
        .group_by(StatementVote.statement_id, StatementVote.vote)
    )
    counted: dict[int, Counter[Vote]] = {}
    for statement_id, vote, n in rows:
        counted.setdefault(statement_id, Counter())[Vote(vote)] = n
    result = []
    for statement in statements_of(session, workshop):
        counts = counted.get(statement.id, Counter())
        shown = shown_votes({vote.value: counts[vote] for vote in Vote}, minimum)
        if shown is None:
            result.append(Tally(statement, None, dict.fromkeys(Vote)))
        else:
            result.append(Tally(statement, sum(counts.values()), {vote: shown[vote.value] for vote in Vote}))
    return result
