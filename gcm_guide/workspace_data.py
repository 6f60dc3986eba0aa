"""Everything recorded in one workspace, as loaded in one read: what the pure modules (progress, charts,
reports, exports) work from."""

from __future__ import annotations

from dataclasses import dataclass, field

from gcm_guide.models import (
    AwarenessActivity,
    ChecklistEntry,
    EngagementPlan,
    GuidingAnswer,
    SetupAnswer,
    SetupDecision,
    SetupRole,
    Stakeholder,
    Workspace,
)


@dataclass
class WorkspaceData:
    """Everything recorded in one workspace, as loaded in one read."""

    workspace: Workspace
    answers: dict[str, GuidingAnswer] = field(default_factory=dict)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    plans: dict[int, EngagementPlan] = field(default_factory=dict)
    setup_answers: dict[str, SetupAnswer] = field(default_factory=dict)
    decision: SetupDecision | None = None
    roles: list[SetupRole] = field(default_factory=list)
    activities: list[AwarenessActivity] = field(default_factory=list)
    checklist: dict[str, ChecklistEntry] = field(default_factory=dict)

    def answer_text(self, question_id: str) -> str:
        answer = self.answers.get(question_id)
        return answer.text if answer else ""

    def plan_for(self, stakeholder: Stakeholder) -> EngagementPlan | None:
        """The stakeholder's engagement plan, if one has been saved."""
        return None if stakeholder.id is None else self.plans.get(stakeholder.id)

    def stakeholder(self, stakeholder_id: int) -> Stakeholder | None:
        return next((s for s in self.stakeholders if s.id == stakeholder_id), None)
