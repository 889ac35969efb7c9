"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from survey.app import create_app
from survey.db import make_engine, upgrade
from survey.models import Answer, Response, ResponseStatus, Role, Wave
from survey.settings import PROJECT_ROOT, Settings
from survey.users import add_user
from survey.waves import create_wave
from tests.postgres import temporary_server

DEFAULT_QUESTIONNAIRE = PROJECT_ROOT / "questionnaires" / "belonging-discrimination.yaml"
DATA = Path(__file__).parent / "data"
PASSWORD = "correct horse battery"
NATIVE_NAMES = {
    "de": "Deutsch",
    "de-simple": "Einfache Sprache",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "fa": "فارسی",
    "ru": "Русский",
    "uk": "Українська",
}
"""The shipped languages in switcher order, each as it names itself in its own script."""


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """STIMMEN_TEST_POSTGRES_URL if given, else a server started for this session."""
    given = os.environ.get("STIMMEN_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        with temporary_server() as url:
            yield url
    except FileNotFoundError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL tests need the Debian postgresql package: {exc}")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stimmen.db'}"
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    with engine.begin() as connection:  # a clean schema per test
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-" + "x" * 20)


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test database as the command line finds it (STIMMEN_DATABASE_URL), with fresh cached settings."""
    from survey.settings import get_settings

    monkeypatch.setenv("STIMMEN_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


@pytest.fixture
def wave(db: Session) -> Wave:
    return create_wave(
        db,
        questionnaire_path=DEFAULT_QUESTIONNAIRE,
        slug="test-wave",
        title="Testwelle",
        districts=["Altstadt", "Hafen", "Westend"],
        languages=["de", "en"],
        is_open=True,
    )


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine)) as test_client:
        yield test_client


@pytest.fixture
def users(db: Session) -> dict[Role, str]:
    """One user per role; returns role → e-mail (password: PASSWORD)."""
    return {role: add_user(db, f"{role.value}@example.org", role, PASSWORD).email for role in Role}


def add_text_answers(db: Session, wave: Wave, answers: list[tuple[str, str, str]]) -> list[int]:
    """Submitted responses with one free-text answer each, from (question id, text, survey language)."""
    ids = []
    for question_id, answer_text, language in answers:
        response = Response(
            wave_id=wave.id,
            questionnaire_version_id=wave.questionnaire_version_id,
            language=language,
            status=ResponseStatus.submitted,
            code_hash=uuid.uuid4().hex,
        )
        db.add(response)
        db.flush()
        answer = Answer(response_id=response.id, question_id=question_id, text=answer_text)
        db.add(answer)
        db.commit()
        ids.append(answer.id)
    return ids


def csrf_token(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, email: str) -> None:
    token = csrf_token(client.get("/admin/login").text)
    response = client.post(
        "/admin/login", data={"_csrf_token": token, "email": email, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
