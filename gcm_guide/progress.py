"""How far a workspace has got: answered questions, covered groups, unspoken voices, missing plans."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from gcm_guide.content import Content
from gcm_guide.models import EngagementPlan, Stakeholder
from gcm_guide.workspace_data import WorkspaceData


@dataclass(frozen=True)
class VoiceCoverage:
    """One under-represented voice and the stakeholders on the register who carry it."""

    id: str  # a guidance voice id, or the label of a workspace's own voice
    name: str
    builtin: bool
    carried_by: tuple[str, ...]


def answered_questions(data: WorkspaceData, content: Content) -> list[str]:
    """Ids of the guiding questions with a non-blank answer."""
    return [q.id for q in content.guiding_questions.questions if data.answer_text(q.id).strip()]


def group_counts(data: WorkspaceData, content: Content) -> dict[str, int]:
    """Stakeholders per group, for all 16 groups in guidance order (zero where nobody is listed)."""
    counts = Counter(s.group_id for s in data.stakeholders)
    return {group.id: counts.get(group.id, 0) for group in content.action1.stakeholder_groups}


def uncovered_groups(data: WorkspaceData, content: Content) -> list[str]:
    return [group_id for group_id, count in group_counts(data, content).items() if count == 0]


def group_reasons(data: WorkspaceData) -> dict[str, str]:
    """Why the team left groups empty, by group id (reasons for groups that now have someone are kept, unused)."""
    return dict(data.workspace.group_reasons or {})


def unexplained_groups(data: WorkspaceData, content: Content) -> list[str]:
    """Groups with nobody on the register and no reason recorded: the real gaps."""
    reasons = group_reasons(data)
    return [group_id for group_id in uncovered_groups(data, content) if group_id not in reasons]


def voice_options(data: WorkspaceData, content: Content) -> list[str]:
    """The voices a stakeholder can carry: the guidance's (by id), then the workspace's own (by label)."""
    return [*content.voice_names, *data.workspace.custom_voices]


def voice_coverage(data: WorkspaceData, content: Content) -> list[VoiceCoverage]:
    """Every voice (the guidance's, then the workspace's own) with who speaks for it."""
    voices = [(v.id, v.name, True) for v in content.action1.underrepresented_voices]
    voices += [(label, label, False) for label in data.workspace.custom_voices]
    return [
        VoiceCoverage(
            id=voice_id,
            name=name,
            builtin=builtin,
            carried_by=tuple(s.name for s in data.stakeholders if voice_id in s.voices),
        )
        for voice_id, name, builtin in voices
    ]


def unspoken_voices(data: WorkspaceData, content: Content) -> list[VoiceCoverage]:
    return [voice for voice in voice_coverage(data, content) if not voice.carried_by]


def voice_label(voice: str, content: Content) -> str:
    return content.voice_names.get(voice, voice)


def plan_is_started(plan: EngagementPlan | None) -> bool:
    """A plan counts once it says at least how (a mechanism) or how much (a participation level)."""
    return plan is not None and bool(plan.participation_level or plan.mechanisms)


def stakeholders_without_plan(data: WorkspaceData) -> list[Stakeholder]:
    return [s for s in data.stakeholders if not plan_is_started(data.plan_for(s))]


UNDERSTAND_FIELDS = ("engagement_in_governance", "role_and_interest", "conflicts_of_interest", "trust_building")


def understood_stakeholders(data: WorkspaceData) -> list[Stakeholder]:
    """Stakeholders with enough of the four "understand" answers (the checklist's own threshold)."""
    from gcm_guide.content import load_checklist_rules

    needed = load_checklist_rules()["understand_stakeholders"]["min_answers_per_stakeholder"]
    return [s for s in data.stakeholders if understand_answers(s) >= needed]


def understand_answers(stakeholder: Stakeholder) -> int:
    """How many of the four "understand your stakeholders" questions are answered for this stakeholder."""
    return sum(1 for name in UNDERSTAND_FIELDS if getattr(stakeholder, name).strip())


def setup_answers(data: WorkspaceData) -> dict[str, str | None]:
    return {criterion_id: answer.answer for criterion_id, answer in data.setup_answers.items()}


def applicable_criteria(data: WorkspaceData, content: Content) -> list[str]:
    """Set-up criteria whose question is asked, given the answers so far."""
    answers = setup_answers(data)
    return [c.id for c in content.action3.criteria if c.applies(answers)]


def answered_criteria(data: WorkspaceData, content: Content) -> list[str]:
    """Set-up criteria that are asked and have an answer other than "not sure yet"."""
    return [
        criterion_id
        for criterion_id in applicable_criteria(data, content)
        if (answer := data.setup_answers.get(criterion_id)) is not None and answer.answer not in (None, "unsure")
    ]


def activities_by_audience(data: WorkspaceData, content: Content) -> dict[str, int]:
    counts = Counter(a.audience for a in data.activities if a.status != "cancelled")
    return {audience.id: counts.get(audience.id, 0) for audience in content.action4.audiences}


@dataclass(frozen=True)
class MissingItem:
    """Something the kick-off still lacks: a message key with its values, and the page that fixes it."""

    key: str
    params: dict[str, object]
    page: str


def missing_items(data: WorkspaceData, content: Content) -> list[MissingItem]:
    """What is still missing, in the order of the step, each pointing at the page that fixes it."""
    items: list[MissingItem] = []
    questions = content.guiding_questions.questions
    unanswered = len(questions) - len(answered_questions(data, content))
    if unanswered:
        items.append(
            MissingItem(
                "summary.missing.questions", {"count": unanswered, "total": len(questions)}, "guiding-questions"
            )
        )
    groups = uncovered_groups(data, content)
    if groups:
        items.append(
            MissingItem(
                "summary.missing.groups",
                {"count": len(groups), "total": len(content.action1.stakeholder_groups)},
                "stakeholders",
            )
        )
    voices = unspoken_voices(data, content)
    if voices:
        items.append(
            MissingItem(
                "summary.missing.voices",
                {"count": len(voices), "names": ", ".join(v.name for v in voices)},
                "stakeholders",
            )
        )
    planless = stakeholders_without_plan(data)
    if planless:
        items.append(MissingItem("summary.missing.plans", {"count": len(planless)}, "engagement"))
    if not (data.decision and data.decision.chosen_option):
        items.append(MissingItem("summary.missing.setup", {}, "setup"))
    audiences = [content.audience_names[a] for a, n in activities_by_audience(data, content).items() if not n]
    if audiences:
        items.append(MissingItem("summary.missing.audiences", {"names": ", ".join(audiences)}, "awareness"))
    return items
