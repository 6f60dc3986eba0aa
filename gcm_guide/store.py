"""Reads and writes of a workspace's data. Every function takes the session first (keyword-only).

Writes validate their input, check that the user is not overwriting someone else's newer value
(optimistic concurrency: a version per row), and raise InputError / NotFound / Conflict with nothing
written. The caller owns the transaction (gcm_guide.db.run_write), so a function's writes land together.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias, TypeVar

from sqlalchemy import JSON, delete, func, inspect, update
from sqlmodel import Session, SQLModel, col, select

from gcm_guide import history
from gcm_guide.content import Content, load_content
from gcm_guide.errors import Conflict, InputError, NotFound, located, validated
from gcm_guide.models import (
    CHECKLIST_STATUSES,
    MAX_ACTIVITIES,
    MAX_ROLES,
    MAX_STAKEHOLDERS,
    AwarenessActivity,
    AwarenessActivityBase,
    AwarenessActivityCreate,
    AwarenessActivityUpdate,
    ChangeLog,
    ChecklistEntry,
    EngagementPlan,
    EngagementPlanBase,
    EngagementPlanUpdate,
    GuidingAnswer,
    LongText,
    RequiredName,
    SetupAnswer,
    SetupDecision,
    SetupDecisionUpdate,
    SetupRole,
    SetupRoleBase,
    SetupRoleCreate,
    SetupRoleUpdate,
    ShortText,
    Stakeholder,
    StakeholderBase,
    StakeholderCreate,
    StakeholderUpdate,
    Workspace,
    WorkspaceCreate,
    WorkspaceUpdate,
    name_key,
    stored_id,
    utcnow,
)
from gcm_guide.workspace_data import WorkspaceData

Row = TypeVar("Row", bound=SQLModel)
# Tables whose rows hang off a workspace by their `workspace_id` (the ones counted or removed a step at a time).
_WorkspaceTable: TypeAlias = type[ChangeLog] | type[Stakeholder] | type[SetupRole] | type[AwarenessActivity]


def _changes(update_model: type[SQLModel], table: type[SQLModel], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The fields `changes` sets, validated. None clears a list; for any other field the table requires,
    None is refused here rather than left for the database to reject."""
    values = validated(update_model, changes).model_dump(exclude_unset=True)
    columns = inspect(table).columns
    for name, value in values.items():
        if value is None and name in columns and not columns[name].nullable:
            if not isinstance(columns[name].type, JSON):
                raise InputError.single(name, "empty")
            values[name] = []
    return values


def _content() -> Content:
    # Ids are the same in every language, so the default language is enough to validate them.
    return load_content()


def _require_known(field_name: str, values: Any, known: Mapping[str, Any] | set[str]) -> None:
    for value in [values] if isinstance(values, str) else list(values or []):
        if value not in known:
            raise InputError.single(field_name, "unknown_choice", value=str(value))


def _locked(session: Session, model: type[Row], **where: Any) -> Row | None:
    """Load one row and lock it until commit (PostgreSQL), so its version check cannot race."""
    return session.exec(select(model).filter_by(**where).with_for_update()).first()


def _owned(session: Session, model: type[Row], kind: str, row_id: int, workspace_id: int | None = None) -> Row:
    """Row `row_id` of `model`, locked for this transaction (of workspace `workspace_id`, when given: a row is
    only reached through its own workspace); NotFound names `kind` when there is none."""
    where = {"id": row_id} if workspace_id is None else {"id": row_id, "workspace_id": workspace_id}
    row = _locked(session, model, **where)
    if row is None:
        raise NotFound(kind, row_id)
    return row


def _insert(session: Session, entity: str, row: Any, base: type[SQLModel], label: str) -> None:
    """Add a new row to a workspace, and its creation to the history."""
    _insert_all(session, entity, [row], base, [label])


def _insert_all(
    session: Session, entity: str, rows: Sequence[Any], base: type[SQLModel], labels: Sequence[str]
) -> None:
    """Add new rows to one workspace together, each with its creation in the history."""
    if not rows:
        return
    session.add_all(rows)
    session.flush()  # the rows get their ids, for the history
    history.record_many(
        session,
        [
            {
                "workspace_id": row.workspace_id,
                "entity": entity,
                "entity_id": row.id,
                "label": label,
                "action": "create",
                "after": _snapshot(row, base),
            }
            for row, label in zip(rows, labels, strict=True)
        ],
    )
    _touch_workspace(session, rows[0].workspace_id)


def _room_for(session: Session, model: _WorkspaceTable, workspace_id: int, adding: int, limit: int) -> None:
    """Refuse rows that would take a workspace past what it can hold."""
    held = session.exec(select(func.count()).select_from(model).where(col(model.workspace_id) == workspace_id)).one()
    if held + adding > limit:
        raise InputError.single("workspace", "workspace_full", limit=limit)


