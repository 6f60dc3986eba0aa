"""Kick-off core: workspaces, guiding answers, stakeholders, engagement plans, set-up, awareness, checklist.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 02:55:59.552972
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("custom_voices", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace")),
        sa.UniqueConstraint("name_key", name=op.f("uq_workspace_name_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workspace_public_id"), ["public_id"], unique=True)

    op.create_table(
        "awareness_activity",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("activity_type", sa.String(length=64), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("audience", sa.String(length=32), nullable=False),
        sa.Column("objective", sa.Text(), server_default="", nullable=False),
        sa.Column("timing_note", sa.String(length=200), nullable=False),
        sa.Column("lead", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_awareness_activity_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_activity")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("awareness_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_awareness_activity_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "checklist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("confirmed_status", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_checklist_entry_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_entry")),
        sa.UniqueConstraint("workspace_id", "item_id", name=op.f("uq_checklist_entry_workspace_id_item_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("checklist_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checklist_entry_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "guiding_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_guiding_answer_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guiding_answer")),
        sa.UniqueConstraint("workspace_id", "question_id", name=op.f("uq_guiding_answer_workspace_id_question_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("guiding_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guiding_answer_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "setup_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_setup_answer_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setup_answer")),
        sa.UniqueConstraint("workspace_id", "criterion_id", name=op.f("uq_setup_answer_workspace_id_criterion_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("setup_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_setup_answer_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "setup_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("chosen_option", sa.String(length=32), nullable=True),
        sa.Column("lead_bodies", sa.Text(), server_default="", nullable=False),
        sa.Column("rationale", sa.Text(), server_default="", nullable=False),
        sa.Column("terms_of_reference", sa.Text(), server_default="", nullable=False),
        sa.Column("work_plan", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_setup_decision_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setup_decision")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_setup_decision_workspace_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "stakeholder",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("affected", sa.Integer(), nullable=True),
        sa.Column("influence", sa.Integer(), nullable=True),
        sa.Column("interest", sa.Integer(), nullable=True),
        sa.Column("government_level", sa.String(length=32), nullable=True),
        sa.Column("sector", sa.String(length=200), nullable=False),
        sa.Column("engagement_status", sa.String(length=32), nullable=False),
        sa.Column("voices", sa.JSON(), nullable=False),
        sa.Column("engagement_in_governance", sa.Text(), server_default="", nullable=False),
        sa.Column("role_and_interest", sa.Text(), server_default="", nullable=False),
        sa.Column("conflicts_of_interest", sa.Text(), server_default="", nullable=False),
        sa.Column("trust_building", sa.Text(), server_default="", nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("affected IS NULL OR affected BETWEEN 1 AND 5", name=op.f("ck_stakeholder_affected_range")),
        sa.CheckConstraint(
            "influence IS NULL OR influence BETWEEN 1 AND 5", name=op.f("ck_stakeholder_influence_range")
        ),
        sa.CheckConstraint("interest IS NULL OR interest BETWEEN 1 AND 5", name=op.f("ck_stakeholder_interest_range")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_stakeholder_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder")),
        sa.UniqueConstraint("workspace_id", "name_key", name=op.f("uq_stakeholder_workspace_id_name_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stakeholder_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "engagement_plan",
        sa.Column("participation_level", sa.String(length=32), nullable=True),
        sa.Column("mechanisms", sa.JSON(), nullable=False),
        sa.Column("mediums", sa.JSON(), nullable=False),
        sa.Column("phases", sa.JSON(), nullable=False),
        sa.Column("time_and_resources", sa.Text(), server_default="", nullable=False),
        sa.Column("capacity_development", sa.Text(), server_default="", nullable=False),
        sa.Column("fair_representation", sa.Text(), server_default="", nullable=False),
        sa.Column("accessibility_measures", sa.Text(), server_default="", nullable=False),
        sa.Column("information_to_share", sa.Text(), server_default="", nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_engagement_plan_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_engagement_plan_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_plan")),
        sa.UniqueConstraint("stakeholder_id", name=op.f("uq_engagement_plan_stakeholder_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("engagement_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagement_plan_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("engagement_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_plan_workspace_id"))

    op.drop_table("engagement_plan")
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_workspace_id"))

    op.drop_table("stakeholder")
    op.drop_table("setup_decision")
    with op.batch_alter_table("setup_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_setup_answer_workspace_id"))

    op.drop_table("setup_answer")
    with op.batch_alter_table("guiding_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guiding_answer_workspace_id"))

    op.drop_table("guiding_answer")
    with op.batch_alter_table("checklist_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_entry_workspace_id"))

    op.drop_table("checklist_entry")
    with op.batch_alter_table("awareness_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_awareness_activity_workspace_id"))

    op.drop_table("awareness_activity")
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workspace_public_id"))

    op.drop_table("workspace")
