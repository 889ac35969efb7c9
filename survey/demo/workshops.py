"""Demo workshops of the demo organisation: one still open to join, one closed with its results to take home."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlmodel import Session

from survey.demo.synthetic import fill
from survey.models import Answer, Channel, Response, ResponseStatus, StatementVote, Vote, Wave, Workshop
from survey.questionnaire.answers import values_of
from survey.questionnaire.flow import shown_question_ids
from survey.security import hash_receipt_code, new_receipt_code
from survey.settings import Settings
from survey.statements import add_statement
from survey.waves import questionnaire_version
from survey.workshops import close_workshop, create_workshop

ORGANISATION = "Demo-Verein"
TEXT_POOLS = {  # workshop question id → category in texts.yaml
    "community_concerns": "belonging_situation_negative",
    "what_works_well": "belonging_situation_positive",
    "city_wishes": "city_wishes",
}
WORKSHOPS = [
    # title, days from today, languages, participants, open, statements (language, text)
    (
        "Frauencafé im Nordviertel",
        0,
        ["de", "tr", "ar"],
        28,
        True,
        [
            ("de", "Wir wünschen uns Sprachkurse mit Kinderbetreuung am Vormittag."),
            ("de", "Das Frauencafé ist ein Ort, an dem wir uns zu Hause fühlen."),
        ],
    ),
    (
        "Elternabend der Initiative Hafen",
        -14,
        ["de", "ru", "uk"],
        23,
        False,
        [
            ("de", "Termine beim Amt sind für Eltern mit Arbeit kaum zu bekommen."),
            ("de", "Die Hausaufgabenhilfe im Stadtteilzentrum hilft unseren Kindern sehr."),
            ("ru", "Нам нужна информация о школах на понятном языке."),
        ],
    ),
]


def seed_workshops(session: Session, settings: Settings, wave: Wave, texts: dict, rng: random.Random) -> list[Workshop]:
    """Workshops with participants who answered the workshop questionnaire and voted on the group's statements."""
    created = []
    for title, days, languages, participants, still_open, statements in WORKSHOPS:
        held_on = date.today() + timedelta(days=days)
        workshop = create_workshop(
            session,
            wave=wave,
            organisation=ORGANISATION,
            title=title,
            held_on=held_on,
            languages=[code for code in languages if code in wave.languages],
            questionnaires_dir=settings.questionnaires_dir,
        )
        questionnaire = questionnaire_version(session, workshop.questionnaire_version_id)
        added = [add_statement(session, workshop, text, language) for language, text in statements]
        for _ in range(participants):
            language = rng.choice(workshop.languages)
            pools = {qid: texts[category][language] for qid, category in TEXT_POOLS.items()}
            cells = fill(questionnaire, rng, districts=wave.districts, texts=pools)
            keep = shown_question_ids(questionnaire, values_of(cells))
            response = Response(
                wave_id=wave.id,
                questionnaire_version_id=workshop.questionnaire_version_id,
                channel=Channel.workshop,
                workshop_id=workshop.id,
                language=language,
                status=ResponseStatus.submitted,
                code_hash=hash_receipt_code(new_receipt_code()),
                page_reached=len(questionnaire.pages) - 1,
                started_on=held_on,
                updated_on=held_on,
                submitted_on=held_on,
            )
            session.add(response)
            session.flush()
            session.add_all(
                Answer(response_id=response.id, question_id=c.question_id, item=c.item, value=c.value, text=c.text)
                for c in cells
                if c.question_id in keep
            )
            session.add_all(
                StatementVote(
                    statement_id=statement.id,
                    response_id=response.id,
                    vote=rng.choices(list(Vote), [0.7, 0.2, 0.1])[0],
                )
                for statement in added
            )
        session.commit()
        if not still_open:
            close_workshop(session, workshop)
        created.append(workshop)
    return created
