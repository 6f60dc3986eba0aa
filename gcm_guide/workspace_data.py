"""Everything recorded in one workspace, as loaded in one read: what the pure modules (progress, charts,
reports, exports) work from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import inspect

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

    def with_saved(self, rows: tuple[Any, ...], *, updated_at: datetime) -> WorkspaceData | None:
        """This workspace after `rows` were saved (each an answer, plan, decision or checklist entry of it) and
        its last-change time moved to `updated_at`; None if a row is of a kind kept otherwise. The data
        itself is left as it is: others may be reading it."""
        collections: dict[str, Any] = {}
        decision = self.decision
        for row in rows:
            if getattr(row, "workspace_id", None) != self.workspace.id:
                return None
            if isinstance(row, SetupDecision):
                decision = row
                continue
            place = _KEYED.get(type(row))
            if place is None:
                return None
            name, key = place
            collection = collections.setdefault(name, dict(getattr(self, name)))
            collection[getattr(row, key)] = row
        fields = {column.key: getattr(self.workspace, column.key) for column in inspect(Workspace).column_attrs}
        workspace = Workspace(**fields | {"updated_at": updated_at})
        return replace(self, workspace=workspace, decision=decision, **collections)

    def answer_text(self, question_id: str) -> str:
        answer = self.answers.get(question_id)
        return answer.text if answer else ""

    def plan_for(self, stakeholder: Stakeholder) -> EngagementPlan | None:
        """The stakeholder's engagement plan, if one has been saved."""
        return None if stakeholder.id is None else self.plans.get(stakeholder.id)

    def stakeholder(self, stakeholder_id: int) -> Stakeholder | None:
        return next((s for s in self.stakeholders if s.id == stakeholder_id), None)


# The rows a single save may change, by kind: the collection of WorkspaceData holding them and their key there.
_KEYED: dict[type, tuple[str, str]] = {
    GuidingAnswer: ("answers", "question_id"),
    EngagementPlan: ("plans", "stakeholder_id"),
    SetupAnswer: ("setup_answers", "criterion_id"),
    ChecklistEntry: ("checklist", "item_id"),
}
