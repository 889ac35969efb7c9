"""A workshop's own results for the room: its closed questions, the votes on its collective statements, and the
word clouds of its free texts.

Everything passes through ``analysis.privacy`` like the report does, over the participants of the room's
completed steps (``survey.room_steps``): nothing is shown before the first step of the wave's minimum number of
participants, and counts under the minimum are withheld (with the secondary suppression that keeps them from
being worked out from a question's total). Statements are the group's own text and always listed; their votes
follow the same rule per statement (``survey.statements``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from sqlmodel import Session, select

from analysis.privacy import suppress_counts
from analysis.report_input import ClosedQuestion
from survey.i18n import translator
from survey.models import Answer, Wave, Workshop
from survey.report_questions import closed_questions
from survey.room_steps import counted_count, counted_responses, participant_count
from survey.settings import get_settings
from survey.statements import Tally, tallies
from survey.waves import questionnaire_version
from survey.workshop_clouds import RoomCloud, room_clouds


def workshop_results(session: Session, workshop: Workshop, language: str) -> dict[str, Any]:
    """Counts per option of every closed question, labelled in ``language``, the votes per statement and the
    clouds' words; questions, options and votes under the wave's minimum carry ``suppressed`` and no number."""
    wave = session.get(Wave, workshop.wave_id)
    participants = participant_count(session, workshop)
    counted = counted_count(session, workshop, wave.min_cell_size)
    shown = counted >= wave.min_cell_size
    questions = []
    if shown:
        lines: defaultdict[tuple[str, str], list[tuple[str, Any]]] = defaultdict(list)
        query = select(Answer.response_id, Answer.question_id, Answer.item, Answer.value).where(
            Answer.response_id.in_(counted_responses(workshop)), Answer.value.is_not(None)
        )
        for response, question_id, item, value in session.exec(query):
            lines[question_id, item].append((response, value))
        questionnaire = questionnaire_version(session, workshop.questionnaire_version_id)
        for question in closed_questions(questionnaire, translator(get_settings().locales_dir, language)):
            for item, label in question.items or [("", "")]:
                questions.append(_line(question, item, label, lines[question.id, item], wave.min_cell_size))
    results = {
        "workshop": workshop.join_code,
        "title": workshop.title,
        "organisation": workshop.organisation,
        "status": workshop.status.value,
        "language": language,
        "participants": participants,
        "counted": counted,
        "minimum": wave.min_cell_size,
        "shown": shown,
        "questions": questions,
        "statements": [_statement(tally) for tally in tallies(session, workshop, wave.min_cell_size)],
        "clouds": [_cloud(cloud) for cloud in room_clouds(session, workshop, wave.min_cell_size)] if shown else [],
    }
    return results | {"version": _version(results)}


def _version(results: dict[str, Any]) -> str:
    """Changes whenever anything shown changes, so the live screen redraws only then (and never misses a change)."""
    return hashlib.sha256(json.dumps(results, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _statement(tally: Tally) -> dict:
    return {
        "id": tally.statement.id,
        "text": tally.statement.text,
        "language": tally.statement.language,
        "voters": tally.voters,
        "suppressed": tally.voters is None,
        "votes": [
            {"vote": vote.value, "count": count, "suppressed": count is None} for vote, count in tally.counts.items()
        ],
    }


def _cloud(cloud: RoomCloud) -> dict:
    """What the live screen needs to show a cloud: its most frequent words and the version of its picture."""
    return {"language": cloud.language, "version": cloud.key.version, "words": cloud.words, "drawable": cloud.drawable}


def _line(question: ClosedQuestion, item: str, label: str, answers: list[tuple[str, Any]], minimum: int) -> dict:
    """One question (or matrix line): n respondents and a count per option, withheld under the minimum."""
    counts = dict.fromkeys((value for value, _ in question.options), 0)
    for _, value in answers:
        for chosen in value if isinstance(value, list) else [value]:
            if str(chosen) in counts:
                counts[str(chosen)] += 1
    n = len({response for response, _ in answers})
    too_few = n < minimum
    withheld = suppress_counts(counts, minimum, n, partition=question.kind != "multiple_choice")
    return {
        "id": f"{question.id}.{item}" if item else question.id,
        "label": f"{question.label} – {label}" if item else question.label,
        "kind": question.kind,
        "n": None if too_few else n,
        "suppressed": too_few,
        "options": [
            {
                "value": value,
                "label": option_label,
                "count": None if too_few or value in withheld else counts[value],
                "suppressed": too_few or value in withheld,
            }
            for value, option_label in question.options
        ],
    }