def _remove(
    session: Session, entity: str, row: Any, base: type[SQLModel], label: str, before: dict[str, Any] | None = None
) -> None:
    """Delete a row of a workspace; the history keeps what it held (`before`, or the row itself)."""
    model = type(row)
    session.execute(delete(model).where(model.id == row.id))
    history.record(
        session,
        workspace_id=row.workspace_id,
        entity=entity,
        entity_id=row.id,
        label=label,
        action="delete",
        before=before if before is not None else _snapshot(row, base),
    )
    _touch_workspace(session, row.workspace_id)


@dataclass(frozen=True)
class KnownWrite:
    """What one committed write changed in a workspace, when that is known exactly: the rows it saved, and
    the workspace's last-change time before and after it. Whoever holds the workspace as it was `before` can
    have it as it is `after` without reading it all again (gcm_guide.web.resources)."""

    workspace_id: int
    before: dt.datetime
    after: dt.datetime
    rows: tuple[Any, ...]


_WRITES = "gcm_workspace_writes"  # session.info: each touch of this transaction, a KnownWrite or None
_TICK = dt.timedelta(microseconds=1)


def _touch_workspace(session: Session, workspace_id: int, saved: Any = None) -> None:
    """Move the workspace's last-change time on: readers key what they keep of a workspace on it.

    `saved`: the one row this write changed (besides its history), when that is all it changed. The time
    only ever moves forward, even for two writes in one tick of the clock or on servers whose clocks
    disagree, so a time is never seen twice. Its row is locked until commit (PostgreSQL), so the time read
    here is the one the last committed write left. The lock is the one the update takes anyway (FOR NO KEY
    UPDATE, `key_share=True`): a stronger one would deadlock with writers adding rows to the workspace, which
    hold a key-share lock on it for their foreign key."""
    locked = select(Workspace.updated_at).where(Workspace.id == workspace_id).with_for_update(key_share=True)
    before = session.exec(locked).first()
    if before is None:
        session.info.setdefault(_WRITES, []).append(None)
        return
    after = session.execute(
        update(Workspace)
        .where(col(Workspace.id) == workspace_id)
        .values(updated_at=max(utcnow(), before + _TICK))
        .returning(col(Workspace.updated_at))
    ).scalar_one()
    known = None if saved is None else KnownWrite(workspace_id, before, after, (saved,))
    session.info.setdefault(_WRITES, []).append(known)


def known_write(session: Session) -> KnownWrite | None:
    """Everything this transaction changed in one workspace, if each change named its row and nothing else
    moved the workspace on; else None (the workspace must be read again)."""
    writes = session.info.get(_WRITES) or []
    if not writes or any(w is None for w in writes):
        return None
    first, last = writes[0], writes[-1]
    for earlier, later in itertools.pairwise(writes):
        if later.workspace_id != first.workspace_id or later.before != earlier.after:
            return None
    now = session.exec(select(Workspace.updated_at).where(Workspace.id == first.workspace_id)).first()
    rows = tuple(row for write in writes for row in write.rows)
    # A row kept after the session closes must have every field loaded (an expired one cannot be read then).
    if now != last.after or any(inspect(row).unloaded for row in rows):
        return None
    return KnownWrite(first.workspace_id, first.before, last.after, rows)


class _WorkspaceRow(Protocol):
    """A versioned row that belongs to a workspace (every table `_apply` writes, but the workspace itself)."""

    id: int | None
    workspace_id: int
    version: int
    updated_at: dt.datetime


def _apply(
    session: Session,
    entity: str,
    row: Workspace | _WorkspaceRow,
    changes: Mapping[str, Any],
    expected_version: int | None,
    base: Mapping[str, Any] | None,
) -> bool:
    """Apply `changes` to `row` unless that would overwrite someone else's newer value.

    `expected_version` is the row version the user loaded and `base` the field values they saw. If the
    row moved on since, a field may still be saved when the other change left it alone (its value is
    still `base`) or made it equal to ours; otherwise Conflict is raised and nothing is written.
    """
    current_version = row.version
    if expected_version is not None and current_version != expected_version:
        for name, mine in changes.items():
            theirs = getattr(row, name)
            untouched = base is not None and name in base and theirs == base[name]
            if not untouched and theirs != mine:
                raise Conflict(entity, name, mine, theirs, current_version)
    changed = {name: value for name, value in changes.items() if getattr(row, name) != value}
    if not changed:
        return False
    before = {name: getattr(row, name) for name in changed}
    for name, value in changed.items():
        setattr(row, name, value)
    row.version = current_version + 1
    row.updated_at = utcnow()
    session.add(row)
    session.flush()  # a new row gets its id, for the history
    visible = [name for name in changed if not name.endswith("_key")]
    if visible:
        history.record(
            session,
            workspace_id=stored_id(row) if isinstance(row, Workspace) else row.workspace_id,
            entity=entity,
            entity_id=row.id,
            label=_label(session, entity, row),
            action="create" if current_version == 0 else "update",
            before=None if current_version == 0 else {name: before[name] for name in visible},
            after={name: changed[name] for name in visible},
        )
    return True


def _label(session: Session, entity: str, row: Any) -> str:
    """What a history entry is about, in words a person recognises."""
    if entity == "engagement_plan":
        person = session.get(Stakeholder, row.stakeholder_id)
        return person.name if person else ""
    for attribute in ("name", "title", "question_id", "criterion_id", "item_id", "body"):
        if hasattr(row, attribute):
            return str(getattr(row, attribute))
    return entity


