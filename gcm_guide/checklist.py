"""The Step 1 checklist: a status suggested by the workspace's data, which the team can confirm or override."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gcm_guide import progress
from gcm_guide.content import Content, load_checklist_rules
from gcm_guide.workspace_data import WorkspaceData


@dataclass(frozen=True)
class Suggestion:
    """A suggested status and why: `reason` is an interface-string key, `params` fill it (a key with
    count-dependent forms takes "count"); `more` adds further sentences the same way."""

    status: str  # not_started | in_progress | done
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    more: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def messages(self) -> tuple[tuple[str, dict[str, Any]], ...]:
        return ((self.reason, self.params), *self.more)


@dataclass(frozen=True)
class ItemStatus:
    item_id: str
    suggested: Suggestion
    confirmed: str | None  # the team's own status, if set
    notes: str
    ongoing: bool = False  # engagement and awareness-raising go on: such an item is never done, only under way
    reviewed_on: dt.date | None = None
    next_review_on: dt.date | None = None

    @property
    def status(self) -> str:
        status = self.confirmed or self.suggested.status
        return "in_progress" if self.ongoing and status == "done" else status

    @property
    def settled(self) -> bool:
        """Done, or for an ongoing item under way."""
        return self.status == ("in_progress" if self.ongoing else "done")

    @property
    def overridden(self) -> bool:
        return self.confirmed is not None and self.confirmed != self.suggested.status

    def due(self, today: dt.date) -> bool:
        return self.next_review_on is not None and self.next_review_on <= today


def _map_stakeholders(data: WorkspaceData, content: Content, rules: dict[str, Any]) -> Suggestion:
    """Done only when every group of Tool 1 has someone on the register or a recorded reason why not, and every
    under-represented voice the guidance names has someone speaking for it."""
    counts = progress.group_counts(data, content)
    covered = sum(1 for n in counts.values() if n)
    unexplained = progress.unexplained_groups(data, content)
    unspoken = [v for v in progress.unspoken_voices(data, content) if v.builtin]
    more = []
    if unexplained:
        more.append(("checklist.reason.groups_unexplained", {"count": len(unexplained)}))
    if unspoken:
        more.append(("checklist.reason.voices", {"count": len(unspoken)}))
    if not data.stakeholders:
        return Suggestion("not_started", "checklist.reason.no_stakeholders")
    groups = {"covered": covered, "total": len(counts)}
    return Suggestion("in_progress" if more else "done", "checklist.reason.groups", groups, more=tuple(more))


def _understand_stakeholders(data: WorkspaceData, content: Content, rules: dict[str, Any]) -> Suggestion:
    needed = rules["min_answers_per_stakeholder"]
    if not data.stakeholders:
        return Suggestion("not_started", "checklist.reason.no_stakeholders")
    understood = sum(1 for s in data.stakeholders if progress.understand_answers(s) >= needed)
    params = {"done": understood, "count": len(data.stakeholders), "needed": needed}
    if understood == len(data.stakeholders):
        return Suggestion("done", "checklist.reason.understood", params)
    started = any(progress.understand_answers(s) for s in data.stakeholders)
    return Suggestion("in_progress" if started else "not_started", "checklist.reason.understood", params)


def _decide_engagement(data: WorkspaceData, content: Content, rules: dict[str, Any]) -> Suggestion:
    if not data.stakeholders:
        return Suggestion("not_started", "checklist.reason.no_stakeholders")
    missing = len(progress.stakeholders_without_plan(data))
    params = {"done": len(data.stakeholders) - missing, "count": len(data.stakeholders)}
    if missing == 0:
        return Suggestion("done", "checklist.reason.plans", params)
    return Suggestion("in_progress" if params["done"] else "not_started", "checklist.reason.plans", params)


def _institutional_setup(data: WorkspaceData, content: Content, rules: dict[str, Any]) -> Suggestion:
    decision = data.decision
    answered = len(progress.answered_criteria(data, content))
    params = {"answered": answered, "total": len(progress.applicable_criteria(data, content))}
    if decision and decision.chosen_option and decision.lead_bodies.strip():
        return Suggestion("done", "checklist.reason.setup_decided", params)
    if answered or (decision and (decision.chosen_option or decision.lead_bodies.strip())):
        return Suggestion("in_progress", "checklist.reason.setup_open", params)
    return Suggestion("not_started", "checklist.reason.setup_open", params)


def _carry_out_engagement(data: WorkspaceData, content: Content, rules: dict[str, Any]) -> Suggestion:
    """Ongoing: under way once someone is engaged or a partner (the item is never done)."""
    if not data.stakeholders:
        return Suggestion("not_started", "checklist.reason.no_stakeholders")
    engaged = sum(1 for s in data.stakeholders if s.engagement_status in ("engaged", "partner"))
    params = {"engaged": engaged, "count": len(data.stakeholders)}
    return Suggestion("in_progress" if engaged else "not_started", "checklist.reason.engaged", params)


def _awareness_activities(data: WorkspaceData, content: Content, rules: dict[str, Any]) -> Suggestion:
    """Ongoing: under way once an activity is planned (the item is never done); the reason says which audiences
    are reached."""
    counts = progress.activities_by_audience(data, content)
    reached = sum(1 for n in counts.values() if n)
    params = {"reached": reached, "total": len(counts)}
    active = any(a.status != "cancelled" for a in data.activities)
    return Suggestion("in_progress" if active else "not_started", "checklist.reason.awareness", params)


RULES: dict[str, Callable[[WorkspaceData, Content, dict[str, Any]], Suggestion]] = {
    "map_stakeholders": _map_stakeholders,
    "understand_stakeholders": _understand_stakeholders,
    "decide_engagement": _decide_engagement,
    "institutional_setup": _institutional_setup,
    "carry_out_engagement": _carry_out_engagement,
    "awareness_activities": _awareness_activities,
}


def checklist_status(data: WorkspaceData, content: Content) -> list[ItemStatus]:
    """Every checklist item with its suggested status, the team's own status and notes."""
    rules = load_checklist_rules()
    result = []
    for item in content.checklist.items:
        entry = data.checklist.get(item.id)
        suggested = RULES[item.id](data, content, rules.get(item.id, {}))
        result.append(
            ItemStatus(
                item_id=item.id,
                suggested=suggested,
                confirmed=entry.confirmed_status if entry else None,
                notes=entry.notes if entry else "",
                ongoing=item.ongoing,
                reviewed_on=entry.reviewed_on if entry else None,
                next_review_on=entry.next_review_on if entry else None,
            )
        )
    return result


def is_complete(statuses: list[ItemStatus]) -> bool:
    """Every one-off item done and every ongoing item under way."""
    return all(item.settled for item in statuses)


def done_count(statuses: list[ItemStatus]) -> int:
    """How many checklist items are done (by the data or confirmed by the team), or under way if ongoing."""
    return sum(1 for item in statuses if item.settled)
