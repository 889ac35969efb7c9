"""``stimmen serve --demo``: users, an open wave in ten districts, ~500 synthetic responses, two workshops of the
demo organisation and a synthetic indicator table (``indicators.csv``)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import yaml
from rich.progress import track
from sqlmodel import Session, select

from analysis.indicators import read_indicators
from survey.demo.synthetic import fill
from survey.demo.workshops import seed_workshops
from survey.i18n import available_languages
from survey.indicators import import_indicators
from survey.models import Answer, Channel, Response, ResponseStatus, Role, Wave
from survey.questionnaire.answers import Cell, values_of
from survey.questionnaire.flow import shown_question_ids
from survey.security import hash_receipt_code, new_receipt_code
from survey.settings import Settings
from survey.users import add_user
from survey.waves import create_wave, questionnaire_for

HERE = Path(__file__).resolve().parent
DEMO_SLUG = "demo"
DISTRICTS = [
    "Altstadt",
    "Nordviertel",
    "Südstadt",
    "Hafen",
    "Lindenau",
    "Bergheim",
    "Westend",
    "Oststadt",
    "Am See",
    "Feldmark",
]
SMALL_DISTRICT = "Feldmark"
"""Gets fewer than five respondents, so every aggregate must suppress it."""
# Language of a respondent's free text (also the survey language where the wave offers it).
TEXT_LANGUAGES = {"de": 0.52, "en": 0.08, "tr": 0.11, "ar": 0.09, "fa": 0.05, "ru": 0.08, "uk": 0.07}
TEXT_POOLS = {  # question id → category in texts.yaml
    "belonging_situation_positive": "belonging_situation_positive",
    "belonging_situation_negative": "belonging_situation_negative",
    "discrimination_experience": "discrimination_experience",
    "city_wishes": "city_wishes",
}
LOGINS = [
    ("admin@demo.stimmen.example", Role.admin, "demo-admin-2026"),
    ("coder@demo.stimmen.example", Role.coder, "demo-coder-2026"),
    ("author@demo.stimmen.example", Role.author, "demo-author-2026"),
    ("facilitator@demo.stimmen.example", Role.facilitator, "demo-facilitator-2026"),
]


def seed_demo(
    session: Session, settings: Settings, *, responses: int = 500, progress: bool = False, seed: int = 2026
) -> list[tuple[str, str, str]]:
    """Fill an empty database; returns the demo logins, or nothing if the database already has waves."""
    if session.exec(select(Wave)).first() is not None:
        return []
    for email, role, password in LOGINS:
        add_user(session, email, role, password, "Demo-Verein" if role == Role.facilitator else None)
    languages = list(available_languages(settings.locales_dir))
    wave = create_wave(
        session,
        questionnaire_path=settings.questionnaires_dir / "belonging-discrimination.yaml",
        slug=DEMO_SLUG,
        title="Zusammenleben in unserer Stadt 2026 (Demo)",
        districts=DISTRICTS,
        languages=languages,
        opens_on=date.today() - timedelta(days=60),
        closes_on=date.today() + timedelta(days=60),
        is_open=True,
    )
    questionnaire = questionnaire_for(session, wave)
    texts = yaml.safe_load((HERE / "texts.yaml").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    weights = [0.0 if d == SMALL_DISTRICT else 1.0 + rng.random() for d in DISTRICTS]
    small_left = 3
    new_responses: list[Response] = []
    new_answers: list[Answer] = []
    rows = range(responses)
    for number in track(rows, description="Seeding demo responses") if progress else rows:
        text_language = rng.choices(list(TEXT_LANGUAGES), list(TEXT_LANGUAGES.values()))[0]
        pools = {qid: texts[category][text_language] for qid, category in TEXT_POOLS.items()}
        cells = fill(questionnaire, rng, districts=DISTRICTS, district_weights=weights, texts=pools)
        submitted = rng.random() < 0.94
        if small_left and number % 97 == 0:
            small_left -= 1
            cells = [c for c in cells if c.question_id != "district"] + [Cell("district", value=SMALL_DISTRICT)]
            submitted = True
        keep = shown_question_ids(questionnaire, values_of(cells))
        day = date.today() - timedelta(days=rng.randint(0, 55))
        response = Response(
            wave_id=wave.id,
            questionnaire_version_id=wave.questionnaire_version_id,
            channel=Channel.online,
            language=text_language if text_language in languages else "de",
            status=ResponseStatus.submitted if submitted else ResponseStatus.in_progress,
            code_hash=hash_receipt_code(new_receipt_code()),
            page_reached=len(questionnaire.pages) - 1,
            started_on=day,
            updated_on=day,
            submitted_on=day if submitted else None,
        )
        new_responses.append(response)
        new_answers.extend(
            Answer(response_id=response.id, question_id=c.question_id, item=c.item, value=c.value, text=c.text)
            for c in cells
            if c.question_id in keep
        )
    session.add_all(new_responses)
    session.flush()  # responses before the answers that point at them
    session.add_all(new_answers)
    session.commit()
    seed_workshops(session, settings, wave, texts, rng)
    import_indicators(session, read_indicators(HERE / "indicators.csv"))  # synthetic, labelled as such
    return [(email, role.value, password) for email, role, password in LOGINS]
