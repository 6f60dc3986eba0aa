"""Recommend an institutional set-up from the team's answers, with every reason shown.

The rubric (weights, points, thresholds, explanations, matching words) is data: data/content/<lang>/rubric.yaml.
`recommend_setup` takes plain data and returns plain data, so the outcome can be tested and explained.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gcm_guide.content import DATA_DIR, DEFAULT_LANGUAGE, Content, ContentError, content_file, load_content, read_yaml
from gcm_guide.i18n import get_language
from gcm_guide.workspace_data import WorkspaceData

Option = Literal["existing_body", "new_body"]


# --- The rubric, validated ----------------------------------------------------------------------------------
class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Thresholds(_Model):
    minimum_answered: int = Field(ge=1)
    required: tuple[str, ...]
    clear_share: float = Field(gt=0, le=1)
    balanced_share: float = Field(ge=0, lt=1)


class CriterionRule(_Model):
    weight: float = Field(ge=0)
    points: dict[str, float]
    explanations: dict[str, str]

    @model_validator(mode="after")
    def _explained(self) -> CriterionRule:
        if set(self.points) != set(self.explanations):
            raise ValueError("every answer with points needs an explanation, and only those")
        return self


class FragmentationEvidence(_Model):
    label: str
    weight: float = Field(ge=0)
    government_groups: tuple[str, ...]
    many_bodies: int
    many_levels: int
    few_bodies: int
    points: dict[Literal["spread", "concentrated", "neutral"], float]
    explanations: dict[Literal["spread", "concentrated", "neutral"], str]


class LeadBodyRule(_Model):
    candidate: str
    words: tuple[str, ...]


class Caveat(_Model):
    id: str
    text: str
    check: Literal["service_departments", "statistics_office"] | None = None
    missing: str | None = None
    only_for: Option | None = None


class Rubric(_Model):
    thresholds: Thresholds
    criteria: dict[str, CriterionRule]
    fragmentation_evidence: FragmentationEvidence
    outcomes: dict[Option, str]
    strength: dict[Literal["clear", "lean", "balanced"], str]
    lead_bodies: tuple[LeadBodyRule, ...]
    caveats: tuple[Caveat, ...]
    service_departments: dict[str, tuple[str, ...]]
    statistics_words: tuple[str, ...]


def check_rubric(rubric: Rubric, content: Content) -> None:
    """The rubric must speak of the criteria, answers, groups and bodies the guidance content defines."""
    action3 = content.action3
    criteria = {c.id: c for c in action3.criteria}
    if set(rubric.criteria) != set(criteria):
        raise ContentError(
            f"rubric criteria {sorted(rubric.criteria)} differ from the set-up criteria {sorted(criteria)}"
        )
    for criterion_id, rule in rubric.criteria.items():
        options = {o.id for o in action3.answer_scales[criteria[criterion_id].scale]} - {"unsure"}
        if set(rule.points) != options:
            raise ContentError(f"rubric criterion {criterion_id!r}: points must cover exactly {sorted(options)}")
    unknown = set(rubric.thresholds.required) - set(criteria)
    if unknown:
        raise ContentError(f"rubric thresholds.required names unknown criteria {sorted(unknown)}")
    if set(rubric.fragmentation_evidence.government_groups) - set(content.group_names):
        raise ContentError("rubric fragmentation_evidence.government_groups names unknown stakeholder groups")
    candidates = {b.id for b in action3.candidate_lead_bodies}
    if {rule.candidate for rule in rubric.lead_bodies} - candidates:
        raise ContentError("rubric lead_bodies names a candidate that is not in action3 candidate_lead_bodies")
    if set(rubric.service_departments) != {d.id for d in action3.service_delivery_departments}:
        raise ContentError("rubric service_departments must match action3 service_delivery_departments")


@functools.cache
def load_rubric(language: str = DEFAULT_LANGUAGE) -> Rubric:
    """The validated rubric in `language` (the default language's until it is translated)."""
    path = content_file("rubric.yaml", language, DATA_DIR)
    try:
        rubric = Rubric.model_validate(read_yaml(path))
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ContentError(f"{path}: {details}") from exc
    check_rubric(rubric, load_content(language))
    return rubric


# --- Inputs and result --------------------------------------------------------------------------------------
class StakeholderLike(Protocol):
    name: str
    group_id: str
    government_level: str | None
    influence: int | None


@dataclass(frozen=True)
class Contribution:
    """What one answer (or one piece of evidence) adds to the call."""

    criterion_id: str
    short: str  # a few words naming the criterion
    question: str
    answer: str  # the answer as the user saw it
    points: float  # weighted; positive favours Option 1, negative Option 2
    explanation: str


@dataclass(frozen=True)
class SuggestedLead:
    name: str  # as on the register
    candidate: str  # e.g. "Ministry responsible for migration"
    influence: int | None


@dataclass(frozen=True)
class Recommendation:
    option: Option | None  # None: not enough answers, or evenly balanced
    strength: Literal["clear", "lean", "balanced"] | None
    score: float
    max_score: float
    contributions: tuple[Contribution, ...]
    missing: tuple[str, ...]  # criterion ids without a usable answer
    blocking: tuple[str, ...]  # of those, the ones needed before any recommendation
    lead_bodies: tuple[SuggestedLead, ...]
    caveats: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. the working group the team described

    @property
    def ready(self) -> bool:
        return not self.blocking

    @property
    def share(self) -> float:
        return abs(self.score) / self.max_score if self.max_score else 0.0

    @property
    def suggested_lead(self) -> str | None:
        """The lead body named when the team accepts: the first suggestion from the register, if any."""
        return self.lead_bodies[0].name if self.lead_bodies else None

    def awaits_acceptance(self, chosen_option: str | None) -> bool:
        """Whether there is a recommendation the team has not chosen yet."""
        return self.option is not None and chosen_option != self.option


# --- Reading the workspace ----------------------------------------------------------------------------------
_LIST_SPLIT = re.compile(r"[\n;•·]|^\s*[-*]\s+", re.MULTILINE)


def listed_items(text: str) -> list[str]:
    """The items of a list the user typed: one per line, or separated by semicolons (or commas on one line)."""
    items = [item.strip(" -*\t") for item in _LIST_SPLIT.split(text or "")]
    items = [item for item in items if len(item) >= 3]
    if len(items) == 1 and items[0].count(",") >= 2:
        items = [part.strip() for part in items[0].split(",") if len(part.strip()) >= 3]
    return items


def _matches(name: str, words: Sequence[str]) -> bool:
    folded = name.casefold()
    return any(word.casefold() in folded for word in words)


def _any_matches(stakeholders: Sequence[StakeholderLike], words: Sequence[str]) -> bool:
    return any(_matches(s.name, words) for s in stakeholders)


def government_stakeholders(stakeholders: Sequence[StakeholderLike], rubric: Rubric) -> list[StakeholderLike]:
    groups = set(rubric.fragmentation_evidence.government_groups)
    return [s for s in stakeholders if s.group_id in groups or s.government_level]


def _fragmentation(
    stakeholders: Sequence[StakeholderLike], question_1_answer: str, rubric: Rubric
) -> Contribution | None:
    rule = rubric.fragmentation_evidence
    government = government_stakeholders(stakeholders, rubric)
    bodies = max(len(government), len(listed_items(question_1_answer)))
    if bodies == 0 or rule.weight == 0:
        return None
    levels = (
        len(
            {
                s.government_level or ("local" if s.group_id == "local_and_regional_authorities" else "national")
                for s in government
            }
        )
        if government
        else 1
    )
    if bodies >= rule.many_bodies and levels >= rule.many_levels:
        kind = "spread"
    elif bodies <= rule.few_bodies:
        kind = "concentrated"
    else:
        kind = "neutral"
    return Contribution(
        criterion_id="fragmentation_evidence",
        short=rule.label,
        question="",
        answer=str(bodies),
        points=rule.points[kind] * rule.weight,
        explanation=rule.explanations[kind].format(bodies=bodies, levels=levels),
    )


def _lead_bodies(stakeholders: Sequence[StakeholderLike], rubric: Rubric, content: Content) -> list[SuggestedLead]:
    names = {b.id: b.name for b in content.action3.candidate_lead_bodies}
    found: list[SuggestedLead] = []
    seen: set[str] = set()
    government = government_stakeholders(stakeholders, rubric)
    for rule in rubric.lead_bodies:
        matching = [s for s in government if s.name not in seen and _matches(s.name, rule.words)]
        for person in sorted(matching, key=lambda s: (-(s.influence or 0), s.name)):
            seen.add(person.name)
            found.append(SuggestedLead(person.name, names[rule.candidate], person.influence))
    return found


def _caveats(
    option: Option | None, stakeholders: Sequence[StakeholderLike], rubric: Rubric, content: Content
) -> list[str]:
    departments = {d.id: d.name for d in content.action3.service_delivery_departments}
    sentences = []
    for caveat in rubric.caveats:
        if caveat.only_for and caveat.only_for != option:
            continue
        text = caveat.text
        if caveat.check == "service_departments":
            missing = [
                departments[d]
                for d, words in rubric.service_departments.items()
                if not _any_matches(stakeholders, words)
            ]
            if missing and caveat.missing:
                text += " " + caveat.missing.format(departments=", ".join(missing))
        elif (
            caveat.check == "statistics_office"
            and caveat.missing
            and not _any_matches(stakeholders, rubric.statistics_words)
        ):
            text += " " + caveat.missing
        sentences.append(text)
    return sentences


# --- The call -----------------------------------------------------------------------------------------------
def recommend_setup(
    *,
    answers: Mapping[str, str | None],
    stakeholders: Sequence[StakeholderLike] = (),
    question_1_answer: str = "",
    notes: Mapping[str, str] | None = None,
    rubric: Rubric | None = None,
    content: Content | None = None,
) -> Recommendation:
    """Weigh the set-up answers (and the register) into Option 1 or Option 2, with every reason (in the active
    language unless `content` and `rubric` are given)."""
    content = content or load_content(get_language())
    rubric = rubric or load_rubric(get_language())
    action3 = content.action3
    contributions: list[Contribution] = []
    score = max_score = 0.0
    missing: list[str] = []
    for criterion in action3.criteria:
        answer = answers.get(criterion.id)
        rule = rubric.criteria[criterion.id]
        if answer in (None, "unsure") or answer not in rule.points:
            missing.append(criterion.id)
            continue
        points = rule.points[answer] * rule.weight
        score += points
        max_score += rule.weight * max(abs(p) for p in rule.points.values())
        scale = {o.id: o.name for o in action3.answer_scales[criterion.scale]}
        contributions.append(
            Contribution(
                criterion.id, criterion.short, criterion.question, scale[answer], points, rule.explanations[answer]
            )
        )

    evidence = _fragmentation(stakeholders, question_1_answer, rubric)
    if evidence is not None:
        contributions.append(evidence)
        score += evidence.points
        max_score += rubric.fragmentation_evidence.weight * max(
            abs(p) for p in rubric.fragmentation_evidence.points.values()
        )

    answered = len(action3.criteria) - len(missing)
    blocking = [c for c in rubric.thresholds.required if c in missing]
    still_needed = rubric.thresholds.minimum_answered - answered - len(blocking)
    if still_needed > 0:
        blocking += [c for c in missing if c not in blocking][:still_needed]

    option: Option | None = None
    strength = None
    if not blocking:
        share = abs(score) / max_score if max_score else 0.0
        option = "existing_body" if score > 0 else "new_body" if score < 0 else None
        if share >= rubric.thresholds.clear_share:
            strength = "clear"
        elif share >= rubric.thresholds.balanced_share:
            strength = "lean"
        else:
            strength = "balanced"

    extra_notes = []
    if answers.get("interagency_working_group") == "yes" and (notes or {}).get("interagency_working_group"):
        extra_notes.append((notes or {})["interagency_working_group"])
    return Recommendation(
        option=option,
        strength=strength,
        score=round(score, 3),
        max_score=round(max_score, 3),
        contributions=tuple(sorted(contributions, key=lambda c: -abs(c.points))),
        missing=tuple(missing),
        blocking=tuple(blocking),
        lead_bodies=tuple(_lead_bodies(stakeholders, rubric, content)),
        caveats=tuple(_caveats(option, stakeholders, rubric, content)),
        notes=tuple(extra_notes),
    )


def recommend_for(data: WorkspaceData, content: Content | None = None, rubric: Rubric | None = None) -> Recommendation:
    """The recommendation for a workspace: its set-up answers, its register and its answer to question 1."""
    return recommend_setup(
        answers={criterion_id: answer.answer for criterion_id, answer in data.setup_answers.items()},
        stakeholders=data.stakeholders,
        question_1_answer=data.answer_text("government_bodies"),
        notes={criterion_id: answer.note for criterion_id, answer in data.setup_answers.items()},
        rubric=rubric,
        content=content,
    )