def _snapshot(row: Any, model: type[SQLModel]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in model.model_fields}


# --- Workspaces -----------------------------------------------------------------------------------------
_VISIBLE = col(Workspace.hidden_since).is_(None)


def list_workspaces(*, session: Session) -> list[Workspace]:
    """All workspaces, most recently edited first (not those still being restored or removed)."""
    query = select(Workspace).where(_VISIBLE).order_by(col(Workspace.updated_at).desc(), col(Workspace.id).desc())
    return list(session.exec(query))


@dataclass(frozen=True)
class WorkspaceSummary:
    workspace: Workspace
    stakeholders: int
    answers: int


def workspace_summaries(*, session: Session) -> list[WorkspaceSummary]:
    """All workspaces (most recently edited first) with how many stakeholders and answers each holds."""
    stakeholders = dict(
        session.exec(select(Stakeholder.workspace_id, func.count()).group_by(col(Stakeholder.workspace_id))).all()
    )
    answers = dict(
        session.exec(
            select(GuidingAnswer.workspace_id, func.count())
            .where(GuidingAnswer.text != "")
            .group_by(col(GuidingAnswer.workspace_id))
        ).all()
    )
    return [
        WorkspaceSummary(
            workspace=w, stakeholders=stakeholders.get(stored_id(w), 0), answers=answers.get(stored_id(w), 0)
        )
        for w in list_workspaces(session=session)
    ]


def get_workspace(*, session: Session, public_id: str) -> Workspace:
    workspace = session.exec(select(Workspace).where(Workspace.public_id == public_id, _VISIBLE)).first()
    if workspace is None:
        raise NotFound("workspace", public_id)
    return workspace


def _check_workspace_name(session: Session, name: str, *, except_id: int | None = None) -> str:
    key = name_key(name)
    clash = session.exec(select(Workspace.id).where(Workspace.name_key == key)).first()
    if clash is not None and clash != except_id:
        raise InputError.single("name", "duplicate_workspace", name=name)
    return key


def create_workspace(*, session: Session, data: Mapping[str, Any], hidden: bool = False) -> Workspace:
    """Create a workspace; its name must be unique (ignoring case and spaces). `hidden`: nobody sees it until
    `reveal_workspace` (a restore writes it in several steps)."""
    workspace_in = validated(WorkspaceCreate, data)
    key = _check_workspace_name(session, workspace_in.name)
    workspace = Workspace.model_validate(
        workspace_in, update={"name_key": key, "hidden_since": utcnow() if hidden else None}
    )
    session.add(workspace)
    session.flush()
    return workspace


