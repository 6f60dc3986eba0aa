"""Test data: workspaces, stakeholders, answers and whole backups made through the real store, and counts of
what a database holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from gcm_guide import backup, db, store
from gcm_guide.workspace_data import WorkspaceData


def make_workspace(engine: Engine, name: str = "Kick-off 2027", **fields: Any) -> Any:
    data = {"name": name, "country": "Jamaica", "level": "national"} | fields
    return db.run_write(engine, store.create_workspace, data=data)


def add_stakeholder(engine: Engine, workspace_id: int, name: str, group_id: str, **fields: Any) -> Any:
    return db.run_write(
        engine, store.add_stakeholder, workspace_id=workspace_id, data={"name": name, "group_id": group_id, **fields}
    )


def answer_setup(
    engine: Engine,
    workspace_id: int,
    answers: dict[str, str],
    notes: dict[str, str] | None = None,
    bodies: dict[str, str] | None = None,
) -> None:
    """Answer Action 3's criteria questions ({criterion id: answer}), with optional notes and named bodies."""
    for criterion_id, answer in answers.items():
        changes = {"answer": answer}
        if notes and criterion_id in notes:
            changes["note"] = notes[criterion_id]
        if bodies and criterion_id in bodies:
            changes["body"] = bodies[criterion_id]
        db.run_write(
            engine, store.save_setup_answer, workspace_id=workspace_id, criterion_id=criterion_id, changes=changes
        )


def load(engine: Engine, workspace_id: int) -> WorkspaceData:
    return db.run_read(engine, store.load_workspace_data, workspace_id=workspace_id)


def row_counts(engine: Engine) -> dict[str, int]:
    """How many rows every table of the app holds."""

    def count(*, session: Any) -> dict[str, int]:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }

    return db.run_read(engine, count)


def large_backup(
    stakeholders: int, roles: int = 0, activities: int = 0, *, name: str = "Large register"
) -> backup.Backup:
    """A valid backup holding many stakeholders (each with a plan), roles and activities."""
    document = {
        "format": backup.FORMAT,
        "format_version": backup.FORMAT_VERSION,
        "exported_at": "2026-11-30T12:00:00+00:00",
        "workspace": {"name": name, "country": "Jamaica", "level": "national"},
        "stakeholders": [
            {
                "name": f"Stakeholder {n:05d}",
                "group_id": "civil_society_organizations",
                "influence": 1 + n % 5,
                "role_and_interest": "Runs community services. " * 4,
                "plan": {"participation_level": "consult", "mechanisms": ["meetings"]},
            }
            for n in range(stakeholders)
        ],
        "roles": [{"body": f"Body {n}", "role": "member"} for n in range(roles)],
        "activities": [
            {"title": f"Briefing {n}", "audience": "government", "activity_type": "briefings"}
            for n in range(activities)
        ],
    }
    return backup.Backup.model_validate(document)
