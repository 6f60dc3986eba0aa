"""A complete, versioned JSON backup of one workspace, and its restore into a new workspace.

The file holds everything a team entered (not database ids, versions or timestamps, which belong to the
database it came from), and the workspace's snapshots if it has any. A file with snapshots is format version 2:
each stakeholder then has a `ref`, a number that only links it to the same stakeholder inside the file's
snapshots (restored, it becomes the new database's id). A file without snapshots stays version 1, so an older
version of the app still reads it. Reading one is strict: a broken, truncated, oversized, newer-format or tampered file
is refused with a message that says what is wrong, and a restore writes everything or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session

from gcm_guide import store
from gcm_guide.content import Content, load_content
from gcm_guide.errors import InputError, Problem, located
from gcm_guide.models import (
    MAX_ACTIVITIES,
    MAX_CUSTOM_VOICES,
    MAX_LABEL,
    MAX_ROLES,
    MAX_STAKEHOLDERS,
    MAX_VOICES,
    ActivityStatus,
    Audience,
    ChecklistStatus,
    EngagementStatus,
    GovernmentLevel,
    LongText,
    ParticipationLevel,
    ProposedBy,
    ReportLanguage,
    RequiredName,
    SetupOption,
    SetupRoleName,
    ShortText,
    Workspace,
    WorkspaceLevel,
    name_key,
)
from gcm_guide.workspace_data import WorkspaceData

FORMAT = "gcm-kickoff-guide-backup"
FORMAT_VERSION = 2  # the newest this app writes and reads; files without snapshots are still written as 1
PLAIN_VERSION = 1
MAX_BYTES = 50 * 1024 * 1024  # a 5,000-stakeholder workspace with about fifteen snapshots of that size
MAX_PROBLEMS_SHOWN = 8
# A backup nests three levels (the file, its lists, a stakeholder's plan); anything deeper is not one.
MAX_DEPTH = 12
# Snapshots one file carries: a snapshot a month for over ten years.
MAX_SNAPSHOTS = 200


class _Strict(BaseModel):
    # Unknown fields are refused (a typo or a tampered file), and types are not coerced ("5" is not 5).
    model_config = ConfigDict(extra="forbid", strict=True)


class WorkspaceRecord(_Strict):
    name: RequiredName
    country: ShortText = ""
    level: WorkspaceLevel = "national"
    language: ReportLanguage = "en"  # absent from backups made before workspaces had a language
    custom_voices: list[RequiredName] = Field(default_factory=list, max_length=MAX_CUSTOM_VOICES)
    group_reasons: dict[Annotated[str, Field(max_length=64)], LongText] = Field(default_factory=dict, max_length=100)


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
    lead_candidate: str | None = Field(default=None, max_length=64)
    next_review_on: dt.date | None = Field(default=None, strict=False)
    plan: PlanRecord | None = None
    # Only in files with snapshots (and in a snapshot's own payload): links the stakeholder across them.
    ref: int | None = None


class SetupAnswerRecord(_Strict):
    criterion_id: str = Field(max_length=64)
    answer: str | None = Field(default=None, max_length=32)
    body: ShortText = ""
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
    # Dates travel as ISO strings, as an activity's do.
    reviewed_on: dt.date | None = Field(default=None, strict=False)
    next_review_on: dt.date | None = Field(default=None, strict=False)


class Backup(_Strict):
    """The whole file."""

    format: Literal["gcm-kickoff-guide-backup"]
    format_version: int
    exported_at: str = Field(max_length=64)
    workspace: WorkspaceRecord
    answers: list[AnswerRecord] = Field(default_factory=list, max_length=100)
    stakeholders: list[StakeholderRecord] = Field(default_factory=list, max_length=MAX_STAKEHOLDERS)
    setup_answers: list[SetupAnswerRecord] = Field(default_factory=list, max_length=100)
    decision: DecisionRecord | None = None
    roles: list[RoleRecord] = Field(default_factory=list, max_length=MAX_ROLES)
    activities: list[ActivityRecord] = Field(default_factory=list, max_length=MAX_ACTIVITIES)
    checklist: list[ChecklistRecord] = Field(default_factory=list, max_length=100)
    snapshots: list[SnapshotRecord] = Field(default_factory=list, max_length=MAX_SNAPSHOTS)


class SnapshotRecord(_Strict):
    """One snapshot the file carries: what the team called it and when, and the workspace as it stood then
    (in this same format, without snapshots of its own)."""

    name: RequiredName
    note: LongText = ""
    author: ShortText = Field(default="", max_length=MAX_LABEL)
    kind: Literal["manual", "workshop"] = "manual"
    created_at: dt.datetime = Field(strict=False)
    payload: Backup


Backup.model_rebuild()


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


def export_workspace(data: WorkspaceData, *, now: dt.datetime | None = None, refs: bool = False) -> dict[str, Any]:
    """Everything the team entered in one workspace, as plain JSON-ready data. `refs`: give each stakeholder
    its `ref` (its id), as snapshots and files carrying snapshots do."""
    stakeholders = []
    for person in data.stakeholders:
        record = _pick(person, StakeholderRecord)
        record.pop("ref", None)
        plan = data.plan_for(person)
        record["plan"] = _single(plan, PlanRecord)
        if refs:
            record["ref"] = person.id
        stakeholders.append(record)
    activities = []
    for activity in data.activities:
        record = _pick(activity, ActivityRecord)
        record["starts_on"] = activity.starts_on.isoformat() if activity.starts_on else None
        record["ends_on"] = activity.ends_on.isoformat() if activity.ends_on else None
        activities.append(record)
    document: dict[str, Any] = _iso_dates(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION if refs else PLAIN_VERSION,
            "exported_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
            "workspace": _pick(data.workspace, WorkspaceRecord)
            | {
                "custom_voices": list(data.workspace.custom_voices),
                "group_reasons": dict(data.workspace.group_reasons or {}),
            },
            "answers": _entries(data.answers.values(), AnswerRecord, key="question_id"),
            "stakeholders": stakeholders,
            "setup_answers": _entries(data.setup_answers.values(), SetupAnswerRecord, key="criterion_id"),
            "decision": _single(data.decision, DecisionRecord),
            "roles": [_pick(r, RoleRecord) for r in data.roles],
            "activities": activities,
            "checklist": _entries(data.checklist.values(), ChecklistRecord, key="item_id"),
        }
    )
    return document


def _iso_dates(value: Any) -> Any:
    """Dates as ISO strings ("2027-03-01"), the way a backup writes them."""
    if isinstance(value, dict):
        return {key: _iso_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso_dates(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def backup_bytes(data: WorkspaceData, snapshots: Sequence[Any] = ()) -> bytes:
    """The backup file's contents (UTF-8 JSON: indented, or compact when it carries snapshots), with the
    workspace's snapshots (rows of gcm_guide.models.Snapshot, whose payload is already in this format) if any."""
    document = export_workspace(data, refs=bool(snapshots))
    if snapshots:
        document["snapshots"] = [
            {
                "name": snapshot.name,
                "note": snapshot.note,
                "author": snapshot.author,
                "kind": snapshot.kind,
                "created_at": snapshot.created_at.isoformat(timespec="seconds"),
                "payload": json.loads(snapshot.payload),
            }
            for snapshot in snapshots
        ]
        # Compact: each snapshot is a whole workspace, and the file must stay within what a restore reads.
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# --- Read ---------------------------------------------------------------------------------------------------
class _DuplicateKey(ValueError):
    pass


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # JSON allows a key twice and Python keeps the last: in a backup that is a tampered or broken file.
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _depth(value: Any, limit: int, level: int = 1) -> int:
    """How deeply `value` nests (stops counting past `limit`)."""
    if level > limit or not isinstance(value, (dict, list)):
        return level
    children = value.values() if isinstance(value, dict) else value
    return max((_depth(child, limit, level + 1) for child in children), default=level)


