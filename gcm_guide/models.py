"""Database tables and the validated inputs that create and change them.

Each entity is a small family, as in the full-stack FastAPI template: a `...Base` with the user-editable
fields and their constraints, the `table=True` class, and the `...Create` / `...Update` inputs. Table
classes do not validate on construction, so every write goes through a Create/Update model first.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, Protocol, get_args

from pydantic import AfterValidator, BeforeValidator, field_validator
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import (
    true as sa_true,
)
from sqlmodel import Field, SQLModel

MAX_NAME = 200
MAX_PROPOSED_BY = 2 * MAX_NAME
MAX_LABEL = 2 * MAX_NAME  # a name with something beside it: history labels and actors, queue outcomes
# Limits shared by the register and its backups, so every register fits in a backup.
MAX_VOICES = 100
MAX_CUSTOM_VOICES = 500
MAX_LONG_TEXT = 100_000
# What one workspace can hold: well above a national register (a few hundred stakeholders; a federal state
# with its municipalities a few thousand), and small enough that every long write is cut into short steps.
MAX_STAKEHOLDERS = 5_000
MAX_ROLES = 1_000
MAX_ACTIVITIES = 2_000

GovernmentLevel = Literal["local", "regional", "national", "intergovernmental"]
WorkspaceLevel = Literal["national", "regional", "local"]
# The languages the app speaks (gcm_guide.i18n.LANGUAGES): a workspace's reports and files are made in one.
ReportLanguage = Literal["en", "fr", "es"]
EngagementStatus = Literal["identified", "contacted", "engaged", "partner", "declined"]
ActivityStatus = Literal["planned", "in_progress", "done", "cancelled"]
ChecklistStatus = Literal["not_started", "in_progress", "done"]
ParticipationLevel = Literal["inform", "consult", "involve", "collaborate", "empower"]  # the IAP2 spectrum
SetupOption = Literal["existing_body", "new_body"]
SetupRoleName = Literal["lead", "co_lead", "member", "consulted", "informed"]
Audience = Literal["government", "other_stakeholders", "public"]

WORKSPACE_LEVELS: tuple[str, ...] = get_args(WorkspaceLevel)
GOVERNMENT_LEVELS: tuple[str, ...] = get_args(GovernmentLevel)
ENGAGEMENT_STATUSES: tuple[str, ...] = get_args(EngagementStatus)
ACTIVITY_STATUSES: tuple[str, ...] = get_args(ActivityStatus)
CHECKLIST_STATUSES: tuple[str, ...] = get_args(ChecklistStatus)
SETUP_ROLES: tuple[str, ...] = get_args(SetupRoleName)

# C0 control characters other than tab and newline: PostgreSQL refuses NUL, and none of them is text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any) -> Any:
    """Normalise line endings and drop control characters from user text."""
    if isinstance(value, str):
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value


# Text that would run if some other program ever rendered it as a web page: script-like tags, event-handler
# attributes and script URLs. The app shows all text as text, but refuses these so they are never stored,
# exported or restored from a backup. Ordinary markup (<b>, **bold**, links to https://) stays allowed.
_ACTIVE_MARKUP = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|link|meta|base|form|svg|math|frame|frameset|applet)\b"
    r"|<[^>]*\bon[a-z]+\s*="
    r"|\b(java|vb)script\s*:"
    r"|\bdata\s*:\s*text/html",
    re.IGNORECASE,
)


def refuse_active_markup(value: str) -> str:
    if _ACTIVE_MARKUP.search(value):
        raise ValueError("contains active markup")
    return value


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


LongText = Annotated[
    str, BeforeValidator(clean_text), AfterValidator(refuse_active_markup), Field(default="", max_length=MAX_LONG_TEXT)
]
# A participant's name and organisation, or several of them after merges.
ProposedBy = Annotated[
    str,
    BeforeValidator(clean_text),
    AfterValidator(_one_line),
    AfterValidator(refuse_active_markup),
    Field(default="", max_length=MAX_PROPOSED_BY),
]
ShortText = Annotated[
    str,
    BeforeValidator(clean_text),
    AfterValidator(_one_line),
    AfterValidator(refuse_active_markup),
    Field(default="", max_length=MAX_NAME),
]
RequiredName = Annotated[
    str,
    BeforeValidator(clean_text),
    AfterValidator(_one_line),
    AfterValidator(_not_blank),
    AfterValidator(refuse_active_markup),
    Field(max_length=MAX_NAME),
]
Score = Annotated[int | None, Field(default=None, ge=1, le=5)]


# Named constraints let Alembic alter them later, including in SQLite's batch mode.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# SQLite would otherwise hand a deleted row's id to the next new row, and a page still showing the old
# row could then edit or delete the new one. PostgreSQL sequences never reuse ids.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def stored_id(row: _Row) -> int:
    """The id of a row read from (or flushed to) the database. `id` is None only on a row built in memory and
    not yet written, which nothing outside a store write ever holds."""
    assert row.id is not None, f"{type(row).__name__} has not been written"
    return row.id


def new_public_id() -> str:
    """An unguessable identifier for URLs, so ids cannot be enumerated."""
    return secrets.token_urlsafe(9)


def name_key(name: str) -> str:
    """The form of a name used to detect duplicates: case- and space-insensitive.

    Case folding can lengthen a name ("Straße" -> "strasse"); a key longer than its column keeps its start
    and ends with a digest of the whole, so different names still get different keys.
    """
    key = _one_line(name).casefold()
    if len(key) <= MAX_NAME:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"{key[: MAX_NAME - len(digest) - 1]}#{digest}"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def _created() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def _long_text() -> Any:
    return Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


def _workspace_fk() -> Any:
    return Field(sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False, index=True))


# --- Workspace: one government team's kick-off -------------------------------------------------------
# A Base holds the fields its table and its Create model share; where input is one of a fixed set of values (a
# Literal), the Create model says so and the table stores it as text.
class WorkspaceBase(SQLModel):
    name: RequiredName
    country: ShortText
    level: str = "national"
    # The language of its reports and files: its creator's when it was made, changed on the summary page.
    language: str = Field(default="en", max_length=8, sa_column_kwargs={"server_default": "en"})


class WorkspaceCreate(WorkspaceBase):
    level: WorkspaceLevel = "national"
    language: ReportLanguage = "en"


class WorkspaceUpdate(SQLModel):
    name: RequiredName | None = None
    country: ShortText | None = None
    level: WorkspaceLevel | None = None
    language: ReportLanguage | None = None
    custom_voices: list[RequiredName] | None = Field(default=None, max_length=MAX_CUSTOM_VOICES)
    group_reasons: dict[Annotated[str, Field(max_length=64)], LongText] | None = None


class Workspace(WorkspaceBase, table=True):
    """A workspace: everything one team records for Step 1."""

    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(default_factory=new_public_id, max_length=32, unique=True, index=True)
    name_key: str = Field(max_length=MAX_NAME, unique=True)
    level: str = Field(default="national", max_length=20)
    # Under-represented voices this team adds to the ones the guidance names.
    custom_voices: list[str] = _json_list()
    # Why a stakeholder group of Tool 1 has nobody on the register, by group id ("No recruitment agencies
    # operate here"): a group left empty on purpose is not a gap.
    group_reasons: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Access: a slow salted hash of the owner passcode (None only for workspaces made before passcodes),
    # or the signed-in owner where the deployment uses OIDC login; and the throttle on wrong passcodes.
    passcode_hash: str | None = Field(default=None, max_length=255, repr=False)  # never in logs or tracebacks
    owner_subject: str | None = Field(default=None, max_length=255)
    failed_attempts: int = Field(default=0)  # no longer counted here: see PasscodeAttempt (kept for old rows)
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # A slow salted hash of the recovery code shown once when the workspace was made: it sets a new passcode.
    recovery_hash: str | None = Field(default=None, max_length=255, repr=False)
    # Set while the workspace is being written in several steps (a restore) or removed in several steps:
    # nobody sees it until then, and one left behind by a stopped server is cleaned up.
    hidden_since: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = Field(default=1)


class PasscodeAttempt(SQLModel, table=True):
    """Wrong passcodes (or recovery codes) for one workspace from one client address: counted per client, so a
    stranger guessing from elsewhere slows down only themselves, never the owner."""

    __tablename__ = "passcode_attempt"
    __table_args__ = (UniqueConstraint("workspace_id", "client"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    client: str = Field(default="", max_length=64)  # a digest of the address ("" when it is unknown)
    failures: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


# --- Guiding questions ---------------------------------------------------------------------------------
class GuidingAnswer(SQLModel, table=True):
    """The team's answer to one of the six guiding questions."""

    __tablename__ = "guiding_answer"
    __table_args__ = (UniqueConstraint("workspace_id", "question_id"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    question_id: str = Field(max_length=64)
    text: str = _long_text()
    updated_at: datetime = _created()
    version: int = Field(default=1)


# --- Stakeholders (Action 1, and the "understand" answers of Action 2) ---------------------------------
# The register's own columns, in the order the table, the spreadsheet import and the exports show them.
REGISTER_FIELDS = (
    "name",
    "group_id",
    "government_level",
    "sector",
    "affected",
    "influence",
    "interest",
    "voices",
    "engagement_status",
)
# The register table also lets the team mark which government bodies could lead the set-up (Action 3).
REGISTER_TABLE_FIELDS = (*REGISTER_FIELDS, "lead_candidate")


class StakeholderBase(SQLModel):
    name: RequiredName
    group_id: str = Field(max_length=64)
    government_level: str | None = None
    sector: ShortText
    affected: Score
    influence: Score
    interest: Score
    voices: list[RequiredName] = Field(default_factory=list, max_length=MAX_VOICES)
    engagement_status: str = "identified"
    engagement_in_governance: LongText
    role_and_interest: LongText
    conflicts_of_interest: LongText
    trust_building: LongText
    # Who proposed it, when it came from a workshop participant ("Amina (Women Migrants Network)").
    proposed_by: ProposedBy
    # The team's own judgement that this body could lead GCM implementation, as one of the kinds of lead
    # body the guidance names (Action 3's candidate_lead_bodies ids); None: not marked.
    lead_candidate: str | None = Field(default=None, max_length=64)
    # When the team means to look again at how engagement with this stakeholder is going.
    next_review_on: date | None = None


class StakeholderCreate(StakeholderBase):
    government_level: GovernmentLevel | None = None
    engagement_status: EngagementStatus = "identified"

    @field_validator("voices")
    @classmethod
    def _unique_voices(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class StakeholderUpdate(SQLModel):
    name: RequiredName | None = None
    group_id: str | None = Field(default=None, max_length=64)
    government_level: GovernmentLevel | None = None
    sector: ShortText | None = None
    affected: Score
    influence: Score
    interest: Score
    voices: list[RequiredName] | None = Field(default=None, max_length=MAX_VOICES)
    engagement_status: EngagementStatus | None = None
    engagement_in_governance: LongText | None = None
    role_and_interest: LongText | None = None
    conflicts_of_interest: LongText | None = None
    trust_building: LongText | None = None
    proposed_by: ProposedBy | None = None
    lead_candidate: str | None = Field(default=None, max_length=64)
    next_review_on: date | None = None

    @field_validator("voices")
    @classmethod
    def _unique_voices(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else list(dict.fromkeys(value))


class Stakeholder(StakeholderBase, table=True):
    """A stakeholder in the team's register."""

    __table_args__ = (
        UniqueConstraint("workspace_id", "name_key"),
        CheckConstraint("affected IS NULL OR affected BETWEEN 1 AND 5", name="affected_range"),
        CheckConstraint("influence IS NULL OR influence BETWEEN 1 AND 5", name="influence_range"),
        CheckConstraint("interest IS NULL OR interest BETWEEN 1 AND 5", name="interest_range"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    name_key: str = Field(max_length=MAX_NAME)
    government_level: str | None = Field(default=None, max_length=32)
    sector: str = Field(default="", max_length=MAX_NAME)
    engagement_status: str = Field(default="identified", max_length=32)
    # Voice ids from the guidance (e.g. "migrant_women") or labels of the workspace's own voices.
    voices: list[str] = _json_list()
    engagement_in_governance: str = _long_text()
    role_and_interest: str = _long_text()
    conflicts_of_interest: str = _long_text()
    trust_building: str = _long_text()
    proposed_by: str = Field(default="", max_length=MAX_PROPOSED_BY)
    lead_candidate: str | None = Field(default=None, max_length=64)
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = Field(default=1)


# --- Engagement plan per stakeholder (Action 2) -------------------------------------------------------
class EngagementPlanBase(SQLModel):
    participation_level: str | None = None  # a ParticipationLevel (EngagementPlanUpdate checks it)
    mechanisms: list[str] = Field(default_factory=list)
    mediums: list[str] = Field(default_factory=list)
    phases: list[str] = Field(default_factory=list)
    time_and_resources: LongText
    capacity_development: LongText
    fair_representation: LongText
    accessibility_measures: LongText
    information_to_share: LongText


class EngagementPlanUpdate(SQLModel):
    participation_level: ParticipationLevel | None = None
    mechanisms: list[str] | None = None
    mediums: list[str] | None = None
    phases: list[str] | None = None
    time_and_resources: LongText | None = None
    capacity_development: LongText | None = None
    fair_representation: LongText | None = None
    accessibility_measures: LongText | None = None
    information_to_share: LongText | None = None


class EngagementPlan(EngagementPlanBase, table=True):
    """How and when the team will engage one stakeholder."""

    __tablename__ = "engagement_plan"
    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    stakeholder_id: int = Field(
        sa_column=Column(Integer, ForeignKey("stakeholder.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    participation_level: str | None = Field(default=None, max_length=32)
    mechanisms: list[str] = _json_list()
    mediums: list[str] = _json_list()
    phases: list[str] = _json_list()
    time_and_resources: str = _long_text()
    capacity_development: str = _long_text()
    fair_representation: str = _long_text()
    accessibility_measures: str = _long_text()
    information_to_share: str = _long_text()
    updated_at: datetime = _created()
    version: int = Field(default=1)


# --- Institutional set-up (Action 3) -------------------------------------------------------------------
class SetupAnswer(SQLModel, table=True):
    """The team's answer to one set-up criterion question."""

    __tablename__ = "setup_answer"
    __table_args__ = (UniqueConstraint("workspace_id", "criterion_id"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    criterion_id: str = Field(max_length=64)
    answer: str | None = Field(default=None, max_length=32)
    # The body the answer is about, where the question asks for one (e.g. the existing body that could lead).
    body: str = Field(default="", max_length=MAX_NAME)
    note: str = _long_text()
    updated_at: datetime = _created()
    version: int = Field(default=1)


class SetupDecisionUpdate(SQLModel):
    chosen_option: SetupOption | None = None
    recommended_option: SetupOption | None = None
    followed_recommendation: bool | None = None
    deviation_reason: LongText | None = None
    lead_bodies: LongText | None = None
    rationale: LongText | None = None
    terms_of_reference: LongText | None = None
    work_plan: LongText | None = None


class SetupDecision(SQLModel, table=True):
    """The set-up the team chose, why, and the work processes it agreed."""

    __tablename__ = "setup_decision"
    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(
        sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    chosen_option: str | None = Field(default=None, max_length=32)
    # The app's recommendation when the team decided, whether they followed it, and why not.
    recommended_option: str | None = Field(default=None, max_length=32)
    followed_recommendation: bool | None = None
    deviation_reason: str = _long_text()
    lead_bodies: str = _long_text()
    rationale: str = _long_text()
    terms_of_reference: str = _long_text()
    work_plan: str = _long_text()
    updated_at: datetime = _created()
    version: int = Field(default=1)


class SetupRoleBase(SQLModel):
    body: RequiredName
    role: str = "member"
    responsibilities: LongText
    reports_to: ShortText
    reporting_duties: LongText


class SetupRoleCreate(SetupRoleBase):
    role: SetupRoleName = "member"


class SetupRoleUpdate(SQLModel):
    body: RequiredName | None = None
    role: SetupRoleName | None = None
    responsibilities: LongText | None = None
    reports_to: ShortText | None = None
    reporting_duties: LongText | None = None


class SetupRole(SetupRoleBase, table=True):
    """One body's role in the set-up: who leads, who is consulted, who reports to whom."""

    __tablename__ = "setup_role"
    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    role: str = Field(default="member", max_length=32)
    responsibilities: str = _long_text()
    reports_to: str = Field(default="", max_length=MAX_NAME)
    reporting_duties: str = _long_text()
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = Field(default=1)


# --- Awareness activities (Action 4) -------------------------------------------------------------------
class AwarenessActivityBase(SQLModel):
    title: RequiredName
    audience: str
    activity_type: str = Field(max_length=64)
    objective: LongText
    starts_on: date | None = None
    ends_on: date | None = None
    timing_note: ShortText
    lead: ShortText
    status: str = "planned"


class AwarenessActivityCreate(AwarenessActivityBase):
    audience: Audience
    status: ActivityStatus = "planned"


class AwarenessActivityUpdate(SQLModel):
    title: RequiredName | None = None
    audience: Audience | None = None
    activity_type: str | None = Field(default=None, max_length=64)
    objective: LongText | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    timing_note: ShortText | None = None
    lead: ShortText | None = None
    status: ActivityStatus | None = None


class AwarenessActivity(AwarenessActivityBase, table=True):
    """One planned awareness-raising activity."""

    __tablename__ = "awareness_activity"
    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    audience: str = Field(max_length=32)
    objective: str = _long_text()
    timing_note: str = Field(default="", max_length=MAX_NAME)
    lead: str = Field(default="", max_length=MAX_NAME)
    status: str = Field(default="planned", max_length=32)
    created_at: datetime = _created()
    updated_at: datetime = _created()
    version: int = Field(default=1)


# --- Checklist -----------------------------------------------------------------------------------------
class ChecklistEntry(SQLModel, table=True):
    """The team's confirmation or override of one checklist item, with notes."""

    __tablename__ = "checklist_entry"
    __table_args__ = (UniqueConstraint("workspace_id", "item_id"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    item_id: str = Field(max_length=64)
    # None: follow the status the data suggests; otherwise the status the team set.
    confirmed_status: str | None = Field(default=None, max_length=32)
    notes: str = _long_text()
    # For ongoing items: when the team last reviewed it; for any item: when it is next due for review.
    reviewed_on: date | None = None
    next_review_on: date | None = None
    updated_at: datetime = _created()
    version: int = Field(default=1)


# --- Workshop mode -------------------------------------------------------------------------------------
CONTRIBUTION_KINDS = ("stakeholder", "answer")
CONTRIBUTION_STATUSES = ("pending", "accepted", "merged", "dismissed")


class WorkshopSession(SQLModel, table=True):
    """A live workshop on a workspace: the join code participants use, and what the presenter shows."""

    __tablename__ = "workshop_session"
    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    code: str = Field(max_length=16, unique=True, index=True)
    current_item: str = Field(default="guiding:government_bodies", max_length=64)
    opened_at: datetime = _created()
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # SHA-256 of the token in the read-only presenter link (None: no link); a new link replaces the old one.
    presenter_token_hash: str | None = Field(default=None, max_length=64)
    # Whether the presenter shows the room's votes, answers and placements (the facilitator may hide them).
    show_results: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})


def _session_fk() -> Any:
    return Field(
        sa_column=Column(Integer, ForeignKey("workshop_session.id", ondelete="CASCADE"), nullable=False, index=True)
    )


class Participant(SQLModel, table=True):
    """Someone who joined a workshop with its code."""

    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    display_name: str = Field(max_length=MAX_NAME)
    organisation: str = Field(default="", max_length=MAX_NAME)
    # SHA-256 of the random token the participant's browser keeps (in a cookie); the token is never stored.
    token_hash: str = Field(max_length=64, index=True)
    joined_at: datetime = _created()
    # Last time the phone showed the workshop (it refreshes every few seconds): who is connected now.
    last_seen_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # A digest of where the join came from (the client's address), to slow down a flood of joins.
    client: str = Field(default="", max_length=64)


class ParticipantJoin(SQLModel):
    display_name: RequiredName
    organisation: ShortText


def _participant_fk() -> Any:
    return Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )


class Contribution(SQLModel, table=True):
    """Something a participant sent, waiting for the facilitator: nothing sent is ever deleted."""

    __table_args__ = (
        # The console's queue (one session's pending items) and a participant's sends in the last minute.
        Index("ix_contribution_session_status", "session_id", "status"),
        Index("ix_contribution_participant_created", "participant_id", "created_at"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    participant_id: int = _participant_fk()
    kind: str = Field(max_length=32)
    question_id: str | None = Field(default=None, max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The facilitator's edit before accepting (the payload stays as the participant sent it).
    edited: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    status: str = Field(default="pending", max_length=16)
    outcome: str = Field(default="", max_length=MAX_LABEL)
    created_at: datetime = _created()
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ProposedStakeholder(SQLModel):
    name: RequiredName
    group_id: str = Field(max_length=64)
    voices: list[RequiredName] = Field(default_factory=list, max_length=20)
    note: LongText


class ProposedAnswer(SQLModel):
    text: Annotated[
        str,
        BeforeValidator(clean_text),
        AfterValidator(refuse_active_markup),
        AfterValidator(_not_blank),
        Field(max_length=5_000),
    ]


class Vote(SQLModel, table=True):
    """A participant's vote for a stakeholder that matters most."""

    __table_args__ = (UniqueConstraint("participant_id", "stakeholder_id"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    participant_id: int = _participant_fk()
    stakeholder_id: int = Field(
        sa_column=Column(Integer, ForeignKey("stakeholder.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    created_at: datetime = _created()


class Placement(SQLModel, table=True):
    """Where a participant places a stakeholder on the influence/interest grid."""

    __table_args__ = (
        UniqueConstraint("participant_id", "stakeholder_id"),
        CheckConstraint("influence BETWEEN 1 AND 5", name="influence_range"),
        CheckConstraint("interest BETWEEN 1 AND 5", name="interest_range"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = _session_fk()
    participant_id: int = _participant_fk()
    stakeholder_id: int = Field(
        sa_column=Column(Integer, ForeignKey("stakeholder.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    influence: int
    interest: int
    updated_at: datetime = _created()


# --- Snapshots -------------------------------------------------------------------------------------------
SNAPSHOT_KINDS = ("manual", "workshop")


class Snapshot(SQLModel, table=True):
    """The whole workspace as it stood at one moment (a kick-off workshop, a year later), kept read-only.

    `payload` is the workspace in the backup file's format (gcm_guide.backup), each stakeholder with its `ref`
    so a later comparison can follow it through renames; `counts` are the coverage figures of that moment,
    kept beside it so a timeline of many snapshots needs no payload read."""

    __table_args__ = (Index("ix_snapshot_workspace_created", "workspace_id", "created_at"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), nullable=False))
    name: str = Field(max_length=MAX_NAME)
    note: str = _long_text()
    author: str = Field(default="", max_length=MAX_LABEL)
    kind: str = Field(default="manual", max_length=16)  # manual | workshop (taken as a session closed)
    created_at: datetime = _created()
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))


class SnapshotCreate(SQLModel):
    name: RequiredName
    note: LongText


# --- History ---------------------------------------------------------------------------------------------
class ChangeLog(SQLModel, table=True):
    """One change to a workspace: what, who, when, and the values before and after."""

    __tablename__ = "change_log"
    __table_args__ = NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _workspace_fk()
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    label: str = Field(default="", max_length=MAX_LABEL)
    action: str = Field(max_length=16)  # create | update | delete | restore
    actor: str = Field(default="", max_length=MAX_LABEL)
    changed_at: datetime = _created()
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
