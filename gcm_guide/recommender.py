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
from gcm_guide.i18n import get_language, t
from gcm_guide.workspace_data import WorkspaceData

Option = Literal["existing_body", "new_body"]
Strength = Literal["clear", "lean", "balanced"]  # how clearly the answers point to the option


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


class Caveat(_Model):
    id: str
    text: str
    check: Literal["service_departments", "statistics_office"] | None = None
    missing: str | None = None
    only_for: Option | None = None


class Rubric(_Model):
    thresholds: Thresholds
    criteria: dict[str, CriterionRule]
    outcomes: dict[Option, str]
    strength: dict[Strength, str]
    lead_order: tuple[str, ...]
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
    candidates = {b.id for b in action3.candidate_lead_bodies}
    if set(rubric.lead_order) != candidates:
        raise ContentError(f"rubric lead_order must list exactly the candidate lead bodies {sorted(candidates)}")
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
    lead_candidate: str | None


@dataclass(frozen=True)
class Contribution:
    """What one answer adds to the call."""

    criterion_id: str
    short: str  # a few words naming the criterion
    question: str
    answer: str  # the answer as the user saw it
    points: float  # weighted; positive favours Option 1, negative Option 2
    explanation: str
    source: str = ""  # the guidance passage the question rests on

    def reason_fields(self) -> dict[str, str]:
        """The placeholders of a reason line, as the screen and the PDF both write it."""
        return {
            "short": self.short,
            "answer": self.answer,
            "points": f"{self.points:+.1f}",
            "why": self.explanation,
            "source": self.source,
        }


@dataclass(frozen=True)
class SuggestedLead:
    name: str  # as the team wrote it
    candidate: str  # why it is suggested, in words: "Ministry responsible for migration", "named for: …"
    influence: int | None
    named: bool = False  # named in the set-up answers (rather than marked on the register)


@dataclass(frozen=True)
class Recommendation:
    option: Option | None  # None: not enough answers, or evenly balanced
    strength: Strength | None
    score: float
    max_score: float  # all the points given, for and against
    contributions: tuple[Contribution, ...]
    missing: tuple[str, ...]  # criterion ids without a usable answer (not counting those not asked)
    blocking: tuple[str, ...]  # of those, the ones needed before any recommendation
    lead_bodies: tuple[SuggestedLead, ...]
    caveats: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. the working group the team described
    not_asked: tuple[str, ...] = field(default_factory=tuple)  # questions about a body the team said is not there

    @property
    def ready(self) -> bool:
        return not self.blocking

    @property
    def share(self) -> float:
        return abs(self.score) / self.max_score if self.max_score else 0.0

    @property
    def suggested_lead(self) -> str | None:
        """The lead body named when the team accepts: the first body the team itself named or marked."""
        return self.lead_bodies[0].name if self.lead_bodies else None

    def awaits_acceptance(self, chosen_option: str | None) -> bool:
        """Whether there is a recommendation the team has not chosen yet."""
        return self.option is not None and chosen_option != self.option

    def reasons_for(self, limit: int = 3) -> tuple[Contribution, ...]:
        """The answers that weigh most for the recommended option, heaviest first."""
        if self.option is None:
            return ()
        sign = 1 if self.option == "existing_body" else -1
        return tuple(c for c in self.contributions if c.points * sign > 0)[:limit]

    def reasons_against(self, limit: int = 2) -> tuple[Contribution, ...]:
        """The answers that weigh most for the other option."""
        if self.option is None:
            return ()
        sign = 1 if self.option == "existing_body" else -1
        return tuple(c for c in self.contributions if c.points * sign < 0)[:limit]


# --- Reading the workspace ----------------------------------------------------------------------------------
_LIST_SPLIT = re.compile(r"[\n;•·]|^\s*[-*]\s+", re.MULTILINE)


def listed_items(text: str) -> list[str]:
    """The items of a list the user typed: one per line, or separated by semicolons (or commas on one line)."""
    items = [item.strip(" -*\t") for item in _LIST_SPLIT.split(text or "")]
    items = [item for item in items if len(item) >= 3]
    if len(items) == 1 and items[0].count(",") >= 2:
        items = [part.strip() for part in items[0].split(",") if len(part.strip()) >= 3]
    return items


def _any_matches(stakeholders: Sequence[StakeholderLike], words: Sequence[str]) -> bool:
    # One search of all names joined by line breaks (no word holds one) rather than one per name: Action 3 asks
    # this on every run, of every name in the register.
    names = "\n".join(s.name for s in stakeholders).casefold()
    return any(word.casefold() in names for word in words)


def government_stakeholders(stakeholders: Sequence[StakeholderLike], content: Content) -> list[StakeholderLike]:
    """The register's government bodies: the government groups of Tool 1, or anyone given a level of government."""
    groups = set(content.action3.government_groups)
    return [s for s in stakeholders if s.group_id in groups or s.government_level]


# How many government bodies a set-up answer's chooser lists. Every run of Action 3 sends and draws each chooser's
# names again: listing all of the demo's 3,578 at 5,000 stakeholders cost ~150 ms of every answer (docs/benchmarks.md).
BODY_CHOOSER_LIMIT = 100


