"""Set-up recommendation (what the app recommended, followed or not, why) and the roles table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 03:23:44.097533
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "setup_role",
        sa.Column("body", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("responsibilities", sa.Text(), server_default="", nullable=False),
        sa.Column("reports_to", sa.String(length=200), nullable=False),
        sa.Column("reporting_duties", sa.Text(), server_default="", nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_setup_role_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setup_role")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("setup_role", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_setup_role_workspace_id"), ["workspace_id"], unique=False)

    with op.batch_alter_table("setup_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recommended_option", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("followed_recommendation", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("deviation_reason", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("setup_decision", schema=None) as batch_op:
        batch_op.drop_column("deviation_reason")
        batch_op.drop_column("followed_recommendation")
        batch_op.drop_column("recommended_option")

    with op.batch_alter_table("setup_role", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_setup_role_workspace_id"))

    op.drop_table("setup_role")
