"""coding: machine suggestions and coders' decisions, reviews, detected answer language, double-coding share

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("suggested", "accepted", "rejected", name="codingstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["answer_id"], ["answer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coding_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coding_user_id"), ["user_id"], unique=False)

    op.create_table(
        "coding_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=True),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("answer_id", "user_id", name="uq_coding_review"),
    )
    with op.batch_alter_table("coding_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coding_review_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))

    with op.batch_alter_table("wave", schema=None) as batch_op:
        batch_op.add_column(sa.Column("double_coding_share", sa.Float(), nullable=False, server_default="0.2"))


def downgrade() -> None:
    with op.batch_alter_table("wave", schema=None) as batch_op:
        batch_op.drop_column("double_coding_share")

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_column("language")

    with op.batch_alter_table("coding_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coding_review_user_id"))

    op.drop_table("coding_review")
    with op.batch_alter_table("coding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coding_user_id"))
        batch_op.drop_index(batch_op.f("ix_coding_answer_id"))

    op.drop_table("coding")
