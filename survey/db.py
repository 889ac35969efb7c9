"""Engine creation, request-scoped sessions and schema migration."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def normalise_url(url: str) -> str:
    """Map plain ``postgresql://`` URLs to the psycopg 3 driver Stimmen ships with."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    """An engine with SQLite set up for concurrent, durable writes (WAL, foreign keys, busy wait)."""
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    in_memory = make_url(url).database in (None, "", ":memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool if in_memory else None,
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged answer survives power loss too
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_sqlite_writers: dict[int, threading.Lock] = {}
_sqlite_writers_guard = threading.Lock()


@contextmanager
def serialized_writes(session: Session) -> Iterator[None]:
    """Queue SQLite writers of this process on a lock instead of in SQLite's sleep-and-retry busy loop.

    SQLite has one writer at a time; the sqlite3 module waits for the lock by sleeping up to 100 ms per
    retry, which turns short transactions into long tails under load. PostgreSQL locks rows itself.
    """
    engine = session.get_bind().engine
    if engine.dialect.name != "sqlite":
        yield
        return
    with _sqlite_writers_guard:
        lock = _sqlite_writers.setdefault(id(engine), threading.Lock())
    with lock:
        yield


@contextmanager
def configured_session() -> Iterator[Session]:
    """A session on the configured database, migrated first: for command-line tools, one unit of work each."""
    from survey.settings import get_settings

    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per unit of work; objects stay readable after commit."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Create or migrate the schema to the newest revision."""
    command.upgrade(alembic_config(engine), "head")
