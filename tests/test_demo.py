"""Demo data: realistic enough to show, and with the small district every aggregate must suppress."""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session, select

from survey.demo.seed import DISTRICTS, LOGINS, SMALL_DISTRICT, seed_demo
from survey.models import Answer, Response, ResponseStatus, User, Wave
from survey.settings import Settings
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
    responses = db.exec(select(Response)).all()
    assert len(responses) == 500
    submitted = {r.id for r in responses if r.status == ResponseStatus.submitted}
    districts = Counter(
        a.value
        for a in db.exec(select(Answer).where(Answer.question_id == "district")).all()
        if a.response_id in submitted
    )
    assert 0 < districts[SMALL_DISTRICT] < 5
    assert all(districts[d] >= 5 for d in DISTRICTS if d != SMALL_DISTRICT)


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
