"""Alembic environment: runs on the engine Stimmen hands over (see survey.db.upgrade)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import survey.models  # noqa: F401 - registers the tables on SQLModel.metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
