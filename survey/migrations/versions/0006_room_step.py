"""room steps: which step of a workshop's live results a response entered

Revision ID: 0006
Revises: 0005

A plain ``ADD COLUMN`` (no foreign key): a batch rebuild of ``response`` would drop it under
``PRAGMA foreign_keys=ON`` and cascade to every answer.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("response", sa.Column("room_step", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("response", "room_step")
