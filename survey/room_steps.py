"""Which participants a workshop's room results count: all who submitted, in steps of at least the minimum.

The live screen is watched while people submit. If its numbers moved with every submission, the room could
read one person's answers off the change (the person who just put their phone away). So the results count a
fixed set of responses, and only once at least the wave's minimum of new submissions have arrived are they all
added at once, as the next step. Participants of an unfinished step are counted in the city's report, not on
the screen or in the workshop's summary.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, func, select

from survey.db import serialized_writes
from survey.models import Response, ResponseStatus, Workshop


def submitted_responses(workshop: Workshop):
    """Query for the ids of the workshop's submitted responses: its participants."""
    return select(Response.id).where(Response.workshop_id == workshop.id, Response.status == ResponseStatus.submitted)


def counted_responses(workshop: Workshop):
    """Query for the ids of the submitted responses the room's results count (those of completed steps)."""
    return submitted_responses(workshop).where(Response.room_step.is_not(None))


def _count(session: Session, query) -> int:
    return session.exec(select(func.count()).select_from(query.subquery())).one()


def participant_count(session: Session, workshop: Workshop) -> int:
    return _count(session, submitted_responses(workshop))


def counted_count(session: Session, workshop: Workshop, minimum: int) -> int:
    """Complete the next step if at least ``minimum`` submissions wait for one; returns how many are counted.

    Taking a step locks the workshop's row (PostgreSQL; SQLite has one writer anyway) and counts again, so two
    screens asking at once take one step, never a second one of fewer than the minimum.
    """
    waiting = submitted_responses(workshop).where(Response.room_step.is_(None))
    if _count(session, waiting) >= minimum:
        with serialized_writes(session):
            session.exec(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update()).one()
            if _count(session, waiting) >= minimum:
                last = select(func.max(Response.room_step)).where(Response.workshop_id == workshop.id)
                step = (session.exec(last).one() or 0) + 1
                session.execute(update(Response).where(Response.id.in_(waiting)).values(room_step=step))
            session.commit()
    return _count(session, counted_responses(workshop))
