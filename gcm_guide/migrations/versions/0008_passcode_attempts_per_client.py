"""Wrong passcodes counted per workspace and client address (a stranger cannot lock the owner out), and a
recovery code per workspace.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "passcode_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "client"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("passcode_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_passcode_attempt_workspace_id"), ["workspace_id"], unique=False)
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recovery_hash", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("recovery_hash")
    with op.batch_alter_table("passcode_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_passcode_attempt_workspace_id"))
    op.drop_table("passcode_attempt")
