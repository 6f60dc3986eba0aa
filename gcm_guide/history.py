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