@dataclass(frozen=True)
class BodyChoices:
    """The names a set-up answer's body chooser lists, and how many government bodies the register holds."""

    names: list[str]
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.names)


def body_choices(
    stakeholders: Sequence[StakeholderLike], content: Content, limit: int = BODY_CHOOSER_LIMIT
) -> BodyChoices:
    """The register's government bodies, by name, in register order; above `limit`, the `limit` likeliest to be
    named as a lead, likeliest first: those the team marked as able to lead, then Tool 1's government groups,
    then national ones, then the most influential. Any other name can still be typed in the chooser."""
    government = government_stakeholders(stakeholders, content)
    names = list(dict.fromkeys(s.name for s in government))
    if len(names) <= limit:
        return BodyChoices(names, len(names))
    groups = set(content.action3.government_groups)
    ranked = sorted(
        government,  # sorted() is stable: ties keep register order
        key=lambda s: (
            s.lead_candidate is None,
            s.group_id not in groups,
            s.government_level != "national",
            -(s.influence or 0),
        ),
    )
    return BodyChoices(list(dict.fromkeys(s.name for s in ranked))[:limit], len(names))


def _lead_bodies(
    stakeholders: Sequence[StakeholderLike],
    answers: Mapping[str, str | None],
    bodies: Mapping[str, str],
    rubric: Rubric,
    content: Content,
) -> list[SuggestedLead]:
    """The bodies the team itself named in its set-up answers, then those it marked on the register as able to
    lead. Nothing is guessed from names."""
    found: list[SuggestedLead] = []
    seen: set[str] = set()
    influence = {s.name.casefold(): s.influence for s in stakeholders}
    for criterion in content.action3.criteria:
        body = (bodies.get(criterion.id) or "").strip()
        said = criterion.body_prompt and answers.get(criterion.id) in ("yes", "partly")
        if said and body and body.casefold() not in seen:
            seen.add(body.casefold())
            why = t("setup.rec.named_for", short=criterion.short)
            found.append(SuggestedLead(body, why, influence.get(body.casefold()), named=True))
    kinds = content.lead_candidate_names
    order = {kind: index for index, kind in enumerate(rubric.lead_order)}
    marked = [s for s in stakeholders if s.lead_candidate in kinds]
    for person in sorted(marked, key=lambda s: (order.get(s.lead_candidate or "", 99), -(s.influence or 0), s.name)):
        if person.name.casefold() not in seen:
            seen.add(person.name.casefold())
            found.append(SuggestedLead(person.name, kinds[person.lead_candidate or ""], person.influence))
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
    bodies: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    rubric: Rubric | None = None,
    content: Content | None = None,
) -> Recommendation:
    """Weigh the set-up answers into Option 1 or Option 2, with every reason and the lead bodies the team named
    (in the active language unless `content` and `rubric` are given).

    `bodies`: the body each answer is about, where the question asks for one. The register only supplies
    the bodies the team marked as able to lead, and the caveats' checks; it does not weigh in the call."""
    content = content or load_content(get_language())
    rubric = rubric or load_rubric(get_language())
    action3 = content.action3
    contributions: list[Contribution] = []
    score = given = 0.0
    missing: list[str] = []
    not_asked: list[str] = []
    for criterion in action3.criteria:
        if not criterion.applies(answers):
            not_asked.append(criterion.id)
            continue
        answer = answers.get(criterion.id)
        rule = rubric.criteria[criterion.id]
        if answer in (None, "unsure") or answer not in rule.points:
            missing.append(criterion.id)
            continue
        points = rule.points[answer] * rule.weight
        score += points
        given += abs(points)
        scale = {o.id: o.name for o in action3.answer_scales[criterion.scale]}
        contributions.append(
            Contribution(
                criterion.id,
                criterion.short,
                criterion.question,
                scale[answer],
                points,
                rule.explanations[answer],
                criterion.source,
            )
        )

    answered = len(contributions)
    blocking = [c for c in rubric.thresholds.required if c in missing]
    still_needed = rubric.thresholds.minimum_answered - answered - len(blocking)
    if still_needed > 0:
        blocking += [c for c in missing if c not in blocking][:still_needed]

    option: Option | None = None
    strength: Strength | None = None
    if not blocking:
        share = abs(score) / given if given else 0.0
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
        max_score=round(given, 3),
        contributions=tuple(sorted(contributions, key=lambda c: -abs(c.points))),
        missing=tuple(missing),
        blocking=tuple(blocking),
        lead_bodies=tuple(_lead_bodies(stakeholders, answers, bodies or {}, rubric, content)),
        caveats=tuple(_caveats(option, stakeholders, rubric, content)),
        notes=tuple(extra_notes),
        not_asked=tuple(not_asked),
    )


def recommend_for(data: WorkspaceData, content: Content | None = None, rubric: Rubric | None = None) -> Recommendation:
    """The recommendation for a workspace: its set-up answers, the bodies it named and marked, its register."""
    return recommend_setup(
        answers={criterion_id: answer.answer for criterion_id, answer in data.setup_answers.items()},
        stakeholders=data.stakeholders,
        bodies={criterion_id: answer.body for criterion_id, answer in data.setup_answers.items()},
        notes={criterion_id: answer.note for criterion_id, answer in data.setup_answers.items()},
        rubric=rubric,
        content=content,
    )
