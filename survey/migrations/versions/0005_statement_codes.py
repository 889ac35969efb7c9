"""statement codes: machine suggestions and a coder's codes on workshop statements

Revision ID: 0005
Revises: 0004

Plain ``ADD COLUMN``/``DROP COLUMN`` (SQLite ≥ 3.35 has both): a batch rebuild of ``workshop_statement`` would
drop the table under ``PRAGMA foreign_keys=ON`` and cascade to every vote. ``coded_by`` has no foreign key
for the same reason; SQLite cannot add one without that rebuild.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workshop_statement", sa.Column("suggestions", sa.JSON(none_as_null=True), nullable=True))
    op.add_column("workshop_statement", sa.Column("codes", sa.JSON(none_as_null=True), nullable=True))
    op.add_column("workshop_statement", sa.Column("coded_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("workshop_statement", "coded_by")
    op.drop_column("workshop_statement", "codes")
    op.drop_column("workshop_statement", "suggestions")
