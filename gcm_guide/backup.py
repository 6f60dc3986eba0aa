"""A complete, versioned JSON backup of one workspace, and its restore into a new workspace.

The file holds everything a team entered (not database ids, versions or timestamps, which belong to the
database it came from). Reading one is strict: a broken, truncated, oversized, newer-format or tampered file
is refused with a message that says what is wrong, and a restore writes everything or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session

from gcm_guide import store
from gcm_guide.errors import InputError, Problem
from gcm_guide.models import (
    MAX_CUSTOM_VOICES,
    MAX_VOICES,
    ActivityStatus,
    Audience,
    ChecklistStatus,
    EngagementStatus,
    GovernmentLevel,
    LongText,
    ParticipationLevel,
    ProposedBy,
    RequiredName,
    SetupOption,
    SetupRoleName,
    ShortText,
    Workspace,
    WorkspaceLevel,
)
from gcm_guide.workspace_data import WorkspaceData

FORMAT = "gcm-kickoff-guide-backup"
FORMAT_VERSION = 1
MAX_BYTES = 25 * 1024 * 1024
MAX_ITEMS = 20_000
MAX_PROBLEMS_SHOWN = 8


class _Strict(BaseModel):
    # Unknown fields are refused (a typo or a tampered file), and types are not coerced ("5" is not 5).
    model_config = ConfigDict(extra="forbid", strict=True)


class WorkspaceRecord(_Strict):
    name: RequiredName
    country: ShortText = ""
    level: WorkspaceLevel = "national"
    custom_voices: list[RequiredName] = Field(default_factory=list, max_length=MAX_CUSTOM_VOICES)


class AnswerRecord(_Strict):
    question_id: str = Field(max_length=64)
    text: LongText = ""


class PlanRecord(_Strict):
    participation_level: ParticipationLevel | None = None
    mechanisms: list[str] = Field(default_factory=list, max_length=50)
    mediums: list[str] = Field(default_factory=list, max_length=50)
    phases: list[str] = Field(default_factory=list, max_length=50)
    time_and_resources: LongText = ""
    capacity_development: LongText = ""
    fair_representation: LongText = ""
    accessibility_measures: LongText = ""
    information_to_share: LongText = ""


class StakeholderRecord(_Strict):
    name: RequiredName
    group_id: str = Field(max_length=64)
    government_level: GovernmentLevel | None = None
    sector: ShortText = ""
    affected: int | None = Field(default=None, ge=1, le=5)
    influence: int | None = Field(default=None, ge=1, le=5)
    interest: int | None = Field(default=None, ge=1, le=5)
    voices: list[RequiredName] = Field(default_factory=list, max_length=MAX_VOICES)
    engagement_status: EngagementStatus = "identified"
    engagement_in_governance: LongText = ""
    role_and_interest: LongText = ""
    conflicts_of_interest: LongText = ""
    trust_building: LongText = ""
    proposed_by: ProposedBy = ""
    plan: PlanRecord | None = None


class SetupAnswerRecord(_Strict):
    criterion_id: str = Field(max_length=64)
    answer: str | None = Field(default=None, max_length=32)
    note: LongText = ""


class DecisionRecord(_Strict):
    chosen_option: SetupOption | None = None
    recommended_option: SetupOption | None = None
    followed_recommendation: bool | None = None
    deviation_reason: LongText = ""
    lead_bodies: LongText = ""
    rationale: LongText = ""
    terms_of_reference: LongText = ""
    work_plan: LongText = ""


class RoleRecord(_Strict):
    body: RequiredName
    role: SetupRoleName = "member"
    responsibilities: LongText = ""
    reports_to: ShortText = ""
    reporting_duties: LongText = ""


class ActivityRecord(_Strict):
    title: RequiredName
    audience: Audience
    activity_type: str = Field(max_length=64)
    objective: LongText = ""
    # Dates travel as ISO strings ("2027-03-01"), the one lax spot in a strict file.
    starts_on: dt.date | None = Field(default=None, strict=False)
    ends_on: dt.date | None = Field(default=None, strict=False)
    timing_note: ShortText = ""
    lead: ShortText = ""
    status: ActivityStatus = "planned"


class ChecklistRecord(_Strict):
    item_id: str = Field(max_length=64)
    confirmed_status: ChecklistStatus | None = None
    notes: LongText = ""


class Backup(_Strict):
    """The whole file."""

    format: Literal["gcm-kickoff-guide-backup"]
    format_version: int
    exported_at: str = Field(max_length=64)
    workspace: WorkspaceRecord
    answers: list[AnswerRecord] = Field(default_factory=list, max_length=100)
    stakeholders: list[StakeholderRecord] = Field(default_factory=list, max_length=MAX_ITEMS)
    setup_answers: list[SetupAnswerRecord] = Field(default_factory=list, max_length=100)
    decision: DecisionRecord | None = None
    roles: list[RoleRecord] = Field(default_factory=list, max_length=MAX_ITEMS)
    activities: list[ActivityRecord] = Field(default_factory=list, max_length=MAX_ITEMS)
    checklist: list[ChecklistRecord] = Field(default_factory=list, max_length=100)


# --- Export -------------------------------------------------------------------------------------------------
def _pick(row: Any, model: type[BaseModel]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in model.model_fields if hasattr(row, name)}


def _holds_something(record: Mapping[str, Any], key: str = "") -> bool:
    """Whether an entry holds more than its key. An entry the team filled in and then cleared leaves an empty
    row behind; it says nothing and a restore would not recreate it, so backups leave it out."""
    return any(value not in (None, "", []) for name, value in record.items() if name != key)


def _entries(rows: Iterable[Any], model: type[BaseModel], key: str) -> list[dict[str, Any]]:
    """The entries that hold something, in the order of their key."""
    records = [_pick(row, model) for row in rows]
    return sorted((r for r in records if _holds_something(r, key)), key=lambda r: r[key])


def _single(row: Any, model: type[BaseModel]) -> dict[str, Any] | None:
    record = _pick(row, model) if row is not None else None
    return record if record is not None and _holds_something(record) else None


def export_workspace(data: WorkspaceData, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the team entered in one workspace, as plain JSON-ready data."""
    stakeholders = []
    for person in data.stakeholders:
        record = _pick(person, StakeholderRecord)
        plan = data.plans.get(person.id)
        record["plan"] = _single(plan, PlanRecord)
        stakeholders.append(record)
    activities = []
    for activity in data.activities:
        record = _pick(activity, ActivityRecord)
        record["starts_on"] = activity.starts_on.isoformat() if activity.starts_on else None
        record["ends_on"] = activity.ends_on.isoformat() if activity.ends_on else None
        activities.append(record)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "workspace": _pick(data.workspace, WorkspaceRecord) | {"custom_voices": list(data.workspace.custom_voices)},
        "answers": _entries(data.answers.values(), AnswerRecord, key="question_id"),
        "stakeholders": stakeholders,
        "setup_answers": _entries(data.setup_answers.values(), SetupAnswerRecord, key="criterion_id"),
        "decision": _single(data.decision, DecisionRecord),
        "roles": [_pick(r, RoleRecord) for r in data.roles],
        "activities": activities,
        "checklist": _entries(data.checklist.values(), ChecklistRecord, key="item_id"),
    }


