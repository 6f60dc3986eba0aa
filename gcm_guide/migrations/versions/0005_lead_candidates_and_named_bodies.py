"""Which bodies the team marks as possible leads (on the register) and names in its set-up answers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_candidate", sa.String(length=64), nullable=True))
    with op.batch_alter_table("setup_answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.String(length=200), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("setup_answer", schema=None) as batch_op:
        batch_op.drop_column("body")
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_column("lead_candidate")