def _surrogate_at(value: Any, path: str = "") -> str | None:
    """Where a string holds half of a character (a lone UTF-16 surrogate, which no text file can hold)."""
    if isinstance(value, str):
        return (path or "file") if any("\ud800" <= c <= "\udfff" for c in value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        found = _surrogate_at(child, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


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
        document = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InputError.single("file", "backup_not_json", line=exc.lineno, column=exc.colno) from exc
    except _DuplicateKey as exc:
        raise InputError.single("file", "backup_duplicate_key", key=str(exc)[:64]) from exc
    except RecursionError as exc:
        raise InputError.single("file", "backup_too_deep") from exc
    except ValueError as exc:  # a number too long to read (Python refuses integers of over 4,300 digits)
        raise InputError.single("file", "backup_bad_number") from exc
    if _depth(document, MAX_DEPTH) > MAX_DEPTH:
        raise InputError.single("file", "backup_too_deep")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError.single("file", "backup_wrong_format")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError.single("format_version", "backup_wrong_format")
    if version > FORMAT_VERSION:
        raise InputError.single("format_version", "backup_too_new", version=version, supported=FORMAT_VERSION)
    if version < 1:
        raise InputError.single("format_version", "backup_wrong_format")
    broken = _surrogate_at(document)
    if broken:
        raise InputError.single(broken, "not_text")
    try:
        parsed = Backup.model_validate(document)
    except ValidationError as exc:
        refuse(InputError.from_validation(exc).problems, exc)
    refuse(problems(parsed, load_content()))
    return parsed


def refuse(found: list[Problem], cause: Exception | None = None) -> None:
    """Raise the problems found (the first few, and how many more), if any."""
    if not found:
        return
    shown = found[:MAX_PROBLEMS_SHOWN]
    if len(found) > len(shown):
        shown.append(Problem("file", "backup_more_problems", {"count": len(found) - len(shown)}))
    raise InputError(shown) from cause


def problems(backup: Backup, content: Content) -> list[Problem]:
    """Everything in a well-formed backup that a restore would refuse: ids this app does not know, names
    used twice, dates in the wrong order. Checked before anything is written, so the preview says it all."""
    found: list[Problem] = []

    def unknown(where: str, value: Any, known: Iterable[str]) -> None:
        if value is not None and value not in set(known):
            found.append(Problem(where, "unknown_choice", {"value": str(value)}))

    voices = {name_key(v.name) for v in content.action1.underrepresented_voices}
    for index, label in enumerate(backup.workspace.custom_voices):
        if name_key(label) in voices:
            found.append(Problem(f"workspace.custom_voices.{index}", "duplicate_voice", {"name": label}))
        voices.add(name_key(label))
    for group_id in backup.workspace.group_reasons:
        unknown("workspace.group_reasons", group_id, content.group_names)
    questions = {q.id for q in content.guiding_questions.questions}
    for index, answer in enumerate(backup.answers):
        unknown(f"answers.{index}.question_id", answer.question_id, questions)
    _twice(found, "answers", [a.question_id for a in backup.answers], "question_id")
    names: dict[str, int] = {}
    for index, person in enumerate(backup.stakeholders):
        where = f"stakeholders.{index}"
        unknown(f"{where}.group_id", person.group_id, content.group_names)
        unknown(f"{where}.lead_candidate", person.lead_candidate, content.lead_candidate_names)
        key = name_key(person.name)
        if key in names:
            found.append(Problem(f"{where}.name", "duplicate_stakeholder", {"name": person.name}))
        names.setdefault(key, index)
        if person.plan is not None:
            for field_name, known in (
                ("mechanisms", content.mechanism_names),
                ("mediums", content.medium_names),
                ("phases", content.phase_names),
            ):
                for value in getattr(person.plan, field_name):
                    unknown(f"{where}.plan.{field_name}", value, known)
    criteria = {c.id: c for c in content.action3.criteria}
    for index, setup_answer in enumerate(backup.setup_answers):
        criterion = criteria.get(setup_answer.criterion_id)
        if criterion is None:
            unknown(f"setup_answers.{index}.criterion_id", setup_answer.criterion_id, criteria)
        else:
            options = {o.id for o in content.action3.answer_scales[criterion.scale]}
            unknown(f"setup_answers.{index}.answer", setup_answer.answer, options)
    _twice(found, "setup_answers", [a.criterion_id for a in backup.setup_answers], "criterion_id")
    for index, activity in enumerate(backup.activities):
        unknown(f"activities.{index}.activity_type", activity.activity_type, content.activity_type_names)
        if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
            found.append(Problem(f"activities.{index}.ends_on", "ends_before_start", {}))
    items = {item.id for item in content.checklist.items}
    for index, entry in enumerate(backup.checklist):
        unknown(f"checklist.{index}.item_id", entry.item_id, items)
    _twice(found, "checklist", [e.item_id for e in backup.checklist], "item_id")
    _twice_refs(found, "stakeholders", backup)
    for index, snapshot in enumerate(backup.snapshots):
        where = f"snapshots.{index}.payload"
        if snapshot.payload.snapshots:
            found.append(Problem(f"{where}.snapshots", "unknown_choice", {"value": "snapshots"}))
        # A snapshot is shown and compared like the workspace itself, so it must hold only what this app knows.
        found += [
            Problem(f"{where}.{problem.field}", problem.code, problem.params)
            for problem in problems(snapshot.payload.model_copy(update={"snapshots": []}), content)
        ]
    return found


def _twice_refs(found: list[Problem], where: str, backup: Backup) -> None:
    seen: set[int] = set()
    for index, person in enumerate(backup.stakeholders):
        if person.ref is not None and person.ref in seen:
            found.append(Problem(f"{where}.{index}.ref", "listed_twice", {"value": person.ref}))
        if person.ref is not None:
            seen.add(person.ref)


def _twice(found: list[Problem], where: str, ids: list[str], field_name: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            found.append(Problem(f"{where}.{index}.{field_name}", "listed_twice", {"value": value}))
        seen.add(value)


# --- Restore ---------------------------------------------------------------------------------------------------
# Rows written per transaction: each step holds the database for a moment (tens of milliseconds), so other
# people's saves get in between however large the backup is.
RESTORE_STEP = 250


def begin_restore(*, session: Session, backup: Backup, name: str | None = None) -> Workspace:
    """The first step of a restore: a new, hidden workspace with the backup's small parts (its own voices,
    answers, set-up answers and decision, checklist). The register, roles and activities follow in steps."""
    workspace_fields = backup.workspace.model_dump()
    if name is not None:
        workspace_fields["name"] = name
    workspace = store.create_workspace(
        session=session, data={k: workspace_fields[k] for k in ("name", "country", "level", "language")}, hidden=True
    )
    ws = workspace.id
    assert ws is not None
    if workspace_fields["custom_voices"]:
        with located("workspace"):
            store.update_workspace(
                session=session, workspace_id=ws, changes={"custom_voices": workspace_fields["custom_voices"]}
            )
    if workspace_fields["group_reasons"]:
        with located("workspace"):
            store.update_workspace(
                session=session, workspace_id=ws, changes={"group_reasons": workspace_fields["group_reasons"]}
            )
    for answer in backup.answers:
        store.save_answer(
            session=session, workspace_id=ws, question_id=answer.question_id, changes={"text": answer.text}
        )
    for setup_answer in backup.setup_answers:
        store.save_setup_answer(
            session=session,
            workspace_id=ws,
            criterion_id=setup_answer.criterion_id,
            changes={"answer": setup_answer.answer, "body": setup_answer.body, "note": setup_answer.note},
        )
    if backup.decision is not None:
        store.save_setup_decision(session=session, workspace_id=ws, changes=backup.decision.model_dump())
    ongoing = {item.id for item in load_content().checklist.items if item.ongoing}
    for entry in backup.checklist:
        status = entry.confirmed_status
        if entry.item_id in ongoing and status == "done":
            status = "in_progress"  # ongoing work is under way, never done (older backups could say done)
        store.save_checklist_entry(
            session=session,
            workspace_id=ws,
            item_id=entry.item_id,
            changes={
                "confirmed_status": status,
                "notes": entry.notes,
                "reviewed_on": entry.reviewed_on,
                "next_review_on": entry.next_review_on,
            },
        )
    session.flush()
    return workspace


def restore_stakeholders(*, session: Session, workspace_id: int, backup: Backup, start: int, stop: int) -> int:
    """One step of a restore: the stakeholders (with their plans) from `start` to `stop` in the file."""
    records = backup.stakeholders[start:stop]
    people = store.add_stakeholders(
        session=session,
        workspace_id=workspace_id,
        rows=[record.model_dump(exclude={"plan"}) for record in records],
        where=[f"stakeholders.{index}" for index in range(start, start + len(records))],
    )
    plans = {}
    where = {}
    for index, (person, record) in enumerate(zip(people, records, strict=True), start=start):
        if record.plan is not None:
            assert person.id is not None
            plans[person.id] = record.plan.model_dump()
            where[person.id] = f"stakeholders.{index}.plan"
    if plans:
        store.save_engagement_plans(session=session, workspace_id=workspace_id, plans=plans, where=where)
    return len(people)


def restore_roles(*, session: Session, workspace_id: int, backup: Backup, start: int, stop: int) -> int:
    rows = backup.roles[start:stop]
    store.add_roles(
        session=session,
        workspace_id=workspace_id,
        rows=[role.model_dump() for role in rows],
        where=[f"roles.{index}" for index in range(start, start + len(rows))],
    )
    return len(rows)


def restore_activities(*, session: Session, workspace_id: int, backup: Backup, start: int, stop: int) -> int:
    rows = backup.activities[start:stop]
    store.add_activities(
        session=session,
        workspace_id=workspace_id,
        rows=[activity.model_dump() for activity in rows],
        where=[f"activities.{index}" for index in range(start, start + len(rows))],
    )
    return len(rows)


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
        "snapshots": len(backup.snapshots),
    }