def update_workspace(
    *,
    session: Session,
    workspace_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> Workspace:
    """Rename a workspace or change its country, level or own under-represented voices."""
    values = _changes(WorkspaceUpdate, Workspace, changes)
    workspace = _owned(session, Workspace, "workspace", workspace_id)
    if "name" in values:
        values["name_key"] = _check_workspace_name(session, values["name"], except_id=workspace_id)
    if "custom_voices" in values:
        _check_custom_voices(values["custom_voices"])
    _apply(session, "workspace", workspace, values, expected_version, base)
    return workspace


def reveal_workspace(*, session: Session, workspace_id: int) -> Workspace:
    """Show a workspace written in several steps, now that it is complete."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound("workspace", workspace_id)
    workspace.hidden_since = None
    workspace.updated_at = utcnow()
    session.add(workspace)
    return workspace


def hide_workspace(*, session: Session, workspace_id: int) -> int:
    """Hide a workspace from everyone (the first step of removing it); returns its id."""
    result = session.exec(
        update(Workspace).where(col(Workspace.id) == workspace_id, _VISIBLE).values(hidden_since=utcnow())
    )
    if result.rowcount == 0:
        raise NotFound("workspace", workspace_id)
    return workspace_id


# Rows that hang off a workspace, removed in this order before the workspace itself; each of them is cut into
# steps of at most this many rows (deleting a stakeholder also deletes its plan, votes and placements).
_REMOVED_FIRST: tuple[_WorkspaceTable, ...] = (ChangeLog, Stakeholder, SetupRole, AwarenessActivity)
REMOVE_STEP = 500


def remove_some_rows(*, session: Session, workspace_id: int, limit: int = REMOVE_STEP) -> int:
    """Delete up to `limit` rows of a hidden workspace; once none are left, the workspace itself (then 0)."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        return 0
    if workspace.hidden_since is None:
        raise InputError.single("workspace", "not_hidden")
    for model in _REMOVED_FIRST:
        ids = list(session.exec(select(model.id).where(col(model.workspace_id) == workspace_id).limit(limit)))
        if ids:
            session.execute(delete(model).where(col(model.id).in_(ids)))
            return len(ids)
    session.execute(delete(Workspace).where(col(Workspace.id) == workspace_id))
    return 0


def delete_workspace(*, session: Session, workspace_id: int) -> int:
    """Delete a workspace and everything in it in one transaction; returns its id. (A page removes a
    workspace in short steps instead: gcm_guide.long_writes.remove_workspace.)"""
    result = session.exec(delete(Workspace).where(col(Workspace.id) == workspace_id))
    if result.rowcount == 0:
        raise NotFound("workspace", workspace_id)
    return workspace_id


def stale_hidden_workspaces(*, session: Session, older_than: dt.timedelta) -> list[int]:
    """Workspaces left hidden by a restore or removal that stopped part way (the server was stopped)."""
    cutoff = utcnow() - older_than
    ids = session.exec(select(col(Workspace.id)).where(col(Workspace.hidden_since) < cutoff))
    return [i for i in ids if i is not None]  # every stored row has an id: this only narrows the type


def add_custom_voice(*, session: Session, workspace_id: int, label: str) -> Workspace:
    """Add an under-represented voice of the team's own to the workspace's list."""
    workspace = _owned(session, Workspace, "workspace", workspace_id)
    cleaned = validated(_VoiceInput, {"voice": label}).voice
    _save_custom_voices(session, workspace, [*workspace.custom_voices, cleaned])
    return workspace


def set_group_reason(*, session: Session, workspace_id: int, group_id: str, reason: str) -> Workspace:
    """Record why a stakeholder group has nobody on the register (an empty reason removes it)."""
    _require_known("group_id", group_id, _content().group_names)
    text = validated(_ReasonInput, {"reason": reason}).reason.strip()
    workspace = _owned(session, Workspace, "workspace", workspace_id)
    reasons = {k: v for k, v in (workspace.group_reasons or {}).items() if k != group_id}
    if text:
        reasons[group_id] = text
    _apply(session, "workspace", workspace, {"group_reasons": reasons or None}, None, None)
    return workspace


def _save_custom_voices(session: Session, workspace: Workspace, labels: list[str]) -> None:
    """The way a voice joins the workspace's own list, whether typed on its own or on a stakeholder:
    within the limit a backup accepts, each voice distinct, versioned and in the history."""
    values = _changes(WorkspaceUpdate, Workspace, {"custom_voices": labels})
    _check_custom_voices(values["custom_voices"])
    _apply(session, "workspace", workspace, values, None, None)


def _check_custom_voices(labels: Sequence[str]) -> None:
    """A workspace's own voices are each different, ignoring case and spacing, from each other and from the
    voices the guidance names (a backup could not be restored otherwise)."""
    seen = {name_key(v.name) for v in _content().action1.underrepresented_voices}
    for label in labels:
        if name_key(label) in seen:
            raise InputError.single("voice", "duplicate_voice", name=label)
        seen.add(name_key(label))


def _voice_canon(session: Session, workspace_id: int) -> dict[str, str]:
    """How each known voice is stored, by the form used to compare names: a guidance voice by its id even
    when typed by name ("migrant women"), and a workspace's own voice in the spelling it already has."""
    content = _content()
    known = {name_key(v.name): v.id for v in content.action1.underrepresented_voices}
    known |= {name_key(v.id): v.id for v in content.action1.underrepresented_voices}
    workspace = session.get(Workspace, workspace_id)
    for label in workspace.custom_voices if workspace else []:
        known.setdefault(name_key(label), label)
    return known


def _canonical_voices(session: Session, workspace_id: int, voices: list[str]) -> list[str]:
    """The voices as stored, each once (see `_voice_canon`)."""
    known = _voice_canon(session, workspace_id)
    return list(dict.fromkeys(known.get(name_key(v), v) for v in voices))


def _register_voices(session: Session, workspace_id: int, voices: list[str]) -> None:
    """Custom voices typed on a stakeholder join the workspace's own voice list."""
    builtin = set(_content().voice_names)
    new = [v for v in voices if v not in builtin]
    if not new:
        return
    workspace = _owned(session, Workspace, "workspace", workspace_id)
    missing = [v for v in new if v not in workspace.custom_voices]
    if missing:
        _save_custom_voices(session, workspace, [*workspace.custom_voices, *missing])


# --- Everything in a workspace ----------------------------------------------------------------------------
def load_workspace_data(*, session: Session, workspace_id: int) -> WorkspaceData:
    """Load a whole workspace in one read."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound("workspace", workspace_id)
    ws = workspace_id
    data = WorkspaceData(workspace=workspace)
    data.answers = {
        a.question_id: a for a in session.exec(select(GuidingAnswer).where(GuidingAnswer.workspace_id == ws))
    }
    data.stakeholders = list(
        session.exec(select(Stakeholder).where(Stakeholder.workspace_id == ws).order_by(col(Stakeholder.id)))
    )
    data.plans = {
        p.stakeholder_id: p for p in session.exec(select(EngagementPlan).where(EngagementPlan.workspace_id == ws))
    }
    data.setup_answers = {
        a.criterion_id: a for a in session.exec(select(SetupAnswer).where(SetupAnswer.workspace_id == ws))
    }
    data.decision = session.exec(select(SetupDecision).where(SetupDecision.workspace_id == ws)).first()
    data.roles = list(session.exec(select(SetupRole).where(SetupRole.workspace_id == ws).order_by(col(SetupRole.id))))
    data.activities = list(
        session.exec(
            select(AwarenessActivity).where(AwarenessActivity.workspace_id == ws).order_by(col(AwarenessActivity.id))
        )
    )
    data.checklist = {
        e.item_id: e for e in session.exec(select(ChecklistEntry).where(ChecklistEntry.workspace_id == ws))
    }
    return data


# --- Guiding questions -------------------------------------------------------------------------------------
def save_answer(
    *,
    session: Session,
    workspace_id: int,
    question_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> GuidingAnswer:
    """Save the answer to one guiding question; `changes` is {"text": ...} (version 0: no answer yet)."""
    _require_known("question", question_id, {q.id for q in _content().guiding_questions.questions})
    values = validated(_TextInput, changes).model_dump(exclude_unset=True)
    answer = _locked(session, GuidingAnswer, workspace_id=workspace_id, question_id=question_id)
    if answer is None:
        if session.get(Workspace, workspace_id) is None:
            raise NotFound("workspace", workspace_id)
        answer = GuidingAnswer(workspace_id=workspace_id, question_id=question_id, text="", version=0)
    if _apply(session, "answer", answer, values, expected_version, base):
        _touch_workspace(session, workspace_id, saved=answer)
    return answer


def field_saver(update: Any, field_name: str, **ids: Any) -> Any:
    """Adapt an update function to the one-field `save(session=, value=, expected_version=, base=)` form
    that autosaving widgets use."""

    def save(*, session: Session, value: Any, expected_version: int | None, base: Any) -> Any:
        return update(
            session=session,
            **ids,
            changes={field_name: value},
            expected_version=expected_version,
            base=None if base is None else {field_name: base},
        )

    return save


class _VoiceInput(SQLModel):
    voice: RequiredName


class _TextInput(SQLModel):
    text: LongText = ""


class _BodyInput(SQLModel):
    body: ShortText = ""


class _ReviewDates(SQLModel):
    reviewed_on: dt.date | None = None
    next_review_on: dt.date | None = None


class _ReasonInput(SQLModel):
    reason: LongText = ""


# --- Stakeholders ------------------------------------------------------------------------------------------
def _check_stakeholder_name(session: Session, workspace_id: int, name: str, *, except_id: int | None = None) -> str:
    key = name_key(name)
    clash = session.exec(
        select(Stakeholder.id).where(Stakeholder.workspace_id == workspace_id, Stakeholder.name_key == key)
    ).first()
    if clash is not None and clash != except_id:
        raise InputError.single("name", "duplicate_stakeholder", name=name)
    return key


def add_stakeholder(*, session: Session, workspace_id: int, data: Mapping[str, Any]) -> Stakeholder:
    """Add a stakeholder to the register."""
    return add_stakeholders(session=session, workspace_id=workspace_id, rows=[data])[0]


def add_stakeholders(
    *, session: Session, workspace_id: int, rows: Sequence[Mapping[str, Any]], where: Sequence[str] | None = None
) -> list[Stakeholder]:
    """Add several stakeholders to the register together (a refused row adds none).

    Each row is checked as a single addition is; `where` names each row's place in the input ("rows.4") so a
    refusal says which row it is about."""
    # Every check that needs no database runs first: on SQLite a write transaction holds the database from its
    # first statement, and checking 5,000 rows takes longer than another person's save should ever wait.
    content = _content()
    checked: list[tuple[str | None, StakeholderCreate, str]] = []
    in_batch: set[str] = set()
    for index, data in enumerate(rows):
        place = where[index] if where else None
        with located(place):
            stakeholder_in = validated(StakeholderCreate, data)
            _require_known("group_id", stakeholder_in.group_id, content.group_names)
            if stakeholder_in.lead_candidate is not None:
                _require_known("lead_candidate", stakeholder_in.lead_candidate, content.lead_candidate_names)
            key = name_key(stakeholder_in.name)
            if key in in_batch:
                raise InputError.single("name", "duplicate_stakeholder", name=stakeholder_in.name)
        in_batch.add(key)
        checked.append((place, stakeholder_in, key))
    people = [
        Stakeholder.model_validate(one, update={"workspace_id": workspace_id, "name_key": key})
        for _, one, key in checked
    ]

    if session.get(Workspace, workspace_id) is None:
        raise NotFound("workspace", workspace_id)
    _room_for(session, Stakeholder, workspace_id, len(rows), MAX_STAKEHOLDERS)
    taken = set(session.exec(select(Stakeholder.name_key).where(Stakeholder.workspace_id == workspace_id)))
    for place, one, key in checked:
        if key in taken:
            with located(place):
                raise InputError.single("name", "duplicate_stakeholder", name=one.name)
    canonical = _voice_canon(session, workspace_id)
    for person in people:
        if person.voices:  # written as the register already spells each voice
            person.voices = list(dict.fromkeys(canonical.get(name_key(v), v) for v in person.voices))
    _register_voices(session, workspace_id, [v for person in people for v in person.voices])
    _insert_all(session, "stakeholder", people, StakeholderBase, [person.name for person in people])
    return people


def get_stakeholder(*, session: Session, workspace_id: int, stakeholder_id: int) -> Stakeholder:
    person = session.exec(
        select(Stakeholder).where(Stakeholder.id == stakeholder_id, Stakeholder.workspace_id == workspace_id)
    ).first()
    if person is None:
        raise NotFound("stakeholder", stakeholder_id)
    return person


def update_stakeholder(
    *,
    session: Session,
    workspace_id: int,
    stakeholder_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> Stakeholder:
    """Change some fields of one stakeholder."""
    values = _changes(StakeholderUpdate, Stakeholder, changes)
    if "group_id" in values:
        _require_known("group_id", values["group_id"], _content().group_names)
    if values.get("lead_candidate") is not None:
        _require_known("lead_candidate", values["lead_candidate"], _content().lead_candidate_names)
    stakeholder = _owned(session, Stakeholder, "stakeholder", stakeholder_id, workspace_id)
    if "name" in values:
        values["name_key"] = _check_stakeholder_name(session, workspace_id, values["name"], except_id=stakeholder_id)
    if "voices" in values:
        values["voices"] = _canonical_voices(session, workspace_id, values["voices"])
    if _apply(session, "stakeholder", stakeholder, values, expected_version, base):
        _register_voices(session, workspace_id, stakeholder.voices)
        _touch_workspace(session, workspace_id)
    return stakeholder


def delete_stakeholder(*, session: Session, workspace_id: int, stakeholder_id: int) -> None:
    """Remove a stakeholder (and its engagement plan) from the register; the history keeps both."""
    person = _owned(session, Stakeholder, "stakeholder", stakeholder_id, workspace_id)
    before = _snapshot(person, StakeholderBase)
    plan = session.exec(select(EngagementPlan).where(EngagementPlan.stakeholder_id == stakeholder_id)).first()
    before["plan"] = _snapshot(plan, EngagementPlanBase) if plan else None
    _remove(session, "stakeholder", person, StakeholderBase, person.name, before)


def stakeholder_names(*, session: Session, workspace_id: int) -> dict[int, str]:
    """The register's names by stakeholder id, in alphabetical order (a light read for pickers)."""
    rows = session.exec(
        select(Stakeholder.id, Stakeholder.name)
        .where(Stakeholder.workspace_id == workspace_id)
        .order_by(Stakeholder.name)
    ).all()
    return {stakeholder_id: name for stakeholder_id, name in rows if stakeholder_id is not None}


def count_stakeholders(*, session: Session, workspace_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Stakeholder).where(Stakeholder.workspace_id == workspace_id)
    ).one()


