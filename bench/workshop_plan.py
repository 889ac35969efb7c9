"""What the workshop benchmark's participants will do, drawn from one seed before anything runs; the database
it runs on, and what that database holds afterwards.

Drawing everything first keeps the run itself cheap for the clients (they share the machine with the server),
makes a run repeatable, and lets the baseline replay the very same schedule.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import yaml
from babel import Locale
from sqlmodel import Session, func, select

from bench.harness import BenchError
from bench.submissions import QUESTIONNAIRE_FILE, WAVE_SLUG, prepare_survey_database
from survey.questionnaire import Questionnaire
from survey.questionnaire.answers import Cell

DEFAULT_WINDOW_S = 60.0
ARRIVAL_SHARE = 0.75
"""Participants arrive over the first three quarters of the window (45 s of 60)."""
THINK_S = (0.5, 3.0)
"""Reading and answering before each POST, at the default window; scaled with the window, so that a participant
arriving last who thinks the longest before the consent and each of the four pages is due to finish within it."""
SEED = 2026
LANGUAGES = ["de", "en", "tr", "ar"]
TEXT_POOLS = {  # free-text question → category of the demo bank (survey/demo/texts.yaml)
    "community_concerns": "discrimination_experience",
    "what_works_well": "what_helps",
    "city_wishes": "city_wishes",
}
KINDS = ("intro", "start", "page GET", "page POST", "submit", "thanks")
"""A participant's kinds of request, in the order they are sent."""
POSTS = ("start", "page POST", "submit")
DRAWS = 20
"""Attempts at answers the server's own parser accepts, per participant."""

Form = dict[str, list[str]]


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    think: float = 0.0
    """Seconds after the previous answer until this request is due (0: at once, as a redirect is followed)."""
    form: Form | None = None
    """Without the CSRF token, which the intro page hands out."""
    status: int = 200
    location: str | None = None


@dataclass(frozen=True)
class Participant:
    arrival: float
    """Seconds after the window opened."""
    language: str
    requests: list[Request]

    def posts(self) -> Participant:
        """The same participant against the bare insert: only the POSTs, with the same bodies and think times."""
        posts = [replace(r, path="/insert", status=204, location=None) for r in self.requests if r.method == "POST"]
        return replace(self, requests=posts)


def page_forms(questionnaire: Questionnaire, cells: list[Cell], locale: Locale) -> list[tuple[int, Form]] | None:
    """The answers as the form of each page shown, in order, as a browser sends them; None if the server's own
    parser would refuse one (``fill`` can tick a fourth choice when it adds "other" to a top three)."""
    from survey.questionnaire.answers import form_of, parse_page, values_of
    from survey.questionnaire.flow import shown_pages

    values = values_of(cells)
    forms = []
    for index in shown_pages(questionnaire, values):
        page = questionnaire.pages[index]
        asked = {question.id for question in page.questions}
        form = form_of([cell for cell in cells if cell.question_id in asked], locale)
        if parse_page(questionnaire, page, form, values=values, districts=[], locale=locale).errors:
            return None
        forms.append((index, form))
    return forms


def answers(questionnaire: Questionnaire, rng: random.Random, language: str, texts: dict) -> list[tuple[int, Form]]:
    """Synthetic answers along the questionnaire's own skip logic, with free text in ``language``."""
    from survey.demo.synthetic import fill

    for _ in range(DRAWS):
        forms = page_forms(questionnaire, fill(questionnaire, rng, districts=[], texts=texts), Locale.parse(language))
        if forms is not None:
            return forms
    raise BenchError(f"no valid synthetic answers to {questionnaire.id} in {DRAWS} draws")


def walk(base: str, language: str, consent: Form, pages: list[tuple[int, Form]], thinks: list[float]) -> list[Request]:
    """One participant's requests: intro, consent, each page read and sent, the thank-you page."""
    targets = [f"{base}/p/{index}" for index, _ in pages] + [f"{base}/thanks"]
    requests = [
        Request("intro", "GET", f"{base}?lang={language}"),
        Request("start", "POST", f"{base}/start", thinks[0], consent, 303, targets[0]),
    ]
    for number, (_, form) in enumerate(pages):
        last = number == len(pages) - 1
        sent = {**form, "action": ["submit" if last else "next"]}
        requests.append(Request("page GET", "GET", targets[number]))
        requests.append(
            Request(
                "submit" if last else "page POST",
                "POST",
                targets[number],
                thinks[number + 1],
                sent,
                303,
                targets[number + 1],
            )
        )
    requests.append(Request("thanks", "GET", targets[-1]))
    return requests


def plan(
    questionnaire: Questionnaire, code: str, participants: int, window_s: float, seed: int = SEED
) -> list[Participant]:
    """Every participant's arrival, language (the demo's mix over the workshop's languages), answers and think times."""
    from survey.demo.seed import HERE, TEXT_LANGUAGES

    rng = random.Random(seed)
    bank = yaml.safe_load((HERE / "texts.yaml").read_text(encoding="utf-8"))
    weights = [TEXT_LANGUAGES[language] for language in LANGUAGES]
    consent = {f"consent.{s.id}": ["yes"] for s in questionnaire.consent.statements}
    scale = window_s / DEFAULT_WINDOW_S
    planned = []
    for _ in range(participants):
        language = rng.choices(LANGUAGES, weights)[0]
        pages = answers(
            questionnaire, rng, language, {q: bank[category][language] for q, category in TEXT_POOLS.items()}
        )
        thinks = [rng.uniform(*THINK_S) * scale for _ in range(len(pages) + 1)]
        arrival = rng.uniform(0, ARRIVAL_SHARE * window_s)
        planned.append(Participant(arrival, language, walk(f"/w/{code}", language, consent, pages, thinks)))
    return planned


def prepare(database_url: str, questionnaires_dir: Path) -> tuple[str, Questionnaire]:
    """An open wave and one workshop of it with the workshop questionnaire; returns the join code and questionnaire."""
    from survey.db import make_engine
    from survey.models import Wave
    from survey.waves import questionnaire_version
    from survey.workshops import create_workshop

    prepare_survey_database(database_url, questionnaires_dir / QUESTIONNAIRE_FILE, LANGUAGES)
    engine = make_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            workshop = create_workshop(
                session,
                wave=session.exec(select(Wave).where(Wave.slug == WAVE_SLUG)).one(),
                organisation="Benchmark-Verein",
                title="Workshop-Benchmark",
                held_on=date.today(),
                languages=LANGUAGES,
                questionnaire="workshop",
                questionnaires_dir=questionnaires_dir,
            )
            return workshop.join_code, questionnaire_version(session, workshop.questionnaire_version_id)
    finally:
        engine.dispose()


def stored_responses(database_url: str) -> dict[tuple[str, str, str], int]:
    """Responses per (channel, status, language), read after the server stopped."""
    from survey.db import make_engine
    from survey.models import Response

    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            groups = (Response.channel, Response.status, Response.language)
            rows = session.exec(select(*groups, func.count()).group_by(*groups)).all()
    finally:
        engine.dispose()
    return {(str(channel), str(status), language): n for channel, status, language, n in rows}
