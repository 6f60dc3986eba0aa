"""The change history of a workspace: every change (what, who, when, before and after), and restoring a
deleted stakeholder or an earlier answer from it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlmodel import Session, select

from gcm_guide.errors import InputError, NotFound
from gcm_guide.models import MAX_LABEL, ChangeLog

# Who is making the changes in this thread (the Streamlit script run sets it; empty means the owner).
_actor: contextvars.ContextVar[str] = contextvars.ContextVar("gcm_actor", default="")


def set_actor(actor: str) -> None:
    _actor.set(actor)


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def record(
    session: Session,
    *,
    workspace_id: int,
    entity: str,
    entity_id: int | None,
    label: str,
    action: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Add one entry to the history, in the same transaction as the change it describes."""
    session.add(
        ChangeLog(
            workspace_id=workspace_id,
            entity=entity,
            entity_id=entity_id,
            label=label[:MAX_LABEL],
            action=action,
            actor=_actor.get()[:MAX_LABEL],
            before=_jsonable(dict(before)) if before is not None else None,
            after=_jsonable(dict(after)) if after is not None else None,
        )
    )


def list_changes(
    *, session: Session, workspace_id: int, entity: str | None = None, limit: int = 500
) -> list[ChangeLog]:
    """The most recent changes first."""
    query = select(ChangeLog).where(ChangeLog.workspace_id == workspace_id)
    if entity:
        query = query.where(ChangeLog.entity == entity)
    return list(session.exec(query.order_by(ChangeLog.id.desc()).limit(limit)))  # type: ignore[union-attr]


RESTORABLE_DELETIONS = ("stakeholder", "activity", "role")
# What the history can be filtered by, in the order of the guided flow.
ENTITIES = (
    "stakeholder",
    "answer",
    "engagement_plan",
    "setup_answer",
    "setup_decision",
    "activity",
    "role",
    "checklist_entry",
    "workspace",
)


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
    from gcm_guide import store  # store records into this module; import late to avoid a cycle

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
    record(
        session,
        workspace_id=workspace_id,
        entity=change.entity,
        entity_id=getattr(restored, "id", None),
        label=change.label,
        action="restore",
        after={"restored_from_change": change.id},
    )
    return restored
