"""The response service under concurrent writes: two tabs or a double click never duplicate or lose answers."""

from __future__ import annotations

import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from survey import responses
from survey.models import Answer, Response, ResponseStatus, Wave
from survey.questionnaire.answers import Cell
from survey.waves import questionnaire_for

ATTACHMENT = [Cell("attachment", item, "close") for item in ("district", "city", "germany", "europe")]


def _parallel(engine: Engine, work, times: int = 8) -> list[object]:
    """Run ``work(session)`` in several threads at once, each with its own session."""
    barrier = threading.Barrier(times)
    results: list[object] = []

    def run() -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait(timeout=30)
            results.append(work(session))

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == times, "a writer failed or hung"
    return results


def test_concurrent_saves_of_one_page_keep_one_answer_per_cell(engine: Engine, db: Session, wave: Wave) -> None:
    response = responses.start(db, wave, "de").response

    def save(session: Session) -> bool:
        return responses.save_page(session, response.id, 0, ["attachment"], ATTACHMENT, completed=True)

    assert all(_parallel(engine, save))
    rows = db.exec(select(Answer).where(Answer.response_id == response.id)).all()
    assert sorted(row.item for row in rows) == ["city", "district", "europe", "germany"]


def test_concurrent_submits_finish_once(engine: Engine, db: Session, wave: Wave) -> None:
    questionnaire = questionnaire_for(db, wave)
    response = responses.start(db, wave, "de").response
    answers = [*ATTACHMENT, Cell("discrimination_any", value="no"), Cell("district", value="Hafen")]
    assert responses.save_page(
        db, response.id, 0, ["attachment", "discrimination_any", "district"], answers, completed=True
    )

    outcomes = _parallel(engine, lambda session: responses.submit(session, response.id, questionnaire))
    assert sum(outcome.submitted for outcome in outcomes) == 1
    assert all(outcome.submitted or outcome.already_done for outcome in outcomes)
    db.expire_all()
    assert db.get(Response, response.id).status == ResponseStatus.submitted
    assert len(db.exec(select(Answer).where(Answer.response_id == response.id)).all()) == len(answers)


def test_a_submitted_response_cannot_be_changed(db: Session, wave: Wave) -> None:
    questionnaire = questionnaire_for(db, wave)
    response = responses.start(db, wave, "de").response
    responses.save_page(
        db,
        response.id,
        0,
        ["attachment", "discrimination_any"],
        [*ATTACHMENT, Cell("discrimination_any", value="no")],
        completed=True,
    )
    assert responses.submit(db, response.id, questionnaire).submitted
    changed = [Cell("attachment", "city", "not_close_at_all")]
    assert not responses.save_page(db, response.id, 0, ["attachment"], changed, completed=True)
    city = db.exec(select(Answer).where(Answer.response_id == response.id, Answer.item == "city")).one()
    assert city.value == "close"
