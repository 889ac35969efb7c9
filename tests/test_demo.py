"""Demo data: realistic enough to show, and with the small district every aggregate must suppress."""

from __future__ import annotations

import os
import random
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from bench.server import free_port
from survey.db import make_engine
from survey.demo.seed import DISTRICTS, LOGINS, SMALL_DISTRICT, seed_demo
from survey.demo.synthetic import fill
from survey.models import Answer, Channel, Coding, Response, ResponseStatus, User, Wave, Workshop, WorkshopStatus
from survey.questionnaire import load
from survey.settings import Settings
from survey.statements import tallies
from survey.users import authenticate


def test_seed_fills_an_empty_database_once(db: Session, settings: Settings) -> None:
    logins = seed_demo(db, settings)
    assert [email for email, _, _ in logins] == [email for email, _, _ in LOGINS]
    assert seed_demo(db, settings) == []  # never twice
    for email, _, password in logins:
        assert authenticate(db, email, password) is not None
    assert len(db.exec(select(User)).all()) == 4
    [wave] = db.exec(select(Wave)).all()
    assert wave.districts == DISTRICTS
    assert len(DISTRICTS) == 10
    assert wave.accepts_answers(__import__("datetime").date.today())
    responses = db.exec(select(Response).where(Response.workshop_id.is_(None))).all()
    assert len(responses) == 500
    submitted = {r.id for r in responses if r.status == ResponseStatus.submitted}
    districts = Counter(
        a.value
        for a in db.exec(select(Answer).where(Answer.question_id == "district")).all()
        if a.response_id in submitted
    )
    assert 0 < districts[SMALL_DISTRICT] < 5
    assert all(districts[d] >= 5 for d in DISTRICTS if d != SMALL_DISTRICT)


def test_demo_workshops_one_open_one_closed_with_votes(db: Session, settings: Settings) -> None:
    seed_demo(db, settings, responses=20)
    workshops = db.exec(select(Workshop).order_by(Workshop.held_on)).all()
    assert [w.status for w in workshops] == [WorkshopStatus.closed, WorkshopStatus.open]
    assert {w.organisation for w in workshops} == {"Demo-Verein"}  # the demo facilitator's organisation
    for workshop in workshops:
        answered = db.exec(select(Response).where(Response.workshop_id == workshop.id)).all()
        assert len(answered) >= 5  # enough for the room's results to show
        assert {r.channel for r in answered} == {Channel.workshop}
        assert {r.language for r in answered} <= set(workshop.languages)
        assert all(t.voters for t in tallies(db, workshop, 5))


def test_free_text_is_multilingual(db: Session, settings: Settings) -> None:
    seed_demo(db, settings, responses=150)
    texts = [a.text for a in db.exec(select(Answer).where(Answer.text.is_not(None))).all()]
    scripts = {
        "arabic": any("\u0600" <= ch <= "\u06ff" for t in texts for ch in t),
        "cyrillic": any("\u0400" <= ch <= "\u04ff" for t in texts for ch in t),
        "turkish": any(ch in "ğışİ" for t in texts for ch in t),
        "german": any(ch in "äöüß" for t in texts for ch in t),
    }
    assert all(scripts.values()), scripts


def test_serve_demo_seeds_suggests_codes_and_serves(tmp_path: Path) -> None:
    """The Quickstart's first command: demo data, machine suggestions for the coders, a live server."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    port = free_port()
    env = {**os.environ, "STIMMEN_DATABASE_URL": url, "STIMMEN_MODELS_DIR": str(tmp_path / "models")}
    server = subprocess.Popen(
        ["stimmen", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("the demo server did not come up within 180 s")
        engine = make_engine(url)
        with Session(engine) as db:
            sources = set(db.exec(select(Coding.source)).all())
            languages = set(db.exec(select(Answer.language).where(Answer.language.is_not(None))).all())
        engine.dispose()
        assert sources == {"rules"}
        assert {"de", "ar", "fa", "uk"} <= languages
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "coder@demo.stimmen.example" in output


def test_synthetic_answers_respect_the_most_choices_allowed() -> None:
    """ "Other" is a choice too: a top three with "other" has at most two more."""
    questionnaire = load(Settings().questionnaires_dir / "workshop.yaml")
    limits = {q.id: q.max_selected for q in questionnaire.questions() if getattr(q, "max_selected", None)}
    assert limits  # city_priorities: the top three
    others = 0
    for seed in range(400):
        for cell in fill(questionnaire, random.Random(seed), districts=[], answer_rate=1.0):
            if cell.question_id in limits:
                assert len(cell.value) <= limits[cell.question_id], (seed, cell)
                others += "other" in cell.value
    assert others  # the case that broke the limit did come up
