"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import survey.models  # noqa: F401 - registers the tables
from survey.db import alembic_config, make_engine, upgrade


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []


def test_statement_codes_keep_statements_and_votes(database_url: str) -> None:
    """0005 adds columns in place: no table rebuild whose drop would cascade to the votes."""
    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0004")
    now = datetime(2025, 5, 20, tzinfo=UTC)
    inserts = [
        "INSERT INTO questionnaire_version (id, questionnaire_id, content_hash, source, created_at)"
        " VALUES (1, 'q', 'h', 's', :now)",
        "INSERT INTO wave (id, slug, title, questionnaire_version_id, districts, languages, is_open, min_cell_size,"
        " created_at, double_coding_share) VALUES (1, 'w', 'W', 1, '[]', '[\"de\"]', :yes, 5, :now, 0.2)",
        "INSERT INTO workshop (id, wave_id, organisation, title, held_on, languages, questionnaire_version_id,"
        " join_code, status, created_at) VALUES (1, 1, 'Verein', 'Runde', :day, '[\"de\"]', 1, 'ABC234', 'open', :now)",
        "INSERT INTO workshop_statement (id, workshop_id, text, language, position, created_at)"
        " VALUES (1, 1, 'Mehr Wohnungen', 'de', 1, :now)",
        "INSERT INTO response (id, wave_id, questionnaire_version_id, channel, language, status, code_hash,"
        " page_reached, started_on, updated_on, workshop_id) VALUES ('r1', 1, 1, 'workshop', 'de', 'submitted', 'x',"
        " 3, :day, :day, 1)",
        "INSERT INTO statement_vote (statement_id, response_id, vote) VALUES (1, 'r1', 'agree')",
    ]
    with engine.begin() as connection:
        for insert in inserts:
            connection.execute(text(insert), {"now": now, "day": now.date(), "yes": True})
    upgrade(engine)
    with engine.begin() as connection:
        row = connection.execute(text("SELECT text, suggestions, codes, coded_by FROM workshop_statement")).one()
        assert tuple(row) == ("Mehr Wohnungen", None, None, None)
        assert connection.execute(text("SELECT count(*) FROM statement_vote")).scalar_one() == 1
        connection.execute(text("UPDATE workshop_statement SET codes = '[\"wish.housing\"]', coded_by = 7"))
    command.downgrade(alembic_config(engine), "0004")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT text FROM workshop_statement")).scalar_one() == "Mehr Wohnungen"
        assert connection.execute(text("SELECT count(*) FROM statement_vote")).scalar_one() == 1
    engine.dispose()
