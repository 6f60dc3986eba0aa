"""The change history of a workspace: every change (what, who, when, before and after), recorded in the same
transaction as the change, and read back in words a person recognises."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from gcm_guide.content import Content
from gcm_guide.i18n import t
from gcm_guide.models import MAX_LABEL, ChangeLog, utcnow

# Who is making the changes in this thread (the Streamlit script run sets it; empty means the owner).
_actor: contextvars.ContextVar[str] = contextvars.ContextVar("gcm_actor", default="")


def set_actor(actor: str) -> None:
    _actor.set(actor)


def current_actor() -> str:
    """Who is making changes in this thread ("" for the owner)."""
    return _actor.get()


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


def record_many(session: Session, entries: Sequence[Mapping[str, Any]]) -> None:
    """Add many entries (each with `record`'s keyword arguments) in one statement: an import of thousands of
    rows must not hold the database for the time it takes to build thousands of ORM objects."""
    if not entries:
        return
    actor, now = _actor.get()[:MAX_LABEL], utcnow()
    session.execute(
        insert(ChangeLog),
        [
            {
                "workspace_id": entry["workspace_id"],
                "entity": entry["entity"],
                "entity_id": entry.get("entity_id"),
                "label": str(entry.get("label", ""))[:MAX_LABEL],
                "action": entry["action"],
                "actor": actor,
                "changed_at": now,
                "before": _jsonable(dict(entry["before"])) if entry.get("before") is not None else None,
                "after": _jsonable(dict(entry["after"])) if entry.get("after") is not None else None,
            }
            for entry in entries
        ],
    )


def list_changes(
    *, session: Session, workspace_id: int, entity: str | None = None, limit: int = 500
) -> list[ChangeLog]:
    """The most recent changes first."""
    query = select(ChangeLog).where(ChangeLog.workspace_id == workspace_id)
    if entity:
        query = query.where(ChangeLog.entity == entity)
    return list(session.exec(query.order_by(col(ChangeLog.id).desc()).limit(limit)))


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
    "snapshot",
)


# --- Reading a change ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    """One field of a change as a person reads it: its name, and its value before and after (None: no value)."""

    field: str
    before: str | None
    after: str | None


LONG_VALUE = 300  # characters of a long text shown in the history (the history keeps it whole)


def subject(change: ChangeLog, content: Content) -> str:
    """What a change is about, in words: a stakeholder's name, "Question 2", a criterion, a checklist item."""
    if change.entity == "answer":
        question = next((q for q in content.guiding_questions.questions if q.id == change.label), None)
        return t("history.question", number=question.number) if question else change.label
    if change.entity == "setup_answer":
        criterion = next((c for c in content.action3.criteria if c.id == change.label), None)
        return criterion.short if criterion else change.label
    if change.entity == "checklist_entry":
        item = next((i for i in content.checklist.items if i.id == change.label), None)
        return item.text if item else change.label
    return change.label


def field_changes(change: ChangeLog, content: Content) -> list[FieldChange]:
    """The fields a change set, with readable values: names instead of ids, lists joined, dates as dates, long
    texts shortened. Fields whose value did not change (or that a new entry left empty) are left out."""
    before, after = change.before or {}, change.after or {}
    fields = [name for name in (*after, *before) if name not in ("plan",)]
    rows = []
    for name in dict.fromkeys(fields):
        old = readable_value(name, before.get(name), content, change) if name in before else None
        new = readable_value(name, after.get(name), content, change) if name in after else None
        if old == new or (old is None and new is None):
            continue
        rows.append(FieldChange(t(f"fields.{name}") if _known_field(name) else name, old, new))
    return rows


def _known_field(name: str) -> bool:
    try:
        t(f"fields.{name}")
    except KeyError:
        return False
    return True


def _interface_word(name: str, value: str) -> str | None:
    """The interface's word for a coded value (a level, a status, a role), or None for other fields."""
    if name in ("government_level", "level"):
        return t(f"levels.{value}")
    if name == "engagement_status":
        return t(f"status.{value}")
    if name == "status":
        return t(f"activity_status.{value}")
    if name == "confirmed_status":
        return t(f"checklist_status.{value}")
    if name == "role":
        return t(f"roles.{value}")
    return None


def readable_value(name: str, value: Any, content: Content, change: ChangeLog | None = None) -> str | None:
    """A stored value as a person reads it, or None when there is none."""
    if value in (None, "", []):
        return None
    names: dict[str, str] = {
        "group_id": content.group_names,
        "mechanisms": content.mechanism_names,
        "mediums": content.medium_names,
        "phases": content.phase_names,
        "voices": content.voice_names,
        "participation_level": content.participation_level_names,
        "audience": content.audience_names,
        "activity_type": content.activity_type_names,
        "lead_candidate": content.lead_candidate_names,
        "chosen_option": content.option_names,
        "recommended_option": content.option_names,
    }.get(name, {})
    if name == "answer" and change is not None and change.entity == "setup_answer":
        criterion = next((c for c in content.action3.criteria if c.id == change.label), None)
        if criterion is not None:
            names = {o.id: o.name for o in content.action3.answer_scales[criterion.scale]}
    if isinstance(value, list):
        return ", ".join(names.get(str(v), str(v)) for v in value)
    if isinstance(value, bool):
        return t("common.yes") if value else t("common.no")
    if isinstance(value, str) and (word := _interface_word(name, value)) is not None:
        return word
    text = names.get(str(value), str(value))
    if isinstance(value, str) and len(text) > LONG_VALUE:
        return text[:LONG_VALUE].rstrip() + "…"
    return text
