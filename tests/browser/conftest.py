"""Fixtures for the real-browser tests: a live Stimmen server on a fresh SQLite file and headless Chromium.

The server runs as a separate process exactly as in production (uvicorn with the app factory), so the
tests see real cookies, CSRF tokens, redirects and static files. The browser is Debian's chromium.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.server import Server, ServerError
from survey.db import make_engine, upgrade
from survey.i18n import available_languages
from survey.settings import Settings
from survey.waves import create_wave

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRE = PROJECT_ROOT / "questionnaires" / "belonging-discrimination.yaml"
SCREENSHOTS = PROJECT_ROOT / "screenshots"

WAVE_SLUG = "browser"
WAVE_DISTRICTS = ["Altstadt", "Hafen", "Westend"]
LOCALES_DIR = Settings().locales_dir
LANGUAGES: tuple[str, ...] = available_languages(LOCALES_DIR)
"""Every language whose catalogs are complete right now; the browser wave offers all of them."""
REQUIRED_LANGUAGES = frozenset({"de", "en", "tr", "ar", "fa", "ru", "uk"})
"""Languages the project ships and the tests insist on (Einfache Sprache joins once its catalogs are complete)."""
RTL_LANGUAGES = tuple(code for code in LANGUAGES if code in ("ar", "fa"))
WAVE_CLOSES_ON = date.today() + timedelta(days=400)
"""A closing date, so the landing page shows a date formatted for the locale."""

SERVER_START_TIMEOUT = 20.0
PHONE_VIEWPORT = {"width": 390, "height": 844}
DEFAULT_TIMEOUT_MS = 10_000

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class LiveDatabase:
    url: str
    path: Path
    wave_id: int


def _chromium_executable() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    fallback = Path("/usr/bin/chromium")
    return str(fallback) if fallback.exists() else None


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory) -> LiveDatabase:
    """A fresh SQLite file with the schema and one open wave of the default questionnaire."""
    path = tmp_path_factory.mktemp("stimmen-browser") / "stimmen.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            wave = create_wave(
                session,
                questionnaire_path=QUESTIONNAIRE,
                slug=WAVE_SLUG,
                title="Browser-Test",
                districts=WAVE_DISTRICTS,
                languages=list(LANGUAGES),
                closes_on=WAVE_CLOSES_ON,
                is_open=True,
            )
            wave_id = wave.id
    finally:
        engine.dispose()
    assert wave_id is not None
    return LiveDatabase(url=url, path=path, wave_id=wave_id)


@pytest.fixture(scope="session")
def db_engine(live_database: LiveDatabase) -> Iterator[Engine]:
    """The test process's own connection to the server's database, for checking what was stored."""
    engine = make_engine(live_database.url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_database: LiveDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start uvicorn with the app factory on a free port; yield its base URL; stop it at the end."""
    env = {"STIMMEN_DATABASE_URL": live_database.url, "STIMMEN_SECRET_KEY": secrets.token_urlsafe(32)}
    log_path = tmp_path_factory.mktemp("stimmen-server") / "server.log"
    server = Server("stimmen", "survey.app:create_app", env, log_path)
    try:
        server.start()
        server.wait_ready(SERVER_START_TIMEOUT)
        yield server.url
    except ServerError as exc:
        pytest.fail(str(exc))
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian chromium, shared by all tests (each test gets its own context)."""
    executable = _chromium_executable()
    if executable is None:
        reason = "no chromium binary found (install it with `apt-get install -y chromium`)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"browser tests must run in CI, but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser, base_url: str) -> Iterator[Callable[..., object]]:
    """Factory: a page in a fresh browser context, phone-sized unless ``viewport`` is given;
    ``java_script_enabled=False`` for no-JS tests."""
    contexts = []

    def make(*, java_script_enabled: bool = True, **options: object):
        context = browser.new_context(
            base_url=base_url, java_script_enabled=java_script_enabled, **{"viewport": PHONE_VIEWPORT, **options}
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page with JavaScript enabled in its own fresh context."""
    return new_page(java_script_enabled=True)


@pytest.fixture
def page_without_js(new_page):
    """A page whose context has JavaScript disabled, as in a locked-down or very old browser."""
    return new_page(java_script_enabled=False)


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
