"""One typed settings object, read from ``STIMMEN_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Server configuration; every field can be set as ``STIMMEN_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="STIMMEN_", extra="ignore")

    database_url: str = "sqlite:///./stimmen.db"
    """SQLAlchemy URL; ``postgresql://`` URLs use psycopg 3."""

    secret_key: str = Field(default="", repr=False)
    """Signs CSRF tokens and encrypts session cookies; must be stable across restarts and workers."""

    questionnaires_dir: Path = PROJECT_ROOT / "questionnaires"
    """Where questionnaire YAML files live (data, German source text)."""

    locales_dir: Path = PROJECT_ROOT / "locales"
    """gettext catalogs: ``<lang>/LC_MESSAGES/{messages,questionnaires}.po``."""

    models_dir: Path = Path("models")
    """Trained classifiers, one folder per version; machine coding uses the newest beside the rules."""

    default_language: str = "de"
    """Language used when neither ?lang=, cookie nor Accept-Language picks one."""

    cookie_secure: bool = False
    """Set to true when served over HTTPS so cookies are never sent in clear text."""

    max_body_bytes: int = 256 * 1024
    """Largest request body accepted; a full questionnaire page is far below this."""

    session_max_age: int = 60 * 60 * 24 * 14
    """Seconds a respondent can leave an unfinished survey in the same browser."""

    debug: bool = False


@lru_cache
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
