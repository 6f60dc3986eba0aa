"""Why a stakeholder group has nobody on the register; when checklist items and engagements were last
reviewed and are next due.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_reasons", sa.JSON(), nullable=True))
    with op.batch_alter_table("checklist_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reviewed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_review_on", sa.Date(), nullable=True))
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_review_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_column("next_review_on")
    with op.batch_alter_table("checklist_entry", schema=None) as batch_op:
        batch_op.drop_column("next_review_on")
        batch_op.drop_column("reviewed_on")
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("group_reasons")
