"""A wave's workshops and their collective statements as the plain tables of :class:`ReportInput`.

Workshops and statements are few (dozens, not the hundred thousands of answers), so three small grouped
queries suffice; counts stay raw here and are withheld by ``analysis`` like every other figure.
"""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session, func, select

from analysis.report_input import STATEMENT_COLUMNS, WORKSHOP_COLUMNS
from survey.models import Response, ResponseStatus, StatementVote, Vote, Wave, Workshop, WorkshopStatement
from survey.statement_coding import suggested_codes, wave_statements


def workshop_frame(session: Session, wave: Wave) -> pd.DataFrame:
    """The wave's workshops in the order they were held, with their submitted responses."""
    submitted = (Response.workshop_id == Workshop.id) & (Response.status == ResponseStatus.submitted)
    query = (
        select(Workshop.id, Workshop.organisation, Workshop.held_on, func.count(Response.id))
        .outerjoin(Response, submitted)
        .where(Workshop.wave_id == wave.id)
        .group_by(Workshop.id, Workshop.organisation, Workshop.held_on)
        .order_by(Workshop.held_on, Workshop.id)
    )
    rows = [(i, organisation, held_on.isoformat(), n) for i, organisation, held_on, n in session.exec(query)]
    return pd.DataFrame(rows, columns=WORKSHOP_COLUMNS)


def statement_frame(session: Session, wave: Wave) -> pd.DataFrame:
    """Every statement with its workshop, its codes (the coder's, else the machine's) and its votes.

    Votes count as in the room (:func:`survey.statements.tallies`): every vote of a response not withdrawn.
    """
    votes = _votes(session, wave)
    rows = []
    for statement, workshop in wave_statements(session, wave):
        decided = statement.codes is not None
        counts = [votes.get((statement.id, vote), 0) for vote in Vote]
        rows.append(
            (
                statement.id,
                workshop.id,
                workshop.organisation,
                workshop.held_on.isoformat(),
                statement.text,
                statement.language,
                list(statement.codes) if decided else suggested_codes(statement),
                decided,
                *counts,
                sum(counts),
            )
        )
    return pd.DataFrame(rows, columns=STATEMENT_COLUMNS)


def _votes(session: Session, wave: Wave) -> dict[tuple[int, Vote], int]:
    query = (
        select(StatementVote.statement_id, StatementVote.vote, func.count())
        .join(Response, Response.id == StatementVote.response_id)
        .join(WorkshopStatement, WorkshopStatement.id == StatementVote.statement_id)
        .join(Workshop, Workshop.id == WorkshopStatement.workshop_id)
        .where(Workshop.wave_id == wave.id, Response.status != ResponseStatus.withdrawn)
        .group_by(StatementVote.statement_id, StatementVote.vote)
    )
    return {(statement_id, Vote(vote)): n for statement_id, vote, n in session.exec(query)}
