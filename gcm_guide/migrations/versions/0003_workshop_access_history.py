"""Workshop mode (sessions, participants, contributions, votes, placements), owner passcodes and the change history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 04:04:45.406819
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=400), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=400), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_change_log_workspace_id_workspace"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "workshop_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("current_item", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_workshop_session_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_session")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_session_code"), ["code"], unique=True)
        batch_op.create_index(batch_op.f("ix_workshop_session_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_session.id"],
            name=op.f("fk_participant_session_id_workshop_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participant_token_hash"), ["token_hash"], unique=False)

    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_contribution_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_session.id"],
            name=op.f("fk_contribution_session_id_workshop_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contribution_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contribution_session_id"), ["session_id"], unique=False)

    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("influence", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("influence BETWEEN 1 AND 5", name=op.f("ck_placement_influence_range")),
        sa.CheckConstraint("interest BETWEEN 1 AND 5", name=op.f("ck_placement_interest_range")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_placement_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_session.id"],
            name=op.f("fk_placement_session_id_workshop_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_placement_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
        sa.UniqueConstraint(
            "participant_id", "stakeholder_id", name=op.f("uq_placement_participant_id_stakeholder_id")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placement_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placement_stakeholder_id"), ["stakeholder_id"], unique=False)

    op.create_table(
        "vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_vote_participant_id_participant"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["workshop_session.id"],
            name=op.f("fk_vote_session_id_workshop_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"], ["stakeholder.id"], name=op.f("fk_vote_stakeholder_id_stakeholder"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote")),
        sa.UniqueConstraint("participant_id", "stakeholder_id", name=op.f("uq_vote_participant_id_stakeholder_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vote_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vote_stakeholder_id"), ["stakeholder_id"], unique=False)

    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposed_by", sa.String(length=400), nullable=False, server_default=""))

    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("passcode_hash", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("owner_subject", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_attempts")
        batch_op.drop_column("owner_subject")
        batch_op.drop_column("passcode_hash")

    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_column("proposed_by")

    with op.batch_alter_table("vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_stakeholder_id"))
        batch_op.drop_index(batch_op.f("ix_vote_session_id"))
        batch_op.drop_index(batch_op.f("ix_vote_participant_id"))

    op.drop_table("vote")
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_stakeholder_id"))
        batch_op.drop_index(batch_op.f("ix_placement_session_id"))
        batch_op.drop_index(batch_op.f("ix_placement_participant_id"))

    op.drop_table("placement")
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_session_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_participant_id"))

    op.drop_table("contribution")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_token_hash"))
        batch_op.drop_index(batch_op.f("ix_participant_session_id"))

    op.drop_table("participant")
    with op.batch_alter_table("workshop_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_session_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_workshop_session_code"))

    op.drop_table("workshop_session")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_workspace_id"))

    op.drop_table("change_log")