# --- Engagement plans -------------------------------------------------------------------------------------
def save_engagement_plan(
    *,
    session: Session,
    workspace_id: int,
    stakeholder_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> EngagementPlan:
    """Create or change the engagement plan of one stakeholder."""
    values = _changes(EngagementPlanUpdate, EngagementPlan, changes)
    content = _content()
    _require_known("mechanisms", values.get("mechanisms"), content.mechanism_names)
    _require_known("mediums", values.get("mediums"), content.medium_names)
    _require_known("phases", values.get("phases"), content.phase_names)
    stakeholder = session.exec(
        select(Stakeholder.id).where(Stakeholder.id == stakeholder_id, Stakeholder.workspace_id == workspace_id)
    ).first()
    if stakeholder is None:
        raise NotFound("stakeholder", stakeholder_id)
    plan = _locked(session, EngagementPlan, stakeholder_id=stakeholder_id)
    if plan is None:
        plan = EngagementPlan(workspace_id=workspace_id, stakeholder_id=stakeholder_id, version=0)
    if _apply(session, "engagement_plan", plan, values, expected_version, base):
        _touch_workspace(session, workspace_id, saved=plan)
    return plan


def save_engagement_plans(
    *,
    session: Session,
    workspace_id: int,
    plans: Mapping[int, Mapping[str, Any]],
    where: Mapping[int, str] | None = None,
) -> list[EngagementPlan]:
    """Create or change the plans of several stakeholders together (all or none): copying one plan to many
    rows, or restoring a register. `plans` maps a stakeholder id to the fields to set on its plan."""
    content = _content()
    checked: dict[int, dict[str, Any]] = {}
    for stakeholder_id, changes in plans.items():
        with located((where or {}).get(stakeholder_id)):
            values = _changes(EngagementPlanUpdate, EngagementPlan, changes)
            _require_known("mechanisms", values.get("mechanisms"), content.mechanism_names)
            _require_known("mediums", values.get("mediums"), content.medium_names)
            _require_known("phases", values.get("phases"), content.phase_names)
        checked[stakeholder_id] = values
    ids = list(checked)
    found = set(
        session.exec(
            select(Stakeholder.id).where(Stakeholder.workspace_id == workspace_id, col(Stakeholder.id).in_(ids))
        )
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound("stakeholder", missing[0])
    existing = {
        plan.stakeholder_id: plan
        for plan in session.exec(
            select(EngagementPlan).where(col(EngagementPlan.stakeholder_id).in_(ids)).with_for_update()
        )
    }
    saved, created = [], []
    now = utcnow()
    for stakeholder_id, values in checked.items():
        plan = existing.get(stakeholder_id)
        if plan is not None:
            _apply(session, "engagement_plan", plan, values, None, None)
        else:
            # New plans are written together (one flush), with every column given so none is defaulted row by row.
            plan = EngagementPlan(
                workspace_id=workspace_id,
                stakeholder_id=stakeholder_id,
                version=1,
                updated_at=now,
                **{"mechanisms": [], "mediums": [], "phases": []} | values,
            )
            created.append((plan, values))
        saved.append(plan)
    session.add_all([plan for plan, _ in created])
    session.flush()
    names = dict(session.exec(select(Stakeholder.id, Stakeholder.name).where(col(Stakeholder.id).in_(ids))).all())
    for plan, values in created:
        history.record(
            session,
            workspace_id=workspace_id,
            entity="engagement_plan",
            entity_id=plan.id,
            label=names.get(plan.stakeholder_id, ""),
            action="create",
            after=values,
        )
    _touch_workspace(session, workspace_id)
    return saved


# --- Institutional set-up ---------------------------------------------------------------------------------
def save_setup_answer(
    *,
    session: Session,
    workspace_id: int,
    criterion_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> SetupAnswer:
    """Save the answer (a choice on the criterion's scale), the body it is about, and/or the note for one
    set-up criterion."""
    action3 = _content().action3
    criterion = next((c for c in action3.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise InputError.single("criterion", "unknown_choice", value=criterion_id)
    values = dict(changes)
    unknown = set(values) - {"answer", "body", "note"}
    if unknown:
        raise InputError.single(sorted(unknown)[0], "extra_forbidden")
    if values.get("answer") is not None:
        _require_known("answer", values["answer"], {o.id for o in action3.answer_scales[criterion.scale]})
    if "note" in values:
        values["note"] = validated(_TextInput, {"text": values["note"]}).text
    if "body" in values:
        values["body"] = validated(_BodyInput, {"body": values["body"] or ""}).body
    row = _locked(session, SetupAnswer, workspace_id=workspace_id, criterion_id=criterion_id)
    if row is None:
        row = SetupAnswer(workspace_id=workspace_id, criterion_id=criterion_id, version=0)
    if _apply(session, "setup_answer", row, values, expected_version, base):
        _touch_workspace(session, workspace_id, saved=row)
    return row


def save_setup_decision(
    *,
    session: Session,
    workspace_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> SetupDecision:
    """Save the chosen set-up option, its lead bodies and rationale, and the agreed work processes."""
    values = _changes(SetupDecisionUpdate, SetupDecision, changes)
    decision = _locked(session, SetupDecision, workspace_id=workspace_id)
    if decision is None:
        decision = SetupDecision(workspace_id=workspace_id, version=0)
    if _apply(session, "setup_decision", decision, values, expected_version, base):
        _touch_workspace(session, workspace_id, saved=decision)
    return decision


def choose_setup(
    *,
    session: Session,
    workspace_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> SetupDecision:
    """Record the chosen option together with the recommendation it was chosen against.

    `changes` holds "chosen_option" and "recommended_option"; whether the team followed the
    recommendation is derived here so the three never disagree.
    """
    values = dict(changes)
    chosen, recommended = values.get("chosen_option"), values.get("recommended_option")
    values["followed_recommendation"] = None if chosen is None or recommended is None else chosen == recommended
    return save_setup_decision(
        session=session, workspace_id=workspace_id, changes=values, expected_version=expected_version, base=base
    )


def choice_saver(workspace_id: int, recommended_option: str | None) -> Any:
    """The autosave form of `choose_setup` for the decision widget, bound to the current recommendation."""

    def save(*, session: Session, value: Any, expected_version: int | None, base: Any) -> SetupDecision:
        return choose_setup(
            session=session,
            workspace_id=workspace_id,
            changes={"chosen_option": value, "recommended_option": recommended_option},
            expected_version=expected_version,
            base=None if base is None else {"chosen_option": base, "recommended_option": recommended_option},
        )

    return save


def accept_recommendation(*, session: Session, workspace_id: int, option: str, lead_body: str | None) -> SetupDecision:
    """Choose the recommended option; name the suggested lead body if the team has not named one."""
    decision = choose_setup(
        session=session, workspace_id=workspace_id, changes={"chosen_option": option, "recommended_option": option}
    )
    if lead_body and not decision.lead_bodies.strip():
        decision = save_setup_decision(session=session, workspace_id=workspace_id, changes={"lead_bodies": lead_body})
    return decision


def add_roles(
    *, session: Session, workspace_id: int, rows: Sequence[Mapping[str, Any]], where: Sequence[str] | None = None
) -> list[SetupRole]:
    """Add several rows to the roles table together (all or none)."""
    if session.get(Workspace, workspace_id) is None:
        raise NotFound("workspace", workspace_id)
    _room_for(session, SetupRole, workspace_id, len(rows), MAX_ROLES)
    roles = []
    for index, data in enumerate(rows):
        with located(where[index] if where else None):
            role_in = validated(SetupRoleCreate, data)
        roles.append(SetupRole.model_validate(role_in, update={"workspace_id": workspace_id}))
    _insert_all(session, "role", roles, SetupRoleBase, [role.body for role in roles])
    return roles


def add_role(*, session: Session, workspace_id: int, data: Mapping[str, Any]) -> SetupRole:
    """Add a body and its role to the set-up's roles and reporting table."""
    return add_roles(session=session, workspace_id=workspace_id, rows=[data])[0]


def update_role(
    *,
    session: Session,
    workspace_id: int,
    role_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> SetupRole:
    """Change one row of the roles table."""
    values = _changes(SetupRoleUpdate, SetupRole, changes)
    role = _owned(session, SetupRole, "role", role_id, workspace_id)
    if _apply(session, "role", role, values, expected_version, base):
        _touch_workspace(session, workspace_id)
    return role


def delete_role(*, session: Session, workspace_id: int, role_id: int) -> None:
    """Remove one row of the roles table; the history keeps it."""
    role = _owned(session, SetupRole, "role", role_id, workspace_id)
    _remove(session, "role", role, SetupRoleBase, role.body)


# --- Awareness activities ---------------------------------------------------------------------------------
def _check_activity(values: Mapping[str, Any], existing: AwarenessActivity | None = None) -> None:
    if values.get("activity_type") is not None:
        _require_known("activity_type", values["activity_type"], _content().activity_type_names)
    starts = values.get("starts_on", existing.starts_on if existing else None)
    ends = values.get("ends_on", existing.ends_on if existing else None)
    if starts and ends and ends < starts:
        raise InputError.single("ends_on", "ends_before_start")


def add_activity(*, session: Session, workspace_id: int, data: Mapping[str, Any]) -> AwarenessActivity:
    """Add an awareness-raising activity to the plan."""
    return add_activities(session=session, workspace_id=workspace_id, rows=[data])[0]


def add_activities(
    *, session: Session, workspace_id: int, rows: Sequence[Mapping[str, Any]], where: Sequence[str] | None = None
) -> list[AwarenessActivity]:
    """Add several awareness activities together (all or none)."""
    if session.get(Workspace, workspace_id) is None:
        raise NotFound("workspace", workspace_id)
    _room_for(session, AwarenessActivity, workspace_id, len(rows), MAX_ACTIVITIES)
    activities = []
    for index, data in enumerate(rows):
        with located(where[index] if where else None):
            activity_in = validated(AwarenessActivityCreate, data)
            _check_activity(activity_in.model_dump())
        activities.append(AwarenessActivity.model_validate(activity_in, update={"workspace_id": workspace_id}))
    _insert_all(session, "activity", activities, AwarenessActivityBase, [a.title for a in activities])
    return activities


def update_activity(
    *,
    session: Session,
    workspace_id: int,
    activity_id: int,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> AwarenessActivity:
    """Change some fields of one awareness activity."""
    values = _changes(AwarenessActivityUpdate, AwarenessActivity, changes)
    activity = _owned(session, AwarenessActivity, "activity", activity_id, workspace_id)
    _check_activity(values, activity)
    if _apply(session, "activity", activity, values, expected_version, base):
        _touch_workspace(session, workspace_id)
    return activity


def delete_activity(*, session: Session, workspace_id: int, activity_id: int) -> None:
    """Remove an awareness activity from the plan; the history keeps it."""
    activity = _owned(session, AwarenessActivity, "activity", activity_id, workspace_id)
    _remove(session, "activity", activity, AwarenessActivityBase, activity.title)


# --- Checklist --------------------------------------------------------------------------------------------
def save_checklist_entry(
    *,
    session: Session,
    workspace_id: int,
    item_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    base: Mapping[str, Any] | None = None,
) -> ChecklistEntry:
    """Confirm or override one checklist item's status (None follows the data again), edit its notes, or record
    when it was last reviewed and is next due. An ongoing item is never done: it is under way."""
    item = next((i for i in _content().checklist.items if i.id == item_id), None)
    if item is None:
        raise InputError.single("item", "unknown_choice", value=item_id)
    values = dict(changes)
    unknown = set(values) - {"confirmed_status", "notes", "reviewed_on", "next_review_on"}
    if unknown:
        raise InputError.single(sorted(unknown)[0], "extra_forbidden")
    if values.get("confirmed_status") is not None:
        allowed = {s for s in CHECKLIST_STATUSES if not (item.ongoing and s == "done")}
        _require_known("confirmed_status", values["confirmed_status"], allowed)
    if "notes" in values:
        values["notes"] = validated(_TextInput, {"text": values["notes"]}).text
    dates: dict[str, Any] = {name: values[name] for name in ("reviewed_on", "next_review_on") if name in values}
    if dates:
        values |= validated(_ReviewDates, dates).model_dump(exclude_unset=True)
    entry = _locked(session, ChecklistEntry, workspace_id=workspace_id, item_id=item_id)
    if entry is None:
        entry = ChecklistEntry(workspace_id=workspace_id, item_id=item_id, version=0)
    if _apply(session, "checklist_entry", entry, values, expected_version, base):
        _touch_workspace(session, workspace_id, saved=entry)
    return entry
