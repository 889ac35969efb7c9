"""Machine suggestions for a wave's free-text answers, stored for the coders to accept or reject.

Answers are read and written in batches of ids, so memory stays flat however large the wave grows.
Answers a coder has already decided on keep their suggestions: humans are the reference, and a new
model must not rewrite what they saw.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from analysis.coding import Coder
from survey.coding import HUMAN, codable_columns
from survey.db import serialized_writes
from survey.models import Answer, Coding, CodingReview, CodingStatus, Response, Wave

BATCH = 2_000


def suggest_wave(engine: Engine, wave: Wave, coder: Coder, progress: Callable[[int], None] | None = None) -> int:
    """Code every undecided answer of the wave again; returns how many suggestions were stored."""
    stored = 0
    last_id = 0
    while True:
        with Session(engine) as db:
            batch = db.execute(
                codable_columns(db, wave, Answer.id, Answer.text, Answer.question_id, Response.language)
                .where(Answer.id > last_id, ~Answer.id.in_(select(CodingReview.answer_id)))
                .limit(BATCH)
            ).all()
            if not batch:
                return stored
            last_id = batch[-1][0]
            ids = [row[0] for row in batch]
            coded = coder.code([row[1] for row in batch], [row[3] for row in batch], [row[2] for row in batch])
            with serialized_writes(db):
                db.exec(delete(Coding).where(Coding.answer_id.in_(ids), Coding.source != HUMAN))
                for answer_id, answer in zip(ids, coded, strict=True):
                    db.exec(update(Answer).where(Answer.id == answer_id).values(language=answer.language))
                    for s in answer.suggestions:
                        evidence = s.evidence
                        db.add(
                            Coding(
                                answer_id=answer_id,
                                code=s.code,
                                start=evidence.start if evidence else None,
                                end=evidence.end if evidence else None,
                                source=s.source,
                                confidence=s.confidence,
                                status=CodingStatus.suggested,
                            )
                        )
                        stored += 1
                db.commit()
        if progress:
            progress(len(batch))
