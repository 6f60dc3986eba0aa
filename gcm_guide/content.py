"""Load the Step 1 guidance from data/ and validate it with typed models.

Every piece of guidance text the app shows comes from here; pages never hard-code it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_LANGUAGE = "en"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class ContentError(Exception):
    """The guidance files are missing or malformed; the message names the file and the field."""


class _Model(BaseModel):
    # Content is read-only and any unknown key is a typo worth failing on.
    model_config = ConfigDict(frozen=True, extra="forbid")


class Footnote(_Model):
    number: int = Field(ge=1)
    source: Text


class Paragraph(_Model):
    text: Text
    footnotes: tuple[int, ...] = ()


class NamedItem(_Model):
    id: Slug
    name: Text


class Question(_Model):
    id: Slug
    text: Text
    footnotes: tuple[int, ...] = ()


class GuidingQuestion(Question):
    number: int = Field(ge=1)


class Overview(_Model):
    class UsingThisMaterial(_Model):
        title: Text
        paragraphs: tuple[Text, ...]

    title: Text
    intro: tuple[Text, ...]
    using_this_material: UsingThisMaterial


class GuidingQuestions(_Model):
    title: Text
    intro: Text
    questions: tuple[GuidingQuestion, ...]


class Voice(NamedItem):
    source: Text


class GcmReference(_Model):
    objective: int = Field(ge=1, le=23)
    action: Annotated[str, StringConstraints(pattern=r"^[a-z]{1,2}$")]

    @property
    def label(self) -> str:
        return f"GCM objective {self.objective}, action {self.action}"


class Example(_Model):
    id: Slug | None = None
    title: Text | None = None
    text: Text
    footnotes: tuple[int, ...] = ()


class StakeholderGroup(NamedItem):
    description: Text
    gcm_references: tuple[GcmReference, ...] = ()
    examples: tuple[Example, ...] = ()


class Action1(_Model):
    number: int
    title: Text
    intro: tuple[Paragraph, ...]
    prompts_intro: Text
    identification_prompts: tuple[Question, ...]
    underrepresented_voices: tuple[Voice, ...]
    stakeholder_groups: tuple[StakeholderGroup, ...]


class ParticipationLevel(NamedItem):
    description: Text


class Action2(_Model):
    class Understand(_Model):
        title: Text
        questions: tuple[Question, ...]

    class Determine(_Model):
        title: Text
        mechanisms_intro: Text
        mechanisms: tuple[NamedItem, ...]
        mediums_intro: Text
        mediums: tuple[NamedItem, ...]
        closing: Text
        consider_intro: Text
        consider: tuple[Question, ...]

    class Ensure(_Model):
        title: Text
        questions: tuple[Question, ...]

    class ParticipationLevels(_Model):
        source: Text
        levels: tuple[ParticipationLevel, ...]

    number: int
    title: Text
    intro: tuple[Paragraph, ...]
    understand: Understand
    determine: Determine
    ensure: Ensure
    phases: tuple[NamedItem, ...]
    participation_levels: ParticipationLevels


class SetupOption(NamedItem):
    number: int
    paragraphs: tuple[Text, ...]
    examples: tuple[Example, ...] = ()


class SetupCriterion(_Model):
    id: Slug
    short: Text  # a few words, for chart labels
    question: Text
    source: Text  # the guidance passage the question rests on
    scale: Slug
    # Not asked when another criterion has one of these answers (a question about "that body" when there is none).
    not_asked_when: dict[Slug, tuple[Slug, ...]] = Field(default_factory=dict)
    # The question also asks which body it is about; that body is then suggested as a lead.
    body_prompt: Text | None = None

    def applies(self, answers: Mapping[str, str | None]) -> bool:
        """Whether the question is asked, given the other answers (a question about "that body" needs one)."""
        return not any(answers.get(other) in refused for other, refused in self.not_asked_when.items())


class Action3(_Model):
    number: int
    title: Text
    intro: tuple[Paragraph, ...]
    options: tuple[SetupOption, ...]
    candidate_lead_bodies: tuple[NamedItem, ...]
    # Stakeholder groups of the register that are government bodies (the bodies that could lead).
    government_groups: tuple[Slug, ...]
    service_delivery_departments: tuple[NamedItem, ...]
    work_processes: tuple[NamedItem, ...]
    criteria: tuple[SetupCriterion, ...]
    answer_scales: dict[Slug, tuple[NamedItem, ...]]

    @model_validator(mode="after")
    def _scales_exist(self) -> Action3:
        ids = {c.id: c for c in self.criteria}
        for criterion in self.criteria:
            if criterion.scale not in self.answer_scales:
                raise ValueError(f"criterion {criterion.id!r} uses unknown scale {criterion.scale!r}")
            for other, answers in criterion.not_asked_when.items():
                if other not in ids:
                    raise ValueError(f"criterion {criterion.id!r} depends on unknown criterion {other!r}")
                unknown = set(answers) - {o.id for o in self.answer_scales[ids[other].scale]}
                if unknown:
                    raise ValueError(f"criterion {criterion.id!r}: {other!r} has no answers {sorted(unknown)}")
        return self


class Audience(NamedItem):
    text: Text


class ActivityType(NamedItem):
    short_name: Text


class Action4(_Model):
    class CovidBox(_Model):
        title: Text
        paragraphs: tuple[Paragraph, ...]

    number: int
    title: Text
    intro: tuple[Paragraph, ...]
    audiences: tuple[Audience, ...]
    activities_title: Text
    activities_intro: Text
    activity_types: tuple[ActivityType, ...]
    covid_box: CovidBox

    def audience_passages(self) -> list[tuple[list[str], str]]:
        """The guidance on each audience, each passage once with the audiences it speaks of (the source
        gives other stakeholders and the public one sentence together)."""
        passages: dict[str, list[str]] = {}
        for audience in self.audiences:
            passages.setdefault(audience.text, []).append(audience.name)
        return [(names, text) for text, names in passages.items()]


class ChecklistItem(_Model):
    id: Slug
    text: Text
    ongoing: bool
    page: Slug


class Checklist(_Model):
    title: Text
    items: tuple[ChecklistItem, ...]


class Footnotes(_Model):
    footnotes: tuple[Footnote, ...]


# File name (without .yaml) → the model that validates it.
CONTENT_FILES: dict[str, type[_Model]] = {
    "overview": Overview,
    "guiding_questions": GuidingQuestions,
    "action1_stakeholders": Action1,
    "action2_engagement": Action2,
    "action3_setup": Action3,
    "action4_awareness": Action4,
    "checklist": Checklist,
    "footnotes": Footnotes,
}


class Content(_Model):
    """All of Step 1, validated, with lookups by id."""

    overview: Overview
    guiding_questions: GuidingQuestions
    action1: Action1
    action2: Action2
    action3: Action3
    action4: Action4
    checklist: Checklist
    footnotes: tuple[Footnote, ...]

    @model_validator(mode="after")
    def _check_references(self) -> Content:
        known = {note.number for note in self.footnotes}
        for number in _cited_footnotes(self.model_dump()):
            if number not in known:
                raise ValueError(f"footnote {number} is cited but not listed in footnotes.yaml")
        for name, items in self.id_lists().items():
            ids = [item.id for item in items]
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"duplicate ids in {name}: {', '.join(duplicates)}")
        unknown_groups = set(self.action3.government_groups) - {g.id for g in self.action1.stakeholder_groups}
        if unknown_groups:
            raise ValueError(f"action3 government_groups names unknown stakeholder groups {sorted(unknown_groups)}")
        return self

    def id_lists(self) -> dict[str, tuple[Any, ...]]:
        return {
            "guiding questions": self.guiding_questions.questions,
            "stakeholder groups": self.action1.stakeholder_groups,
            "under-represented voices": self.action1.underrepresented_voices,
            "engagement mechanisms": self.action2.determine.mechanisms,
            "communication mediums": self.action2.determine.mediums,
            "participation levels": self.action2.participation_levels.levels,
            "set-up criteria": self.action3.criteria,
            "activity types": self.action4.activity_types,
            "audiences": self.action4.audiences,
            "checklist items": self.checklist.items,
        }

    # Lookups used by pages, charts and reports.
    @property
    def group_names(self) -> dict[str, str]:
        return {group.id: group.name for group in self.action1.stakeholder_groups}

    @property
    def lead_candidate_names(self) -> dict[str, str]:
        return {body.id: body.name for body in self.action3.candidate_lead_bodies}

    @property
    def voice_names(self) -> dict[str, str]:
        return {voice.id: voice.name for voice in self.action1.underrepresented_voices}

    @property
    def mechanism_names(self) -> dict[str, str]:
        return {item.id: item.name for item in self.action2.determine.mechanisms}

    @property
    def medium_names(self) -> dict[str, str]:
        return {item.id: item.name for item in self.action2.determine.mediums}

    @property
    def phase_names(self) -> dict[str, str]:
        return {item.id: item.name for item in self.action2.phases}

    @property
    def participation_level_names(self) -> dict[str, str]:
        return {item.id: item.name for item in self.action2.participation_levels.levels}

    @property
    def audience_names(self) -> dict[str, str]:
        return {item.id: item.name for item in self.action4.audiences}

    @property
    def activity_type_names(self) -> dict[str, str]:
        return {item.id: item.short_name for item in self.action4.activity_types}

    @property
    def option_names(self) -> dict[str, str]:
        return {item.id: item.name for item in self.action3.options}

    def footnote(self, number: int) -> Footnote:
        return next(note for note in self.footnotes if note.number == number)


def _cited_footnotes(value: Any) -> set[int]:
    """Every footnote number cited anywhere in a dumped content tree."""
    found: set[int] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "footnotes" and isinstance(item, (list, tuple)) and all(isinstance(n, int) for n in item):
                found.update(item)
            else:
                found |= _cited_footnotes(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found |= _cited_footnotes(item)
    return found


def _format_error(file: Path, error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{file}: field {where}: {item['msg']}")
    return "\n".join(problems)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning syntax errors into a ContentError naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{path}: file is missing") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from exc


def load_content_from(directory: Path) -> Content:
    """Validate every content file in `directory` and assemble them; raise ContentError on any problem."""
    parts: dict[str, Any] = {}
    for name, model in CONTENT_FILES.items():
        path = directory / f"{name}.yaml"
        try:
            parts[name] = model.model_validate(read_yaml(path))
        except ValidationError as exc:
            raise ContentError(_format_error(path, exc)) from exc
    try:
        return Content(
            overview=parts["overview"],
            guiding_questions=parts["guiding_questions"],
            action1=parts["action1_stakeholders"],
            action2=parts["action2_engagement"],
            action3=parts["action3_setup"],
            action4=parts["action4_awareness"],
            checklist=parts["checklist"],
            footnotes=parts["footnotes"].footnotes,
        )
    except ValidationError as exc:
        raise ContentError(_format_error(directory, exc)) from exc


def content_file(name: str, language: str, data_dir: Path = DATA_DIR) -> Path:
    """data/content/<language>/<name>, or the default language's file while that language has none yet
    (a file that only holds matching words or rules can wait for its translation)."""
    path = data_dir / "content" / language / name
    return path if path.is_file() else data_dir / "content" / DEFAULT_LANGUAGE / name


@functools.cache
def load_content(language: str = DEFAULT_LANGUAGE) -> Content:
    """The validated guidance in `language` (cached: content files do not change while the app runs)."""
    return load_content_from(DATA_DIR / "content" / language)


@functools.cache
def load_checklist_rules() -> dict[str, dict[str, Any]]:
    """Thresholds for the checklist's suggested statuses (data/checklist_rules.yaml)."""
    path = DATA_DIR / "checklist_rules.yaml"
    rules = read_yaml(path)
    if not isinstance(rules, dict):
        raise ContentError(f"{path}: expected a mapping of checklist item ids to rules")
    return {key: dict(value or {}) for key, value in rules.items()}