def backup_bytes(data: WorkspaceData) -> bytes:
    """The backup file's contents (UTF-8 JSON, human-readable)."""
    return json.dumps(export_workspace(data), ensure_ascii=False, indent=1).encode("utf-8")


# --- Read ---------------------------------------------------------------------------------------------------
def read_backup(raw: bytes) -> Backup:
    """Parse and validate a backup file; raise InputError saying what is wrong (nothing is written)."""
    if len(raw) > MAX_BYTES:
        raise InputError.single(
            "file", "backup_too_large", size_mb=round(len(raw) / 1024 / 1024, 1), limit_mb=MAX_BYTES // 1024 // 1024
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single("file", "backup_not_utf8") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single("file", "backup_not_json", line=exc.lineno, column=exc.colno) from exc
    except RecursionError as exc:
        raise InputError.single("file", "backup_not_json", line=0, column=0) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError.single("file", "backup_wrong_format")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError.single("format_version", "backup_wrong_format")
    if version > FORMAT_VERSION:
        raise InputError.single("format_version", "backup_too_new", version=version, supported=FORMAT_VERSION)
    if version < 1:
        raise InputError.single("format_version", "backup_wrong_format")
    try:
        return Backup.model_validate(document)
    except ValidationError as exc:
        problems = InputError.from_validation(exc).problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > len(shown):
            shown.append(Problem("file", "backup_more_problems", {"count": len(problems) - len(shown)}))
        raise InputError(shown) from exc


# --- Restore ------------------------------------------------------------------------------------------------
def restore_workspace(*, session: Session, backup: Backup, name: str | None = None) -> Workspace:
    """Create a new workspace holding everything in `backup` (optionally under another name), all or nothing."""
    workspace_fields = backup.workspace.model_dump()
    if name is not None:
        workspace_fields["name"] = name
    workspace = store.create_workspace(
        session=session, data={k: workspace_fields[k] for k in ("name", "country", "level")}
    )
    ws = workspace.id
    assert ws is not None
    for voice in workspace_fields["custom_voices"]:
        store.add_custom_voice(session=session, workspace_id=ws, label=voice)
    for answer in backup.answers:
        store.save_answer(
            session=session, workspace_id=ws, question_id=answer.question_id, changes={"text": answer.text}
        )
    for index, record in enumerate(backup.stakeholders):
        fields = record.model_dump(exclude={"plan"})
        with _at(f"stakeholders.{index}"):
            person = store.add_stakeholder(session=session, workspace_id=ws, data=fields)
            if record.plan is not None:
                store.save_engagement_plan(
                    session=session, workspace_id=ws, stakeholder_id=person.id, changes=record.plan.model_dump()
                )
    for answer in backup.setup_answers:
        store.save_setup_answer(
            session=session,
            workspace_id=ws,
            criterion_id=answer.criterion_id,
            changes={"answer": answer.answer, "note": answer.note},
        )
    if backup.decision is not None:
        store.save_setup_decision(session=session, workspace_id=ws, changes=backup.decision.model_dump())
    for index, role in enumerate(backup.roles):
        with _at(f"roles.{index}"):
            store.add_role(session=session, workspace_id=ws, data=role.model_dump())
    for index, activity in enumerate(backup.activities):
        with _at(f"activities.{index}"):
            store.add_activity(session=session, workspace_id=ws, data=activity.model_dump())
    for entry in backup.checklist:
        store.save_checklist_entry(
            session=session,
            workspace_id=ws,
            item_id=entry.item_id,
            changes={"confirmed_status": entry.confirmed_status, "notes": entry.notes},
        )
    session.flush()
    return workspace


class _at:  # noqa: N801 - used as a context manager
    """Prefix the fields of an InputError raised inside with where in the file they are."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, _tb: Any) -> bool:
        if isinstance(exc, InputError):
            raise InputError([Problem(f"{self.where}.{p.field}", p.code, p.params) for p in exc.problems]) from exc
        return False


def summary(backup: Backup) -> Mapping[str, Any]:
    """What a restore would create, for the preview shown before anything is written."""
    return {
        "name": backup.workspace.name,
        "country": backup.workspace.country,
        "exported_at": backup.exported_at,
        "answers": sum(1 for a in backup.answers if a.text.strip()),
        "stakeholders": len(backup.stakeholders),
        "plans": sum(1 for s in backup.stakeholders if s.plan is not None),
        "activities": len(backup.activities),
        "roles": len(backup.roles),
    }
