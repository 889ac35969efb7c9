"""workshops: workshop sessions with join codes, group statements and votes, workshop and paper form of responses

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("join_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column(
            "status", sa.Enum("open", "closed", name="workshopstatus", native_enum=False, length=20), nullable=False
        ),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["facilitator_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["questionnaire_version_id"], ["questionnaire_version.id"]),
        sa.ForeignKeyConstraint(["wave_id"], ["wave.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_facilitator_id"), ["facilitator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_workshop_join_code"), ["join_code"], unique=True)
        batch_op.create_index(batch_op.f("ix_workshop_organisation"), ["organisation"], unique=False)
        batch_op.create_index(batch_op.f("ix_workshop_wave_id"), ["wave_id"], unique=False)

    op.create_table(
        "workshop_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("workshop_statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_statement_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "statement_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column(
            "vote", sa.Enum("agree", "disagree", "pass", name="vote", native_enum=False, length=20), nullable=False
        ),
        sa.ForeignKeyConstraint(["response_id"], ["response.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["statement_id"], ["workshop_statement.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("statement_id", "response_id", name="uq_statement_vote"),
    )
    with op.batch_alter_table("statement_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_vote_response_id"), ["response_id"], unique=False)

    with _sqlite_foreign_keys_off(), op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workshop_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("paper_form", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.create_foreign_key(
            "fk_response_workshop_id_workshop", "workshop", ["workshop_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_unique_constraint("uq_response_paper_form", ["workshop_id", "paper_form"])
        batch_op.create_index(batch_op.f("ix_response_workshop_id"), ["workshop_id"], unique=False)


@contextmanager
def _sqlite_foreign_keys_off() -> Iterator[None]:
    """Let batch mode rebuild ``response`` on SQLite without emptying the survey.

    The rebuild copies the table and drops the original. With ``PRAGMA foreign_keys=ON`` (set on every
    connection by survey.db) that drop first deletes every row, and the ON DELETE CASCADE of ``answer``,
    ``coding`` and ``coding_review`` follows it. SQLite ignores the pragma inside a transaction, so the work
    of earlier revisions is committed first; the rebuild is checked with ``foreign_key_check`` and committed
    before enforcement is switched back on.
    """
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    raw = bind.connection.dbapi_connection
    raw.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        if raw.execute("PRAGMA foreign_keys").fetchone()[0]:
            raise RuntimeError("SQLite still enforces foreign keys; refusing to rebuild the response table")
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"rebuilding the response table broke foreign keys: {broken[:5]}")
        raw.commit()
    finally:
        if raw.in_transaction:
            raw.rollback()
        raw.execute("PRAGMA foreign_keys=ON")


def downgrade() -> None:
    with _sqlite_foreign_keys_off(), op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_workshop_id"))
        batch_op.drop_constraint("uq_response_paper_form", type_="unique")
        batch_op.drop_constraint("fk_response_workshop_id_workshop", type_="foreignkey")
        batch_op.drop_column("paper_form")
        batch_op.drop_column("workshop_id")

    with op.batch_alter_table("statement_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_vote_response_id"))
    op.drop_table("statement_vote")
    with op.batch_alter_table("workshop_statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_statement_workshop_id"))
    op.drop_table("workshop_statement")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_wave_id"))
        batch_op.drop_index(batch_op.f("ix_workshop_organisation"))
        batch_op.drop_index(batch_op.f("ix_workshop_join_code"))
        batch_op.drop_index(batch_op.f("ix_workshop_facilitator_id"))
    op.drop_table("workshop")
