"""Workshop mode for a real room: who is connected, a read-only presenter link, results shown or hidden, a
contribution edited before it is accepted, and where joins come from (to slow down a flood).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("presenter_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("show_results", sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("client", sa.String(length=64), server_default="", nullable=False))
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edited", sa.JSON(), nullable=True))
        batch_op.create_index("ix_contribution_session_status", ["session_id", "status"], unique=False)
        batch_op.create_index("ix_contribution_participant_created", ["participant_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index("ix_contribution_participant_created")
        batch_op.drop_index("ix_contribution_session_status")
        batch_op.drop_column("edited")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("client")
        batch_op.drop_column("last_seen_at")
    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        batch_op.drop_column("show_results")
        batch_op.drop_column("presenter_token_hash")
