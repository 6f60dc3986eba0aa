"""Bringing back what a change in the history removed: a deleted stakeholder, activity or role, or an
answer's earlier text. Kept apart from gcm_guide.history, which the store writes into."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from gcm_guide import history, store
from gcm_guide.errors import InputError, NotFound
from gcm_guide.models import ChangeLog

RESTORABLE_DELETIONS = ("stakeholder", "activity", "role")


def restored_from(change: ChangeLog) -> int | None:
    """For the record of a restore, the number of the change it undid."""
    return (change.after or {}).get("restored_from_change") if change.action == "restore" else None


def is_restorable(change: ChangeLog) -> bool:
    """Whether `restore` can bring back what this change removed: a deleted stakeholder, activity or role,
    or the text an answer had before the change."""
    if change.action == "delete":
        return change.entity in RESTORABLE_DELETIONS
    return change.entity == "answer" and change.action != "restore" and "text" in (change.before or {})


def _change(session: Session, workspace_id: int, change_id: int) -> ChangeLog:
    change = session.get(ChangeLog, change_id)
    if change is None or change.workspace_id != workspace_id:
        raise NotFound("change", change_id)
    return change


def restore(*, session: Session, workspace_id: int, change_id: int) -> Any:
    """Undo a deletion (stakeholder, activity, role) or bring back an answer's earlier text."""
    change = _change(session, workspace_id, change_id)
    if not is_restorable(change):
        raise InputError.single("change", "not_restorable")
    before = change.before or {}
    if change.action == "delete" and change.entity == "stakeholder":
        fields = {k: v for k, v in before.items() if k != "plan"}
        restored: Any = store.add_stakeholder(session=session, workspace_id=workspace_id, data=fields)
        if before.get("plan"):
            store.save_engagement_plan(
                session=session, workspace_id=workspace_id, stakeholder_id=restored.id, changes=before["plan"]
            )
    elif change.action == "delete" and change.entity == "activity":
        restored = store.add_activity(session=session, workspace_id=workspace_id, data=before)
    elif change.action == "delete" and change.entity == "role":
        restored = store.add_role(session=session, workspace_id=workspace_id, data=before)
    else:
        restored = store.save_answer(
            session=session, workspace_id=workspace_id, question_id=change.label, changes={"text": before["text"]}
        )
    # The restored row's own entry says "create" or "update"; this one says where it came from.
    history.record(
        session,
        workspace_id=workspace_id,
        entity=change.entity,
        entity_id=getattr(restored, "id", None),
        label=change.label,
        action="restore",
        after={"restored_from_change": change.id},
    )
    return restored
